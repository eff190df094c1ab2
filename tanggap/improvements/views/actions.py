"""Staff screens of improvement actions: list, create and edit, and the action page's forms.

Every form posts to its own URL; a refusal re-renders the action page with the form's
errors (status 400) and changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import get_scoped_or_404, user_can
from tanggap.cases.selectors import case_find
from tanggap.common.exceptions import ApplicationError
from tanggap.intake.tracking import normalize_tracking_code

from .. import selectors, services
from ..forms import (
    ActionForm,
    EvidenceForm,
    FindingForm,
    LinkCaseForm,
    MilestoneForm,
    ProgressForm,
    PublishForm,
)
from .common import has_units, refuse, stream, units_or_404

MANAGE = Capability.SUPERVISE_CASES
PERIODS_SHOWN = 3


@login_required
def action_list(request):
    """List the actions of the user's units with their case counts."""
    units_or_404(request.user, Capability.VIEW_CASES)
    return render(
        request,
        "improvements/action_list.html",
        {
            "actions": selectors.action_list(user=request.user),
            "can_manage": has_units(request.user, MANAGE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_create(request):
    """Create an action in a unit the user supervises."""
    units = units_or_404(request.user, MANAGE)
    form = ActionForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.action_create(by=request.user, **data)
        except ApplicationError as exc:
            refuse(form, exc)
        else:
            messages.success(request, _("The action was created."))
            return redirect("improvements:action_detail", action.pk)
    status = 400 if form.errors else 200
    return render(request, "improvements/action_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request, action_id):
    """Change an action's details."""
    action = selectors.action_get(user=request.user, action_id=action_id, capability=MANAGE)
    units = units_or_404(request.user, MANAGE).filter(pk=action.unit_id)
    initial = {
        "title": action.title,
        "description": action.description,
        "owner": action.owner_id,
        "target_date": action.target_date,
    }
    form = ActionForm(request.POST or None, initial=initial, units=units, action=action)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_edit(action=action, by=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            refuse(form, exc)
        else:
            messages.success(request, _("The action was saved."))
            return redirect("improvements:action_detail", action.pk)
    status = 400 if form.errors else 200
    return render(
        request, "improvements/action_form.html", {"form": form, "action": action}, status=status
    )


def _page(request, action, *, failed: str = "", form=None, status: int = 200):
    """Render the action page; *form* replaces the blank form named *failed*."""
    user = request.user
    periods = list(selectors.periods_for(action)[:PERIODS_SHOWN])
    forms = {
        "progress": ProgressForm(initial={"status": action.status, "progress": action.progress}),
        "milestone": MilestoneForm(),
        "evidence": EvidenceForm(),
        "link": LinkCaseForm(),
        "finding": FindingForm(periods=selectors.periods_for(action)),
    }
    if failed:
        forms[failed] = form
    return render(
        request,
        "improvements/action_detail.html",
        {
            "action": action,
            "forms": forms,
            "failed": failed,
            "links": selectors.action_links(action),
            "milestones": action.milestones.all(),
            "evidence": action.evidence.all(),
            "findings": action.findings.select_related("period"),
            "updates": action.updates.select_related("by")[:20],
            "weak": [(p, selectors.weak_elements(p)) for p in periods],
            "can_manage": user_can(user, MANAGE, action.unit),
            "can_link": user_can(user, Capability.HANDLE_CASES, action.unit),
        },
        status=status,
    )


@login_required
def action_detail(request, action_id):
    """Show an action with its cases, findings, milestones, evidence and updates."""
    action = selectors.action_get(user=request.user, action_id=action_id)
    return _page(request, action)


def _post(request, action_id, *, name, form_class, call, done, capability=MANAGE, form_kwargs=None):
    """Validate the posted *name* form and call the service; re-render the page on refusal."""
    action = selectors.action_get(user=request.user, action_id=action_id, capability=capability)
    extra = form_kwargs(action) if form_kwargs else {}
    form = form_class(request.POST, request.FILES, **extra)
    if form.is_valid():
        try:
            call(action, form.cleaned_data)
        except ApplicationError as exc:
            refuse(form, exc)
        else:
            messages.success(request, done)
            return redirect("improvements:action_detail", action.pk)
    return _page(request, action, failed=name, form=form, status=400)


@login_required
@require_POST
def action_progress(request, action_id):
    """Set status and progress with a message to every linked reporter."""
    return _post(
        request,
        action_id,
        name="progress",
        form_class=ProgressForm,
        call=lambda a, d: services.action_progress_set(action=a, by=request.user, **d),
        done=_("Saved; every linked reporter will be told."),
    )


@login_required
@require_POST
def milestone_add(request, action_id):
    """Add a milestone."""
    return _post(
        request,
        action_id,
        name="milestone",
        form_class=MilestoneForm,
        call=lambda a, d: services.milestone_add(action=a, by=request.user, **d),
        done=_("The milestone was added."),
    )


@login_required
@require_POST
def milestone_done(request, action_id, milestone_id):
    """Mark a milestone done; linked reporters are told."""
    action = selectors.action_get(user=request.user, action_id=action_id, capability=MANAGE)
    milestone = get_scoped_or_404(action.milestones.all(), pk=milestone_id)
    try:
        services.milestone_done(milestone=milestone, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The milestone is done; every linked reporter will be told."))
    return redirect("improvements:action_detail", action.pk)


@login_required
@require_POST
def evidence_add(request, action_id):
    """Add a before or after photo or PDF, checked like a report's attachments."""
    return _post(
        request,
        action_id,
        name="evidence",
        form_class=EvidenceForm,
        call=lambda a, d: services.evidence_add(action=a, by=request.user, **d),
        done=_("The evidence was added."),
    )


@login_required
def evidence_file(request, action_id, evidence_id):
    """Stream an evidence file of a visible action."""
    action = selectors.action_get(user=request.user, action_id=action_id)
    return stream(get_scoped_or_404(action.evidence.all(), pk=evidence_id))


def _link(action, data, user):
    code = normalize_tracking_code(data["reference"]) or data["reference"].strip().upper()
    case = case_find(user=user, code=code)
    if case is None:
        raise ApplicationError(
            _("None of your units' cases has this reference or code."),
            code="not_found",
            extra={"field": "reference"},
        )
    return services.action_case_link(action=action, case=case, by=user)


@login_required
@require_POST
def case_link(request, action_id):
    """Link a case by its reference or a report's tracking code; its reporters are told."""
    return _post(
        request,
        action_id,
        name="link",
        form_class=LinkCaseForm,
        call=lambda a, d: _link(a, d, request.user),
        capability=Capability.HANDLE_CASES,
        done=_("The case was linked; its reporters will be told."),
    )


@login_required
@require_POST
def finding_add(request, action_id):
    """Link a weak SKM element of a survey period."""
    return _post(
        request,
        action_id,
        name="finding",
        form_class=FindingForm,
        call=lambda a, d: services.action_finding_link(action=a, by=request.user, **d),
        done=_("The SKM finding was linked."),
        form_kwargs=lambda a: {"periods": selectors.periods_for(a)},
    )


@login_required
@require_POST
def action_publish(request, action_id):
    """Publish the action on the transparency pages, or take it off."""
    action = selectors.action_get(user=request.user, action_id=action_id, capability=MANAGE)
    form = PublishForm(request.POST)
    form.is_valid()
    publish = bool(form.cleaned_data.get("publish"))
    services.action_publish(action=action, by=request.user, publish=publish)
    messages.success(
        request, _("The action is published.") if publish else _("The action is not public now.")
    )
    return redirect("improvements:action_detail", action.pk)


@login_required
@require_POST
def case_unlink(request, action_id, case_id):
    """Remove a case linked by mistake."""
    action = selectors.action_get(user=request.user, action_id=action_id, capability=MANAGE)
    link = get_scoped_or_404(action.links.select_related("case"), case_id=case_id)
    services.action_case_unlink(action=action, case=link.case, by=request.user)
    messages.success(request, _("The case was removed from the action."))
    return redirect("improvements:action_detail", action.pk)


@login_required
@require_POST
def evidence_remove(request, action_id, evidence_id):
    """Delete a piece of evidence."""
    action = selectors.action_get(user=request.user, action_id=action_id, capability=MANAGE)
    evidence = get_scoped_or_404(action.evidence.all(), pk=evidence_id)
    services.evidence_remove(evidence=evidence, by=request.user)
    messages.success(request, _("The evidence was deleted."))
    return redirect("improvements:action_detail", action.pk)
