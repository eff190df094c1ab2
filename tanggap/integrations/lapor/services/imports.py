"""Writes of an import: upload, column mapping, dry run, confirmation and the batched run."""

import hashlib
import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tanggap.accounts.models import Category, Unit
from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import user_can
from tanggap.cases.choices import Channel, ReportKind
from tanggap.common.exceptions import ApplicationError
from tanggap.intake.models import Report

from ..fields import (
    LAPOR_MAPPING,
    LAPOR_REQUIRED,
    REQUIRED_TARGETS,
    ImportFormat,
    Target,
    guess_mapping,
    normal,
)
from ..models import Import, ImportRow, ImportStatus, RowStatus
from ..rows import RowContext, check_row
from ..tabular import read_table
from .records import report_import

logger = logging.getLogger(__name__)

WRITE_CHUNK = 1000
RUN_BATCH = 200
LAPOR_ZONE = "Asia/Jakarta"


def _require(user, unit: Unit) -> None:
    if not user_can(user, Capability.ENTER_REPORTS, unit):
        raise ApplicationError(_("You cannot enter reports for this unit."), code="forbidden")


def _file_error(exc: ValidationError) -> ApplicationError:
    return ApplicationError(" ".join(exc.messages), code=exc.code or "file")


@transaction.atomic
def import_upload(*, user, unit: Unit, fmt: str, name: str, data: bytes) -> Import:
    """Store an uploaded CSV or XLSX file for *unit* once its header can be read.

    A LAPOR! file must have the columns of a LAPOR! export; other files get a mapping
    guessed from their header names. Nothing is checked or imported yet.
    """
    _require(user, unit)
    if fmt not in ImportFormat.values:
        raise ApplicationError(_("Choose the kind of file."), code="format")
    try:
        table = read_table(data)
    except ValidationError as exc:
        raise _file_error(exc) from exc
    if fmt == ImportFormat.LAPOR:
        present = {normal(h) for h in table.headers}
        missing = [LAPOR_MAPPING[t] for t in LAPOR_REQUIRED if LAPOR_MAPPING[t] not in present]
        if missing:
            raise ApplicationError(
                _("This is not a SP4N-LAPOR! export: the columns %(names)s are missing.")
                % {"names": ", ".join(missing)},
                code="missing_columns",
            )
        by_name = {normal(h): h for h in table.headers}
        mapping = {t: by_name[c] for t, c in LAPOR_MAPPING.items() if c in by_name}
    else:
        mapping = guess_mapping(table.headers)
    batch = Import(
        unit=unit,
        fmt=fmt,
        file_name=(name or "upload")[-200:],
        file_type=table.file_type,
        encoding=table.encoding,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        headers=table.headers,
        mapping=mapping,
        default_kind=ReportKind.COMPLAINT,
        default_channel=Channel.LAPOR if fmt == ImportFormat.LAPOR else Channel.SOCIAL_MEDIA,
        uploaded_by=user,
    )
    batch.file.save(f"{batch.sha256}.{table.file_type}", ContentFile(data), save=False)
    batch.save()
    return batch


@transaction.atomic
def import_map(
    *, user, batch: Import, mapping: dict[str, str], default_kind: str, default_channel: str
) -> Import:
    """Save the column mapping and start the dry run, which imports nothing."""
    batch = Import.objects.select_for_update().get(pk=batch.pk)
    _require(user, batch.unit)
    if batch.status not in (ImportStatus.UPLOADED, ImportStatus.CHECKED, ImportStatus.REFUSED):
        raise ApplicationError(_("This import can no longer be changed."), code="state")
    mapping = {t: c for t, c in mapping.items() if c}
    unknown = [c for c in mapping.values() if c not in batch.headers]
    if set(mapping) - set(Target.values) or unknown:
        raise ApplicationError(_("Choose columns of the file."), code="mapping")
    required = LAPOR_REQUIRED if batch.fmt == ImportFormat.LAPOR else REQUIRED_TARGETS
    if missing := [Target(t).label for t in required if t not in mapping]:
        raise ApplicationError(
            _("Choose a column for: %(names)s.") % {"names": ", ".join(map(str, missing))},
            code="mapping_required",
        )
    if default_kind not in ReportKind.values or default_channel not in Channel.values:
        raise ApplicationError(_("Choose a valid value."), code="defaults")
    batch.mapping, batch.default_kind, batch.default_channel = (
        mapping,
        default_kind,
        default_channel,
    )
    batch.status, batch.problem = ImportStatus.CHECKING, {}
    batch.save(update_fields=["mapping", "default_kind", "default_channel", "status", "problem"])
    from ..tasks import import_check_task

    transaction.on_commit(lambda: import_check_task.enqueue(batch.pk))
    return batch


