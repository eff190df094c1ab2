"""Demo handling: walk the demo cases through the workflow so every state is on show.

DEMO DATA ONLY, loaded after ``demo_data`` by the ``demo_handling`` command. It adds the
supervisors replies need (kepala.dpmptsp; kepala.polres, since nobody else handles the
cases of Sat Lantas, Sat Intelkam and the Polres itself), SPKT's shift roster, reply
settings and templates, a routing rule, status labels and a deadline policy, then takes the
demo cases through the case and reply services with the clock moved back (time-machine,
a development dependency), so each case carries a plausible past. Every reply, note and
reason below is made-up Indonesian content, not interface text.
"""

import contextlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from tanggap.accounts.models import Category, Membership, Organisation, Unit, User
from tanggap.accounts.roles import Role
from tanggap.cases import workflow
from tanggap.cases.choices import (
    CaseStatus,
    Complexity,
    EventKind,
    FlagKind,
    Priority,
    RejectReason,
    ReportKind,
)
from tanggap.cases.models import (
    Case,
    CaseEvent,
    CaseFlag,
    DeadlinePolicy,
    RoutingRule,
    Shift,
    StatusLabel,
)
from tanggap.cases.tasks import sweep_cases
from tanggap.intake.demo import (
    DEMO_EMAIL_DOMAIN,
    DEMO_PASSWORD,
    DPMPTSP,
    INTELKAM,
    LANTAS,
    MPP,
    ORGANISATION_SLUGS,
    POLRES,
    REPORTS,
    SPKT,
    UNITS,
    DemoConflict,
    UserRow,
    can_backdate,
    demo_exists,
)
from tanggap.intake.models import Report

from .choices import ReplyStatus
from .models import Reply, ReplySettings, ReplyTemplate
from .services import (
    reply_approve,
    reply_draft_save,
    reply_submit,
    reply_template_render,
    verdict_record,
)

# Who acts in the stories below (the first three come from demo_data).
PS, KS, PD = "petugas.spkt", "kepala.spkt", "petugas.dpmptsp"
KD, KP = "kepala.dpmptsp", "kepala.polres"

NEW_USERS = (
    UserRow(KD, "Endang", "Susilowati", ((DPMPTSP, Role.SUPERVISOR),)),
    # Sat Lantas, Sat Intelkam and the Polres itself have no handler in demo_data; the
    # supervisor above them answers their cases and receives their escalations.
    UserRow(KP, "Yudi", "Kurniawan", ((POLRES, Role.SUPERVISOR),)),
)

# Shifts of 12 hours at SPKT, changing at 07:00 and 19:00 local time.
SHIFT_HOURS = 12
SHIFT_CHANGES = (7, 19)

# The letter of each replying unit; Sat Lantas and Sat Intelkam use the Polres's.
REPLY_SETTINGS = {
    DPMPTSP: {
        "requires_approval": True,
        "letterhead_agency": "PEMERINTAH KOTA CONTOH",
        "letterhead_unit": "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU",
        "place": "Kota Contoh",
        "number_format": "{seq}/PGD/{unit}/{roman_month}/{year}",
        "number_code": "DPMPTSP",
        "signer_name": "Endang Susilowati, S.T., M.M.",
        "signer_title": "Kepala Dinas Penanaman Modal dan PTSP",
        "signer_nip": "19750412 200003 2 004",
    },
    SPKT: {
        "requires_approval": False,
        "letterhead_agency": "KEPOLISIAN NEGARA REPUBLIK INDONESIA",
        "letterhead_unit": "RESOR KOTA CONTOH — SENTRA PELAYANAN KEPOLISIAN TERPADU",
        "place": "Kota Contoh",
        "number_format": "B/{seq}/{roman_month}/{year}/{unit}",
        "number_code": "SPKT",
        "signer_name": "Agus Prasetyo",
        "signer_title": "Kepala SPKT Polres Kota Contoh",
        "signer_nip": "79051234",
    },
    POLRES: {
        "requires_approval": False,
        "letterhead_agency": "KEPOLISIAN NEGARA REPUBLIK INDONESIA",
        "letterhead_unit": "RESOR KOTA CONTOH",
        "place": "Kota Contoh",
        "number_format": "B/{seq}/{roman_month}/{year}/{unit}",
        "number_code": "RES-KC",
        "signer_name": "Yudi Kurniawan",
        "signer_title": "Kepala Seksi Pengawasan Polres Kota Contoh",
        "signer_nip": "80071122",
    },
}

