"""Suggestion boxes (kotak saran): witnessed openings and the entry of their paper slips."""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import user_can
from tanggap.cases.choices import Channel
from tanggap.common.exceptions import ApplicationError

from .models import BoxOpening, BoxSlip, SuggestionBox
from .services import ReportInput, report_submit
from .uploads import CleanFile

MIN_WITNESSES = 2
RECEIPT_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,29}$")


def _check_can_enter(user, box: SuggestionBox) -> None:
    if not user_can(user, Capability.ENTER_REPORTS, box.unit):
        raise ApplicationError(_("You cannot enter reports for this unit."), code="forbidden")


@transaction.atomic
def box_opening_record(
    *,
    box: SuggestionBox,
    opened_by,
    witnesses: list,
    opened_at: datetime,
    slips_found: int,
    skm_forms_found: int = 0,
    note: str = "",
) -> BoxOpening:
    """Record an opening; it needs two witnesses of the unit besides the officer who records it."""
    _check_can_enter(opened_by, box)
    if not box.is_active:
        raise ApplicationError(_("This suggestion box is no longer in use."), code="inactive")
    people = {w.pk: w for w in witnesses if w.pk != opened_by.pk}
    if len(people) < MIN_WITNESSES:
        raise ApplicationError(
            _("An opening needs at least %(n)d witnessing officers besides you.")
            % {"n": MIN_WITNESSES},
            code="witnesses",
        )
    for person in people.values():
        if not user_can(person, Capability.VIEW_CASES, box.unit):
            raise ApplicationError(
                _("%(name)s is not an officer of this unit.")
                % {"name": person.get_full_name() or person.username},
                code="witness_unit",
            )
    now = timezone.now()
    if opened_at > now + timedelta(minutes=5):
        raise ApplicationError(_("The opening time cannot be in the future."), code="future")
    last = box.openings.aggregate(last=Max("opened_at"))["last"]
    if last and opened_at <= last:
        raise ApplicationError(
            _("The opening time must be after the box's last opening."), code="order"
        )
    opening = BoxOpening.objects.create(
        box=box,
        opened_by=opened_by,
        opened_at=opened_at,
        slips_found=slips_found,
        skm_forms_found=skm_forms_found,
        note=note.strip(),
    )
    opening.witnesses.set(people.values())
    return opening


@dataclass
class SlipInput:
    """One paper slip as the officer reads it; the photo of the slip is required."""

    kind: str
    title: str
    description: str
    photo: CleanFile
    receipt_number: str = ""
    is_confidential: bool = False
    name: str = ""
    email: str = ""
    phone: str = ""
    extra_files: list[CleanFile] = field(default_factory=list)


def _next_receipt_number(opening: BoxOpening) -> str:
    stamp = timezone.localtime(opening.opened_at).strftime("%y%m%d")
    n = opening.slips.count() + 1
    while True:
        number = f"{opening.box.code[:12].upper()}-{stamp}-{n:02d}"
        if not BoxSlip.objects.filter(box=opening.box, receipt_number=number).exists():
            return number
        n += 1


@transaction.atomic
def box_slip_enter(*, opening: BoxOpening, entered_by, slip: SlipInput) -> BoxSlip:
    """Enter one slip as a report of the box's unit; the same receipt number twice is one slip."""
    opening = BoxOpening.objects.select_for_update().select_related("box__unit").get(pk=opening.pk)
    box = opening.box
    _check_can_enter(entered_by, box)
    if opening.closed_at:
        raise ApplicationError(_("The entry of this opening is finished."), code="closed")
    number = slip.receipt_number.strip().upper()
    if number:
        if not RECEIPT_PATTERN.match(number):
            raise ApplicationError(
                _("A receipt number has letters, digits and dashes only (at most 30)."),
                code="receipt_format",
            )
        if existing := BoxSlip.objects.filter(box=box, receipt_number=number).first():
            if existing.opening_id != opening.pk:
                raise ApplicationError(
                    _("Receipt number %(n)s was already entered at an earlier opening.")
                    % {"n": number},
                    code="receipt_taken",
                )
            return existing
    else:
        number = _next_receipt_number(opening)
    submission = report_submit(
        ReportInput(
            unit=box.unit,
            kind=slip.kind,
            channel=Channel.SUGGESTION_BOX,
            title=slip.title,
            description=slip.description,
            location_text=box.location,
            is_anonymous=not slip.name.strip(),
            is_confidential=slip.is_confidential,
            name=slip.name,
            email=slip.email,
            phone=slip.phone,
            files=[slip.photo, *slip.extra_files],
            received_by=entered_by,
            external_source="box",
            external_ref=f"{box.pk}:{number}",
        )
    )
    return BoxSlip.objects.create(
        opening=opening, box=box, report=submission.report, receipt_number=number
    )


@transaction.atomic
def box_opening_close(*, opening: BoxOpening, by, note: str = "") -> BoxOpening:
    """Finish the entry; fewer slips than found needs a written reason, so none goes missing."""
    opening = BoxOpening.objects.select_for_update().select_related("box__unit").get(pk=opening.pk)
    _check_can_enter(by, opening.box)
    if opening.closed_at:
        return opening
    entered = opening.slips.count()
    note = note.strip()
    if entered < opening.slips_found and len(note) < 10:
        raise ApplicationError(
            _(
                "%(entered)d of %(found)d slips are entered. Enter the rest, or explain in at "
                "least 10 characters why they are not reports (e.g. blank or duplicate slips)."
            )
            % {"entered": entered, "found": opening.slips_found},
            code="missing_slips",
        )
    opening.closed_at, opening.closed_note = timezone.now(), note
    opening.save(update_fields=["closed_at", "closed_note", "updated_at"])
    return opening


def boxes_with_last_opening(units):
    """Return the active boxes of *units* with their last opening time and number of openings."""
    return (
        SuggestionBox.objects.filter(unit__in=units, is_active=True)
        .select_related("unit")
        .annotate(last_opened_at=Max("openings__opened_at"), n_openings=Count("openings"))
        .order_by("unit__name", "name")
    )


def opening_due_at(box: SuggestionBox, last_opened_at: datetime | None) -> datetime | None:
    """Return when *box* is next due to be opened (None before its first opening)."""
    if last_opened_at is None:
        return None
    return last_opened_at + timedelta(days=box.opening_interval_days)
