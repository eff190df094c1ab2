"""Read SKM answers from a CSV or XLSX file: one row a respondent, one column an element.

No database and no Django. The reader only turns cells into answers; the index itself
comes from ``tanggap.surveys.index`` (each row goes through ``validate_answers``), so a
file gives exactly the IKM the platform would compute from the same answers.

File layout (what units export from Google Forms or Excel):

- The first non-blank row is the header. Columns whose name is an element key
  (``persyaratan``, ``prosedur``, ... ``sarana``; case and surrounding spaces ignored)
  hold answers; every other column (Nama, Tanggal, Timestamp, ...) is ignored. Elements
  are matched by name, never by position (domain.md 1.2: U8/U9 order differs).
- A cell holds 1-4 (text "3", "3.0" or "3,0", or a spreadsheet number 3 / 3.0) or is
  blank for "not answered" (never zero: domain.md 1.5). Anything else is an error.
- Rows with nothing in them are skipped.

Bad rows are not skipped: every bad cell is collected and the file is rejected once,
with row numbers as a spreadsheet shows them (the header is row 1 in a plain export).
CSV delimiters ``,``, ``;`` (Indonesian-locale Excel) and tab are recognised from the
header; text is UTF-8 (with or without BOM), falling back to Windows-1252 for an
"ANSI" Excel export, whose non-ASCII bytes can only sit in ignored columns.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Generator, Iterable, Sequence
from pathlib import Path

from tanggap.surveys.elements import ANSWER_VALUES, ELEMENT_KEYS
from tanggap.surveys.index import InvalidAnswer, validate_answers

Answers = dict[str, int | None]
RowError = tuple[int, str, str]

# Bounds, so a wrong or hostile file fails fast instead of filling memory.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
MAX_DATA_ROWS = 1_000_000
# Every bad cell is counted, but only this many are kept for the message.
MAX_KEPT_ERRORS = 1_000

CSV_DELIMITERS = (",", ";", "\t")
ZIP_MAGIC = b"PK\x03\x04"
# Compound File Binary: legacy .xls, and also password-protected .xlsx.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
UNSUPPORTED_SUFFIXES = {
    ".xls": "legacy Excel .xls files are not supported; save the sheet as .xlsx or CSV",
    ".ods": "OpenDocument .ods files are not supported; save the sheet as .xlsx or CSV",
}

_ANSWER_TEXT = re.compile(r"[1-4](?:[.,]0+)?")
_KEYS = frozenset(ELEMENT_KEYS)


class SpreadsheetError(ValueError):
    """Signal a file that cannot be read as SKM answers, with every bad cell if any.

    ``errors`` holds ``(row_number, column, reason)`` for up to ``MAX_KEPT_ERRORS``
    bad cells; ``error_count`` is the full number found. ``column`` is the header text
    of the cell's column, or "" for a whole-row problem.
    """

    def __init__(
        self, message: str, errors: Sequence[RowError] = (), error_count: int | None = None
    ) -> None:
        """Keep the row errors for callers and list them in the message."""
        self.errors: list[RowError] = list(errors)
        self.error_count = len(self.errors) if error_count is None else error_count
        self.summary = message
        lines = [message, *(format_row_error(error) for error in self.errors)]
        if self.error_count > len(self.errors):
            lines.append(f"... and {self.error_count - len(self.errors)} more")
        super().__init__("\n".join(lines))


def format_row_error(error: RowError) -> str:
    """Return one row error as "row N, column C: reason"."""
    row, column, reason = error
    where = f"row {row}, column {column}" if column else f"row {row}"
    return f"{where}: {reason}"


def read_answers(path: Path) -> list[Answers]:
    """Return one answer set (all nine keys, None when unanswered) per non-blank row of a file.

    Raises ``SpreadsheetError`` for an unreadable or malformed file, a header without
    element columns, or any bad cell (all of them reported at once).
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise SpreadsheetError(f"{path} is not a file")
        if size == 0:
            raise SpreadsheetError(f"{path} is empty")
        if size > MAX_FILE_BYTES:
            raise SpreadsheetError(
                f"{path} is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes"
            )
        with path.open("rb") as handle:
            head = handle.read(len(OLE_MAGIC))
        if _file_kind(path, head) == "xlsx":
            rows = _xlsx_rows(path)
        else:
            rows = _csv_rows(path.read_bytes(), path)
        try:
            return _answers_from(rows, path)
        finally:
            # Close the workbook even when reading stops early.
            rows.close()
    except OSError as exc:
        raise SpreadsheetError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _file_kind(path: Path, head: bytes) -> str:
    """Return "xlsx" or "csv" from the first bytes and the file name, or refuse the file."""
    suffix = path.suffix.lower()
    if head.startswith(ZIP_MAGIC):
        if suffix in UNSUPPORTED_SUFFIXES:
            raise SpreadsheetError(f"{path}: {UNSUPPORTED_SUFFIXES[suffix]}")
        # A zip is a workbook whatever its name (an .xlsx saved as "data.csv").
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        raise SpreadsheetError(
            f"{path} is a legacy .xls or a password-protected workbook; "
            "save it unprotected as .xlsx or CSV"
        )
    if suffix in XLSX_SUFFIXES:
        raise SpreadsheetError(f"{path} is not a valid XLSX workbook (it is not a zip archive)")
    if suffix in UNSUPPORTED_SUFFIXES:
        raise SpreadsheetError(f"{path}: {UNSUPPORTED_SUFFIXES[suffix]}")
    return "csv"


