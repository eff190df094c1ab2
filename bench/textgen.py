"""Informal Indonesian complaint text from a hand-written vocabulary (no real reports copied)."""

import random

# Each topic: (category name, title templates, sentence templates). {place}, {time}, {dur}
# and {who} are filled from the lists below, so the same topic reads differently every time.
TOPICS = [
    (
        "Jalan dan Jembatan",
        ["Jalan rusak di {place}", "Jalan berlubang {place}", "Aspal {place} ambles"],
        [
            "jalan di {place} rusak parah, lubangnya dalam bgt",
            "sdh {dur} jalan berlubang dan blm ada perbaikan",
            "kalau hujan lubangnya tdk kelihatan, banyak motor jatuh",
            "tolong segera ditambal sebelum ada korban",
            "aspal yg baru diperbaiki {time} sdh rusak lagi",
        ],
    ),
    (
        "Penerangan Jalan Umum",
        ["Lampu PJU mati di {place}", "Lampu jalan padam {place}", "PJU mati total"],
        [
            "lampu jalan di {place} mati sdh {dur}",
            "malam hari gelap sekali dan rawan begal",
            "warga sdh lapor ke RT tp blm ada tindak lanjut",
            "mohon lampu PJU segera diganti",
        ],
    ),
    (
        "Persampahan",
        ["Sampah menumpuk di {place}", "Sampah tdk diangkut", "TPS penuh {place}"],
        [
            "sampah di {place} tdk diangkut sdh {dur}",
            "baunya menyengat dan banyak lalat",
            "truk sampah jarang lewat, katanya armada kurang",
            "tolong jadwal pengangkutan sampah diperjelas",
        ],
    ),
    (
        "Air Bersih",
        ["Air PDAM mati", "Air keruh di {place}", "Tagihan air naik tdk wajar"],
        [
            "air PDAM di {place} mati sdh {dur}",
            "airnya keruh dan berbau, tdk bisa dipakai masak",
            "tagihan bulan ini naik dua kali lipat padahal pemakaian sama",
            "sdh telp call center tp tdk diangkat",
            "meteran air sy rusak dan blm diganti",
        ],
    ),
    (
        "Pelayanan Administrasi",
        ["Antrian {service} lama", "Pengurusan {service} lambat", "{service} blm jadi"],
        [
            "sy mengurus {service} sejak {time} tp blm selesai",
            "antrian di loket panjang sekali, nunggu {dur}",
            "petugas bilang sistem lagi gangguan terus",
            "persyaratan yg diminta berbeda dgn yg di website",
            "mohon kejelasan kapan {service} sy bisa diambil",
        ],
    ),
    (
        "Perilaku Petugas",
        ["Petugas tdk ramah", "Pelayanan petugas buruk", "Petugas {who} kasar"],
        [
            "petugas {who} bicara dgn nada tinggi dan tdk sopan",
            "sy ditanya berulang2 dan dilempar ke loket lain",
            "petugas main hp saat jam pelayanan",
            "jam istirahat molor, loket tutup lebih awal",
        ],
    ),
    (
        "Pungutan Liar",
        ["Dugaan pungli {service}", "Dimintai uang tambahan", "Biaya {service} tdk resmi"],
        [
            "sy dimintai uang supaya {service} cepat selesai",
            "katanya gratis tp di loket diminta bayar",
            "ada calo di depan kantor yg menawarkan jasa",
            "mohon ditindak tegas oknum yg minta uang",
        ],
    ),
    (
        "Perizinan",
        ["Izin PBG lambat", "Perizinan usaha blm terbit", "NIB bermasalah"],
        [
            "pengajuan izin sy sdh {dur} blm ada kabar",
            "status di aplikasi tdk berubah dr {time}",
            "berkas sdh lengkap tp diminta ulang terus",
            "usaha sy tdk bisa jalan krn izin blm keluar",
        ],
    ),
    (
        "Drainase dan Banjir",
        ["Selokan mampet {place}", "Banjir di {place}", "Saluran air tersumbat"],
        [
            "selokan di {place} mampet penuh sampah",
            "tiap hujan sebentar langsung banjir sampai masuk rumah",
            "sdh {dur} tdk pernah dikeruk",
            "mohon normalisasi saluran sebelum musim hujan",
        ],
    ),
    (
        "Ketertiban Umum",
        ["Parkir liar {place}", "PKL menutup trotoar", "Balap liar tiap malam"],
        [
            "parkir liar di {place} bikin macet setiap sore",
            "trotoar dipakai jualan, pejalan kaki turun ke jalan",
            "tiap malam minggu ada balap liar, berisik dan bahaya",
            "mohon ada patroli rutin",
        ],
    ),
    (
        "Kesehatan",
        ["Antrian puskesmas lama", "Obat kosong di puskesmas", "Layanan BPJS ditolak"],
        [
            "antri di puskesmas dr pagi baru dilayani siang",
            "obat yg diresepkan kosong, disuruh beli di luar",
            "kartu BPJS sy aktif tp ditolak di loket",
            "dokter jaga tdk ada waktu jam pelayanan",
        ],
    ),
    (
        "Pohon dan Taman",
        ["Pohon rawan tumbang {place}", "Minta perantingan pohon", "Taman tdk terawat"],
        [
            "pohon besar di {place} miring dan rawan tumbang",
            "rantingnya sdh kena kabel listrik",
            "taman kotor, lampu taman mati dan rumput tinggi",
            "mohon segera dipangkas sebelum musim angin",
        ],
    ),
]

