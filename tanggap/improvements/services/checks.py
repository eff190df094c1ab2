"""Checks shared by the action and incident services: rights, texts and case eligibility."""

from django.utils.translation import gettext as _

from tanggap.accounts.scoping import user_can
from tanggap.cases.models import Case
from tanggap.common.exceptions import ApplicationError

MIN_TEXT, MAX_TITLE, MAX_TEXT, MAX_MESSAGE = 10, 200, 5000, 2000


def require(by, capability: str, unit) -> None:
    """Refuse *by* unless they hold *capability* on *unit*."""
    if not user_can(by, capability, unit):
        raise ApplicationError(_("Your role may not do this in this unit."), code="forbidden")


def text(value: str, *, label: str, minimum: int = MIN_TEXT, maximum: int = MAX_TEXT) -> str:
    """Return *value* stripped; refuse it shorter than *minimum* or longer than *maximum*."""
    value = (value or "").strip()
    if len(value) < minimum:
        raise ApplicationError(
            _("Write the %(label)s (at least %(n)d characters).") % {"label": label, "n": minimum},
            code="too_short",
        )
    if len(value) > maximum:
        raise ApplicationError(
            _("The %(label)s is too long (at most %(n)d characters).")
            % {"label": label, "n": maximum},
            code="too_long",
        )
    return value


def within(case: Case, unit) -> bool:
    """Return whether *case* belongs to *unit* or a unit below it."""
    return case.unit.path.startswith(unit.path)


def check_case(case: Case, unit, by, capability: str) -> None:
    """Refuse a case outside *unit*'s tree or one *by* may not handle."""
    if not within(case, unit):
        raise ApplicationError(
            _("Case %(ref)s belongs to another unit.") % {"ref": case.reference}, code="unit"
        )
    if not user_can(by, capability, case.unit):
        raise ApplicationError(
            _("Your role may not handle case %(ref)s.") % {"ref": case.reference}, code="forbidden"
        )
