"""Parsing what clients send: empty means absent, W3C dates, attributes, search windows."""

from datetime import UTC, datetime, timedelta

import pytest

from tanggap.integrations.open311.errors import Open311Error
from tanggap.integrations.open311.params import Params, parse_search, parse_w3c

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_empty_values_are_absent():
    params = Params({"jurisdiction_id": [""], "status": ["  "], "x": ["a", ""]})
    assert params.get("jurisdiction_id") is None
    assert params.get("status") is None
    assert params.get("x") == "a"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-31T09:00:00Z", datetime(2026, 1, 31, 9, tzinfo=UTC)),
        ("2026-01-31T16:00:00+07:00", datetime(2026, 1, 31, 9, tzinfo=UTC)),
        ("2026-01-31T16:00:00 07:00", datetime(2026, 1, 31, 9, tzinfo=UTC)),
        ("2026-01-31T09:00:00", datetime(2026, 1, 31, 9, tzinfo=UTC)),
        ("2026-01-31", datetime(2026, 1, 31, tzinfo=UTC)),
    ],
)
def test_w3c_datetimes(text, expected):
    assert parse_w3c(text) == expected


@pytest.mark.parametrize("text", ["yesterday", "2026-02-30", "31-01-2026", "2026-01-31T25:00Z"])
def test_bad_datetimes(text):
    assert parse_w3c(text) is None


def test_search_defaults_to_the_last_90_days_and_both_statuses():
    search = parse_search(Params({}), now=NOW)
    assert (search.start, search.end) == (NOW - timedelta(days=90), NOW)
    assert search.statuses == {"open", "closed"}
    assert search.page_size == 1000


def test_one_date_gives_a_90_day_window_from_it():
    search = parse_search(Params({"start_date": ["2026-01-01T00:00:00Z"]}), now=NOW)
    assert search.end - search.start == timedelta(days=90)


def test_ids_override_everything_else():
    params = Params({"service_request_id": ["12, 13,x"], "status": ["nonsense"]})
    search = parse_search(params, now=NOW)
    assert search.ids == [12, 13]


def test_page_size_is_capped():
    assert parse_search(Params({"page_size": ["5000"]}), now=NOW).page_size == 1000


def test_range_over_90_days_is_refused():
    params = Params({"start_date": ["2026-01-01"], "end_date": ["2026-04-15"]})
    with pytest.raises(Open311Error) as raised:
        parse_search(params, now=NOW)
    assert raised.value.status == 400
