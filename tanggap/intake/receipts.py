"""The receipt (tanda terima, UU 25/2009 Pasal 44): its content, on screen and as a PDF."""

from django.template.loader import render_to_string
from django.utils import timezone, translation

from tanggap.cases.choices import Priority

from .models import Report


def receipt_context(report: Report) -> dict:
    """Return what every receipt shows: code, what was received, when, by whom, what comes next."""
    case = report.case
    tz = report.unit.tz
    return {
        "report": report,
        "case": case,
        "unit": report.unit,
        "received_at": timezone.localtime(report.created_at, tz),
        "due_at": timezone.localtime(case.due_at, tz) if case.due_at else None,
        "tz_name": report.unit.get_time_zone_display(),
        "received_by": report.received_by.get_full_name() if report.received_by else "",
        # Marked urgent at intake (danger to life or safety): the emergency numbers come first.
        "urgent": case.priority == Priority.URGENT,
    }


def receipt_pdf(report: Report, *, pin: str | None, secret_link: str | None) -> bytes:
    """Render the receipt as an A4 PDF in the current language."""
    from weasyprint import HTML  # noqa: PLC0415 - heavy import kept off the start-up path

    html = render_to_string(
        "intake/receipt_pdf.html",
        receipt_context(report)
        | {"pin": pin, "secret_link": secret_link, "LANGUAGE_CODE": translation.get_language()},
    )
    return HTML(string=html).write_pdf()
