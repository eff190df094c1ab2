"""Officer screens: the inbox, the case page, identity opening and walk-in entry."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import get_scoped_or_404, units_for, user_can
from tanggap.cases.choices import Channel
from tanggap.cases.filters import CaseFilterForm
from tanggap.cases.selectors import case_get, case_list, case_timeline
from tanggap.common.exceptions import ApplicationError

from ..forms import IdentityRevealForm, OfficerReportForm
from ..models import Attachment, IdentityAccess
from ..services import identity_reveal
from ..tracking import normalize_tracking_code
from .public import submit_to_receipt


def _staff_units(request):
    units = units_for(request.user, Capability.VIEW_CASES)
    if not units.exists():
        raise Http404
    return units


@login_required
def inbox(request):
    """List the cases of the user's units, filtered, searched and sorted, a page at a time."""
    units = _staff_units(request)
    form = CaseFilterForm(request.GET or None, units=units)
    filters = dict(form.cleaned_data) if form.is_valid() else {}
    if code := normalize_tracking_code(filters.get("q") or ""):
        filters["q"], filters["code"] = "", code
    page = case_list(user=request.user, filters=filters, cursor=request.GET.get("after"))
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "officer/inbox.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_enter": units_for(request.user, Capability.ENTER_REPORTS).exists(),
            "now": timezone.now(),
        },
    )


def _case_context(request, case):
    reports = case.reports.select_related("service", "category", "counter", "received_by")
    return {
        "case": case,
        "reports": [(r, r.attachments.all()) for r in reports.prefetch_related("attachments")],
        "timeline": case_timeline(case=case, public_only=False),
        "can_view_identity": user_can(request.user, Capability.VIEW_IDENTITY, case.unit),
        "accesses": IdentityAccess.objects.filter(report__case=case).select_related("user")[:20],
    }


@login_required
def case_detail(request, case_id):
    """Show a case with its reports, attachments and full timeline."""
    case = case_get(user=request.user, case_id=case_id)
    return render(
        request,
        "officer/case_detail.html",
        _case_context(request, case) | {"reveal_form": IdentityRevealForm()},
    )


@login_required
@require_POST
def identity_reveal_view(request, case_id, report_id):
    """Open a reporter's identity after a reason is given; the opening is logged."""
    case = case_get(user=request.user, case_id=case_id)
    report = get_scoped_or_404(case.reports.all(), pk=report_id)
    form = IdentityRevealForm(request.POST)
    identity, status = None, 200
    if form.is_valid():
        try:
            identity = identity_reveal(
                user=request.user, report=report, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
    if form.errors:
        status = 400
    ctx = _case_context(request, case) | {
        "reveal_form": form,
        "revealed": identity,
        "revealed_report": report,
    }
    return render(request, "officer/case_detail.html", ctx, status=status)


@login_required
def attachment_download(request, case_id, attachment_id):
    """Stream an attachment of a visible case (never from a public URL)."""
    case = case_get(user=request.user, case_id=case_id)
    attachment = get_scoped_or_404(Attachment.objects.filter(report__case=case), pk=attachment_id)
    inline = (
        attachment.content_type.startswith("image/") or attachment.content_type == "application/pdf"
    )
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=not inline,
        filename=attachment.name,
    )
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def report_enter(request):
    """Enter a report for a walk-in or phone caller; the channel and the officer are recorded."""
    units = units_for(request.user, Capability.ENTER_REPORTS)
    if not units.exists():
        raise Http404
    form = OfficerReportForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        channel = form.cleaned_data["channel"]
        if response := submit_to_receipt(request, form, channel=channel, received_by=request.user):
            return response
    return render(
        request,
        "officer/report_enter.html",
        {"form": form, "channels": Channel},
        status=400 if form.errors else 200,
    )
