"""Sending webhook deliveries: signed, pinned to a checked address, retried with backoff."""

import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tanggap.common.crypto import decrypt_text
from tanggap.common.exceptions import ApplicationError
from tanggap.notifications.signing import signed_headers

from ..addresses import UnsafeURL, url_check
from ..choices import DeliveryStatus
from ..models import Delivery, DeliveryAttempt

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# Wait after the n-th failed attempt: 1, 4, 16, 64 and 256 minutes (about 5.6 hours in all).
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_FACTOR = 4
# An attempt holds the delivery this long; one that never reported back is retried after it.
LEASE = timedelta(minutes=2)
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
USER_AGENT = "Tanggap-Webhooks/1"


def retry_delay(attempts: int) -> timedelta:
    """Return the wait after *attempts* failed attempts (1, 4, 16, 64, 256 minutes)."""
    return BACKOFF_BASE * BACKOFF_FACTOR ** max(attempts - 1, 0)


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _claim(delivery_id: int, now: datetime) -> Delivery | None:
    """Lock the delivery for one attempt, or return None when it is not due."""
    with transaction.atomic():
        # Lock the delivery only: deliveries of one subscription must not queue on its row.
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("subscription")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != DeliveryStatus.PENDING:
            return None
        if delivery.next_attempt_at and delivery.next_attempt_at > now:
            return None  # a retry not yet due, or an attempt running elsewhere
        if not delivery.subscription.is_active:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
            delivery.last_error = "subscription inactive"
            delivery.save(update_fields=["status", "next_attempt_at", "last_error", "updated_at"])
            return None
        delivery.attempts += 1
        delivery.next_attempt_at = now + LEASE
        delivery.save(update_fields=["attempts", "next_attempt_at", "updated_at"])
        return delivery


def _send(delivery: Delivery) -> Outcome:
    """POST the delivery's payload to its subscriber's checked, pinned address."""
    started = time.monotonic()
    subscription = delivery.subscription
    try:
        target = url_check(subscription.url)
    except UnsafeURL as exc:
        return Outcome(None, f"refused: {exc}", 0)
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Host": target.host_header(),
        "X-Tanggap-Event": delivery.payload.get("event", {}).get("kind", ""),
        "X-Tanggap-Delivery": str(delivery.pk),
        **signed_headers(decrypt_text(subscription.secret_enc), body),
    }
    # The TLS name stays the configured host, so its certificate is checked against it.
    extensions = {"sni_hostname": target.host} if target.url.startswith("https:") else {}
    try:
        # No proxies from the environment and no redirects: either could leave the checked address.
        with httpx.Client(timeout=TIMEOUT, follow_redirects=False, trust_env=False) as client:
            request = client.build_request(
                "POST", target.pinned_url(), content=body, headers=headers, extensions=extensions
            )
            response = client.send(request)
    except httpx.HTTPError as exc:
        elapsed = int((time.monotonic() - started) * 1000)
        return Outcome(None, f"{type(exc).__name__}: {exc}"[:300], elapsed)
    elapsed = int((time.monotonic() - started) * 1000)
    if response.is_redirect:
        return Outcome(response.status_code, "redirect refused", elapsed)
    error = "" if response.is_success else f"HTTP {response.status_code}"
    return Outcome(response.status_code, error, elapsed)


def delivery_attempt(*, delivery_id: int, now: datetime | None = None) -> str:
    """Make one attempt at a delivery if it is due; return its status afterwards.

    The HTTP request runs outside any transaction: the row is claimed with a lease first, so
    a duplicate task finds it taken, and a worker that dies mid-request leaves it to be
    retried once the lease ends.
    """
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return (
            Delivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first() or ""
        )
    outcome = _send(delivery)
    return _record(delivery.pk, outcome, timezone.now())


@transaction.atomic
def _record(delivery_id: int, outcome: Outcome, now: datetime) -> str:
    delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
    DeliveryAttempt.objects.create(
        delivery=delivery,
        at=now,
        status_code=outcome.status_code,
        error=outcome.error[:300],
        duration_ms=outcome.duration_ms,
    )
    if outcome.ok:
        delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, now
        delivery.next_attempt_at, delivery.last_error = None, ""
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        delivery.last_error = outcome.error[:300]
        logger.error(
            "webhook delivery %s given up after %d attempts", delivery.pk, delivery.attempts
        )
    else:
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
        delivery.last_error = outcome.error[:300]
        _enqueue_retry(delivery.pk, delivery.next_attempt_at)
    delivery.save(
        update_fields=["status", "delivered_at", "next_attempt_at", "last_error", "updated_at"]
    )
    return delivery.status


def _enqueue_retry(delivery_id: int, when: datetime) -> None:
    """Plan the retry at *when* if the task backend can defer; else the dispatcher does."""
    from ..tasks import deliver_webhook  # noqa: PLC0415 - tasks import this module

    if deliver_webhook.get_backend().supports_defer:
        transaction.on_commit(lambda: deliver_webhook.using(run_after=when).enqueue(delivery_id))


def deliveries_due(*, now: datetime | None = None, limit: int = 1000) -> list[int]:
    """Return the pending deliveries whose attempt is due: retries, and leases that ran out.

    When the task backend defers retries itself, only those overdue by a lease are returned.
    """
    from ..tasks import deliver_webhook  # noqa: PLC0415 - tasks import this module

    now = now or timezone.now()
    deferred = deliver_webhook.get_backend().supports_defer
    due = Q(next_attempt_at__lte=now - LEASE) if deferred else Q(next_attempt_at__lte=now)
    return list(
        Delivery.objects.filter(due, status=DeliveryStatus.PENDING)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


@transaction.atomic
def delivery_retry(*, delivery: Delivery, by) -> Delivery:
    """Put a given-up delivery back in the queue for one more round of attempts."""
    if not by.is_staff:
        raise ApplicationError(_("Only administrators may retry deliveries."), code="forbidden")
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.status != DeliveryStatus.FAILED:
        raise ApplicationError(_("Only a delivery that was given up can be retried."), code="state")
    delivery.status, delivery.attempts = DeliveryStatus.PENDING, 0
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
    from ..tasks import deliver_webhook  # noqa: PLC0415 - tasks import this module

    transaction.on_commit(lambda: deliver_webhook.enqueue(delivery.pk))
    return delivery
