"""Demo data for a newcomer's first look: two organisations, one account per role, ~36 reports.

DEMO DATA ONLY. Every account shares the password ``demo12345`` and every name, number and
address is made up. The ``demo_data`` command refuses to run when DEBUG is off unless forced,
so none of this should ever reach a production database.

Reports go through ``report_submit`` like any channel; ``time_machine`` moves the clock back
around each call so the cases carry past receipt times and deadlines.
"""

import contextlib
import importlib.util
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from tanggap.accounts.models import (
    Category,
    Counter,
    Membership,
    Organisation,
    Service,
    Unit,
    UnitClosure,
    User,
)
from tanggap.accounts.roles import Capability, Role
from tanggap.accounts.scoping import user_can
from tanggap.cases.choices import OFFICER_CHANNELS, Channel, ReportKind

from .models import SuggestionBox
from .services import ReportInput, Submission, report_submit
from .uploads import CleanFile, clean_upload

DEMO_PASSWORD = "demo12345"  # noqa: S105 - shared password of the demo accounts only
DEMO_EMAIL_DOMAIN = "demo.tanggap.example"

POLRES = "polres-kota-contoh"
DPMPTSP = "dpmptsp-kota-contoh"
SPKT = "spkt-polres-kota-contoh"
LANTAS = "sat-lantas-polres-kota-contoh"
INTELKAM = "sat-intelkam-polres-kota-contoh"
MPP = "mpp-kota-contoh"

ORGANISATIONS = (
    (POLRES, "Polres Kota Contoh"),
    (DPMPTSP, "DPMPTSP Kota Contoh"),
)
ORGANISATION_SLUGS = tuple(slug for slug, _name in ORGANISATIONS)


class UnitRow(NamedTuple):
    slug: str
    organisation: str
    parent: str | None
    name: str
    address: str
    phone: str
    latitude: str
    longitude: str
    open_24h: bool = False
    working_weekdays: str = "0,1,2,3,4"


# Parents come before their sub-units. All units are in WIB (the model default).
UNITS = (
    UnitRow(
        POLRES, POLRES, None, "Polres Kota Contoh",
        "Jl. Bhayangkara No. 1, Kota Contoh", "(031) 0000-1100", "-7.265300", "112.742500",
    ),
    UnitRow(
        SPKT, POLRES, POLRES, "SPKT Polres Kota Contoh",
        "Jl. Bhayangkara No. 1 (gedung depan), Kota Contoh", "(031) 0000-1110",
        "-7.265150", "112.742700", open_24h=True, working_weekdays="0,1,2,3,4,5,6",
    ),
    UnitRow(
        LANTAS, POLRES, POLRES, "Sat Lantas",
        "Jl. Raya Satpas No. 8, Kota Contoh", "(031) 0000-1120", "-7.289100", "112.734200",
        working_weekdays="0,1,2,3,4,5",
    ),
    UnitRow(
        INTELKAM, POLRES, POLRES, "Sat Intelkam (SKCK)",
        "Jl. Bhayangkara No. 1 (gedung B), Kota Contoh", "(031) 0000-1130",
        "-7.265600", "112.742100", working_weekdays="0,1,2,3,4,5",
    ),
    UnitRow(
        DPMPTSP, DPMPTSP, None, "DPMPTSP Kota Contoh",
        "Jl. Pahlawan No. 17, Kota Contoh", "(031) 0000-2200", "-7.245900", "112.737800",
    ),
    UnitRow(
        MPP, DPMPTSP, DPMPTSP, "Mal Pelayanan Publik",
        "Gedung Graha Contoh Lt. 2, Jl. Merdeka No. 5, Kota Contoh", "(031) 0000-2210",
        "-7.260500", "112.749700",
    ),
)  # fmt: skip

# (unit slug, code, name)
SERVICES = (
    (SPKT, "laporan-polisi", "Laporan Polisi"),
    (SPKT, "sktlk", "Surat Keterangan Tanda Lapor Kehilangan (SKTLK)"),
    (SPKT, "pengaduan-masyarakat", "Pengaduan Masyarakat"),
    (LANTAS, "sim-perpanjangan", "SIM A/C Perpanjangan"),
    (LANTAS, "sim-baru", "SIM Baru"),
    (INTELKAM, "skck", "SKCK"),
    (DPMPTSP, "pbg", "Persetujuan Bangunan Gedung (PBG)"),
    (DPMPTSP, "nib", "Nomor Induk Berusaha (NIB)"),
    (DPMPTSP, "izin-usaha-mikro", "Izin Usaha Mikro"),
    (DPMPTSP, "slf", "Sertifikat Laik Fungsi"),
)

