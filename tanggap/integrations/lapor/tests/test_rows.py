"""Checking one row: dates, vocabularies, flags and the key that makes re-imports single."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tanggap.cases.choices import Channel, ReportKind
from tanggap.integrations.lapor.fields import ImportFormat, Target, guess_mapping
from tanggap.integrations.lapor.rows import RowContext, check_row, parse_date

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def ctx(fmt=ImportFormat.GENERIC, **kw):
    return RowContext(
        fmt=fmt, organisation_id=7, tz=WIB, now=NOW, categories={"jalan rusak": 3}, **kw
    )


def check(fmt=ImportFormat.GENERIC, **cells):
    cells = {"received_date": "2025-01-02", "description": "Jalan berlubang."} | cells
    return check_row(cells, {t: f"kolom_{t}" for t in cells}, ctx(fmt))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-01-02", datetime(2025, 1, 2, tzinfo=WIB)),
        ("02/01/2025", datetime(2025, 1, 2, tzinfo=WIB)),
        ("2025-01-02 08:30", datetime(2025, 1, 2, 8, 30, tzinfo=WIB)),
        ("2025-01-02T08:30:15", datetime(2025, 1, 2, 8, 30, 15, tzinfo=WIB)),
        ("2025-01-02 08:30:15.250000", datetime(2025, 1, 2, 8, 30, 15, tzinfo=WIB)),
    ],
)
def test_dates_in_common_spreadsheet_forms_are_read_in_the_files_time_zone(raw, expected):
    row = check(received_date=raw)
    assert not row.errors
    assert datetime.fromisoformat(row.values["received_at"]) == expected


@pytest.mark.parametrize("raw", ["2025-13-01", "kemarin", "2025-01-02 25:00", "1/2"])
def test_impossible_dates_are_errors(raw):
    assert [e["code"] for e in check(received_date=raw).errors] == ["bad_date"]
    assert parse_date(raw) == (None, None)


def test_a_time_column_completes_the_date_and_a_bad_one_is_an_error():
    row = check(received_time="21.05")
    assert datetime.fromisoformat(row.values["received_at"]).hour == 21
    assert [e["code"] for e in check(received_time="jam sembilan").errors] == ["bad_time"]


def test_dates_before_2000_are_errors():
    assert [e["code"] for e in check(received_date="1999-12-31").errors] == ["old_date"]


def test_lapor_words_map_to_our_kinds_channels_and_privacy():
    row = check(
        ImportFormat.LAPOR,
        external_id="5216807",
        kind="Permintaan Informasi",
        channel="Website - pemerintah-kabupaten-Bandung",
        anonymous="Rahasia",
        category="JALAN  Rusak",
    )
    assert not row.errors
    assert row.values["kind"] == ReportKind.INFORMATION_REQUEST
    assert row.values["channel"] == Channel.LAPOR
    assert row.values["is_confidential"] and not row.values["is_anonymous"]
    assert row.values["category_id"] == 3
    assert (row.source, row.key) == ("lapor", "5216807")


def test_a_flag_that_is_neither_yes_nor_no_is_an_error():
    assert [e["code"] for e in check(anonymous="mungkin").errors] == ["bad_flag"]


def test_a_lapor_row_needs_a_sane_tracking_id():
    assert [e["code"] for e in check(ImportFormat.LAPOR).errors] == ["required"]
    assert [e["code"] for e in check(ImportFormat.LAPOR, external_id="<x>").errors] == ["bad_id"]


def test_the_row_key_ignores_spacing_and_case_but_not_content():
    a = check(title="Lampu  mati", description="Lampu jalan mati.")
    b = check(title="lampu mati", description="Lampu   jalan mati.")
    c = check(title="lampu mati", description="Lampu taman mati.")
    assert a.key == b.key != c.key
    assert a.key.startswith("7:h:")


def test_long_titles_are_shortened_and_missing_ones_taken_from_the_text():
    row = check(title="x" * 250)
    assert len(row.values["title"]) == 200 and row.notices[0]["code"] == "title_cut"
    row = check(description="Sampah tidak diangkut sejak minggu lalu di pasar.")
    assert row.values["title"].startswith("Sampah tidak diangkut")


def test_the_mapping_is_guessed_from_header_names():
    headers = ["No", "Tanggal", "Isi Laporan", "Kanal", "Lain"]
    assert guess_mapping(headers) == {
        Target.EXTERNAL_ID: "No",
        Target.RECEIVED_DATE: "Tanggal",
        Target.CHANNEL: "Kanal",
        Target.DESCRIPTION: "Isi Laporan",
    }