T_INFO = "Jawaban permintaan informasi perizinan"
T_PROGRESS = "Laporan sedang ditindaklanjuti"
T_THANKS = "Terima kasih atas apresiasi"
ANSWER_HERE = "[Tulis jawaban di sini.]"

# (organisation slug, name, text); the placeholders are filled in for each case.
TEMPLATES = (
    (
        DPMPTSP, T_INFO,
        "Yth. Bapak/Ibu,\n\n"
        "Terima kasih telah menghubungi {instansi} melalui laporan {kode} tentang "
        "“{judul}”.\n\n"
        f"{ANSWER_HERE}\n\n"
        "Bila masih ada yang kurang jelas, silakan datang ke loket informasi {unit} pada jam "
        "kerja atau balas melalui halaman lacak laporan.\n\n"
        "Hormat kami,\n{unit}",
    ),
    (
        POLRES, T_PROGRESS,
        "Laporan {kode} tentang “{judul}” telah kami terima dan sedang ditindaklanjuti oleh "
        "{unit}. Perkembangan berikutnya akan kami sampaikan melalui halaman lacak laporan. "
        "Terima kasih atas kesabaran Anda.\n\n{instansi}, {tanggal}",
    ),
    (
        POLRES, T_THANKS,
        "Terima kasih atas apresiasi yang Anda sampaikan melalui laporan {kode}. Apresiasi ini "
        "telah kami teruskan kepada petugas {unit} sebagai penyemangat untuk terus memberikan "
        "pelayanan terbaik.\n\nHormat kami,\n{instansi}",
    ),
)  # fmt: skip

# (organisation slug, status, Indonesian label, English label)
STATUS_LABELS = (
    (DPMPTSP, CaseStatus.IN_PROGRESS, "Sedang diproses petugas", "Being processed"),
    (DPMPTSP, CaseStatus.RESPONDED, "Sudah dijawab, menunggu tanggapan Anda",
     "Answered, waiting for your response"),
)  # fmt: skip

# OSS problems go to the OSS help desk at the Mal Pelayanan Publik.
ROUTING_RULE = ("Kendala OSS → gerai OSS di MPP", DPMPTSP, "Sistem OSS / aplikasi", MPP, PD)


@dataclass(frozen=True)
class Ago:
    """A moment *hours* before now (otherwise a step's time is counted from receipt)."""

    hours: float


@dataclass
class HandlingResult:
    cases: int
    tracking_code: str
    existing_users: list[str]
    sweep: dict = field(default_factory=dict)


def handling_exists() -> bool:
    """Return whether the demo handling was loaded (its DPMPTSP reply settings exist)."""
    return ReplySettings.objects.filter(unit__slug=DPMPTSP).exists()


@contextlib.contextmanager
def _clock_at(when: datetime):
    """Freeze the clock at *when*; without time-machine every action happens now."""
    if not can_backdate():
        yield
        return
    import time_machine  # a development dependency, so imported only here

    with time_machine.travel(when, tick=False):
        yield


