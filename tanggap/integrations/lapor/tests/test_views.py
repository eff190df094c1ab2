"""The import and export screens through the Django test client."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tanggap.intake.models import Report
from tanggap.intake.tests.factories import submit_report
from tanggap.integrations.lapor.fields import ImportFormat
from tanggap.integrations.lapor.models import Import, ImportStatus
from tanggap.integrations.lapor.services import import_confirm, import_run_batch
from tanggap.responses.services.replies import reply_draft_save, reply_publish

from .conftest import csv_bytes, lapor_row

pytestmark = pytest.mark.django_db


def upload(client, unit, data, *, fmt=ImportFormat.LAPOR, name="laporan.csv"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse("imports:list"), {"fmt": fmt, "unit": unit.pk, "file": file})


def map_columns(client, batch, **changes):
    form = {f"col_{t}": c for t, c in batch.mapping.items()}
    form |= {"default_kind": batch.default_kind, "default_channel": batch.default_channel}
    return client.post(reverse("imports:detail", args=[batch.pk]), form | changes)


def test_an_officer_uploads_reads_the_dry_run_in_english_and_confirms(
    client, officer, spkt, django_capture_on_commit_callbacks
):
    # given an officer reading in English and a LAPOR! file with one bad date
    client.force_login(officer)
    client.cookies["django_language"] = "en"
    data = csv_bytes([lapor_row("1"), lapor_row("2", tanggal_masuk="kemarin")])

    # when the file is uploaded, then its mapping is shown pre-filled
    response = upload(client, spkt, data)
    batch = Import.objects.get()
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'value="tracking_id" selected' in page.text

    # when the dry run runs, then the page lists the bad row's error in English
    with django_capture_on_commit_callbacks(execute=True):
        assert map_columns(client, batch).status_code == 302
    page = client.get(reverse("imports:detail", args=[batch.pk]))
    assert "“kemarin” is not a date" in page.text
    assert not Report.objects.exists()

    # when the officer confirms, then the valid row is imported
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE and batch.imported_count == 1
    assert Report.objects.get().external_ref == "1"


def test_a_bad_upload_is_answered_with_the_reason_and_stores_nothing(client, officer, spkt):
    client.force_login(officer)
    with translation.override("en"):
        response = upload(client, spkt, b"\x00\x01binary\xff\xfe" * 10, name="foto.csv")
    assert response.status_code == 400
    assert not Import.objects.exists()


def test_another_units_import_is_404(client, officer, spkt, other_officer):
    # given an import of the police desk
    client.force_login(officer)
    upload(client, spkt, csv_bytes([lapor_row()]))
    batch = Import.objects.get()

    # when an officer of another organisation asks for it, then it does not exist for them
    client.force_login(other_officer)
    assert client.get(reverse("imports:detail", args=[batch.pk])).status_code == 404
    assert client.post(reverse("imports:confirm", args=[batch.pk])).status_code == 404
    assert batch.pk not in [b.pk for b in client.get(reverse("imports:list")).context["imports"]]


def test_roles_without_the_capability_get_404(client, auditor):
    client.force_login(auditor)
    assert client.get(reverse("imports:list")).status_code == 404
    # an auditor sees cases but does not handle them, so cannot export them either
    assert client.get(reverse("imports:export")).status_code == 404


def publish(case, officer, body):
    reply = reply_draft_save(case=case, by=officer, body=body, is_final=True)
    reply_publish(reply=reply, by=officer)


def export(client, unit, file_type="csv", lapor_only=""):
    today = timezone.localdate()
    params = {"unit": unit.pk, "start": today - timedelta(days=30), "end": today}
    params["file_type"] = file_type
    if lapor_only:
        params["lapor_only"] = "on"
    return client.get(reverse("imports:export"), params)


def test_the_export_answers_lapor_with_follow_ups_and_no_personal_data(
    client, officer, spkt, other_officer
):
    # given a case from LAPOR! with a published reply, and a walk-in case with a formula title
    from_lapor = submit_report(
        spkt, external_source="lapor", external_ref="5216807", name="Budi Santoso"
    ).report
    publish(from_lapor.case, officer, "Petugas loket sudah ditambah mulai Senin.")
    walk_in = submit_report(spkt, title='=HYPERLINK("http://x")', email="siti@example.com")
    client.force_login(officer)

    # when the unit exports its cases as CSV
    response = export(client, spkt)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = {r["kode_tanggap"]: r for r in csv.DictReader(io.StringIO(text))}

    # then the LAPOR! case is keyed by its tracking id and carries the reply as follow-up
    lapor = rows[from_lapor.case.reference]
    assert lapor["tracking_id"] == "5216807"
    assert lapor["tindak_lanjut"] == "Petugas loket sudah ditambah mulai Senin."
    assert lapor["status_final"] == "Diproses" and lapor["tanggal_tindak_lanjut"]
    # and a cell that would run as a formula is neutralised
    assert rows[walk_in.report.case.reference]["judul"].startswith("'=")
    # and no reporter's name, contact or report text leaves
    for secret in ("Budi Santoso", "budi@example.com", "siti@example.com", "Sdh antri"):
        assert secret not in text

    # when only LAPOR! cases are asked, as XLSX
    from openpyxl import load_workbook

    response = export(client, spkt, file_type="xlsx", lapor_only="on")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    values = list(sheet.iter_rows(values_only=True))

    # then the workbook holds the header and the one LAPOR! case
    assert values[0][0] == "tracking_id" and len(values) == 2
    assert values[1][0] == "5216807"

    # and another organisation's officer cannot export this unit
    client.force_login(other_officer)
    assert export(client, spkt).status_code == 404


def test_the_export_form_refuses_a_backwards_period(client, officer, spkt):
    client.force_login(officer)
    response = client.get(
        reverse("imports:export"),
        {"unit": spkt.pk, "start": "2025-02-01", "end": "2025-01-01", "file_type": "csv"},
    )
    assert response.status_code == 400


def test_a_running_import_shows_its_progress_and_reloads_itself(
    client, officer, spkt, dry_run, django_capture_on_commit_callbacks
):
    # given a confirmed import of two rows whose worker has done one batch of one row
    batch = dry_run(officer, spkt, csv_bytes([lapor_row("1"), lapor_row("2")]))
    with django_capture_on_commit_callbacks(execute=False):
        import_confirm(user=officer, batch=batch)
    import_run_batch(batch_id=batch.pk, size=1)
    client.force_login(officer)
    client.cookies["django_language"] = "en"

    # when the officer looks at it
    page = client.get(reverse("imports:detail", args=[batch.pk]))

    # then the page shows one of two rows done and asks the browser to reload it
    assert '<progress id="import-progress" max="2" value="1">' in page.text
    assert "1 of 2 rows imported" in page.text
    assert "data-refresh-seconds" in page.text and "lapor/refresh.js" in page.text


def test_a_case_lapor_had_finished_is_exported_with_lapors_own_status(
    client, officer, spkt, dry_run, confirm
):
    # given a LAPOR! report imported already archived there, received this week
    today = timezone.localdate()
    row = lapor_row(
        "8001",
        tanggal_masuk=(today - timedelta(days=2)).isoformat(),
        status_laporan="Diarsipkan oleh Pelapor",
        alasan_tunda_arsip="Laporan ini diarsipkan sesuai dengan keinginan Pelapor",
        instansi_terdisposisi="Satlantas Polres Contoh",
    )
    confirm(officer, dry_run(officer, spkt, csv_bytes([row])))
    client.force_login(officer)

    # when the unit exports its LAPOR! cases
    response = export(client, spkt, lapor_only="on")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    (exported,) = csv.DictReader(io.StringIO(text))

    # then LAPOR!'s status, reason and dispatch are given back as LAPOR! had them
    assert exported["tracking_id"] == "8001"
    assert exported["status_laporan"] == "Diarsipkan oleh Pelapor"
    assert exported["alasan_tunda_arsip"] == row["alasan_tunda_arsip"]
    assert exported["instansi_terdisposisi"] == "Satlantas Polres Contoh"
    assert exported["status_final"] == "Selesai" and exported["tipe_laporan"] == "Anonim"