def import_check(*, batch_id: int, now: datetime | None = None) -> Import | None:
    """Run the dry run of a mapped import: check every row and store each result.

    Safe to run twice: the rows of an earlier check are replaced. A file that cannot be
    read is refused with its problem; no report is written either way.
    """
    with transaction.atomic():
        batch = Import.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.status != ImportStatus.CHECKING:
            return batch
        batch.rows.all().delete()
    try:
        counts = _check_rows(batch, now or timezone.now())
    except ValidationError as exc:
        with transaction.atomic():
            batch.rows.all().delete()
            batch.status = ImportStatus.REFUSED
            batch.problem = {"message": " ".join(exc.messages)[:500], "code": exc.code}
            batch.save(update_fields=["status", "problem", "updated_at"])
        return batch
    batch.status, batch.checked_at = ImportStatus.CHECKED, timezone.now()
    batch.row_count, batch.valid_count, batch.invalid_count, batch.skipped_count = counts
    batch.imported_count = batch.failed_count = 0
    batch.save()
    return batch


def _context(batch: Import, now: datetime) -> RowContext:
    from zoneinfo import ZoneInfo

    # LAPOR! is a national system keeping Jakarta time; other files are in the unit's time.
    tz = ZoneInfo(LAPOR_ZONE) if batch.fmt == ImportFormat.LAPOR else batch.unit.tz
    categories = {
        normal(name): pk
        for pk, name in Category.objects.filter(
            organisation_id=batch.unit.organisation_id, is_active=True
        ).values_list("pk", "name")
    }
    return RowContext(
        fmt=batch.fmt,
        organisation_id=batch.unit.organisation_id,
        tz=tz,
        now=now,
        categories=categories,
        default_kind=batch.default_kind or ReportKind.COMPLAINT,
        default_channel=batch.default_channel or Channel.LAPOR,
    )


def _check_rows(batch: Import, now: datetime) -> tuple[int, int, int, int]:
    with batch.file.open("rb") as handle:
        table = read_table(handle.read())
    index = {h: i for i, h in enumerate(table.headers)}
    columns = {t: c for t, c in batch.mapping.items() if c in index}
    ctx = _context(batch, now)
    seen: dict[tuple[str, str], int] = {}
    counts = {"rows": 0, RowStatus.VALID: 0, RowStatus.INVALID: 0, "skipped": 0, "notices": {}}
    pending: list[ImportRow] = []
    for number, cells in table.rows:
        checked = check_row({t: cells[index[c]] for t, c in columns.items()}, columns, ctx)
        row = ImportRow(
            batch=batch,
            number=number,
            status=RowStatus.INVALID if checked.errors else RowStatus.VALID,
            external_source=checked.source,
            external_ref=checked.key[:200],
            values=checked.values,
            errors=checked.errors,
            notices=checked.notices,
        )
        key = (row.external_source, row.external_ref)
        if row.status == RowStatus.VALID and (first := seen.setdefault(key, number)) != number:
            row.status, row.values = RowStatus.REPEATED, {}
            row.notices = [*row.notices, {"code": "repeated", "params": {"row": first}}]
        pending.append(row)
        if len(pending) >= WRITE_CHUNK:
            _write_checked(batch, pending, counts)
            pending = []
    _write_checked(batch, pending, counts)
    batch.notice_counts = counts["notices"]
    return counts["rows"], counts[RowStatus.VALID], counts[RowStatus.INVALID], counts["skipped"]


