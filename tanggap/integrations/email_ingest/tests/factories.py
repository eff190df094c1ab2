"""Mailboxes as an administrator configures them in the admin."""

import factory

from tanggap.common.crypto import encrypt_text
from tanggap.integrations.email_ingest.models import Mailbox, Security

WEBHOOK_SECRET = "uji-rahasia-webhook-0123456789abcdef"  # noqa: S105 - test data
IMAP_PASSWORD = "sandi-imap-uji"  # noqa: S105 - test data


class MailboxFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mailbox

    slug = factory.Sequence(lambda n: f"kotak-{n}")
    address = "pengaduan@spkt.contoh.go.id"
    host = "127.0.0.1"
    port = 993
    security = Security.NONE
    username = "pengaduan"
    password_enc = factory.LazyFunction(lambda: encrypt_text(IMAP_PASSWORD))
    webhook_secret_enc = factory.LazyFunction(lambda: encrypt_text(WEBHOOK_SECRET))
