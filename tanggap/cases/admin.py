"""Admin for the case configuration (deadlines, routing, shifts, status labels) and flags.

A unit administrator configures their units and the units below. Rows that act on the whole
organisation (a policy without a unit, routing rules, status labels) belong to whoever
administers the organisation's top unit.
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tanggap.accounts.admin import UnitScopedAdmin
from tanggap.accounts.models import Category, Membership, Organisation, Service, User
from tanggap.accounts.roles import Capability, Role
from tanggap.accounts.scoping import units_for

from .models import CaseFlag, DeadlinePolicy, RoutingRule, Shift, StatusLabel


def configured_units(request):
    """Return the units the admin user configures (all for a superuser)."""
    return units_for(request.user, Capability.CONFIGURE_UNIT)


def configured_organisations(request):
    """Return the organisations whose top unit the admin user configures."""
    if request.user.is_superuser:
        return Organisation.objects.all()
    tops = configured_units(request).filter(parent__isnull=True)
    return Organisation.objects.filter(units__in=tops).distinct()


def _handlers(units):
    return User.objects.filter(
        memberships__unit__in=units,
        memberships__role__in=[Role.OFFICER, Role.SUPERVISOR],
        is_active=True,
    ).distinct()


class ScopedFormMixin:
    """Run the admin's scope check in the form, so a refused row shows a field error."""

    def check_scope(self, request, data: dict) -> None:
        """Raise ValidationError when the row leaves the admin user's scope."""

    def get_form(self, request, obj=None, **kwargs):
        base = super().get_form(request, obj, **kwargs)
        model_admin = self

        class ScopedForm(base):
            def clean(self):
                data = super().clean()
                try:
                    model_admin.check_scope(request, data)
                except ValidationError as exc:
                    self.add_error(None, exc)
                return data

        return ScopedForm


def _same_organisation(data: dict, *names: str) -> None:
    organisation = data.get("organisation")
    for name in names:
        value = data.get(name)
        owner = getattr(value, "organisation_id", None) or getattr(
            getattr(value, "unit", None), "organisation_id", None
        )
        if organisation and value and owner != organisation.pk:
            raise ValidationError(
                {name: _("This belongs to another organisation than the one chosen.")}
            )


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(ScopedFormMixin, UnitScopedAdmin):
    list_display = [
        "__str__",
        "organisation",
        "unit",
        "kind",
        "priority",
        "day_type",
        "verification_days",
        "first_reply_days",
        "reminder_hours",
    ]
    list_filter = ["organisation", "day_type", "kind", "priority"]

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return qs
        return qs.filter(
            Q(unit__in=configured_units(request))
            | Q(unit__isnull=True, organisation__in=configured_organisations(request))
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation" and not request.user.is_superuser:
            kwargs["queryset"] = Organisation.objects.filter(
                units__in=configured_units(request)
            ).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def check_scope(self, request, data):
        _same_organisation(data, "unit")
        organisation = data.get("organisation")
        if (
            not data.get("unit")
            and organisation
            and not configured_organisations(request).filter(pk=organisation.pk).exists()
        ):
            raise ValidationError(
                {
                    "unit": _(
                        "Only the administrator of the organisation's top unit sets a policy "
                        "for every unit; choose a unit."
                    )
                }
            )


class OrganisationScopedAdmin(ScopedFormMixin, admin.ModelAdmin):
    """Rows acting on a whole organisation: for the administrators of its top unit."""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(organisation__in=configured_organisations(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = configured_organisations(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(RoutingRule)
class RoutingRuleAdmin(OrganisationScopedAdmin):
    list_display = [
        "name",
        "organisation",
        "position",
        "is_active",
        "category",
        "service",
        "location_contains",
        "target_unit",
        "target_officer",
    ]
    list_filter = ["organisation", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["name", "location_contains"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            orgs = configured_organisations(request)
            units = configured_units(request)
            scoped = {
                "target_unit": units,
                "category": Category.objects.filter(organisation__in=orgs),
                "service": Service.objects.filter(unit__in=units),
                "target_officer": _handlers(units),
            }
            if db_field.name in scoped:
                kwargs["queryset"] = scoped[db_field.name]
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def check_scope(self, request, data):
        _same_organisation(data, "target_unit", "category", "service")


@admin.register(Shift)
class ShiftAdmin(ScopedFormMixin, UnitScopedAdmin):
    list_display = ["officer", "unit", "starts_at", "ends_at", "handed_over_at"]
    list_filter = ["unit"]
    date_hierarchy = "starts_at"
    readonly_fields = ["handed_over_at", "handover_note"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            kwargs["queryset"] = configured_units(request).filter(open_24h=True)
            return admin.ModelAdmin.formfield_for_foreignkey(self, db_field, request, **kwargs)
        if db_field.name == "officer" and not request.user.is_superuser:
            kwargs["queryset"] = _handlers(configured_units(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def check_scope(self, request, data):
        unit, officer = data.get("unit"), data.get("officer")
        if unit and not unit.open_24h:
            raise ValidationError({"unit": _("A shift roster is for units open 24 hours.")})
        if unit and officer:
            ancestors = [int(i) for i in unit.path.strip("/").split("/") if i]
            handles = Membership.objects.filter(
                user=officer, unit_id__in=ancestors, role__in=[Role.OFFICER, Role.SUPERVISOR]
            ).exists()
            if not handles:
                raise ValidationError(
                    {"officer": _("This person does not handle cases in the chosen unit.")}
                )


@admin.register(StatusLabel)
class StatusLabelAdmin(OrganisationScopedAdmin):
    list_display = ["status", "organisation", "label_id", "label_en"]
    list_filter = ["organisation", "status"]


@admin.register(CaseFlag)
class CaseFlagAdmin(admin.ModelAdmin):
    """The flags, read-only: they are raised from the event log and never edited."""

    list_display = ["case", "kind", "step", "detail", "raised_at"]
    list_filter = ["kind", "step"]
    date_hierarchy = "raised_at"
    search_fields = ["case__reference"]
    list_select_related = ["case"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(case__unit__in=units_for(request.user, Capability.AUDIT))

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
