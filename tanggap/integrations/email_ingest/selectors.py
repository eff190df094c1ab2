"""Reads for inbound e-mail: the mailboxes to poll and a webhook's mailbox."""

from .models import Mailbox


def mailboxes_to_poll() -> list[tuple[int, str]]:
    """Return (id, address) of every active mailbox read over IMAP."""
    return list(
        Mailbox.objects.filter(is_active=True)
        .exclude(host="")
        .exclude(username="")
        .order_by("pk")
        .values_list("pk", "address")
    )


def webhook_mailbox(key: str) -> Mailbox | None:
    """Return the active mailbox a webhook path names (its short name or id) with a secret."""
    lookup = {"pk": int(key)} if key.isdigit() and len(key) < 19 else {"slug": key}
    return (
        Mailbox.objects.select_related("unit")
        .filter(is_active=True, **lookup)
        .exclude(webhook_secret_enc="")
        .first()
    )
