"""Test the demo_handling command: every state on show, loaded once, never on production."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone, translation

from tanggap.accounts.models import Membership, User
from tanggap.accounts.roles import Role
from tanggap.cases.choices import CaseStatus, EventKind, FlagKind
from tanggap.cases.models import (
    Case,
    CaseEvent,
    CaseFlag,
    DeadlinePolicy,
    RoutingRule,
    Shift,
    StatusLabel,
)
from tanggap.intake.models import Report
from tanggap.notifications.models import Notification
from tanggap.responses.choices import ReplyStatus
from tanggap.responses.forms import ACCEPT
from tanggap.responses.models import Reply, ReplySettings, ReplyTemplate, Verdict
from tanggap.responses.placeholders import placeholders_in
from tanggap.responses.selectors import verdict_state

pytestmark = pytest.mark.django_db

COUNTED = (
    User,
    Membership,
    Case,
    CaseEvent,
    CaseFlag,
    Reply,
    Verdict,
    ReplySettings,
    ReplyTemplate,
    RoutingRule,
    StatusLabel,
    DeadlinePolicy,
    Shift,
    Notification,
)


def run(command: str, *args) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command(command, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


@pytest.fixture
def loaded(debug) -> tuple[str, str]:
    """Load demo_data and then demo_handling; return what each printed."""
    return run("demo_data"), run("demo_handling")


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in COUNTED} | {
        "statuses": sorted(Case.objects.values_list("reference", "status", "version"))
    }


def test_refuses_when_debug_is_off(settings):
    settings.DEBUG = True
    run("demo_data")
    before = counts()
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        run("demo_handling")
    assert counts() == before
    run("demo_handling", "--force")
    assert ReplySettings.objects.filter(unit__slug="dpmptsp-kota-contoh").exists()


def test_refuses_without_the_demo_data(debug):
    with pytest.raises(CommandError, match="demo_data"):
        run("demo_handling")
    assert not User.objects.exists()


def test_cases_in_every_state(loaded):
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {
        CaseStatus.RECEIVED,
        CaseStatus.VERIFIED,
        CaseStatus.ASSIGNED,
        CaseStatus.IN_PROGRESS,
        CaseStatus.WAITING_CITIZEN,
        CaseStatus.RESPONDED,
        CaseStatus.RESOLVED,
        CaseStatus.REOPENED,
        CaseStatus.REJECTED,
        CaseStatus.ARCHIVED,
    } <= statuses
    # The newest cases are left as they came in.
    newest = Case.objects.order_by("-received_at")[:3]
    assert all(case.status == CaseStatus.RECEIVED for case in newest)
    assert CaseFlag.objects.filter(kind=FlagKind.UNDUE_DELAY).exists()
    assert CaseEvent.objects.filter(kind=EventKind.ESCALATED).exists()
    # An old complaint nobody touched is past its deadline and escalated.
    untouched = Case.objects.get(title="Ada calo SIM di parkiran Satpas")
    assert untouched.status == CaseStatus.RECEIVED
    assert untouched.due_at < timezone.now() and untouched.escalation_level >= 1


def test_the_stories_behind_the_states(loaded):
    # Accepted with a rating, contested (reopened and escalated), resolved by silence.
    assert Verdict.objects.filter(accepted=True, rating__gte=1).count() >= 3
    contested = Verdict.objects.get(accepted=False)
    assert contested.comment
    assert contested.case.status == CaseStatus.REOPENED
    assert contested.case.events.filter(kind=EventKind.ESCALATED).exists()
    assert Case.objects.filter(
        status=CaseStatus.RESOLVED, events__kind=EventKind.RESOLVED, events__data__how="silence"
    ).exists()
    rejected = Case.objects.get(status=CaseStatus.REJECTED)
    rejection = rejected.events.get(kind=EventKind.REJECTED)
    assert rejected.reject_reason == "not_within_authority"
    assert rejection.data["forwarded_to"]
    archived = Case.objects.get(status=CaseStatus.ARCHIVED)
    archive = archived.events.get(kind=EventKind.ARCHIVED)
    assert archive.actor.memberships.filter(role=Role.SUPERVISOR).exists()
    assert CaseEvent.objects.filter(kind=EventKind.UPDATE).exists()
    assert Case.objects.get(status=CaseStatus.WAITING_CITIZEN).events.filter(
        kind=EventKind.INFORMATION_REQUESTED
    )
    # DPMPTSP's replies go through kepala.dpmptsp; one still waits in the approval queue.
    kepala = User.objects.get(username="kepala.dpmptsp")
    dpmptsp = Reply.objects.filter(case__organisation__slug="dpmptsp-kota-contoh")
    published = dpmptsp.filter(status=ReplyStatus.PUBLISHED)
    assert published.exists()
    assert all(reply.approved_by == kepala for reply in published)
    assert dpmptsp.filter(status=ReplyStatus.PENDING_APPROVAL).count() == 1
    assert Reply.objects.exclude(template=None).exists()


def test_every_action_lies_in_the_past_of_its_case(loaded):
    now = timezone.now()
    for case in Case.objects.prefetch_related("events"):
        for event in case.events.all():
            assert case.received_at <= event.at <= now, (case.title, event.kind)
    assert not Reply.objects.filter(published_at__gt=now).exists()


def test_the_printed_demo_report_can_rate_its_reply(loaded, client):
    data_output, handling_output = loaded
    code = re.search(r"tracking code\s+(TGP-\S+)", data_output).group(1)
    pin = re.search(r"PIN\s+(\d{6})", data_output).group(1)
    assert code in handling_output
    report = Report.objects.get(tracking_code=code)
    assert report.case.status == CaseStatus.RESPONDED
    assert verdict_state(report=report).is_open
    client.post(reverse("intake:track"), {"code": code, "pin": pin})
    response = client.post(
        reverse("responses:verdict", args=[code]),
        {"verdict-rating": "5", "verdict-comment": "", "verdict-decision": ACCEPT},
    )
    assert response.status_code == 302
    report.case.refresh_from_db()
    assert report.case.status == CaseStatus.RESOLVED


def test_adds_the_supervisor_roster_and_settings(loaded):
    _data_output, output = loaded
    kepala = User.objects.get(username="kepala.dpmptsp")
    assert kepala.check_password("demo12345")
    assert kepala.email.endswith("@demo.tanggap.example")
    assert kepala.memberships.filter(role=Role.SUPERVISOR, unit__slug="dpmptsp-kota-contoh")
    assert "kepala.dpmptsp" in output
    dpmptsp = ReplySettings.objects.get(unit__slug="dpmptsp-kota-contoh")
    assert dpmptsp.requires_approval and dpmptsp.signer_name and dpmptsp.letterhead_agency
    assert not ReplySettings.objects.get(unit__slug="spkt-polres-kota-contoh").requires_approval
    templates = ReplyTemplate.objects.all()
    assert templates.count() >= 2
    assert all(placeholders_in(template.body) for template in templates)
    rule = RoutingRule.objects.get()
    assert rule.target_unit.slug == "mpp-kota-contoh" and rule.category is not None
    assert StatusLabel.objects.exists()
    policy = DeadlinePolicy.objects.get()
    assert (policy.unit.slug, policy.priority, policy.verification_days) == (
        "spkt-polres-kota-contoh",
        "urgent",
        0,
    )
    now = timezone.now()
    on_duty = Shift.objects.get(officer__username="petugas.spkt")
    following = Shift.objects.get(officer__username="kepala.spkt")
    assert on_duty.starts_at <= now < on_duty.ends_at
    assert following.starts_at == on_duty.ends_at


def test_second_run_changes_nothing(loaded):
    before = counts()
    output = run("demo_handling")
    assert counts() == before
    assert "already loaded" in output
    assert "kepala.dpmptsp" in output


def test_an_existing_supervisor_is_reused(debug):
    run("demo_data")
    kepala = User.objects.create_user("kepala.dpmptsp", password="my-own-secret")
    Membership.objects.create(
        user=kepala,
        unit=Case.objects.filter(unit__slug="dpmptsp-kota-contoh").first().unit,
        role=Role.SUPERVISOR,
    )
    output = run("demo_handling")
    assert User.objects.get(username="kepala.dpmptsp").check_password("my-own-secret")
    assert "already existed" in output
    assert Case.objects.filter(status=CaseStatus.REOPENED).exists()
