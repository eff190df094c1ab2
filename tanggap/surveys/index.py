"""Compute SKM per-element NRR, the IKM and its grade as in PermenPAN-RB 14/2017.

Pure module: no Django, no database. Arithmetic is exact (``Fraction``); round only
for display. The rules and their sources (domain.md section 1):

- NRR per element = sum of the answers given to it / number of responses that
  answered it; an unanswered element counts as missing, never as zero (1.5 step 1).
- IKM = 25 x weighted sum of the nine NRRs, with exactly 1/9 per element, i.e.
  25 x mean NRR (1.5 steps 2-4). Sources print the weight as 0,11 or 0,111, which
  makes results about 1 % low; domain.md 1.5 recommends exact 1/9 and offers the
  printed numbers only as an explicit "legacy" option, which the result then marks.
- The grade comes from the 2017 table (1.6) applied to the IKM rounded half-up to
  2 decimals: A >= 88.31, B >= 76.61, C >= 65.00, else D down to 25.00. The table
  has gaps (e.g. 76.60 < x < 76.61); rounding to 2 decimals first closes them, as
  every implementation inspected does. The half-up rule is ours: the regulation is
  silent on rounding.
- Elements are matched by key, never by position: U8/U9 order differs between
  sources (1.2).

An element nobody answered: domain.md does not say. ``ikm`` refuses by default
(``MissingElements``), because an index over fewer than nine elements is not the
IKM the regulation defines and could be published as if it were. Passing
``allow_missing=True`` computes over the answered elements only, with equal weights
among them (the "total unsur yang terisi" wording quoted in 1.5), and the result
lists the missing elements.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from tanggap.surveys.elements import ANSWER_VALUES, ELEMENT_KEYS

Response = Mapping[str, int | None]
Weights = Literal["equal", "legacy_0.111", "legacy_0.11"]

CONVERSION_FACTOR = 25
MIN_ANSWER = Fraction(min(ANSWER_VALUES))
MAX_ANSWER = Fraction(max(ANSWER_VALUES))
MIN_INDEX = MIN_ANSWER * CONVERSION_FACTOR
MAX_INDEX = MAX_ANSWER * CONVERSION_FACTOR

# Per-element weights; the legacy ones are the printed approximations of 1/9 (1.5).
WEIGHT_VALUES: dict[str, Fraction] = {
    "equal": Fraction(1, len(ELEMENT_KEYS)),
    "legacy_0.111": Fraction("0.111"),
    "legacy_0.11": Fraction("0.11"),
}

_CENT = Decimal("0.01")
_POSITION = {key: position for position, key in enumerate(ELEMENT_KEYS)}


class InvalidAnswer(ValueError):
    """Signal an answer set with an unknown element key or a value outside 1..4."""


class MissingElements(ValueError):
    """Signal that the IKM cannot cover all nine elements because some have no answers."""

    def __init__(self, missing: Sequence[str]) -> None:
        """Keep the missing keys for callers and name them in the message."""
        self.missing: tuple[str, ...] = tuple(missing)
        super().__init__(
            "no answers for element(s) "
            + ", ".join(self.missing)
            + "; the IKM needs all nine (pass allow_missing=True for a partial index)"
        )


@dataclass(frozen=True)
class Grade:
    """Describe one row of the 2017 grade table (domain.md 1.6)."""

    letter: str
    minimum: Decimal
    label_id: str
    label_en: str


# Highest first; ``minimum`` is the lowest 2-decimal converted value (NIK) in the band.
GRADES: tuple[Grade, ...] = (
    Grade("A", Decimal("88.31"), "Sangat baik", "Very good"),
    Grade("B", Decimal("76.61"), "Baik", "Good"),
    Grade("C", Decimal("65.00"), "Kurang baik", "Fair"),
    Grade("D", Decimal("25.00"), "Tidak baik", "Poor"),
)
_GRADE_RANK = {grade.letter: rank for rank, grade in enumerate(reversed(GRADES))}


@dataclass(frozen=True)
class IndexResult:
    """Hold one IKM with its inputs, so a report can show how it was reached."""

    exact: Fraction
    unconverted: Fraction
    grade: str
    grade_label: str
    grade_label_en: str
    weights: Weights
    legacy_weights_used: bool
    nrr: Mapping[str, Fraction | None] = field(hash=False)
    respondents: int | None
    answered_elements: tuple[str, ...]
    missing_elements: tuple[str, ...]

    @property
    def value(self) -> float:
        """Return the unrounded converted index (25..100) as a float."""
        return float(self.exact)

    @property
    def rounded(self) -> Decimal:
        """Return the index rounded half-up to 2 decimals, the figure graded and published."""
        return round_half_up(self.exact)

    @property
    def complete(self) -> bool:
        """Return whether all nine elements were answered."""
        return not self.missing_elements


@dataclass(frozen=True)
class Change:
    """Describe how the current IKM moved against one earlier period."""

    previous: IndexResult
    points: Decimal
    exact_points: Fraction
    grade_from: str
    grade_to: str
    grade_steps: int
    nrr_change: Mapping[str, Fraction | None] = field(hash=False)


def round_half_up(value: Fraction | Decimal | float | int, places: int = 2) -> Decimal:
    """Round ``value`` half-up to ``places`` decimals, exactly, for display and grading."""
    exact = _to_fraction(value)
    quantum = Decimal(1).scaleb(-places)
    scaled = exact * 10**places
    # floor(x + 1/2) on the magnitude: halves go away from zero; domain.md names no rule.
    magnitude = math.floor(abs(scaled) + Fraction(1, 2))
    signed = magnitude if scaled >= 0 else -magnitude
    return (Decimal(signed) * quantum).quantize(quantum)


def validate_answers(
    answers: Mapping[str, object], *, coerce: bool = False
) -> dict[str, int | None]:
    """Return all nine keys mapped to a checked answer or None, rejecting bad input."""
    result: dict[str, int | None] = dict.fromkeys(ELEMENT_KEYS)
    for key, raw in answers.items():
        if not isinstance(key, str) or key not in _POSITION:
            raise InvalidAnswer(
                f"unknown element key {key!r}; expected one of {', '.join(ELEMENT_KEYS)}"
            )
        result[key] = _check_value(key, raw, coerce=coerce)
    return result


def _check_value(key: str, raw: object, *, coerce: bool) -> int | None:
    """Return one answer as int 1..4 or None; coerce spreadsheet text only on request."""
    value = raw
    if coerce:
        if isinstance(raw, str):
            text = raw.strip()
            if not text:
                return None
            value = int(text) if text.isascii() and text.isdigit() else raw
        # Spreadsheet readers hand numbers back as floats (3.0).
        elif isinstance(raw, float) and raw.is_integer():
            value = int(raw)
    if value is None:
        return None
    # bool is a subclass of int, but True is not an answer.
    if isinstance(value, bool) or not isinstance(value, int) or value not in ANSWER_VALUES:
        raise InvalidAnswer(f"answer for {key!r} must be an integer 1-4, got {raw!r}")
    return value


def _tally(responses: Iterable[Response]) -> tuple[dict[str, int], dict[str, int], int]:
    """Return per-element answer sums and counts and the number of non-blank responses."""
    sums = dict.fromkeys(ELEMENT_KEYS, 0)
    counts = dict.fromkeys(ELEMENT_KEYS, 0)
    respondents = 0
    for response in responses:
        answered = False
        for key, value in validate_answers(response).items():
            if value is not None:
                sums[key] += value
                counts[key] += 1
                answered = True
        # A questionnaire with no answer at all is not a respondent.
        respondents += answered
    return sums, counts, respondents


def _nrr_from(sums: Mapping[str, int], counts: Mapping[str, int]) -> dict[str, Fraction | None]:
    """Return the per-element mean over the responses that answered it."""
    return {key: Fraction(sums[key], counts[key]) if counts[key] else None for key in ELEMENT_KEYS}


def from_tallies(
    sums: Mapping[str, int],
    counts: Mapping[str, int],
    respondents: int,
    *,
    weights: Weights = "equal",
    allow_missing: bool = False,
) -> IndexResult:
    """Return the IKM from per-element sums and counts, e.g. from a database aggregate."""
    return ikm(
        _nrr_from(sums, counts),
        weights=weights,
        allow_missing=allow_missing,
        respondents=respondents,
    )


def nrr(responses: Iterable[Response]) -> dict[str, Fraction | None]:
    """Return each element's mean answer (NRR), None where nobody answered it."""
    sums, counts, _ = _tally(responses)
    return _nrr_from(sums, counts)


