"""Session grants: which reports this browser has proved it may follow."""

from ..models import Report

MAX_GRANTS = 20


def grant_report(request, report: Report) -> None:
    """Let this session see *report* (after a submission, a code and PIN, or a secret link)."""
    grants = [pk for pk in request.session.get("tracked_reports", []) if pk != report.pk]
    request.session["tracked_reports"] = ([report.pk] + grants)[:MAX_GRANTS]
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
    """Return and forget the PIN and link token (so they are shown once)."""
    return request.session.pop(f"receipt:{report.pk}", None)
