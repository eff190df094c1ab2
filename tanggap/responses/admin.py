"""Admin screens for a unit's reply settings (approval, letterhead, numbering) and templates."""

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tanggap.accounts.admin import UnitScopedAdmin
from tanggap.accounts.models import Organisation
from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import units_for

from .models import ReplySettings, ReplyTemplate


@admin.register(ReplySettings)
class ReplySettingsAdmin(UnitScopedAdmin):
    list_display = ["unit", "requires_approval", "number_format", "sequence_year", "sequence_last"]
    list_filter = ["requires_approval"]
    search_fields = ["unit__name"]
    readonly_fields = ["sequence_year", "sequence_last"]
    fieldsets = [
        (None, {"fields": ["unit", "requires_approval"]}),
        (
            _("Letterhead"),
            {"fields": ["letterhead_agency", "letterhead_unit", "letterhead_address", "place"]},
        ),
        (
            _("Letter number"),
            {
                "fields": [
                    "number_format",
                    "number_code",
                    "sequence_digits",
                    "sequence_year",
                    "sequence_last",
                ]
            },
        ),
        (_("Signature block"), {"fields": ["signer_name", "signer_title", "signer_nip"]}),
    ]


def _organisation_wide(user) -> Q:
    """Match the organisations where *user* administers a top unit (and so the whole tree)."""
    tops = units_for(user, Capability.CONFIGURE_UNIT).filter(parent__isnull=True)
    return Q(pk__in=tops.values("organisation_id"))


class ReplyTemplateForm(forms.ModelForm):
    class Meta:
        model = ReplyTemplate
        fields = ["organisation", "unit", "name", "body", "is_active"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}

    def clean(self):
        cleaned = super().clean()
        user = self.request_user
        if user.is_superuser or cleaned.get("unit"):
            return cleaned
        organisation = cleaned.get("organisation")
        if (
            organisation
            and not Organisation.objects.filter(
                _organisation_wide(user), pk=organisation.pk
            ).exists()
        ):
            raise forms.ValidationError(
                {"unit": _("Choose a unit: you do not administer the whole organisation.")}
            )
        return cleaned


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(UnitScopedAdmin):
    form = ReplyTemplateForm
    list_display = ["name", "organisation", "unit", "is_active"]
    list_filter = ["is_active", "organisation"]
    search_fields = ["name", "body"]

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return qs
        units = units_for(request.user, Capability.CONFIGURE_UNIT)
        wide = Organisation.objects.filter(_organisation_wide(request.user))
        return qs.filter(Q(unit__in=units) | Q(unit__isnull=True, organisation__in=wide))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request_user = request.user
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation" and not request.user.is_superuser:
            units = units_for(request.user, Capability.CONFIGURE_UNIT)
            kwargs["queryset"] = Organisation.objects.filter(pk__in=units.values("organisation_id"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
