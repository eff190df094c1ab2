"""Open311 API keys, service definitions with their attributes, and requests received."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tanggap.cases.choices import ReportKind
from tanggap.common.models import BaseModel

from .choices import LIST_DATATYPES, Datatype, ServiceType

code_validator = RegexValidator(
    r"^[A-Za-z0-9_.-]+\Z", _("Use letters, digits, dots, hyphens and underscores only.")
)


class ApiKey(BaseModel):
    """A client's key for submitting requests, scoped to one unit or one organisation.

    Only a keyed digest of the key is stored (HMAC with the server secret): the key is shown
    once, when issued. A revoked key stays, so the requests it sent keep their origin.
    """

    name = models.CharField(_("client name"), max_length=100)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit (and its sub-units)"),
    )
    prefix = models.CharField(_("key starts with"), max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=True, unit__isnull=False)
                | models.Q(organisation__isnull=False, unit__isnull=True),
                name="open311_key_one_scope",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def covers(self, unit) -> bool:
        """Return whether the key may submit to *unit*."""
        if self.organisation_id is not None:
            return unit.organisation_id == self.organisation_id
        return unit.path.startswith(self.unit.path)


class ServiceDefinition(BaseModel):
    """One Open311 service code: where its requests go and what kind of report they become."""

    service_code = models.CharField(
        _("service code"), max_length=60, unique=True, validators=[code_validator]
    )
    name = models.CharField(_("service name"), max_length=200)
    description = models.CharField(_("description"), max_length=500, blank=True)
    keywords = models.CharField(
        _("keywords"), max_length=300, blank=True, help_text=_("Comma-separated synonyms.")
    )
    group = models.CharField(_("group"), max_length=100, blank=True)
    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    service = models.ForeignKey(
        "accounts.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service (jenis layanan)"),
    )
    category = models.ForeignKey(
        "accounts.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    kind = models.CharField(
        _("report kind"), max_length=30, choices=ReportKind, default=ReportKind.COMPLAINT
    )
    type = models.CharField(
        _("type"), max_length=10, choices=ServiceType, default=ServiceType.REALTIME
    )
    service_notice = models.CharField(
        _("notice to the submitter"),
        max_length=300,
        blank=True,
        help_text=_("Returned with each new request, e.g. when the unit will answer."),
    )
    publish_details = models.BooleanField(
        _("publish the text and location"),
        default=False,
        help_text=_(
            "Show the description, address and coordinates of its requests in the public "
            "Open311 feed. Off: the feed shows only the service, status and dates."
        ),
    )
    is_confidential = models.BooleanField(
        _("confidential (rahasia)"),
        default=False,
        help_text=_("Its requests become confidential reports and never appear in the feed."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("Open311 service")
        verbose_name_plural = _("Open311 services")
        ordering = ["service_code"]

    def __str__(self):
        return f"{self.service_code} {self.name}"

    def clean(self):
        unit = self.unit if self.unit_id else None
        if unit and self.service_id and self.service.unit_id != unit.pk:
            raise ValidationError({"service": _("The service does not belong to the unit.")})
        if unit and self.category_id and self.category.organisation_id != unit.organisation_id:
            raise ValidationError({"category": _("The category belongs to another organisation.")})
        if self.publish_details and self.is_confidential:
            raise ValidationError(
                {"publish_details": _("A confidential service cannot publish its requests.")}
            )


class ServiceAttribute(models.Model):
    """A question of a service definition (GeoReport "attribute"), answered when submitting."""

    definition = models.ForeignKey(
        ServiceDefinition,
        on_delete=models.CASCADE,
        related_name="attributes",
        verbose_name=_("service"),
    )
    code = models.CharField(_("code"), max_length=60, validators=[code_validator])
    order = models.PositiveSmallIntegerField(_("order"), validators=[MinValueValidator(1)])
    variable = models.BooleanField(
        _("asks for input"), default=True, help_text=_("Off: the description is only shown.")
    )
    datatype = models.CharField(
        _("data type"), max_length=20, choices=Datatype, default=Datatype.STRING
    )
    required = models.BooleanField(_("required"), default=False)
    description = models.CharField(_("question"), max_length=500)
    datatype_description = models.CharField(_("input help"), max_length=300, blank=True)
    # [{"key": "submitted value", "name": "label"}, ...] for the list data types.
    values = models.JSONField(_("choices"), default=list, blank=True)

    class Meta:
        verbose_name = _("Open311 attribute")
        verbose_name_plural = _("Open311 attributes")
        ordering = ["definition", "order"]
        constraints = [
            models.UniqueConstraint(fields=["definition", "code"], name="open311_attribute_code"),
            models.UniqueConstraint(fields=["definition", "order"], name="open311_attribute_order"),
        ]

    def __str__(self):
        return self.code

    def value_keys(self) -> list[str]:
        """Return the keys a list attribute accepts."""
        return [str(item["key"]) for item in self.values]

    def clean(self):
        if self.required and not self.variable:
            raise ValidationError({"required": _("A display-only attribute cannot be required.")})
        if self.datatype not in LIST_DATATYPES:
            if self.values:
                raise ValidationError({"values": _("Only list data types have choices.")})
            return
        if not isinstance(self.values, list) or not self.values:
            raise ValidationError({"values": _("A list data type needs at least one choice.")})
        keys = []
        for item in self.values:
            if not (
                isinstance(item, dict)
                and set(item) == {"key", "name"}
                and str(item["key"]).strip()
                and str(item["name"]).strip()
            ):
                raise ValidationError(
                    {"values": _('Each choice is {"key": "...", "name": "..."}, both filled in.')}
                )
            keys.append(str(item["key"]))
        if len(set(keys)) != len(keys):
            raise ValidationError({"values": _("Two choices have the same key.")})


class Open311Request(BaseModel):
    """A service request received through Open311: its report, token and Open311-only fields."""

    report = models.OneToOneField(
        "intake.Report",
        on_delete=models.PROTECT,
        related_name="open311",
        verbose_name=_("report"),
    )
    definition = models.ForeignKey(
        ServiceDefinition,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("service"),
    )
    api_key = models.ForeignKey(
        ApiKey, on_delete=models.PROTECT, related_name="requests", verbose_name=_("API key")
    )
    token = models.CharField(_("token"), max_length=40, unique=True)
    address_id = models.CharField(_("address id"), max_length=100, blank=True)
    # A link the client gave; never fetched by the server and never published.
    media_url = models.URLField(_("media link"), max_length=500, blank=True)
    attributes = models.JSONField(_("attribute answers"), default=dict, blank=True)

    class Meta:
        verbose_name = _("Open311 request")
        verbose_name_plural = _("Open311 requests")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.definition.service_code} {self.report_id}"
