"""Telling the reporters of linked cases: one public case event each, notified once."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from tanggap.cases.events import case_event_record
from tanggap.cases.models import Case, CaseEvent
from tanggap.cases.notify import reporters_notify


def case_tell(*, case: Case, kind: str, message: str, marker: dict, by=None) -> CaseEvent | None:
    """Record a public *kind* event on *case* and notify its reporters, once per *marker*.

    *marker* (one key and value, such as {"incident_update": 7}) is kept in the event's data;
    an event already carrying it means the reporters were told, so a retried task adds nothing.
    """
    ((key, value),) = marker.items()
    with transaction.atomic():
        if case.events.filter(kind=kind, **{f"data__{key}": value}).exists():
            return None
        event = case_event_record(case=case, kind=kind, actor=by, message=message, data=marker)
        reporters_notify(case=case, event=event)
    return event


def public_language():
    """Return a context in the interface's first language: event messages are stored once."""
    return translation.override(settings.LANGUAGE_CODE)


def absolute(path: str) -> str:
    """Return *path* on the public site (messages carry full links)."""
    return settings.SITE_URL.rstrip("/") + path


def action_public_url(action) -> str:
    """Return the public page of a published action."""
    return absolute(reverse("actions:detail", args=[action.pk]))