class _Walk:
    """One demo case taken through the services, each step at its own past moment."""

    def __init__(self, case: Case, people: dict[str, User], now: datetime):
        self.case, self.people, self.now = case, people, now
        self.report = Report.objects.get(case=case)
        self.last = case.received_at

    def _moment(self, at) -> datetime:
        """Return the step's moment: after the case's last step, a minute before now at most."""
        if isinstance(at, Ago):
            when = self.now - timedelta(hours=at.hours)
        else:
            when = self.case.received_at + timedelta(hours=at)
        when = min(max(when, self.last + timedelta(minutes=1)), self.now - timedelta(minutes=1))
        self.last = max(when, self.last)
        return self.last

    @contextlib.contextmanager
    def _at(self, at):
        with _clock_at(self._moment(at)):
            yield
        self.case = Case.objects.select_related("unit", "organisation").get(pk=self.case.pk)

    def verify(self, who, at, *, complexity=None, note=""):
        with self._at(at):
            workflow.case_verify(
                case=self.case, by=self.people[who], complexity=complexity, note=note
            )

    def assign(self, who, at, *, unit=None, officer=None, note=""):
        with self._at(at):
            workflow.case_assign(
                case=self.case,
                by=self.people[who],
                unit=Unit.objects.get(slug=unit) if unit else None,
                officer=self.people[officer] if officer else None,
                note=note,
            )

    def start(self, who, at):
        with self._at(at):
            workflow.case_start(case=self.case, by=self.people[who])

    def request_information(self, who, at, message):
        with self._at(at):
            workflow.case_request_information(case=self.case, by=self.people[who], message=message)

    def reject(self, who, at, *, note, forwarded_to):
        with self._at(at):
            workflow.case_reject(
                case=self.case,
                by=self.people[who],
                reason=RejectReason.NOT_WITHIN_AUTHORITY,
                note=note,
                forwarded_to=forwarded_to,
            )

    def archive(self, who, at, note):
        with self._at(at):
            workflow.case_archive(case=self.case, by=self.people[who], note=note)

    def reply(self, who, at, body="", *, final=True, template="", approver="", approved_at=None):
        """Write and send a reply; where the unit needs approval, *approver* approves it later.

        With a *template*, its filled-in text is the reply (*body* replaces ANSWER_HERE).
        Without an approver at a unit that needs one, the reply waits for approval.
        """
        with self._at(at):
            chosen = None
            if template:
                chosen = ReplyTemplate.objects.get(
                    organisation_id=self.case.organisation_id, name=template
                )
                filled = reply_template_render(template=chosen, case=self.case)
                body = filled.replace(ANSWER_HERE, body) if body else filled
            author = self.people[who]
            reply = reply_draft_save(
                case=self.case, by=author, body=body, is_final=final, template=chosen
            )
            reply = reply_submit(reply=reply, by=author)
        if approver:
            with self._at(approved_at):
                reply_approve(reply=reply, by=self.people[approver])

    def verdict(self, at, *, rating, comment="", accept=True):
        with self._at(at):
            verdict_record(report=self.report, rating=rating, comment=comment, accept=accept)


# The stories, by report title: what the unit did with each demo case, and when (hours after
# receipt, or Ago(hours) before now). Cases not named stay "received", untouched.
def _antrean_skck(w: _Walk):
    # The case whose tracking code and PIN demo_data prints: answered, open for the rating.
    w.verify(
        KP,
        20,
        complexity=Complexity.INSPECTION,
        note="Perlu pengecekan jadwal dan jumlah petugas loket SKCK.",
    )
    w.assign(
        KP, 21, unit=INTELKAM, officer=KP, note="Saya tangani langsung bersama Kasat Intelkam."
    )
    w.start(KP, 22)
    w.reply(KP, 30, final=False, template=T_PROGRESS)
    w.reply(
        KP,
        Ago(3),
        (
            "Yth. Pelapor,\n\n"
            "Terima kasih atas laporan Anda. Setelah kami periksa, antrean panjang terjadi karena "
            "satu petugas loket SKCK sedang cuti sementara jumlah pemohon meningkat menjelang "
            "pendaftaran CPNS. Sejak minggu ini loket SKCK dibuka dua loket mulai pukul 07.30 WIB, "
            "dan pendaftaran SKCK daring kembali diaktifkan sehingga pemohon cukup datang untuk "
            "verifikasi sidik jari dan pengambilan.\n\n"
            "Mohon berikan penilaian Anda atas jawaban ini melalui halaman lacak laporan."
        ),
    )


def _syarat_ktp(w: _Walk):
    w.reply(
        PS,
        1.5,
        (
            "Syarat Surat Keterangan Tanda Lapor Kehilangan (SKTLK) untuk KTP: fotokopi Kartu "
            "Keluarga dan, bila ada, fotokopi KTP yang hilang. Sebaiknya pemilik KTP datang "
            "sendiri; bila diwakilkan suami, bawa surat kuasa bermeterai dan Kartu Keluarga yang "
            "memuat nama Anda berdua. Layanan SPKT buka 24 jam dan tidak dipungut biaya."
        ),
    )
    w.verdict(20, rating=5, comment="Jelas, terima kasih.")


def _sim_c_cepat(w: _Walk):
    w.reply(KP, 26, template=T_THANKS)
    w.verdict(30, rating=5)


def _petugas_piket(w: _Walk):
    w.verify(KS, 2, note="Keluhan perilaku petugas piket malam; perlu klarifikasi.")
    w.assign(KS, 2.2, officer=KS, note="Saya tangani sendiri: klarifikasi petugas piket.")
    w.start(KS, 2.4)
    w.reply(
        KS,
        40,
        (
            "Yth. Pelapor,\n\n"
            "Terima kasih atas laporan Anda. Petugas piket yang bertugas pada malam itu telah "
            "kami klarifikasi dan diberi teguran oleh Kepala SPKT. Mulai pekan ini kami menambah "
            "satu petugas pada piket malam agar pelapor tidak menunggu tanpa penjelasan. Mohon "
            "maaf atas ketidaknyamanan yang Anda alami."
        ),
    )
    w.verdict(60, rating=4, comment="Terima kasih sdh ditindaklanjuti.")


