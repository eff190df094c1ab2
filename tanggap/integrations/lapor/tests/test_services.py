"""Imports through the services: dry runs with bad rows, confirmation, re-imports, LAPOR! rows."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from tanggap.cases.choices import CaseStatus, Channel, EventKind, ReportKind
from tanggap.cases.models import CaseFlag
from tanggap.common.exceptions import ApplicationError
from tanggap.intake.models import Report
from tanggap.intake.tests.factories import submit_report
from tanggap.integrations.lapor.fields import ImportFormat
from tanggap.integrations.lapor.models import Import, ImportStatus, RowStatus
from tanggap.integrations.lapor.rows import MESSAGES, describe
from tanggap.integrations.lapor.services import import_run_batch, import_upload

from .conftest import csv_bytes, lapor_row, xlsx_bytes

pytestmark = pytest.mark.django_db

GENERIC_HEADER = ["no", "tanggal", "jenis", "kanal", "judul", "isi"]


def generic(no, tanggal="2025-02-03 10:00", jenis="pengaduan", kanal="instagram", **kw):
    row = {"no": no, "tanggal": tanggal, "jenis": jenis, "kanal": kanal}
    return row | {"judul": kw.get("judul", f"Keluhan {no}"), "isi": kw.get("isi", "Jalan rusak.")}


def codes(batch, number):
    row = batch.rows.get(number=number)
    return [e["code"] for e in row.errors]


def test_dry_run_lists_each_bad_row_and_imports_only_the_valid_ones_once_confirmed(
    officer, spkt, dry_run, confirm
):
    # given a social-media sheet with one good row and one problem per bad row
    future = (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%d")
    data = csv_bytes(
        [
            generic("1"),
            generic("2", tanggal="31/02/2025"),
            generic("3", tanggal=future),
            generic("4", jenis="gosip"),
            generic("5", isi='=HYPERLINK("http://evil","klik")'),
            generic("6", isi=""),
            generic("7", kanal="merpati pos"),
            generic("8", tanggal="05/02/2025", jenis="Aspirasi", kanal=""),
        ]
    )

    # when it is dry-run
    batch = dry_run(officer, spkt, data, fmt=ImportFormat.GENERIC)

    # then each bad row has its own error, and nothing is imported
    assert batch.status == ImportStatus.CHECKED
    assert (batch.row_count, batch.valid_count, batch.invalid_count) == (8, 2, 6)
    assert codes(batch, 3) == ["bad_date"]
    assert codes(batch, 4) == ["future_date"]
    assert codes(batch, 5) == ["unknown_kind"]
    assert codes(batch, 6) == ["formula"]
    assert codes(batch, 7) == ["required"]
    assert codes(batch, 8) == ["unknown_channel"]
    assert not Report.objects.exists()

    # when it is confirmed
    batch = confirm(officer, batch)

    # then only the valid rows are reports, and every row's result stays for audit
    assert batch.status == ImportStatus.DONE and batch.imported_count == 2
    reports = Report.objects.order_by("id")
    assert [r.title for r in reports] == ["Keluhan 1", "Keluhan 8"]
    assert reports[0].channel == Channel.SOCIAL_MEDIA
    assert reports[1].kind == ReportKind.SUGGESTION and reports[1].channel == Channel.SOCIAL_MEDIA
    assert reports[0].case.received_at == datetime(2025, 2, 3, 10, tzinfo=spkt.tz)
    assert batch.rows.filter(status=RowStatus.INVALID).count() == 6
    assert batch.rows.get(number=2).report == reports[0]
    with batch.file.open("rb") as kept:
        assert kept.read() == data


def test_reimporting_a_file_without_an_id_column_creates_nothing_twice(
    officer, spkt, dry_run, confirm
):
    # given a file without ids, imported once (two identical rows count once)
    rows = [generic("1", judul="Lampu mati"), generic("2", judul="Sampah menumpuk")]
    rows.append(dict(rows[0]))
    header = ["tanggal", "jenis", "kanal", "judul", "isi"]
    data = csv_bytes([{k: r[k] for k in header} for r in rows])
    first = confirm(officer, dry_run(officer, spkt, data, fmt=ImportFormat.GENERIC))
    assert first.imported_count == 2
    assert first.rows.get(number=4).status == RowStatus.REPEATED

    # when the same records arrive again, in another encoding and order
    again = csv_bytes([{k: r[k] for k in header} for r in reversed(rows)], encoding="utf-8-sig")
    second = dry_run(officer, spkt, again, fmt=ImportFormat.GENERIC)

    # then they are recognised and nothing is left to import
    assert second.valid_count == 0 and second.skipped_count == 3
    with pytest.raises(ApplicationError) as caught:
        confirm(officer, second)
    assert caught.value.code == "nothing"
    assert Report.objects.count() == 2


def test_an_id_column_keys_rows_per_organisation(
    officer, spkt, other_officer, dpmptsp, dry_run, confirm
):
    # given the same legacy id imported by two organisations
    data = csv_bytes([generic("17")])
    confirm(officer, dry_run(officer, spkt, data, fmt=ImportFormat.GENERIC))

    # when the other organisation imports its own row 17
    other = confirm(other_officer, dry_run(other_officer, dpmptsp, data, fmt=ImportFormat.GENERIC))

    # then both are recorded, each in its own unit
    assert other.imported_count == 1
    assert set(Report.objects.values_list("unit", flat=True)) == {spkt.pk, dpmptsp.pk}


def test_lapor_rows_keep_their_status_kind_channel_category_and_privacy(
    officer, spkt, dry_run, confirm
):
    # given LAPOR! rows: open, closed by the system, archived, secret, with an unknown category
    data = csv_bytes(
        [
            lapor_row("101"),
            lapor_row("102", status_laporan="Ditutup oleh Sistem", klasifikasi="Aspirasi"),
            lapor_row(
                "103",
                status_laporan="Diarsipkan oleh Admin",
                alasan_tunda_arsip="Tidak jelas",
                sumber_laporan="Hotline Service",
                tipe_laporan="",
                rahasia="True",
            ),
            lapor_row("104", kategori="Kategori asing", klasifikasi="", sumber_laporan="Pos Surat"),
        ]
    )

    # when it is dry-run and confirmed
    batch = confirm(officer, dry_run(officer, spkt, data))

    # then each keeps its LAPOR! tracking id as the external reference
    assert batch.imported_count == 4
    by_ref = {r.external_ref: r for r in Report.objects.select_related("case", "category")}
    open_one, closed, archived, unknown = (by_ref[i] for i in ("101", "102", "103", "104"))
    assert all(r.external_source == "lapor" for r in by_ref.values())
    # an open LAPOR! report is open here, its deadline counted from when LAPOR! received it
    assert open_one.case.status == CaseStatus.RECEIVED and open_one.case.due_at is not None
    assert open_one.case.received_at == datetime(2024, 3, 5, 9, 15, tzinfo=ZoneInfo("Asia/Jakarta"))
    assert open_one.category.name == "Pelayanan petugas"
    assert open_one.is_anonymous and not open_one.is_confidential
    assert open_one.channel == Channel.LAPOR
    # finished ones are archived with LAPOR!'s status, no deadline, no maladministration flag
    for report in (closed, archived):
        assert report.case.status == CaseStatus.ARCHIVED and report.case.due_at is None
        event = report.case.events.get(kind=EventKind.ARCHIVED)
        assert event.data["imported"] is True and not event.is_public
    assert closed.kind == ReportKind.SUGGESTION
    event = archived.case.events.get(kind=EventKind.ARCHIVED)
    assert event.data["external"]["status"] == "Diarsipkan oleh Admin"
    assert event.data["external"]["reason"] == "Tidak jelas"
    assert archived.is_confidential and archived.case.is_confidential
    assert not archived.is_anonymous and archived.channel == Channel.PHONE
    assert not CaseFlag.objects.exists()
    # an unknown category and an empty kind are imported with a remark, not refused
    assert unknown.category is None and unknown.kind == ReportKind.COMPLAINT
    notices = {n["code"] for n in batch.rows.get(external_ref="104").notices}
    assert notices == {"category_unmatched", "kind_default", "channel_default"}
    # the reporter's identity stays empty: LAPOR! exports carry none
    assert not any([open_one.reporter.name_enc, open_one.reporter.email_enc])


def test_a_lapor_file_missing_columns_is_refused_at_upload(officer, spkt):
    # given a LAPOR! export without its status column
    row = lapor_row()
    del row["status_laporan"]

    # when it is uploaded, then it is refused and nothing is stored
    with pytest.raises(ApplicationError) as caught:
        import_upload(
            user=officer, unit=spkt, fmt=ImportFormat.LAPOR, name="x.csv", data=csv_bytes([row])
        )
    assert caught.value.code == "missing_columns"
    assert "status_laporan" in caught.value.message
    assert not Import.objects.exists()


def test_a_lapor_id_held_by_another_organisation_is_an_error(
    officer, spkt, other_officer, dpmptsp, dry_run
):
    # given a LAPOR! report already imported by another organisation
    submit_report(dpmptsp, external_source="lapor", external_ref="555")

    # when this organisation dry-runs a file with the same tracking id
    batch = dry_run(officer, spkt, csv_bytes([lapor_row("555")]))

    # then the row is refused, not silently taken as "already imported"
    assert codes(batch, 2) == ["other_organisation"]


def test_windows_1252_and_xlsx_files_import_their_text_intact(officer, spkt, dry_run, confirm):
    # given the same kind of rows from an old Windows CSV and from a workbook
    legacy = csv_bytes([lapor_row("201", judul="Café “antri” lama")], encoding="cp1252")
    header = list(lapor_row())
    book = xlsx_bytes([header, list(lapor_row("202", judul="Dari XLSX").values())])

    # when both are imported
    for data, name in ((legacy, "lama.csv"), (book, "baru.xlsx")):
        confirm(officer, dry_run(officer, spkt, data, name=name))

    # then the text is what was typed
    titles = set(Report.objects.values_list("title", flat=True))
    assert titles == {"Café “antri” lama", "Dari XLSX"}
    assert Import.objects.get(file_name="lama.csv").encoding == "cp1252"


def test_a_refused_file_keeps_its_reason_and_imports_nothing(officer, spkt, dry_run):
    # given a file whose header reads but whose body is malformed
    data = csv_bytes([lapor_row()]) + b'"9,"broken\n'

    # when it is dry-run
    batch = dry_run(officer, spkt, data)

    # then it is refused with the reason, and no row or report is stored
    assert batch.status == ImportStatus.REFUSED
    assert batch.problem["code"] == "malformed"
    assert not batch.rows.exists() and not Report.objects.exists()


def test_roles_without_report_entry_cannot_import(auditor, spkt):
    with pytest.raises(ApplicationError) as caught:
        import_upload(
            user=auditor, unit=spkt, fmt="lapor", name="x.csv", data=csv_bytes([lapor_row()])
        )
    assert caught.value.code == "forbidden"


def test_running_a_finished_import_again_changes_nothing(officer, spkt, dry_run, confirm):
    # given an imported file
    batch = confirm(officer, dry_run(officer, spkt, csv_bytes([lapor_row("301")])))

    # when its task runs once more (a retried worker)
    remaining = import_run_batch(batch_id=batch.pk)

    # then nothing more happens
    assert remaining == 0
    assert Report.objects.count() == 1


def test_mapping_must_name_the_required_columns(officer, spkt, dry_run):
    # given a generic file whose text column is not chosen
    with pytest.raises(ApplicationError) as caught:
        dry_run(officer, spkt, csv_bytes([generic("1")]), fmt="generic", mapping={"title": "judul"})
    assert caught.value.code == "mapping_required"


def test_row_problems_read_in_the_reader_language():
    # given a problem stored as a code with its parameters
    problem = {"code": "unknown_kind", "params": {"value": "gosip"}}

    # then it is a sentence in whichever language reads it
    with translation.override("en"):
        assert describe(problem) == "Unknown kind of report “gosip”."
    with translation.override("id"):
        assert describe(problem) == gettext("Unknown kind of report “%(value)s”.") % {
            "value": "gosip"
        }
    # and a code the reader does not know still reads as a sentence
    assert describe({"code": "nonsense"}).startswith(str(MESSAGES["failed"]).split(":")[0])
