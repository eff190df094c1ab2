"""Public statistics per unit and period, and the open-data download (no personal data)."""

import json

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tanggap.accounts.scoping import get_scoped_or_404

from ..forms import PeriodForm, period_label
from ..measures import SMALL_CELL
from ..presentation import headline, open_data, open_data_csv, step_rows
from ..sections import breakdown_sections
from ..selectors import period_ikm, period_measures, public_units

PUBLIC_BREAKDOWNS = ("kinds", "channels", "categories", "ratings")


@require_GET
def index(request):
    """List the units that publish statistics."""
    units = list(public_units().order_by("organisation__name", "path"))
    return render(request, "analytics/public_index.html", {"units": units})


def _unit_and_period(request, unit_id: int):
    unit = get_scoped_or_404(public_units(), pk=unit_id)
    form = PeriodForm(request.GET or None, today=timezone.localdate(timezone=unit.tz))
    return unit, form


@require_GET
def unit_statistics(request, unit_id: int):
    """Show a unit's public statistics for the chosen period."""
    unit, form = _unit_and_period(request, unit_id)
    context = {"unit": unit, "form": form, "small_cell": SMALL_CELL}
    if form.is_bound and not form.is_valid():
        return render(request, "analytics/public_unit.html", context, status=400)
    period = form.chosen()
    measures = period_measures(unit, period)
    figures = headline(measures, period_ikm(unit, period), public=True)
    context |= {
        "period": period,
        "period_name": period_label(period),
        "figures": figures,
        "steps": step_rows(figures, {}),
        "sections": breakdown_sections(measures, PUBLIC_BREAKDOWNS, public=True),
    }
    return render(request, "analytics/public_unit.html", context)


@require_GET
def unit_open_data(request, unit_id: int, fmt: str):
    """Return a unit's statistics for the chosen period as CSV or JSON."""
    unit, form = _unit_and_period(request, unit_id)
    if form.is_bound and not form.is_valid():
        errors = {"period": [str(e) for e in form.errors["period"]]}
        return HttpResponse(
            json.dumps({"errors": errors}), status=400, content_type="application/json"
        )
    period = form.chosen()
    document = open_data(unit, period, period_measures(unit, period), period_ikm(unit, period))
    name = f"statistik-{unit.pk}-{period.key}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(open_data_csv(document), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            json.dumps(document, ensure_ascii=False, indent=1),
            content_type="application/json; charset=utf-8",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
