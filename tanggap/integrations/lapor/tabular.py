"""Reading an uploaded CSV or XLSX file into a header and rows of text (pure, no database).

The type comes from the content, never the name: a ZIP signature is XLSX, anything else must
decode as text (UTF-8 with or without a BOM, UTF-16 with a BOM, or windows-1252) and is read
as CSV with a sniffed delimiter.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 100
MAX_CELL = 20_000
# An XLSX is a ZIP: refuse one that would inflate beyond this (a decompression bomb).
MAX_UNZIPPED = 400 * 1024 * 1024

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CSV_TYPE, XLSX_TYPE = "csv", "xlsx"


@dataclass
class Table:
    """A file's column names and a one-pass iterator of (row number, cells) pairs."""

    file_type: str
    encoding: str
    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]


def file_type_of(data: bytes) -> str:
    """Return "xlsx" or "csv" from the content, or raise a ValidationError for anything else."""
    if not data.strip():
        raise ValidationError(_("The file is empty."), code="empty")
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)d MB. Split it into smaller files."),
            code="too_large",
            params={"mb": MAX_BYTES // (1024 * 1024)},
        )
    if data.startswith(XLSX_MAGIC):
        return XLSX_TYPE
    if data.startswith(OLE_MAGIC):
        raise ValidationError(
            _("Old Excel files (.xls) are not accepted. Save the sheet as XLSX or CSV."),
            code="xls",
        )
    return CSV_TYPE


def read_table(data: bytes) -> Table:
    """Return the table in *data*; raise a ValidationError for a file that cannot be read."""
    if file_type_of(data) == XLSX_TYPE:
        return _read_xlsx(data)
    return _read_csv(data)


def decode_text(data: bytes) -> tuple[str, str]:
    """Return the text of *data* and the encoding that read it."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        # Legacy Windows exports are windows-1252; its few undefined bytes make binary fail.
        candidates = ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text, encoding
    raise ValidationError(
        _("The file is neither a CSV text file (UTF-8 or windows-1252) nor an XLSX workbook."),
        code="encoding",
    )


def _read_csv(data: bytes) -> Table:
    text, encoding = decode_text(data)
    try:
        dialect = csv.Sniffer().sniff(text[:65536], delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows = _guarded(reader, csv.Error)
    headers = _headers(next(rows, None))
    return Table(CSV_TYPE, encoding, headers, _numbered(rows, len(headers)))


def _guarded(reader, error) -> Iterator[list[str]]:
    """Yield the reader's rows, turning its parse errors into one clear ValidationError."""
    try:
        for row in reader:
            if len(row) > MAX_COLUMNS:
                raise ValidationError(
                    _("A row has more than %(n)d columns."),
                    code="columns",
                    params={"n": MAX_COLUMNS},
                )
            yield row
    except ValidationError:
        raise
    except error as exc:
        raise ValidationError(
            _("The file is malformed near row %(row)s: %(detail)s"),
            code="malformed",
            params={"row": getattr(reader, "line_num", "?"), "detail": str(exc)[:200]},
        ) from exc


def _headers(first) -> list[str]:
    if first is None:
        raise ValidationError(_("The file has no header row."), code="no_header")
    headers = [_cell_text(h).strip() for h in first]
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        raise ValidationError(_("The file has no header row."), code="no_header")
    seen = set()
    for name in headers:
        if name and name.casefold() in seen:
            raise ValidationError(
                _("The column “%(name)s” appears twice in the header."),
                code="duplicate_column",
                params={"name": name[:60]},
            )
        seen.add(name.casefold())
    return headers


def _numbered(rows, width: int) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number as a spreadsheet shows it, cells padded to the header's width)."""
    count = 0
    for number, row in enumerate(rows, start=2):
        cells = [_cell_text(c) for c in row]
        if not any(c.strip() for c in cells):
            continue
        count += 1
        if count > MAX_ROWS:
            raise ValidationError(
                _("The file has more than %(n)d rows. Split it into smaller files."),
                code="too_many_rows",
                params={"n": MAX_ROWS},
            )
        cells = (cells + [""] * width)[: max(width, len(cells))]
        yield number, [c[:MAX_CELL] for c in cells]


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED:
                raise ValidationError(_("The workbook is too large once unpacked."), code="bomb")
        # read_only streams the sheet; formulas stay as text ("=…") so they can be refused.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = book.worksheets[0]
    except ValidationError:
        raise
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise ValidationError(
            _("The workbook cannot be opened: it is damaged or not an XLSX file."),
            code="bad_xlsx",
        ) from exc
    rows = _guarded(sheet.iter_rows(values_only=True), Exception)
    headers = _headers(next(rows, None))
    return Table(XLSX_TYPE, "", headers, _numbered(rows, len(headers)))


def _cell_text(value) -> str:
    """Return a cell as text: whole numbers without ".0", dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


# A cell a spreadsheet would run: "=", or "+ - @" followed by a function call, or a DDE link.
# "+62 812…" (a phone) and "- jalan rusak" (a list) stay text.
_FORMULA = re.compile(r"^\s*(=|[+\-@]\s*[A-Za-z_][\w.]*\s*\(|[+\-@=].*\|)")
_RISKY_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: str) -> bool:
    """Return whether *value* would run as a formula in a spreadsheet."""
    return bool(_FORMULA.match(value))


def neutralise(value: str) -> str:
    """Return *value* safe for a spreadsheet cell: a leading = + - @ tab or CR is quoted."""
    if value.startswith(_RISKY_START):
        return "'" + value
    return value
