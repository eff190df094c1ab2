"""Vocabularies of the case: kinds, channels, statuses, priorities and event kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint (pengaduan)")
    CRITICISM = "criticism", _("Criticism (kritik)")
    SUGGESTION = "suggestion", _("Suggestion (saran/masukan)")
    INFORMATION_REQUEST = (
        "information_request",
        _("Information request (permintaan informasi)"),
    )
    APPRECIATION = "appreciation", _("Appreciation (apresiasi)")


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    WALK_IN = "walk_in", _("In person at the counter")
    PHONE = "phone", _("Telephone")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SUGGESTION_BOX = "suggestion_box", _("Suggestion box")
    SOCIAL_MEDIA = "social_media", _("Social media")
    LAPOR = "lapor", _("SP4N-LAPOR!")
    API = "api", _("API")
    OPEN311 = "open311", _("Open311")


OFFICER_CHANNELS = [Channel.WALK_IN, Channel.PHONE]


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    VERIFIED = "verified", _("Verified")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_CITIZEN = "waiting_citizen", _("Waiting for your information")
    RESPONDED = "responded", _("Responded")
    REOPENED = "reopened", _("Reopened")
    RESOLVED = "resolved", _("Resolved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ARCHIVED = "archived", _("Archived")


OPEN_STATUSES = [
    CaseStatus.RECEIVED,
    CaseStatus.VERIFIED,
    CaseStatus.ASSIGNED,
    CaseStatus.IN_PROGRESS,
    CaseStatus.WAITING_CITIZEN,
    CaseStatus.RESPONDED,
    CaseStatus.REOPENED,
]

CLOSED_STATUSES = [
    CaseStatus.RESOLVED,
    CaseStatus.REJECTED,
    CaseStatus.WITHDRAWN,
    CaseStatus.ARCHIVED,
]


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class Complexity(models.TextChoices):
    """How much work resolution takes; it picks the resolution clock (domain.md 2.4, SIPPN)."""

    SIMPLE = "simple", _("Simple (ringan)")
    NORMATIVE = "normative", _("Normative (bersifat normatif)")
    STANDARD = "standard", _("No inspection needed (tidak berkadar pengawasan)")
    INSPECTION = "inspection", _("Needs inspection (berkadar pengawasan)")


class Step(models.TextChoices):
    """The step a case's deadline (due_at) belongs to."""

    VERIFICATION = "verification", _("Verification and forwarding")
    FIRST_REPLY = "first_reply", _("First substantive reply")
    RESOLUTION = "resolution", _("Resolution")
    CITIZEN_REPLY = "citizen_reply", _("Reporter's answer to the reply")
    CITIZEN_INFORMATION = "citizen_information", _("Reporter's missing information")


# Steps whose clock runs against the unit: their breach is undue delay (penundaan berlarut).
UNIT_STEPS = frozenset({Step.VERIFICATION, Step.FIRST_REPLY, Step.RESOLUTION})


class RejectReason(models.TextChoices):
    NOT_WITHIN_AUTHORITY = "not_within_authority", _("Not within our authority (bukan wewenang)")
    ABUSIVE = "abusive", _("Abusive or SARA content")
    SPAM = "spam", _("Spam")


class Transition(models.TextChoices):
    """What a user, the citizen or the system may do to a case."""

    VERIFY = "verify", _("Verify")
    ASSIGN = "assign", _("Dispose (disposisi)")
    START = "start", _("Start follow-up")
    REQUEST_INFORMATION = "request_information", _("Ask the reporter for information")
    INFORMATION_RECEIVED = "information_received", _("Reporter's information received")
    RESPOND = "respond", _("Reply")
    RESOLVE = "resolve", _("Resolve")
    REOPEN = "reopen", _("Reopen")
    REJECT = "reject", _("Reject")
    WITHDRAW = "withdraw", _("Withdraw")
    ARCHIVE = "archive", _("Archive")