def ikm(
    nrrs: Mapping[str, Fraction | int | None],
    *,
    weights: Weights = "equal",
    allow_missing: bool = False,
    respondents: int | None = None,
) -> IndexResult:
    """Return the IKM and grade from per-element NRRs, refusing missing elements by default."""
    if weights not in WEIGHT_VALUES:
        raise ValueError(f"unknown weights {weights!r}; expected one of {', '.join(WEIGHT_VALUES)}")
    checked = _check_nrrs(nrrs)
    present = {key: value for key, value in checked.items() if value is not None}
    answered = tuple(present)
    missing = tuple(key for key in ELEMENT_KEYS if key not in present)
    if missing and (not allow_missing or not answered):
        raise MissingElements(missing)
    if missing and weights != "equal":
        raise ValueError("legacy weights are defined for all nine elements only")
    weight = WEIGHT_VALUES[weights] if not missing else Fraction(1, len(answered))
    unconverted = sum((weight * value for value in present.values()), Fraction(0))
    exact = unconverted * CONVERSION_FACTOR
    grade = _grade(exact)
    return IndexResult(
        exact=exact,
        unconverted=unconverted,
        grade=grade.letter,
        grade_label=grade.label_id,
        grade_label_en=grade.label_en,
        weights=weights,
        legacy_weights_used=weights != "equal",
        nrr=checked,
        respondents=respondents,
        answered_elements=answered,
        missing_elements=missing,
    )


