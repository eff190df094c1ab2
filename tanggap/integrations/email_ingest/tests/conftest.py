"""Fixtures of the inbound e-mail tests: a mailbox per unit, the .eml files, an IMAP server."""

from pathlib import Path

import pytest

from .factories import IMAP_PASSWORD, MailboxFactory
from .imap_server import ImapTestServer

FIXTURES = Path(__file__).parent / "fixtures"


def eml(name: str, **replacements: str) -> bytes:
    """Return the bytes of fixture *name*, with @@KEY@@ placeholders replaced."""
    raw = (FIXTURES / name).read_bytes()
    for key, value in replacements.items():
        raw = raw.replace(f"@@{key.upper()}@@".encode(), value.encode())
    return raw


@pytest.fixture
def mailbox(spkt):
    """The SPKT's complaints mailbox."""
    return MailboxFactory(unit=spkt, slug="spkt", address="pengaduan@spkt.contoh.go.id")


@pytest.fixture
def other_mailbox(dpmptsp):
    """The licensing office's mailbox, in another organisation."""
    return MailboxFactory(unit=dpmptsp, slug="dpmptsp", address="pengaduan@dpmptsp.contoh.go.id")


@pytest.fixture
def imap_server():
    """A running IMAP server holding the SPKT mailbox's INBOX."""
    server = ImapTestServer(username="pengaduan", password=IMAP_PASSWORD)
    yield server
    server.close()


@pytest.fixture
def imap_mailbox(mailbox, imap_server):
    """The SPKT mailbox pointed at the test IMAP server."""
    mailbox.port = imap_server.port
    mailbox.save(update_fields=["port"])
    return mailbox
