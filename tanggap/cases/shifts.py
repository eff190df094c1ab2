"""Shift handover at 24-hour units: an outgoing officer's open cases go to the next shift."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tanggap.accounts.models import Unit
from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import user_can
from tanggap.common.exceptions import ApplicationError

from .choices import OPEN_STATUSES, EventKind
from .events import case_event_record
from .models import Case, Shift
from .routing import least_busy

# A shift not handed over this long after its end is handed over by the sweep.
AUTO_HANDOVER_AFTER = timedelta(minutes=30)
# The sweep looks back this far for shifts never handed over (older ones are history).
AUTO_HANDOVER_LOOKBACK = timedelta(days=7)


def next_shift_officers(shift: Shift) -> list:
    """Return the officers taking over from *shift*: on duty at its end, else the next to start.

    Read through the roster index (unit, starts, ends); the outgoing officer is left out.
    """
    others = (
        Shift.objects.filter(unit_id=shift.unit_id, officer__is_active=True)
        .exclude(officer_id=shift.officer_id)
        .select_related("officer")
        .order_by("starts_at", "id")
    )
    shifts = list(others.filter(starts_at__lte=shift.ends_at, ends_at__gt=shift.ends_at))
    if not shifts:
        first = others.filter(starts_at__gt=shift.ends_at).first()
        shifts = list(others.filter(starts_at=first.starts_at)) if first else []
    officers = []
    for s in shifts:
        if s.officer not in officers:
            officers.append(s.officer)
    return officers


def _stays_on_duty(shift: Shift) -> bool:
    """Return whether the officer's own next shift starts when this one ends (a double shift)."""
    return (
        Shift.objects.filter(
            unit_id=shift.unit_id,
            officer_id=shift.officer_id,
            starts_at__lte=shift.ends_at,
            ends_at__gt=shift.ends_at,
        )
        .exclude(pk=shift.pk)
        .exists()
    )


def _check_handover(shift: Shift, by, now: datetime) -> None:
    """Refuse a second handover, a stranger's, or one before the shift started."""
    if shift.handed_over_at is not None:
        raise ApplicationError(
            _("This shift was already handed over at %(time)s.")
            % {
                "time": date_format(
                    timezone.localtime(shift.handed_over_at, shift.unit.tz), "j F Y H:i"
                )
            },
            code="handed_over",
        )
    if not (
        by is None
        or by.pk == shift.officer_id
        or user_can(by, Capability.SUPERVISE_CASES, shift.unit)
    ):
        raise ApplicationError(
            _("Only the officer of this shift or a supervisor of the unit may hand it over."),
            code="forbidden",
        )
    if shift.starts_at > now:
        raise ApplicationError(
            _("A shift that has not started yet cannot be handed over."), code="not_started"
        )


@transaction.atomic
def shift_handover(*, shift: Shift, by, note: str) -> list[Case]:
    """Hand the outgoing officer's open cases in the shift's unit to the next shift.

    Each case goes to the least busy officer of the next shift, or back to the unit's queue
    when nobody is rostered, with an internal HANDED_OVER event carrying *note*; an officer
    whose own next shift follows on keeps the cases. A shift is
    handed over once; *by* is the shift's officer, a supervisor of the unit, or None (the
    sweep). Return the cases handed over.
    """
    shift = (
        Shift.objects.select_for_update(of=("self",))
        .select_related("unit", "officer")
        .get(pk=shift.pk)
    )
    now = timezone.now()
    _check_handover(shift, by, now)
    note = note.strip()
    cases = []
    if not _stays_on_duty(shift):
        cases = list(
            Case.objects.select_for_update()
            .filter(unit_id=shift.unit_id, assignee_id=shift.officer_id, status__in=OPEN_STATUSES)
            .order_by(F("due_at").asc(nulls_last=True), "id")
        )
    officers = next_shift_officers(shift) if cases else []
    for case in cases:
        _hand_over_case(case, shift=shift, to=least_busy(officers), by=by, note=note)
    shift.handed_over_at, shift.handover_note = now, note
    shift.save(update_fields=["handed_over_at", "handover_note", "updated_at"])
    return cases


def _hand_over_case(case: Case, *, shift: Shift, to, by, note: str) -> None:
    outgoing = shift.officer
    data = {
        "shift": shift.pk,
        "from": outgoing.pk,
        "from_name": outgoing.get_full_name() or outgoing.username,
        "to": to.pk if to else None,
    }
    if to is None:
        queue = _("Nobody is rostered on the next shift, so the case is back in the unit's queue.")
        message = f"{note}\n\n{queue}" if note else queue
        data["queue"] = True
    else:
        message = note
        data["to_name"] = to.get_full_name() or to.username
    case.assignee = to
    case.version += 1
    case.save(update_fields=["assignee", "version", "updated_at"])
    case_event_record(
        case=case, kind=EventKind.HANDED_OVER, actor=by, is_public=False, message=message, data=data
    )


def shifts_handover_overdue(*, now: datetime | None = None) -> int:
    """Hand over, with an automatic note, the shifts that ended over 30 minutes ago without one.

    Each shift in its own transaction, oldest end first so a chain of missed handovers
    ends with the officers on duty. Return how many shifts were handed over.
    """
    now = now or timezone.now()
    cutoff = now - AUTO_HANDOVER_AFTER
    done = 0
    for unit_id in Unit.objects.filter(open_24h=True).values_list("pk", flat=True):
        overdue = Shift.objects.filter(
            unit_id=unit_id,
            starts_at__gte=cutoff - AUTO_HANDOVER_LOOKBACK,
            starts_at__lt=cutoff,
            ends_at__lte=cutoff,
            handed_over_at__isnull=True,
        ).order_by("ends_at", "id")
        for shift in overdue:
            try:
                shift_handover(
                    shift=shift,
                    by=None,
                    note=_("Handed over automatically: the shift ended without a handover."),
                )
            except ApplicationError:
                continue  # handed over by hand meanwhile
            done += 1
    return done
