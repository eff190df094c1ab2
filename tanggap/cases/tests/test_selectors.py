"""case_list across many units: complete, ordered pages (the per-unit merge on PostgreSQL)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UnitFactory, UserFactory
from tanggap.cases.choices import Channel, Step
from tanggap.cases.filters import DueState
from tanggap.cases.models import Case
from tanggap.cases.selectors import (
    audit_events,
    case_list,
    cases_escalated,
    due_state,
    flag_list,
    team_workload,
)
from tanggap.cases.workflow import case_assign
from tanggap.intake.tests.factories import submit_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree_with_cases():
    root = UnitFactory(name="Polres")
    units = [root] + [UnitFactory(organisation=root.organisation, parent=root) for _ in range(3)]
    start = timezone.now() - timedelta(days=20)
    for n in range(23):
        with time_machine.travel(start + timedelta(hours=7 * n), tick=False):
            submit_report(
                units[n % 4],
                title=f"Laporan {n}",
                channel=Channel.PHONE if n % 3 == 0 else Channel.WEB,
            )
    head = UserFactory(username="kapolres")
    MembershipFactory(user=head, unit=root, role=Role.SUPERVISOR)
    return head, units


def all_pages(user, filters, limit=5):
    seen, cursor = [], None
    while True:
        page = case_list(user=user, filters=filters, cursor=cursor, limit=limit)
        seen += page.items
        if not page.next_cursor:
            return seen
        cursor = page.next_cursor


@pytest.mark.parametrize(
    ("sort", "key", "reverse"),
    [
        ("due", "due_at", False),
        ("newest", "received_at", True),
        ("oldest", "received_at", False),
    ],
)
def test_pages_over_many_units_are_complete_and_in_order(tree_with_cases, sort, key, reverse):
    head, _ = tree_with_cases

    cases = all_pages(head, {"sort": sort})

    assert len(cases) == len({c.pk for c in cases}) == 23
    keys = [(getattr(c, key), c.pk) for c in cases]
    assert keys == sorted(keys, reverse=reverse)


def test_filters_apply_in_every_unit(tree_with_cases):
    head, _ = tree_with_cases

    phone = all_pages(head, {"channel": Channel.PHONE})

    assert len(phone) == 8 and {c.channel for c in phone} == {Channel.PHONE}


def test_a_sub_unit_filter_narrows_to_that_branch(tree_with_cases):
    head, units = tree_with_cases

    branch = all_pages(head, {"unit": units[2]})

    assert {c.unit_id for c in branch} == {units[2].pk} and len(branch) == 6


def test_text_and_code_search(tree_with_cases):
    head, units = tree_with_cases
    target = submit_report(units[1], title="Lampu PJU mati", description="Gelap total di gang.")

    by_title = all_pages(head, {"q": "pju"})
    by_text = all_pages(head, {"q": "GELAP TOTAL"})
    by_code = all_pages(head, {"code": target.report.tracking_code})

    assert (
        [c.pk for c in by_title]
        == [c.pk for c in by_text]
        == [c.pk for c in by_code]
        == [target.report.case.pk]
    )


def test_a_broken_cursor_starts_over(tree_with_cases):
    head, _ = tree_with_cases

    page = case_list(user=head, filters={}, cursor="not-a-cursor", limit=5)

    assert len(page.items) == 5


def test_postgresql_reads_each_unit_through_its_own_index_range(tree_with_cases):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    head, _ = tree_with_cases

    with CaptureQueriesContext(connection) as queries:
        case_list(user=head, filters={}, limit=5)

    merged = any("UNION ALL" in q["sql"] for q in queries.captured_queries)
    assert merged == connection.features.supports_slicing_ordering_in_compound


def test_a_common_word_is_searched_by_reading_cases_in_order(tree_with_cases, monkeypatch):
    from tanggap.cases import selectors

    head, _ = tree_with_cases
    monkeypatch.setattr(selectors, "SEARCH_ID_CAP", 3)

    dense = all_pages(head, {"q": "laporan"})
    few = all_pages(head, {"q": "laporan 1"})

    assert len(dense) == 23
    assert sorted(c.title for c in few) == sorted(f"Laporan {n}" for n in (1, *range(10, 20)))


# --- due state, the screens' lists --------------------------------------------

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("due_in", "step", "stage", "sweep_in", "expected"),
    [
        (None, "", "", None, ""),
        (timedelta(hours=-1), Step.RESOLUTION, "second", timedelta(days=1), DueState.OVERDUE),
        (timedelta(hours=23), Step.FIRST_REPLY, "breach", timedelta(hours=23), DueState.SOON),
        # A 48-hour reminder lead: reminded already, so due soon though a day away.
        (timedelta(hours=40), Step.RESOLUTION, "remind", timedelta(hours=-8), DueState.SOON),
        (timedelta(hours=40), Step.RESOLUTION, "breach", timedelta(hours=40), DueState.SOON),
        (timedelta(hours=40), Step.RESOLUTION, "remind", timedelta(hours=16), DueState.ON_TIME),
        (timedelta(hours=-5), Step.CITIZEN_INFORMATION, "expire", None, DueState.REPORTER),
    ],
)
def test_due_state(due_in, step, stage, sweep_in, expected):
    case = Case(
        due_at=NOW + due_in if due_in is not None else None,
        due_step=step,
        sweep_stage=stage,
        next_sweep_at=NOW + sweep_in if sweep_in is not None else None,
    )

    assert due_state(case, now=NOW) == expected


def test_the_due_filters_read_the_same_states_as_the_badges(tree_with_cases):
    head, _units = tree_with_cases
    now = timezone.now()

    every = all_pages(head, {})
    overdue = all_pages(head, {"due": DueState.OVERDUE})
    soon = all_pages(head, {"due": DueState.SOON})

    assert {c.pk for c in overdue} == {
        c.pk for c in every if due_state(c, now=now) == DueState.OVERDUE
    }
    assert {c.pk for c in soon} == {c.pk for c in every if due_state(c, now=now) == DueState.SOON}
    assert overdue


def test_list_selectors_query_count_does_not_grow_with_rows(
    tree_with_cases, django_assert_max_num_queries
):
    head, _units = tree_with_cases
    with django_assert_max_num_queries(4):
        page = case_list(user=head, filters={"due": DueState.OVERDUE}, limit=5)
        [c.unit.name for c in page.items]
    with django_assert_max_num_queries(4):
        team_workload(user=head)
    # PostgreSQL reads the per-unit union first, then the page's rows.
    with django_assert_max_num_queries(4):
        page = cases_escalated(user=head)
        [c.unit.name for c in page.items]
    with django_assert_max_num_queries(2):
        page = flag_list(user=head, filters={})
        [f.case.unit.name for f in page.items]
    with django_assert_max_num_queries(2):
        start = timezone.now() - timedelta(days=30)
        rows = list(audit_events(user=head, start=start, end=timezone.now()))
    assert len(rows) >= 23


def test_team_workload_counts_per_officer(tree_with_cases):
    head, units = tree_with_cases
    officer = UserFactory(username="petugas_cabang")
    MembershipFactory(user=officer, unit=units[1], role=Role.OFFICER)
    cases = all_pages(head, {"unit": units[1]})
    for case in cases[:2]:
        case_assign(case=case, by=head, unit=units[1], officer=officer)

    rows = {row["officer"]: row for row in team_workload(user=head)}

    assert rows[officer]["open"] == 2
    assert rows[None]["open"] == 21
    assert rows[head]["open"] == 0
    assert sum(r["overdue"] for r in rows.values()) == len(all_pages(head, {"due": "overdue"}))
