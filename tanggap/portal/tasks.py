"""Tasks of the portal: telling followers what changed (enqueued by ``portal_notify``)."""

import logging

from django.tasks import task

from .selectors import publications_with_news
from .services import followers_notify

logger = logging.getLogger(__name__)


@task
def notify_followers() -> dict:
    """Queue the followers' e-mails of every published case with news; safe to run twice."""
    summary = {"publications": 0, "emails": 0, "failed": 0}
    for publication_id in publications_with_news():
        try:
            summary["emails"] += followers_notify(publication_id=publication_id)
            summary["publications"] += 1
        except Exception:
            logger.exception("notifying the followers of publication %s failed", publication_id)
            summary["failed"] += 1
    return summary
