"""Reads for the SKM: a period's index and its progress against the sample target."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from .elements import ELEMENT_KEYS, ELEMENTS
from .index import IndexResult, MissingElements, compute
from .models import SurveyPeriod
from .sampling import Progress, progress


@dataclass
class PeriodSummary:
    period: SurveyPeriod
    result: IndexResult | None
    progress: Progress | None
    flagged: int


def period_summary(period: SurveyPeriod) -> PeriodSummary:
    """Return the IKM of *period* over unflagged responses, and progress against its target."""
    answers = list(period.responses.filter(is_flagged=False).values_list("answers", flat=True))
    flagged = period.responses.filter(is_flagged=True).count()
    try:
        result = compute(answers, allow_missing=True) if answers else None
    except MissingElements:
        result = None
    target = period.target
    return PeriodSummary(
        period=period,
        result=result,
        progress=progress(len(answers), target) if target else None,
        flagged=flagged,
    )


def open_period_for(*, unit, service=None, day=None):
    """Return the open period that covers *service* at *unit* (a service's own first), or None."""
    day = day or timezone.localdate()
    periods = SurveyPeriod.objects.filter(
        unit=unit, is_closed=False, starts_on__lte=day, ends_on__gte=day
    ).select_related("unit", "service")
    if service is not None:
        periods = periods.filter(Q(service=service) | Q(service__isnull=True))
    else:
        periods = periods.filter(service__isnull=True)
    # A service's own period wins over the unit-wide one.
    candidates = sorted(periods, key=lambda p: p.service_id is None)
    return candidates[0] if candidates else None


@dataclass
class PublicResults:
    """What a unit publishes: the latest IKM, per element, the trend and the follow-up plan."""

    unit: object
    latest: PeriodSummary
    elements: list
    history: list
    follow_up: list


def unit_public_results(unit, *, history: int = 4) -> PublicResults | None:
    """Return the unit's latest unit-wide survey results with earlier periods, or None."""
    periods = SurveyPeriod.objects.filter(unit=unit, service__isnull=True).order_by("-starts_on")
    summaries = [s for s in (period_summary(p) for p in periods[: history + 1]) if s.result]
    if not summaries:
        return None
    latest = summaries[0]
    elements = [(ELEMENTS[key], latest.result.nrr.get(key)) for key in ELEMENT_KEYS]
    return PublicResults(
        unit=unit,
        latest=latest,
        elements=elements,
        history=[(s, s.result) for s in summaries],
        follow_up=list(latest.period.follow_up_items.all()),
    )
