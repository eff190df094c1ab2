"""Files to import, built in the test, and the shared SP4N-LAPOR! export when it is present."""

import csv
import io
import os
from pathlib import Path

import pytest
from django.conf import settings

from tanggap.integrations.lapor.fields import ImportFormat
from tanggap.integrations.lapor.services import import_confirm, import_map, import_upload

# The shared data sits beside the checkout (as for `insights_evaluate`), or where
# $TANGGAP_SHARED_DATA says.
SHARED_DATA = Path(
    os.environ.get("TANGGAP_SHARED_DATA") or Path(settings.BASE_DIR).parent / "shared" / "data"
)
LAPOR_EXPORT = SHARED_DATA / "sp4n-lapor-kab-bandung" / "reports.csv"

LAPOR_HEADER = [
    "tracking_id",
    "tanggal_masuk",
    "waktu_masuk",
    "klasifikasi",
    "id_kategori",
    "kategori",
    "judul",
    "isi_laporan_akhir",
    "tipe_laporan",
    "sumber_laporan",
    "instansi_induk",
    "instansi_terdisposisi",
    "status_laporan",
    "alasan_tunda_arsip",
    "provinsi",
    "kota_kabupaten",
    "status_final",
    "kecamatan_final",
    "rahasia",
]


def lapor_row(tracking_id="9000001", **overrides) -> dict:
    """Return one made-up row in the shape of a LAPOR! export."""
    row = dict.fromkeys(LAPOR_HEADER, "")
    row |= {
        "tracking_id": tracking_id,
        "tanggal_masuk": "2024-03-05",
        "waktu_masuk": "09:15:00",
        "klasifikasi": "Pengaduan Tidak Berkadar Pengawasan",
        "kategori": "Pelayanan petugas",
        "judul": "Antrian SKCK lama",
        "isi_laporan_akhir": "Sdh antri dr pagi tp loket blm buka.",
        "tipe_laporan": "Anonim",
        "sumber_laporan": "Website",
        "instansi_terdisposisi": "Polres Contoh",
        "status_laporan": "Menunggu Kelengkapan Informasi",
        "rahasia": "False",
    }
    return row | overrides


def csv_bytes(rows: list[dict], *, encoding="utf-8", delimiter=",", header=None) -> bytes:
    """Return *rows* as CSV in *encoding* ("utf-8-sig" writes a BOM)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header or list(rows[0]), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    """Return *rows* (the first is the header) as an XLSX workbook."""
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def dry_run(django_capture_on_commit_callbacks):
    """Return a function that uploads a file, maps it and runs the dry run (the task runs)."""

    def run(user, unit, data, *, fmt=ImportFormat.LAPOR, mapping=None, name="laporan.csv"):
        batch = import_upload(user=user, unit=unit, fmt=fmt, name=name, data=data)
        with django_capture_on_commit_callbacks(execute=True):
            import_map(
                user=user,
                batch=batch,
                mapping=mapping if mapping is not None else batch.mapping,
                default_kind=batch.default_kind,
                default_channel=batch.default_channel,
            )
        batch.refresh_from_db()
        return batch

    return run


@pytest.fixture
def confirm(django_capture_on_commit_callbacks):
    """Return a function that confirms a checked import and lets every batch run."""

    def run(user, batch):
        with django_capture_on_commit_callbacks(execute=True):
            import_confirm(user=user, batch=batch)
        batch.refresh_from_db()
        return batch

    return run


@pytest.fixture
def lapor_export():
    """Return the shared LAPOR! export's path; skip when this machine does not have it."""
    if not LAPOR_EXPORT.exists():
        pytest.skip(f"the shared SP4N-LAPOR! export is not at {LAPOR_EXPORT}")
    return LAPOR_EXPORT
