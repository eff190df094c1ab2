"""The rollups equal counts taken from the raw tables, after transitions and re-runs."""

from collections import defaultdict
from datetime import date, datetime, timedelta

import pytest
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import ExtractHour, TruncDate

from tanggap.accounts.models import Unit
from tanggap.analytics import histograms
from tanggap.analytics.measures import DAY_FIELDS, MONTH_FIELDS, summed
from tanggap.analytics.models import DailyRollup, MonthlyRollup, RollupCursor
from tanggap.analytics.services import CURSOR, SETTLE, rollup_rebuild, rollup_refresh
from tanggap.analytics.tasks import analytics_rollup
from tanggap.cases.choices import CaseStatus, FlagKind, Step
from tanggap.cases.models import Case, CaseEvent, CaseFlag
from tanggap.cases.workflow import case_resolve, case_verify
from tanggap.responses.models import Verdict

from .conftest import at, travel

pytestmark = pytest.mark.django_db
LATER = datetime(2027, 1, 1, tzinfo=at(1, 0).tzinfo)


def _late(step):
    return Exists(
        CaseFlag.objects.filter(case=OuterRef("pk"), kind=FlagKind.UNDUE_DELAY, step=step)
    )


def raw_cells(unit: Unit) -> dict:
    """Count a unit's cases per local day straight from the raw tables, another way."""
    tz = unit.tz
    cases = Case.objects.filter(unit=unit).annotate(day=TruncDate("received_at", tzinfo=tz))
    cells = defaultdict(lambda: defaultdict(int))

    def put(qs, *fields, into=None):
        for row in qs.values("day", *fields).annotate(n=Count("id", distinct=True)).order_by():
            name = into or "total"
            key = (
                name
                if not fields
                else (name, *("" if row[f] is None else str(row[f]) for f in fields))
            )
            cells[row["day"]][key] += row["n"]

    put(cases)
    put(cases, "kind", into="kind")
    put(cases, "channel", into="channel")
    put(cases, "category_id", into="category")
    put(cases, "status", into="status")
    put(cases.filter(is_confidential=True), into="confidential")
    put(cases.annotate(hour=ExtractHour("received_at", tzinfo=tz)), "hour", into="hour")
    put(cases.filter(verified_at__isnull=False), into="verified")
    put(cases.filter(verified_at__isnull=False).exclude(_late(Step.VERIFICATION)), into="v_ok")
    put(cases.filter(first_replied_at__isnull=False), into="replied")
    put(cases.filter(first_replied_at__isnull=False).exclude(_late(Step.FIRST_REPLY)), into="r_ok")
    put(cases.filter(status=CaseStatus.RESOLVED), into="resolved")
    put(cases.filter(status=CaseStatus.RESOLVED).exclude(_late(Step.RESOLUTION)), into="s_ok")
    put(cases.filter(closed_at__isnull=False), into="closed")
    put(cases.filter(flags__kind=FlagKind.UNDUE_DELAY), into="delayed")
    verdicts = Verdict.objects.filter(case__unit=unit).annotate(
        day=TruncDate("case__received_at", tzinfo=tz)
    )
    put(verdicts, "rating", into="rating")
    put(verdicts.filter(accepted=True), into="accepted")
    return {day: dict(values) for day, values in cells.items()}


def rollup_cells(unit: Unit) -> dict:
    """Read the same counts from the rollup rows."""
    cells = {}
    for row in DailyRollup.objects.filter(unit=unit):
        values = {
            "total": row.received,
            "confidential": row.confidential,
            "verified": row.verified,
            "v_ok": row.verified_on_time,
            "replied": row.replied,
            "r_ok": row.replied_on_time,
            "resolved": row.resolved,
            "s_ok": row.resolved_on_time,
            "closed": row.closed,
            "delayed": row.delayed,
            "accepted": row.accepted,
        }
        for name, field in (
            ("kind", "kinds"),
            ("channel", "channels"),
            ("category", "categories"),
            ("status", "statuses"),
            ("rating", "ratings"),
        ):
            values |= {(name, key): n for key, n in getattr(row, field).items()}
        values |= {("hour", str(h)): n for h, n in enumerate(row.hours) if n}
        cells[row.day] = {k: v for k, v in values.items() if v}
    return cells


def monthly_from_daily(unit: Unit) -> dict:
    """Sum a unit's daily rows per month, as the monthly rows should hold them."""
    by_month = defaultdict(list)
    for row in DailyRollup.objects.filter(unit=unit).values(*DAY_FIELDS):
        by_month[row["day"].replace(day=1)].append(row)
    return {month: summed(rows).fields() for month, rows in by_month.items()}


def assert_match():
    for unit in Unit.objects.all():
        assert rollup_cells(unit) == raw_cells(unit), unit.name
        months = {
            row["month"]: {k: v for k, v in row.items() if k not in ("unit_id", "month")}
            for row in MonthlyRollup.objects.filter(unit=unit).values(*MONTH_FIELDS)
        }
        assert months == monthly_from_daily(unit), unit.name