def _kursi_skck(w: _Walk):
    w.verify(KP, 24)
    w.assign(KP, 25, unit=INTELKAM, note="Mohon tambah kursi dan ganti kipas yang mati.")
    w.reply(
        KP,
        70,
        (
            "Terima kasih atas masukannya. Sebanyak 20 kursi tambahan telah ditempatkan di ruang "
            "tunggu SKCK dan kipas angin yang rusak sudah diganti."
        ),
    )
    # No answer comes (a suggestion-box note leaves no contact): the sweep resolves it.


def _penipuan_online(w: _Walk):
    w.reply(
        PS,
        1,
        (
            "Laporan penipuan jual beli online dapat dibuat di SPKT Polres Kota Contoh, tidak "
            "harus ke Polda. Bawa KTP, bukti transfer, tangkapan layar percakapan dan iklan, serta "
            "nomor rekening dan nomor telepon penjual. Segera hubungi bank Anda untuk meminta "
            "pemblokiran rekening tujuan."
        ),
    )
    w.verdict(26, rating=4)


def _sim_sabtu(w: _Walk):
    w.verify(KP, 14)
    w.assign(
        KP,
        15,
        unit=LANTAS,
        note="Kasat Lantas: mohon kaji layanan perpanjangan SIM hari Sabtu s.d. 15.00.",
    )


def _sktlk_balik(w: _Walk):
    w.verify(PS, 1)
    w.assign(PS, 1.2, officer=PS)
    w.start(PS, 1.3)
    w.reply(
        PS,
        6,
        (
            "Yth. Pelapor,\n\n"
            "SKTLK Anda sudah ditandatangani dan dapat diambil di Loket SPKT 1 kapan saja. Mulai "
            "hari ini SKTLK dapat ditandatangani oleh perwira piket, sehingga pemohon tidak perlu "
            "kembali lagi ketika Kepala SPKT tidak di tempat. Mohon maaf atas ketidaknyamanannya."
        ),
    )
    w.verdict(28, rating=3, comment="Suratnya sdh sy ambil, tp sebaiknya dr awal tdk bolak-balik.")


def _parkiran(w: _Walk):
    w.verify(KP, 22)
    w.assign(KP, 23, officer=KP)
    w.start(KP, 23.5)
    w.reply(
        KP,
        50,
        final=False,
        body=(
            "Terima kasih atas masukannya. Mulai Senin dua anggota Sat Samapta mengatur parkir di "
            "halaman Polres pada pukul 07.00–10.00 WIB. Untuk parkir di bahu jalan kami sedang "
            "berkoordinasi dengan Dinas Perhubungan; perkembangannya akan kami sampaikan."
        ),
    )


def _uang_map(w: _Walk):
    w.verify(
        KP,
        18,
        complexity=Complexity.INSPECTION,
        note="Dugaan pungli; identitas pelapor dirahasiakan.",
    )
    w.assign(
        KP,
        19,
        unit=INTELKAM,
        officer=KP,
        note="Koordinasi dengan Si Propam untuk pemeriksaan petugas loket.",
    )
    w.start(KP, 20)
    # No reply yet: the first-reply deadline passes and the sweep escalates it.


def _hp_ketemu(w: _Walk):
    w.reply(PS, 3, template=T_THANKS)
    w.archive(
        KS,
        26,
        "Apresiasi telah kami sampaikan kepada petugas SPKT dan Unit Reskrim. "
        "Laporan ini kami arsipkan. Terima kasih.",
    )


def _sim_a_baru(w: _Walk):
    w.reply(
        KP,
        14,
        (
            "Syarat SIM A baru: KTP elektronik asli dan fotokopinya, surat keterangan sehat "
            "jasmani dari dokter, dan surat hasil tes psikologi. Tes psikologi dapat dilakukan di "
            "lembaga psikologi di samping gedung Satpas. Ketentuan sertifikat sekolah mengemudi "
            "dan jadwal ujian dapat ditanyakan di loket informasi Satpas."
        ),
    )
    w.verdict(40, rating=4)


def _jambret(w: _Walk):
    w.verify(PS, 1)
    w.assign(KS, 2, officer=PS, note="Koordinasikan patroli malam dengan Sat Samapta.")
    w.start(PS, 3)
    # In progress without a reply: overdue by now.


