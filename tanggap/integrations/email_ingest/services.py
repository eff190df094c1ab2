"""Writes for inbound e-mail: a mail becomes a report, joins its case, is ignored or is held."""

import base64
import logging
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr
from functools import partial

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tanggap.cases.choices import Channel, EventKind, ReportKind
from tanggap.cases.events import case_event_record
from tanggap.common.crypto import decrypt_text, encrypt_text
from tanggap.common.exceptions import ApplicationError
from tanggap.common.throttle import throttle_count, throttle_locked_until
from tanggap.intake.models import Report
from tanggap.intake.services import (
    MAX_ATTACHMENTS_PER_REPORT,
    ReportInput,
    contact_digest,
    report_add_information,
    report_submit,
)
from tanggap.notifications.models import Notification

from .attachments import attachments_clean
from .models import InboundMail, Mailbox, MailStatus
from .parsing import MailUnreadable, ParsedMail, content_id, parse_mail, title_from_subject
from .quotes import strip_quoted
from .threads import notification_of, tracking_codes_in

logger = logging.getLogger(__name__)

EXTERNAL_SOURCE = "email"
MAX_TITLE = 200
MAX_DESCRIPTION = 5000
# A mail that was held or throttled may be tried again; any other outcome is final.
RETRYABLE = (MailStatus.HELD, MailStatus.THROTTLED)


@dataclass
class Outcome:
    """What became of one mail; *duplicate* when it had been handled before."""

    status: str
    reason: str = ""
    report: Report | None = None
    duplicate: bool = False


def mail_ingest(*, mailbox: Mailbox, raw: bytes, source: str) -> Outcome:
    """Turn one raw mail into a report or added information; ignore machines; hold the rest.

    Idempotent per mailbox and Message-ID: a mail polled or posted again returns the first
    outcome. A mail that cannot be read or is refused is stored for a person (HELD). Database
    errors propagate, so the caller leaves the mail where it was and tries again later.
    """
    try:
        parsed = parse_mail(raw)
    except Exception as exc:  # noqa: BLE001 - whatever failed, the mail is kept for a person
        return _hold_unreadable(mailbox, source, raw, exc)
    existing = InboundMail.objects.filter(mailbox=mailbox, message_id=parsed.message_id).first()
    if existing and existing.status not in RETRYABLE:
        return Outcome(existing.status, existing.reason, existing.report, duplicate=True)
    if reason := parsed.automatic or _loop_reason(mailbox, parsed):
        logger.info("mailbox %s: ignored %s (%s)", mailbox.pk, parsed.message_id, reason)
        return _record(
            mailbox, source, parsed.message_id, MailStatus.IGNORED, reason, parsed, raw=raw
        )
    if _throttled(mailbox, parsed.sender):
        logger.warning("mailbox %s: sender over the hourly limit", mailbox.pk)
        if source == "webhook":
            # The caller is told to come back later: it keeps the mail, we keep nothing.
            return Outcome(MailStatus.THROTTLED, "throttled")
        return _record(
            mailbox, source, parsed.message_id, MailStatus.THROTTLED, "throttled", parsed,
            raw=raw, keep=True,
        )  # fmt: skip
    return _process(mailbox, parsed, raw, source)


def _hold_unreadable(mailbox: Mailbox, source: str, raw: bytes, exc: Exception) -> Outcome:
    if isinstance(exc, MailUnreadable):
        logger.warning("mailbox %s: unreadable mail (%s)", mailbox.pk, exc.code)
        message_id, code, detail = exc.message_id, exc.code, exc.detail
    else:
        # A parser bug on hostile input must not lose the mail or stop the poll.
        logger.error("mailbox %s: mail could not be parsed", mailbox.pk, exc_info=exc)
        message_id, code, detail = content_id(raw), "parse", f"{type(exc).__name__}: {exc}"
    return _record(
        mailbox, source, message_id, MailStatus.HELD, code, raw=raw, keep=True, detail=detail
    )


