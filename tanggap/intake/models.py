"""Reports as submitted, their sealed reporters, attachments and identity-access log."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tanggap.cases.choices import Channel, ReportKind
from tanggap.common.models import BaseModel


def attachment_path(instance, filename):
    # Stored under a random name: the citizen's file name never reaches the file system.
    return f"attachments/{instance.report_id}/{uuid.uuid4().hex}"


class Report(BaseModel):
    """One submission by a citizen, through any channel; it opens or joins a case."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="reports", verbose_name=_("case")
    )
    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="reports", verbose_name=_("unit")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ReportKind)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel)
    service = models.ForeignKey(
        "accounts.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("service"),
    )
    category = models.ForeignKey(
        "accounts.Category",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("category"),
    )
    counter = models.ForeignKey(
        "accounts.Counter",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("counter"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    occurred_at = models.DateTimeField(_("when it happened"), null=True, blank=True)
    location_text = models.CharField(_("location"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    is_anonymous = models.BooleanField(_("anonymous (anonim)"), default=False)
    is_confidential = models.BooleanField(_("confidential (rahasia)"), default=False)
    tracking_code = models.CharField(_("tracking code"), max_length=20, unique=True)
    # Keyed digests (HMAC with the server secret): a leaked table alone reveals no PIN or link.
    pin_digest = models.CharField(max_length=64)
    link_digest = models.CharField(max_length=64, unique=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received by"),
    )
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # The language the reporter used: their updates are written in it.
    language = models.CharField(_("language"), max_length=8, default="id")
    # Where a report from another system came from and its id there (a LAPOR! tracking id, an
    # e-mail Message-ID, a WhatsApp message id, an import row): the pair makes a repeat a no-op.
    external_source = models.CharField(_("external source"), max_length=20, blank=True)
    external_ref = models.CharField(_("external reference"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["external_source", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="report_external_ref_unique",
            )
        ]

    def __str__(self):
        return self.tracking_code


class Reporter(BaseModel):
    """The reporter's identity and contact, kept apart from the report and encrypted at rest."""

    report = models.OneToOneField(
        Report, on_delete=models.CASCADE, related_name="reporter", verbose_name=_("report")
    )
    name_enc = models.TextField(blank=True)
    email_enc = models.TextField(blank=True)
    phone_enc = models.TextField(blank=True)
    # Keyed digests of the normalised contact, so a channel can find a sender's open case
    # (a WhatsApp number, an e-mail address) without decrypting every reporter.
    phone_digest = models.CharField(max_length=64, blank=True, db_index=True)
    email_digest = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("reporter")
        verbose_name_plural = _("reporters")

    def __str__(self):
        return f"reporter of {self.report_id}"


class Attachment(BaseModel):
    """A validated file (photo or PDF) attached to a report; images are stored without metadata."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("report")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    added_later = models.BooleanField(_("added after submission"), default=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.name


class IdentityAccess(models.Model):
    """Who opened a reporter's identity, when, and why: every opening is kept."""

    report = models.ForeignKey(
        Report,
        on_delete=models.PROTECT,
        related_name="identity_accesses",
        verbose_name=_("report"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("user"),
    )
    reason = models.CharField(_("reason"), max_length=500)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("identity access")
        verbose_name_plural = _("identity accesses")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} {self.report_id} {self.at:%Y-%m-%d %H:%M}"


class SuggestionBox(BaseModel):
    """A physical suggestion box (kotak saran) of a unit, opened on a schedule before witnesses."""

    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        related_name="suggestion_boxes",
        verbose_name=_("unit"),
    )
    name = models.CharField(_("name"), max_length=120)
    location = models.CharField(_("where it stands"), max_length=200, blank=True)
    code = models.SlugField(_("public code"), max_length=40, unique=True)
    opening_interval_days = models.PositiveSmallIntegerField(_("opened every (days)"), default=7)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("suggestion box")
        verbose_name_plural = _("suggestion boxes")
        ordering = ["unit_id", "name"]

    def __str__(self):
        return self.name


class BoxOpening(BaseModel):
    """One opening of a suggestion box: when, by whom, before which witnesses, what was found."""

    box = models.ForeignKey(
        SuggestionBox, on_delete=models.PROTECT, related_name="openings", verbose_name=_("box")
    )
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )
    witnesses = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("witnesses")
    )
    slips_found = models.PositiveIntegerField(_("slips found"))
    skm_forms_found = models.PositiveIntegerField(_("SKM questionnaires found"), default=0)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    closed_at = models.DateTimeField(_("entry finished at"), null=True, blank=True)
    closed_note = models.TextField(_("why fewer slips were entered"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("box opening")
        verbose_name_plural = _("box openings")
        ordering = ["-opened_at", "-id"]

    def __str__(self):
        return f"{self.box} · {self.opened_at:%Y-%m-%d %H:%M}"


class BoxSlip(BaseModel):
    """A paper slip from a box opening, entered as a report under a publicly posted number."""

    opening = models.ForeignKey(
        BoxOpening, on_delete=models.PROTECT, related_name="slips", verbose_name=_("opening")
    )
    box = models.ForeignKey(
        SuggestionBox, on_delete=models.PROTECT, related_name="slips", verbose_name=_("box")
    )
    report = models.OneToOneField(
        Report, on_delete=models.PROTECT, related_name="box_slip", verbose_name=_("report")
    )
    receipt_number = models.CharField(_("receipt number"), max_length=30)

    class Meta:
        verbose_name = _("suggestion slip")
        verbose_name_plural = _("suggestion slips")
        ordering = ["opening_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["box", "receipt_number"], name="unique_box_receipt")
        ]

    def __str__(self):
        return self.receipt_number
