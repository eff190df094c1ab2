"""Reading uploaded files: the type from the content, encodings, limits and damaged files."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from tanggap.integrations.lapor import tabular
from tanggap.integrations.lapor.tabular import looks_like_formula, neutralise, read_table

from .conftest import xlsx_bytes

TEXT = "judul,isi\nJalan rusak,Jalan di depan pasar berlubang\n"


def rows_of(table):
    return list(table.rows)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("utf-8-sig"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        ("judul,isi\nCafé ditutup,Pelayanan ‘buruk’\n".encode("cp1252"), "cp1252"),
    ],
)
def test_csv_is_read_in_utf8_with_or_without_bom_utf16_and_windows_1252(data, encoding):
    # when the text is read
    table = read_table(data)

    # then the header has no BOM and the cells are the text as written
    assert table.file_type == "csv" and table.encoding == encoding
    assert table.headers == ["judul", "isi"]
    assert len(rows_of(table)) == 1


def test_windows_1252_punctuation_survives():
    # given a legacy export with curly quotes and an accented letter
    data = "judul;isi\nCafé;“antri” lama\n".encode("cp1252")

    # when it is read (a semicolon file, as Excel writes in Indonesian locales)
    table = read_table(data)

    # then the text is what was typed
    assert rows_of(table) == [(2, ["Café", "“antri” lama"])]


def test_rows_are_numbered_as_a_spreadsheet_shows_them_and_blank_rows_are_skipped():
    table = read_table(b"a,b\n1,2\n,\n3\n")
    assert rows_of(table) == [(2, ["1", "2"]), (4, ["3", ""])]


def test_xlsx_is_read_from_its_content_with_dates_numbers_and_formulas_as_text():
    # given a workbook with a whole number, a date cell and a formula
    from datetime import datetime

    data = xlsx_bytes(
        [["id", "tanggal", "isi"], [5216807, datetime(2024, 1, 2, 8, 30), '=HYPERLINK("x")']]
    )

    # when it is read
    table = read_table(data)

    # then the cells are text, and the formula stays a formula so it can be refused
    assert table.file_type == "xlsx"
    assert rows_of(table) == [(2, ["5216807", "2024-01-02 08:30:00", '=HYPERLINK("x")'])]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "xls"),
        (b"PK\x03\x04 not really a zip", "bad_xlsx"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "encoding"),
        (b"judul,judul\nx,y\n", "duplicate_column"),
        (b",,\n1,2,3\n", "no_header"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(data, code):
    with pytest.raises(ValidationError) as caught:
        rows_of(read_table(data))
    assert caught.value.code == code


def test_a_malformed_csv_is_refused_near_the_row_at_fault():
    # given a quote that never closes
    data = b'judul,isi\n"ok","fine"\n"broken,"text\n'

    # when every row is read
    with pytest.raises(ValidationError) as caught:
        rows_of(read_table(data))

    # then the error says the file is malformed
    assert caught.value.code == "malformed"


def test_oversized_files_and_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_BYTES", 100)
    with pytest.raises(ValidationError) as caught:
        read_table(b"a\n" + b"x\n" * 100)
    assert caught.value.code == "too_large"

    monkeypatch.setattr(tabular, "MAX_BYTES", 10_000)
    monkeypatch.setattr(tabular, "MAX_ROWS", 3)
    with pytest.raises(ValidationError) as caught:
        rows_of(read_table(b"a\n1\n2\n3\n4\n"))
    assert caught.value.code == "too_many_rows"


def test_a_zip_that_would_inflate_too_far_is_refused(monkeypatch):
    # given a "workbook" whose content is highly compressible
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/big.xml", b"0" * 2_000_000)
    monkeypatch.setattr(tabular, "MAX_UNZIPPED", 1_000_000)

    # when it is read, then it is refused before openpyxl unpacks it
    with pytest.raises(ValidationError) as caught:
        read_table(out.getvalue())
    assert caught.value.code == "bomb"


@pytest.mark.parametrize(
    ("value", "formula"),
    [
        ("=1+1", True),
        ('=HYPERLINK("http://x")', True),
        ("@SUM(A1:A2)", True),
        ("+cmd|' /C calc'!A0", True),
        ("-2+3+cmd|' /C calc'!A0", True),
        ("+62 812 0000 1234", False),
        ("- jalan rusak di RT 3", False),
        ("Harga naik 10%", False),
    ],
)
def test_formulas_are_told_apart_from_phones_and_lists(value, formula):
    assert looks_like_formula(value) is formula


def test_neutralise_quotes_every_risky_first_character():
    for value in ("=1+1", "+62", "-5", "@x", "\tx"):
        assert neutralise(value) == "'" + value
    assert neutralise("Jalan rusak") == "Jalan rusak"