def test_refresh_equals_raw_counts_and_is_idempotent(varied, spkt, officer):
    # given varied cases, their transitions, flags and verdicts
    # when the rollup task runs
    summary = analytics_rollup.call()
    # then every cell equals the raw counts, and every event was read
    assert summary["events"] == CaseEvent.objects.count()
    assert_match()
    # and the local day is the unit's (00:30 WIB on 3 Nov is 2 Nov in UTC)
    assert DailyRollup.objects.get(unit=spkt, day=date(2026, 11, 3)).received == 1
    # when later transitions happen and the task runs again
    with travel(at(29, 9)):
        case_resolve(case=varied["late"].case, by=officer)
        case_verify(case=varied["overdue"].case, by=officer)
    rollup_refresh(now=LATER)
    # then the cells follow
    assert_match()
    day5 = DailyRollup.objects.get(unit=spkt, day=date(2026, 11, 5))
    assert (day5.verified, day5.statuses) == (1, {"verified": 1})
    # when it runs again with nothing new
    before = list(
        DailyRollup.objects.order_by("unit", "day").values_list("unit", "day", "received")
    )
    again = rollup_refresh(now=LATER)
    # then nothing is read twice and nothing changes
    assert again["events"] == 0
    assert before == list(
        DailyRollup.objects.order_by("unit", "day").values_list("unit", "day", "received")
    )
    assert_match()


def test_disposition_moves_the_case_between_units(varied, spkt, sub_unit):
    # given a case received by SPKT and disposed to its sub-unit, rolled up
    rollup_refresh(now=LATER)
    # then the sub-unit's cell has it and SPKT's cell of that day is gone
    assert DailyRollup.objects.get(unit=sub_unit, day=date(2026, 11, 12)).received == 1
    assert not DailyRollup.objects.filter(unit=spkt, day=date(2026, 11, 12)).exists()


def test_rebuild_equals_refresh(varied):
    # given rollups kept incrementally
    rollup_refresh(now=LATER)
    incremental = {u.pk: rollup_cells(u) for u in Unit.objects.all()}
    # when everything is rebuilt
    DailyRollup.objects.filter(day=date(2026, 11, 10)).update(received=999)
    result = rollup_rebuild(now=LATER)
    # then the same rows come back and the cursor is at the last event
    assert incremental == {u.pk: rollup_cells(u) for u in Unit.objects.all()}
    assert result["cursor"] == CaseEvent.objects.order_by("-id").first().pk


def test_cursor_stops_before_events_that_may_not_be_settled(varied, spkt, officer):
    # given the rollups up to date
    rollup_refresh(now=LATER)
    # when a new event is read within the settling time
    case = varied["overdue"].case
    with travel(at(29, 9)):
        case_verify(case=case, by=officer)
    newest = CaseEvent.objects.order_by("-id").first()
    first = rollup_refresh(now=newest.at + SETTLE / 2)
    # then its cell is already counted, but the cursor stays before it, so it is read again
    assert DailyRollup.objects.get(unit=spkt, day=date(2026, 11, 5)).verified == 1
    assert RollupCursor.objects.get(name=CURSOR).last_event_id < newest.pk
    second = rollup_refresh(now=newest.at + SETTLE * 2)
    assert second["events"] >= 1
    assert RollupCursor.objects.get(name=CURSOR).last_event_id == newest.pk
    assert first["cursor"] < second["cursor"]


def test_median_from_rollups_lies_in_the_exact_medians_bucket(varied, spkt):
    # given the rollups
    rollup_refresh(now=LATER)
    # when the verification median of November is taken from the histograms
    rows = DailyRollup.objects.filter(unit=spkt)
    merged = histograms.merge(row.verify_hours for row in rows)
    # then it is in the bucket of the exact median of the raw durations
    durations = sorted(
        (c.verified_at - c.received_at) / timedelta(hours=1)
        for c in Case.objects.filter(unit=spkt, verified_at__isnull=False)
    )
    exact = durations[len(durations) // 2]
    assert histograms.bucket(histograms.median(merged)) == histograms.bucket(exact)


def test_rollup_queries_do_not_grow_with_the_cases_of_a_cell(
    varied, spkt, django_assert_max_num_queries
):
    # given a day with six cases and no rollup yet
    from tanggap.analytics.rollups import unit_days_recompute

    # when the day is recomputed
    # then a constant number of queries does it (cases, flags, verdicts, days and month)
    with django_assert_max_num_queries(12):
        unit_days_recompute(unit=spkt, days=[date(2026, 11, 10)])


def test_command_refreshes_and_rebuilds(varied, spkt):
    # given varied cases and no rollups
    from io import StringIO

    from django.core.management import call_command

    # when the periodic command runs in the shell, then with --rebuild
    out = StringIO()
    with travel(LATER):
        call_command("analytics_rollup", "--now", stdout=out)
        call_command("analytics_rollup", "--now", "--rebuild", stdout=out)
    # then the rollups match the raw counts and the cursor is at the newest event
    assert_match()
    assert "cursor at event" in out.getvalue()
    newest = CaseEvent.objects.order_by("-id").first().pk
    assert RollupCursor.objects.get(name=CURSOR).last_event_id == newest


def test_open_load_equals_the_open_cases_per_officer(varied, spkt, sub_unit, officer):
    # given the rollups after a case was disposed to the officer and others left open
    from tanggap.analytics.selectors import workload
    from tanggap.cases.choices import OPEN_STATUSES, UNIT_STEPS

    with travel(at(29, 9)):
        case_verify(case=varied["overdue"].case, by=officer)
        rollup_refresh(now=LATER)
        now = LATER

        # when the workload is read from the rollup
        rows = {(r["officer"].pk if r["officer"] else None): r for r in workload(spkt)}

    # then it equals the open and overdue cases of SPKT and its sub-unit per officer
    open_cases = Case.objects.filter(unit__in=[spkt, sub_unit], status__in=OPEN_STATUSES)
    expected = {}
    for case in open_cases:
        row = expected.setdefault(case.assignee_id, {"open": 0, "overdue": 0})
        row["open"] += 1
        row["overdue"] += case.due_step in UNIT_STEPS and case.due_at < now
    assert {k: {"open": r["open"], "overdue": r["overdue"]} for k, r in rows.items()} == expected
    assert rows[officer.pk]["open"] >= 1
