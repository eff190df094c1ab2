"""The case (one matter, handled once, possibly reported many times) and its event log."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tanggap.common.models import BaseModel

from .choices import CaseStatus, Channel, EventKind, Priority, ReportKind, Step


class Case(BaseModel):
    """A matter a unit must handle within the legal deadlines; reports join it."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("organisation"),
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("unit"),
    )
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=ReportKind)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel)
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus, default=CaseStatus.RECEIVED
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority, default=Priority.NORMAL
    )
    category = models.ForeignKey(
        "accounts.Category",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("category"),
    )
    service = models.ForeignKey(
        "accounts.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("service"),
    )
    title = models.CharField(_("title"), max_length=200)
    # The case's search document: its title and every text its reporters sent, kept by services.
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    is_confidential = models.BooleanField(_("confidential (rahasia)"), default=False)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    due_step = models.CharField(_("due step"), max_length=20, choices=Step, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["unit", "due_at", "id"], name="case_unit_due"),
            models.Index(fields=["unit", "status", "due_at", "id"], name="case_unit_status_due"),
            models.Index(fields=["unit", "-received_at", "-id"], name="case_unit_received"),
            models.Index(fields=["status", "due_at"], name="case_status_due"),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"


class AppendOnlyQuerySet(models.QuerySet):
    """Refuse bulk updates and deletes: the event log is evidence."""

    def update(self, **kwargs):
        raise TypeError("case events are append-only")

    def delete(self):
        raise TypeError("case events are append-only")


class CaseEvent(models.Model):
    """One entry of a case's append-only log: the public timeline and the audit trail."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="events", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    is_public = models.BooleanField(_("shown to the reporter"), default=True)
    message = models.TextField(_("message"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("case events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("case events are append-only")
