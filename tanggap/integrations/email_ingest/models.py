"""A unit's mailbox and the log of every mail it received, with the mails kept for a human."""

import ipaddress

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tanggap.common.crypto import decrypt_text
from tanggap.common.models import BaseModel


class Security(models.TextChoices):
    SSL = "ssl", _("TLS from the start (port 993)")
    STARTTLS = "starttls", _("STARTTLS (port 143)")
    NONE = "none", _("None (this machine only)")


def is_loopback(host: str) -> bool:
    """Return whether *host* names this machine, the only place a clear-text login may go."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Mailbox(BaseModel):
    """A unit's e-mail address: polled over IMAP, or fed by an inbound-mail webhook."""

    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        related_name="mailboxes",
        verbose_name=_("unit"),
    )
    slug = models.SlugField(
        _("short name"),
        max_length=60,
        unique=True,
        help_text=_("Used in the webhook address: /integrasi/email/<short name>/."),
    )
    address = models.EmailField(
        _("address"), help_text=_("Citizens write here; replies to e-mail reports come from it.")
    )
    host = models.CharField(_("IMAP host"), max_length=200, blank=True)
    port = models.PositiveIntegerField(_("IMAP port"), default=993)
    security = models.CharField(
        _("connection security"), max_length=10, choices=Security, default=Security.SSL
    )
    username = models.CharField(_("IMAP user"), max_length=200, blank=True)
    # Fernet ciphertexts (common.crypto); the admin form writes them and never shows them.
    password_enc = models.TextField(blank=True)
    webhook_secret_enc = models.TextField(blank=True)
    folder = models.CharField(_("IMAP folder"), max_length=200, default="INBOX")
    is_active = models.BooleanField(_("active"), default=True)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")

    def __str__(self):
        return self.address

    def clean(self):
        if self.host and self.security == Security.NONE and not is_loopback(self.host):
            raise ValidationError(
                {"security": _("A password may travel unencrypted only to this machine.")}
            )

    @property
    def polls_imap(self) -> bool:
        """Return whether this mailbox is read over IMAP (a webhook-only one has no host)."""
        return bool(self.host and self.username)

    def password(self) -> str:
        """Return the IMAP password in clear, for the poller only."""
        return decrypt_text(self.password_enc)

    def webhook_secret(self) -> str:
        """Return the webhook's signing secret in clear, for checking a signature."""
        return decrypt_text(self.webhook_secret_enc)


class MailStatus(models.TextChoices):
    CREATED = "created", _("New report")
    JOINED = "joined", _("Added to a report")
    IGNORED = "ignored", _("Ignored (automatic mail)")
    THROTTLED = "throttled", _("Not processed: too many mails from this sender")
    HELD = "held", _("Kept for a person to read")


class InboundMail(BaseModel):
    """One mail a mailbox received and what became of it; a held mail keeps its raw bytes.

    Unique per mailbox and Message-ID, so a mail polled or posted twice is handled once.
    """

    mailbox = models.ForeignKey(
        Mailbox, on_delete=models.PROTECT, related_name="mails", verbose_name=_("mailbox")
    )
    message_id = models.CharField(_("Message-ID"), max_length=255)
    source = models.CharField(_("source"), max_length=10)
    status = models.CharField(_("status"), max_length=10, choices=MailStatus)
    reason = models.CharField(_("reason"), max_length=40, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    sender_enc = models.TextField(blank=True)
    report = models.ForeignKey(
        "intake.Report",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("report"),
    )
    size = models.PositiveIntegerField(_("size"), default=0)
    # The whole message, encrypted like other contact data; only while a person must read it.
    raw_enc = models.TextField(blank=True)
    skipped_files = models.JSONField(_("attachments not kept"), default=list, blank=True)

    class Meta:
        verbose_name = _("inbound mail")
        verbose_name_plural = _("inbound mails")
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "message_id"], name="inbound_mail_unique_message"
            )
        ]
        indexes = [models.Index(fields=["mailbox", "status"], name="inbound_mail_status")]

    def __str__(self):
        return f"{self.message_id} {self.status}"

    def sender(self) -> str:
        """Return the sender's address in clear."""
        return decrypt_text(self.sender_enc)
