"""Vocabularies of improvement actions and incidents."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class EvidenceStage(models.TextChoices):
    BEFORE = "before", _("Before")
    AFTER = "after", _("After")


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MONITORING = "monitoring", _("Monitoring")
    RESOLVED = "resolved", _("Resolved")


class CloseOutcome(models.TextChoices):
    """What closing an incident did to one linked case."""

    PENDING = "pending", _("Waiting for the worker")
    CLOSED = "closed", _("Resolved with the incident's answer")
    ALREADY_CLOSED = "already_closed", _("Was already closed; told of the closing")
    LEFT_OPEN = "left_open", _("Left open: handle it on its own")
    FAILED = "failed", _("Failed: handle it on its own")
