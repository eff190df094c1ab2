"""The auditor's screens: maladministration flags and the audit log as CSV."""

import csv
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import units_for
from tanggap.cases.filters import AuditLogForm, FlagFilterForm
from tanggap.cases.selectors import audit_events, flag_list, period_bounds

# A spreadsheet would run a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _audit_units(user):
    units = units_for(user, Capability.AUDIT)
    if not units.exists():
        raise Http404
    return units


def _audit_page(request, units, *, log_form=None, status=200):
    form = FlagFilterForm(request.GET or None, units=units)
    filters = dict(form.cleaned_data) if form.is_valid() else {}
    page = flag_list(user=request.user, filters=filters, cursor=request.GET.get("after"))
    if log_form is None:
        today = timezone.localdate()
        log_form = AuditLogForm(
            units=units, initial={"date_from": today - timedelta(days=30), "date_to": today}
        )
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "officer/audit.html",
        {"form": form, "page": page, "query": query.urlencode(), "log_form": log_form},
        status=status,
    )


@login_required
def audit(request):
    """List the maladministration flags of the user's units, filtered by kind, unit, period."""
    return _audit_page(request, _audit_units(request.user))


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, value):
        return value


def _lines(rows, header, yes, no):
    writer = csv.writer(_Echo())
    # A byte-order mark, so spreadsheet programs read the file as UTF-8.
    yield "\ufeff" + writer.writerow(header)
    for at, reference, unit, tz, kind, actor, origin, public, message in rows:
        yield writer.writerow(
            [
                at.astimezone(ZoneInfo(tz)).isoformat(),
                _cell(reference),
                _cell(unit),
                kind,
                _cell(actor),
                _cell(origin),
                yes if public else no,
                _cell(message),
            ]
        )


@login_required
def audit_log(request):
    """Stream the case events of a period (and unit) as CSV, one row per event.

    Internal notes are part of the log; the reporter's identity never is (it is not in events).
    """
    units = _audit_units(request.user)
    form = AuditLogForm(request.GET, units=units)
    if not form.is_valid():
        return _audit_page(request, units, log_form=form, status=400)
    data = form.cleaned_data
    start, end = period_bounds(data["date_from"], data["date_to"], data["unit"])
    rows = audit_events(user=request.user, start=start, end=end, unit=data["unit"])
    # Translated now: the lines are produced after the view has returned.
    header = [
        _("time"),
        _("case"),
        _("unit"),
        _("event"),
        _("by"),
        _("from"),
        _("shown to the reporter"),
        _("message"),
    ]
    response = StreamingHttpResponse(
        _lines(rows, header, _("yes"), _("no")), content_type="text/csv; charset=utf-8"
    )
    name = f"audit-log-{data['date_from']:%Y%m%d}-{data['date_to']:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
