"""Improvement actions linked to cases and SKM findings, and incidents that gather reports."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tanggap.common.models import BaseModel
from tanggap.surveys.models import ELEMENT_CHOICES

from .choices import ActionStatus, CloseOutcome, EvidenceStage, IncidentStatus


def evidence_path(instance, filename):
    # A random name: the uploader's file name never reaches the file system.
    return f"improvements/{instance.action_id}/{uuid.uuid4().hex}"


class ImprovementAction(BaseModel):
    """An improvement a unit commits to because of reports and SKM findings (published or not)."""

    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        related_name="improvement_actions",
        verbose_name=_("unit"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus, default=ActionStatus.PLANNED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("first published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    cases = models.ManyToManyField(
        "cases.Case", through="ActionCase", related_name="improvement_actions"
    )

    class Meta:
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["is_published", "-published_at"], name="action_public")]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="action_progress")
        ]

    def __str__(self):
        return self.title


class ActionCase(models.Model):
    """One case that led to an action: who linked it and when."""

    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="links")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="action_links")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    linked_at = models.DateTimeField(_("linked at"), default=timezone.now)

    class Meta:
        verbose_name = _("case of an action")
        verbose_name_plural = _("cases of actions")
        constraints = [
            models.UniqueConstraint(fields=["action", "case"], name="action_case_unique")
        ]

    def __str__(self):
        return f"{self.action_id} ← {self.case_id}"


class ActionFinding(models.Model):
    """A weak SKM element of a survey period that the action answers."""

    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="findings")
    period = models.ForeignKey(
        "surveys.SurveyPeriod", on_delete=models.PROTECT, related_name="+", verbose_name=_("period")
    )
    element = models.CharField(_("element"), max_length=20, choices=ELEMENT_CHOICES)
    # The element's NRR when it was linked (1..4), so the action page shows what it answered.
    nrr = models.DecimalField(_("NRR"), max_digits=5, decimal_places=3, null=True, blank=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    linked_at = models.DateTimeField(_("linked at"), default=timezone.now)

    class Meta:
        verbose_name = _("SKM finding of an action")
        verbose_name_plural = _("SKM findings of actions")
        constraints = [
            models.UniqueConstraint(
                fields=["action", "period", "element"], name="action_finding_unique"
            )
        ]

    def __str__(self):
        return f"{self.period_id}:{self.element}"


class Milestone(models.Model):
    """A step of an action, with its due date and when it was done."""

    action = models.ForeignKey(
        ImprovementAction, on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("title"), max_length=200)
    due = models.DateField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = [models.F("due").asc(nulls_last=True), "id"]

    def __str__(self):
        return self.title


class Evidence(BaseModel):
    """A photo or PDF showing the situation before or after the action (checked and cleaned)."""

    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="evidence")
    stage = models.CharField(_("before or after"), max_length=10, choices=EvidenceStage)
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    caption = models.CharField(_("caption"), max_length=300)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        # "before" sorts after "after": descending puts the before pictures first.
        ordering = ["-stage", "created_at", "id"]

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class ActionUpdate(models.Model):
    """A change of an action that every reporter of its cases is told about."""

    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="updates")
    message = models.TextField(_("message"), max_length=2000)
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus)
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("action update")
        verbose_name_plural = _("action updates")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.action_id} @ {self.at:%Y-%m-%d %H:%M}"


class Incident(BaseModel):
    """One event (an outage, a billing error, a system failure) that many reports are about."""

    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="incidents", verbose_name=_("unit")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("public description"),
        max_length=2000,
        help_text=_("Every reporter of a linked report reads it: no personal details."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=IncidentStatus, default=IncidentStatus.OPEN
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    cases = models.ManyToManyField("cases.Case", through="IncidentCase", related_name="incidents")

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return self.title


class IncidentCase(models.Model):
    """One case about an incident, and what closing the incident did to it."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="links")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="incident_links")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    linked_at = models.DateTimeField(_("linked at"), default=timezone.now)
    outcome = models.CharField(
        _("closing outcome"), max_length=20, choices=CloseOutcome, blank=True
    )
    outcome_note = models.CharField(_("closing note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("case of an incident")
        verbose_name_plural = _("cases of incidents")
        constraints = [
            models.UniqueConstraint(fields=["incident", "case"], name="incident_case_unique")
        ]

    def __str__(self):
        return f"{self.incident_id} ← {self.case_id}"


class IncidentUpdate(models.Model):
    """A public message about an incident, sent to every reporter of its cases."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="updates")
    message = models.TextField(_("message"), max_length=2000)
    status = models.CharField(_("status"), max_length=20, choices=IncidentStatus)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("incident update")
        verbose_name_plural = _("incident updates")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.incident_id} @ {self.at:%Y-%m-%d %H:%M}"
