"""Staff survey screens: periods with progress and IKM, and surveyors' entry of paper forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import get_scoped_or_404, units_for, user_can
from tanggap.common.exceptions import ApplicationError

from .choices import ResponseChannel
from .elements import ELEMENTS
from .forms import QuestionnaireForm
from .index import rank_weakest
from .models import SurveyPeriod
from .selectors import period_summaries, period_summary
from .services import ResponseInput, response_record


def _periods(user):
    units = units_for(user, Capability.VIEW_SURVEYS)
    if not units.exists():
        raise Http404
    return SurveyPeriod.objects.filter(unit__in=units).select_related("unit", "service")


@login_required
def period_list(request):
    """List the survey periods of the user's units with progress and the IKM so far."""
    summaries = period_summaries(_periods(request.user)[:50])
    return render(request, "surveys/staff/period_list.html", {"summaries": summaries})


@login_required
@require_http_methods(["GET", "POST"])
def period_detail(request, period_id):
    """Show a period's IKM, elements from the weakest, progress; surveyors enter paper forms."""
    period = get_scoped_or_404(_periods(request.user), pk=period_id)
    can_enter = user_can(request.user, Capability.RUN_SURVEYS, period.unit) and period.is_open
    form = QuestionnaireForm(request.POST or None, period=period) if can_enter else None
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            response_record(
                ResponseInput(
                    period=period,
                    channel=ResponseChannel.PAPER,
                    answers=form.answers(),
                    service=period.service or data.get("service"),
                    client_key=data["client_key"],
                    entered_by=request.user,
                    **form.profile(),
                )
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            count = request.session.get("paper_batch", 0) + 1
            request.session["paper_batch"] = count
            messages.success(
                request, _("Questionnaire saved (%(n)d in this batch).") % {"n": count}
            )
            return redirect("surveys_staff:period_detail", period_id=period.pk)
    summary = period_summary(period)
    weakest = (
        [(ELEMENTS[key], value) for key, value in rank_weakest(summary.result.nrr)]
        if summary.result
        else []
    )
    return render(
        request,
        "surveys/staff/period_detail.html",
        {
            "summary": summary,
            "weakest": weakest,
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )


def _report_download(request, period_id, render, extension, content_type):
    from django.http import HttpResponse

    # Imported here: the report pulls in openpyxl and WeasyPrint, which other screens don't need.
    from .report import report_filename

    period = get_scoped_or_404(_periods(request.user), pk=period_id)
    response = HttpResponse(render(period), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{report_filename(period, extension)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET"])
def period_report_pdf(request, period_id):
    """Download the period's SKM report as a PDF (laporan SKM), in the active language."""
    from .report import period_report_pdf as render

    return _report_download(request, period_id, render, "pdf", "application/pdf")


@login_required
@require_http_methods(["GET"])
def period_report_xlsx(request, period_id):
    """Download the period's SKM results as a workbook, with one data row per response."""
    from .report import XLSX_TYPE
    from .report import period_report_xlsx as render

    return _report_download(request, period_id, render, "xlsx", XLSX_TYPE)
