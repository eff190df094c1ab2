"""SKM periods and responses; answers are stored by element key, never by position."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tanggap.common.models import BaseModel

from .choices import (
    Education,
    FollowUpStatus,
    Gender,
    Occupation,
    PeriodKind,
    ResponseChannel,
    SamplingMethod,
)
from .elements import ELEMENT_KEYS, ELEMENTS
from .sampling import krejcie_morgan, slovin

# Stored by key; shown with the element's Indonesian name (the regulation's own words).
ELEMENT_CHOICES = [(key, ELEMENTS[key].name_id) for key in ELEMENT_KEYS]


class SurveyPeriod(BaseModel):
    """A survey period of a unit (optionally of one service), with its sample target."""

    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        related_name="survey_periods",
        verbose_name=_("unit"),
    )
    service = models.ForeignKey(
        "accounts.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_periods",
        verbose_name=_("service"),
        help_text=_("Leave empty for a survey of all the unit's services."),
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=PeriodKind, default=PeriodKind.SEMESTER
    )
    name = models.CharField(
        _("name"), max_length=120, help_text=_("For example “Semester I 2026”.")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    population = models.PositiveIntegerField(
        _("population estimate"),
        null=True,
        blank=True,
        help_text=_("Service recipients expected in the period; sets the sample target."),
    )
    sampling = models.CharField(
        _("sample size method"),
        max_length=20,
        choices=SamplingMethod,
        default=SamplingMethod.KREJCIE_MORGAN,
    )
    requires_code = models.BooleanField(
        _("one response per ticket code"),
        default=False,
        help_text=_("Tick when a code printed on the queue ticket or receipt must be entered."),
    )
    is_closed = models.BooleanField(_("closed early"), default=False)

    class Meta:
        verbose_name = _("survey period")
        verbose_name_plural = _("survey periods")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="period_dates_ordered"
            )
        ]

    def __str__(self):
        return f"{self.unit} · {self.name}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The period cannot end before it starts.")})
        if self.service_id and self.unit_id and self.service.unit_id != self.unit_id:
            raise ValidationError({"service": _("The service belongs to another unit.")})

    @property
    def target(self) -> int | None:
        """Return the minimum number of respondents, or None without a population estimate."""
        if not self.population:
            return None
        if self.sampling == SamplingMethod.SLOVIN:
            return slovin(self.population)
        return krejcie_morgan(self.population)

    def is_open_on(self, day) -> bool:
        return not self.is_closed and self.starts_on <= day <= self.ends_on

    @property
    def is_open(self) -> bool:
        return self.is_open_on(timezone.localdate())


class SurveyResponse(BaseModel):
    """One respondent's answers; suspicious ones are flagged and kept, never dropped."""

    period = models.ForeignKey(
        SurveyPeriod, on_delete=models.PROTECT, related_name="responses", verbose_name=_("period")
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        related_name="survey_responses",
        verbose_name=_("unit"),
    )
    service = models.ForeignKey(
        "accounts.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("service received"),
    )
    counter = models.ForeignKey(
        "accounts.Counter",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("counter"),
    )
    channel = models.CharField(_("channel"), max_length=12, choices=ResponseChannel)
    # Element key -> 1..4 or null (unanswered); see surveys/elements.py.
    answers = models.JSONField(_("answers"))
    comment = models.TextField(_("criticism and suggestions"), max_length=2000, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender, blank=True)
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    education = models.CharField(_("education"), max_length=5, choices=Education, blank=True)
    occupation = models.CharField(_("occupation"), max_length=10, choices=Occupation, blank=True)
    served_at = models.DateTimeField(_("date and time of service"), null=True, blank=True)
    ticket_code = models.CharField(_("ticket code"), max_length=40, blank=True)
    # Generated by the kiosk for each submission, so a resend after an outage is not a second one.
    client_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    source_digest = models.CharField(max_length=64, blank=True, editable=False)
    is_flagged = models.BooleanField(_("flagged as suspicious"), default=False)
    flag_reason = models.CharField(_("flag reason"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "ticket_code"],
                condition=~models.Q(ticket_code=""),
                name="one_response_per_ticket_code",
            )
        ]
        indexes = [
            models.Index(fields=["period", "is_flagged"], name="response_period"),
            models.Index(fields=["source_digest", "created_at"], name="response_source"),
        ]

    def __str__(self):
        return f"{self.period} #{self.pk}"


class FollowUpItem(BaseModel):
    """One item of a period's follow-up plan (rencana tindak lanjut) for a weak element."""

    period = models.ForeignKey(
        SurveyPeriod,
        on_delete=models.CASCADE,
        related_name="follow_up_items",
        verbose_name=_("period"),
    )
    element = models.CharField(_("element"), max_length=20, choices=ELEMENT_CHOICES)
    programme = models.CharField(_("programme or activity"), max_length=300)
    due = models.DateField(_("due"))
    responsible = models.CharField(_("person responsible"), max_length=120)
    status = models.CharField(
        _("status"), max_length=12, choices=FollowUpStatus, default=FollowUpStatus.PLANNED
    )
    progress_note = models.CharField(_("progress note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("follow-up plan item")
        verbose_name_plural = _("follow-up plan")
        ordering = ["due", "id"]

    def __str__(self):
        return f"{self.get_element_display()}: {self.programme}"
