"""Citizens' messages in: a new report, or more information on the sender's open case."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tanggap.cases.choices import OPEN_STATUSES
from tanggap.common.exceptions import ApplicationError
from tanggap.intake.models import Report
from tanggap.intake.services import (
    ReportInput,
    contact_digest,
    normalize_phone,
    report_add_information,
    report_submit,
)
from tanggap.notifications.services import notification_queue

from ..choices import InboundOutcome, MessagingChannel
from ..models import InboundMessage, MessagingNumber, OutboundMessage
from ..parsing import IncomingMessage
from .media import STORED_MEDIA, media_fetch_enqueue

TITLE_LENGTH = 80
# WhatsApp allows free-form replies for 24 hours after the customer's last message; a margin
# keeps a message queued at the edge from arriving after the window closed.
WINDOW = timedelta(hours=24) - timedelta(minutes=10)
# Updates sent as a template this recently get their full text when the citizen writes again.
FULL_TEXT_WITHIN = timedelta(days=30)


def title_from(text: str, channel: str) -> str:
    """Return a report title: the message's first line, cut at a word near TITLE_LENGTH."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    if not line:
        return _("Message by %(channel)s") % {"channel": MessagingChannel(channel).label}
    if len(line) <= TITLE_LENGTH:
        return line
    cut = line[: TITLE_LENGTH - 1].rsplit(" ", 1)[0] or line[: TITLE_LENGTH - 1]
    return cut + "…"


def _text_of(message: IncomingMessage) -> str:
    text = message.text.strip()
    kinds = [m["type"] for m in message.media]
    if other := [k for k in kinds if k not in STORED_MEDIA]:
        # Audio and video stay with the platform: say so on the case, so staff can ask.
        note = _("[The reporter sent media that is not stored here: %(kinds)s.]") % {
            "kinds": ", ".join(other)
        }
        text = f"{text}\n\n{note}" if text else note
    if not text and kinds:
        text = _("[Sent without text: see the attached files.]")
    return text


def _open_report(digest: str, organisation_id: int) -> Report | None:
    return (
        Report.objects.filter(
            reporter__phone_digest=digest,
            case__status__in=OPEN_STATUSES,
            unit__organisation_id=organisation_id,
        )
        .select_related("case", "unit")
        .order_by("-created_at", "-id")
        .first()
    )


def _queue_reply(channel: str, phone: str, report: Report, template: str, key: str) -> None:
    notification_queue(
        channel=channel,
        recipient=phone,
        template=f"{channel}/{template}",
        reference=report.tracking_code,
        key=key,
        case=report.case,
        language=report.language,
        context={
            "report": report,
            "case": report.case,
            "tracking_url": settings.SITE_URL.rstrip("/") + reverse("intake:track"),
        },
    )


def inbound_receive(*, channel: str, message: IncomingMessage) -> tuple[InboundMessage, bool]:
    """Turn a citizen's message into a report, or add it to their open case; once per id.

    Return the stored message and whether it is new: a retried webhook finds the first one
    and creates nothing. Raise ApplicationError for a number no unit receives on, or a sender
    that is not a phone number.
    """
    if found := InboundMessage.objects.filter(
        channel=channel, external_id=message.external_id
    ).first():
        return found, False
    number = (
        MessagingNumber.objects.filter(
            channel=channel, identifier=message.number_id, is_active=True
        )
        .select_related("unit")
        .first()
    )
    if number is None:
        raise ApplicationError(_("No unit receives messages on this number."), code="number")
    sender = normalize_phone(message.sender)
    if not 8 <= len(sender) <= 15:
        raise ApplicationError(_("The sender is not a phone number."), code="sender")
    try:
        with transaction.atomic():
            return _receive(channel, number, sender, message), True
    except IntegrityError:
        # The same message delivered twice at once: the other copy was stored first.
        if found := InboundMessage.objects.filter(
            channel=channel, external_id=message.external_id
        ).first():
            return found, False
        raise


def _receive(
    channel: str, number: MessagingNumber, sender: str, message: IncomingMessage
) -> InboundMessage:
    digest = contact_digest("phone", sender)
    text = _text_of(message)
    report = _open_report(digest, number.unit.organisation_id)
    if report is not None:
        report_add_information(report=report, message=text, files=[])
        outcome = InboundOutcome.JOINED
    else:
        submission = report_submit(
            ReportInput(
                unit=number.unit,
                kind=number.kind,
                channel=channel,
                title=title_from(message.text, channel),
                description=text,
                name=message.name,
                phone=sender,
                external_source=channel,
                external_ref=message.external_id,
            )
        )
        report, outcome = submission.report, InboundOutcome.CREATED
    inbound = InboundMessage.objects.create(
        channel=channel,
        external_id=message.external_id,
        number=number,
        sender_digest=digest,
        received_at=min(message.sent_at or timezone.now(), timezone.now()),
        report=report,
        outcome=outcome,
        media=list(message.media),
    )
    if any(m["type"] in STORED_MEDIA for m in inbound.media):
        media_fetch_enqueue(inbound)
    _queue_full_texts(channel, sender, digest)
    if outcome == InboundOutcome.CREATED:
        _queue_reply(channel, sender, report, "receipt", f"receipt:{report.pk}:{channel}")
    else:
        _queue_reply(channel, sender, report, "added", f"inbound:{inbound.pk}")
    return inbound


def _queue_full_texts(channel: str, phone: str, digest: str) -> None:
    """Send the full text of the updates that went as a template, now that the window is open.

    Outside the 24-hour window only the subject line could go; the officer's words (a reply,
    a question) follow as soon as the citizen writes again.
    """
    if channel != MessagingChannel.WHATSAPP:
        return
    now = timezone.now()
    pending = (
        OutboundMessage.objects.select_for_update(of=("self",))
        .filter(
            channel=channel,
            sent_as="template",
            recipient_digest=digest,
            full_text_queued_at__isnull=True,
            notification__isnull=False,
            created_at__gte=now - FULL_TEXT_WITHIN,
        )
        .select_related("notification")
        .order_by("created_at", "id")
    )
    for sent in pending:
        notification = sent.notification
        notification_queue(
            channel=channel,
            recipient=phone,
            template="whatsapp/full_text",
            reference=notification.reference,
            key=f"full:{notification.pk}",
            case=notification.case,
            context={"subject": notification.subject, "body": notification.body},
        )
        sent.full_text_queued_at = now
        sent.save(update_fields=["full_text_queued_at", "updated_at"])


def whatsapp_window_open(phone: str) -> bool:
    """Say whether *phone* wrote to us on WhatsApp recently enough for a free-form reply."""
    return InboundMessage.objects.filter(
        channel=MessagingChannel.WHATSAPP,
        sender_digest=contact_digest("phone", phone),
        received_at__gte=timezone.now() - WINDOW,
    ).exists()


def whatsapp_sender_for(notification, phone: str) -> str:
    """Return the business number to answer *phone* from: the one they last wrote to.

    Else the WhatsApp number of the notification's unit; "" for the configured default.
    """
    last = (
        InboundMessage.objects.filter(
            channel=MessagingChannel.WHATSAPP,
            sender_digest=contact_digest("phone", phone),
            number__isnull=False,
        )
        .order_by("-received_at", "-id")
        .values_list("number__identifier", flat=True)
        .first()
    )
    if last:
        return last
    case = getattr(notification, "case", None)
    if case is None:
        return ""
    return (
        MessagingNumber.objects.filter(
            channel=MessagingChannel.WHATSAPP, unit_id=case.unit_id, is_active=True
        )
        .values_list("identifier", flat=True)
        .first()
        or ""
    )
