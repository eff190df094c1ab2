"""Reads for the SKM: a period's index and its progress against the sample target."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from .aggregates import tally_aggregates
from .elements import ELEMENT_KEYS, ELEMENTS
from .index import IndexResult, MissingElements, from_tallies
from .models import SurveyPeriod, SurveyResponse
from .sampling import Progress, progress


@dataclass
class PeriodSummary:
    period: SurveyPeriod
    result: IndexResult | None
    progress: Progress | None
    flagged: int


def _unpack(row: dict) -> tuple[dict[str, int], dict[str, int], int]:
    sums = {key: row[f"sum_{key}"] or 0 for key in ELEMENT_KEYS}
    counts = {key: row[f"n_{key}"] for key in ELEMENT_KEYS}
    return sums, counts, row["respondents"]


def tallies(responses) -> tuple[dict[str, int], dict[str, int], int]:
    """Return per-element answer sums and counts and the respondents, in one aggregate query."""
    return _unpack(responses.aggregate(**tally_aggregates()))


def _summary(period, sums, counts, respondents, flagged) -> PeriodSummary:
    try:
        result = (
            from_tallies(sums, counts, respondents, allow_missing=True) if respondents else None
        )
    except MissingElements:
        result = None
    target = period.target
    return PeriodSummary(
        period=period,
        result=result,
        progress=progress(respondents, target) if target else None,
        flagged=flagged,
    )


def period_summary(period: SurveyPeriod) -> PeriodSummary:
    """Return the IKM of *period* over unflagged responses, and progress against its target.

    The database sums and counts the answers (one aggregate, bench/README.md section 4);
    the exact index is then taken from those tallies by the same code as everywhere else.
    """
    flagged = period.responses.filter(is_flagged=True).count()
    return _summary(period, *tallies(period.responses.filter(is_flagged=False)), flagged)


def period_summaries(periods) -> list[PeriodSummary]:
    """Return the summaries of many periods from one grouped aggregate (the staff list)."""
    periods = list(periods)
    responses = SurveyResponse.objects.filter(period__in=periods)
    grouped = {
        row["period_id"]: _unpack(row)
        for row in responses.filter(is_flagged=False)
        .values("period_id")
        .annotate(**tally_aggregates())
        .order_by()
    }
    flagged = dict(
        responses.filter(is_flagged=True)
        .values("period_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("period_id", "n")
    )
    empty = (dict.fromkeys(ELEMENT_KEYS, 0), dict.fromkeys(ELEMENT_KEYS, 0), 0)
    return [_summary(p, *grouped.get(p.pk, empty), flagged.get(p.pk, 0)) for p in periods]


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
    summaries = [s for s in period_summaries(periods[: history + 1]) if s.result]
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
