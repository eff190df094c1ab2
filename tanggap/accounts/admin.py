"""Admin screens for configuring organisations, units and who works where."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tanggap.common.exceptions import ApplicationError

from .api_tokens import MAX_DAYS, api_token_create, api_token_revoke, api_token_validate
from .models import (
    ApiToken,
    Category,
    Counter,
    Membership,
    Organisation,
    Service,
    Unit,
    UnitClosure,
    User,
)
from .roles import Capability
from .scoping import units_for


class UnitScopedAdmin(admin.ModelAdmin):
    """Limit a unit administrator to the units they administer; superusers see all."""

    unit_field = "unit"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(
            **{f"{self.unit_field}__in": units_for(request.user, Capability.CONFIGURE_UNIT)}
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("unit", "parent") and not request.user.is_superuser:
            kwargs["queryset"] = units_for(request.user, Capability.CONFIGURE_UNIT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def public_links(target: str, key, report_route: str):
    """Return the public report link and its printable QR code for the admin lists."""
    return format_html(
        '<a href="{}" target="_blank">{}</a> · <a href="{}" target="_blank">{}</a>',
        reverse(report_route, args=[key]),
        _("form"),
        reverse("intake:qr", args=[target, key]),
        _("QR code"),
    )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        # A unit administrator sees the staff of the units they administer, and no one else.
        units = units_for(request.user, Capability.CONFIGURE_UNIT)
        return qs.filter(memberships__unit__in=units).distinct()


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class ServiceInline(admin.TabularInline):
    model = Service
    extra = 0


class CounterInline(admin.TabularInline):
    model = Counter
    extra = 0


@admin.register(Unit)
class UnitAdmin(UnitScopedAdmin):
    unit_field = "pk"
    list_display = [
        "name",
        "organisation",
        "parent",
        "time_zone",
        "open_24h",
        "accepts_reports",
        "report_link",
    ]
    list_filter = ["organisation", "open_24h", "time_zone"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ServiceInline, CounterInline]

    @admin.display(description=_("public report link"))
    def report_link(self, obj):
        return public_links("unit", obj.slug, "intake:report_unit")


@admin.register(UnitClosure)
class UnitClosureAdmin(UnitScopedAdmin):
    list_display = ["date", "unit", "is_working_day", "reason"]
    list_filter = ["is_working_day", "unit"]
    date_hierarchy = "date"


@admin.register(Service)
class ServiceAdmin(UnitScopedAdmin):
    list_display = ["name", "code", "unit", "is_active", "report_link"]
    list_filter = ["is_active", "unit__organisation"]
    search_fields = ["name", "code"]

    @admin.display(description=_("public report link"))
    def report_link(self, obj):
        return public_links("service", obj.pk, "intake:report_service")


@admin.register(Counter)
class CounterAdmin(UnitScopedAdmin):
    list_display = [
        "name",
        "code",
        "unit",
        "serves_disability",
        "is_active",
        "report_link",
        "survey_link",
    ]
    list_filter = ["serves_disability", "is_active"]
    search_fields = ["name", "code"]

    @admin.display(description=_("public report link"))
    def report_link(self, obj):
        return public_links("counter", obj.code, "intake:report_counter")

    @admin.display(description=_("survey link"))
    def survey_link(self, obj):
        kiosk = reverse("surveys:kiosk", args=[obj.code])
        return format_html(
            '{} · <a href="{}" target="_blank">{}</a>',
            public_links("skm-counter", obj.code, "surveys:counter"),
            kiosk,
            _("kiosk"),
        )


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "is_active"]
    list_filter = ["organisation", "is_active"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(UnitScopedAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role"]
    autocomplete_fields = ["user", "unit"]


class ApiTokenCreateForm(forms.ModelForm):
    """Issue a token: its name, the user it acts as, its units and how long it lasts."""

    days = forms.IntegerField(
        label=_("valid for (days)"), min_value=1, max_value=MAX_DAYS, initial=365
    )

    class Meta:
        model = ApiToken
        fields = ["name", "user", "units"]

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                api_token_validate(
                    user=data["user"],
                    name=data["name"],
                    units=list(data["units"]),
                    days=data["days"],
                )
            except ApplicationError as exc:
                raise forms.ValidationError(exc.message, code=exc.code) from None
        return data


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Superusers issue and revoke API tokens; the raw token is shown once, on issue."""

    list_display = ["name", "user", "prefix", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    readonly_fields = ["name", "user", "units", "prefix", "expires_at", "revoked_at"]
    readonly_fields += ["last_used_at", "created_at"]
    actions = ["revoke"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenCreateForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "user", "units", "days"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        issued = api_token_create(
            user=data["user"], name=data["name"], units=list(data["units"]), days=data["days"]
        )
        obj.pk, obj.prefix, obj._state.adding = issued.token.pk, issued.token.prefix, False
        messages.warning(
            request,
            _("Copy the token now; it is not shown again: %(token)s") % {"token": issued.raw},
        )

    def save_related(self, request, form, formsets, change):
        """The service set the units already."""

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(token=token)
        messages.success(request, _("The tokens were revoked."))
