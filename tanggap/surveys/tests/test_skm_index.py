"""The skm_index command and its file reader, on CSV and XLSX files built in tmp_path."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from tanggap.surveys.elements import ELEMENT_KEYS, QUESTIONNAIRE_ORDER
from tanggap.surveys.management.commands.skm_index import Command
from tanggap.surveys.spreadsheet import SpreadsheetError, read_answers
from tanggap.surveys.tests.gaspul import GASPUL_COUNTS, GASPUL_SUMS

# The synthetic GASPUL vector (domain.md 1.9): n = 29, U1..U9 sums 105, 101, 100, 116,
# 102, 105, 106, 105, 115. The source names U8 = sarana (105) and U9 = pengaduan (115),
# as tanggap/surveys/tests/test_index.py records; keyed by element here.
# 25 x 955 / 261, written out rather than computed by the code under test.
GASPUL_IKM = 91.47509578544062


def gaspul_rows():
    """Return the 29 GASPUL respondents as lists in questionnaire order (sarana, pengaduan)."""
    columns = {
        key: [value for value, count in sorted(counts.items(), reverse=True) for _ in range(count)]
        for key, counts in GASPUL_COUNTS.items()
    }
    return [[columns[key][i] for key in QUESTIONNAIRE_ORDER] for i in range(29)]


def write_csv(path, header, rows, delimiter=",", bom=False):
    """Write a CSV file of ``header`` and ``rows`` (None = blank cell) and return its path."""
    lines = [delimiter.join(header)]
    lines += [delimiter.join("" if cell is None else str(cell) for cell in row) for row in rows]
    path.write_text(("\ufeff" if bom else "") + "\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def write_xlsx(path, header, rows):
    """Write an XLSX workbook with one sheet of ``header`` and ``rows`` and return its path."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def run(path, *args):
    """Run the command and return its JSON output."""
    out = io.StringIO()
    call_command("skm_index", str(path), *args, stdout=out)
    return json.loads(out.getvalue())


def run_failing(path, *args):
    """Run the command expecting a CommandError; return its message and the stdout text."""
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("skm_index", str(path), *args, stdout=out)
    return str(raised.value), out.getvalue()


# --- the GASPUL vector --------------------------------------------------------


def test_gaspul_rows_give_the_domain_sums():
    # given the constructed rows
    rows = gaspul_rows()
    # then each column sums as in domain.md 1.9, 955 in all
    sums = {key: sum(row[i] for row in rows) for i, key in enumerate(QUESTIONNAIRE_ORDER)}
    assert sums == GASPUL_SUMS
    assert sum(sums.values()) == 955
    assert len(rows) == 29


def test_gaspul_csv_gives_91_4751_grade_a(tmp_path):
    # given the GASPUL answers as a plain comma CSV, sarana before pengaduan
    path = write_csv(tmp_path / "gaspul.csv", QUESTIONNAIRE_ORDER, gaspul_rows())
    # when the command runs on it
    data = run(path)
    # then IKM = 25 x 955/261 = 91.4751 -> 91.48, grade A, over 29 respondents
    assert round(data["ikm"], 4) == round(GASPUL_IKM, 4) == 91.4751
    assert data["ikm"] == pytest.approx(GASPUL_IKM, abs=1e-9)
    assert data["ikm_rounded"] == 91.48
    assert (data["grade"], data["grade_label"]) == ("A", "Sangat baik")
    assert data["respondents"] == 29
    # and the NRRs are sum / 29 per element, keyed by name, every key present
    assert list(data["nrr"]) == list(ELEMENT_KEYS)
    assert data["nrr"] == pytest.approx({key: s / 29 for key, s in GASPUL_SUMS.items()})
    assert data["weights"] == "equal"
    assert data["legacy_weights_used"] is False
    assert data["missing_elements"] == []
    # and the weakest element (lowest NRR) comes first, the strongest last
    assert data["weakest"][0] == "waktu"
    assert data["weakest"][-1] == "biaya"
    assert sorted(data["weakest"]) == sorted(ELEMENT_KEYS)