def _process(mailbox: Mailbox, parsed: ParsedMail, raw: bytes, source: str) -> Outcome:
    """Apply the mail in one transaction; a refusal or a bug holds it, a database error raises."""
    hold = partial(_record, mailbox, source, parsed.message_id, MailStatus.HELD, raw=raw, keep=True)
    try:
        with transaction.atomic():
            return _apply(mailbox, parsed, raw, source)
    except IntegrityError:
        # A concurrent poll stored this mail first: its outcome is the outcome.
        first = InboundMail.objects.filter(mailbox=mailbox, message_id=parsed.message_id).first()
        if first is None:
            raise
        return Outcome(first.status, first.reason, first.report, duplicate=True)
    except ApplicationError as exc:
        logger.warning("mailbox %s: mail refused (%s)", mailbox.pk, exc.code)
        return hold(exc.code, parsed, detail=str(exc.message))
    except DatabaseError:
        raise
    except Exception as exc:
        # A bug must not lose the mail: it is kept for a person and the error is logged.
        logger.exception("mailbox %s: processing %s failed", mailbox.pk, parsed.message_id)
        return hold("error", parsed, detail=f"{type(exc).__name__}: {exc}")


def mail_reprocess(*, mail: InboundMail) -> Outcome:
    """Process a held or throttled mail again from its stored bytes (an admin's retry)."""
    if mail.status not in RETRYABLE or not mail.raw_enc:
        raise ApplicationError(
            _("Only a held mail with its message kept can be processed again."), code="not_held"
        )
    return mail_ingest(mailbox=mail.mailbox, raw=stored_raw(mail), source=mail.source)


def mail_note_oversized(*, mailbox: Mailbox, message_id: str, size: int) -> Outcome:
    """Record a mail too large to fetch: it stays in the mailbox, flagged for a person."""
    logger.warning("mailbox %s: mail of %d bytes left in the mailbox", mailbox.pk, size)
    return _record(mailbox, "imap", message_id, MailStatus.HELD, "too_large", size=size)


@transaction.atomic
def mailbox_poll_record(*, mailbox: Mailbox, error: str = "") -> None:
    """Note when *mailbox* was polled and the error of that poll ("" for none)."""
    mailbox.last_polled_at, mailbox.last_error = timezone.now(), error[:300]
    mailbox.save(update_fields=["last_polled_at", "last_error", "updated_at"])


def stored_raw(mail: InboundMail) -> bytes:
    """Return the raw bytes a held mail keeps."""
    return base64.b64decode(decrypt_text(mail.raw_enc))


def _claim(mailbox: Mailbox, message_id: str) -> Outcome | None:
    """Take the mail's log row for this transaction; return the outcome if it was handled.

    A new row is inserted first, so a concurrent poll of the same mail waits on the unique
    key and then fails, rather than adding the same reply to a case twice.
    """
    row = InboundMail.objects.select_for_update().filter(mailbox=mailbox, message_id=message_id)
    if (existing := row.first()) is None:
        InboundMail.objects.create(
            mailbox=mailbox, message_id=message_id, status=MailStatus.HELD, reason="processing"
        )
    elif existing.status not in RETRYABLE:
        return Outcome(existing.status, existing.reason, existing.report, duplicate=True)
    return None


def _apply(mailbox: Mailbox, parsed: ParsedMail, raw: bytes, source: str) -> Outcome:
    if handled := _claim(mailbox, parsed.message_id[:255]):
        return handled
    if report := _reply_target(mailbox, parsed):
        room = MAX_ATTACHMENTS_PER_REPORT - report.attachments.count()
        files, skipped = attachments_clean(parsed.attachments, room=room)
        message = strip_quoted(parsed.text)
        report_add_information(report=report, message=message[:MAX_DESCRIPTION], files=files)
        status = MailStatus.JOINED
    else:
        files, skipped = attachments_clean(parsed.attachments)
        message = parsed.text.strip()
        report = _report_from(mailbox, parsed, message, files, skipped)
        status = MailStatus.CREATED
    cut = len(message) > MAX_DESCRIPTION
    _note_losses(report, skipped, cut)
    return _record(
        mailbox, source, parsed.message_id, status, "", parsed, raw=raw, keep=cut,
        report=report, skipped=skipped,
    )  # fmt: skip