# (unit slug, globally unique code, name, serves disability)
COUNTERS = (
    (SPKT, "polres-kota-contoh-spkt-1", "Loket SPKT 1", False),
    (SPKT, "polres-kota-contoh-spkt-2", "Loket SPKT 2", False),
    (DPMPTSP, "dpmptsp-kota-contoh-loket-1", "Loket 1 Informasi", False),
    (DPMPTSP, "dpmptsp-kota-contoh-loket-2", "Loket 2 Perizinan", False),
    (DPMPTSP, "dpmptsp-kota-contoh-disabilitas", "Loket Layanan Disabilitas", True),
)

CATEGORIES = (
    (POLRES, "Pelayanan petugas"),
    (POLRES, "Waktu pelayanan"),
    (POLRES, "Biaya / pungutan"),
    (POLRES, "Sarana dan prasarana"),
    (POLRES, "Prosedur dan persyaratan"),
    (POLRES, "Informasi"),
    (POLRES, "Keamanan dan ketertiban"),
    (DPMPTSP, "Perizinan bangunan"),
    (DPMPTSP, "Perizinan berusaha"),
    (DPMPTSP, "Sistem OSS / aplikasi"),
    (DPMPTSP, "Waktu penyelesaian"),
    (DPMPTSP, "Biaya / pungutan"),
    (DPMPTSP, "Sarana dan prasarana"),
    (DPMPTSP, "Pelayanan petugas"),
)

# (unit slug, closure reason); the day is the next Friday after today.
CLOSURES = ((DPMPTSP, "Pemeliharaan gedung"),)


class UserRow(NamedTuple):
    username: str
    first_name: str
    last_name: str
    memberships: tuple[tuple[str, str], ...]
    is_staff: bool = False
    is_superuser: bool = False


BOXES = (
    (SPKT, "spkt-lobi", "Kotak saran lobi SPKT", "Lobi SPKT, dekat pintu masuk"),
    (DPMPTSP, "dpmptsp-mpp", "Kotak saran Mal Pelayanan Publik", "Ruang tunggu MPP, lantai 1"),
)

USERS = (
    UserRow("petugas.spkt", "Rudi", "Hartono", ((SPKT, Role.OFFICER),)),
    UserRow("kepala.spkt", "Agus", "Prasetyo", ((SPKT, Role.SUPERVISOR),)),
    UserRow("petugas.dpmptsp", "Siti", "Rahmawati", ((DPMPTSP, Role.OFFICER),)),
    UserRow("admin.polres", "Dewi", "Lestari", ((POLRES, Role.UNIT_ADMIN),), is_staff=True),
    UserRow("auditor", "Hendra", "Wijaya", ((POLRES, Role.AUDITOR), (DPMPTSP, Role.AUDITOR))),
    UserRow("surveyor.dpmptsp", "Nur", "Aini", ((DPMPTSP, Role.SURVEYOR),)),
    UserRow("admin", "Admin", "Demo", (), is_staff=True, is_superuser=True),
)

# What admin.polres needs in the Django admin; the admin screens scope it to its units.
# view_user lets the membership form's user autocomplete answer.
UNIT_ADMIN_PERMISSIONS = (
    *(
        f"{action}_{model}"
        for model in ("unit", "service", "counter", "unitclosure", "membership")
        for action in ("view", "add", "change")
    ),
    "view_user",
)

K = ReportKind
C = Channel

# Reports that need staff present (a counter, a phone line, a box emptied) fall on working days.
STAFFED_CHANNELS = (Channel.WALK_IN, Channel.PHONE, Channel.SUGGESTION_BOX)


class ReportRow(NamedTuple):
    unit: str
    kind: str
    channel: str
    days_ago: int
    at: str  # local time "HH:MM" (WIB)
    title: str
    description: str
    service: str = ""  # service code on the same unit
    category: str = ""  # category name of the unit's organisation
    counter: str = ""
    name: str = ""
    phone: str = ""
    email: str = ""
    anonymous: bool = False
    confidential: bool = False
    location: str = ""
    latitude: str = ""
    longitude: str = ""
    photo: str = ""  # a generated picture with this file name (.png or .jpg)
    demo: bool = False  # its tracking code and PIN are printed for /lacak/


