"""Writes of analytics: keeping the rollups current and generating evaluation reports."""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tanggap.accounts.models import Unit, User
from tanggap.accounts.roles import Role
from tanggap.accounts.scoping import user_can
from tanggap.cases.choices import EventKind
from tanggap.cases.models import Case, CaseEvent
from tanggap.common.exceptions import ApplicationError
from tanggap.notifications.models import NotificationChannel
from tanggap.notifications.services import notification_queue

from . import periods
from .evaluation import report_data
from .models import EvaluationReport, RollupCursor
from .periods import Period
from .report import render_pdf, render_xlsx, report_filename
from .rollups import open_load_recompute, unit_days_recompute, unit_rebuild
from .selectors import DASHBOARD_CAPABILITY

CURSOR = "case_events"
BATCH = 20000
MAX_BATCHES = 25
# Events younger than this may still have lower-id neighbours in uncommitted transactions, so
# the cursor stops before them and the next run reads them again (recomputing is idempotent).
SETTLE = timedelta(minutes=5)


def _cells_of(events: list[dict]) -> dict[Unit, set]:
    """Return unit -> local days touched by *events* (old and new unit of a disposition)."""
    case_ids = {event["case_id"] for event in events}
    cases = {
        row["id"]: row
        for row in Case.objects.filter(id__in=case_ids).values("id", "unit_id", "received_at")
    }
    touched: dict[int, set] = defaultdict(set)
    for case in cases.values():
        touched[case["unit_id"]].add(case["received_at"])
    for event in events:
        moved_from = event["kind"] == EventKind.ASSIGNED and event["data"].get("from_unit")
        if moved_from and event["case_id"] in cases:
            touched[int(moved_from)].add(cases[event["case_id"]]["received_at"])
    units = Unit.objects.in_bulk(touched.keys())
    return {
        units[unit_id]: {moment.astimezone(units[unit_id].tz).date() for moment in moments}
        for unit_id, moments in touched.items()
        if unit_id in units
    }


def rollup_refresh(*, now=None, batch: int = BATCH, max_batches: int = MAX_BATCHES) -> dict:
    """Bring the rollups up to date with the case events since the cursor; safe to run twice.

    Only the (unit, day) cells of the cases those events touched are recomputed. One run at
    a time: the cursor row is locked for the run.
    """
    now = now or timezone.now()
    settled_before = now - SETTLE
    summary = {"events": 0, "rows": 0}
    with transaction.atomic():
        RollupCursor.objects.get_or_create(name=CURSOR)
        cursor = RollupCursor.objects.select_for_update().get(name=CURSOR)
        for _batch in range(max_batches):
            events = list(
                CaseEvent.objects.filter(id__gt=cursor.last_event_id)
                .order_by("id")
                .values("id", "at", "case_id", "kind", "data")[:batch]
            )
            if not events:
                break
            summary["events"] += len(events)
            for unit, days in _cells_of(events).items():
                summary["rows"] += unit_days_recompute(unit=unit, days=days)
                open_load_recompute(unit=unit, now=now)
            settled = _settled_prefix(events, settled_before)
            if settled is not None:
                cursor.last_event_id = settled
            if settled != events[-1]["id"] or len(events) < batch:
                break
        cursor.updated_at = now
        cursor.save(update_fields=["last_event_id", "updated_at"])
    summary["cursor"] = cursor.last_event_id
    return summary


def _settled_prefix(events: list[dict], before) -> int | None:
    """Return the last id of the leading events older than *before*, or None."""
    last = None
    for event in events:
        if event["at"] > before:
            break
        last = event["id"]
    return last


def rollup_rebuild(*, now=None) -> dict:
    """Recompute every unit's rollups from the raw tables and reset the cursor."""
    now = now or timezone.now()
    newest = CaseEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    unsettled = (
        CaseEvent.objects.filter(at__gt=now - SETTLE).order_by("id").values_list("id", flat=True)
    ).first()
    rows = sum(unit_rebuild(unit=unit) for unit in Unit.objects.all())
    with transaction.atomic():
        RollupCursor.objects.get_or_create(name=CURSOR)
        cursor = RollupCursor.objects.select_for_update().get(name=CURSOR)
        cursor.last_event_id = (unsettled - 1) if unsettled else newest
        cursor.updated_at = now
        cursor.save(update_fields=["last_event_id", "updated_at"])
    return {"rows": rows, "cursor": cursor.last_event_id}


