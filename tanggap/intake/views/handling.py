"""The case page and what officers do there: transitions, details and duplicates.

Every form posts the version of the case it was shown; a service refusal re-renders the page
with its message (409 for a stale form, 400 otherwise) and changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import get_scoped_or_404, units_for, user_can
from tanggap.cases.choices import Transition, allowed_transitions
from tanggap.cases.duplicates import similar_cases
from tanggap.cases.forms import TRANSITION_FORMS, AttachForm, CaseEditForm
from tanggap.cases.selectors import case_find, case_get, case_timeline, handlers_for
from tanggap.cases.suggestions import case_suggestions, picked_suggestions, suggested_rank
from tanggap.cases.workflow import (
    REQUIRED,
    case_archive,
    case_assign,
    case_edit,
    case_reject,
    case_reopen,
    case_request_information,
    case_resolve,
    case_start,
    case_verify,
    case_withdraw,
)
from tanggap.common.exceptions import ApplicationError
from tanggap.insights.models import SuggestionTarget

from ..forms import IdentityRevealForm
from ..models import IdentityAccess
from ..services import cases_merge, report_attach, report_detach
from ..tracking import normalize_tracking_code

# What each transition form calls: (case, user, cleaned data) → the service.
ACTIONS = {
    Transition.VERIFY: lambda c, by, d: case_verify(
        case=c, by=by, complexity=d["complexity"], note=d["note"], version=d["version"]
    ),
    Transition.ASSIGN: lambda c, by, d: case_assign(
        case=c,
        by=by,
        unit=d["unit"],
        officer=d["officer"],
        note=d["note"],
        version=d["version"],
        suggested_rank=suggested_rank(
            case=c, user=by, target=SuggestionTarget.UNIT, choice=d["unit"]
        ),
    ),
    Transition.START: lambda c, by, d: case_start(
        case=c, by=by, note=d["note"], version=d["version"]
    ),
    Transition.REQUEST_INFORMATION: lambda c, by, d: case_request_information(
        case=c, by=by, message=d["message"], version=d["version"]
    ),
    Transition.RESOLVE: lambda c, by, d: case_resolve(
        case=c, by=by, note=d["note"], version=d["version"]
    ),
    Transition.REJECT: lambda c, by, d: case_reject(
        case=c,
        by=by,
        reason=d["reason"],
        note=d["note"],
        forwarded_to=d["forwarded_to"],
        version=d["version"],
    ),
    Transition.WITHDRAW: lambda c, by, d: case_withdraw(
        case=c, by=by, note=d["note"], version=d["version"]
    ),
    Transition.REOPEN: lambda c, by, d: case_reopen(
        case=c, by=by, reason=d["reason"], version=d["version"]
    ),
    Transition.ARCHIVE: lambda c, by, d: case_archive(
        case=c, by=by, note=d["note"], version=d["version"]
    ),
}


def status_for(exc: ApplicationError) -> int:
    """Return the HTTP status of a refused act: 409 for a stale form, 400 otherwise."""
    return 409 if exc.code == "conflict" else 400


def transition_form(transition: str, user, case, data=None):
    """Return the form of *transition* for *case*, bound to *data* when given."""
    kwargs = {"prefix": transition, "initial": {"version": case.version}}
    if transition == Transition.ASSIGN:
        kwargs |= {
            "units": units_for(user, Capability.HANDLE_CASES),
            "memberships": handlers_for(user),
        }
        kwargs["initial"] |= {"unit": case.unit_id}
    if transition == Transition.VERIFY:
        kwargs["initial"] |= {"complexity": case.complexity}
    return TRANSITION_FORMS[transition](data, **kwargs)


def available_transitions(user, case) -> list[str]:
    """Return the transitions the table allows from the case's status and the user may do."""
    rights = {
        Capability.HANDLE_CASES: user_can(user, Capability.HANDLE_CASES, case.unit),
        Capability.SUPERVISE_CASES: user_can(user, Capability.SUPERVISE_CASES, case.unit),
    }
    return [
        t
        for t in allowed_transitions(case.status)
        if t in TRANSITION_FORMS and rights.get(REQUIRED[t], False)
    ]


