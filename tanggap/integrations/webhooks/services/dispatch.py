"""Reading the case event log after a cursor into one delivery per subscription and event.

No signals: the log is append-only with increasing ids, so a periodic run reads what came
after the cursor. Ids are taken when a row is inserted but become visible when its
transaction commits, so a smaller id can appear after a larger one. The cursor therefore only
passes ids that were already seen one settling period (RESCAN) ago; until then they are read
again, and the unique (subscription, event) pair makes reading twice create nothing twice.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from tanggap.cases.choices import EventKind
from tanggap.cases.models import CaseEvent

from ..models import Delivery, DispatchCursor, Subscription
from ..payloads import event_payload

CURSOR = "case_events"
RESCAN = timedelta(minutes=10)
MAX_EVENTS_PER_RUN = 20_000
CHUNK = 1000
# Kinds never sent: they concern people or internal work, even without their text.
PRIVATE_KINDS = frozenset(
    {EventKind.NOTE, EventKind.IDENTITY_OPENED, EventKind.REPLY_SUBMITTED, EventKind.REPLY_RETURNED}
)


def _matches(subscription: Subscription, event: CaseEvent) -> bool:
    case = event.case
    return (
        case.organisation_id == subscription.organisation_id
        and event.at >= subscription.created_at
        and (not subscription.unit_id or case.unit.path.startswith(subscription.unit.path))
        and (not subscription.event_kinds or event.kind in subscription.event_kinds)
    )


def _cursor(subscriptions: list[Subscription], now: datetime) -> DispatchCursor:
    """Return the locked cursor; a new one starts after the events no subscription wants."""
    cursor = DispatchCursor.objects.select_for_update().filter(name=CURSOR).first()
    if cursor is None:
        since = min((s.created_at for s in subscriptions), default=now)
        start = CaseEvent.objects.filter(at__lt=since).aggregate(m=Max("pk"))["m"] or 0
        cursor = DispatchCursor.objects.create(
            name=CURSOR, last_event_id=start, horizon_event_id=start, horizon_at=now
        )
    return cursor


def _events_after(last_id: int):
    seen = 0
    while seen < MAX_EVENTS_PER_RUN:
        chunk = list(
            CaseEvent.objects.filter(pk__gt=last_id)
            .exclude(kind__in=PRIVATE_KINDS)
            .select_related("case", "case__unit", "case__category", "case__service")
            .order_by("pk")[:CHUNK]
        )
        yield from chunk
        if len(chunk) < CHUNK:
            return
        seen += len(chunk)
        last_id = chunk[-1].pk


@transaction.atomic
def deliveries_create(*, now: datetime | None = None) -> list[int]:
    """Create the deliveries of the events after the cursor; return the ids of new ones.

    The cursor row is locked, so concurrent runs take turns. Enqueue nothing: the caller
    hands the returned ids to tasks after the commit.
    """
    now = now or timezone.now()
    subscriptions = list(Subscription.objects.filter(is_active=True).select_related("unit"))
    cursor = _cursor(subscriptions, now)
    newest = cursor.last_event_id
    wanted: list[Delivery] = []
    for event in _events_after(cursor.last_event_id) if subscriptions else ():
        newest = event.pk
        payload = None
        for subscription in subscriptions:
            if _matches(subscription, event):
                payload = payload or event_payload(event, event.case)
                wanted.append(
                    Delivery(
                        subscription=subscription, event=event, payload=payload, next_attempt_at=now
                    )
                )
    if not subscriptions:
        newest = CaseEvent.objects.aggregate(m=Max("pk"))["m"] or cursor.last_event_id
    created = _create_missing(wanted)
    _advance(cursor, newest, now)
    return created


def _create_missing(wanted: list[Delivery]) -> list[int]:
    if not wanted:
        return []
    event_ids = {d.event_id for d in wanted}
    existing = set(
        Delivery.objects.filter(event_id__in=event_ids).values_list("subscription_id", "event_id")
    )
    new = [d for d in wanted if (d.subscription_id, d.event_id) not in existing]
    Delivery.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    pairs = {(d.subscription_id, d.event_id) for d in new}
    return [
        pk
        for pk, sub_id, event_id in Delivery.objects.filter(
            event_id__in={e for _s, e in pairs}, attempts=0
        ).values_list("pk", "subscription_id", "event_id")
        if (sub_id, event_id) in pairs
    ]


def _advance(cursor: DispatchCursor, newest: int, now: datetime) -> None:
    """Pass the ids seen one settling period ago; remember what is seen now for later."""
    if now - cursor.horizon_at >= RESCAN:
        cursor.last_event_id = max(cursor.last_event_id, cursor.horizon_event_id)
        cursor.horizon_event_id, cursor.horizon_at = max(newest, cursor.last_event_id), now
    cursor.save(update_fields=["last_event_id", "horizon_event_id", "horizon_at"])
