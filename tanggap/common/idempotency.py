"""Idempotency keys: the first answer to a POST is stored and replayed when the POST repeats."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .crypto import decrypt_text, encrypt_text
from .models import IdempotencyRecord

# How long a key is remembered; a client retries within minutes, not days.
KEY_LIFETIME = timedelta(hours=24)
# A request running longer than this died with its process: its key may be used again.
RUNNING_LIFETIME = timedelta(minutes=2)
# About one claim in this many also deletes the expired records, so no periodic job is needed.
PURGE_ONE_IN = 500


@dataclass
class Claim:
    """The outcome of presenting a key: "new" (run it), "replay", "mismatch" or "running"."""

    state: str
    record: IdempotencyRecord | None = None

    @property
    def body(self) -> str:
        return decrypt_text(self.record.body_enc) if self.record else ""


def _stale(record: IdempotencyRecord, now) -> bool:
    if record.created_at < now - KEY_LIFETIME:
        return True
    return record.status_code is None and record.created_at < now - RUNNING_LIFETIME


def idempotency_claim(*, scope: str, key: str, fingerprint: str) -> Claim:
    """Claim *key* in *scope* for a request with *fingerprint*, or say why it cannot run.

    The claim is committed at once (its own transaction), so a concurrent copy of the request
    sees it as running instead of running a second time.
    """
    now = timezone.now()
    for _attempt in range(2):
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    scope=scope, key=key, fingerprint=fingerprint, created_at=now
                )
            if secrets.randbelow(PURGE_ONE_IN) == 0:
                idempotency_purge(now=now)
            return Claim("new", record)
        except IntegrityError:
            existing = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
            if existing is None:
                continue
            if _stale(existing, now):
                IdempotencyRecord.objects.filter(pk=existing.pk).delete()
                continue
            if existing.fingerprint != fingerprint:
                return Claim("mismatch", existing)
            if existing.status_code is None:
                return Claim("running", existing)
            return Claim("replay", existing)
    return Claim("running")


def idempotency_store(*, record: IdempotencyRecord, status_code: int, body: str) -> None:
    """Keep the answer of the request that claimed *record*."""
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        status_code=status_code, body_enc=encrypt_text(body)
    )


def idempotency_release(*, record: IdempotencyRecord) -> None:
    """Forget a claim whose request failed, so a corrected retry may use the key again."""
    IdempotencyRecord.objects.filter(pk=record.pk).delete()


def idempotency_purge(*, now=None) -> int:
    """Delete the records older than the key lifetime; return how many."""
    cutoff = (now or timezone.now()) - KEY_LIFETIME
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
