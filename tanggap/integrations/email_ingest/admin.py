"""Admin for the units' mailboxes and the log of received mail, with a retry for held mail."""

import logging

from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tanggap.accounts.admin import UnitScopedAdmin
from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import units_for, user_can
from tanggap.common.crypto import encrypt_text
from tanggap.common.exceptions import ApplicationError

from .models import InboundMail, Mailbox
from .services import mail_reprocess, stored_raw

logger = logging.getLogger(__name__)


class MailboxForm(forms.ModelForm):
    """Take the IMAP password and webhook secret without ever showing the stored ones."""

    password = forms.CharField(
        label=_("IMAP password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the stored password."),
    )
    webhook_secret = forms.CharField(
        label=_("webhook secret"),
        required=False,
        min_length=32,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "At least 32 characters, shared with the mail provider that posts to the webhook. "
            "Leave empty to keep the stored secret."
        ),
    )

    class Meta:
        model = Mailbox
        fields = [
            "unit",
            "slug",
            "address",
            "is_active",
            "host",
            "port",
            "security",
            "username",
            "folder",
        ]

    def save(self, commit=True):
        mailbox = super().save(commit=False)
        if password := self.cleaned_data.get("password"):
            mailbox.password_enc = encrypt_text(password)
        if secret := self.cleaned_data.get("webhook_secret"):
            mailbox.webhook_secret_enc = encrypt_text(secret)
        if commit:
            mailbox.save()
        return mailbox


@admin.register(Mailbox)
class MailboxAdmin(UnitScopedAdmin):
    form = MailboxForm
    list_display = ["address", "unit", "slug", "host", "is_active", "last_polled_at", "last_error"]
    list_filter = ["is_active", "security"]
    search_fields = ["address", "slug"]
    readonly_fields = ["last_polled_at", "last_error"]
    fieldsets = [
        (None, {"fields": ["unit", "slug", "address", "is_active"]}),
        (_("IMAP"), {"fields": ["host", "port", "security", "username", "password", "folder"]}),
        (_("Webhook"), {"fields": ["webhook_secret"]}),
        (_("Last poll"), {"fields": ["last_polled_at", "last_error"]}),
    ]


@admin.register(InboundMail)
class InboundMailAdmin(admin.ModelAdmin):
    """The log of received mail; the sender and the message stay sealed here."""

    list_display = ["created_at", "mailbox", "status", "reason", "subject", "report", "size"]
    list_filter = ["status", "source", "mailbox"]
    search_fields = ["subject", "message_id"]
    fields = [
        "mailbox",
        "message_id",
        "source",
        "status",
        "reason",
        "detail",
        "subject",
        "report",
        "size",
        "skipped_files",
        "created_at",
        "message",
    ]
    readonly_fields = fields
    actions = ["process_again"]

    @admin.display(description=_("message"))
    def message(self, obj):
        if not obj.raw_enc:
            return "-"
        url = reverse("admin:email_ingest_inboundmail_eml", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download the kept mail (.eml)"))

    def get_urls(self):
        eml = self.admin_site.admin_view(self.download_eml)
        return [
            path("<int:pk>/eml/", eml, name="email_ingest_inboundmail_eml"),
            *super().get_urls(),
        ]

    def download_eml(self, request, pk):
        """Hand a kept mail to someone who may open reporters' identities; it holds one."""
        mail = self.get_queryset(request).filter(pk=pk).exclude(raw_enc="").first()
        if mail is None or not (
            request.user.is_superuser
            or user_can(request.user, Capability.VIEW_IDENTITY, mail.mailbox.unit)
        ):
            raise Http404
        logger.warning("user %s downloaded kept mail %s", request.user.pk, mail.pk)
        return HttpResponse(
            stored_raw(mail),
            content_type="message/rfc822",
            headers={"Content-Disposition": f'attachment; filename="mail-{mail.pk}.eml"'},
        )

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("mailbox", "report")
        if request.user.is_superuser:
            return qs
        return qs.filter(mailbox__unit__in=units_for(request.user, Capability.CONFIGURE_UNIT))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Process the held mail again"))
    def process_again(self, request, queryset):
        done = 0
        for mail in queryset:
            try:
                mail_reprocess(mail=mail)
            except ApplicationError as exc:
                self.message_user(request, f"{mail.message_id}: {exc.message}", messages.WARNING)
            else:
                done += 1
        self.message_user(request, _("%(n)d mails processed again.") % {"n": done})
