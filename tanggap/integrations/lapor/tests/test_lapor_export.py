"""The LAPOR! importer on the shared SP4N-LAPOR! export (1,108 real, de-identified rows)."""

import csv
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tanggap.cases.choices import CaseStatus, Channel, ReportKind
from tanggap.cases.models import CaseFlag
from tanggap.intake.models import Report
from tanggap.integrations.lapor.fields import is_closed_status
from tanggap.integrations.lapor.models import ImportStatus, RowStatus

pytestmark = pytest.mark.django_db


def test_the_shared_export_imports_once_keeping_ids_dates_and_closed_statuses(
    officer, spkt, lapor_export, dry_run, confirm
):
    # given the real export, read as the importer must read it
    data = lapor_export.read_bytes()
    with lapor_export.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    closed = sum(is_closed_status(r["status_laporan"]) for r in rows)

    # when it is dry-run
    batch = dry_run(officer, spkt, data, name="reports.csv")

    # then every row is accepted and nothing is imported yet
    assert batch.status == ImportStatus.CHECKED, batch.problem
    assert (batch.row_count, batch.valid_count, batch.invalid_count) == (len(rows), len(rows), 0)
    assert not Report.objects.exists()
    # and the remarks say how many rows LAPOR! had finished (to be archived here)
    assert batch.notice_counts["closed"] == closed

    # when it is confirmed
    batch = confirm(officer, batch)

    # then each row is one report keyed by its tracking id, received when LAPOR! says
    assert batch.status == ImportStatus.DONE
    assert batch.imported_count == len(rows) and batch.failed_count == 0
    assert Report.objects.filter(external_source="lapor").count() == len(rows)
    sample = rows[0]
    report = Report.objects.select_related("case").get(external_ref=sample["tracking_id"])
    received = datetime.fromisoformat(f"{sample['tanggal_masuk']}T{sample['waktu_masuk']}")
    assert report.case.received_at == received.replace(tzinfo=ZoneInfo("Asia/Jakarta"))
    assert report.created_at == report.case.received_at
    assert report.channel == Channel.LAPOR
    assert report.is_anonymous == (sample["tipe_laporan"] == "Anonim")
    # and the reports LAPOR! had finished are archived, with no deadline and no flag
    archived = Report.objects.filter(case__status=CaseStatus.ARCHIVED)
    assert archived.count() == closed
    assert not archived.filter(case__due_at__isnull=False).exists()
    assert not CaseFlag.objects.filter(case__reports__in=archived).exists()
    kinds = set(Report.objects.values_list("kind", flat=True))
    assert ReportKind.INFORMATION_REQUEST in kinds and ReportKind.SUGGESTION in kinds

    # when the same file is imported again
    again = dry_run(officer, spkt, data, name="reports (1).csv")

    # then every row is found already imported and nothing can be confirmed
    assert (again.valid_count, again.skipped_count) == (0, len(rows))
    assert again.rows.filter(status=RowStatus.EXISTING).count() == len(rows)
    assert Report.objects.count() == len(rows)