def test_gaspul_xlsx_gives_the_same_json_as_csv(tmp_path):
    # given the same answers as CSV and as XLSX (numbers stored as numbers)
    csv_path = write_csv(tmp_path / "gaspul.csv", QUESTIONNAIRE_ORDER, gaspul_rows())
    xlsx_path = write_xlsx(tmp_path / "gaspul.xlsx", QUESTIONNAIRE_ORDER, gaspul_rows())
    # when the command runs on both
    # then the output is identical
    assert run(xlsx_path) == run(csv_path)
    assert run(xlsx_path)["ikm"] == pytest.approx(GASPUL_IKM, abs=1e-9)


def test_semicolon_csv_with_extra_columns_and_capitalised_headers(tmp_path):
    # given an Indonesian-locale Excel export: ';', a BOM, extra columns, odd header case
    header = ["Nama", *(f" {key.capitalize()} " for key in QUESTIONNAIRE_ORDER), "Tanggal"]
    rows = [[f"Responden {i}", *row, "01/07/2025"] for i, row in enumerate(gaspul_rows())]
    path = write_csv(tmp_path / "ekspor.csv", header, rows, delimiter=";", bom=True)
    # when the command runs
    data = run(path)
    # then the extra columns are ignored and the result is the GASPUL one
    assert data["ikm"] == pytest.approx(GASPUL_IKM, abs=1e-9)
    assert data["respondents"] == 29


def test_semicolon_csv_with_commas_in_an_ignored_column(tmp_path):
    # given ';' as delimiter and a free-text column full of commas
    path = tmp_path / "saran.csv"
    header = ";".join(["Saran, kritik", *ELEMENT_KEYS])
    path.write_text(f'{header}\n"Cepat, ramah, bersih";{";".join("4" * 9)}\n', encoding="utf-8")
    # when the command runs
    data = run(path)
    # then ';' was recognised from the header
    assert data["ikm"] == 100.0


def test_blank_cells_are_unanswered_not_zero(tmp_path):
    # given three respondents; one left "waktu" blank and another left "biaya" blank
    rows = [
        {**dict.fromkeys(ELEMENT_KEYS, 4), "waktu": 2},
        {**dict.fromkeys(ELEMENT_KEYS, 4), "waktu": None},
        {**dict.fromkeys(ELEMENT_KEYS, 4), "biaya": None, "waktu": 3},
    ]
    path = write_csv(tmp_path / "blank.csv", ELEMENT_KEYS, [list(r.values()) for r in rows])
    # when the command runs
    data = run(path)
    # then each NRR is over those who answered that element
    assert data["nrr"]["waktu"] == 2.5  # (2 + 3) / 2, not (2 + 0 + 3) / 3
    assert data["nrr"]["biaya"] == 4.0  # (4 + 4) / 2
    assert data["respondents"] == 3
    # and the IKM is 25 x the mean NRR
    assert data["ikm"] == pytest.approx(25 * (8 * 4 + 2.5) / 9)


def test_blank_rows_and_name_only_rows_are_skipped(tmp_path):
    # given a blank line and a row with only a name between respondents
    path = tmp_path / "gaps.csv"
    path.write_text(
        "Nama,"
        + ",".join(ELEMENT_KEYS)
        + "\nA,"
        + ",".join("4" * 9)
        + "\n\n,,,,,,,,,\nB"
        + ","
        + ",".join("2" * 9)
        + "\nC,,,,,,,,,\n",
        encoding="utf-8",
    )
    # when the file is read
    answers = read_answers(path)
    # then only the two answering rows remain
    assert answers == [dict.fromkeys(ELEMENT_KEYS, 4), dict.fromkeys(ELEMENT_KEYS, 2)]
    assert run(path)["respondents"] == 2


def test_all_4_gives_exactly_100(tmp_path):
    # given respondents answering 4 everywhere, as numbers (XLSX) and as text (CSV)
    rows = [[4] * 9, [4.0] * 9, ["4"] * 9]
    xlsx = run(write_xlsx(tmp_path / "empat.xlsx", ELEMENT_KEYS, rows))
    csv_ = run(write_csv(tmp_path / "empat.csv", ELEMENT_KEYS, [[4] * 9, ["4.0"] * 9]))
    # then the IKM is exactly 100, grade A
    for data in (xlsx, csv_):
        assert data["ikm"] == 100.0
        assert data["ikm_rounded"] == 100.0
        assert data["grade"] == "A"
        assert set(data["nrr"].values()) == {4.0}


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("1", 1), (" 2 ", 2), ("3.0", 3), ("3,0", 3), ("4,00", 4), (3, 3), (2.0, 2), ("", None)],
)
def test_accepted_cell_forms(tmp_path, cell, expected):
    # given a cell written as text or a number in an XLSX file
    path = write_xlsx(tmp_path / "cell.xlsx", ["persyaratan", "prosedur"], [[cell, 4]])
    # when the file is read
    # then the cell is the answer (or unanswered)
    assert read_answers(path)[0]["persyaratan"] == expected


