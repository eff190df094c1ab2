"""Event counting with lock-out, in the database so every process shares it."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from .models import ThrottleBucket


def throttle_locked_until(*, key: str, now: datetime | None = None) -> datetime | None:
    """Return when the lock on *key* ends, or None when it is not locked."""
    now = now or timezone.now()
    bucket = ThrottleBucket.objects.filter(key=key).only("locked_until").first()
    if bucket and bucket.locked_until and bucket.locked_until > now:
        return bucket.locked_until
    return None


@transaction.atomic
def throttle_count(*, key: str, limit: int, window: timedelta, now: datetime | None = None) -> bool:
    """Count one event (a failure, a submission) for *key*; at *limit* lock it for *window*."""
    now = now or timezone.now()
    bucket, _ = ThrottleBucket.objects.select_for_update().get_or_create(
        key=key, defaults={"window_started_at": now}
    )
    if bucket.window_started_at + window < now:
        bucket.failures, bucket.window_started_at, bucket.locked_until = 0, now, None
    bucket.failures += 1
    if bucket.failures >= limit:
        bucket.locked_until = now + window
    bucket.save(update_fields=["failures", "window_started_at", "locked_until"])
    return bucket.locked_until is not None


def throttle_reset(*, key: str) -> None:
    """Forget the failures of *key* after a success."""
    ThrottleBucket.objects.filter(key=key).delete()
