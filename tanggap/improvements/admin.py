"""Read-only admin of actions and incidents: every change goes through the staff screens."""

from django.contrib import admin

from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import units_for

from .models import ImprovementAction, Incident


class ReadOnlyScopedAdmin(admin.ModelAdmin):
    """Show the rows of the units the admin user sees; never add, change or delete."""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(unit__in=units_for(request.user, Capability.VIEW_CASES))

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImprovementAction)
class ImprovementActionAdmin(ReadOnlyScopedAdmin):
    list_display = ["title", "unit", "status", "progress", "is_published", "created_at"]
    list_filter = ["status", "is_published"]
    search_fields = ["title"]
    list_select_related = ["unit"]


@admin.register(Incident)
class IncidentAdmin(ReadOnlyScopedAdmin):
    list_display = ["title", "unit", "status", "started_at", "ended_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    list_select_related = ["unit"]