# --- bad rows -----------------------------------------------------------------


def test_bad_rows_are_all_reported_and_nothing_is_printed(tmp_path):
    # given bad answers (5, "x", 0) in two different rows among good ones
    rows = [[4] * 9, [5, "x", *[4] * 7], [3] * 9, [*[4] * 8, 0]]
    path = write_csv(tmp_path / "bad.csv", ELEMENT_KEYS, rows)
    # when the command runs
    message, stdout = run_failing(path)
    # then the error names both rows (header = row 1), each column and reason
    assert "row 3, column persyaratan" in message
    assert "row 3, column prosedur" in message
    assert "row 5, column sarana" in message
    assert "'5'" in message and "'x'" in message and "'0'" in message
    assert "3 bad cells in 2 rows" in message
    # and nothing reached stdout
    assert stdout == ""


def test_bad_rows_are_collected_as_tuples(tmp_path):
    # given an XLSX whose bad cells sit below a blank row, one of them a float
    header = ["Nama", "Persyaratan", "Waktu"]
    rows = [["A", 4, 3], [None, None, None], ["B", 4.5, 2], ["C", True, "tiga"]]
    path = write_xlsx(tmp_path / "bad.xlsx", header, rows)
    # when the file is read
    with pytest.raises(SpreadsheetError) as raised:
        read_answers(path)
    # then every bad cell is listed with the row number a spreadsheet shows
    assert [(row, column) for row, column, _ in raised.value.errors] == [
        (4, "Persyaratan"),
        (5, "Persyaratan"),
        (5, "Waktu"),
    ]
    assert "4.5" in raised.value.errors[0][2]
    assert raised.value.error_count == 3


def test_errors_go_to_stderr_with_a_non_zero_exit(tmp_path, capsys):
    # given a file with a bad answer
    path = write_csv(tmp_path / "bad.csv", ELEMENT_KEYS, [[9] * 9])
    # when the command runs as from manage.py
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["manage.py", "skm_index", str(path)])
    # then it exits non-zero, errors on stderr, nothing on stdout
    captured = capsys.readouterr()
    assert exited.value.code != 0
    assert "row 2, column persyaratan" in captured.err
    assert captured.out == ""


# --- malformed files ----------------------------------------------------------


def test_header_with_no_element_column(tmp_path):
    # given a header of unknown columns only
    path = write_csv(tmp_path / "unknown.csv", ["Nama", "Nilai", "U1"], [["A", 4, 4]])
    # when the command runs
    message, stdout = run_failing(path)
    # then it says no element column was found and lists the expected keys
    assert "no element column" in message
    assert "persyaratan" in message and "'U1'" in message
    assert stdout == ""


def test_empty_file(tmp_path):
    path = tmp_path / "kosong.csv"
    path.write_bytes(b"")
    message, stdout = run_failing(path)
    assert "is empty" in message
    assert stdout == ""


