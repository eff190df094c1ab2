"""Cases and their follow-ups as rows in the column shape of a SP4N-LAPOR! export.

No personal data leaves: no reporter identity or contact, no reporter region, and no report
text (citizens write names and addresses into it; LAPOR! holds its own reports' texts). The
follow-up is the unit's published replies, which never carry the reporter's identity.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from zoneinfo import ZoneInfo

from tanggap.cases.choices import CaseStatus, Complexity, ReportKind

from .tabular import neutralise

LAPOR_ZONE = ZoneInfo("Asia/Jakarta")

COLUMNS = (
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
    # Beyond LAPOR!'s shape: what answers it, and our own reference to find the case again.
    "tindak_lanjut",
    "tanggal_tindak_lanjut",
    "kode_tanggap",
)

# Our statuses in the simplified words of LAPOR!'s status_final column.
STATUS_FINAL = {
    CaseStatus.RECEIVED: "Belum Terverifikasi",
    CaseStatus.WAITING_CITIZEN: "Menunggu",
    CaseStatus.RESOLVED: "Selesai",
    CaseStatus.REJECTED: "Selesai",
    CaseStatus.WITHDRAWN: "Selesai",
    CaseStatus.ARCHIVED: "Selesai",
}
STATUS_LAPOR = {
    CaseStatus.RECEIVED: "Belum Terverifikasi",
    CaseStatus.WAITING_CITIZEN: "Menunggu Kelengkapan Informasi",
    CaseStatus.RESOLVED: "Ditutup oleh Admin",
    CaseStatus.REJECTED: "Diarsipkan oleh Admin",
    CaseStatus.WITHDRAWN: "Diarsipkan oleh Sistem",
    CaseStatus.ARCHIVED: "Diarsipkan oleh Admin",
}
SOURCES = {
    "web": "Website",
    "walk_in": "Tatap Muka",
    "phone": "Hotline Service",
    "email": "Email Instansi",
    "sms": "SMS",
    "whatsapp": "Whatsapp",
    "suggestion_box": "Kotak Saran",
    "social_media": "Media Sosial",
    "lapor": "SP4N-LAPOR!",
    "api": "API",
    "open311": "Open311",
}


def klasifikasi(case) -> str:
    """Return LAPOR!'s classification of *case*: pengaduan split by supervision content."""
    if case.kind == ReportKind.COMPLAINT:
        if case.complexity == Complexity.INSPECTION:
            return "Pengaduan Berkadar Pengawasan"
        if case.complexity:
            return "Pengaduan Tidak Berkadar Pengawasan"
        return "Pengaduan"
    if case.kind == ReportKind.INFORMATION_REQUEST:
        return "Permintaan Informasi"
    return "Aspirasi"


def case_row(case) -> list[str]:
    """Return one export row of *case* (see ``selectors.export_cases`` for what it carries)."""
    received = case.received_at.astimezone(LAPOR_ZONE)
    replies = getattr(case, "follow_ups", [])
    closed = (getattr(case, "imported_close", None) or [None])[0]
    external = (closed.data.get("external") or {}) if closed else {}
    refs = [r.external_ref for r in getattr(case, "lapor_refs", [])]
    last = replies[-1].published_at.astimezone(LAPOR_ZONE) if replies else None
    confidential = case.is_confidential
    row = {
        "tracking_id": refs[0] if refs else "",
        "tanggal_masuk": received.date().isoformat(),
        "waktu_masuk": received.strftime("%H:%M:%S"),
        "klasifikasi": klasifikasi(case),
        "kategori": case.category.name if case.category_id else "",
        # A confidential (rahasia) case keeps even its title out of files.
        "judul": "" if confidential else case.title,
        "tipe_laporan": "Anonim" if getattr(case, "is_anonymous", False) else "",
        "sumber_laporan": SOURCES.get(case.channel, case.channel),
        "instansi_induk": case.unit.name,
        "instansi_terdisposisi": external.get("dispatched_to") or case.unit.name,
        "status_laporan": external.get("status") or STATUS_LAPOR.get(case.status, "Diproses"),
        "alasan_tunda_arsip": external.get("reason", ""),
        "status_final": STATUS_FINAL.get(case.status, "Diproses"),
        "rahasia": "True" if confidential else "False",
        "tindak_lanjut": "\n\n".join(r.body for r in replies),
        "tanggal_tindak_lanjut": last.date().isoformat() if last else "",
        "kode_tanggap": case.reference,
    }
    return [neutralise(str(row.get(column, ""))) for column in COLUMNS]


def csv_lines(cases: Iterable) -> Iterator[str]:
    """Yield the export as CSV text, a line at a time, with a BOM so Excel reads UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    yield "\ufeff" + _drain(buffer)
    for case in cases:
        writer.writerow(case_row(case))
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    value = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate(0)
    return value


def xlsx_bytes(cases: Iterable) -> bytes:
    """Return the export as an XLSX workbook, written in streaming mode."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("laporan")
    sheet.append(list(COLUMNS))
    for case in cases:
        sheet.append(case_row(case))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