def _skck_online(w: _Walk):
    w.verify(KP, 26)
    w.assign(KP, 27, unit=INTELKAM, note="Mohon kaji pengaktifan kembali pendaftaran daring.")


def _ac_satpas(w: _Walk):
    w.verify(KP, 3)
    w.assign(KP, 4, unit=LANTAS, note="Mohon cek AC ruang tunggu Satpas dan ajukan perbaikan.")


def _lp_perkembangan(w: _Walk):
    w.verify(PS, 1)
    w.assign(PS, 1.1, officer=PS)
    w.request_information(
        PS,
        2,
        (
            "Mohon kirimkan nomor Laporan Polisi (LP) dan tanggal pembuatannya, agar kami dapat "
            "menanyakan perkembangan penanganannya (SP2HP) kepada penyidik."
        ),
    )


def _loket_skck_sabar(w: _Walk):
    w.verify(KP, 4, note="Apresiasi untuk petugas loket SKCK; sampaikan ke Kasat Intelkam.")


def _pbg_rumah(w: _Walk):
    w.verify(KD, 24)
    w.assign(KD, 25, officer=PD, note="Cek berkas di SIMBG dan koordinasikan dengan TPA/TPT.")
    w.start(PD, 26)
    w.reply(
        PD,
        96,
        (
            "Yth. Bapak/Ibu,\n\n"
            "Berkas PBG Anda tertahan karena gambar struktur belum ditandatangani tenaga ahli. "
            "Tim Profesi Ahli telah menjadwalkan konsultasi pada hari Kamis pukul 09.00 WIB di "
            "kantor DPMPTSP. PBG diperkirakan terbit 7 hari kerja setelah perbaikan gambar "
            "diunggah ke SIMBG. Mohon maaf atas keterlambatan informasi."
        ),
        approver=KD,
        approved_at=100,
    )
    w.verdict(130, rating=4, comment="Sdh ada kejelasan, terima kasih.")


def _pbg_ruko(w: _Walk):
    w.reply(
        PD,
        20,
        (
            "Untuk ruko dua lantai diperlukan: dokumen kepemilikan tanah, KTP pemohon, gambar "
            "arsitektur, struktur dan utilitas yang disusun oleh perencana bersertifikat, serta "
            "KKPR. Permohonan diajukan melalui SIMBG; setelah dokumen lengkap, konsultasi dengan "
            "Tim Profesi Ahli dan penerbitan PBG memerlukan paling lama 28 hari kerja."
        ),
        template=T_INFO,
        approver=KD,
        approved_at=23,
    )
    # No answer comes: the sweep resolves it once the reply window passes.


def _login_oss(w: _Walk):
    w.verify(KD, 2)
    w.assign(KD, 3, officer=PD, note="Bantu pemohon langsung; cek status akun OSS.")
    w.start(PD, 4)
    w.reply(
        PD,
        28,
        (
            "Yth. Bapak/Ibu,\n\n"
            "Kendala login terjadi karena akun OSS Anda terkunci setelah beberapa kali salah kata "
            "sandi. Petugas kami telah mengajukan pemulihan akun melalui helpdesk OSS dan akun "
            "Anda sudah aktif kembali. Untuk kendala serupa, silakan datang ke Loket 2 Perizinan "
            "untuk pendampingan langsung."
        ),
        approver=KD,
        approved_at=30,
    )
    w.verdict(50, rating=3, comment="Akhirnya bisa, tp sempat disuruh pulang dulu.")


def _pegangan_tangga(w: _Walk):
    w.verify(KD, 24)
    w.assign(KD, 25, officer=PD, note="Koordinasi dengan Subbag Umum untuk pemasangan.")
    w.start(PD, 26)
    w.reply(
        PD,
        140,
        (
            "Terima kasih atas sarannya. Pegangan tangga menuju ruang konsultasi lantai 2 telah "
            "dipasang. Bagi pemohon lansia dan penyandang disabilitas, konsultasi kini juga dapat "
            "dilakukan di ruang layanan lantai 1."
        ),
        approver=KD,
        approved_at=144,
    )


def _nib_sehari(w: _Walk):
    w.reply(
        PD,
        20,
        (
            "Terima kasih atas apresiasi Anda. Apresiasi ini telah kami sampaikan kepada petugas "
            "Loket 2 Perizinan. Semoga usaha katering Anda semakin berkembang."
        ),
        approver=KD,
        approved_at=22,
    )
    w.verdict(30, rating=5, comment="Sama2, sukses terus.")


