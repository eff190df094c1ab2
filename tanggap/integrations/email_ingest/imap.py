"""Read a mailbox's unseen mail over IMAP and flag each mail only once it is stored."""

import imaplib
import logging
import re
import ssl
from dataclasses import dataclass

from .models import Mailbox, MailStatus, Security
from .parsing import MAX_MAIL_BYTES
from .services import mail_ingest, mail_note_oversized, mailbox_poll_record

logger = logging.getLogger(__name__)

BATCH = 50
TIMEOUT_SECONDS = 60
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


@dataclass
class PollSummary:
    fetched: int = 0
    created: int = 0
    joined: int = 0
    ignored: int = 0
    held: int = 0
    failed: int = 0
    error: str = ""


def mailbox_poll(mailbox: Mailbox, *, batch: int = BATCH) -> PollSummary:
    """Process up to *batch* unseen mails of *mailbox*; return what became of them.

    A mail is flagged \\Seen only after its outcome is committed, and flagged \\Flagged too
    when a person must read it; a mail whose processing failed stays unseen for the next poll.
    Nothing is deleted or moved.
    """
    summary = PollSummary()
    try:
        connection = _connect(mailbox)
    except (OSError, imaplib.IMAP4.error) as exc:
        return _failed(mailbox, summary, exc)
    try:
        connection.login(mailbox.username, mailbox.password())
        typ, data = connection.select(_quoted(mailbox.folder))
        if typ != "OK":
            raise imaplib.IMAP4.error(f"cannot select {mailbox.folder}")
        validity = _uidvalidity(connection)
        typ, data = connection.uid("SEARCH", None, "UNSEEN", "UNDELETED")
        for uid in (data[0] or b"").split()[:batch]:
            _poll_one(connection, mailbox, uid.decode(), validity, summary)
    except (OSError, imaplib.IMAP4.error) as exc:
        return _failed(mailbox, summary, exc, connection)
    _logout(connection)
    mailbox_poll_record(mailbox=mailbox)
    return summary


def _poll_one(connection, mailbox, uid: str, validity: str, summary: PollSummary) -> None:
    typ, data = connection.uid("FETCH", uid, "(RFC822.SIZE)")
    size = _first_int(_SIZE, data)
    if size is not None and size > MAX_MAIL_BYTES:
        mail_note_oversized(mailbox=mailbox, message_id=f"imap:{validity}:{uid}", size=size)
        _flag(connection, uid, held=True)
        summary.held += 1
        return
    typ, data = connection.uid("FETCH", uid, "(BODY.PEEK[])")
    raw = next((item[1] for item in data if isinstance(item, tuple)), None)
    if typ != "OK" or raw is None:
        summary.failed += 1
        return
    summary.fetched += 1
    try:
        outcome = mail_ingest(mailbox=mailbox, raw=raw, source="imap")
    except Exception:
        # The database failed: the mail stays unseen and the next poll tries again.
        logger.exception("mailbox %s: mail uid %s not processed", mailbox.pk, uid)
        summary.failed += 1
        return
    held = outcome.status in (MailStatus.HELD, MailStatus.THROTTLED)
    _flag(connection, uid, held=held)
    if held:
        summary.held += 1
    elif outcome.status == MailStatus.IGNORED:
        summary.ignored += 1
    elif outcome.status == MailStatus.JOINED:
        summary.joined += 1
    else:
        summary.created += 1


def _connect(mailbox: Mailbox) -> imaplib.IMAP4:
    if mailbox.security == Security.SSL:
        context = ssl.create_default_context()
        return imaplib.IMAP4_SSL(
            mailbox.host, mailbox.port, ssl_context=context, timeout=TIMEOUT_SECONDS
        )
    connection = imaplib.IMAP4(mailbox.host, mailbox.port, timeout=TIMEOUT_SECONDS)
    if mailbox.security == Security.STARTTLS:
        connection.starttls(ssl_context=ssl.create_default_context())
    return connection


def _flag(connection, uid: str, *, held: bool) -> None:
    # A held mail is also flagged, so it stands out in the unit's own mail program.
    flags = r"(\Seen \Flagged)" if held else r"(\Seen)"
    connection.uid("STORE", uid, "+FLAGS", flags)


def _uidvalidity(connection) -> str:
    typ, data = connection.response("UIDVALIDITY")
    return data[0].decode() if data and data[0] else "0"


def _first_int(pattern: re.Pattern, data) -> int | None:
    for item in data or []:
        chunk = item[0] if isinstance(item, tuple) else item
        if isinstance(chunk, bytes) and (found := pattern.search(chunk)):
            return int(found.group(1))
    return None


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _failed(mailbox, summary: PollSummary, exc: Exception, connection=None) -> PollSummary:
    logger.warning("mailbox %s: poll failed: %s", mailbox.pk, exc)
    if connection is not None:
        _logout(connection)
    summary.error = f"{type(exc).__name__}: {exc}"[:300]
    mailbox_poll_record(mailbox=mailbox, error=summary.error)
    return summary


def _logout(connection) -> None:
    try:
        connection.logout()
    except (OSError, imaplib.IMAP4.error):
        logger.info("IMAP logout failed", exc_info=True)
