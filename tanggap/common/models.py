"""Base model and the small shared tables that carry no domain logic."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Abstract base with creation and update times."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class ThrottleBucket(models.Model):
    """Failure counter for one key (an address or a code), shared by every process."""

    key = models.CharField(max_length=200, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("throttle bucket")
        verbose_name_plural = _("throttle buckets")

    def __str__(self):
        return self.key


class IdempotencyRecord(models.Model):
    """The stored answer to a POST under an Idempotency-Key, replayed when the POST repeats.

    The body is encrypted: it may hold a secret shown once (a tracking PIN).
    A record without a status is a request still running.
    """

    scope = models.CharField(max_length=64)
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    body_enc = models.TextField(blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="unique_idempotency_key")
        ]

    def __str__(self):
        return self.key
