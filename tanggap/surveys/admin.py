"""Admin for survey periods (configured by unit administrators) and a read-only response list."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tanggap.accounts.admin import UnitScopedAdmin

from .models import FollowUpItem, SurveyPeriod, SurveyResponse


class FollowUpInline(admin.TabularInline):
    model = FollowUpItem
    extra = 1


@admin.register(SurveyPeriod)
class SurveyPeriodAdmin(UnitScopedAdmin):
    inlines = [FollowUpInline]
    list_display = [
        "name",
        "unit",
        "service",
        "starts_on",
        "ends_on",
        "population",
        "target_shown",
        "is_closed",
    ]
    list_filter = ["kind", "is_closed", "unit__organisation"]
    date_hierarchy = "starts_on"

    @admin.display(description=_("sample target"))
    def target_shown(self, obj):
        return obj.target


@admin.register(SurveyResponse)
class SurveyResponseAdmin(UnitScopedAdmin):
    list_display = [
        "created_at",
        "period",
        "channel",
        "service",
        "counter",
        "is_flagged",
        "flag_reason",
    ]
    list_filter = ["channel", "is_flagged", "period"]
    exclude = ["source_digest"]

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        # Answers are evidence: only the flag can be reviewed here.
        return [
            f.name for f in self.model._meta.fields if f.name not in ("is_flagged", "flag_reason")
        ]