def _write_checked(batch: Import, rows: list[ImportRow], counts: dict) -> None:
    """Mark the rows already imported (here or elsewhere), then store the chunk."""
    refs = {(r.external_source, r.external_ref) for r in rows if r.status == RowStatus.VALID}
    found = {
        (s, ref): (pk, code, org)
        for s, ref, pk, code, org in Report.objects.filter(
            external_source__in={s for s, _r in refs}, external_ref__in={r for _s, r in refs}
        ).values_list(
            "external_source", "external_ref", "pk", "tracking_code", "unit__organisation_id"
        )
    }
    for row in rows:
        hit = found.get((row.external_source, row.external_ref))
        if row.status == RowStatus.VALID and hit:
            pk, code, org = hit
            if org != batch.unit.organisation_id:
                row.status, row.values = RowStatus.INVALID, {}
                row.errors = [{"code": "other_organisation", "params": {}}]
            else:
                row.status, row.values, row.report_id = RowStatus.EXISTING, {}, pk
                row.notices = [*row.notices, {"code": "exists", "params": {"code": code}}]
        if row.status == RowStatus.INVALID:
            # Never imported: the file keeps the row, no second copy of its text is needed.
            row.values = {}
        for code in {n["code"] for n in row.notices}:
            counts["notices"][code] = counts["notices"].get(code, 0) + 1
        counts["rows"] += 1
        if row.status in (RowStatus.VALID, RowStatus.INVALID):
            counts[row.status] += 1
        else:
            counts["skipped"] += 1
    ImportRow.objects.bulk_create(rows)


@transaction.atomic
def import_confirm(*, user, batch: Import) -> Import:
    """Confirm a checked import: its valid rows are then imported by the task, in batches."""
    batch = Import.objects.select_for_update().get(pk=batch.pk)
    _require(user, batch.unit)
    if batch.status != ImportStatus.CHECKED:
        raise ApplicationError(_("Only a checked import can be confirmed."), code="state")
    if not batch.valid_count:
        raise ApplicationError(_("No row of this file can be imported."), code="nothing")
    batch.status, batch.confirmed_by, batch.confirmed_at = (
        ImportStatus.IMPORTING,
        user,
        timezone.now(),
    )
    batch.save(update_fields=["status", "confirmed_by", "confirmed_at", "updated_at"])
    from ..tasks import import_run_task

    transaction.on_commit(lambda: import_run_task.enqueue(batch.pk))
    return batch


@transaction.atomic
def import_run_batch(*, batch_id: int, size: int = RUN_BATCH) -> int:
    """Import the next *size* valid rows of a confirmed import; return how many remain.

    Each row is written in its own savepoint, so one failing row is recorded as failed and
    the others go on. Running it twice imports nothing twice.
    """
    # of=("self",): lock the import only, not its unit (other imports and cases go on).
    locked = Import.objects.select_for_update(of=("self",)).select_related("unit")
    batch = locked.filter(pk=batch_id).first()
    if batch is None or batch.status != ImportStatus.IMPORTING:
        return 0
    rows = list(batch.rows.filter(status=RowStatus.VALID).order_by("number")[:size])
    categories = Category.objects.in_bulk({r.values.get("category_id") for r in rows} - {None})
    by = batch.confirmed_by
    for row in rows:
        _run_row(batch, row, categories, by)
    ImportRow.objects.bulk_update(rows, ["status", "report", "values", "errors"])
    imported = sum(r.status == RowStatus.IMPORTED for r in rows)
    batch.imported_count += imported
    batch.failed_count += len(rows) - imported
    remaining = batch.rows.filter(status=RowStatus.VALID).count()
    if not remaining:
        batch.status, batch.finished_at = ImportStatus.DONE, timezone.now()
    batch.save(
        update_fields=["imported_count", "failed_count", "status", "finished_at", "updated_at"]
    )
    return remaining


def _run_row(batch: Import, row: ImportRow, categories: dict, by) -> None:
    try:
        report, _created = report_import(
            unit=batch.unit,
            values=row.values,
            source=row.external_source,
            ref=row.external_ref,
            by=by,
            category=categories.get(row.values.get("category_id")),
            batch_id=batch.pk,
        )
    except ApplicationError as exc:
        row.status, row.errors = (
            RowStatus.FAILED,
            [{"code": "failed", "params": {"detail": str(exc.message)[:300]}}],
        )
        return
    except Exception:
        # Its savepoint is rolled back; one bad row must not block the rest of the file.
        logger.exception("import %s row %s failed", batch.pk, row.number)
        row.status, row.errors = (
            RowStatus.FAILED,
            [{"code": "failed", "params": {"detail": "internal error"}}],
        )
        return
    if report.unit.organisation_id != batch.unit.organisation_id:
        row.status, row.errors = RowStatus.FAILED, [{"code": "other_organisation", "params": {}}]
        return
    row.status, row.report, row.values = RowStatus.IMPORTED, report, {}
