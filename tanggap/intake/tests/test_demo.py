"""Test the demo_data command: what it loads, that it loads once, and that it guards production."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from tanggap.accounts.models import (
    Category,
    Counter,
    Membership,
    Organisation,
    Service,
    Unit,
    UnitClosure,
    User,
)
from tanggap.accounts.roles import Role
from tanggap.cases.choices import Channel, ReportKind
from tanggap.cases.models import Case, CaseEvent
from tanggap.intake.models import Attachment, Report, Reporter

pytestmark = pytest.mark.django_db

COUNTED = (
    Organisation,
    Unit,
    Service,
    Counter,
    Category,
    UnitClosure,
    User,
    Membership,
    Case,
    CaseEvent,
    Report,
    Reporter,
    Attachment,
)


def run(*args) -> str:
    out = io.StringIO()
    call_command("demo_data", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        run()
    assert not Organisation.objects.exists()


def test_force_loads_when_debug_is_off(settings):
    settings.DEBUG = False
    run("--force")
    assert Organisation.objects.count() == 2


def test_loads_organisations_units_and_counters(debug):
    run()
    assert set(Organisation.objects.values_list("slug", flat=True)) == {
        "polres-kota-contoh",
        "dpmptsp-kota-contoh",
    }
    spkt = Unit.objects.get(slug="spkt-polres-kota-contoh")
    assert spkt.open_24h
    assert spkt.parent.name == "Polres Kota Contoh"
    assert spkt.path == f"{spkt.parent.path}{spkt.pk}/"
    assert spkt.latitude is not None and spkt.longitude is not None
    assert Counter.objects.filter(serves_disability=True, unit__slug="dpmptsp-kota-contoh")
    assert Service.objects.filter(unit__slug="sat-intelkam-polres-kota-contoh", code="skck")
    closure = UnitClosure.objects.get()
    assert closure.unit.slug == "dpmptsp-kota-contoh"
    assert closure.date.weekday() == 4
    assert closure.date > timezone.localdate()


def test_loads_one_account_per_role(debug):
    run()
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.get(username="admin").is_superuser
    admin_polres = User.objects.get(username="admin.polres")
    assert admin_polres.is_staff and not admin_polres.is_superuser
    assert admin_polres.has_perm("accounts.change_unit")
    assert admin_polres.has_perm("accounts.add_unitclosure")
    assert not admin_polres.has_perm("accounts.delete_unit")
    auditor = User.objects.get(username="auditor")
    assert auditor.memberships.filter(role=Role.AUDITOR, unit__parent=None).count() == 2
    assert all(user.check_password("demo12345") for user in User.objects.all())


def test_loads_reports_through_every_kind_and_channel(debug):
    run()
    reports = Report.objects.select_related("case")
    assert reports.count() >= 30
    assert reports.filter(is_anonymous=True).exists()
    assert reports.filter(is_confidential=True).exists()
    assert all(report.case.due_at is not None for report in reports)
    assert set(reports.values_list("kind", flat=True)) == set(ReportKind.values)
    used = set(reports.values_list("channel", flat=True))
    assert {"web", "walk_in", "phone", "email", "whatsapp", "suggestion_box"} <= used
    walk_ins = reports.filter(channel=Channel.WALK_IN)
    assert not walk_ins.filter(received_by=None).exists()
    assert Attachment.objects.count() >= 2


def test_spreads_reports_over_the_past_month(debug):
    run()
    now = timezone.now()
    received = list(Case.objects.values_list("received_at", flat=True))
    assert all(when <= now for when in received)
    assert min(received) < now - timedelta(days=25)
    assert any(timezone.localdate(when) == timezone.localdate() for when in received)
    assert Case.objects.filter(due_at__lt=now).count() >= 5
    assert Case.objects.filter(due_at__gt=now).exists()
    report = Report.objects.order_by("case__received_at").first()
    assert report.created_at == report.case.received_at


def test_printed_code_and_pin_open_the_report(debug, client):
    output = run()
    code = re.search(r"tracking code\s+(TGP-\S+)", output).group(1)
    pin = re.search(r"PIN\s+(\d{6})", output).group(1)
    assert "/lacak/" in output and "/petugas/" in output and "/admin/" in output
    response = client.post(reverse("intake:track"), {"code": code, "pin": pin})
    assert response.status_code == 302
    assert response.url == reverse("intake:track_detail", args=[code])


def test_second_run_creates_nothing(debug):
    run()
    before = counts()
    output = run()
    assert counts() == before
    assert "already loaded" in output
    assert "petugas.spkt" in output
    assert not re.search(r"PIN\s+\d{6}", output)


def test_existing_superuser_admin_is_left_alone(debug):
    User.objects.create_superuser("admin", password="my-own-secret")
    output = run()
    assert User.objects.get(username="admin").check_password("my-own-secret")
    assert "already existed" in output
    assert Report.objects.count() >= 30


def test_refuses_when_a_staff_login_is_taken(debug):
    User.objects.create_user("petugas.spkt", password="x")
    with pytest.raises(CommandError, match="petugas.spkt"):
        run()
    assert not Organisation.objects.exists()