# Made-up reports in the informal style citizens write in; walk-in and phone reports are
# entered by the unit's officer.
REPORTS = (
    ReportRow(
        INTELKAM, K.COMPLAINT, C.WEB, 27, "13:05",
        "Antrean SKCK panjang bgt, loket cuma 1",
        "Sy datang jam 7 pagi utk buat SKCK baru, dpt nomor antrean 112. Sampai jam 12 baru "
        "dipanggil, padahal yg buka cuma 1 loket. Mohon ditambah petugasnya pak, banyak yg "
        "hrs izin kerja seharian cuma buat ngurus ini.",
        service="skck", category="Waktu pelayanan", name="Budi Santoso",
        phone="0812-0000-1234", email="budi.santoso@contoh.example",
        location="Ruang tunggu SKCK Polres Kota Contoh", latitude="-7.265610",
        longitude="112.742090", photo="antrean-skck.jpg", demo=True,
    ),
    ReportRow(
        SPKT, K.INFORMATION_REQUEST, C.WHATSAPP, 25, "19:42",
        "Syarat surat kehilangan KTP",
        "Permisi, mau tanya utk bikin surat keterangan hilang KTP syaratnya apa aja ya? Hrs "
        "bawa fotokopi KK tdk? Trus bisa diwakilkan suami atau hrs sy sendiri yg dtg? Trims.",
        service="sktlk", category="Prosedur dan persyaratan", name="Rina Marlina",
        phone="0813-0000-2211",
    ),
    ReportRow(
        LANTAS, K.APPRECIATION, C.WEB, 23, "10:20",
        "Perpanjang SIM C cepet, mantap",
        "Kemarin perpanjang SIM C di Satpas, dr daftar sampai SIM jadi gak sampe 1 jam. "
        "Petugasnya ramah, dijelasin jg cara daftar antrean online. Pertahankan ya!",
        service="sim-perpanjangan", category="Pelayanan petugas", name="Andi Wijaya",
        email="andi.wijaya@contoh.example",
    ),
    ReportRow(
        LANTAS, K.COMPLAINT, C.WEB, 21, "07:55",
        "Ada calo SIM di parkiran Satpas",
        "Tiap pagi ada org yg nawarin 'jalur cepat' SIM baru bayar 700rb di parkiran depan "
        "Satpas, katanya kenal orang dalam. Sy tdk mau sebut nama krn takut. Tolong "
        "ditertibkan, kasihan yg ikut ujian resmi malah gagal terus.",
        service="sim-baru", category="Biaya / pungutan", anonymous=True, confidential=True,
        location="Parkiran depan Satpas Sat Lantas", latitude="-7.289240",
        longitude="112.734050",
    ),
    ReportRow(
        SPKT, K.COMPLAINT, C.WALK_IN, 20, "22:10",
        "Petugas piket kurang ramah",
        "Pelapor dtg ke SPKT mau lapor motor hilang. Menurut pelapor petugas piket sibuk main "
        "HP, jawabnya ketus, dan pelapor disuruh nunggu hampir 1 jam tanpa penjelasan. "
        "Pelapor minta petugas tsb ditegur.",
        service="pengaduan-masyarakat", category="Pelayanan petugas",
        counter="polres-kota-contoh-spkt-1", name="Slamet Riyadi", phone="0857-0000-3344",
    ),
    ReportRow(
        INTELKAM, K.CRITICISM, C.SUGGESTION_BOX, 19, "15:30",
        "Kursi ruang tunggu SKCK kurang",
        "Ruang tunggu SKCK sempit, kursinya kurang. Bnyk ibu2 bawa anak kecil sampe berdiri. "
        "Kipas anginnya jg mati satu.",
        category="Sarana dan prasarana", anonymous=True,
    ),
    ReportRow(
        SPKT, K.INFORMATION_REQUEST, C.PHONE, 18, "09:15",
        "Cara lapor penipuan jual beli online",
        "Penelepon tanya apakah laporan penipuan jual beli online bisa dibuat di Polres atau "
        "hrs ke Polda. Uang 2,5jt sdh ditransfer, penjual tdk bisa dihubungi lg.",
        service="laporan-polisi", category="Informasi", name="Yuliana Sari",
        phone="0811-0000-5566",
    ),
    ReportRow(
        LANTAS, K.SUGGESTION, C.WEB, 17, "21:03",
        "Usul loket SIM buka Sabtu sampai sore",
        "Sbg karyawan swasta sy susah izin kerja. Kalau bisa loket perpanjangan SIM hari Sabtu "
        "buka sampai jam 3 sore. Terima kasih.",
        service="sim-perpanjangan", category="Waktu pelayanan", name="Fajar Nugroho",
        email="fajar.n@contoh.example",
    ),
    ReportRow(
        SPKT, K.COMPLAINT, C.EMAIL, 16, "08:47",
        "SKTLK blm jadi, disuruh balik lg",
        "Sy lapor kehilangan dompet isi STNK dan kartu ATM 2 hari lalu, katanya surat "
        "keterangan bisa ditunggu. Tapi sy disuruh balik lg krn yg tanda tangan tdk ada. Sy "
        "butuh surat itu utk urus kartu ATM ke bank, mohon dibantu.",
        service="sktlk", category="Waktu pelayanan", name="Dian Permata",
        email="dian.permata@contoh.example",
    ),
    ReportRow(
        POLRES, K.CRITICISM, C.WEB, 15, "12:12",
        "Parkiran Polres semrawut",
        "Parkir motor di halaman Polres penuh dan gk ada yg ngatur, mobil pengunjung sampe "
        "parkir di bahu jalan. Bikin macet tiap jam 8-9 pagi.",
        category="Sarana dan prasarana", anonymous=True,
        location="Jl. Bhayangkara depan Polres", latitude="-7.265010", longitude="112.742880",
    ),
    ReportRow(
        INTELKAM, K.COMPLAINT, C.WHATSAPP, 14, "16:25",
        "Diminta 'uang map' waktu ambil SKCK",
        "Waktu ambil SKCK sy diminta uang map 20rb sama oknum di loket, padahal PNBP sdh sy "
        "bayar sesuai tarif resmi. Tdk dikasih kwitansi. Mohon ditindak dan nama sy "
        "dirahasiakan.",
        service="skck", category="Biaya / pungutan", name="Hadi Susanto",
        phone="0819-0000-7788", confidential=True,
    ),
    ReportRow(
        SPKT, K.APPRECIATION, C.WALK_IN, 12, "10:40",
        "Terima kasih, HP yg dicuri sdh ketemu",
        "Pelapor menyampaikan terima kasih, HP yg dicuri di angkot sdh ketemu 3 hari setelah "
        "lapor. Petugas SPKT dan unit Reskrim sigap.",
        service="laporan-polisi", category="Pelayanan petugas",
        counter="polres-kota-contoh-spkt-2", name="Wahyuni", phone="0878-0000-9012",
    ),
    ReportRow(
        LANTAS, K.INFORMATION_REQUEST, C.WEB, 11, "20:18",
        "Syarat bikin SIM A baru",
        "Mau tanya syarat buat SIM A baru apa aja? Sertifikat sekolah mengemudi wajib tdk? "
        "Tes psikologinya bisa di Satpas langsung atau hrs di luar?",
        service="sim-baru", category="Prosedur dan persyaratan", name="Kevin Pratama",
        email="kevin.pratama@contoh.example",
    ),
    ReportRow(
        SPKT, K.COMPLAINT, C.PHONE, 9, "23:05",
        "Sering ada jambret di gang dkt pasar",
        "Penelepon melaporkan lampu jalan di gang dkt pasar mati sdh 2 minggu dan kemarin "
        "ada jambret lg. Warga minta patroli malam ditambah.",
        category="Keamanan dan ketertiban", name="Sutrisno", phone="0856-0000-4321",
        location="Gang Melati dekat Pasar Contoh", latitude="-7.270350",
        longitude="112.746120",
    ),
    ReportRow(
        INTELKAM, K.SUGGESTION, C.WEB, 8, "06:50",
        "Pendaftaran SKCK online tolong diaktifkan",
        "Kalau bisa pendaftaran SKCK online diaktifkan lg, jd di loket tinggal ambil. Antre "
        "dr subuh itu buang waktu bgt.",
        service="skck", category="Prosedur dan persyaratan", anonymous=True,
    ),
    ReportRow(
        LANTAS, K.COMPLAINT, C.WEB, 6, "11:35",
        "AC ruang tunggu SIM mati",
        "AC ruang tunggu Satpas mati sdh seminggu, panas bgt, org pada kipas2 pake map. "
        "Kasihan yg lansia. Foto terlampir.",
        service="sim-perpanjangan", category="Sarana dan prasarana",
        name="Lestari Handayani", phone="0812-0000-6677",
        location="Ruang tunggu Satpas", latitude="-7.289080", longitude="112.734310",
        photo="ruang-tunggu-satpas.png",
    ),
    ReportRow(
        SPKT, K.COMPLAINT, C.WHATSAPP, 4, "14:02",
        "Laporan polisi blm ada perkembangan",
        "Sy sdh buat laporan polisi bulan lalu soal motor hilang, sampai skrg blm ada kabar "
        "SP2HP. Tolong diinfokan perkembangannya.",
        service="laporan-polisi", category="Informasi", name="Rahmat Hidayat",
        phone="0813-0000-8899",
    ),
    ReportRow(
        INTELKAM, K.APPRECIATION, C.SUGGESTION_BOX, 3, "10:00",
        "Petugas loket SKCK sabar",
        "Mbak petugas di loket SKCK sabar bgt jelasin ke bapak2 yg gk ngerti isi formulir. "
        "Terima kasih.",
        category="Pelayanan petugas", anonymous=True,
    ),
    ReportRow(
        SPKT, K.INFORMATION_REQUEST, C.WEB, 1, "18:30",
        "SPKT buka hari Minggu?",
        "SPKT buka 24 jam jg hari Minggu kah? Mau lapor kehilangan STNK tp baru bisa dtg "
        "hari Minggu.",
        service="sktlk", category="Informasi", name="Putri Ayu", phone="0822-0000-1357",
    ),
    ReportRow(
        SPKT, K.COMPLAINT, C.WALK_IN, 0, "08:20",
        "Antre lapor kehilangan lama",
        "Pelapor mengeluh sdh antre 45 menit utk surat kehilangan, cuma 1 loket yg buka "
        "padahal ada 2 loket.",
        service="sktlk", category="Waktu pelayanan", counter="polres-kota-contoh-spkt-1",
        name="Teguh Santoso", phone="0812-0000-2468",
    ),
    ReportRow(
        LANTAS, K.CRITICISM, C.WEB, 0, "09:10",
        "Info syarat di website beda dgn di loket",
        "Di website tulisannya perpanjangan SIM cukup KTP dan SIM lama, tp di loket diminta "
        "surat keterangan sehat jg. Tolong infonya disamakan biar gk bolak-balik.",
        service="sim-perpanjangan", category="Informasi", anonymous=True,
    ),
    ReportRow(
        DPMPTSP, K.COMPLAINT, C.WEB, 29, "09:30",
        "PBG rumah tinggal sdh 2 bulan blm terbit",
        "Permohonan PBG rumah tinggal sy sdh diajukan lwt SIMBG sejak 2 bln lalu, statusnya "
        "masih 'verifikasi dokumen' terus. Ditelpon tdk diangkat. Mohon kejelasan kapan "
        "selesai.",
        service="pbg", category="Perizinan bangunan", name="Bambang Setiawan",
        email="bambang.setiawan@contoh.example",
    ),
    ReportRow(
        DPMPTSP, K.INFORMATION_REQUEST, C.EMAIL, 28, "13:45",
        "Persyaratan PBG utk ruko 2 lantai",
        "Selamat siang, sy mau bangun ruko 2 lantai. Mohon info persyaratan PBG apa saja dan "
        "berapa lama prosesnya? Apa gambarnya hrs dr arsitek bersertifikat?",
        service="pbg", category="Perizinan bangunan", name="Linda Kusuma",
        email="linda.kusuma@contoh.example",
    ),
    ReportRow(
        DPMPTSP, K.COMPLAINT, C.WALK_IN, 26, "10:05",
        "Tdk bisa login OSS sdh 3 hari",
        "Pemohon mengeluh tdk bisa login OSS sdh 3 hari, muncul 'terjadi kesalahan' terus, "
        "padahal NIB dibutuhkan utk daftar e-katalog minggu ini. Di loket hanya disuruh coba "
        "lg di rumah.",
        service="nib", category="Sistem OSS / aplikasi",
        counter="dpmptsp-kota-contoh-loket-2", name="Agus Salim", phone="0815-0000-1122",
    ),
    ReportRow(
        DPMPTSP, K.SUGGESTION, C.SUGGESTION_BOX, 24, "14:00",
        "Tangga ke lantai 2 tdk ada pegangan",
        "Tangga ke ruang konsultasi lantai 2 tdk ada pegangannya, lansia susah naik. Mohon "
        "dipasang pegangan atau ruang konsultasi dipindah ke bawah.",
        category="Sarana dan prasarana", anonymous=True,
    ),
    ReportRow(
        DPMPTSP, K.APPRECIATION, C.WEB, 22, "16:15",
        "NIB jadi dlm sehari, makasih",
        "Alhamdulillah NIB utk usaha katering sy jadi hari itu jg, dibantu petugas loket 2 "
        "dr awal sampai selesai. Terima kasih DPMPTSP.",
        service="nib", category="Pelayanan petugas", counter="dpmptsp-kota-contoh-loket-2",
        name="Sri Wahyuni", phone="0817-0000-3030",
    ),
    ReportRow(
        DPMPTSP, K.CRITICISM, C.EMAIL, 20, "19:50",
        "Disarankan pakai konsultan 'rekanan' utk PBG",
        "Kenapa tiap urus PBG sy disarankan pakai jasa konsultan rekanan yg biayanya jutaan? "
        "Apa memang wajib? Mohon transparan soal biaya resminya.",
        service="pbg", category="Biaya / pungutan", name="Teguh Prasetya",
        email="teguh.prasetya@contoh.example", confidential=True,
    ),
    ReportRow(
        DPMPTSP, K.COMPLAINT, C.PHONE, 18, "11:20",
        "SLF gedung kantor tdk ada kabar",
        "Penelepon menanyakan permohonan SLF gedung kantornya yg diajukan 5 minggu lalu, "
        "belum ada jadwal pemeriksaan lapangan sama sekali.",
        service="slf", category="Waktu penyelesaian", name="Hendrik Gunawan",
        phone="0821-0000-4545",
    ),
    ReportRow(
        MPP, K.COMPLAINT, C.WEB, 16, "10:55",
        "AC di atas loket MPP bocor",
        "AC di atas loket MPP netes air terus, lantainya licin, tadi ada ibu2 hampir jatuh. "
        "Tolong segera diperbaiki. Sy lampirkan fotonya.",
        category="Sarana dan prasarana", name="Nurul Hidayah", phone="0852-0000-6060",
        location="Mal Pelayanan Publik lantai 2", latitude="-7.260480",
        longitude="112.749650", photo="ac-bocor-mpp.jpg",
    ),
    ReportRow(
        DPMPTSP, K.INFORMATION_REQUEST, C.WHATSAPP, 13, "20:40",
        "Izin usaha mikro utk jualan kue online",
        "Kak, sy jualan kue online dr rumah, perlu izin usaha mikro gk? Kalau perlu gmn "
        "caranya, bisa dibantu di loket atau hrs sendiri lwt OSS?",
        service="izin-usaha-mikro", category="Perizinan berusaha", name="Ayu Lestari",
        phone="0838-0000-7171",
    ),
    ReportRow(
        DPMPTSP, K.COMPLAINT, C.WALK_IN, 10, "09:25",
        "Formulir tdk bisa dibaca pembaca layar",
        "Pemohon tunanetra menyampaikan formulir hanya ada versi cetak dan di aplikasi yg tdk "
        "terbaca pembaca layar. Minta disediakan pendampingan atau formulir yg aksesibel.",
        category="Pelayanan petugas", counter="dpmptsp-kota-contoh-disabilitas",
        name="Joko Susilo", phone="0812-0000-8181",
    ),
    ReportRow(
        DPMPTSP, K.CRITICISM, C.WEB, 7, "15:10",
        "Petugas loket informasi jutek",
        "Tanya baik2 soal syarat PBG malah dijawab 'baca sendiri di website'. Mbok ya "
        "dijelaskan, gk semua org paham istilah2 perizinan.",
        service="pbg", category="Pelayanan petugas", counter="dpmptsp-kota-contoh-loket-1",
        anonymous=True,
    ),
    ReportRow(
        DPMPTSP, K.SUGGESTION, C.EMAIL, 5, "07:30",
        "Notifikasi status izin lwt WA",
        "Usul status permohonan izin dikirim otomatis lwt WA atau email, jd pemohon tdk "
        "perlu bolak-balik tanya ke loket.",
        category="Sistem OSS / aplikasi", name="Rizky Ramadhan",
        email="rizky.ramadhan@contoh.example",
    ),
    ReportRow(
        DPMPTSP, K.COMPLAINT, C.WEB, 2, "22:15",
        "OSS minta isi KBLI ulang terus",
        "Sdh 3x input KBLI utk usaha bengkel, tiap disimpan balik kosong lg. Sdh coba "
        "browser lain tetep sama. Mohon dibantu, NIB sy jd tertunda.",
        service="nib", category="Sistem OSS / aplikasi", name="Eko Purnomo",
        phone="0813-0000-9393",
    ),
    ReportRow(
        MPP, K.INFORMATION_REQUEST, C.PHONE, 0, "08:05",
        "Jam layanan MPP hari Sabtu",
        "Penelepon menanyakan apakah Mal Pelayanan Publik buka hari Sabtu dan loket apa saja "
        "yg buka.",
        name="Wulan Sari", phone="0857-0000-2020",
    ),
    ReportRow(
        DPMPTSP, K.APPRECIATION, C.SUGGESTION_BOX, 0, "10:30",
        "Loket disabilitas sangat membantu",
        "Terima kasih sdh ada loket khusus disabilitas, bapak sy yg pakai kursi roda tdk "
        "perlu antre lama dan dilayani dgn sabar.",
        category="Pelayanan petugas", counter="dpmptsp-kota-contoh-disabilitas",
        anonymous=True,
    ),
)  # fmt: skip


