"""Database expressions for tallying answers stored by element key in a JSON column."""

from django.db.models import Count, Func, IntegerField, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce

from .elements import ELEMENT_KEYS


class AnswerValue(Func):
    """One element's answer as an integer; SQL NULL when unanswered (JSON null or no key).

    SQL NULL is what SUM and COUNT skip: the "missing, never zero" rule of index._tally.
    PostgreSQL's ->> gives NULL for a JSON null; on SQLite Django's KT gives the text 'null',
    which CAST makes 0, so that backend alone wraps it in NULLIF (bench/README.md section 4).
    """

    output_field = IntegerField()

    def __init__(self, key: str):
        super().__init__(Cast(KT(f"answers__{key}"), IntegerField()))

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])

    def as_sqlite(self, compiler, connection, **extra_context):
        text_sql, params = compiler.compile(self.source_expressions[0].source_expressions[0])
        return f"CAST(NULLIF({text_sql}, 'null') AS integer)", params


def tally_aggregates() -> dict:
    """Return per-element sum and count of answers, and respondents (at least one answer)."""
    values = {key: AnswerValue(key) for key in ELEMENT_KEYS}
    aggregates = {}
    for key, value in values.items():
        aggregates[f"sum_{key}"], aggregates[f"n_{key}"] = Sum(value), Count(value)
    aggregates["respondents"] = Count(Coalesce(*values.values()))
    return aggregates
