"""Staff survey screens: periods with progress and IKM, surveyors' entry of paper forms and
their review of flagged responses."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tanggap.accounts.models import Unit
from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import get_scoped_or_404, units_for, user_can
from tanggap.common.exceptions import ApplicationError
from tanggap.intake.models import BoxOpening

from .choices import ResponseChannel
from .elements import ELEMENT_KEYS, ELEMENTS
from .forms import QuestionnaireForm, ReviewForm
from .index import rank_weakest
from .models import SurveyPeriod
from .selectors import (
    MIN_GROUP_SIZE,
    REVIEW_LIST_LIMIT,
    flagged_responses,
    open_period_for,
    period_breakdown,
    period_summaries,
    period_summary,
)
from .services import ResponseInput, response_record, response_review


def _periods(user, capability=Capability.VIEW_SURVEYS):
    units = units_for(user, capability)
    if not units.exists():
        raise Http404
    return SurveyPeriod.objects.filter(unit__in=units).select_related("unit", "service")


@login_required
def period_list(request):
    """List the survey periods of the user's units with progress and the IKM so far."""
    summaries = period_summaries(_periods(request.user)[:50])
    return render(request, "surveys/staff/period_list.html", {"summaries": summaries})


def _box_opening(request, period):
    """Return the suggestion-box opening whose questionnaires are being entered (?kotak=id)."""
    raw = request.GET.get("kotak", "")
    if not raw.isdigit():
        return None
    return get_scoped_or_404(
        BoxOpening.objects.filter(box__unit__path__startswith=period.unit.path).select_related(
            "box__unit"
        ),
        pk=int(raw),
    )


@login_required
def box_questionnaires(request, opening_id):
    """Enter a box opening's paper questionnaires in the open survey period of its unit."""
    opening = get_scoped_or_404(
        BoxOpening.objects.filter(
            box__unit__in=units_for(request.user, Capability.RUN_SURVEYS)
        ).select_related("box__unit"),
        pk=opening_id,
    )
    # The box's own unit first, then the units above it (a period may cover the whole tree).
    ids = [int(part) for part in opening.box.unit.path.strip("/").split("/")]
    for candidate in sorted(Unit.objects.filter(pk__in=ids), key=lambda u: -len(u.path)):
        if period := open_period_for(unit=candidate):
            target = reverse("surveys_staff:period_detail", args=[period.pk])
            return redirect(f"{target}?kotak={opening.pk}")
    messages.error(request, _("No survey period is open for this unit: open one first."))
    return redirect("surveys_staff:period_list")


@login_required
@require_http_methods(["GET", "POST"])
def period_detail(request, period_id):
    """Show a period's IKM, elements from the weakest, progress; surveyors enter paper forms."""
    period = get_scoped_or_404(_periods(request.user), pk=period_id)
    can_run = user_can(request.user, Capability.RUN_SURVEYS, period.unit)
    can_enter = can_run and period.is_open
    opening = _box_opening(request, period) if can_enter else None
    form = QuestionnaireForm(request.POST or None, period=period) if can_enter else None
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            response_record(
                ResponseInput(
                    period=period,
                    channel=ResponseChannel.PAPER,
                    answers=form.answers(),
                    extra_answers=form.extra_answers(),
                    service=period.service or data.get("service"),
                    client_key=data["client_key"],
                    entered_by=request.user,
                    box_opening=opening,
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
            target = reverse("surveys_staff:period_detail", args=[period.pk])
            return redirect(f"{target}?kotak={opening.pk}" if opening else target)
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
            "breakdown": period_breakdown(period),
            "min_group_size": MIN_GROUP_SIZE,
            "can_review": can_run,
            "form": form,
            "opening": opening,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def period_review(request, period_id):
    """List a period's flagged responses; a surveyor keeps (counts) or excludes each one."""
    period = get_scoped_or_404(_periods(request.user, Capability.RUN_SURVEYS), pk=period_id)
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, _("Choose to keep or to exclude the response."))
            return redirect("surveys_staff:period_review", period_id=period.pk)
        response = get_scoped_or_404(
            period.responses.filter(is_flagged=True), pk=form.cleaned_data["response"]
        )
        try:
            response_review(
                user=request.user, response=response, decision=form.cleaned_data["decision"]
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("Decision recorded for response #%(n)d.") % {"n": response.pk}
            )
        return redirect("surveys_staff:period_review", period_id=period.pk)
    rows = [
        (response, [(ELEMENTS[key], response.answers.get(key)) for key in ELEMENT_KEYS])
        for response in flagged_responses(period)
    ]
    return render(
        request,
        "surveys/staff/period_review.html",
        {
            "period": period,
            "summary": period_summary(period),
            "rows": rows,
            "total": period.responses.filter(is_flagged=True).count(),
            "limit": REVIEW_LIST_LIMIT,
        },
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
