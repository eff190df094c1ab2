"""Analytics work run by the task worker: the rollups and the evaluation reports."""

from datetime import date

from django.tasks import task

from tanggap.accounts.models import Unit, User

from . import periods
from .services import evaluation_report_generate, rollup_rebuild, rollup_refresh


@task
def analytics_rollup(rebuild: bool = False) -> dict:
    """Bring the daily rollups up to date with the case events (all of them with *rebuild*)."""
    return rollup_rebuild() if rebuild else rollup_refresh()


@task
def generate_evaluation_report(
    unit_id: int, kind: str, starts_on: str, user_id: int | None = None, language: str = ""
) -> int | None:
    """Generate one evaluation report; return its id (None when the unit is gone)."""
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        return None
    period = periods.containing(kind, date.fromisoformat(starts_on))
    by = User.objects.filter(pk=user_id).first() if user_id else None
    report = evaluation_report_generate(unit=unit, period=period, by=by, language=language or None)
    return report.pk
