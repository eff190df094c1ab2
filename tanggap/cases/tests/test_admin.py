"""The case configuration admin, scoped to what a unit administrator configures."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UnitFactory, UserFactory
from tanggap.cases import workflow
from tanggap.cases.models import CaseFlag, DeadlinePolicy, Shift, StatusLabel
from tanggap.intake.tests.factories import submit_report

pytestmark = pytest.mark.django_db


def admin_of(unit, username):
    """Return a staff user administering *unit*, with the model permissions of this app."""
    user = UserFactory(username=username, is_staff=True)
    MembershipFactory(user=user, unit=unit, role=Role.UNIT_ADMIN)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="cases"))
    return user


@pytest.fixture
def tree(spkt):
    child = UnitFactory(
        organisation=spkt.organisation, parent=spkt, name="Pos 24 jam", open_24h=True
    )
    return spkt, child


def test_a_sub_units_admin_sees_only_its_rows(client, tree, officer):
    top, child = tree
    now = timezone.now()
    mine = Shift.objects.create(
        unit=child, officer=officer, starts_at=now, ends_at=now + timedelta(hours=8)
    )
    theirs = Shift.objects.create(
        unit=top, officer=officer, starts_at=now, ends_at=now + timedelta(hours=8)
    )
    DeadlinePolicy.objects.create(organisation=top.organisation, verification_days=2)
    client.force_login(admin_of(child, "admin_pos"))

    shifts = client.get("/admin/cases/shift/")
    policies = client.get("/admin/cases/deadlinepolicy/")

    assert list(shifts.context["cl"].queryset) == [mine]
    assert theirs not in shifts.context["cl"].queryset
    assert list(policies.context["cl"].queryset) == []


def test_only_the_top_units_admin_sets_an_organisation_wide_policy(client, tree):
    top, child = tree
    form = {
        "organisation": top.organisation_id,
        "unit": "",
        "kind": "",
        "priority": "",
        "day_type": "working_days",
        "verification_days": 2,
        "first_reply_days": 5,
        "resolution_simple_days": 2,
        "resolution_normative_days": 5,
        "resolution_standard_days": 14,
        "resolution_inspection_days": 60,
        "citizen_reply_days": 10,
        "information_days": 30,
        "reminder_hours": 24,
        "escalation_grace_days": 2,
    }

    client.force_login(admin_of(child, "admin_pos"))
    refused = client.post("/admin/cases/deadlinepolicy/add/", form)
    client.force_login(admin_of(top, "admin_polres"))
    saved = client.post("/admin/cases/deadlinepolicy/add/", form)

    assert refused.status_code == 200
    assert "unit" in refused.context["adminform"].form.errors
    assert saved.status_code == 302
    assert DeadlinePolicy.objects.get().unit is None


def test_a_shift_needs_a_24_hour_unit_and_an_officer_of_it(client, tree, dpmptsp):
    top, child = tree
    stranger = UserFactory(username="orang_dinas")
    MembershipFactory(user=stranger, unit=dpmptsp, role=Role.OFFICER)
    client.force_login(admin_of(top, "admin_polres"))
    start = timezone.localtime()
    form = {
        "unit": child.pk,
        "officer": stranger.pk,
        "starts_at_0": start.strftime("%Y-%m-%d"),
        "starts_at_1": "07:00:00",
        "ends_at_0": start.strftime("%Y-%m-%d"),
        "ends_at_1": "15:00:00",
    }

    response = client.post("/admin/cases/shift/add/", form)

    assert response.status_code == 200 and not Shift.objects.exists()
    assert "officer" in response.context["adminform"].form.errors


def test_status_labels_belong_to_the_organisations_top_admin(client, tree, dpmptsp):
    top, child = tree
    StatusLabel.objects.create(organisation=top.organisation, status="received", label_id="Masuk")
    StatusLabel.objects.create(organisation=dpmptsp.organisation, status="received", label_id="X")

    client.force_login(admin_of(top, "admin_polres"))
    top_view = client.get("/admin/cases/statuslabel/").context["cl"].queryset
    client.force_login(admin_of(child, "admin_pos"))
    child_view = client.get("/admin/cases/statuslabel/").context["cl"].queryset

    assert [label.label_id for label in top_view] == ["Masuk"]
    assert list(child_view) == []


def test_flags_are_read_only(client, spkt, supervisor):
    case = submit_report(spkt).report.case
    workflow.case_archive(case=case, by=supervisor)
    flag = CaseFlag.objects.get()
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)

    listing = client.get("/admin/cases/caseflag/")
    add = client.get("/admin/cases/caseflag/add/")
    change = client.post(f"/admin/cases/caseflag/{flag.pk}/change/", {"detail": "diubah"})

    assert listing.status_code == 200 and case.reference in listing.content.decode()
    assert add.status_code == 403
    flag.refresh_from_db()
    assert change.status_code == 403 and flag.detail != "diubah"
