"""Reporting periods: parsing, names of codes, stepping back, periods just ended."""

from datetime import date

from tanggap.analytics import periods


def test_parse_each_kind_and_refuse_nonsense():
    # given codes of each kind, then invalid ones
    # then each gives its first and last day, and nonsense gives None
    assert periods.parse("2026-02") == periods.Period("month", date(2026, 2, 1), date(2026, 2, 28))
    assert periods.parse("2026-q4").end == date(2026, 12, 31)
    assert periods.parse("2026-S1") == periods.Period(
        "semester", date(2026, 1, 1), date(2026, 6, 30)
    )
    assert periods.parse("2024").days == 366
    for bad in ("2026-13", "2026-Q5", "2026-S3", "26", "1999", "", "2026-11; drop", None):
        assert periods.parse(bad) is None


def test_previous_and_keys_round_trip():
    # given a January and a first quarter
    # then the period before is in the previous year, and keys parse back
    assert periods.previous(periods.parse("2026-01")).key == "2025-12"
    assert periods.previous(periods.parse("2026-Q1")).key == "2025-Q4"
    for code in ("2026-11", "2026-Q3", "2026-S2", "2026"):
        assert periods.parse(code).key == code


def test_ended_by_gives_the_latest_ended_period_of_each_kind():
    # given the first of July
    # then June, Q2, the first semester and last year have ended
    keys = [p.key for p in periods.ended_by(date(2026, 7, 1))]
    assert keys == ["2026-06", "2026-Q2", "2026-S1", "2025"]
