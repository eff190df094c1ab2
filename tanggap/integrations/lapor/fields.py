"""What an import row may carry, the SP4N-LAPOR! preset, and the vocabularies of its values."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tanggap.cases.choices import Channel, ReportKind


class ImportFormat(models.TextChoices):
    LAPOR = "lapor", _("SP4N-LAPOR! export")
    GENERIC = "generic", _("Other spreadsheet (social media, legacy records)")


class Target(models.TextChoices):
    """A field of a report that a column can fill."""

    EXTERNAL_ID = "external_id", _("Id in the other system")
    RECEIVED_DATE = "received_date", _("Date received")
    RECEIVED_TIME = "received_time", _("Time received")
    KIND = "kind", _("Kind of report")
    CHANNEL = "channel", _("Channel")
    CATEGORY = "category", _("Category")
    TITLE = "title", _("Title")
    DESCRIPTION = "description", _("Report text")
    ANONYMOUS = "anonymous", _("Anonymous")
    CONFIDENTIAL = "confidential", _("Confidential")
    LOCATION = "location", _("Location")
    EXTERNAL_STATUS = "external_status", _("Status in the other system")
    STATUS_REASON = "status_reason", _("Reason for closing or archiving")
    DISPATCHED_TO = "dispatched_to", _("Agency it was dispatched to")


REQUIRED_TARGETS = (Target.RECEIVED_DATE, Target.DESCRIPTION)

# The columns of a LAPOR! "Laporan Ringkas" export, by the report field each fills.
LAPOR_MAPPING: dict[str, str] = {
    Target.EXTERNAL_ID: "tracking_id",
    Target.RECEIVED_DATE: "tanggal_masuk",
    Target.RECEIVED_TIME: "waktu_masuk",
    Target.KIND: "klasifikasi",
    Target.CHANNEL: "sumber_laporan",
    Target.CATEGORY: "kategori",
    Target.TITLE: "judul",
    Target.DESCRIPTION: "isi_laporan_akhir",
    Target.ANONYMOUS: "tipe_laporan",
    Target.CONFIDENTIAL: "rahasia",
    Target.EXTERNAL_STATUS: "status_laporan",
    Target.STATUS_REASON: "alasan_tunda_arsip",
    Target.DISPATCHED_TO: "instansi_terdisposisi",
}
# Without these a LAPOR! file cannot be imported honestly (the id keeps re-imports single).
LAPOR_REQUIRED = (
    Target.EXTERNAL_ID,
    Target.RECEIVED_DATE,
    Target.KIND,
    Target.TITLE,
    Target.DESCRIPTION,
    Target.EXTERNAL_STATUS,
)

# Header names of other files that mean a target, to pre-fill the mapping form.
SYNONYMS: dict[str, tuple[str, ...]] = {
    Target.EXTERNAL_ID: ("id", "no", "nomor", "tracking_id", "kode"),
    Target.RECEIVED_DATE: ("tanggal", "tanggal_masuk", "date", "received", "created_at"),
    Target.RECEIVED_TIME: ("waktu", "jam", "time", "waktu_masuk"),
    Target.KIND: ("jenis", "klasifikasi", "kind", "type"),
    Target.CHANNEL: ("kanal", "sumber", "sumber_laporan", "channel", "media"),
    Target.CATEGORY: ("kategori", "category", "topik"),
    Target.TITLE: ("judul", "title", "subject"),
    Target.DESCRIPTION: ("isi", "isi_laporan", "uraian", "text", "description", "pesan"),
    Target.ANONYMOUS: ("anonim", "anonymous", "tipe_laporan"),
    Target.CONFIDENTIAL: ("rahasia", "confidential"),
    Target.LOCATION: ("lokasi", "alamat_kejadian", "location", "kecamatan"),
    Target.EXTERNAL_STATUS: ("status", "status_laporan"),
    Target.STATUS_REASON: ("alasan", "alasan_tunda_arsip"),
    Target.DISPATCHED_TO: ("instansi_terdisposisi", "disposisi"),
}


def _vocabulary(groups: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {word: value for value, words in groups.items() for word in (value, *words)}


KINDS = _vocabulary(
    {
        ReportKind.COMPLAINT: (
            "pengaduan",
            "pengaduan berkadar pengawasan",
            "pengaduan tidak berkadar pengawasan",
            "aduan",
            "keluhan",
            "complaint",
        ),
        ReportKind.CRITICISM: ("kritik",),
        ReportKind.SUGGESTION: ("saran", "masukan", "saran/masukan", "aspirasi"),
        ReportKind.INFORMATION_REQUEST: (
            "permintaan informasi",
            "information request",
            "informasi",
        ),
        ReportKind.APPRECIATION: ("apresiasi", "pujian"),
    }
)

CHANNELS = _vocabulary(
    {
        Channel.WEB: ("website", "situs", "web form"),
        Channel.WALK_IN: ("tatap muka", "walk-in", "walk in", "datang langsung", "loket"),
        Channel.PHONE: ("telepon", "telpon", "hotline", "hotline service", "call center"),
        Channel.EMAIL: ("e-mail", "surel", "email instansi"),
        Channel.SMS: ("sms 1708",),
        Channel.WHATSAPP: ("wa",),
        Channel.SUGGESTION_BOX: ("kotak saran",),
        Channel.SOCIAL_MEDIA: (
            "media sosial",
            "social media",
            "instagram",
            "facebook",
            "twitter",
            "x",
            "tiktok",
            "youtube",
        ),
        Channel.LAPOR: ("sp4n-lapor!", "sp4n lapor", "lapor!", "android", "ios"),
    }
)

YES = frozenset({"1", "y", "ya", "yes", "true", "benar", "anonim", "anonymous", "rahasia"})
NO = frozenset({"", "0", "n", "tidak", "no", "false", "salah", "publik", "public", "biasa", "-"})
# A status that means the other system finished with the report.
CLOSED_WORDS = ("ditutup", "diarsipkan", "arsip", "selesai", "closed", "archived", "resolved")


def normal(value: str) -> str:
    """Return *value* trimmed, case-folded and with single spaces, for vocabulary look-ups."""
    return " ".join(value.split()).casefold()


def lapor_channel(value: str) -> str | None:
    """Return the channel of a LAPOR! "sumber_laporan"; its website and apps are LAPOR! itself."""
    word = normal(value)
    if word.startswith("website") or word in ("android", "ios", "aplikasi"):
        return Channel.LAPOR
    return CHANNELS.get(word)


def is_closed_status(value: str) -> bool:
    """Return whether a status of the other system says the report is finished there."""
    word = normal(value)
    return any(word.startswith(closed) for closed in CLOSED_WORDS)


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Return a mapping pre-filled from header names that match a target or its synonyms."""
    by_name = {normal(h).replace(" ", "_"): h for h in headers if h}
    found = {}
    for target in Target.values:
        for name in (target, *SYNONYMS.get(target, ())):
            if name in by_name and by_name[name] not in found.values():
                found[target] = by_name[name]
                break
    return found
