"""The unit head's dashboard: measures from rollups, deadlines, workload, themes."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ..forms import PeriodForm, period_label
from ..models import RollupCursor
from ..periods import previous
from ..presentation import change, headline, step_rows
from ..sections import breakdown_sections, heat_section
from ..selectors import (
    children_measures,
    dashboard_unit,
    dashboard_units,
    overdue_cases,
    period_ikm,
    period_measures,
    subtree_ids,
    workload,
)
from ..services import CURSOR
from ..themes import themes_snapshot


@login_required
@require_GET
def unit_list(request):
    """List the units whose dashboard the user may read."""
    units = list(dashboard_units(request.user).order_by("organisation__name", "path"))
    if not units:
        raise Http404
    return render(request, "analytics/unit_list.html", {"units": units})


@login_required
@require_GET
def unit_dashboard(request, unit_id: int):
    """Show one unit's dashboard (with its sub-units) for the chosen period."""
    unit = dashboard_unit(user=request.user, unit_id=unit_id)
    form = PeriodForm(request.GET or None, today=timezone.localdate(timezone=unit.tz))
    context = {"unit": unit, "form": form}
    if form.is_bound and not form.is_valid():
        return render(request, "analytics/dashboard.html", context, status=400)
    period = form.chosen()
    now = timezone.now()
    measures = period_measures(unit, period)
    before = period_measures(unit, previous(period))
    ikm, ikm_before = period_ikm(unit, period), period_ikm(unit, previous(period))
    figures, figures_before = headline(measures, ikm), headline(before, ikm_before)
    delta = change(figures, figures_before)
    cursor = RollupCursor.objects.filter(name=CURSOR).first()
    context |= {
        "period": period,
        "period_name": period_label(period),
        "previous_name": period_label(previous(period)),
        "figures": figures,
        "figures_before": figures_before,
        "delta": delta,
        "steps": step_rows(figures, delta),
        "sections": breakdown_sections(
            measures, ("kinds", "channels", "categories", "statuses", "ratings"), public=False
        ),
        "heat": heat_section(measures),
        "children": children_measures(unit, period),
        "overdue": overdue_cases(unit, now=now),
        "workload": workload(unit),
        "themes": themes_snapshot(unit=unit, period=period, unit_ids=subtree_ids(unit), now=now),
        "as_of": cursor.updated_at if cursor else None,
        "now": now,
    }
    return render(request, "analytics/dashboard.html", context)
