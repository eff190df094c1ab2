"""Admin for Open311 services with their attributes, API keys (revoke only) and requests.

A unit administrator sees and configures the services of the units they administer. Keys are
issued with ``manage.py open311_key``, which shows the key once; the admin only revokes them.
"""

from django.contrib import admin, messages
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tanggap.accounts.admin import UnitScopedAdmin
from tanggap.accounts.models import Category, Service
from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import units_for

from .models import ApiKey, Open311Request, ServiceAttribute, ServiceDefinition
from .services import api_key_revoke


class ServiceAttributeInline(admin.StackedInline):
    model = ServiceAttribute
    extra = 0


@admin.register(ServiceDefinition)
class ServiceDefinitionAdmin(UnitScopedAdmin):
    list_display = ["service_code", "name", "unit", "kind", "type", "publish_details", "is_active"]
    list_filter = ["is_active", "publish_details", "is_confidential", "kind", "type"]
    search_fields = ["service_code", "name", "keywords"]
    inlines = [ServiceAttributeInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            units = units_for(request.user, Capability.CONFIGURE_UNIT)
            if db_field.name == "service":
                kwargs["queryset"] = Service.objects.filter(unit__in=units)
            elif db_field.name == "category":
                kwargs["queryset"] = Category.objects.filter(
                    organisation__units__in=units
                ).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "organisation", "unit", "created_at", "last_used_at"]
    list_filter = ["revoked_at"]
    fields = ["name", "prefix", "organisation", "unit", "issued_by", "created_at"]
    readonly_fields = fields + ["last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("organisation", "unit")
        if request.user.is_superuser:
            return qs
        units = units_for(request.user, Capability.CONFIGURE_UNIT)
        return qs.filter(Q(unit__in=units) | Q(organisation__units__in=units)).distinct()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected keys"), permissions=["view"])
    def revoke(self, request, queryset):
        for key in queryset:
            api_key_revoke(key=key)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%(n)d key revoked.", "%(n)d keys revoked.", count) % {"n": count},
            messages.SUCCESS,
        )


@admin.register(Open311Request)
class Open311RequestAdmin(admin.ModelAdmin):
    list_display = ["report", "definition", "api_key", "created_at"]
    list_filter = ["definition"]
    fields = ["report", "definition", "api_key", "address_id", "media_url", "attributes"]
    readonly_fields = fields

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("report", "definition", "api_key")
        if request.user.is_superuser:
            return qs
        return qs.filter(report__unit__in=units_for(request.user, Capability.VIEW_CASES))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
