"""Officer screens: the inbox and its bulk actions, identity opening, attachments, walk-ins."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import get_scoped_or_404, units_for
from tanggap.cases.choices import Channel
from tanggap.cases.filters import CaseFilterForm
from tanggap.cases.forms import BulkForm
from tanggap.cases.models import Shift
from tanggap.cases.selectors import case_get, case_list, cases_visible_to, handlers_for
from tanggap.cases.workflow import case_assign
from tanggap.common.exceptions import ApplicationError

from ..forms import IdentityRevealForm, OfficerReportForm
from ..models import Attachment
from ..services import cases_merge, identity_reveal
from ..tracking import normalize_tracking_code
from .handling import case_page, find_case, status_for
from .public import submit_to_receipt
from .supervision import HANDOVER_WINDOW


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
    now = timezone.now()
    page = case_list(user=request.user, filters=filters, cursor=request.GET.get("after"), now=now)
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "officer/inbox.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "now": now,
            # A 24-hour unit's officer whose shift is running or over hands it over.
            "shift_open": Shift.objects.filter(
                officer=request.user,
                handed_over_at__isnull=True,
                starts_at__lte=now,
                ends_at__gte=now - HANDOVER_WINDOW,
            ).exists(),
        },
    )


def _bulk_cases(request, refs):
    """Return the ticked cases in inbox order; a case of another unit is a 404."""
    by_pk = cases_visible_to(request.user).select_related("unit").in_bulk([pk for pk, _v in refs])
    if len(by_pk) != len({pk for pk, _v in refs}):
        raise Http404
    return [by_pk[pk] for pk, _v in refs]


def _inbox_url(request):
    query = request.GET.urlencode()
    return reverse("officer:inbox") + (f"?{query}" if query else "")


@login_required
@require_POST
def inbox_bulk(request):
    """Dispose or merge the cases ticked in the inbox, after a confirmation step.

    The inbox sends the ticked cases and the action; this page asks for the unit and
    officer (or the case to keep) and, once confirmed, acts on each case and reports each
    refusal. Works without JavaScript.
    """
    handle_units = units_for(request.user, Capability.HANDLE_CASES)
    if not handle_units.exists():
        raise Http404
    form = BulkForm(request.POST, units=handle_units, memberships=handlers_for(request.user))
    confirmed = "confirm" in request.POST
    form.is_valid()
    if not confirmed:
        # The first step: only the ticked cases and the action need to be valid.
        for name in ("unit", "into"):
            form.errors.pop(name, None)
    refs = form.cleaned_data.get("cases") or []
    if not refs or "action" not in form.cleaned_data:
        messages.error(request, _("Tick at least one case, then choose what to do."))
        return redirect(_inbox_url(request))
    cases, versions = _bulk_cases(request, refs), dict(refs)
    if not confirmed or form.errors:
        status = 400 if confirmed else 200
        return _bulk_page(request, form, cases, versions, status=status)
    data = form.cleaned_data
    if data["action"] == BulkForm.ASSIGN:
        _bulk_assign(request, cases, versions, data)
        return redirect(_inbox_url(request))
    target = find_case(request.user, data["into"])
    if target is None:
        form.add_error("into", _("None of your units' cases has this reference or code."))
        return _bulk_page(request, form, cases, versions, status=400)
    try:
        moved = cases_merge(cases=cases, into=target, by=request.user)
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return _bulk_page(request, form, cases, versions, status=status_for(exc))
    messages.success(
        request,
        ngettext("%(n)d report joined case %(ref)s.", "%(n)d reports joined case %(ref)s.", moved)
        % {"n": moved, "ref": target.reference},
    )
    return redirect("officer:case_detail", case_id=target.pk)


def _bulk_assign(request, cases, versions, data):
    done = 0
    for case in cases:
        try:
            case_assign(
                case=case,
                by=request.user,
                unit=data["unit"],
                officer=data["officer"],
                note=data["note"],
                version=versions[case.pk],
            )
        except ApplicationError as exc:
            messages.error(request, f"{case.reference}: {exc.message}")
        else:
            done += 1
    if done:
        messages.success(
            request,
            ngettext("%(n)d case disposed.", "%(n)d cases disposed.", done) % {"n": done},
        )


def _bulk_page(request, form, cases, versions, *, status):
    # The merge keeps the oldest case unless the officer picks another.
    keep = form.data.get("into") or min(cases, key=lambda c: (c.received_at, c.pk)).reference
    return render(
        request,
        "officer/bulk.html",
        {
            "form": form,
            "rows": [(case, versions[case.pk]) for case in cases],
            "action": form.cleaned_data["action"],
            "keep": keep,
            "query": request.GET.urlencode(),
        },
        status=status,
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
    return case_page(
        request,
        case,
        status=status,
        reveal_form=form,
        revealed=identity,
        revealed_report=report,
    )


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
