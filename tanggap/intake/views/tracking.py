"""Public tracking: a code and PIN (or a secret link) open the report's status and timeline."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tanggap.cases.selectors import case_timeline
from tanggap.common.addresses import client_address
from tanggap.common.exceptions import ApplicationError

from ..forms import AddInformationForm, TrackForm
from ..lookup import report_by_link, report_lookup
from ..receipts import receipt_context
from ..services import report_add_information
from .grants import grant_report, granted_report_or_none


@require_http_methods(["GET", "POST"])
def track_form(request):
    """Ask for the tracking code and PIN."""
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = report_lookup(
                code=form.cleaned_data["code"],
                pin=form.cleaned_data["pin"],
                address=client_address(request),
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            grant_report(request, report)
            return redirect("intake:track_detail", code=report.tracking_code)
    status = 400 if form.errors else 200
    return render(request, "intake/track_form.html", {"form": form}, status=status)


def track_link(request, token):
    """Open a report through its secret link."""
    try:
        report = report_by_link(token=token, address=client_address(request))
    except ApplicationError as exc:
        # An unbound form holds no errors: the refusal is shown as a message above it.
        messages.error(request, exc.message)
        return render(request, "intake/track_form.html", {"form": TrackForm()}, status=404)
    grant_report(request, report)
    return redirect("intake:track_detail", code=report.tracking_code)


@require_http_methods(["GET", "POST"])
def track_detail(request, code):
    """Show status, deadline and public timeline; accept more information from the reporter."""
    report = granted_report_or_none(request, code)
    if report is None:
        return redirect("intake:track")
    form = AddInformationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            report_add_information(
                report=report,
                message=form.cleaned_data["message"],
                files=form.cleaned_data["files"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Thank you. Your information was added to the report."))
            return redirect("intake:track_detail", code=code)
    ctx = receipt_context(report) | {
        "form": form,
        "timeline": case_timeline(case=report.case, public_only=True),
        "attachments": report.attachments.all(),
    }
    return render(request, "intake/track_detail.html", ctx, status=400 if form.errors else 200)