SERVICES = [
    "SKCK",
    "KTP-el",
    "Kartu Keluarga",
    "akta kelahiran",
    "SIM",
    "pindah domisili",
    "surat keterangan usaha",
    "balik nama sertifikat",
    "pasang baru air",
    "SKTM",
]
PLACES = [
    "Jl. Merdeka",
    "Gg. Melati",
    "Perumahan Griya Asri",
    "depan pasar",
    "RT 03 RW 05",
    "Jl. Diponegoro",
    "dekat SDN 2",
    "samping masjid",
    "Kel. Sukamaju",
    "Kec. Cibiru",
    "jalan masuk kampung",
    "pertigaan lampu merah",
    "Jl. Ahmad Yani",
    "Komplek Bumi Indah",
    "depan terminal",
]
TIMES = [
    "minggu lalu",
    "bulan kemarin",
    "awal bulan",
    "hari senin",
    "kemarin",
    "tahun lalu",
    "tgl 3",
    "bulan puasa",
]
DURATIONS = ["3 hari", "seminggu", "2 minggu", "sebulan", "berbulan2", "hampir setahun", "5 hari"]
WHO = ["loket 2", "bagian depan", "satpam", "di meja informasi", "pendaftaran", "kasir"]
OPENERS = [
    "",
    "",
    "Selamat siang, ",
    "Mohon izin lapor, ",
    "Pak/Bu, ",
    "Min, ",
    "Assalamualaikum, ",
    "Tolong, ",
]
CLOSERS = [
    "",
    " Mohon ditindaklanjuti.",
    " Terima kasih.",
    " Tolong segera!!",
    " Sy tunggu kabarnya.",
    " Jangan cuma janji.",
    " Mohon perhatiannya pak.",
    " Sdh berkali2 lapor tdk ada respon!!!",
]
PRAISE = [
    "Pelayanan di {service} cepat dan petugasnya ramah, terima kasih.",
    "Sy apresiasi petugas {who} yg sabar membantu orang tua sy.",
    "Antrian sekarang lebih tertib dgn nomor online, mantap.",
]
QUESTIONS = [
    "Apa saja syarat mengurus {service}?",
    "Berapa lama proses {service} sampai selesai?",
    "Apakah {service} bisa diurus online atau harus datang?",
    "Jam buka loket {service} hari sabtu jam berapa ya?",
]
SUGGESTIONS = [
    "Sebaiknya ditambah loket {service} supaya antrian tdk panjang.",
    "Saran sy ada informasi persyaratan yg jelas di papan depan.",
    "Mohon disediakan kursi tunggu yg cukup dan kipas angin.",
]
FIRST_NAMES = ["Budi", "Siti", "Agus", "Dewi", "Rina", "Andi", "Wahyu", "Sri", "Yusuf", "Lestari"]
LAST_NAMES = ["Santoso", "Rahmawati", "Saputra", "Hidayat", "Nugroho", "Lubis", "Wulandari"]

CATEGORY_NAMES = [topic[0] for topic in TOPICS] + ["Informasi Layanan", "Apresiasi", "Saran"]


def _fill(rng: random.Random, template: str) -> str:
    return template.format(
        place=rng.choice(PLACES),
        time=rng.choice(TIMES),
        dur=rng.choice(DURATIONS),
        who=rng.choice(WHO),
        service=rng.choice(SERVICES),
    )


def _typo(rng: random.Random, text: str) -> str:
    """Swap two neighbouring letters or drop one, as thumbs on a phone do."""
    if len(text) < 10:
        return text
    i = rng.randrange(1, len(text) - 2)
    if rng.random() < 0.5:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + text[i + 1 :]


def _roughen(rng: random.Random, text: str) -> str:
    """Add the noise of informal writing: typos, sometimes ALL CAPS or no capitals."""
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        text = _typo(rng, text)
    r = rng.random()
    if r < 0.06:
        return text.upper()
    if r < 0.25:
        return text.lower()
    return text


def report_text(rng: random.Random, kind: str) -> tuple[int, str, str]:
    """Return (topic index, title, description) for a report of *kind*."""
    topic_index = rng.randrange(len(TOPICS))
    _, titles, sentences = TOPICS[topic_index]
    if kind == "appreciation":
        body = _fill(rng, rng.choice(PRAISE))
        return topic_index, "Terima kasih atas pelayanannya", _roughen(rng, body)
    if kind == "information_request":
        body = _fill(rng, rng.choice(QUESTIONS)) + " " + _fill(rng, rng.choice(QUESTIONS))
        return topic_index, _fill(rng, "Tanya syarat {service}"), _roughen(rng, body)
    if kind == "suggestion":
        body = _fill(rng, rng.choice(SUGGESTIONS)) + " " + _fill(rng, rng.choice(SUGGESTIONS))
        return topic_index, "Saran untuk pelayanan", _roughen(rng, body)
    count = rng.randint(2, 4)
    picked = rng.sample(sentences, min(count, len(sentences)))
    body = rng.choice(OPENERS) + ". ".join(_fill(rng, s) for s in picked) + "."
    body += rng.choice(CLOSERS)
    title = _fill(rng, rng.choice(titles))
    if rng.random() < 0.08:
        title = title.upper()
    return topic_index, title[:200], _roughen(rng, body)[:5000]


def person_name(rng: random.Random) -> str:
    """Return an invented Indonesian-looking name."""
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
