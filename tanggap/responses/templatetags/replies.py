"""Reply panels that the intake screens (below this app) place by name: officer and citizen."""

from django import template

from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import user_can
from tanggap.cases.choices import CLOSED_STATUSES

from .. import selectors
from ..forms import NoteForm, ReplyForm, TemplateChoiceForm, VerdictForm

register = template.Library()


@register.inclusion_tag("responses/case_panel.html", takes_context=True)
def case_replies(context, case):
    """The officer's panel on the case page: replies, internal notes and the forms to add them."""
    request = context.get("request")
    user = request.user
    can_handle = user_can(user, Capability.HANDLE_CASES, case.unit)
    templates = selectors.templates_for(case) if can_handle else None
    is_open = case.status not in CLOSED_STATUSES
    return {
        "case": case,
        "request": request,
        "user": user,
        "replies": list(selectors.case_replies(case=case)),
        "notes": list(selectors.case_notes(case=case)),
        "can_handle": can_handle,
        "can_supervise": user_can(user, Capability.SUPERVISE_CASES, case.unit),
        "needs_approval": selectors.reply_settings_for(case.unit).requires_approval,
        "form": ReplyForm(prefix="reply") if can_handle and is_open else None,
        "picker": TemplateChoiceForm(templates=templates) if templates is not None else None,
        "has_templates": templates is not None and templates.exists(),
        "note_form": NoteForm(prefix="note") if can_handle else None,
    }


@register.inclusion_tag("responses/citizen_panel.html", takes_context=True)
def citizen_replies(context, report):
    """The replies and the verdict form on the citizen's tracking page."""
    return {
        "report": report,
        "case": report.case,
        "request": context.get("request"),
        "replies": list(selectors.published_replies(case=report.case)),
        "state": selectors.verdict_state(report=report),
        "form": VerdictForm(prefix="verdict"),
    }
