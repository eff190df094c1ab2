"""From a case: link it to an improvement action or an open incident of its unit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tanggap.cases.selectors import case_get
from tanggap.common.exceptions import ApplicationError

from .. import selectors, services


@login_required
@require_http_methods(["GET", "POST"])
def case_link(request, case_id):
    """Show what the case is linked to and what it may join; link it on POST."""
    case = case_get(user=request.user, case_id=case_id)
    actions, incidents = selectors.link_targets(user=request.user, case=case)
    error = ""
    if request.method == "POST":
        kind, target = request.POST.get("target", ""), None
        prefix, _sep, raw_id = kind.partition(":")
        pool = {"action": actions, "incident": incidents}.get(prefix)
        if pool is not None and raw_id.isdigit():
            target = next((t for t in pool if t.pk == int(raw_id)), None)
        if target is None:
            error = _("Choose an action or an incident from the list.")
        else:
            try:
                if prefix == "action":
                    services.action_case_link(action=target, case=case, by=request.user)
                else:
                    services.incident_cases_link(incident=target, cases=[case], by=request.user)
            except ApplicationError as exc:
                error = exc.message
            else:
                messages.success(request, _("The case was linked; its reporters will be told."))
                return redirect("improvements:case_link", case.pk)
    linked_actions, linked_incidents = selectors.case_memberships(user=request.user, case=case)
    return render(
        request,
        "improvements/case_link.html",
        {
            "case": case,
            "actions": actions,
            "incidents": incidents,
            "linked_actions": linked_actions,
            "linked_incidents": linked_incidents,
            "error": error,
        },
        status=400 if error else 200,
    )