def _check_nrrs(nrrs: Mapping[str, Fraction | int | None]) -> dict[str, Fraction | None]:
    """Return all nine keys with exact NRRs, rejecting unknown keys and values off 1..4."""
    checked: dict[str, Fraction | None] = dict.fromkeys(ELEMENT_KEYS)
    for key, value in nrrs.items():
        if key not in _POSITION:
            raise ValueError(f"unknown element key {key!r}")
        if value is None:
            continue
        exact = _to_fraction(value)
        if not MIN_ANSWER <= exact <= MAX_ANSWER:
            raise ValueError(f"NRR for {key!r} must lie within 1-4, got {value!r}")
        checked[key] = exact
    return checked


def compute(
    responses: Iterable[Response], *, weights: Weights = "equal", allow_missing: bool = False
) -> IndexResult:
    """Return the IKM of a set of responses in one call."""
    sums, counts, respondents = _tally(responses)
    return ikm(
        _nrr_from(sums, counts),
        weights=weights,
        allow_missing=allow_missing,
        respondents=respondents,
    )


def grade_for(value: Fraction | Decimal | float | int) -> Grade:
    """Return the 2017 grade of a converted index (25..100), graded on its 2-decimal value."""
    exact = _to_fraction(value)
    if not MIN_INDEX <= exact <= MAX_INDEX:
        raise ValueError(f"IKM must lie within 25-100, got {value!r}")
    return _grade(exact)


def _grade(exact: Fraction) -> Grade:
    """Return the grade band holding ``exact`` once rounded to 2 decimals."""
    shown = round_half_up(exact)
    for grade in GRADES:
        if shown >= grade.minimum:
            return grade
    # Legacy weights can push an all-1 index just below 25 (0.99 x 25); that is still D.
    return GRADES[-1]


def rank_weakest(nrrs: Mapping[str, Fraction | int | None]) -> list[tuple[str, Fraction]]:
    """Order answered elements from lowest to highest NRR, ties in canonical order, for RTL."""
    checked = _check_nrrs(nrrs)
    ranked = [(key, value) for key, value in checked.items() if value is not None]
    ranked.sort(key=lambda item: (item[1], _POSITION[item[0]]))
    return ranked


def trend(current: IndexResult, previous: Sequence[IndexResult]) -> list[Change]:
    """Return the change of ``current`` against each earlier result, in the given order."""
    changes = []
    for earlier in previous:
        # 0,11-weighted results run about 1 % low (1.5): a difference would be an artefact.
        if earlier.weights != current.weights:
            raise ValueError(
                f"cannot compare an IKM on {current.weights!r} weights with one on "
                f"{earlier.weights!r} weights"
            )
        changes.append(
            Change(
                previous=earlier,
                # Differences of the published 2-decimal figures, so a report adds up.
                points=current.rounded - earlier.rounded,
                exact_points=current.exact - earlier.exact,
                grade_from=earlier.grade,
                grade_to=current.grade,
                grade_steps=_GRADE_RANK[current.grade] - _GRADE_RANK[earlier.grade],
                nrr_change={
                    key: _difference(current.nrr.get(key), earlier.nrr.get(key))
                    for key in ELEMENT_KEYS
                },
            )
        )
    return changes


def _difference(now: Fraction | None, before: Fraction | None) -> Fraction | None:
    """Return ``now - before``, or None when either side has no answers."""
    if now is None or before is None:
        return None
    return now - before


def by_group[K: Hashable](
    rows: Iterable[tuple[K, Response]],
    *,
    weights: Weights = "equal",
    allow_missing: bool = False,
) -> dict[K, IndexResult]:
    """Return one IKM per group key (unit, service, period, profile group), in first-seen order."""
    groups: dict[K, list[Response]] = {}
    for key, response in rows:
        groups.setdefault(key, []).append(response)
    return {
        key: compute(responses, weights=weights, allow_missing=allow_missing)
        for key, responses in groups.items()
    }


def _to_fraction(value: Fraction | Decimal | float | int) -> Fraction:
    """Return ``value`` as an exact Fraction; floats are taken at their printed value."""
    if isinstance(value, bool):
        raise TypeError(f"expected a number, got {value!r}")
    if isinstance(value, float):
        # 88.305 typed by a person is 88.304999... in binary; grade what was typed.
        return Fraction(repr(value))
    return Fraction(value)
