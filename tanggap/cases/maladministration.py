"""Potential maladministration read from a case's event log (pure; domain.md 3).

Only the forms detectable from timestamps: undue delay (a step of the unit past its
deadline), failure to serve (closed without a substantive reply, or "not within authority"
without forwarding) and procedural deviation (a complaint answered without verification).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from .choices import UNIT_STEPS, EventKind, FlagKind, RejectReason, ReportKind, Step


@dataclass(frozen=True)
class Fact:
    """What the detector needs of one event."""

    kind: str
    at: datetime
    data: dict


@dataclass(frozen=True)
class Finding:
    """One flag: its form, the step concerned, why (a code) and the times that show it."""

    kind: str
    step: str
    reason: str
    due: datetime | None = None
    met: datetime | None = None


# Reasons, turned into sentences where flags are stored (cases/flags.py).
LATE_STEP, STILL_OPEN = "late_step", "still_open"
NO_REPLY, NOT_FORWARDED, UNVERIFIED_REPLY = "no_reply", "not_forwarded", "unverified_reply"


SUBSTANTIVE = {EventKind.RESPONDED, EventKind.UPDATE}
CLOSING = {EventKind.RESOLVED, EventKind.ARCHIVED}


def detect(*, report_kind: str, events: Iterable[Fact], now: datetime) -> list[Finding]:
    """Return the findings for a case whose log is *events* (in order), as of *now*."""
    found: dict[tuple[str, str], Finding] = {}

    def add(kind: str, step: str, reason: str, due=None, met=None) -> None:
        found.setdefault((kind, step), Finding(kind, step, reason, due, met))

    step, due = "", None
    replied = verified = rejected = closed = False
    for event in events:
        # In LAPOR! a disposition is the verification ("Verifikasi (= disposisi)").
        if event.kind in (EventKind.VERIFIED, EventKind.ASSIGNED):
            verified = True
        if event.kind in SUBSTANTIVE:
            if not verified and report_kind == ReportKind.COMPLAINT:
                add(FlagKind.PROCEDURAL_DEVIATION, Step.VERIFICATION, UNVERIFIED_REPLY)
            replied = True
        if event.kind == EventKind.REJECTED:
            rejected = True
            reason = event.data.get("reason")
            if reason == RejectReason.NOT_WITHIN_AUTHORITY and not event.data.get("forwarded_to"):
                add(FlagKind.FAILURE_TO_SERVE, "", NOT_FORWARDED)
        # A record imported already finished was handled in the other system, not here.
        handled_elsewhere = event.data.get("merged_into") or event.data.get("imported")
        if event.kind in CLOSING and not (replied or rejected or handled_elsewhere):
            add(FlagKind.FAILURE_TO_SERVE, "", NO_REPLY)
        new_step = event.data.get("due_step")
        moved_on = "due_step" in event.data and (new_step != step or event.kind in CLOSING)
        if moved_on and step in UNIT_STEPS and due is not None and event.at > due:
            add(FlagKind.UNDUE_DELAY, step, LATE_STEP, due, event.at)
        if "due_step" in event.data:
            step = new_step or ""
            due = datetime.fromisoformat(event.data["due_at"]) if event.data.get("due_at") else None
        if event.kind in CLOSING | {EventKind.REJECTED, EventKind.WITHDRAWN}:
            closed = True
        elif event.kind == EventKind.REOPENED:
            closed = False
    if not closed and step in UNIT_STEPS and due is not None and now > due:
        add(FlagKind.UNDUE_DELAY, step, STILL_OPEN, due)
    return list(found.values())