def _report_from(mailbox, parsed: ParsedMail, text: str, files, skipped) -> Report:
    if not text and not files and not skipped:
        raise ApplicationError(_("The e-mail has no text and no attachment."), code="empty")
    title = title_from_subject(parsed.subject) or text.partition("\n")[0].strip()
    submission = report_submit(
        ReportInput(
            unit=mailbox.unit,
            kind=ReportKind.COMPLAINT,
            channel=Channel.EMAIL,
            title=(title or _("E-mail without a subject"))[:MAX_TITLE],
            description=text[:MAX_DESCRIPTION] or _("(The e-mail has no text.)"),
            name=parsed.sender_name,
            email=parsed.sender,
            files=files,
            external_source=EXTERNAL_SOURCE,
            # Per mailbox: a mail copied to two units' mailboxes is a report to each.
            external_ref=external_ref(mailbox, parsed.message_id),
        )
    )
    return submission.report


def external_ref(mailbox: Mailbox, message_id: str) -> str:
    """Return the report's external reference for a mail: the mailbox and the Message-ID."""
    return f"{mailbox.pk}:{message_id}"[:200]


def _note_losses(report: Report, skipped: list[dict], cut: bool) -> None:
    """Tell the case's handlers, not the public, what of the mail the report does not hold."""
    lines = [f"{item['name']}: {item['reason']}" for item in skipped]
    if lines:
        lines.insert(0, _("Attachments of the e-mail that were not kept:"))
    if cut:
        lines.append(
            _("The e-mail's text was cut at %(n)d characters; the whole mail is kept.")
            % {"n": MAX_DESCRIPTION}
        )
    if lines:
        case_event_record(
            case=report.case,
            kind=EventKind.NOTE,
            is_public=False,
            message="\n".join(lines),
            data={"report": report.tracking_code, "source": "email", "not_kept": skipped},
        )


def _reply_target(mailbox: Mailbox, parsed: ParsedMail) -> Report | None:
    """Return the sender's own report that the mail answers, by code in subject or thread.

    Only the report's own reporter joins it: a stranger quoting a code opens a new report.
    """
    codes = tracking_codes_in(parsed.subject)
    ours = [n for ref in parsed.references if (n := notification_of(ref)) is not None]
    if ours:
        codes += Notification.objects.filter(pk__in=ours).values_list("reference", flat=True)
    received = InboundMail.objects.filter(
        mailbox__unit__organisation_id=mailbox.unit.organisation_id,
        message_id__in=parsed.references,
        report__isnull=False,
    ).values("report_id")
    if not codes and not parsed.references:
        return None
    return (
        Report.objects.filter(Q(tracking_code__in=codes) | Q(pk__in=received))
        .filter(
            unit__organisation_id=mailbox.unit.organisation_id,
            reporter__email_digest=contact_digest("email", parsed.sender),
        )
        .select_related("case")
        .order_by("-created_at", "-pk")
        .first()
    )


def _loop_reason(mailbox: Mailbox, parsed: ParsedMail) -> str:
    ours = {a.lower() for a in Mailbox.objects.values_list("address", flat=True)}
    ours.add(parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower())
    if parsed.sender.lower() in ours:
        return "own_address"
    if any(marker in ours for marker in parsed.loop_markers):
        return "loop"
    return ""


def _throttled(mailbox: Mailbox, sender: str) -> bool:
    key = f"email_ingest:{mailbox.pk}:{contact_digest('email', sender)}"
    if throttle_locked_until(key=key):
        return True
    limit = getattr(settings, "EMAIL_INGEST_PER_SENDER_PER_HOUR", 20)
    throttle_count(key=key, limit=limit, window=timedelta(hours=1))
    return False


def _record(
    mailbox: Mailbox,
    source: str,
    message_id: str,
    status: str,
    reason: str,
    parsed: ParsedMail | None = None,
    *,
    raw: bytes = b"",
    keep: bool = False,
    detail: str = "",
    report: Report | None = None,
    skipped: list | None = None,
    size: int = 0,
) -> Outcome:
    """Store (or update a retried) log row of one mail and return its outcome.

    The raw bytes are kept (encrypted) only with *keep*: a person still has to read them.
    """
    with transaction.atomic():
        InboundMail.objects.update_or_create(
            mailbox=mailbox,
            message_id=message_id[:255],
            defaults={
                "source": source,
                "status": status,
                "reason": reason,
                "detail": detail[:300],
                "subject": (parsed.subject if parsed else "")[:200],
                "sender_enc": encrypt_text(parsed.sender) if parsed else "",
                "report": report,
                "size": size or len(raw),
                "raw_enc": encrypt_text(base64.b64encode(raw).decode()) if keep else "",
                "skipped_files": skipped or [],
            },
        )
    return Outcome(status, reason, report)