class DemoConflict(Exception):
    """Something in the database stops the demo from loading."""


@dataclass
class DemoResult:
    reports: int
    tracking_code: str
    pin: str
    skipped_users: list[str]


def demo_exists() -> bool:
    """Return whether a demo organisation is already in the database."""
    return Organisation.objects.filter(slug__in=ORGANISATION_SLUGS).exists()


@transaction.atomic
def demo_load() -> DemoResult:
    """Create the demo organisations, staff and reports; the caller checks demo_exists first."""
    skipped = _check_conflicts()
    units = _create_structure()
    users = _create_users(units, skipped)
    demo = None
    for when, row in _schedule(timezone.now()):
        submission = _submit(row, units[row.unit], users, when)
        if row.demo:
            demo = submission
    return DemoResult(
        reports=len(REPORTS),
        tracking_code=demo.report.tracking_code,
        pin=demo.pin,
        skipped_users=skipped,
    )


def _check_conflicts() -> list[str]:
    """Return the existing superuser names to skip; refuse when other demo names are taken."""
    names = [row.username for row in USERS]
    taken = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    blocking = [row.username for row in USERS if row.username in taken and not row.is_superuser]
    blocking += Unit.objects.filter(slug__in=[row.slug for row in UNITS]).values_list(
        "slug", flat=True
    )
    blocking += Counter.objects.filter(code__in=[row[1] for row in COUNTERS]).values_list(
        "code", flat=True
    )
    if blocking:
        raise DemoConflict(
            "These demo user names, unit slugs or counter codes are already taken: "
            + ", ".join(blocking)
            + ". Load the demo into an empty database."
        )
    return sorted(taken)


