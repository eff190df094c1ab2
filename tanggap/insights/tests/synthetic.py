"""An invented, labelled set of informal Indonesian complaints for the classifier's tests.

Every sentence is put together here from hand-written phrases (no row of the shared data is
copied). Agencies share the openings, places and closings, a report now and then mentions
another agency's subject, and one label in twenty is wrong, so the set is learnable but not
trivial. The agencies are imbalanced: the most common one has about a third of the reports.
"""

import random

# agency: (weight, subjects, problems)
AGENCIES: dict[str, tuple[int, list[str], list[str]]] = {
    "Dinas Pekerjaan Umum": (
        9,
        ["jalan", "jln raya", "aspal", "saluran got", "trotoar", "jembatan kecil", "gorong2"],
        [
            "rusak parah dan berlubang",
            "amblas stlh hujan deras",
            "retak2 membahayakan pengendara",
            "tergenang banjir krn drainase mampet",
            "belum diperbaiki sejak bulan lalu",
        ],
    ),
    "Dinas Lingkungan Hidup": (
        6,
        ["sampah", "tumpukan sampah", "pohon besar", "ranting pohon", "TPS", "taman kota"],
        [
            "menumpuk dan bau busuk",
            "tdk diangkut sdh seminggu",
            "hampir tumbang kena angin",
            "perlu dipangkas krn kena kabel",
            "dibakar warga asapnya mengganggu",
        ],
    ),
    "Dinas Kependudukan": (
        5,
        ["KTP elektronik", "e-KTP", "kartu keluarga", "akta kelahiran", "surat pindah", "KIA"],
        [
            "blm jadi padahal sdh 2 bulan",
            "datanya salah ketik nama",
            "blangko habis terus katanya",
            "antrean online tdk bisa dibuka",
            "status masih diproses terus",
        ],
    ),
    "Dinas Perhubungan": (
        4,
        ["lampu lalu lintas", "traffic light", "parkir liar", "angkot", "halte bus", "rambu"],
        [
            "mati sejak kemarin bikin macet",
            "jukirnya minta tarif tinggi",
            "ngetem sembarangan di tikungan",
            "rusak dan tdk terbaca",
            "menghalangi jalur sepeda",
        ],
    ),
    "Dinas Sosial": (
        4,
        ["bansos", "bantuan PKH", "BLT", "data DTKS", "bantuan lansia", "kartu sembako"],
        [
            "tdk cair bulan ini",
            "salah sasaran ke warga mampu",
            "nama sy hilang dr daftar penerima",
            "pendampingnya tdk pernah datang",
            "mohon didata ulang keluarga miskin",
        ],
    ),
    "PDAM": (
        3,
        ["air PDAM", "pipa air", "meteran air", "tagihan air", "air bersih"],
        [
            "mati total sdh 3 hari",
            "keruh dan berbau kaporit",
            "bocor di depan rumah",
            "tagihannya naik tdk wajar",
            "alirannya kecil sekali",
        ],
    ),
}

OPENINGS = [
    "Mohon bantuannya,",
    "Sy mau lapor",
    "Tolong pak bu,",
    "Permisi admin,",
    "Selamat pagi,",
    "Keluhan warga:",
    "",
]
PLACES = [
    "di jl Melati",
    "di RT 3 RW 2",
    "dekat pasar",
    "di kelurahan Sukamaju",
    "depan sekolah",
    "di perumahan Griya Asri",
    "samping masjid",
]
CLOSINGS = [
    "mohon segera ditindaklanjuti",
    "trims",
    "sdh lapor tp blm ada respon",
    "warga sangat resah",
    "terima kasih atas perhatiannya",
    "",
]


def examples(n: int = 360, *, seed: int = 7) -> tuple[list[str], list[str]]:
    """Return *n* invented complaint texts and their agencies, in the order written."""
    rng = random.Random(seed)
    names = list(AGENCIES)
    weights = [AGENCIES[name][0] for name in names]
    texts, labels = [], []
    for _ in range(n):
        agency = rng.choices(names, weights)[0]
        _w, subjects, problems = AGENCIES[agency]
        parts = [
            rng.choice(OPENINGS),
            rng.choice(subjects),
            rng.choice(PLACES),
            rng.choice(problems),
        ]
        if rng.random() < 0.15:
            # A passing mention of another agency's subject ("... dan sampahnya juga ...").
            other = AGENCIES[rng.choice([x for x in names if x != agency])][1]
            parts.append(f"dan {rng.choice(other)} juga")
        parts.append(rng.choice(CLOSINGS))
        texts.append(" ".join(p for p in parts if p))
        labels.append(rng.choice(names) if rng.random() < 0.05 else agency)
    return texts, labels