def _konsultan_rekanan(w: _Walk):
    # Answered, then contested by the reporter: reopened and escalated to the supervisor.
    w.verify(KD, 16, note="Sensitif: dugaan pengarahan ke konsultan tertentu.")
    w.assign(KD, 17, officer=PD)
    w.start(PD, 18)
    w.reply(
        PD,
        70,
        (
            "Terima kasih atas pertanyaan Anda. DPMPTSP tidak mewajibkan penggunaan jasa "
            "konsultan; pemohon bebas memilih perencana yang memiliki sertifikat keahlian. "
            "DPMPTSP tidak memiliki daftar konsultan rekanan."
        ),
        approver=KD,
        approved_at=72,
    )
    w.verdict(
        100,
        rating=2,
        accept=False,
        comment=(
            "Jawaban ini tdk menjelaskan berapa biaya resmi (retribusi) PBG dan tdk menjawab "
            "kenapa petugas menyarankan konsultan tertentu. Mohon ditindaklanjuti."
        ),
    )


def _slf_kantor(w: _Walk):
    w.verify(KD, 22)
    w.assign(KD, 23, officer=PD, note="Cek jadwal pemeriksaan lapangan SLF.")


def _ac_mpp(w: _Walk):
    w.verify(PD, 2)
    w.assign(KD, 3, unit=MPP, officer=PD, note="Koordinasi dengan pengelola gedung MPP.")
    w.start(PD, 4)
    w.reply(
        PD,
        24,
        final=False,
        body=(
            "Terima kasih atas laporannya. Pengelola gedung telah memasang penampung air dan rambu "
            "lantai basah di depan loket. Penggantian pipa pembuangan AC dijadwalkan oleh teknisi "
            "pengelola gedung; perkembangannya akan kami sampaikan."
        ),
        approver=KD,
        approved_at=26,
    )


def _usaha_mikro(w: _Walk):
    w.reply(
        PD,
        18,
        (
            "Usaha kue rumahan termasuk usaha mikro dan cukup memiliki NIB, yang terbit gratis "
            "melalui OSS. Bila kesulitan, petugas Loket 2 Perizinan dapat membantu pendaftaran; "
            "bawa KTP dan NPWP (bila ada). Untuk penjualan pangan olahan, sertifikat PIRT "
            "diajukan setelah NIB terbit."
        ),
        template=T_INFO,
        approver=KD,
        approved_at=20,
    )
    w.verdict(30, rating=5, comment="Mantap, makasih infonya.")


def _pembaca_layar(w: _Walk):
    w.verify(KD, 3, note="Aksesibilitas formulir; prioritaskan.")
    w.assign(KD, 4, officer=PD)
    w.start(PD, 5)
    # The reply waits in kepala.dpmptsp's approval queue.
    w.reply(
        PD,
        Ago(20),
        (
            "Yth. Bapak/Ibu,\n\n"
            "Terima kasih atas masukan Anda. Mulai hari ini petugas Loket Layanan Disabilitas siap "
            "mendampingi pengisian formulir, dan formulir elektronik yang dapat dibaca pembaca "
            "layar sedang kami siapkan bersama pengelola aplikasi."
        ),
    )


def _petugas_jutek(w: _Walk):
    w.verify(KD, 18)
    w.assign(KD, 19, officer=PD, note="Klarifikasi petugas Loket 1 Informasi.")


def _notifikasi_wa(w: _Walk):
    w.reject(
        PD,
        5,
        forwarded_to="Kementerian Investasi/BKPM (pengelola sistem OSS RBA)",
        note=(
            "Fitur notifikasi status permohonan perizinan berusaha merupakan bagian dari sistem "
            "OSS RBA yang dikelola Kementerian Investasi/BKPM, sehingga usulan Anda telah kami "
            "teruskan ke sana. Sementara itu status permohonan dapat dipantau melalui akun OSS "
            "Anda."
        ),
    )


