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
]


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class Step(models.TextChoices):
    """The step a case's deadline (due_at) belongs to."""

    VERIFICATION = "verification", _("Verification and forwarding")
    FIRST_REPLY = "first_reply", _("First substantive reply")
    RESOLUTION = "resolution", _("Resolution")


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Report received")
    INFORMATION_ADDED = "information_added", _("Reporter added information")
    REPORT_ATTACHED = "report_attached", _("Another report joined this case")
