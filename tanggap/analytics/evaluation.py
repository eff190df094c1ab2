"""The data of a periodic evaluation report: measures, actions, incidents, risks, overdue."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tanggap.accounts.models import Unit
from tanggap.cases.choices import OPEN_STATUSES, UNIT_STEPS
from tanggap.cases.models import Case
from tanggap.improvements.models import ImprovementAction, Incident

from .forms import period_label
from .periods import Period, previous
from .presentation import change, headline
from .rollups import day_start
from .selectors import (
    children_measures,
    overdue_cases,
    period_ikm,
    period_measures,
    subtree_ids,
)

OVERDUE_LIMIT = 200
ACTION_LIMIT = 100
# A fall of this many percentage points in an on-time share is named as a risk.
FALL_POINTS = 0.05


def _span(unit: Unit, period: Period):
    return day_start(period.start, unit.tz), day_start(period.end + timedelta(days=1), unit.tz)


def improvement_actions(unit_ids: list[int], unit: Unit, period: Period) -> list[dict]:
    """Return the improvement actions created or updated in the period (improvements app)."""
    start, end = _span(unit, period)
    touched = Q(created_at__gte=start, created_at__lt=end) | Q(
        updated_at__gte=start, updated_at__lt=end
    )
    rows = ImprovementAction.objects.filter(touched, unit_id__in=unit_ids).order_by("-updated_at")
    return [
        {
            "title": a.title,
            "status": a.get_status_display(),
            "progress": a.progress,
            "updated_at": a.updated_at,
        }
        for a in rows[:ACTION_LIMIT]
    ]


def incidents(unit_ids: list[int], unit: Unit, period: Period) -> list[dict]:
    """Return the incidents that ran during the period (improvements app)."""
    start, end = _span(unit, period)
    rows = Incident.objects.filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=start), unit_id__in=unit_ids, started_at__lt=end
    ).order_by("-started_at")
    return [
        {
            "title": i.title,
            "status": i.get_status_display(),
            "started_at": i.started_at,
            "ended_at": i.ended_at,
        }
        for i in rows[:ACTION_LIMIT]
    ]


def risks(unit_ids: list[int], figures: dict, delta: dict, open_incidents: int, now) -> list[str]:
    """Return the open risks in words: overdue and escalated cases, delays, falling figures."""
    open_cases = Case.objects.filter(unit_id__in=unit_ids, status__in=OPEN_STATUSES)
    overdue = open_cases.filter(due_step__in=list(UNIT_STEPS), due_at__lt=now).count()
    escalated = open_cases.filter(escalation_level__gt=0).count()
    found = []
    if overdue:
        found.append(
            ngettext(
                "%(n)d open case is past its deadline.",
                "%(n)d open cases are past their deadline.",
                overdue,
            )
            % {"n": overdue}
        )
    if escalated:
        found.append(
            ngettext("%(n)d open case is escalated.", "%(n)d open cases are escalated.", escalated)
            % {"n": escalated}
        )
    if figures["delayed"]:
        found.append(
            ngettext(
                "%(n)d case of the period was flagged for undue delay.",
                "%(n)d cases of the period were flagged for undue delay.",
                figures["delayed"],
            )
            % {"n": figures["delayed"]}
        )
    if open_incidents:
        found.append(
            ngettext(
                "%(n)d incident is still open.", "%(n)d incidents are still open.", open_incidents
            )
            % {"n": open_incidents}
        )
    names = {
        "verified": _("verification"),
        "replied": _("first reply"),
        "resolved": _("resolution"),
    }
    for step, name in names.items():
        fall = delta.get(f"{step}_on_time")
        if fall is not None and fall <= -FALL_POINTS:
            found.append(
                _("The share of %(step)s on time fell by %(points).1f points.")
                % {"step": name, "points": -fall * 100}
            )
    return found


def report_data(unit: Unit, period: Period, *, now=None) -> dict:
    """Return everything the evaluation report of *unit* for *period* shows."""
    now = now or timezone.now()
    ids = subtree_ids(unit)
    measures, before = period_measures(unit, period), period_measures(unit, previous(period))
    ikm = period_ikm(unit, period)
    figures = headline(measures, ikm)
    delta = change(figures, headline(before, period_ikm(unit, previous(period))))
    found_incidents = incidents(ids, unit, period)
    return {
        "unit": unit,
        "organisation": unit.organisation,
        "period": period,
        "period_name": period_label(period),
        "previous_name": period_label(previous(period)),
        "measures": measures,
        "figures": figures,
        "delta": delta,
        "ikm": ikm,
        "children": children_measures(unit, period),
        "overdue": overdue_cases(unit, now=now, limit=OVERDUE_LIMIT),
        "actions": improvement_actions(ids, unit, period),
        "incidents": found_incidents,
        "risks": risks(
            ids, figures, delta, sum(1 for i in found_incidents if i["ended_at"] is None), now
        ),
        "generated_at": now,
    }
