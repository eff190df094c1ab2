"""The periodic evaluation report (laporan evaluasi) rendered as a PDF and a workbook."""

import io
from datetime import datetime
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .presentation import breakdown, step_rows
from .sections import breakdown_sections, heat_section

BREAKDOWNS = ("kinds", "channels", "categories", "statuses", "ratings")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_filename(data: dict, extension: str) -> str:
    """Return the file name of a report: unit id, period code and extension."""
    return f"evaluasi-{data['unit'].pk}-{data['period'].key}.{extension}"


def render_pdf(data: dict) -> bytes:
    """Render the report as an A4 PDF in the active language."""
    from weasyprint import HTML  # noqa: PLC0415 - heavy import kept off the start-up path

    context = data | {
        "steps": step_rows(data["figures"], data["delta"]),
        "sections": breakdown_sections(data["measures"], BREAKDOWNS, public=False),
        "heat": heat_section(data["measures"]),
        "LANGUAGE_CODE": translation.get_language(),
    }
    html = render_to_string("analytics/report_pdf.html", context)
    return HTML(string=html).write_pdf()


def _text(value) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _plain(value):
    """Return a value a cell can hold; text stays text, so nothing becomes a formula."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, int | float):
        return value
    return _text(value)


def _sheet(workbook, title: str, header: list[str], rows: list[list], widths: list[int]):
    sheet = workbook.create_sheet(title[:31])
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_plain(v) for v in row])
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # a text starting with "=" stays text
                cell.data_type = "s"
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    return sheet


def _summary_rows(data: dict) -> list[list]:
    figures, delta = data["figures"], data["delta"]
    rows = [
        [_("Unit"), data["unit"].name, ""],
        [_("Period"), data["period_name"], ""],
        [_("Reports received"), figures["received"], delta.get("received")],
        [_("Closed"), figures["closed"], delta.get("closed")],
        [_("Confidential reports counted"), figures["confidential"], None],
        [_("Cases flagged for undue delay"), figures["delayed"], delta.get("delayed")],
    ]
    for step in step_rows(figures, delta):
        rows.append([_("%(step)s: cases") % {"step": step["name"]}, step["count"], None])
        rows.append(
            [
                _("%(step)s: share on time") % {"step": step["name"]},
                step["on_time"],
                step["on_time_change"],
            ]
        )
        rows.append(
            [
                _("%(step)s: median hours") % {"step": step["name"]},
                step["median"],
                step["median_change"],
            ]
        )
    rows += [
        [_("Ratings given"), figures["rated"], delta.get("rated")],
        [_("Average rating (1–5)"), figures["rating_average"], delta.get("rating_average")],
        [_("IKM (satisfaction index)"), figures["ikm"], delta.get("ikm")],
        [_("Survey respondents"), figures["respondents"], delta.get("respondents")],
    ]
    return rows


def render_xlsx(data: dict) -> bytes:
    """Return the report as a workbook: summary, breakdowns, sub-units, overdue, actions, risks."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.creator = "Tanggap"
    change_title = _("Change against %(period)s") % {"period": data["previous_name"]}
    _sheet(
        workbook,
        _("Summary"),
        [_("Measure"), _("Value"), change_title],
        _summary_rows(data),
        [42, 22, 26],
    )
    rows = [
        [name, row["label"], row["count"]]
        for name in BREAKDOWNS
        for row in breakdown(data["measures"], name)
    ]
    _sheet(workbook, _("Breakdowns"), [_("Breakdown"), _("Item"), _("Reports")], rows, [14, 40, 10])
    rows = [
        [
            c.name,
            m.counts["received"],
            m.counts["closed"],
            m.on_time("replied"),
            m.on_time("resolved"),
        ]
        for c, m in data["children"]
    ]
    header = [
        _("Unit"),
        _("Received"),
        _("Closed"),
        _("First reply on time"),
        _("Resolution on time"),
    ]
    _sheet(workbook, _("Sub-units"), header, rows, [40, 10, 10, 18, 18])
    tz = data["unit"].tz
    rows = [
        [c.reference, c.unit.name, c.get_due_step_display(), timezone.localtime(c.due_at, tz)]
        for c in data["overdue"]
    ]
    _sheet(
        workbook, _("Overdue"), [_("Code"), _("Unit"), _("Step"), _("Due")], rows, [20, 36, 28, 20]
    )
    rows = [
        [a["title"], a["status"], a["progress"], timezone.localtime(a["updated_at"], tz)]
        for a in data["actions"]
    ]
    header = [_("Action"), _("Status"), _("Progress"), _("Updated")]
    _sheet(workbook, _("Actions"), header, rows, [48, 16, 30, 20])
    rows = [[text] for text in data["risks"]]
    _sheet(workbook, _("Risks"), [_("Open risk")], rows, [90])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
