"""Admin for suggestion boxes: unit administrators add and retire their boxes."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tanggap.accounts.admin import UnitScopedAdmin

from .models import SuggestionBox


@admin.register(SuggestionBox)
class SuggestionBoxAdmin(UnitScopedAdmin):
    list_display = ["name", "unit", "location", "opening_interval_days", "is_active", "public"]
    list_filter = ["is_active"]
    search_fields = ["name", "code", "location"]

    @admin.display(description=_("public page"))
    def public(self, obj):
        url = reverse("intake:box_public", args=[obj.code])
        return format_html('<a href="{}" target="_blank">{}</a>', url, url)