# --- CSV ----------------------------------------------------------------------


def _csv_rows(data: bytes, path: Path) -> Generator[tuple[int, Sequence[object]]]:
    """Yield (row number, cells) for each CSV record, numbered as a spreadsheet shows them."""
    if b"\x00" in data:
        raise SpreadsheetError(f"{path} is not a CSV text file (it contains binary data)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's "CSV" on Windows writes the ANSI code page; headers and answers are ASCII.
        text = data.decode("cp1252", errors="replace")
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, cells
    except csv.Error as exc:
        raise SpreadsheetError(
            f"{path} is not a well-formed CSV file (row {number + 1}): {exc}"
        ) from exc


def _sniff_delimiter(text: str) -> str:
    """Return the delimiter that splits the header line into the most element columns."""
    first = next((line for line in io.StringIO(text) if line.strip()), "")

    def score(delimiter: str) -> tuple[int, int]:
        cells = next(csv.reader([first], delimiter=delimiter), [])
        return sum(_normalise(cell) in _KEYS for cell in cells), len(cells)

    # max() keeps the first of equals, so "," wins a tie.
    return max(CSV_DELIMITERS, key=score)


# --- XLSX ---------------------------------------------------------------------


def _xlsx_rows(path: Path) -> Generator[tuple[int, Sequence[object]]]:
    """Yield (row number, values) for each row of the first worksheet of an XLSX file."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError(f"{path} is not a valid XLSX workbook: {exc}") from exc
    if unpacked > MAX_UNCOMPRESSED_BYTES:
        raise SpreadsheetError(
            f"{path} unpacks to {unpacked:,} bytes; the limit is {MAX_UNCOMPRESSED_BYTES:,}"
        )
    # Imported here so the CSV path and the index do not pay for openpyxl.
    from openpyxl import load_workbook

    with path.open("rb") as handle:
        try:
            # A file object, not the path: openpyxl would refuse a workbook named .csv.
            workbook = load_workbook(handle, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a broken workbook
            raise SpreadsheetError(
                f"{path} is not a readable XLSX workbook ({type(exc).__name__}: {exc})"
            ) from exc
        try:
            if not workbook.worksheets:
                raise SpreadsheetError(f"{path} has no worksheet")
            sheet = workbook.worksheets[0]
            # Some exporters write a wrong <dimension>, which would cut rows or columns short.
            sheet.reset_dimensions()
            try:
                yield from enumerate(sheet.iter_rows(values_only=True), start=1)
            except SpreadsheetError:
                raise
            except Exception as exc:  # the sheet XML is parsed lazily, row by row
                raise SpreadsheetError(
                    f"{path} is not a readable XLSX workbook ({type(exc).__name__}: {exc})"
                ) from exc
        finally:
            workbook.close()


# --- rows to answers ----------------------------------------------------------


def _answers_from(rows: Iterable[tuple[int, Sequence[object]]], path: Path) -> list[Answers]:
    """Return the answer sets of the rows after the header, or raise with every bad cell."""
    columns: dict[str, tuple[int, str]] | None = None
    header_row = 0
    answers: list[Answers] = []
    errors: list[RowError] = []
    error_count = 0
    bad_rows: set[int] = set()
    data_rows = 0
    for number, cells in rows:
        if _is_blank(cells):
            continue
        if columns is None:
            columns = _element_columns(cells, number, path)
            header_row = number
            continue
        data_rows += 1
        if data_rows > MAX_DATA_ROWS:
            raise SpreadsheetError(f"{path} has more than {MAX_DATA_ROWS:,} rows of answers")
        row: dict[str, int | None] = {}
        for key, (index, heading) in columns.items():
            raw = cells[index] if index < len(cells) else None
            try:
                row[key] = parse_answer(raw)
            except InvalidAnswer as exc:
                error_count += 1
                bad_rows.add(number)
                if len(errors) < MAX_KEPT_ERRORS:
                    errors.append((number, heading, str(exc)))
        # A row with only ignored columns filled in (a name, a date) is not a respondent.
        if number not in bad_rows and any(value is not None for value in row.values()):
            answers.append(validate_answers(row))
    if columns is None:
        raise SpreadsheetError(f"{path} has no header row (the file holds no data)")
    if error_count:
        cells_text = "1 bad cell" if error_count == 1 else f"{error_count} bad cells"
        rows_text = "1 row" if len(bad_rows) == 1 else f"{len(bad_rows)} rows"
        raise SpreadsheetError(
            f"{path} was rejected, nothing was computed: {cells_text} in {rows_text}",
            errors,
            error_count,
        )
    if not answers:
        raise SpreadsheetError(f"{path} has a header (row {header_row}) but no answers below it")
    return answers


def _element_columns(
    header: Sequence[object], number: int, path: Path
) -> dict[str, tuple[int, str]]:
    """Return element key -> (column index, heading) from the header, refusing none or twins."""
    columns: dict[str, tuple[int, str]] = {}
    for index, cell in enumerate(header):
        name = _normalise(cell)
        if name not in _KEYS:
            continue
        if name in columns:
            raise SpreadsheetError(
                f"{path}: the header (row {number}) has two {name!r} columns; keep one"
            )
        columns[name] = (index, str(cell).strip())
    if not columns:
        found = ", ".join(repr(str(cell).strip()) for cell in header if _normalise(cell)) or "none"
        raise SpreadsheetError(
            f"{path}: the header (row {number}) has no element column; expected some of "
            f"{', '.join(ELEMENT_KEYS)} (found {found})"
        )
    return columns


def parse_answer(raw: object) -> int | None:
    """Return one cell as an answer 1-4, or None when blank; raise ``InvalidAnswer`` otherwise."""
    if raw is None:
        return None
    if isinstance(raw, str):
        text = raw.strip()
        if not text:
            return None
        if _ANSWER_TEXT.fullmatch(text):
            return int(text[0])
    elif isinstance(raw, bool):
        pass  # TRUE/FALSE cells are not answers, although bool is an int.
    elif isinstance(raw, int):
        if raw in ANSWER_VALUES:
            return raw
    elif isinstance(raw, float) and raw.is_integer() and int(raw) in ANSWER_VALUES:
        return int(raw)
    raise InvalidAnswer(f"answer must be a whole number 1-4 or blank, got {_show(raw)}")


def _show(raw: object) -> str:
    """Return a cell value for a message: quoted text, bare numbers, short."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    shown = repr(raw) if isinstance(raw, str) else str(raw)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _normalise(cell: object) -> str:
    """Return a header cell as a lower-case name without surrounding spaces."""
    return "" if cell is None else str(cell).strip().casefold()


def _is_blank(cells: Sequence[object]) -> bool:
    """Return whether a row holds nothing but empty cells."""
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)
