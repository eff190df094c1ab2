"""The case (one matter, handled once, possibly reported many times) and its event log."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tanggap.common.models import BaseModel

from .choices import (
    CaseStatus,
    Channel,
    Complexity,
    EventKind,
    FlagKind,
    Priority,
    RejectReason,
    ReportKind,
    Step,
)


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
    complexity = models.CharField(
        _("complexity"), max_length=12, choices=Complexity, default=Complexity.STANDARD
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assigned officer"),
    )
    reject_reason = models.CharField(
        _("rejection reason"), max_length=30, choices=RejectReason, blank=True
    )
    # While the case waits for the reporter, the unit's clock is parked here (it pauses).
    status_before_wait = models.CharField(max_length=20, choices=CaseStatus, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_step = models.CharField(max_length=20, choices=Step, blank=True)
    paused_due_at = models.DateTimeField(null=True, blank=True)
    # Milestones, kept for statistics and the maladministration checks.
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    first_replied_at = models.DateTimeField(_("first replied at"), null=True, blank=True)
    responded_at = models.DateTimeField(_("last replied at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Escalation: how many deadlines were breached, and the level reached (1 supervisor,
    # 2 the supervisor of the parent unit).
    breaches = models.PositiveSmallIntegerField(_("deadline breaches"), default=0)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    # The sweep's agenda: when it must next look at this case and what it will do then.
    next_sweep_at = models.DateTimeField(null=True, blank=True)
    sweep_stage = models.CharField(max_length=12, blank=True)
    # Optimistic locking: a form carries the version it was shown; a stale one is refused.
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["unit", "due_at", "id"], name="case_unit_due"),
            models.Index(fields=["unit", "status", "due_at", "id"], name="case_unit_status_due"),
            models.Index(fields=["unit", "-received_at", "-id"], name="case_unit_received"),
            models.Index(fields=["status", "due_at"], name="case_status_due"),
            models.Index(fields=["next_sweep_at", "id"], name="case_next_sweep"),
            models.Index(fields=["assignee", "status"], name="case_assignee_status"),
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
    # Where the act came from: the client address, "system" for tasks, or a channel.
    origin = models.CharField(_("from"), max_length=64, blank=True)

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


class CaseFlag(BaseModel):
    """A potential maladministration found from the case's timestamps, for the auditor."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="flags", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=FlagKind)
    step = models.CharField(_("step"), max_length=20, choices=Step, blank=True)
    detail = models.CharField(_("detail"), max_length=300)
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)

    class Meta:
        verbose_name = _("maladministration flag")
        verbose_name_plural = _("maladministration flags")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "step"], name="unique_case_flag")
        ]
        indexes = [models.Index(fields=["-raised_at", "-id"], name="caseflag_raised")]

    def __str__(self):
        return f"{self.case_id} {self.kind} {self.step}"


class DayType(models.TextChoices):
    WORKING_DAYS = "working_days", _("Working days (hari kerja)")
    CALENDAR_DAYS = "calendar_days", _("Calendar days (hari)")


class DeadlinePolicy(BaseModel):
    """A unit's deadlines for a report kind and priority; the defaults come from domain.md 2.4b.

    The most specific policy wins: the case's unit before its ancestors, a named kind or
    priority before "any". A unit open 24 hours counts each day as 24 elapsed hours.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="deadline_policies",
        verbose_name=_("organisation"),
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deadline_policies",
        verbose_name=_("unit"),
        help_text=_("Empty: every unit of the organisation."),
    )
    kind = models.CharField(_("report kind"), max_length=30, choices=ReportKind, blank=True)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority, blank=True)
    day_type = models.CharField(
        _("unit's deadlines count"),
        max_length=16,
        choices=DayType,
        default=DayType.WORKING_DAYS,
    )
    verification_days = models.PositiveSmallIntegerField(
        _("verification and forwarding"), default=3
    )
    first_reply_days = models.PositiveSmallIntegerField(_("first substantive reply"), default=5)
    resolution_simple_days = models.PositiveSmallIntegerField(_("resolution: simple"), default=2)
    resolution_normative_days = models.PositiveSmallIntegerField(
        _("resolution: normative"), default=5
    )
    resolution_standard_days = models.PositiveSmallIntegerField(
        _("resolution: no inspection needed"), default=14
    )
    resolution_inspection_days = models.PositiveSmallIntegerField(
        _("resolution: needs inspection"), default=60
    )
    citizen_reply_days = models.PositiveSmallIntegerField(
        _("reporter's reply window (calendar days)"), default=10
    )
    information_days = models.PositiveSmallIntegerField(
        _("reporter's time to complete information (calendar days)"), default=30
    )
    reminder_hours = models.PositiveSmallIntegerField(
        _("remind this many hours before a deadline"), default=24
    )
    escalation_grace_days = models.PositiveSmallIntegerField(
        _("days after an escalation before the next level"), default=2
    )

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "unit", "kind", "priority"],
                name="unique_deadline_policy",
            )
        ]

    def __str__(self):
        return f"{self.unit or self.organisation} {self.kind or '*'} {self.priority or '*'}"


class RoutingRule(BaseModel):
    """Dispose new reports automatically by category, service and place, first match wins."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="routing_rules",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    category = models.ForeignKey(
        "accounts.Category",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("category"),
    )
    service = models.ForeignKey(
        "accounts.Service",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("service"),
    )
    location_contains = models.CharField(
        _("location contains"),
        max_length=120,
        blank=True,
        help_text=_("A place name, e.g. a kecamatan; matched without regard to case."),
    )
    target_unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("dispose to unit"),
    )
    target_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("and to officer"),
    )

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["organisation", "position", "id"]

    def __str__(self):
        return self.name


class Shift(BaseModel):
    """An officer on duty at a 24-hour unit; new reports go to the officers on duty."""

    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.CASCADE, related_name="shifts", verbose_name=_("unit")
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="shifts",
        verbose_name=_("officer"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    handover_note = models.TextField(_("handover note"), blank=True)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shift roster")
        ordering = ["unit", "starts_at"]
        indexes = [models.Index(fields=["unit", "starts_at", "ends_at"], name="shift_unit_time")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.officer} {self.starts_at:%Y-%m-%d %H:%M}"


class StatusLabel(BaseModel):
    """An organisation's own words for a status, shown to officers and citizens."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="status_labels",
        verbose_name=_("organisation"),
    )
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus)
    label_id = models.CharField(_("label in Indonesian"), max_length=60)
    label_en = models.CharField(_("label in English"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("status label")
        verbose_name_plural = _("status labels")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "status"], name="unique_status_label")
        ]

    def __str__(self):
        return f"{self.status}: {self.label_id}"


class CaseBandKey(models.Model):
    """One LSH band key of a text of a case (insights.similarity); equal keys mark look-alikes.

    A case holds the keys of every text its reporters sent; keys are only ever added. The
    primary key (key, case) is the lookup index. No index on the case alone: cases are never
    deleted (their events are protected) and keys are not read by case.
    """

    pk = models.CompositePrimaryKey("key", "case")
    key = models.BigIntegerField()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+", db_index=False)

    class Meta:
        verbose_name = _("duplicate detection key")
        verbose_name_plural = _("duplicate detection keys")

    def __str__(self):
        return f"{self.case_id} {self.key}"
