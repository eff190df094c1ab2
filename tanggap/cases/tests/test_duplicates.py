"""Band keys stored by the services, and similar_cases read through them."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UnitFactory, UserFactory
from tanggap.cases import duplicates, workflow
from tanggap.cases.choices import Channel, RejectReason, ReportKind
from tanggap.cases.duplicates import band_hits, keys_backfill, similar_cases
from tanggap.cases.models import CaseBandKey
from tanggap.cases.services import case_open, case_text_add
from tanggap.insights import similarity

pytestmark = pytest.mark.django_db

FLOOD = (
    "Saluran air di Jalan Melati tersumbat sampah, tiap hujan air meluap ke rumah warga "
    "dan jalan tergenang setinggi lutut selama berjam-jam."
)
FLOOD_RETYPED = (
    "saluran air di jln melati tersumbat sampah tiap hujan air meluap ke rumah warga dan "
    "jalan tergenang setinggi lutut berjam jam"
)
STREETLIGHT = "Lampu penerangan jalan di Gang Mawar padam sejak minggu lalu, malam gelap gulita."
PERMIT = "Pengurusan izin usaha di loket perizinan sudah dua bulan belum selesai juga."
_codes = iter(range(1, 10_000))


def open_case(unit, text, *, title="Laporan warga", channel=Channel.WEB):
    return case_open(
        unit=unit,
        reference=f"TGP-TEST-{next(_codes):04d}",
        kind=ReportKind.COMPLAINT,
        channel=channel,
        title=title,
        text=text,
    )


def test_opening_a_case_stores_its_band_keys_and_added_text_adds_more():
    # given a new case
    unit = UnitFactory()
    case = open_case(unit, FLOOD)
    keys = CaseBandKey.objects.filter(case=case)
    assert keys.count() == similarity.BANDS

    # when the reporter adds information
    case_text_add(case=case, text="Sudah tiga kali terjadi bulan ini, mohon dikeruk.")

    # then the new text's keys join the case's
    assert keys.count() == 2 * similarity.BANDS


def test_a_retyped_phone_report_finds_the_web_report_of_the_same_matter():
    # given a web report, an unrelated case and the same matter typed by an officer from a call
    unit = UnitFactory()
    web = open_case(unit, FLOOD)
    open_case(unit, STREETLIGHT)

    # when the officer's text is looked up
    found = similar_cases(text=f"Laporan warga\n{FLOOD_RETYPED}", unit=unit)

    # then the web case comes first, as a likely duplicate, and the unrelated one is absent
    assert [m.case for m in found] == [web]
    assert found[0].likely and found[0].percent >= 60


def test_the_case_itself_is_not_its_own_duplicate():
    unit = UnitFactory()
    first = open_case(unit, FLOOD)
    second = open_case(unit, FLOOD_RETYPED, channel=Channel.PHONE)

    assert [m.case for m in similar_cases(case=second)] == [first]
    assert [m.case for m in similar_cases(case=first)] == [second]


def test_another_organisation_s_case_is_never_a_candidate():
    ours, theirs = UnitFactory(), UnitFactory()
    open_case(theirs, FLOOD)

    assert similar_cases(text=FLOOD, unit=ours) == []


def test_a_case_of_another_unit_of_the_organisation_is_found_but_ranked_after_our_unit():
    # given the same text in a sibling unit and in ours, the sibling's newer
    ours = UnitFactory()
    sibling = UnitFactory(organisation=ours.organisation)
    mine = open_case(ours, FLOOD)
    other = open_case(sibling, FLOOD)

    found = similar_cases(text=FLOOD, unit=ours)

    assert [m.case for m in found] == [mine, other]


def test_closed_cases_count_within_the_window_only(supervisor_of):
    # given a case closed 120 days ago and one closed yesterday, both about the flood
    unit = UnitFactory()
    boss = supervisor_of(unit)
    with time_machine.travel(timezone.now() - timedelta(days=120), tick=False):
        old = open_case(unit, FLOOD)
        workflow.case_reject(case=old, by=boss, reason=RejectReason.SPAM, note="Laporan uji coba.")
    with time_machine.travel(timezone.now() - timedelta(days=1), tick=False):
        recent = open_case(unit, FLOOD)
        workflow.case_reject(
            case=recent, by=boss, reason=RejectReason.SPAM, note="Laporan uji coba."
        )

    # when looked up / then only the recent one is shown, as closed
    found = similar_cases(text=FLOOD, unit=unit)
    assert [m.case for m in found] == [recent]
    assert not found[0].is_open


def test_an_old_case_still_open_is_found():
    unit = UnitFactory()
    with time_machine.travel(timezone.now() - timedelta(days=200), tick=False):
        old = open_case(unit, FLOOD)

    assert [m.case for m in similar_cases(text=FLOOD, unit=unit)] == [old]


def test_with_a_user_only_the_cases_they_may_see_are_shown():
    # given the same text in two units of one organisation and an officer of one of them
    mine = UnitFactory()
    hidden = UnitFactory(organisation=mine.organisation)
    visible_case = open_case(mine, FLOOD)
    open_case(hidden, FLOOD)
    officer = UserFactory()
    MembershipFactory(user=officer, unit=mine, role=Role.OFFICER)

    found = similar_cases(text=FLOOD, unit=mine, user=officer)

    assert [m.case for m in found] == [visible_case]


def test_the_lookup_costs_the_same_few_queries_however_many_cases_match(
    django_assert_num_queries,
):
    # given eight cases of the same text and some unrelated ones
    unit = UnitFactory()
    for _ in range(8):
        open_case(unit, FLOOD)
    open_case(unit, STREETLIGHT)
    open_case(unit, PERMIT)
    officer = UserFactory()
    MembershipFactory(user=officer, unit=unit, role=Role.OFFICER)

    # when looked up for a user / then band keys, memberships, candidates, places and the
    # cases shown: five queries
    with django_assert_num_queries(5):
        found = similar_cases(text=FLOOD, unit=unit, user=officer, limit=5)
    assert len(found) == 5


def test_each_key_reads_only_its_newest_cases():
    # given three cases sharing every key and a cap of two cases per key
    unit = UnitFactory()
    cases = [open_case(unit, FLOOD) for _ in range(3)]
    keys = similarity.text_keys(cases[0].search_text, namespace=unit.organisation_id)

    hits = band_hits(keys, per_key=2)

    # then the two newest are read, each through every key
    assert hits == {cases[2].pk: len(keys), cases[1].pk: len(keys)}


def test_backfill_stores_the_keys_of_cases_loaded_without_services():
    # given cases whose keys were lost (a bulk load)
    unit = UnitFactory()
    case = open_case(unit, FLOOD)
    CaseBandKey.objects.all().delete()
    assert similar_cases(text=FLOOD, unit=unit) == []

    # when backfilled, twice (it can be run again)
    seen = []
    assert keys_backfill(batch=1, progress=seen.append) == 1
    keys_backfill(rebuild=True)

    # then the case is found again
    assert seen == [1]
    assert [m.case for m in similar_cases(text=FLOOD, unit=unit)] == [case]
    assert CaseBandKey.objects.count() == similarity.BANDS


def test_the_evaluation_mirrors_the_lookup_limits():
    from tanggap.insights import duplicate_evaluation

    assert duplicate_evaluation.PER_KEY == duplicates.PER_KEY
    assert duplicate_evaluation.POOL == duplicates.POOL


@pytest.fixture
def supervisor_of():
    def make(unit):
        user = UserFactory()
        MembershipFactory(user=user, unit=unit, role=Role.SUPERVISOR)
        return user

    return make


def test_the_command_rebuilds_every_key():
    from django.core.management import call_command

    unit = UnitFactory()
    case = open_case(unit, FLOOD)
    CaseBandKey.objects.all().delete()

    call_command("duplicate_keys", "--rebuild", stdout=io.StringIO())

    assert CaseBandKey.objects.filter(case=case).count() == similarity.BANDS
