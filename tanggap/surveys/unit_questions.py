"""Check and tally the answers to a unit's own questions, which never enter the IKM.

Pure module: no Django, no database. A unit may ask questions of its own after the
nine elements of PermenPAN-RB 14/2017; the regulation's index is defined over those
nine only (domain.md 1.5), so these answers are stored apart from them (by question
id, in ``SurveyResponse.extra_answers``) and are only ever tallied here.

A question is either a 1..4 scale (the same values as the elements) or short text.
An unanswered question is left out of the stored answers, never stored as empty.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from tanggap.surveys.elements import ANSWER_VALUES

SCALE = "scale"
TEXT = "text"
TEXT_MAX_LENGTH = 300


class ExtraAnswerError(ValueError):
    """Signal an answer to an unknown question, off the 1..4 scale, or too long.

    ``code`` is one of ``shape`` (not a mapping), ``unknown``, ``scale``, ``text``
    (not text) and ``too_long``; ``question_id`` names the question where known.
    """

    def __init__(self, code: str, question_id: int | None = None) -> None:
        """Keep the code and the question for the caller's message."""
        self.code = code
        self.question_id = question_id
        super().__init__(f"{code} (question {question_id})")


@dataclass(frozen=True)
class QuestionTally:
    """Hold the answers given to one question: counts per value for a scale, a count for text."""

    question_id: int
    kind: str
    answered: int
    distribution: Mapping[int, int] = field(default_factory=dict, hash=False)

    @property
    def mean(self) -> Fraction | None:
        """Return the exact mean of a scale question's answers, None for text or no answers."""
        if self.kind != SCALE or not self.answered:
            return None
        total = sum(value * count for value, count in self.distribution.items())
        return Fraction(total, self.answered)


def _question_id(key: object) -> int | None:
    """Return a question id from a JSON key ("12") or an int, None for anything else."""
    if isinstance(key, bool):
        return None
    if isinstance(key, int):
        return key
    if isinstance(key, str) and key.isascii() and key.isdigit():
        return int(key)
    return None


def clean_extra_answers(raw: object, kinds: Mapping[int, str]) -> dict[str, int | str]:
    """Return the answers keyed by question id as text, refusing anything ``kinds`` does not ask.

    ``kinds`` maps the id of every question the response may answer to its kind. Empty
    answers are dropped; text is stripped; a scale answer must be an integer 1..4.
    """
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ExtraAnswerError("shape")
    cleaned: dict[str, int | str] = {}
    for key, value in raw.items():
        question_id = _question_id(key)
        if question_id is None or question_id not in kinds:
            raise ExtraAnswerError("unknown", question_id)
        if value is None or value == "":
            continue
        if kinds[question_id] == SCALE:
            if isinstance(value, bool) or not isinstance(value, int) or value not in ANSWER_VALUES:
                raise ExtraAnswerError("scale", question_id)
            cleaned[str(question_id)] = value
            continue
        if not isinstance(value, str):
            raise ExtraAnswerError("text", question_id)
        text = value.strip()
        if len(text) > TEXT_MAX_LENGTH:
            raise ExtraAnswerError("too_long", question_id)
        if text:
            cleaned[str(question_id)] = text
    return cleaned


def tally(
    kinds: Mapping[int, str], rows: Iterable[Mapping[str, object]]
) -> dict[int, QuestionTally]:
    """Return one tally per question of ``kinds`` (in its order) over stored answer mappings.

    A stored value that does not fit the question's kind (the question was changed after
    it was answered) is not counted.
    """
    counts: dict[int, dict[int, int]] = {qid: dict.fromkeys(ANSWER_VALUES, 0) for qid in kinds}
    answered = dict.fromkeys(kinds, 0)
    for row in rows:
        for key, value in (row or {}).items():
            question_id = _question_id(key)
            if question_id not in kinds:
                continue
            if kinds[question_id] == SCALE:
                if isinstance(value, bool) or value not in ANSWER_VALUES:
                    continue
                counts[question_id][value] += 1
            elif not isinstance(value, str) or not value:
                continue
            answered[question_id] += 1
    return {
        qid: QuestionTally(
            question_id=qid,
            kind=kind,
            answered=answered[qid],
            distribution=counts[qid] if kind == SCALE else {},
        )
        for qid, kind in kinds.items()
    }
