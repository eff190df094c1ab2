"""Routing rules dispose new reports automatically; a 24-hour desk gives them to who is on duty."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import (
    CategoryFactory,
    MembershipFactory,
    ServiceFactory,
    UnitFactory,
    UserFactory,
)
from tanggap.cases.choices import CaseStatus, Channel, EventKind, ReportKind
from tanggap.cases.models import RoutingRule, Shift
from tanggap.cases.services import case_open

pytestmark = pytest.mark.django_db


def open_case(unit, ref, **kwargs):
    return case_open(
        unit=unit,
        reference=ref,
        kind=ReportKind.COMPLAINT,
        channel=Channel.WEB,
        title="Air PDAM keruh",
        **kwargs,
    )


@pytest.fixture
def utility(db):
    root = UnitFactory(name="PDAM Kota")
    north = UnitFactory(organisation=root.organisation, parent=root, name="Cabang Utara")
    south = UnitFactory(organisation=root.organisation, parent=root, name="Cabang Selatan")
    return root, north, south


def test_the_first_matching_rule_disposes_the_case(utility):
    root, north, south = utility
    billing = CategoryFactory(organisation=root.organisation, name="Tagihan")
    quality = CategoryFactory(organisation=root.organisation, name="Kualitas air")
    RoutingRule.objects.create(
        organisation=root.organisation, name="Tagihan", category=billing, target_unit=root
    )
    RoutingRule.objects.create(
        organisation=root.organisation,
        name="Utara",
        position=1,
        category=quality,
        location_contains="kenjeran",
        target_unit=north,
    )
    RoutingRule.objects.create(
        organisation=root.organisation,
        name="Selatan",
        position=2,
        category=quality,
        target_unit=south,
    )

    kenjeran = open_case(root, "TGP-RT-0001", category=quality, location_text="Jl. KENJERAN 10")
    elsewhere = open_case(root, "TGP-RT-0002", category=quality, location_text="Wonokromo")
    other = open_case(root, "TGP-RT-0003")

    assert (kenjeran.status, kenjeran.unit) == (CaseStatus.ASSIGNED, north)
    assert (elsewhere.status, elsewhere.unit) == (CaseStatus.ASSIGNED, south)
    assert (other.status, other.unit) == (CaseStatus.RECEIVED, root)
    assigned = kenjeran.events.get(kind=EventKind.ASSIGNED)
    assert assigned.actor is None and assigned.data["rule"] == "Utara"


def test_a_rule_by_service_can_name_the_officer(utility):
    root, north, _south = utility
    service = ServiceFactory(unit=root, name="Sambungan baru")
    officer = UserFactory(username="teknisi")
    MembershipFactory(user=officer, unit=north, role=Role.OFFICER)
    RoutingRule.objects.create(
        organisation=root.organisation,
        name="Sambungan",
        service=service,
        target_unit=north,
        target_officer=officer,
    )

    case = open_case(root, "TGP-RT-0004", service=service)

    assert (case.unit, case.assignee) == (north, officer)


def test_a_broken_rule_never_loses_the_report(utility):
    root, north, _south = utility
    stranger = UserFactory(username="bukan-anggota")
    RoutingRule.objects.create(
        organisation=root.organisation, name="Rusak", target_unit=north, target_officer=stranger
    )

    case = open_case(root, "TGP-RT-0005")

    assert (case.status, case.unit) == (CaseStatus.RECEIVED, root)
    assert case.events.filter(kind=EventKind.NOTE, is_public=False).exists()


def test_an_inactive_rule_does_nothing(utility):
    root, north, _south = utility
    RoutingRule.objects.create(
        organisation=root.organisation, name="Mati", is_active=False, target_unit=north
    )
    assert open_case(root, "TGP-RT-0006").unit == root


def test_a_24_hour_desk_gives_new_reports_to_the_least_busy_officer_on_duty(spkt):
    now = timezone.now()
    ani, budi, citra = (UserFactory(username=n) for n in ("ani", "budi", "citra"))
    for user in (ani, budi, citra):
        MembershipFactory(user=user, unit=spkt, role=Role.OFFICER)
    Shift.objects.create(
        unit=spkt, officer=ani, starts_at=now - timedelta(hours=2), ends_at=now + timedelta(hours=6)
    )
    Shift.objects.create(
        unit=spkt,
        officer=budi,
        starts_at=now - timedelta(hours=2),
        ends_at=now + timedelta(hours=6),
    )
    # Citra's shift is over: she gets nothing new.
    Shift.objects.create(
        unit=spkt,
        officer=citra,
        starts_at=now - timedelta(hours=10),
        ends_at=now - timedelta(hours=2),
    )

    first = open_case(spkt, "TGP-RT-0007")
    second = open_case(spkt, "TGP-RT-0008")
    third = open_case(spkt, "TGP-RT-0009")

    assert first.assignee == ani and second.assignee == budi
    assert third.assignee in (ani, budi) and citra not in (
        first.assignee,
        second.assignee,
        third.assignee,
    )
    assert first.status == CaseStatus.RECEIVED
    assert first.events.get(kind=EventKind.RECEIVED).data["roster"] is True


def test_an_office_unit_has_no_roster(dpmptsp):
    assert open_case(dpmptsp, "TGP-RT-0010").assignee is None
