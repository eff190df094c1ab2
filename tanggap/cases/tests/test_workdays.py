"""Test the working-day clock against hand-computed 2026/2027 deadlines.

Clocks follow domain.md 2.4b ("3 hari kerja" verification and "5 hari kerja"
follow-up per LAPOR!; UU 25/2009 "hari" clocks) and domain.md 7 / stack.md 6
(public holidays plus cuti bersama from ``holidays`` 0.109, category
"government"). Every expected value below was worked out on a paper calendar.
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest

from tanggap.cases.workdays import (
    TIMEZONES,
    WorkCalendar,
    add_calendar_days,
    add_working_days,
    national_non_working_days,
    working_days_between,
)

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")

NATIONAL = national_non_working_days([2026, 2027])


def wib_calendar(**overrides) -> WorkCalendar:
    """Build a Monday-Friday WIB calendar with national closures."""
    return WorkCalendar(**{"tz": WIB, "closed_days": NATIONAL, **overrides})


def end_of_day(year: int, month: int, day: int, tz: ZoneInfo = WIB) -> datetime:
    """Spell out the chosen deadline convention for a local date."""
    return datetime(year, month, day, 23, 59, 59, 999999, tzinfo=tz)


# --- weekends -------------------------------------------------------------


def test_monday_afternoon_plus_three_is_thursday_end_of_day():
    # given a report received Monday 16 Nov 2026 15:00 WIB (no holidays that week)
    start = datetime(2026, 11, 16, 15, 0, tzinfo=WIB)
    # when the 3 hari kerja verification clock runs
    deadline = add_working_days(start, 3, wib_calendar())
    # then it is due at the end of Thursday 19 Nov
    assert deadline == end_of_day(2026, 11, 19)


def test_saturday_report_starts_counting_on_monday():
    # given a report received Saturday 21 Nov 2026
    start = datetime(2026, 11, 21, 10, 0, tzinfo=WIB)
    # when 3 working days are added
    deadline = add_working_days(start, 3, wib_calendar())
    # then Mon 23, Tue 24, Wed 25 count: due Wednesday end of day
    assert deadline == end_of_day(2026, 11, 25)


def test_friday_report_skips_the_weekend():
    # given a report received Friday 20 Nov 2026 08:00
    start = datetime(2026, 11, 20, 8, 0, tzinfo=WIB)
    # when the 5 hari kerja follow-up clock runs
    deadline = add_working_days(start, 5, wib_calendar())
    # then Mon 23 .. Fri 27 count
    assert deadline == end_of_day(2026, 11, 27)


def test_deadline_is_next_local_midnight_minus_one_microsecond():
    # given a Monday report
    start = datetime(2026, 11, 16, 15, 0, tzinfo=WIB)
    # when one working day is added
    deadline = add_working_days(start, 1, wib_calendar())
    # then the deadline is one microsecond before Wednesday 00:00 WIB
    assert deadline == datetime(2026, 11, 17, 23, 59, 59, 999999, tzinfo=WIB)
    assert deadline + timedelta(microseconds=1) == datetime(2026, 11, 18, 0, 0, tzinfo=WIB)
    assert deadline.utcoffset() == timedelta(hours=7)


def test_six_day_unit_counts_saturday():
    # given a unit that works Monday-Saturday
    cal = wib_calendar(working_weekdays=frozenset(range(6)))
    # when a Friday report gets 1 working day
    deadline = add_working_days(datetime(2026, 11, 20, 9, 0, tzinfo=WIB), 1, cal)
    # then Saturday 21 Nov is the due day
    assert deadline == end_of_day(2026, 11, 21)


# --- days = 0 -------------------------------------------------------------


def test_zero_days_on_a_working_day_is_end_of_that_day():
    # given a Monday morning report, when 0 days are added, then due Monday night
    deadline = add_working_days(datetime(2026, 11, 16, 9, 0, tzinfo=WIB), 0, wib_calendar())
    assert deadline == end_of_day(2026, 11, 16)


def test_zero_days_on_a_weekend_is_end_of_next_working_day():
    # given a Saturday report, when 0 days are added, then due Monday night
    deadline = add_working_days(datetime(2026, 11, 21, 9, 0, tzinfo=WIB), 0, wib_calendar())
    assert deadline == end_of_day(2026, 11, 23)


def test_zero_days_on_a_holiday_is_end_of_next_working_day():
    # given a report on Independence Day, Monday 17 Aug 2026
    deadline = add_working_days(datetime(2026, 8, 17, 9, 0, tzinfo=WIB), 0, wib_calendar())
    # then it is due Tuesday 18 Aug night
    assert deadline == end_of_day(2026, 8, 18)


# --- national holidays and cuti bersama -----------------------------------


def test_independence_day_is_skipped():
    # given a report on Friday 14 Aug 2026; Monday 17 Aug is Hari Kemerdekaan
    start = datetime(2026, 8, 14, 10, 0, tzinfo=WIB)
    # when 3 working days are added
    deadline = add_working_days(start, 3, wib_calendar())
    # then Tue 18, Wed 19, Thu 20 count
    assert deadline == end_of_day(2026, 8, 20)


def test_maulid_midweek_holiday_is_skipped():
    # given a report on Friday 21 Aug 2026; Tuesday 25 Aug is Maulid Nabi
    start = datetime(2026, 8, 21, 10, 0, tzinfo=WIB)
    # when 5 working days are added
    deadline = add_working_days(start, 5, wib_calendar())
    # then Mon 24, Wed 26, Thu 27, Fri 28, Mon 31 count
    assert deadline == end_of_day(2026, 8, 31)


def test_cuti_bersama_is_skipped_only_thanks_to_the_government_category():
    # given Wed 23 Dec 2026; Thu 24 Dec is cuti bersama Natal, Fri 25 Dec is Natal
    start = datetime(2026, 12, 23, 10, 0, tzinfo=WIB)
    public_only = frozenset(holidays.country_holidays("ID", years=2026).keys())
    assert date(2026, 12, 24) not in public_only
    assert date(2026, 12, 24) in NATIONAL
    # when 1 working day is added with a public-holiday-only calendar
    naive_deadline = add_working_days(start, 1, WorkCalendar(tz=WIB, closed_days=public_only))
    # and with public holidays plus cuti bersama
    deadline = add_working_days(start, 1, wib_calendar())
    # then only the full calendar skips 24 Dec (and the weekend) to Monday 28 Dec
    assert naive_deadline == end_of_day(2026, 12, 24)
    assert deadline == end_of_day(2026, 12, 28)


def test_imlek_cuti_bersama_and_holiday_are_both_skipped():
    # given Fri 13 Feb 2026; Mon 16 Feb is cuti bersama, Tue 17 Feb is Imlek
    start = datetime(2026, 2, 13, 14, 0, tzinfo=WIB)
    # when 1 working day is added
    deadline = add_working_days(start, 1, wib_calendar())
    # then Wednesday 18 Feb is the due day
    assert deadline == end_of_day(2026, 2, 18)


def test_national_non_working_days_2026_matches_the_research_list():
    # given the 2026 dates listed in stack.md 6 (17 public + 8 cuti bersama)
    expected = {
        date(2026, 1, 1), date(2026, 1, 16), date(2026, 2, 16), date(2026, 2, 17),
        date(2026, 3, 18), date(2026, 3, 19), date(2026, 3, 20), date(2026, 3, 21),
        date(2026, 3, 22), date(2026, 3, 23), date(2026, 3, 24), date(2026, 4, 3),
        date(2026, 4, 5), date(2026, 5, 1), date(2026, 5, 14), date(2026, 5, 15),
        date(2026, 5, 27), date(2026, 5, 28), date(2026, 5, 31), date(2026, 6, 1),
        date(2026, 6, 16), date(2026, 8, 17), date(2026, 8, 25), date(2026, 12, 24),
        date(2026, 12, 25),
    }  # fmt: skip
    # when the helper is asked for 2026 (twice, to go through the cache)
    first = national_non_working_days([2026])
    second = national_non_working_days(iter([2026]))
    # then exactly those 25 dates come back
    assert first == expected
    assert second == expected


def test_idul_fitri_2026_block_is_one_long_stretch():
    # given Tue 17 Mar 2026; 18-24 Mar are Nyepi, Idul Fitri, cuti bersama and a weekend
    start = datetime(2026, 3, 17, 9, 0, tzinfo=WIB)
    cal = wib_calendar()
    # when the 3 and 5 working-day clocks run
    verification = add_working_days(start, 3, cal)
    follow_up = add_working_days(start, 5, cal)
    # then counting resumes Wed 25 Mar: Wed 25, Thu 26, Fri 27 / Mon 30, Tue 31
    assert verification == end_of_day(2026, 3, 27)
    assert follow_up == end_of_day(2026, 3, 31)


def test_report_inside_idul_fitri_block_with_zero_days():
    # given a report on Idul Fitri itself, Saturday 21 Mar 2026
    deadline = add_working_days(datetime(2026, 3, 21, 11, 0, tzinfo=WIB), 0, wib_calendar())
    # then the first working day after the block, Wed 25 Mar, is the due day
    assert deadline == end_of_day(2026, 3, 25)


def test_new_year_crosses_into_2027_holidays():
    # given Wed 30 Dec 2026; Fri 1 Jan 2027 is Tahun Baru
    start = datetime(2026, 12, 30, 9, 0, tzinfo=WIB)
    # when 3 working days are added
    deadline = add_working_days(start, 3, wib_calendar())
    # then Thu 31 Dec and Mon 4 Jan count; Tue 5 Jan 2027 is Isra Mikraj in
    # holidays 0.109, so Wed 6 Jan is the third working day
    assert deadline == end_of_day(2027, 1, 6)


# --- unit closures and extra working days ---------------------------------


def test_unit_closure_is_skipped():
    # given a unit closed on Wednesday 18 Nov 2026 (e.g. office move)
    cal = wib_calendar(closed_days=NATIONAL | {date(2026, 11, 18)})
    # when a Monday report gets 3 working days
    deadline = add_working_days(datetime(2026, 11, 16, 15, 0, tzinfo=WIB), 3, cal)
    # then Tue 17, Thu 19, Fri 20 count
    assert deadline == end_of_day(2026, 11, 20)
    assert not cal.is_working_day(date(2026, 11, 18))


def test_extra_working_saturday_is_counted():
    # given a Saturday service day on 21 Nov 2026
    cal = wib_calendar(extra_working_days=frozenset({date(2026, 11, 21)}))
    # when a Friday report gets 1 working day
    deadline = add_working_days(datetime(2026, 11, 20, 9, 0, tzinfo=WIB), 1, cal)
    # then Saturday is the due day
    assert deadline == end_of_day(2026, 11, 21)


def test_extra_working_day_overrides_a_national_holiday():
    # given a unit that opens on Independence Day, Monday 17 Aug 2026
    cal = wib_calendar(extra_working_days=frozenset({date(2026, 8, 17)}))
    # when a Friday 14 Aug report gets 1 working day
    deadline = add_working_days(datetime(2026, 8, 14, 9, 0, tzinfo=WIB), 1, cal)
    # then 17 Aug counts
    assert deadline == end_of_day(2026, 8, 17)


# --- 24-hour units --------------------------------------------------------


def test_open_24h_unit_counts_calendar_hours_through_weekend_and_holiday():
    # given a 24/7 unit (SPKT) and a report on Friday 14 Aug 2026 10:00 WIB
    cal = wib_calendar(open_24h=True)
    start = datetime(2026, 8, 14, 10, 0, tzinfo=WIB)
    # when 3 "days" are added
    deadline = add_working_days(start, 3, cal)
    # then exactly 72 hours later, ignoring Sat, Sun and Mon 17 Aug
    assert deadline == datetime(2026, 8, 17, 10, 0, tzinfo=WIB)
    assert cal.is_working_day(date(2026, 8, 16))
    assert cal.is_working_day(date(2026, 8, 17))


def test_open_24h_result_is_in_the_unit_zone_and_zero_is_start():
    # given a 24/7 WIT unit and a start expressed in UTC
    cal = WorkCalendar(tz=WIT, open_24h=True)
    start = datetime(2026, 11, 20, 16, 30, tzinfo=UTC)
    # when 1 and 0 days are added
    one = add_working_days(start, 1, cal)
    zero = add_working_days(start, 0, cal)
    # then 24 h later is Sunday 22 Nov 01:30 WIT, and 0 days is the same instant
    assert one == datetime(2026, 11, 22, 1, 30, tzinfo=WIT)
    assert one.utcoffset() == timedelta(hours=9)
    assert zero == datetime(2026, 11, 21, 1, 30, tzinfo=WIT)


# --- time zones -----------------------------------------------------------


def test_timezone_table():
    # given the unit zone codes, then they map to the Indonesian IANA zones
    assert TIMEZONES == {
        "WIB": "Asia/Jakarta",
        "WITA": "Asia/Makassar",
        "WIT": "Asia/Jayapura",
    }
    instant = datetime(2026, 1, 1, tzinfo=UTC)
    offsets = {
        code: instant.astimezone(ZoneInfo(key)).utcoffset() for code, key in TIMEZONES.items()
    }
    assert offsets == {
        "WIB": timedelta(hours=7),
        "WITA": timedelta(hours=8),
        "WIT": timedelta(hours=9),
    }


@pytest.mark.parametrize(
    ("tz", "expected"),
    [
        # 2026-11-20 16:30 UTC = Friday 23:30 WIB: Friday is a working day
        (WIB, datetime(2026, 11, 20, 23, 59, 59, 999999, tzinfo=WIB)),
        # = Saturday 00:30 WITA: next working day is Monday 23 Nov
        (WITA, datetime(2026, 11, 23, 23, 59, 59, 999999, tzinfo=WITA)),
        # = Saturday 01:30 WIT: also Monday 23 Nov, but in WIT
        (WIT, datetime(2026, 11, 23, 23, 59, 59, 999999, tzinfo=WIT)),
    ],
)
def test_same_instant_near_midnight_gives_zone_dependent_same_day_deadline(tz, expected):
    # given one UTC instant and units in different zones
    start = datetime(2026, 11, 20, 16, 30, tzinfo=UTC)
    # when 0 working days are added
    deadline = add_working_days(start, 0, WorkCalendar(tz=tz, closed_days=NATIONAL))
    # then each zone's local date decides
    assert deadline == expected
    assert deadline.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    ("tz", "expected_utc"),
    [
        # 2026-11-19 15:30 UTC = Thu 22:30 WIB -> Fri 20 Nov 23:59:59.999999 WIB
        (WIB, datetime(2026, 11, 20, 16, 59, 59, 999999, tzinfo=UTC)),
        # = Thu 23:30 WITA -> Fri 20 Nov 23:59:59.999999 WITA
        (WITA, datetime(2026, 11, 20, 15, 59, 59, 999999, tzinfo=UTC)),
        # = Fri 00:30 WIT -> Mon 23 Nov 23:59:59.999999 WIT
        (WIT, datetime(2026, 11, 23, 14, 59, 59, 999999, tzinfo=UTC)),
    ],
)
def test_same_instant_near_midnight_gives_zone_dependent_next_day_deadline(tz, expected_utc):
    # given one UTC instant and units in different zones
    start = datetime(2026, 11, 19, 15, 30, tzinfo=UTC)
    # when 1 working day is added
    deadline = add_working_days(start, 1, WorkCalendar(tz=tz, closed_days=NATIONAL))
    # then the deadlines differ as instants and are expressed in the unit zone
    assert deadline == expected_utc
    assert deadline.tzinfo is tz


# --- calendar days (UU 25/2009 "hari") ------------------------------------


def test_add_calendar_days_ignores_weekends_and_holidays():
    # given Fri 14 Aug 2026 (17 Aug holiday follows)
    start = datetime(2026, 8, 14, 10, 0, tzinfo=WIB)
    # when the 14-hari tanggapan clock runs
    deadline = add_calendar_days(start, 14, wib_calendar())
    # then it is due at the end of Friday 28 Aug
    assert deadline == end_of_day(2026, 8, 28)


def test_add_calendar_days_uses_the_unit_local_date_and_crosses_years():
    # given 2026-11-20 16:30 UTC, which is already Saturday 21 Nov in WITA
    start = datetime(2026, 11, 20, 16, 30, tzinfo=UTC)
    # when 14 calendar days are added for a WITA unit, and 14 from 20 Dec for WIB
    wita = add_calendar_days(start, 14, WorkCalendar(tz=WITA))
    year_end = add_calendar_days(datetime(2026, 12, 20, 8, 0, tzinfo=WIB), 14, wib_calendar())
    # then 5 Dec WITA and 3 Jan 2027 WIB
    assert wita == end_of_day(2026, 12, 5, WITA)
    assert year_end == end_of_day(2027, 1, 3)


def test_add_calendar_days_zero_is_end_of_same_day_even_on_sunday():
    deadline = add_calendar_days(datetime(2026, 11, 22, 8, 0, tzinfo=WIB), 0, wib_calendar())
    assert deadline == end_of_day(2026, 11, 22)


# --- working_days_between -------------------------------------------------


def test_working_days_between_counts_after_start_up_to_end():
    # given a Monday 15:00 report answered Thursday 10:00
    start = datetime(2026, 11, 16, 15, 0, tzinfo=WIB)
    end = datetime(2026, 11, 19, 10, 0, tzinfo=WIB)
    # when the working days between are counted
    # then Tue, Wed and Thu count
    assert working_days_between(start, end, wib_calendar()) == 3


def test_working_days_between_skips_holiday_and_weekend():
    # given Fri 14 Aug 2026 to Mon 24 Aug 2026 (17 Aug holiday, two weekends)
    start = datetime(2026, 8, 14, 9, 0, tzinfo=WIB)
    end = datetime(2026, 8, 24, 9, 0, tzinfo=WIB)
    # then Tue 18, Wed 19, Thu 20, Fri 21, Mon 24 count
    assert working_days_between(start, end, wib_calendar()) == 5


def test_working_days_between_across_idul_fitri_block():
    # given Tue 17 Mar 2026 to Wed 25 Mar 2026
    start = datetime(2026, 3, 17, 9, 0, tzinfo=WIB)
    end = datetime(2026, 3, 25, 9, 0, tzinfo=WIB)
    # then only Wed 25 Mar counts
    assert working_days_between(start, end, wib_calendar()) == 1


def test_working_days_between_is_zero_for_same_day_or_reversed():
    start = datetime(2026, 11, 16, 9, 0, tzinfo=WIB)
    assert working_days_between(start, start, wib_calendar()) == 0
    assert working_days_between(start, start + timedelta(hours=10), wib_calendar()) == 0
    assert working_days_between(start, start - timedelta(days=3), wib_calendar()) == 0


def test_working_days_between_uses_local_dates():
    # given 2026-11-19 16:30 UTC (Thu 23:30 WIB, Fri 00:30 WITA) and 2026-11-20 02:00 UTC
    start = datetime(2026, 11, 19, 16, 30, tzinfo=UTC)
    end = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    # then WIB sees Thu -> Fri (1 day) while WITA sees Fri -> Fri (0 days)
    assert working_days_between(start, end, WorkCalendar(tz=WIB)) == 1
    assert working_days_between(start, end, WorkCalendar(tz=WITA)) == 0


def test_working_days_between_open_24h_counts_every_day():
    # given a 24/7 unit, Fri 14 Aug to Mon 17 Aug 2026
    cal = wib_calendar(open_24h=True)
    start = datetime(2026, 8, 14, 9, 0, tzinfo=WIB)
    end = datetime(2026, 8, 17, 9, 0, tzinfo=WIB)
    # then Sat, Sun and the holiday all count
    assert working_days_between(start, end, cal) == 3


# --- rejected input -------------------------------------------------------


def test_naive_datetimes_are_rejected():
    naive = datetime(2026, 11, 16, 15, 0)
    aware = datetime(2026, 11, 16, 15, 0, tzinfo=WIB)
    cal = wib_calendar()
    with pytest.raises(ValueError, match="aware"):
        add_working_days(naive, 3, cal)
    with pytest.raises(ValueError, match="aware"):
        add_working_days(naive, 3, wib_calendar(open_24h=True))
    with pytest.raises(ValueError, match="aware"):
        add_calendar_days(naive, 3, cal)
    with pytest.raises(ValueError, match="aware"):
        working_days_between(naive, aware, cal)
    with pytest.raises(ValueError, match="aware"):
        working_days_between(aware, naive, cal)


def test_negative_days_are_rejected():
    start = datetime(2026, 11, 16, 15, 0, tzinfo=WIB)
    with pytest.raises(ValueError, match=">= 0"):
        add_working_days(start, -1, wib_calendar())
    with pytest.raises(ValueError, match=">= 0"):
        add_working_days(start, -1, wib_calendar(open_24h=True))
    with pytest.raises(ValueError, match=">= 0"):
        add_calendar_days(start, -1, wib_calendar())


def test_calendar_without_working_days_raises_instead_of_looping():
    # given a misconfigured calendar with no working weekday
    cal = WorkCalendar(tz=WIB, working_weekdays=frozenset())
    start = datetime(2026, 11, 16, 15, 0, tzinfo=WIB)
    # then both the counting and the zero-day path give up with ValueError
    with pytest.raises(ValueError, match="no working day"):
        add_working_days(start, 3, cal)
    with pytest.raises(ValueError, match="no working day"):
        add_working_days(start, 0, cal)


def test_weekday_numbers_outside_the_week_are_rejected():
    with pytest.raises(ValueError, match="0..6"):
        WorkCalendar(tz=WIB, working_weekdays=frozenset({0, 7}))
