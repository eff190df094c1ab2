"""Background polling of the units' mailboxes (run by the task worker)."""

from dataclasses import asdict

from django.tasks import task

from .imap import mailbox_poll
from .models import Mailbox


@task
def poll_mailbox(mailbox_id: int) -> dict:
    """Read one active mailbox's unseen mail; safe to run twice (each mail is handled once)."""
    mailbox = Mailbox.objects.select_related("unit").filter(pk=mailbox_id, is_active=True).first()
    if mailbox is None or not mailbox.polls_imap:
        return {}
    return asdict(mailbox_poll(mailbox))
