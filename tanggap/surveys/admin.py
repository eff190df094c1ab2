"""Admin for survey periods and the units' own questions (configured by unit administrators)
and a read-only response list."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tanggap.accounts.admin import UnitScopedAdmin
from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import units_for

from .models import FollowUpItem, SurveyInvitation, SurveyPeriod, SurveyQuestion, SurveyResponse


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
        "review_status",
    ]
    list_filter = ["channel", "is_flagged", "review_status", "period"]
    exclude = ["source_digest"]

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        # Answers are evidence, and a flag is reviewed on the staff screen, which records
        # who decided and when (surveys_staff:period_review).
        return [f.name for f in self.model._meta.fields]


@admin.register(SurveyQuestion)
class SurveyQuestionAdmin(UnitScopedAdmin):
    """A unit's own questions, asked after the nine elements and never counted in the IKM."""

    list_display = ["text_id", "unit", "period", "position", "kind", "is_active"]
    list_filter = ["kind", "is_active", "unit"]
    list_select_related = ["unit", "period"]
    search_fields = ["text_id", "text_en"]
    fieldsets = [
        (None, {"fields": ["unit", "period", "position", "is_active"]}),
        (_("Question"), {"fields": ["text_id", "text_en", "kind"]}),
        (
            _("Answer labels of a scale question"),
            {
                "fields": [
                    ("label_1_id", "label_1_en"),
                    ("label_2_id", "label_2_en"),
                    ("label_3_id", "label_3_en"),
                    ("label_4_id", "label_4_en"),
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Answers already given would no longer fit another answer type.
        return ["kind"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "period" and not request.user.is_superuser:
            units = units_for(request.user, Capability.CONFIGURE_UNIT)
            kwargs["queryset"] = SurveyPeriod.objects.filter(unit__in=units)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        # An answered question stays, so that its answers keep their question; untick "asked".
        if (
            obj is not None
            and SurveyResponse.objects.filter(extra_answers__has_key=str(obj.pk)).exists()
        ):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(UnitScopedAdmin):
    """Invitations as sent, for answering "was I invited?"; nothing here can be changed."""

    unit_field = "period__unit"
    list_display = ["sent_at", "period", "report", "language", "expires_at", "used_at"]
    list_filter = ["period", "language"]
    list_select_related = ["period__unit", "report"]
    search_fields = ["report__tracking_code"]
    exclude = ["token_digest"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
