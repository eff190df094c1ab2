"""The main themes of a unit's texts in a period: computed over a bounded sample, then kept."""

from dataclasses import asdict
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from tanggap.accounts.models import Unit
from tanggap.cases.models import Case
from tanggap.insights import themes

from .models import ThemeSnapshot
from .periods import Period, previous
from .rollups import day_start

# The newest texts of each period read: enough for the main themes, bounded whatever the volume.
TEXT_LIMIT = 300
# A snapshot is recomputed after this long (a closed period's texts hardly change).
FRESH_FOR = timedelta(hours=6)
TOP = 8


def _texts(unit_ids: list[int], period: Period, tz) -> list[str]:
    """Return the newest non-confidential case texts of the units in *period*."""
    return list(
        Case.objects.filter(
            unit_id__in=unit_ids,
            is_confidential=False,
            received_at__gte=day_start(period.start, tz),
            received_at__lt=day_start(period.end + timedelta(days=1), tz),
        )
        .order_by("-received_at", "-id")
        .values_list("search_text", flat=True)[:TEXT_LIMIT]
    )


def themes_snapshot(*, unit: Unit, period: Period, unit_ids: list[int], now=None):
    """Return the theme snapshot of *unit* for *period*, computing it when missing or stale."""
    now = now or timezone.now()
    snapshot = ThemeSnapshot.objects.filter(
        unit=unit, starts_on=period.start, ends_on=period.end
    ).first()
    if snapshot and snapshot.computed_at > now - FRESH_FOR:
        return snapshot
    current = _texts(unit_ids, period, unit.tz)
    before = _texts(unit_ids, previous(period), unit.tz)
    values = {
        "texts": len(current),
        "phrases": [asdict(p) for p in themes.key_phrases(current, background=before, top=TOP)],
        "trends": [asdict(t) for t in themes.trends(current, before, top=TOP // 2)],
        "computed_at": now,
    }
    try:
        with transaction.atomic():
            snapshot, _created = ThemeSnapshot.objects.update_or_create(
                unit=unit, starts_on=period.start, ends_on=period.end, defaults=values
            )
    except IntegrityError:  # stored meanwhile by another request
        snapshot = ThemeSnapshot.objects.get(unit=unit, starts_on=period.start, ends_on=period.end)
    return snapshot
