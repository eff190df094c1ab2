"""Public tracking lookups with guessing protection (per address and per code)."""

import hmac

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from tanggap.common.exceptions import ApplicationError
from tanggap.common.throttle import throttle_count, throttle_locked_until, throttle_reset

from .models import Report
from .services import secret_digest
from .tracking import normalize_tracking_code

_DUMMY = "0" * 64


def _locked(until) -> ApplicationError:
    when = formats.date_format(timezone.localtime(until), "H:i")
    return ApplicationError(
        _("Too many wrong attempts. For your safety, tracking is locked until %(time)s.")
        % {"time": when},
        code="locked",
    )


def _fail(*, address: str, code: str | None) -> None:
    window = settings.TRACKING_LOCKOUT
    throttle_count(
        key=f"track:addr:{address}", limit=settings.TRACKING_MAX_FAILURES_PER_ADDRESS, window=window
    )
    if code:
        throttle_count(
            key=f"track:code:{code}", limit=settings.TRACKING_MAX_FAILURES_PER_CODE, window=window
        )


def report_lookup(*, code: str, pin: str, address: str) -> Report:
    """Return the report for a tracking code and PIN, or raise a clear, translated error."""
    if until := throttle_locked_until(key=f"track:addr:{address}"):
        raise _locked(until)
    canonical = normalize_tracking_code(code or "")
    if canonical is None:
        _fail(address=address, code=None)
        raise ApplicationError(
            _("That is not a valid tracking code. Check it on your receipt."), code="invalid_code"
        )
    if until := throttle_locked_until(key=f"track:code:{canonical}"):
        raise _locked(until)
    report = Report.objects.filter(tracking_code=canonical).select_related("case").first()
    expected = report.pin_digest if report else _DUMMY
    given = secret_digest("pin", f"{canonical}:{(pin or '').strip()}")
    if not hmac.compare_digest(expected, given) or report is None:
        _fail(address=address, code=canonical)
        raise ApplicationError(
            _("The tracking code or PIN is wrong. Check both on your receipt."), code="wrong"
        )
    throttle_reset(key=f"track:code:{canonical}")
    return report


def report_by_link(*, token: str, address: str) -> Report:
    """Return the report opened by a secret link, with the same guessing protection."""
    if until := throttle_locked_until(key=f"track:addr:{address}"):
        raise _locked(until)
    report = Report.objects.filter(link_digest=secret_digest("link", token)).first()
    if report is None:
        _fail(address=address, code=None)
        raise ApplicationError(_("This tracking link is not valid."), code="wrong")
    return report