STORIES: dict[str, Callable[[_Walk], None]] = {
    "Antrean SKCK panjang bgt, loket cuma 1": _antrean_skck,
    "Syarat surat kehilangan KTP": _syarat_ktp,
    "Perpanjang SIM C cepet, mantap": _sim_c_cepat,
    # "Ada calo SIM di parkiran Satpas": left untouched, overdue
    "Petugas piket kurang ramah": _petugas_piket,
    "Kursi ruang tunggu SKCK kurang": _kursi_skck,
    "Cara lapor penipuan jual beli online": _penipuan_online,
    "Usul loket SIM buka Sabtu sampai sore": _sim_sabtu,
    "SKTLK blm jadi, disuruh balik lg": _sktlk_balik,
    "Parkiran Polres semrawut": _parkiran,
    "Diminta 'uang map' waktu ambil SKCK": _uang_map,
    "Terima kasih, HP yg dicuri sdh ketemu": _hp_ketemu,
    "Syarat bikin SIM A baru": _sim_a_baru,
    "Sering ada jambret di gang dkt pasar": _jambret,
    "Pendaftaran SKCK online tolong diaktifkan": _skck_online,
    "AC ruang tunggu SIM mati": _ac_satpas,
    "Laporan polisi blm ada perkembangan": _lp_perkembangan,
    "Petugas loket SKCK sabar": _loket_skck_sabar,
    "PBG rumah tinggal sdh 2 bulan blm terbit": _pbg_rumah,
    "Persyaratan PBG utk ruko 2 lantai": _pbg_ruko,
    "Tdk bisa login OSS sdh 3 hari": _login_oss,
    "Tangga ke lantai 2 tdk ada pegangan": _pegangan_tangga,
    "NIB jadi dlm sehari, makasih": _nib_sehari,
    "Disarankan pakai konsultan 'rekanan' utk PBG": _konsultan_rekanan,
    "SLF gedung kantor tdk ada kabar": _slf_kantor,
    "AC di atas loket MPP bocor": _ac_mpp,
    "Izin usaha mikro utk jualan kue online": _usaha_mikro,
    "Formulir tdk bisa dibaca pembaca layar": _pembaca_layar,
    "Petugas loket informasi jutek": _petugas_jutek,
    "Notifikasi status izin lwt WA": _notifikasi_wa,
}

DEMO_TITLE = next(row.title for row in REPORTS if row.demo)


def handling_load() -> HandlingResult:
    """Set up the handling demo and walk the demo cases; then run the deadline sweep once.

    The caller checks handling_exists first. The load is one transaction; the sweep, at the
    real now, runs after it like the task worker would.
    """
    result = _load()
    result.sweep = sweep_cases.call()
    return result


@transaction.atomic
def _load() -> HandlingResult:
    if not demo_exists():
        raise DemoConflict(_("Load the demo data first: run “manage.py demo_data”."))
    now = timezone.now()
    cases = _planned_cases()
    units = {unit.slug: unit for unit in Unit.objects.filter(slug__in=[r.slug for r in UNITS])}
    existing = _ensure_users(units)
    people = {u.username: u for u in User.objects.filter(username__in=[PS, KS, PD, KD, KP])}
    missing = sorted({PS, KS, PD, KD, KP} - people.keys())
    if missing:
        raise DemoConflict(
            _("These demo accounts are missing: %(names)s.") % {"names": ", ".join(missing)}
        )
    _configure(units, people, now)
    for title, story in STORIES.items():
        story(_Walk(cases[title], people, now))
    return HandlingResult(
        cases=len(STORIES),
        tracking_code=Report.objects.get(case=cases[DEMO_TITLE]).tracking_code,
        existing_users=existing,
    )


def _planned_cases() -> dict[str, Case]:
    """Return the demo cases the stories walk; refuse when one is gone or was handled."""
    found: dict[str, list[Case]] = {}
    for case in Case.objects.filter(
        organisation__slug__in=ORGANISATION_SLUGS, title__in=STORIES
    ).select_related("unit", "organisation"):
        found.setdefault(case.title, []).append(case)
    problems = [title for title in STORIES if len(found.get(title, [])) != 1]
    problems += [
        title
        for title, matches in found.items()
        if len(matches) == 1 and matches[0].status != CaseStatus.RECEIVED
    ]
    if problems:
        raise DemoConflict(
            _(
                "These demo cases are missing, duplicated or already handled: %(titles)s. "
                "Load the handling demo onto freshly loaded demo data."
            )
            % {"titles": "; ".join(sorted(set(problems)))}
        )
    return {title: matches[0] for title, matches in found.items()}