def case_page(request, case, *, failed=None, status=200, **extra):
    """Render the case page; *failed* is (name, bound form) of a refused act, shown with errors."""
    user = request.user
    failed_name, failed_form = failed or (None, None)
    can_handle = user_can(user, Capability.HANDLE_CASES, case.unit)
    actions = [
        (
            t,
            Transition(t).label,
            failed_form if t == failed_name else transition_form(t, user, case),
        )
        for t in available_transitions(user, case)
    ]
    forms = {
        "edit": CaseEditForm(case=case, prefix="case-edit"),
        "attach": AttachForm(case=case, prefix="case-attach"),
    }
    if failed_name in forms:
        forms[failed_name] = failed_form
    # A suggestion the officer clicked fills in its form field; nothing is chosen otherwise.
    suggestions = case_suggestions(case=case, user=user)
    picked = picked_suggestions(request.GET, suggestions)
    for name, _label, form in actions:
        if name == Transition.ASSIGN and not form.is_bound and "unit" in picked:
            form.initial["unit"] = picked["unit"]
    if not forms["edit"].is_bound and "category" in picked:
        forms["edit"].initial["category"] = picked["category"]
    reports = case.reports.select_related("service", "category", "counter", "received_by")
    reports = list(reports.prefetch_related("attachments"))
    context = {
        "case": case,
        "now": timezone.now(),
        "reports": [(r, r.attachments.all()) for r in reports],
        "report_count": len(reports),
        "timeline": case_timeline(case=case, public_only=False),
        "flags": case.flags.all(),
        "notifications": case.notifications.order_by("-created_at")[:50],
        "can_view_identity": user_can(user, Capability.VIEW_IDENTITY, case.unit),
        "can_handle": can_handle,
        "accesses": IdentityAccess.objects.filter(report__case=case).select_related("user")[:20],
        "actions": actions,
        "forms": forms,
        "failed_name": failed_name,
        "failed_form": failed_form,
        "reveal_form": IdentityRevealForm(),
        "similar": similar_cases(case=case, user=user),
        "suggestions": suggestions,
        "suggestion_picked": picked,
    }
    return render(request, "officer/case_detail.html", context | extra, status=status)


@login_required
def case_detail(request, case_id):
    """Show a case with its reports, timeline, deadline, flags, notices and the action panel."""
    return case_page(request, case_get(user=request.user, case_id=case_id))


def _done(request, case, message):
    messages.success(request, message)
    return redirect("officer:case_detail", case_id=case.pk)


@login_required
@require_POST
def case_action(request, case_id, action):
    """Perform one transition through its service; a refusal changes nothing."""
    case = case_get(user=request.user, case_id=case_id)
    if action not in TRANSITION_FORMS:
        raise Http404
    form = transition_form(action, request.user, case, data=request.POST)
    if not form.is_valid():
        return case_page(request, case, failed=(action, form), status=400)
    try:
        ACTIONS[action](case, request.user, form.cleaned_data)
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return case_page(request, case, failed=(action, form), status=status_for(exc))
    return _done(request, case, _("Done: %(action)s.") % {"action": Transition(action).label})


@login_required
@require_POST
def case_edit_view(request, case_id):
    """Change the case's title, kind, priority, complexity, category, service or secrecy."""
    case = case_get(user=request.user, case_id=case_id)
    form = CaseEditForm(request.POST, case=case, prefix="case-edit")
    if not form.is_valid():
        return case_page(request, case, failed=("edit", form), status=400)
    changes = form.changes()
    rank = None
    if changes["category"] != case.category:
        rank = suggested_rank(
            case=case,
            user=request.user,
            target=SuggestionTarget.CATEGORY,
            choice=changes["category"],
        )
    try:
        case_edit(
            case=case,
            by=request.user,
            changes=changes,
            version=form.cleaned_data["version"],
            suggested_rank=rank,
        )
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return case_page(request, case, failed=("edit", form), status=status_for(exc))
    return _done(request, case, _("The details were saved."))


def find_case(user, raw: str):
    """Return the visible case a user typed the reference or a tracking code of, or None."""
    raw = raw.strip().upper()
    return case_find(user=user, code=normalize_tracking_code(raw) or raw)


@login_required
@require_POST
def case_attach(request, case_id):
    """Join this case's report (or all of them) to another case: it is a duplicate."""
    case = case_get(user=request.user, case_id=case_id)
    form = AttachForm(request.POST, case=case, prefix="case-attach")
    target = None
    if form.is_valid():
        target = find_case(request.user, form.cleaned_data["target"])
        if target is None:
            form.add_error("target", _("None of your units' cases has this reference or code."))
    if target is None:
        return case_page(request, case, failed=("attach", form), status=400)
    try:
        if report := form.cleaned_data["report"]:
            report_attach(report=report, case=target, by=request.user)
        else:
            cases_merge(cases=[case], into=target, by=request.user)
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return case_page(request, case, failed=("attach", form), status=status_for(exc))
    return _done(request, target, _("The report joined case %(ref)s.") % {"ref": target.reference})


@login_required
@require_POST
def report_detach_view(request, case_id, report_id):
    """Separate a report that is not a duplicate into a case of its own."""
    case = case_get(user=request.user, case_id=case_id)
    report = get_scoped_or_404(case.reports.all(), pk=report_id)
    try:
        new_case = report_detach(report=report, by=request.user)
    except ApplicationError as exc:
        return case_page(request, case, status=status_for(exc), action_error=exc.message)
    return _done(
        request,
        new_case,
        _("Report %(code)s is now case %(ref)s.")
        % {"code": report.tracking_code, "ref": new_case.reference},
    )