# --- Evaluation reports -------------------------------------------------------------------

# The schedule generates a period's report only this soon after it ended (not years back).
SCHEDULE_WINDOW = timedelta(days=31)


def evaluation_report_generate(
    *, unit: Unit, period: Period, by=None, language: str | None = None, notify: bool = True
) -> EvaluationReport:
    """Render a unit's evaluation report for *period*, store it and e-mail the unit heads.

    Generating again replaces the files of the same unit, kind and start (idempotent).
    """
    with translation.override(language or settings.LANGUAGE_CODE):
        data = report_data(unit, period)
        pdf, xlsx = render_pdf(data), render_xlsx(data)
        with transaction.atomic():
            report = (
                EvaluationReport.objects.select_for_update()
                .filter(unit=unit, period_kind=period.kind, starts_on=period.start)
                .first()
            ) or EvaluationReport(unit=unit, period_kind=period.kind, starts_on=period.start)
            old = [f.name for f in (report.pdf, report.xlsx) if f]
            report.ends_on, report.generated_at, report.requested_by = (
                period.end,
                data["generated_at"],
                by,
            )
            report.pdf.save(report_filename(data, "pdf"), ContentFile(pdf), save=False)
            report.xlsx.save(report_filename(data, "xlsx"), ContentFile(xlsx), save=False)
            report.save()
            transaction.on_commit(lambda: _delete_files(report.pdf.storage, old))
            if notify:
                _notify_heads(report, data)
    return report


def _delete_files(storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)


def _notify_heads(report: EvaluationReport, data: dict) -> None:
    """E-mail the unit's supervisors a login-protected link to the new report."""
    heads = User.objects.filter(
        memberships__unit=report.unit, memberships__role=Role.SUPERVISOR, is_active=True
    ).exclude(email="")
    url = settings.SITE_URL.rstrip("/") + reverse("analytics:reports", args=[report.unit_id])
    stamp = int(report.generated_at.timestamp())
    for user in heads.distinct():
        notification_queue(
            channel=NotificationChannel.EMAIL,
            recipient=user.email,
            template="evaluation_report",
            reference=f"{report.unit_id}-{data['period'].key}",
            key=f"evaluation:{report.pk}:{stamp}:user:{user.pk}",
            context={"report": report, "unit": report.unit, "user": user, "url": url}
            | {"period_name": data["period_name"]},
        )


def evaluation_report_request(*, unit: Unit, period: Period, by) -> None:
    """Queue the generation of a report a unit head asked for; refuse a period not yet begun."""
    if not user_can(by, DASHBOARD_CAPABILITY, unit):
        raise ApplicationError(_("Your role may not do this on this unit."), code="forbidden")
    if period.start > timezone.localdate(timezone=unit.tz):
        raise ApplicationError(
            _("That period has not begun yet; choose one that has."), code="period"
        )
    from .tasks import generate_evaluation_report  # noqa: PLC0415 - tasks import services

    language = translation.get_language()
    transaction.on_commit(
        lambda: generate_evaluation_report.enqueue(
            unit.pk, period.kind, period.start.isoformat(), by.pk, language
        )
    )


def evaluation_reports_due(*, today=None) -> list[tuple[Unit, Period]]:
    """Return the (unit, period) reports whose period just ended and that do not exist yet."""
    today = today or timezone.localdate()
    ended = [p for p in periods.ended_by(today) if today - p.end <= SCHEDULE_WINDOW]
    have = set(
        EvaluationReport.objects.filter(starts_on__in=[p.start for p in ended]).values_list(
            "unit_id", "period_kind", "starts_on"
        )
    )
    return [
        (unit, period)
        for unit in Unit.objects.order_by("path")
        for period in ended
        if (unit.pk, period.kind, period.start) not in have
    ]
