"""Session grants: which reports this browser has proved it may follow."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from ..models import Report

MAX_GRANTS = 20


def grant_report(request, report: Report) -> None:
    """Let this session see *report* (after a submission, a code and PIN, or a secret link)."""
    grants = [pk for pk in request.session.get("tracked_reports", []) if pk != report.pk]
    request.session["tracked_reports"] = ([report.pk, *grants])[:MAX_GRANTS]
    request.session.cycle_key()


def granted_report_or_none(request, code: str) -> Report | None:
    """Return the report with *code* if this session holds a grant for it."""
    report = Report.objects.filter(tracking_code=code).select_related("case", "unit").first()
    if report and report.pk in request.session.get("tracked_reports", []):
        return report
    return None


def remember_receipt(request, submission) -> None:
    """Keep the PIN and link token for the one receipt page that shows them."""
    request.session[f"receipt:{submission.report.pk}"] = {
        "pin": submission.pin,
        "token": submission.link_token,
    }


def pop_receipt_secrets(request, report: Report) -> dict | None:
    """Return and forget the PIN and link token (so the page shows them once).

    They stay for the PDF download a short while only, never for the session's lifetime.
    """
    secrets_once = request.session.pop(f"receipt:{report.pk}", None)
    if secrets_once:
        until = timezone.now() + timedelta(minutes=settings.RECEIPT_SECRET_MINUTES)
        request.session[f"receipt_pdf:{report.pk}"] = secrets_once | {"until": until.isoformat()}
    return secrets_once


def receipt_pdf_secrets(request, report: Report) -> dict:
    """Return the PIN and link token for the receipt PDF while they are still kept, else {}."""
    key = f"receipt_pdf:{report.pk}"
    kept = request.session.get(key)
    if not kept:
        return {}
    if datetime.fromisoformat(kept["until"]) < timezone.now():
        del request.session[key]
        return {}
    return kept
