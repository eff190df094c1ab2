"""Evaluation reports of a unit: the list, the on-demand request and the downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tanggap.accounts.scoping import get_scoped_or_404
from tanggap.common.exceptions import ApplicationError

from ..forms import PeriodForm, period_label
from ..models import EvaluationReport
from ..periods import containing, parse
from ..report import XLSX_TYPE
from ..selectors import dashboard_unit, dashboard_units
from ..services import evaluation_report_request

LIST_LIMIT = 60


@login_required
@require_http_methods(["GET", "POST"])
def report_list(request, unit_id: int):
    """List a unit's evaluation reports; a POST asks for one period's report now."""
    unit = dashboard_unit(user=request.user, unit_id=unit_id)
    today = timezone.localdate(timezone=unit.tz)
    form = PeriodForm(request.POST or None, today=today)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            period = parse(form.cleaned_data["period"])
            try:
                evaluation_report_request(unit=unit, period=period, by=request.user)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
                status = 400
            else:
                messages.success(
                    request,
                    _("The report for %(period)s is being prepared; you will get an e-mail.")
                    % {"period": period_label(period)},
                )
                return redirect("analytics:reports", unit_id=unit.pk)
        else:
            status = 400
    reports = [
        (report, period_label(containing(report.period_kind, report.starts_on)))
        for report in EvaluationReport.objects.filter(unit=unit)[:LIST_LIMIT]
    ]
    context = {"unit": unit, "form": form, "reports": reports}
    return render(request, "analytics/reports.html", context, status=status)


@login_required
@require_GET
def report_file(request, report_id: int, fmt: str):
    """Stream a report's PDF or workbook to a user who may read the unit's dashboard."""
    report = get_scoped_or_404(
        EvaluationReport.objects.filter(unit__in=dashboard_units(request.user)), pk=report_id
    )
    field = report.pdf if fmt == "pdf" else report.xlsx
    if not field:
        raise Http404
    content_type = "application/pdf" if fmt == "pdf" else XLSX_TYPE
    name = field.name.rsplit("/", 1)[-1]
    return FileResponse(
        field.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
