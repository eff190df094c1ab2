"""Reads for the SKM: a period's index and its progress against the sample target.

The IKM counts unflagged responses and flagged ones a surveyor kept (``models.COUNTED``).
"""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from .aggregates import tally_aggregates
from .choices import Education, Gender, Occupation, ReviewStatus
from .elements import ANSWER_VALUES, ELEMENT_KEYS, ELEMENTS
from .index import IndexResult, MissingElements, by_group, from_tallies, round_half_up
from .models import SurveyPeriod, SurveyQuestion, SurveyResponse
from .profile import AGE_BANDS, age_band, age_label
from .sampling import Progress, progress
from .unit_questions import SCALE, tally

# A group this small shows its size but no index: too few answers to say anything, and an
# index of two or three people could tell their answers apart.
MIN_GROUP_SIZE = 5
REVIEW_LIST_LIMIT = 200
# Flagged responses that are not in the index, and those still awaiting a decision.
_FLAG_COUNTS = {
    "left_out": Count("id", filter=~Q(review_status=ReviewStatus.KEPT)),
    "pending": Count("id", filter=~Q(review_status__in=[ReviewStatus.KEPT, ReviewStatus.EXCLUDED])),
}


@dataclass
class PeriodSummary:
    """A period's IKM over its counted responses, progress, and its flagged responses.

    ``flagged`` is the number of flagged responses left out of the index (awaiting review
    or excluded); ``pending`` those awaiting review.
    """

    period: SurveyPeriod
    result: IndexResult | None
    progress: Progress | None
    flagged: int
    pending: int = 0


def _unpack(row: dict) -> tuple[dict[str, int], dict[str, int], int]:
    sums = {key: row[f"sum_{key}"] or 0 for key in ELEMENT_KEYS}
    counts = {key: row[f"n_{key}"] for key in ELEMENT_KEYS}
    return sums, counts, row["respondents"]


def tallies(responses) -> tuple[dict[str, int], dict[str, int], int]:
    """Return per-element answer sums and counts and the respondents, in one aggregate query."""
    return _unpack(responses.aggregate(**tally_aggregates()))


def _summary(period, sums, counts, respondents, flags) -> PeriodSummary:
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
        flagged=flags.get("left_out", 0),
        pending=flags.get("pending", 0),
    )


def period_summary(period: SurveyPeriod) -> PeriodSummary:
    """Return the IKM of *period* over its counted responses, and progress against its target.

    The database sums and counts the answers (one aggregate, bench/README.md section 4);
    the exact index is then taken from those tallies by the same code as everywhere else.
    """
    flags = period.responses.filter(is_flagged=True).aggregate(**_FLAG_COUNTS)
    return _summary(period, *tallies(period.responses.counted()), flags)


def period_summaries(periods) -> list[PeriodSummary]:
    """Return the summaries of many periods from one grouped aggregate (the staff list)."""
    periods = list(periods)
    responses = SurveyResponse.objects.filter(period__in=periods)
    grouped = {
        row["period_id"]: _unpack(row)
        for row in responses.counted().values("period_id").annotate(**tally_aggregates()).order_by()
    }
    flags = {
        row["period_id"]: row
        for row in responses.filter(is_flagged=True)
        .values("period_id")
        .annotate(**_FLAG_COUNTS)
        .order_by()
    }
    empty = (dict.fromkeys(ELEMENT_KEYS, 0), dict.fromkeys(ELEMENT_KEYS, 0), 0)
    return [_summary(p, *grouped.get(p.pk, empty), flags.get(p.pk, {})) for p in periods]


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


def questions_for(period: SurveyPeriod, *, active_only: bool = False):
    """Return the unit's own questions of *period*: its own and the unit's for every period."""
    questions = SurveyQuestion.objects.filter(
        Q(period__isnull=True) | Q(period=period), unit_id=period.unit_id
    )
    return questions.filter(is_active=True) if active_only else questions


def question_kinds(period: SurveyPeriod) -> dict[int, tuple[str, str]]:
    """Return id -> (kind, text) of every question a response of *period* may answer.

    A question no longer asked still counts: a kiosk may send answers it queued before.
    """
    return {q.pk: (q.kind, q.text()) for q in questions_for(period)}


@dataclass
class QuestionResult:
    """The answers to one of the unit's own questions: mean and distribution, or a count."""

    question: SurveyQuestion
    text: str
    kind: str
    answered: int
    mean: Decimal | None
    # (value, label, count, share of the answers in %), for a scale question.
    distribution: list[tuple[int, str, int, Decimal]]


