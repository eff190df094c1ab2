"""Reads for the SKM: a period's index and its progress against the sample target."""

from dataclasses import dataclass

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
