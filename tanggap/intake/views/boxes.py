"""Suggestion-box screens: openings before witnesses, slip entry, and the public list of slips."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import get_scoped_or_404, units_for
from tanggap.common.exceptions import ApplicationError

from ..box_forms import OpeningCloseForm, OpeningForm, SlipForm, SlipLookupForm
from ..boxes import (
    SlipInput,
    box_opening_close,
    box_opening_record,
    box_slip_enter,
    boxes_with_last_opening,
    opening_due_at,
)
from ..models import BoxOpening, BoxSlip, SuggestionBox

PUBLIC_OPENINGS = 12


def _units(request):
    units = units_for(request.user, Capability.ENTER_REPORTS)
    if not units.exists():
        raise Http404
    return units


@login_required
def box_list(request):
    """List the unit's boxes with their last opening and whether an opening is due."""
    boxes = list(boxes_with_last_opening(_units(request)))
    for box in boxes:
        box.due_at = opening_due_at(box, box.last_opened_at)
    return render(request, "officer/boxes/list.html", {"boxes": boxes, "now": timezone.now()})


@login_required
@require_http_methods(["GET", "POST"])
def opening_new(request, box_id):
    """Record an opening of a box with its witnesses and what was found in it."""
    box = get_scoped_or_404(SuggestionBox.objects.filter(unit__in=_units(request)), pk=box_id)
    form = OpeningForm(request.POST or None, box=box, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opening = box_opening_record(
                box=box,
                opened_by=request.user,
                witnesses=list(data["witnesses"]),
                opened_at=data["opened_at"],
                slips_found=data["slips_found"],
                skm_forms_found=data["skm_forms_found"],
                note=data["note"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Opening recorded. Enter each slip with its photo."))
            return redirect("officer:box_opening", opening_id=opening.pk)
    return render(
        request,
        "officer/boxes/opening_new.html",
        {"box": box, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def opening_detail(request, opening_id):
    """Show an opening with its slips; enter the next slip until all found are entered."""
    opening = get_scoped_or_404(
        BoxOpening.objects.filter(box__unit__in=_units(request)).select_related("box__unit"),
        pk=opening_id,
    )
    form = SlipForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            slip = box_slip_enter(
                opening=opening,
                entered_by=request.user,
                slip=SlipInput(
                    kind=data["kind"],
                    title=data["title"],
                    description=data["description"],
                    photo=data["photo"],
                    receipt_number=data["receipt_number"],
                    is_confidential=data["is_confidential"],
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                ),
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Slip %(number)s entered as report %(code)s.")
                % {"number": slip.receipt_number, "code": slip.report.tracking_code},
            )
            return redirect("officer:box_opening", opening_id=opening.pk)
    slips = opening.slips.select_related("report__case").order_by("id")
    return render(
        request,
        "officer/boxes/opening_detail.html",
        {
            "opening": opening,
            "slips": slips,
            "witnesses": opening.witnesses.order_by("first_name", "username"),
            "form": form if not opening.closed_at else None,
            "close_form": OpeningCloseForm(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def opening_close(request, opening_id):
    """Finish the entry of an opening; missing slips need a reason."""
    opening = get_scoped_or_404(
        BoxOpening.objects.filter(box__unit__in=_units(request)), pk=opening_id
    )
    form = OpeningCloseForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        box_opening_close(opening=opening, by=request.user, note=note)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The entry of this opening is finished."))
    return redirect("officer:box_opening", opening_id=opening.pk)


def box_public(request, code):
    """Post a box's openings and the receipt numbers of its slips, each with its case status."""
    box = get_object_or_404(SuggestionBox.objects.select_related("unit"), code=code)
    lookup = SlipLookupForm(request.GET or None)
    found, searched = None, False
    if lookup.is_valid():
        searched = True
        found = (
            BoxSlip.objects.filter(box=box, receipt_number=lookup.cleaned_data["number"].upper())
            .select_related("report__case", "opening")
            .first()
        )
    openings = list(box.openings.prefetch_related("slips__report__case")[:PUBLIC_OPENINGS])
    return render(
        request,
        "intake/box_public.html",
        {
            "box": box,
            "openings": openings,
            "lookup": lookup,
            "found": found,
            "searched": searched,
            "due_at": opening_due_at(box, openings[0].opened_at if openings else None),
        },
    )
