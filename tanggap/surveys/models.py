"""SKM periods and responses; answers are stored by element key, never by position."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from tanggap.common.models import BaseModel

from .choices import (
    FLAG_REASON_LABELS,
    Education,
    FollowUpStatus,
    Gender,
    Occupation,
    PeriodKind,
    QuestionKind,
    ResponseChannel,
    ReviewStatus,
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


# The IKM counts a response unless it was flagged and not kept on review (ADR 0005).
COUNTED = models.Q(is_flagged=False) | models.Q(review_status=ReviewStatus.KEPT)


class SurveyResponseQuerySet(models.QuerySet):
    def counted(self):
        """Return the responses the IKM counts: unflagged, or flagged and kept on review."""
        return self.filter(COUNTED)

    def awaiting_review(self):
        """Return the flagged responses nobody has kept or excluded yet."""
        return self.filter(is_flagged=True).exclude(
            review_status__in=[ReviewStatus.KEPT, ReviewStatus.EXCLUDED]
        )


class SurveyResponse(BaseModel):
    """One respondent's answers; suspicious ones are flagged and kept, never dropped.

    A flagged response is left out of the IKM until a surveyor keeps it (``COUNTED``).
    Answers to the unit's own questions live in ``extra_answers``, never in ``answers``.
    """

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
    # Question id (as text) -> 1..4 or short text, for the unit's own questions only.
    extra_answers = models.JSONField(_("answers to the unit's own questions"), default=dict)
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
    review_status = models.CharField(
        _("review"), max_length=10, choices=ReviewStatus, blank=True, default=""
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    # A paper questionnaire found in a suggestion box: the witnessed opening it came from.
    box_opening = models.ForeignKey(
        "intake.BoxOpening",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("suggestion box opening"),
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

    objects = SurveyResponseQuerySet.as_manager()

    def __str__(self):
        return f"{self.period} #{self.pk}"

    @property
    def flag_reason_display(self) -> str:
        """Return the flag reason in the active language where it is a known one."""
        return str(FLAG_REASON_LABELS.get(self.flag_reason, self.flag_reason))

    @property
    def counts_in_index(self) -> bool:
        """Return whether the IKM counts this response (the rule of ``COUNTED``)."""
        return not self.is_flagged or self.review_status == ReviewStatus.KEPT


class SurveyQuestion(BaseModel):
    """A question of the unit's own, asked after the nine elements and never in the IKM."""

    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        related_name="survey_questions",
        verbose_name=_("unit"),
    )
    period = models.ForeignKey(
        SurveyPeriod,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("period"),
        help_text=_("Leave empty to ask the question in every period of the unit."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    text_id = models.CharField(_("question (Indonesian)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    kind = models.CharField(
        _("answer type"), max_length=10, choices=QuestionKind, default=QuestionKind.SCALE
    )
    label_1_id = models.CharField(_("answer 1 (Indonesian)"), max_length=80, blank=True)
    label_2_id = models.CharField(_("answer 2 (Indonesian)"), max_length=80, blank=True)
    label_3_id = models.CharField(_("answer 3 (Indonesian)"), max_length=80, blank=True)
    label_4_id = models.CharField(_("answer 4 (Indonesian)"), max_length=80, blank=True)
    label_1_en = models.CharField(_("answer 1 (English)"), max_length=80, blank=True)
    label_2_en = models.CharField(_("answer 2 (English)"), max_length=80, blank=True)
    label_3_en = models.CharField(_("answer 3 (English)"), max_length=80, blank=True)
    label_4_en = models.CharField(_("answer 4 (English)"), max_length=80, blank=True)
    is_active = models.BooleanField(_("asked"), default=True)

    class Meta:
        verbose_name = _("unit's own survey question")
        verbose_name_plural = _("unit's own survey questions")
        ordering = ["position", "id"]

    def __str__(self):
        return self.text_id

    def clean(self):
        if self.period_id and self.unit_id and self.period.unit_id != self.unit_id:
            raise ValidationError({"period": _("The period belongs to another unit.")})
        if self.kind == QuestionKind.SCALE and not all(self.labels_id):
            raise ValidationError(
                _("A scale question needs an Indonesian label for each of the four answers.")
            )

    @property
    def labels_id(self) -> tuple[str, str, str, str]:
        """Return the Indonesian labels of the answers 1..4."""
        return (self.label_1_id, self.label_2_id, self.label_3_id, self.label_4_id)

    @property
    def labels_en(self) -> tuple[str, str, str, str]:
        """Return the English labels of the answers 1..4, blank where none was given."""
        return (self.label_1_en, self.label_2_en, self.label_3_en, self.label_4_en)

    def text(self) -> str:
        """Return the question in the active language, Indonesian where no English is given."""
        if _english() and self.text_en:
            return self.text_en
        return self.text_id

    def labels(self) -> list[str]:
        """Return the four answer labels in the active language, each falling back to Indonesian."""
        if not _english():
            return list(self.labels_id)
        return [en or id_ for en, id_ in zip(self.labels_en, self.labels_id, strict=True)]


def _english() -> bool:
    return (translation.get_language() or "").startswith("en")


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


class SurveyInvitation(models.Model):
    """A one-time invitation to a period's SKM, e-mailed to a reporter whose case was resolved.

    One per report and period. Only the e-mail carries the token; the row keeps its keyed
    digest, so the table alone opens no questionnaire.

    The response it leads to is anonymous, so the two are never joined: the invitation keeps
    no response id, and the response keeps no invitation, report or reporter. ``used_at``
    records only that the link was used, and only to the day: an exact time could be matched
    with a response's ``created_at``. For the same reason the row has no ``updated_at``.
    """

    period = models.ForeignKey(
        SurveyPeriod,
        on_delete=models.PROTECT,
        related_name="invitations",
        verbose_name=_("period"),
    )
    # By label: intake sits below surveys, and a report is what the reporter is known by.
    report = models.ForeignKey(
        "intake.Report",
        on_delete=models.CASCADE,
        related_name="survey_invitations",
        verbose_name=_("report"),
    )
    service = models.ForeignKey(
        "accounts.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service"),
    )
    # The reporter's language: the e-mail and, without a language cookie, the page use it.
    language = models.CharField(_("language"), max_length=8, default="id")
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used on"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "report"], name="one_invitation_per_report_and_period"
            )
        ]

    def __str__(self):
        return f"{self.period} · {self.report_id}"


class InvitationWatermark(models.Model):
    """How far the invitation run has read the log of resolved cases (a single row).

    The next run reads only resolutions after (read_until, last_event_id), so each run costs
    what was resolved since the last one, however many cases there are.
    """

    read_until = models.DateTimeField()
    last_event_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("invitation watermark")
        verbose_name_plural = _("invitation watermark")

    def __str__(self):
        return f"{self.read_until:%Y-%m-%d %H:%M:%S} #{self.last_event_id}"
