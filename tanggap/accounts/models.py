"""Users, organisations, the unit tree and what each unit offers (services, counters)."""

import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from tanggap.common.models import BaseModel

from .roles import Role


class User(AbstractUser):
    """A staff member; citizens do not need accounts."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Organisation(BaseModel):
    """A public-service provider (a Polres, a DPMPTSP, a water utility) holding units."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class TimeZoneChoice(models.TextChoices):
    WIB = "Asia/Jakarta", _("WIB (Asia/Jakarta, UTC+7)")
    WITA = "Asia/Makassar", _("WITA (Asia/Makassar, UTC+8)")
    WIT = "Asia/Jayapura", _("WIT (Asia/Jayapura, UTC+9)")


class Unit(BaseModel):
    """A service unit in an organisation's tree; membership of a unit covers its sub-units."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="units",
        verbose_name=_("organisation"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("short name"),
        max_length=60,
        unique=True,
        help_text=_("Used in the unit's public report link and QR code."),
    )
    # Materialised path of ids ("/3/7/") so "this unit and everything below" is one prefix query.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    time_zone = models.CharField(
        _("time zone"),
        max_length=40,
        choices=TimeZoneChoice,
        default=TimeZoneChoice.WIB,
    )
    open_24h = models.BooleanField(
        _("open 24 hours"),
        default=False,
        help_text=_("Deadlines count calendar hours instead of working days."),
    )
    working_weekdays = models.CharField(
        _("working weekdays"),
        max_length=20,
        default="0,1,2,3,4",
        help_text=_("Comma-separated weekday numbers, Monday = 0."),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-11), MaxValueValidator(6)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(94), MaxValueValidator(142)],
    )
    accepts_reports = models.BooleanField(_("accepts public reports"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]

    def __str__(self):
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def weekday_set(self) -> frozenset[int]:
        return frozenset(int(d) for d in self.working_weekdays.split(",") if d.strip())

    def clean(self):
        try:
            days = self.weekday_set
        except ValueError:
            days = None
        if not days or not days <= set(range(7)):
            raise ValidationError(
                {"working_weekdays": _("Give weekday numbers from 0 (Monday) to 6 (Sunday).")}
            )
        if self.parent_id and self.parent.organisation_id != self.organisation_id:
            raise ValidationError({"parent": _("The parent unit belongs to another organisation.")})
        if self.pk and self.parent_id and f"/{self.pk}/" in self.parent.path:
            raise ValidationError({"parent": _("A unit cannot be placed below itself.")})

    @transaction.atomic
    def save(self, *args, **kwargs):
        old_path = self.path
        super().save(*args, **kwargs)
        parent_path = self.parent.path if self.parent_id else "/"
        new_path = f"{parent_path}{self.pk}/"
        if new_path != old_path:
            Unit.objects.filter(pk=self.pk).update(path=new_path)
            if old_path:
                Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(models.Value(new_path), Substr("path", len(old_path) + 1))
                )
            self.path = new_path


class UnitClosure(BaseModel):
    """A day a unit is closed beyond national holidays, or (without a unit) a national revision."""

    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        verbose_name=_("unit"),
        help_text=_("Leave empty for a day that applies to every unit."),
    )
    date = models.DateField(_("date"))
    is_working_day = models.BooleanField(
        _("declared a working day"),
        default=False,
        help_text=_("Tick when the day is declared a working day instead of a closure."),
    )
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("closure or calendar change")
        verbose_name_plural = _("closures and calendar changes")
        constraints = [
            models.UniqueConstraint(fields=["unit", "date"], name="unique_closure_per_unit_day")
        ]

    def __str__(self):
        return f"{self.date} {self.reason}"


class Service(BaseModel):
    """A kind of service a unit delivers (jenis layanan), e.g. SKCK or a building permit."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="services", verbose_name=_("unit")
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=60)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="unique_service_code_per_unit")
        ]

    def __str__(self):
        return self.name


class Counter(BaseModel):
    """A service counter (loket), where QR codes and survey kiosks stand."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="counters", verbose_name=_("unit")
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=60, unique=True)
    serves_disability = models.BooleanField(_("disability-service counter"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Category(BaseModel):
    """A subject category of reports, defined per organisation."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="categories",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Membership(BaseModel):
    """A user's role on a unit; it covers the unit's sub-units too."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("unit"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_membership")
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


class ApiToken(BaseModel):
    """A bearer token for the JSON API, acting as its user on some of that user's units.

    Only a keyed digest of the token is stored; the raw token is shown once, at creation.
    The token sees the intersection of its units (with their sub-units) and its user's rights.
    """

    name = models.CharField(_("name"), max_length=100, help_text=_("Who or what uses it."))
    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("acts as user"),
    )
    units = models.ManyToManyField(Unit, related_name="api_tokens", verbose_name=_("units"))
    # The public part of the token, so a request finds its row without scanning digests.
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    digest = models.CharField(max_length=64, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix})"
