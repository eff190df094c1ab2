"""Rollups of cases per unit and local day, the rollup cursor, theme snapshots and reports."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .histograms import empty as empty_histogram


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    SEMESTER = "semester", _("Semester")
    YEAR = "year", _("Year")


class RollupCounts(models.Model):
    """The counts, durations and ratings one rollup cell holds, daily or monthly alike."""

    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    received = models.PositiveIntegerField(_("received"), default=0)
    confidential = models.PositiveIntegerField(_("confidential"), default=0)
    kinds = models.JSONField(default=dict)
    channels = models.JSONField(default=dict)
    # Category id (as text) to count; "" for cases without a category.
    categories = models.JSONField(default=dict)
    statuses = models.JSONField(default=dict)
    verified = models.PositiveIntegerField(default=0)
    verified_on_time = models.PositiveIntegerField(default=0)
    replied = models.PositiveIntegerField(default=0)
    replied_on_time = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    resolved_on_time = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    # Cases with an undue-delay flag on any step of the unit.
    delayed = models.PositiveIntegerField(default=0)
    verify_hours = models.JSONField(default=empty_histogram)
    reply_hours = models.JSONField(default=empty_histogram)
    resolve_hours = models.JSONField(default=empty_histogram)
    # The reporters' verdicts on these cases: rating "1".."5" to count, and acceptances.
    ratings = models.JSONField(default=dict)
    accepted = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class DailyRollup(RollupCounts):
    """The cases a unit received on one local day, counted as they stand now.

    A case stays in the cell of the day it was received (in the unit's time zone); its later
    handling (verified, replied, resolved, rated, flagged) updates that cell. Durations are
    elapsed hours in the fixed buckets of histograms.py.
    """

    day = models.DateField(_("day"))
    # Cases received in each local hour 0-23 of the day.
    hours = models.JSONField(default=list)

    class Meta:
        verbose_name = _("daily rollup")
        verbose_name_plural = _("daily rollups")
        constraints = [
            models.UniqueConstraint(fields=["unit", "day"], name="unique_rollup_unit_day")
        ]

    def __str__(self):
        return f"{self.unit_id} {self.day} {self.received}"


class MonthlyRollup(RollupCounts):
    """The sum of a unit's daily rollups of one calendar month, so a year reads 12 rows.

    Kept by the same recomputation as the daily rows; ``heat`` is the weekday (Monday 0) by
    local hour table of the month.
    """

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    heat = models.JSONField(default=list)

    class Meta:
        verbose_name = _("monthly rollup")
        verbose_name_plural = _("monthly rollups")
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="unique_rollup_unit_month")
        ]

    def __str__(self):
        return f"{self.unit_id} {self.month:%Y-%m} {self.received}"


class OpenLoad(models.Model):
    """A unit's open cases per officer (None: not assigned), and how many are overdue.

    Recomputed for the units whose cases changed; a deadline passing is an event too (the
    sweep's escalation), so the overdue count follows within a rollup run.
    """

    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("officer"),
    )
    open = models.PositiveIntegerField(_("open"), default=0)
    overdue = models.PositiveIntegerField(_("overdue"), default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("open cases per officer")
        verbose_name_plural = _("open cases per officer")
        indexes = [models.Index(fields=["unit", "assignee"], name="openload_unit")]

    def __str__(self):
        return f"{self.unit_id} {self.assignee_id} {self.open}"


class RollupCursor(models.Model):
    """How far through the case event log the rollups are up to date."""

    name = models.CharField(max_length=40, unique=True)
    last_event_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rollup cursor")
        verbose_name_plural = _("rollup cursors")

    def __str__(self):
        return f"{self.name} {self.last_event_id}"


class ThemeSnapshot(models.Model):
    """The key phrases and their trend for a unit (with sub-units) and period, kept a while."""

    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    texts = models.PositiveIntegerField(default=0)
    phrases = models.JSONField(default=list)
    trends = models.JSONField(default=list)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("theme snapshot")
        verbose_name_plural = _("theme snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "starts_on", "ends_on"], name="unique_theme_snapshot"
            )
        ]

    def __str__(self):
        return f"{self.unit_id} {self.starts_on}–{self.ends_on}"


def report_path(instance, filename):
    return f"evaluation/{instance.unit_id}/{filename}"


class EvaluationReport(models.Model):
    """A unit's periodic evaluation report (laporan evaluasi) as a PDF and a workbook."""

    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.CASCADE,
        related_name="evaluation_reports",
        verbose_name=_("unit"),
    )
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    generated_at = models.DateTimeField(_("generated at"), default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    pdf = models.FileField(_("PDF"), upload_to=report_path, max_length=200)
    xlsx = models.FileField(_("workbook"), upload_to=report_path, max_length=200)

    class Meta:
        verbose_name = _("evaluation report")
        verbose_name_plural = _("evaluation reports")
        ordering = ["-starts_on", "period_kind", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period_kind", "starts_on"], name="unique_evaluation_report"
            )
        ]

    def __str__(self):
        return f"{self.unit_id} {self.period_kind} {self.starts_on}"
