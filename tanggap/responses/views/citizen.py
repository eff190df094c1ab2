"""The citizen's side of replies: the verdict on a reply, the letter and the reply's files."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tanggap.accounts.scoping import get_scoped_or_404
from tanggap.common.exceptions import ApplicationError
from tanggap.intake.views.grants import granted_report_or_none

from ..forms import VerdictForm
from ..models import ReplyAttachment
from ..selectors import published_replies, verdict_state
from ..services import verdict_record
from . import attachment_response, letter_response


def _verdict_page(request, report, form, *, status=200):
    replies = published_replies(case=report.case)
    return render(
        request,
        "responses/verdict.html",
        {
            "report": report,
            "case": report.case,
            "reply": replies.filter(is_final=True).last(),
            "state": verdict_state(report=report),
            "form": form,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def verdict(request, code):
    """Rate the reply and accept or contest it, then return to the tracking page."""
    report = granted_report_or_none(request, code)
    if report is None:
        return redirect("intake:track")
    form = VerdictForm(request.POST or None, prefix="verdict")
    if request.method == "POST" and form.is_valid():
        try:
            verdict_record(
                report=report,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
                accept=form.accepted,
            )
        except ApplicationError as exc:
            form.add_error("comment" if exc.code == "comment" else None, exc.message)
        else:
            if form.accepted:
                messages.success(
                    request, _("Thank you. You accepted the reply; the case is closed.")
                )
            else:
                messages.success(
                    request,
                    _("Thank you. Your objection was sent; the case is reopened and escalated."),
                )
            return redirect("intake:track_detail", code=report.tracking_code)
    return _verdict_page(request, report, form, status=400 if form.errors else 200)


def _published_reply(request, code, reply_id):
    report = granted_report_or_none(request, code)
    if report is None:
        raise Http404
    return report, get_scoped_or_404(published_replies(case=report.case), pk=reply_id)


def reply_letter(request, code, reply_id):
    """Download the letter of a published final reply to the reporter's case."""
    report, reply = _published_reply(request, code, reply_id)
    if not reply.is_final:
        raise Http404
    return letter_response(reply, recipient_code=report.tracking_code)


def reply_attachment(request, code, reply_id, attachment_id):
    """Stream a file sent with a published reply to the reporter's case."""
    _report, reply = _published_reply(request, code, reply_id)
    attachment = get_scoped_or_404(ReplyAttachment.objects.filter(reply=reply), pk=attachment_id)
    return attachment_response(attachment)
