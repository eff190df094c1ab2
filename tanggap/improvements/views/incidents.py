"""Staff screens of incidents: list, create, gather open cases in bulk, post updates, close."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import get_scoped_or_404, user_can
from tanggap.cases.selectors import cases_visible_to
from tanggap.common.exceptions import ApplicationError

from .. import selectors, services
from ..choices import CloseOutcome, IncidentStatus
from ..forms import (
    IncidentCloseForm,
    IncidentForm,
    IncidentLinkForm,
    IncidentSearchForm,
    IncidentUpdateForm,
)
from .common import has_units, refuse, units_or_404

HANDLE = Capability.HANDLE_CASES


@login_required
def incident_list(request):
    """List the incidents of the user's units, newest first."""
    units_or_404(request.user, Capability.VIEW_CASES)
    return render(
        request,
        "improvements/incident_list.html",
        {
            "incidents": selectors.incident_list(user=request.user),
            "can_create": has_units(request.user, HANDLE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_create(request):
    """Open an incident in a unit whose cases the user handles."""
    units = units_or_404(request.user, HANDLE)
    form = IncidentForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.incident_create(by=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            refuse(form, exc)
        else:
            messages.success(request, _("The incident was opened. Now gather its reports."))
            return redirect("improvements:incident_detail", incident.pk)
    status = 400 if form.errors else 200
    return render(request, "improvements/incident_form.html", {"form": form}, status=status)


def _page(request, incident, *, failed: str = "", form=None, status: int = 200):
    """Render the incident page with the search results and the forms."""
    user = request.user
    search = IncidentSearchForm(request.GET or None)
    query = search.cleaned_data.get("q", "") if search.is_valid() else ""
    can_handle = user_can(user, HANDLE, incident.unit)
    open_ = incident.status != IncidentStatus.RESOLVED
    candidates = (
        selectors.incident_candidates(user=user, incident=incident, text=query)
        if can_handle and open_
        else []
    )
    forms = {
        "link": IncidentLinkForm(),
        "update": IncidentUpdateForm(initial={"status": incident.status}),
        "close": IncidentCloseForm(),
    }
    if failed:
        forms[failed] = form
    links = list(selectors.incident_links(incident))
    return render(
        request,
        "improvements/incident_detail.html",
        {
            "incident": incident,
            "search": search,
            "query": query,
            "candidates": candidates,
            "forms": forms,
            "failed": failed,
            "links": links,
            "pending": sum(1 for link in links if link.outcome == CloseOutcome.PENDING),
            "updates": incident.updates.select_related("by")[:50],
            "is_open": open_,
            "can_handle": can_handle,
            "can_close": user_can(user, Capability.SUPERVISE_CASES, incident.unit),
        },
        status=status,
    )


@login_required
def incident_detail(request, incident_id):
    """Show an incident: its cases and their closing outcomes, updates, search and forms."""
    incident = selectors.incident_get(user=request.user, incident_id=incident_id)
    return _page(request, incident)


@login_required
@require_POST
def incident_link(request, incident_id):
    """Link the ticked open cases; a ticked case the user cannot handle is a 404."""
    incident = selectors.incident_get(user=request.user, incident_id=incident_id, capability=HANDLE)
    form = IncidentLinkForm(request.POST)
    if form.is_valid():
        ids = form.cleaned_data["cases"]
        cases = list(cases_visible_to(request.user, HANDLE).filter(pk__in=ids))
        if len(cases) != len(ids):
            raise Http404
        try:
            linked = services.incident_cases_link(incident=incident, cases=cases, by=request.user)
        except ApplicationError as exc:
            refuse(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)d case linked; its reporters will be told.",
                    "%(n)d cases linked; their reporters will be told.",
                    len(linked),
                )
                % {"n": len(linked)},
            )
            return redirect("improvements:incident_detail", incident.pk)
    return _page(request, incident, failed="link", form=form, status=400)


@login_required
@require_POST
def incident_update(request, incident_id):
    """Post a public update to every linked reporter."""
    incident = selectors.incident_get(user=request.user, incident_id=incident_id, capability=HANDLE)
    form = IncidentUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.incident_update_post(incident=incident, by=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            refuse(form, exc)
        else:
            messages.success(request, _("The update was posted; every linked reporter is told."))
            return redirect("improvements:incident_detail", incident.pk)
    return _page(request, incident, failed="update", form=form, status=400)


@login_required
@require_POST
def incident_close(request, incident_id):
    """Resolve the incident; each of its open cases is answered and resolved by the worker."""
    incident = selectors.incident_get(
        user=request.user, incident_id=incident_id, capability=Capability.SUPERVISE_CASES
    )
    form = IncidentCloseForm(request.POST)
    if form.is_valid():
        try:
            services.incident_close(
                incident=incident, by=request.user, message=form.cleaned_data["message"]
            )
        except ApplicationError as exc:
            refuse(form, exc)
        else:
            messages.success(
                request, _("The incident is resolved. Its cases are being closed: see each below.")
            )
            return redirect("improvements:incident_detail", incident.pk)
    return _page(request, incident, failed="close", form=form, status=400)


@login_required
@require_POST
def incident_unlink(request, incident_id, case_id):
    """Remove a case linked by mistake, while the incident is open."""
    incident = selectors.incident_get(user=request.user, incident_id=incident_id, capability=HANDLE)
    link = get_scoped_or_404(incident.links.select_related("case"), case_id=case_id)
    try:
        services.incident_case_unlink(incident=incident, case=link.case, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The case was removed from the incident."))
    return redirect("improvements:incident_detail", incident.pk)