def _ensure_users(units: dict[str, Unit]) -> list[str]:
    """Create the missing demo supervisors; return those that existed (with their role)."""
    existing = []
    for row in NEW_USERS:
        user = User.objects.filter(username=row.username).first()
        if user is None:
            user = User(
                username=row.username,
                first_name=row.first_name,
                last_name=row.last_name,
                email=f"{row.username}@{DEMO_EMAIL_DOMAIN}",
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            for unit_slug, role in row.memberships:
                Membership.objects.create(user=user, unit=units[unit_slug], role=role)
            continue
        for unit_slug, role in row.memberships:
            if not Membership.objects.filter(user=user, unit=units[unit_slug], role=role).exists():
                raise DemoConflict(
                    _(
                        "The user %(name)s exists but is not %(role)s at %(unit)s; "
                        "the handling demo needs that account."
                    )
                    % {
                        "name": row.username,
                        "role": Role(role).label,
                        "unit": units[unit_slug].name,
                    }
                )
        existing.append(row.username)
    return existing


def _configure(units: dict[str, Unit], people: dict[str, User], now: datetime) -> None:
    """Create the reply settings and templates, roster, routing rule, labels and policy."""
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=ORGANISATION_SLUGS)}
    for slug, fields in REPLY_SETTINGS.items():
        ReplySettings.objects.get_or_create(unit=units[slug], defaults=fields)
    for org_slug, name, body in TEMPLATES:
        ReplyTemplate.objects.get_or_create(
            organisation=organisations[org_slug], name=name, defaults={"body": body}
        )
    for org_slug, status, label_id, label_en in STATUS_LABELS:
        StatusLabel.objects.get_or_create(
            organisation=organisations[org_slug],
            status=status,
            defaults={"label_id": label_id, "label_en": label_en},
        )
    name, org_slug, category, target, officer = ROUTING_RULE
    RoutingRule.objects.get_or_create(
        organisation=organisations[org_slug],
        name=name,
        defaults={
            "category": Category.objects.get(organisation__slug=org_slug, name=category),
            "target_unit": units[target],
            "target_officer": people[officer],
        },
    )
    # Urgent complaints at the 24-hour SPKT: verified at once, first reply within a day.
    DeadlinePolicy.objects.get_or_create(
        organisation=organisations[POLRES],
        unit=units[SPKT],
        kind=ReportKind.COMPLAINT,
        priority=Priority.URGENT,
        defaults={"verification_days": 0, "first_reply_days": 1, "reminder_hours": 2},
    )
    _roster(units[SPKT], people, now)


def _roster(unit: Unit, people: dict[str, User], now: datetime) -> None:
    """Put petugas.spkt on the shift running now and kepala.spkt on the next one."""
    local = timezone.localtime(now, unit.tz)
    early, late = SHIFT_CHANGES
    if early <= local.hour < late:
        start = local.replace(hour=early, minute=0, second=0, microsecond=0)
    else:
        day = local if local.hour >= late else local - timedelta(days=1)
        start = day.replace(hour=late, minute=0, second=0, microsecond=0)
    length = timedelta(hours=SHIFT_HOURS)
    Shift.objects.create(unit=unit, officer=people[PS], starts_at=start, ends_at=start + length)
    Shift.objects.create(
        unit=unit, officer=people[KS], starts_at=start + length, ends_at=start + 2 * length
    )


@dataclass
class HandlingSummary:
    statuses: list[tuple[str, int]]
    flags: list[tuple[str, int]]
    escalations: int
    reminders: int
    pending_approval: int


def handling_summary() -> HandlingSummary:
    """Count the demo cases by status, their flags by kind, escalations and reminders."""
    cases = Case.objects.filter(organisation__slug__in=ORGANISATION_SLUGS)
    by_status = Counter(dict(cases.values_list("status").annotate(n=Count("id"))))
    by_flag = Counter(
        dict(CaseFlag.objects.filter(case__in=cases).values_list("kind").annotate(n=Count("id")))
    )
    events = Counter(
        dict(
            CaseEvent.objects.filter(
                case__in=cases, kind__in=[EventKind.ESCALATED, EventKind.REMINDER]
            )
            .values_list("kind")
            .annotate(n=Count("id"))
        )
    )
    return HandlingSummary(
        statuses=[(s.label, by_status[s.value]) for s in CaseStatus if by_status[s.value]],
        flags=[(k.label, by_flag[k.value]) for k in FlagKind if by_flag[k.value]],
        escalations=events[EventKind.ESCALATED],
        reminders=events[EventKind.REMINDER],
        pending_approval=Reply.objects.filter(
            case__in=cases, status=ReplyStatus.PENDING_APPROVAL
        ).count(),
    )


def login_rows() -> list[tuple[str, str]]:
    """Return (user name, roles) for the accounts this demo adds."""
    names = {row.slug: row.name for row in UNITS}
    return [
        (
            row.username,
            "; ".join(f"{Role(role).label} @ {names[unit]}" for unit, role in row.memberships),
        )
        for row in NEW_USERS
    ]
