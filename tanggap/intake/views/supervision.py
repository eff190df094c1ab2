"""The supervisor's team screen and the shift handover of 24-hour units."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import get_scoped_or_404, units_for
from tanggap.cases.choices import OPEN_STATUSES
from tanggap.cases.filters import DueState
from tanggap.cases.forms import HandoverForm
from tanggap.cases.models import Shift
from tanggap.cases.selectors import case_list, cases_escalated, cases_visible_to, team_workload
from tanggap.cases.shifts import next_shift_officers, shift_handover
from tanggap.common.exceptions import ApplicationError

from .handling import status_for

# A shift may be handed over while it runs and this long after it ended.
HANDOVER_WINDOW = timedelta(hours=12)


@login_required
def team(request):
    """Show the team's workload, the overdue cases (oldest deadline first) and escalations."""
    if not units_for(request.user, Capability.SUPERVISE_CASES).exists():
        raise Http404
    now = timezone.now()
    overdue = case_list(
        user=request.user,
        filters={"due": DueState.OVERDUE, "sort": "due"},
        cursor=request.GET.get("after"),
        capability=Capability.SUPERVISE_CASES,
        now=now,
    )
    escalated = cases_escalated(user=request.user, cursor=request.GET.get("escalated_after"))
    return render(
        request,
        "officer/team.html",
        {
            "workload": team_workload(user=request.user, now=now),
            "overdue": overdue,
            "escalated": escalated,
            "now": now,
            "after": request.GET.get("after", ""),
            "escalated_after": request.GET.get("escalated_after", ""),
        },
    )


def _open_shifts(user, now):
    return (
        Shift.objects.filter(
            officer=user,
            handed_over_at__isnull=True,
            starts_at__lte=now,
            ends_at__gte=now - HANDOVER_WINDOW,
        )
        .select_related("unit")
        .order_by("starts_at", "id")
    )


@login_required
@require_http_methods(["GET", "POST"])
def handover(request):
    """Let the officer ending a shift write the handover note; their open cases move on."""
    if not units_for(request.user, Capability.HANDLE_CASES).exists():
        raise Http404
    now = timezone.now()
    shifts = _open_shifts(request.user, now)
    shift = shifts.first()
    form = HandoverForm(request.POST or None, initial={"shift": shift.pk if shift else None})
    status = 200
    if request.method == "POST" and form.is_valid():
        shift = get_scoped_or_404(
            Shift.objects.filter(officer=request.user).select_related("unit"),
            pk=form.cleaned_data["shift"],
        )
        try:
            cases = shift_handover(shift=shift, by=request.user, note=form.cleaned_data["note"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            status = status_for(exc)
        else:
            messages.success(
                request,
                ngettext(
                    "Shift handed over; %(n)d open case passed to the next shift.",
                    "Shift handed over; %(n)d open cases passed to the next shift.",
                    len(cases),
                )
                % {"n": len(cases)},
            )
            return redirect("officer:inbox")
    if form.errors and status == 200:
        status = 400
    context = {"form": form, "shift": shift}
    if shift is not None:
        context |= {
            "open_cases": cases_visible_to(request.user)
            .filter(assignee=request.user, unit=shift.unit, status__in=OPEN_STATUSES)
            .order_by("due_at", "id")[:100],
            "next_officers": next_shift_officers(shift),
            "now": now,
        }
    return render(request, "officer/handover.html", context, status=status)
