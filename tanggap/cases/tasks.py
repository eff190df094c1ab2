"""The periodic sweep (run by the task worker; enqueued by ``manage.py sweep_cases``)."""

import logging
from datetime import datetime

from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from tanggap.notifications.services import notifications_redeliver

from .models import Case
from .shifts import shifts_handover_overdue
from .sweeps import case_sweep

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


def due_case_ids(now: datetime, *, batch_size: int = BATCH_SIZE):
    """Yield the ids of the cases whose sweep is due at *now*, batch by batch.

    One range of the index case_next_sweep, read by keyset so each case comes once even when
    a sweep fails and leaves its agenda as it was.
    """
    after = None
    while True:
        qs = Case.objects.filter(next_sweep_at__lte=now)
        if after is not None:
            at, pk = after
            qs = qs.filter(Q(next_sweep_at__gt=at) | Q(next_sweep_at=at, pk__gt=pk))
        batch = list(
            qs.order_by("next_sweep_at", "pk").values_list("next_sweep_at", "pk")[:batch_size]
        )
        yield from (pk for _at, pk in batch)
        if len(batch) < batch_size:
            return
        after = batch[-1]


@task
def sweep_cases() -> dict:
    """Hand over ended shifts, act on every case with something due, re-send stuck messages.

    Each case is swept in its own transaction: one failure is logged and the rest go on.
    """
    now = timezone.now()
    summary = {"handovers": shifts_handover_overdue(now=now), "cases": 0, "failed": 0}
    for case_id in due_case_ids(now):
        try:
            if case_sweep(case_id=case_id, now=now):
                summary["cases"] += 1
        except Exception:
            logger.exception("sweep of case %s failed", case_id)
            summary["failed"] += 1
    summary["notifications"] = notifications_redeliver(now=timezone.now())
    return summary