def test_blank_lines_only(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text("\n \n;;\n", encoding="utf-8")
    message, _ = run_failing(path)
    assert "no header row" in message


def test_header_without_answers(tmp_path):
    path = write_csv(tmp_path / "header.csv", ELEMENT_KEYS, [])
    message, _ = run_failing(path)
    assert "no answers below it" in message


def test_binary_junk_named_xlsx(tmp_path):
    # given random bytes with an .xlsx name
    path = tmp_path / "junk.xlsx"
    path.write_bytes(bytes(range(256)) * 4)
    # when the command runs
    message, stdout = run_failing(path)
    # then it is refused as not a workbook
    assert "not a valid XLSX workbook" in message
    assert stdout == ""


def test_truncated_xlsx(tmp_path):
    # given a real workbook cut in half
    whole = write_xlsx(tmp_path / "whole.xlsx", ELEMENT_KEYS, [[4] * 9]).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    message, _ = run_failing(path)
    assert "not a valid XLSX workbook" in message


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "other.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    message, _ = run_failing(path)
    assert "not a readable XLSX workbook" in message


def test_binary_junk_named_csv(tmp_path):
    path = tmp_path / "junk.csv"
    path.write_bytes(b"\x00\x01\x02persyaratan\x00")
    message, _ = run_failing(path)
    assert "binary data" in message


def test_legacy_xls_is_refused_with_advice(tmp_path):
    path = tmp_path / "lama.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    message, _ = run_failing(path)
    assert ".xlsx or CSV" in message


def test_xlsx_content_under_a_csv_name_is_read_as_xlsx(tmp_path):
    # given a workbook saved with a .csv name
    path = tmp_path / "renamed.csv"
    path.write_bytes(write_xlsx(tmp_path / "w.xlsx", ELEMENT_KEYS, [[4] * 9]).read_bytes())
    # then the content decides
    assert run(path)["ikm"] == 100.0


def test_duplicate_element_column(tmp_path):
    path = write_csv(tmp_path / "dup.csv", [*ELEMENT_KEYS, "Waktu"], [[4] * 10])
    message, _ = run_failing(path)
    assert "two 'waktu' columns" in message


def test_missing_file(tmp_path):
    message, _ = run_failing(tmp_path / "nowhere.csv")
    assert "cannot read" in message


def test_too_many_rows_is_refused(tmp_path, monkeypatch):
    # given a lowered row bound (the real one is 1,000,000)
    monkeypatch.setattr("tanggap.surveys.spreadsheet.MAX_DATA_ROWS", 2)
    path = write_csv(tmp_path / "big.csv", ELEMENT_KEYS, [[4] * 9] * 3)
    message, _ = run_failing(path)
    assert "more than 2 rows" in message


def test_too_large_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("tanggap.surveys.spreadsheet.MAX_FILE_BYTES", 10)
    path = write_csv(tmp_path / "big.csv", ELEMENT_KEYS, [[4] * 9])
    message, _ = run_failing(path)
    assert "the limit is 10 bytes" in message


# --- options ------------------------------------------------------------------


def test_legacy_weights_are_marked(tmp_path):
    # given the GASPUL file
    path = write_csv(tmp_path / "gaspul.csv", QUESTIONNAIRE_ORDER, gaspul_rows())
    # when the legacy 0.11 weight is asked for
    data = run(path, "--weights", "legacy_0.11")
    # then the ~1 % lower figure comes out, marked as legacy (domain.md 1.5)
    assert data["legacy_weights_used"] is True
    assert data["weights"] == "legacy_0.11"
    assert round(data["ikm"], 4) == 90.5603


def test_unknown_weights_are_refused(tmp_path):
    path = write_csv(tmp_path / "a.csv", ELEMENT_KEYS, [[4] * 9])
    with pytest.raises(CommandError):
        call_command("skm_index", str(path), "--weights", "0.11", stdout=io.StringIO())


def test_missing_element_column_is_refused_by_default(tmp_path):
    # given a file without the "sarana" column
    keys = [key for key in ELEMENT_KEYS if key != "sarana"]
    path = write_csv(tmp_path / "no_sarana.csv", keys, [[4] * 8, [2] * 8])
    # when the command runs without --allow-missing
    message, stdout = run_failing(path)
    # then it names the element and the option
    assert "sarana" in message
    assert "--allow-missing" in message
    assert stdout == ""


def test_missing_element_column_with_allow_missing(tmp_path):
    # given the same file
    keys = [key for key in ELEMENT_KEYS if key != "sarana"]
    path = write_csv(tmp_path / "no_sarana.csv", keys, [[4] * 8, [2] * 8])
    # when --allow-missing is passed
    data = run(path, "--allow-missing")
    # then the index is over the eight answered elements and lists the missing one
    assert data["ikm"] == 75.0
    assert data["grade"] == "C"
    assert data["missing_elements"] == ["sarana"]
    assert data["nrr"]["sarana"] is None
    assert "sarana" not in data["weakest"]
    assert data["respondents"] == 2
