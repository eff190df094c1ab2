"""Admin for business numbers, message logs and outbound webhook subscriptions.

Subscriptions are saved through ``subscription_save``, which checks the URL against the SSRF
guard; their secret is written, never shown. Deliveries and their attempts are read-only, with
an action to retry given-up ones.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tanggap.accounts.admin import UnitScopedAdmin
from tanggap.cases.admin import OrganisationScopedAdmin, configured_units
from tanggap.common.exceptions import ApplicationError

from .choices import DeliveryStatus
from .models import (
    Delivery,
    DeliveryAttempt,
    InboundMessage,
    MessagingNumber,
    OutboundMessage,
    Subscription,
)
from .services.deliveries import delivery_retry
from .services.subscriptions import (
    EVENT_KINDS,
    MIN_SECRET_LENGTH,
    subscription_check,
    subscription_save,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """A log: nobody adds, changes or deletes its rows; each sees those of their units."""

    scope = ""  # the lookup from the row to its unit

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.scope}__in": configured_units(request)})

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MessagingNumber)
class MessagingNumberAdmin(UnitScopedAdmin):
    list_display = ["identifier", "channel", "unit", "kind", "is_active"]
    list_filter = ["channel", "is_active"]
    search_fields = ["identifier"]


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdmin):
    scope = "number__unit"
    list_display = ["received_at", "channel", "number", "outcome", "report"]
    list_filter = ["channel", "outcome"]
    search_fields = ["external_id", "report__tracking_code"]
    exclude = ["sender_digest"]


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyAdmin):
    scope = "notification__case__unit"
    list_display = ["created_at", "channel", "sent_as", "status", "status_at", "error"]
    list_filter = ["channel", "status", "sent_as"]
    search_fields = ["provider_id"]
    exclude = ["recipient_digest"]


class SubscriptionForm(forms.ModelForm):
    secret = forms.CharField(
        label=_("Shared secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "Signs every delivery (HMAC-SHA256). At least %(n)d characters; "
            "leave empty to keep the current one."
        )
        % {"n": MIN_SECRET_LENGTH},
    )
    event_kinds = forms.MultipleChoiceField(
        label=_("Event kinds"),
        required=False,
        choices=[(kind.value, kind.label) for kind in EVENT_KINDS],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every kind."),
    )

    class Meta:
        model = Subscription
        fields = ["organisation", "unit", "name", "url", "secret", "event_kinds", "is_active"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        arguments = self._service_arguments(data)
        try:
            subscription_check(
                organisation=arguments["organisation"],
                name=arguments["name"],
                url=arguments["url"],
                secret=arguments["secret"],
                unit=arguments["unit"],
                event_kinds=arguments["event_kinds"],
                is_new=arguments["subscription"] is None,
            )
        except ApplicationError as exc:
            raise ValidationError(exc.message) from exc
        return data

    def _service_arguments(self, data) -> dict:
        return {
            "organisation": data["organisation"],
            "unit": data.get("unit"),
            "name": data.get("name", ""),
            "url": data.get("url", ""),
            "secret": data.get("secret", ""),
            "event_kinds": data.get("event_kinds") or [],
            "is_active": data.get("is_active", False),
            "subscription": self.instance if self.instance.pk else None,
        }


@admin.register(Subscription)
class SubscriptionAdmin(OrganisationScopedAdmin):
    form = SubscriptionForm
    list_display = ["name", "organisation", "unit", "url", "is_active"]
    list_filter = ["is_active"]

    def save_model(self, request, obj, form, change):
        saved = subscription_save(**form._service_arguments(form.cleaned_data))
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        pass  # no inlines to save; the form's m2m would rewrite nothing


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    fields = ["at", "status_code", "error", "duration_ms"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    scope = "event__case__unit"
    list_display = ["created_at", "subscription", "event", "status", "attempts", "next_attempt_at"]
    list_filter = ["status", "subscription"]
    readonly_fields = [
        "subscription",
        "event",
        "payload",
        "status",
        "attempts",
        "next_attempt_at",
        "delivered_at",
        "last_error",
    ]
    inlines = [AttemptInline]
    actions = ["retry"]

    @admin.action(description=_("Retry the given-up deliveries"))
    def retry(self, request, queryset):
        retried = 0
        for delivery in queryset.filter(status=DeliveryStatus.FAILED):
            try:
                delivery_retry(delivery=delivery, by=request.user)
                retried += 1
            except ApplicationError as exc:
                self.message_user(request, exc.message, messages.ERROR)
        self.message_user(request, _("%(n)d deliveries queued again.") % {"n": retried})