def question_results(period: SurveyPeriod, extra_answers) -> list[QuestionResult]:
    """Return the results of the unit's own questions over stored ``extra_answers`` mappings.

    Shows every question asked now and any earlier one that was answered.
    """
    questions = list(questions_for(period))
    tallies_ = tally({q.pk: q.kind for q in questions}, extra_answers)
    results = []
    for question in questions:
        counted = tallies_[question.pk]
        if not question.is_active and not counted.answered:
            continue
        distribution = []
        if question.kind == SCALE:
            labels = question.labels()
            for value in ANSWER_VALUES:
                n = counted.distribution[value]
                share = Fraction(n * 100, counted.answered) if counted.answered else 0
                distribution.append((value, labels[value - 1], n, round_half_up(share, 1)))
        mean = counted.mean
        results.append(
            QuestionResult(
                question=question,
                text=question.text(),
                kind=question.kind,
                answered=counted.answered,
                mean=round_half_up(mean) if mean is not None else None,
                distribution=distribution,
            )
        )
    return results


@dataclass
class GroupRow:
    """One profile group: its respondents, and its IKM unless the group is too small."""

    label: str
    respondents: int
    result: IndexResult | None

    @property
    def too_small(self) -> bool:
        """Return whether the group is below the size that shows an index."""
        return self.respondents < MIN_GROUP_SIZE


@dataclass
class GroupTable:
    """The groups of one profile question (gender, age, education, occupation, service)."""

    key: str
    title: str
    rows: list[GroupRow]


@dataclass
class PeriodBreakdown:
    """A period's IKM per profile group and the results of the unit's own questions."""

    groups: list[GroupTable]
    questions: list[QuestionResult]


def _group_codes(row) -> dict[str, object]:
    """Return the group of a response per profile question; None where not stated."""
    return {
        "gender": row.gender if row.gender in Gender.values else None,
        "age": age_band(row.age),
        "education": row.education if row.education in Education.values else None,
        "occupation": row.occupation if row.occupation in Occupation.values else None,
        "service": row.service_id,
    }


def profile_groups(rows) -> list[GroupTable]:
    """Return the IKM per profile group with ``index.by_group``; small groups get no index.

    ``rows`` have the attributes ``answers``, ``gender``, ``age``, ``education``,
    ``occupation``, ``service_id`` and ``service__name``.
    """
    keyed, services = [], {}
    for row in rows:
        if all(value is None for value in row.answers.values()):
            continue  # no answer at all: not a respondent
        services[row.service_id] = row.service__name
        keyed.extend(((key, code), row.answers) for key, code in _group_codes(row).items())
    sizes = Counter(group for group, _answers in keyed)
    results = by_group(((g, a) for g, a in keyed if sizes[g] >= MIN_GROUP_SIZE), allow_missing=True)
    named_services = sorted(
        ((pk, name) for pk, name in services.items() if pk is not None),
        key=lambda pair: pair[1].casefold(),
    )
    dimensions = [
        ("gender", _("Gender"), Gender.choices),
        ("age", _("Age (years)"), [(i, age_label(*band)) for i, band in enumerate(AGE_BANDS)]),
        ("education", _("Education"), Education.choices),
        ("occupation", _("Occupation"), Occupation.choices),
        ("service", _("Service received"), named_services),
    ]
    tables = []
    for key, title, pairs in dimensions:
        rows_ = [
            GroupRow(str(label), sizes[(key, code)], results.get((key, code)))
            for code, label in [*pairs, (None, _("Not stated"))]
            if sizes[(key, code)]
        ]
        tables.append(GroupTable(key=key, title=str(title), rows=rows_))
    return tables


def period_breakdown(period: SurveyPeriod) -> PeriodBreakdown:
    """Return the IKM per profile group and the own questions' results, over counted responses.

    One read of the period's counted responses (and one of its questions); the index of
    each group is computed in Python by ``index.by_group``.
    """
    rows = list(
        period.responses.counted().values_list(
            "answers",
            "extra_answers",
            "gender",
            "age",
            "education",
            "occupation",
            "service_id",
            "service__name",
            named=True,
        )
    )
    return PeriodBreakdown(
        groups=profile_groups(rows),
        questions=question_results(period, (row.extra_answers for row in rows)),
    )


def flagged_responses(period: SurveyPeriod):
    """Return a period's flagged responses, those awaiting review first, then the newest."""
    reviewed = Case(
        When(review_status__in=[ReviewStatus.KEPT, ReviewStatus.EXCLUDED], then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        period.responses.filter(is_flagged=True)
        .select_related("service", "counter", "reviewed_by")
        .order_by(reviewed, "-created_at", "-pk")[:REVIEW_LIST_LIMIT]
    )