def _create_structure() -> dict[str, Unit]:
    """Create the organisations, their unit trees, services, counters, categories, closures."""
    organisations = {
        slug: Organisation.objects.create(slug=slug, name=name) for slug, name in ORGANISATIONS
    }
    units = _create_units(organisations)
    for unit_slug, code, name in SERVICES:
        Service.objects.create(unit=units[unit_slug], code=code, name=name)
    for unit_slug, code, name, disability in COUNTERS:
        Counter.objects.create(
            unit=units[unit_slug], code=code, name=name, serves_disability=disability
        )
    for org_slug, name in CATEGORIES:
        Category.objects.create(organisation=organisations[org_slug], name=name)
    for unit_slug, reason in CLOSURES:
        UnitClosure.objects.create(unit=units[unit_slug], date=next_friday(), reason=reason)
    for unit_slug, code, name, location in BOXES:
        SuggestionBox.objects.create(unit=units[unit_slug], code=code, name=name, location=location)
    return units


def _create_units(organisations: dict[str, Organisation]) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for row in UNITS:
        units[row.slug] = Unit.objects.create(
            organisation=organisations[row.organisation],
            parent=units.get(row.parent),
            name=row.name,
            slug=row.slug,
            open_24h=row.open_24h,
            working_weekdays=row.working_weekdays,
            address=row.address,
            phone=row.phone,
            email=f"{row.slug}@{DEMO_EMAIL_DOMAIN}",
            latitude=Decimal(row.latitude),
            longitude=Decimal(row.longitude),
        )
    return units


