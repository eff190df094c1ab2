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
