"""How a case reads on a page: the organisation's status labels, the due badge, who acted."""

import threading
import time

from django import template
from django.core.signals import request_started
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tanggap.cases.choices import CaseStatus, EventKind
from tanggap.cases.filters import DueState
from tanggap.cases.models import Case, StatusLabel
from tanggap.cases.selectors import due_state
from tanggap.insights.urgency import REASONS

register = template.Library()

# Labels change rarely: each thread keeps an organisation's labels for the request it serves
# (cleared when the next request starts) and, outside requests (workers), for a minute.
LABELS_TTL = 60.0
_local = threading.local()


def status_labels_forget(**_kwargs) -> None:
    """Forget the cached labels of this thread."""
    _local.labels = None


request_started.connect(status_labels_forget, dispatch_uid="tanggap.cases.status_labels")


def _labels(organisation_id: int) -> dict[str, tuple[str, str]]:
    cached = getattr(_local, "labels", None)
    now = time.monotonic()
    if cached is None or now - cached[0] > LABELS_TTL:
        cached = _local.labels = (now, {})
    labels = cached[1]
    if organisation_id not in labels:
        labels[organisation_id] = {
            status: (label_id, label_en)
            for status, label_id, label_en in StatusLabel.objects.filter(
                organisation_id=organisation_id
            ).values_list("status", "label_id", "label_en")
        }
    return labels[organisation_id]


@register.filter
def status_label(case) -> str:
    """Return the organisation's own word for the case's status, else the standard one."""
    label_id, label_en = _labels(case.organisation_id).get(case.status, ("", ""))
    own = label_en if (get_language() or "").startswith("en") else label_id
    return own or CaseStatus(case.status).label


BADGE_CLASS = {
    DueState.OVERDUE: "late",
    DueState.SOON: "soon",
    DueState.ON_TIME: "ok",
    DueState.REPORTER: "",
}


@register.filter(name="due_state")
def due_state_filter(case, now) -> str:
    """Return the case's DueState at *now* ("" without a deadline)."""
    return due_state(case, now=now)


@register.simple_tag
def due_badge(case, now):
    """Render the case's due state as a badge in words (not colour alone)."""
    state = due_state(case, now=now)
    if not state:
        return ""
    return format_html(
        '<span class="badge {}" data-due="{}">{}</span>',
        BADGE_CLASS[state],
        state,
        DueState(state).label,
    )


# Without an actor, these events come from the reporter when a request caused them.
REPORTER_EVENTS = frozenset(
    {
        EventKind.RECEIVED,
        EventKind.INFORMATION_ADDED,
        EventKind.INFORMATION_RECEIVED,
        EventKind.REOPENED,
        EventKind.RESOLVED,
        EventKind.RATED,
    }
)


@register.filter
def event_actor(event) -> str:
    """Return who recorded *event*: the officer, a routing rule, the system or the reporter."""
    if event.actor_id:
        return event.actor.get_full_name() or event.actor.username
    if rule := (event.data or {}).get("rule"):
        return _("Routing rule “%(name)s”") % {"name": rule}
    if event.origin != "system" and event.kind in REPORTER_EVENTS:
        return _("Reporter")
    return _("System")


def _field_label(name: str) -> str:
    try:
        return str(Case._meta.get_field(name).verbose_name)
    except LookupError:
        return name


@register.filter
def event_detail(event) -> str:
    """Return the facts an event's data adds to its line: where a case went, what changed."""
    data = event.data or {}
    kind = event.kind
    if kind == EventKind.ASSIGNED:
        to = ", ".join(filter(None, [data.get("unit_name"), data.get("officer_name")]))
        return _("To: %(to)s") % {"to": to} if to else ""
    if kind == EventKind.REJECTED and data.get("forwarded_to"):
        return _("Forwarded to: %(agency)s") % {"agency": data["forwarded_to"]}
    if kind == EventKind.REPORT_ATTACHED:
        return _("Report %(report)s from case %(case)s") % {
            "report": data.get("report", ""),
            "case": data.get("from_case", ""),
        }
    if kind == EventKind.REPORT_DETACHED:
        return _("Report %(report)s to case %(case)s") % {
            "report": data.get("report", ""),
            "case": data.get("to_case", ""),
        }
    if kind == EventKind.ARCHIVED and data.get("merged_into"):
        return _("Merged into case %(case)s") % {"case": data["merged_into"]}
    if kind == EventKind.EDITED and data.get("changes"):
        return _("Changed: %(fields)s") % {
            "fields": ", ".join(_field_label(name) for name in data["changes"])
        }
    if kind == EventKind.ESCALATED and data.get("level"):
        return _("Level %(level)s") % {"level": data["level"]}
    if kind == EventKind.URGENT and data.get("reasons"):
        return _("Signs: %(reasons)s") % {
            "reasons": ", ".join(str(REASONS.get(code, code)) for code in data["reasons"])
        }
    if kind == EventKind.HANDED_OVER:
        return _("To: %(to)s") % {"to": data["to_name"]} if data.get("to_name") else ""
    return ""
