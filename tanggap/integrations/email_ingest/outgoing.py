"""Answer a report that came by e-mail in the citizen's own thread, so their reply comes back."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _

from tanggap.intake.models import Report
from tanggap.intake.services import contact_digest
from tanggap.notifications.channels import EmailChannel

from .models import InboundMail, MailStatus
from .threads import outgoing_message_id, tracking_codes_in

# The notification templates close with this line, which is untrue for an e-mail report.
NOT_READ = "This message was sent automatically; replies to it are not read."


class ThreadedEmailChannel(EmailChannel):
    """Send e-mail; a message about an e-mail report goes into that report's mail thread.

    It carries a stable Message-ID (a retry is the same message), In-Reply-To and References
    naming the citizen's mails, Reply-To the unit's mailbox, and the tracking code in the
    subject, so the citizen's reply joins the case. Auto-Submitted keeps autoresponders quiet
    and X-Loop lets the mailbox recognise its own mail.
    """

    def send(self, *, recipient: str, subject: str, body: str, notification=None) -> None:
        thread = _thread(notification, recipient)
        if thread is None:
            super().send(recipient=recipient, subject=subject, body=body, notification=notification)
            return
        report, mails = thread
        mailbox = mails[0].mailbox
        domain = mailbox.address.rpartition("@")[2]
        references = list(dict.fromkeys([mails[0].message_id, mails[-1].message_id]))
        with translation.override(report.language or "id"):
            body = _reply_invitation(body)
        EmailMessage(
            subject=_with_code(subject, report.tracking_code),
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[recipient],
            reply_to=[mailbox.address],
            headers={
                "Message-ID": f"<{outgoing_message_id(notification.pk, domain)}>",
                "In-Reply-To": f"<{references[-1]}>",
                "References": " ".join(f"<{ref}>" for ref in references),
                "Auto-Submitted": "auto-generated",
                "X-Loop": mailbox.address,
            },
        ).send()


def _thread(notification, recipient: str) -> tuple[object, list[InboundMail]] | None:
    """Return the e-mail report a message to its reporter is about, and the mails received.

    A message about the report to anyone else (a staff alert) is not part of the thread.
    """
    if notification is None or not notification.reference or notification.pk is None:
        return None
    report = Report.objects.filter(
        tracking_code=notification.reference,
        external_source="email",
        reporter__email_digest=contact_digest("email", recipient),
    ).first()
    if report is None:
        return None
    mails = list(
        InboundMail.objects.filter(
            report=report, status__in=[MailStatus.CREATED, MailStatus.JOINED]
        )
        .select_related("mailbox")
        .order_by("created_at", "pk")
    )
    return (report, mails) if mails else None


def _with_code(subject: str, code: str) -> str:
    return subject if code in tracking_codes_in(subject) else f"{subject} [{code}]"


def _reply_invitation(body: str) -> str:
    invitation = _("You can reply to this e-mail to add information to your report.")
    not_read = _(NOT_READ)
    if not_read in body:
        return body.replace(not_read, invitation)
    return f"{body}\n\n{invitation}"