_S = CaseStatus
# The transition table: for each transition, the statuses it may start from and where it leads.
# INFORMATION_RECEIVED returns to the status the case had before it waited (None here).
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    Transition.VERIFY: (frozenset({_S.RECEIVED}), _S.VERIFIED),
    Transition.ASSIGN: (
        frozenset({_S.RECEIVED, _S.VERIFIED, _S.ASSIGNED, _S.IN_PROGRESS, _S.REOPENED}),
        _S.ASSIGNED,
    ),
    Transition.START: (frozenset({_S.ASSIGNED, _S.REOPENED}), _S.IN_PROGRESS),
    Transition.REQUEST_INFORMATION: (
        frozenset({_S.RECEIVED, _S.VERIFIED, _S.ASSIGNED, _S.IN_PROGRESS, _S.REOPENED}),
        _S.WAITING_CITIZEN,
    ),
    Transition.INFORMATION_RECEIVED: (frozenset({_S.WAITING_CITIZEN}), None),
    # A reply before verification and disposition is allowed (a quick answer to a question),
    # but a complaint answered that way is flagged as a procedural deviation.
    Transition.RESPOND: (
        frozenset(
            {_S.RECEIVED, _S.VERIFIED, _S.ASSIGNED, _S.IN_PROGRESS, _S.REOPENED, _S.RESPONDED}
        ),
        _S.RESPONDED,
    ),
    # By the citizen's acceptance, by silence through the reply window, or by an officer;
    # resolving without a public reply is flagged as failure to serve.
    Transition.RESOLVE: (
        frozenset({_S.ASSIGNED, _S.IN_PROGRESS, _S.RESPONDED, _S.REOPENED}),
        _S.RESOLVED,
    ),
    Transition.REOPEN: (frozenset({_S.RESPONDED, _S.RESOLVED}), _S.REOPENED),
    Transition.REJECT: (frozenset({_S.RECEIVED, _S.VERIFIED, _S.ASSIGNED}), _S.REJECTED),
    Transition.WITHDRAW: (frozenset({_S.WAITING_CITIZEN}), _S.WITHDRAWN),
    # LAPOR!'s "Arsipkan": any case may be archived; an open one without a reply is flagged.
    Transition.ARCHIVE: (frozenset(set(_S) - {_S.ARCHIVED}), _S.ARCHIVED),
}


def allowed_transitions(status: str) -> list[str]:
    """Return the transitions the table allows from *status*, in table order."""
    return [t for t, (sources, _target) in TRANSITIONS.items() if status in sources]


class FlagKind(models.TextChoices):
    """Forms of maladministration detectable from timestamps (domain.md 3)."""

    UNDUE_DELAY = "undue_delay", _("Undue delay (penundaan berlarut)")
    FAILURE_TO_SERVE = "failure_to_serve", _("Failure to serve (tidak memberikan pelayanan)")
    PROCEDURAL_DEVIATION = (
        "procedural_deviation",
        _("Procedural deviation (penyimpangan prosedur)"),
    )


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Report received")
    INFORMATION_ADDED = "information_added", _("Reporter added information")
    REPORT_ATTACHED = "report_attached", _("Another report joined this case")
    REPORT_DETACHED = "report_detached", _("A report was separated from this case")
    VERIFIED = "verified", _("Verified")
    ASSIGNED = "assigned", _("Disposed")
    STARTED = "started", _("Follow-up started")
    INFORMATION_REQUESTED = "information_requested", _("Information requested from the reporter")
    INFORMATION_RECEIVED = "information_received", _("Reporter's information received")
    RESPONDED = "responded", _("Reply sent")
    RESOLVED = "resolved", _("Resolved")
    REOPENED = "reopened", _("Reopened")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ARCHIVED = "archived", _("Archived")
    UPDATE = "update", _("Progress update")
    EDITED = "edited", _("Details changed")
    NOTE = "note", _("Internal note")
    HANDED_OVER = "handed_over", _("Handed over at the end of a shift")
    REMINDER = "reminder", _("Deadline reminder sent")
    ESCALATED = "escalated", _("Escalated")
    FLAGGED = "flagged", _("Flagged: potential maladministration")
    URGENT = "urgent", _("Flagged urgent: possible danger to life or safety")
    RATED = "rated", _("Reporter rated the handling")
    IDENTITY_OPENED = "identity_opened", _("Reporter's identity opened")
    REPLY_SUBMITTED = "reply_submitted", _("Reply submitted for approval")
    REPLY_RETURNED = "reply_returned", _("Reply returned for changes")
    PUBLISHED = "published", _("Published on the transparency portal")
    UNPUBLISHED = "unpublished", _("Withdrawn from the transparency portal")
    INCIDENT_LINKED = "incident_linked", _("Linked to an incident")
    INCIDENT_UPDATE = "incident_update", _("Incident update")
    ACTION_LINKED = "action_linked", _("Linked to an improvement action")
    ACTION_UPDATE = "action_update", _("Improvement action update")
    MESSAGE_SENT = "message_sent", _("Message sent to the reporter")
    MESSAGE_RECEIVED = "message_received", _("Message received from the reporter")


# The event each transition records.
TRANSITION_EVENTS: dict[str, str] = {
    Transition.VERIFY: EventKind.VERIFIED,
    Transition.ASSIGN: EventKind.ASSIGNED,
    Transition.START: EventKind.STARTED,
    Transition.REQUEST_INFORMATION: EventKind.INFORMATION_REQUESTED,
    Transition.INFORMATION_RECEIVED: EventKind.INFORMATION_RECEIVED,
    Transition.RESPOND: EventKind.RESPONDED,
    Transition.RESOLVE: EventKind.RESOLVED,
    Transition.REOPEN: EventKind.REOPENED,
    Transition.REJECT: EventKind.REJECTED,
    Transition.WITHDRAW: EventKind.WITHDRAWN,
    Transition.ARCHIVE: EventKind.ARCHIVED,
}