def next_friday():
    """Return the first Friday after today (a week ahead when today is a Friday)."""
    today = timezone.localdate()
    return today + timedelta(days=(4 - today.weekday()) % 7 or 7)


def _create_users(units: dict[str, Unit], skipped: list[str]) -> dict[str, User]:
    users = {}
    for row in USERS:
        if row.username in skipped:
            continue
        user = User(
            username=row.username,
            first_name=row.first_name,
            last_name=row.last_name,
            email=f"{row.username}@{DEMO_EMAIL_DOMAIN}",
            is_staff=row.is_staff,
            is_superuser=row.is_superuser,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        for unit_slug, role in row.memberships:
            Membership.objects.create(user=user, unit=units[unit_slug], role=role)
        users[row.username] = user
    _grant_admin_permissions(users["admin.polres"])
    return users


def _grant_admin_permissions(user: User) -> None:
    permissions = Permission.objects.filter(
        content_type__app_label="accounts", codename__in=UNIT_ADMIN_PERMISSIONS
    )
    if len(permissions) != len(UNIT_ADMIN_PERMISSIONS):
        raise DemoConflict("Model permissions are missing: run `manage.py migrate` first.")
    user.user_permissions.set(permissions)


def _schedule(now: datetime) -> list[tuple[datetime, ReportRow]]:
    """Return each report with its receipt time, oldest first; today's never lie ahead."""
    tz = timezone.get_default_timezone()  # every demo unit is in WIB
    weekdays = {row.slug: row.working_weekdays for row in UNITS}
    planned = []
    for row in REPORTS:
        day = now.astimezone(tz).date() - timedelta(days=row.days_ago)
        if row.channel in STAFFED_CHANNELS:
            day = _open_day_on_or_before(day, weekdays[row.unit])
        midnight = datetime.combine(day, time(0), tzinfo=tz)
        hour, minute = (int(part) for part in row.at.split(":"))
        when = min(midnight.replace(hour=hour, minute=minute), now - timedelta(minutes=5))
        planned.append((max(when, midnight), row))
    return sorted(planned, key=lambda item: item[0])


def _open_day_on_or_before(day: date, working_weekdays: str) -> date:
    """Move *day* back to the unit's last working weekday, when staff were there."""
    while str(day.weekday()) not in working_weekdays.split(","):
        day -= timedelta(days=1)
    return day


def _submit(row: ReportRow, unit: Unit, users: dict[str, User], when: datetime) -> Submission:
    data = ReportInput(
        unit=unit,
        kind=row.kind,
        channel=row.channel,
        title=row.title,
        description=row.description,
        service=Service.objects.get(unit=unit, code=row.service) if row.service else None,
        category=_category(unit, row.category),
        counter=Counter.objects.get(code=row.counter) if row.counter else None,
        location_text=row.location,
        latitude=Decimal(row.latitude) if row.latitude else None,
        longitude=Decimal(row.longitude) if row.longitude else None,
        is_anonymous=row.anonymous,
        is_confidential=row.confidential,
        name=row.name,
        email=row.email,
        phone=row.phone,
        files=[demo_picture(row.photo)] if row.photo else [],
        received_by=_receiver(row.channel, unit, users),
    )
    with _clock_at(when):
        return report_submit(data)


def _category(unit: Unit, name: str) -> Category | None:
    if not name:
        return None
    return Category.objects.get(organisation_id=unit.organisation_id, name=name)


def _receiver(channel: str, unit: Unit, users: dict[str, User]) -> User | None:
    """Return the first demo officer who may enter a walk-in or phone report for *unit*."""
    if channel not in OFFICER_CHANNELS:
        return None
    for user in users.values():
        if not user.is_superuser and user_can(user, Capability.ENTER_REPORTS, unit):
            return user
    raise DemoConflict(f"No demo officer may enter reports for {unit}.")


def can_backdate() -> bool:
    """Return whether time-machine (a development dependency) can date reports in the past."""
    return importlib.util.find_spec("time_machine") is not None


@contextlib.contextmanager
def _clock_at(when: datetime):
    """Freeze the clock at *when*; without time-machine the reports are dated now."""
    if not can_backdate():
        yield
        return
    import time_machine  # a development dependency, so imported only here

    with time_machine.travel(when, tick=False):
        yield


def demo_picture(name: str) -> CleanFile:
    """Draw a small placeholder photo (a queue at a counter) and clean it like an upload."""
    image = Image.new("RGB", (480, 320), (214, 222, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 230, 480, 320), fill=(150, 150, 140))
    draw.rectangle((300, 120, 470, 235), fill=(120, 86, 60))
    for index, x in enumerate(range(30, 290, 52)):
        shade = 60 + 25 * index
        draw.ellipse((x, 120, x + 34, 154), fill=(shade, 70, 90))
        draw.rectangle((x + 2, 156, x + 32, 230), fill=(shade, 90, 120))
    draw.text((12, 12), "FOTO DEMO - Tanggap", fill=(20, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG" if name.endswith(".png") else "JPEG")
    return clean_upload(name, buffer.getvalue())


def login_rows() -> list[tuple[str, str]]:
    """Return (user name, what the account can do) for every demo account."""
    unit_names = {row.slug: row.name for row in UNITS}
    rows = []
    for row in USERS:
        units_by_role: dict[str, list[str]] = {}
        for unit, role in row.memberships:
            units_by_role.setdefault(role, []).append(unit_names[unit])
        roles = "; ".join(
            f"{Role(role).label} @ {', '.join(names)}" for role, names in units_by_role.items()
        )
        if row.is_superuser:
            roles = "Superuser (everything, Django admin)"
        elif row.is_staff:
            roles += " + Django admin"
        rows.append((row.username, roles))
    return rows
