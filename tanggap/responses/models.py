"""Replies to cases, their templates, the unit's letter settings and the citizen's verdict."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tanggap.common.models import BaseModel

from .choices import Rating, ReplyStatus
from .placeholders import TEMPLATE_PLACEHOLDERS, check_number_format, check_placeholders


def _check_template_body(value: str) -> None:
    check_placeholders(value, TEMPLATE_PLACEHOLDERS)


class ReplySettings(BaseModel):
    """A unit's reply rules and letter: approval, letterhead, numbering and signature block.

    Sub-units without their own settings use their nearest ancestor's (and its numbering).
    """

    unit = models.OneToOneField(
        "accounts.Unit",
        on_delete=models.CASCADE,
        related_name="reply_settings",
        verbose_name=_("unit"),
    )
    requires_approval = models.BooleanField(
        _("replies need a supervisor's approval"),
        default=False,
        help_text=_("A supervisor other than the author approves each reply before it is sent."),
    )
    letterhead_agency = models.CharField(
        _("letterhead: agency"),
        max_length=200,
        blank=True,
        help_text=_("For example “PEMERINTAH KOTA CONTOH”. Empty: the organisation's name."),
    )
    letterhead_unit = models.CharField(
        _("letterhead: unit"),
        max_length=200,
        blank=True,
        help_text=_("Empty: the unit's name."),
    )
    letterhead_address = models.CharField(
        _("letterhead: address and telephone"),
        max_length=300,
        blank=True,
        help_text=_("Empty: the unit's address and telephone."),
    )
    place = models.CharField(
        _("place of the letter"),
        max_length=100,
        blank=True,
        help_text=_("Written before the date, for example “Kota Contoh”."),
    )
    number_format = models.CharField(
        _("letter number format"),
        max_length=100,
        default="{seq}/{unit}/{year}",
        validators=[check_number_format],
        help_text=_(
            "Placeholders: {seq} (required), {unit}, {year}, {month}, {roman_month}. "
            "For example “{seq}/{unit}/{roman_month}/{year}”."
        ),
    )
    number_code = models.CharField(
        _("unit code in letter numbers"),
        max_length=40,
        blank=True,
        help_text=_("Replaces {unit}. Empty: the unit's short name in capitals."),
    )
    sequence_digits = models.PositiveSmallIntegerField(
        _("digits of the sequence number"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
        help_text=_("The sequence is padded with zeros: 3 gives 007."),
    )
    # The yearly sequence; changed only under a row lock when a letter is numbered.
    sequence_year = models.PositiveSmallIntegerField(
        _("year of the last letter number"), null=True, blank=True, editable=False
    )
    sequence_last = models.PositiveIntegerField(_("last letter number"), default=0, editable=False)
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    signer_title = models.CharField(
        _("signer's title"),
        max_length=200,
        blank=True,
        help_text=_("For example “Kepala Dinas”. Empty: “Head of” and the unit's name."),
    )
    signer_nip = models.CharField(
        _("signer's NIP"),
        max_length=30,
        blank=True,
        validators=[RegexValidator(r"^[0-9 ]*$", _("Use digits and spaces only."))],
    )

    class Meta:
        verbose_name = _("reply settings")
        verbose_name_plural = _("reply settings")

    def __str__(self):
        return str(self.unit)

    @property
    def agency_line(self) -> str:
        return self.letterhead_agency or self.unit.organisation.name

    @property
    def unit_line(self) -> str:
        return self.letterhead_unit or self.unit.name

    @property
    def address_line(self) -> str:
        if self.letterhead_address:
            return self.letterhead_address
        return " · ".join(part for part in (self.unit.address, self.unit.phone) if part)

    @property
    def code(self) -> str:
        return self.number_code or self.unit.slug.upper()


class ReplyTemplate(BaseModel):
    """A reusable reply text with placeholders; it never names the reporter."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="reply_templates",
        verbose_name=_("organisation"),
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reply_templates",
        verbose_name=_("unit"),
        help_text=_(
            "Empty: every unit of the organisation. A unit's template serves its sub-units."
        ),
    )
    name = models.CharField(_("name"), max_length=120)
    body = models.TextField(
        _("text"),
        max_length=5000,
        validators=[_check_template_body],
        help_text=_(
            "Placeholders: {kode} case reference, {judul} title, {unit} unit, {instansi} "
            "organisation, {layanan} service, {tanggal} today's date."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def clean(self):
        if (
            self.unit_id
            and self.organisation_id
            and self.unit.organisation_id != self.organisation_id
        ):
            raise ValidationError({"unit": _("The unit belongs to another organisation.")})


class Reply(BaseModel):
    """The unit's answer to a case: final (the case is replied) or interim (a progress update).

    It is written as a draft, approved where the unit requires it, then published once; a
    published final reply carries a letter number unique in its unit and year.
    """

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="replies", verbose_name=_("case")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("text"), max_length=10000)
    is_final = models.BooleanField(
        _("final reply"),
        default=True,
        help_text=_("A final reply opens the reporter's reply window; an interim one does not."),
    )
    template = models.ForeignKey(
        ReplyTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("template used"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReplyStatus, default=ReplyStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("returned by"),
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_note = models.TextField(_("reason for returning"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # The numbering unit (whose settings gave the number), year and sequence of the letter.
    letter_unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("numbered by unit"),
    )
    letter_year = models.PositiveSmallIntegerField(_("letter year"), null=True, blank=True)
    letter_seq = models.PositiveIntegerField(_("letter sequence"), null=True, blank=True)
    letter_number = models.CharField(_("letter number"), max_length=120, blank=True)
    # The letterhead and signature block at publication, so a sent letter never changes.
    letter_data = models.JSONField(_("letterhead and signer"), default=dict, blank=True)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["letter_unit", "letter_year", "letter_seq"],
                condition=models.Q(letter_seq__isnull=False),
                name="unique_reply_letter_number",
            )
        ]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="reply_status_submitted"),
        ]

    def __str__(self):
        return f"{self.case_id} {self.get_status_display()} {self.letter_number}".strip()

    @property
    def is_published(self) -> bool:
        return self.status == ReplyStatus.PUBLISHED


def reply_attachment_path(instance, filename):
    # A random stored name: the uploaded file name never reaches the file system.
    return f"replies/{instance.reply_id}/{uuid.uuid4().hex}"


class ReplyAttachment(BaseModel):
    """A validated file (photo or PDF) sent with a reply; checked like the citizens' uploads."""

    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("reply")
    )
    file = models.FileField(_("file"), upload_to=reply_attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("reply attachment")
        verbose_name_plural = _("reply attachments")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.name


class Verdict(models.Model):
    """A reporter's rating of a reply and their acceptance or objection; one per reply round.

    The round is the reply that opened the reporter's window (the case's responded_at).
    """

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="verdicts", verbose_name=_("case")
    )
    report = models.ForeignKey(
        "intake.Report",
        on_delete=models.PROTECT,
        related_name="verdicts",
        verbose_name=_("report"),
    )
    reply = models.ForeignKey(
        Reply,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="verdicts",
        verbose_name=_("reply"),
    )
    round_at = models.DateTimeField(_("reply given at"))
    rating = models.PositiveSmallIntegerField(_("rating"), choices=Rating)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    accepted = models.BooleanField(_("accepted"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("reporter's verdict")
        verbose_name_plural = _("reporters' verdicts")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "round_at"], name="unique_verdict_per_round"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="verdict_rating_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.report_id} {self.rating} {'+' if self.accepted else '-'}"
