"""Reads of the outbox."""

from dataclasses import dataclass
from datetime import datetime

from .models import Notification, NotificationChannel, NotificationStatus

# The log columns: what was sent and how it went, never to whom (nor the transport's error,
# which may quote the address).
LOG_FIELDS = ("id", "created_at", "channel", "subject", "status", "attempts", "sent_at")


@dataclass(frozen=True)
class LogEntry:
    """One message of a case's notification log."""

    id: int
    created_at: datetime
    channel: str
    subject: str
    status: str
    attempts: int
    sent_at: datetime | None

    @property
    def channel_label(self) -> str:
        return NotificationChannel(self.channel).label

    @property
    def status_label(self) -> str:
        return NotificationStatus(self.status).label


def notifications_for_case(case, *, limit: int = 200) -> list[LogEntry]:
    """Return the newest *limit* messages about *case*, newest first, without recipients.

    *case* must come from a scoped selector (``cases.selectors.case_get``): the log is as
    visible as the case.
    """
    rows = (
        Notification.objects.filter(case=case)
        .order_by("-created_at", "-id")
        .values_list(*LOG_FIELDS)[:limit]
    )
    return [LogEntry(*row) for row in rows]
