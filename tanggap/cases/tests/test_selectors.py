"""case_list across many units: complete, ordered pages (the per-unit merge on PostgreSQL)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UnitFactory, UserFactory
from tanggap.cases.choices import Channel
from tanggap.cases.selectors import case_list
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
