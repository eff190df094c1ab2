"""Build the labelled personal-data sample ``data/pii_sample.jsonl`` from the shared data.

Run once by hand (``python -m tanggap.insights.tests.pii_sample_build ../shared/data``); the
output is committed, the shared data never is. Each row is an excerpt of a real complaint
whose de-identification placeholders are replaced by synthetic identifiers of the same kind,
labelled by construction, with the rest of the excerpt masked further ([X]) and, in some rows,
a synthetic sentence carrying a plate or look-alikes (amounts, dates, LAPOR! ids, times, house
numbers) that must not be masked. See data/README_pii.md.
"""

import csv
import json
import random
import re
import sys
from pathlib import Path

from tanggap.insights import pii
from tanggap.insights.normalize import _root_words, stop_words


def _split(*parts: str) -> list[str]:
    return " ".join(parts).split()


GIVEN = _split(
    "Budi Agus Dewi Siti Sri Joko Bambang Slamet Rina Andi Rudi Yanti Wati Eko Hadi Nur Ahmad "
    "Muhammad Dian Fitri Indah Putri Ayu Wahyu Bayu Hendra Iwan Yusuf Rahmat Lilis Tuti Endang "
    "Asep Ujang Cucu Neneng Made Ketut Wayan Fajar Rizky Dimas Anisa Nurul Ratna Suryani"
)
FAMILY = _split(
    "Santoso Wijaya Saputra Hidayat Kurniawan Setiawan Rahayu Susanti Pratama Nugroho Siregar "
    "Nasution Simanjuntak Lubis Harahap Sihombing Gunawan Hartono Sulistyo Purnomo Wibowo "
    "Handayani Lestari Maulana Firmansyah Ramadhan Permana Sudrajat Suhendar Kusuma"
)
STREETS = _split(
    "Melati Mawar Kenanga Anggrek Flamboyan Cempaka Dahlia Teratai Merpati Kutilang Cendrawasih "
    "Pahlawan Merdeka Veteran Pemuda Kartini Sudirman Diponegoro Gajah Mada Hayam Wuruk"
)
DOMAINS = ["gmail.com", "yahoo.co.id", "yahoo.com", "ymail.com", "outlook.com", "mail.com"]
PROVINCES = [11, 12, 13, 31, 32, 33, 34, 35, 36, 51, 52, 61, 64, 71, 73, 81, 91, 94]
PLATE_REGIONS = ["L", "B", "D", "N", "W", "AG", "AE", "DK", "BK", "AB", "H", "S", "Z", "KT"]


def name(rng: random.Random) -> str:
    parts = [rng.choice(GIVEN)] + ([rng.choice(FAMILY)] if rng.random() < 0.7 else [])
    value = " ".join(parts)
    style = rng.random()
    return value.upper() if style < 0.25 else value.lower() if style < 0.4 else value


def nik_digits(rng: random.Random, *, kk: bool = False) -> str:
    day = rng.randint(1, 28) + (40 if not kk and rng.random() < 0.5 else 0)
    return (
        f"{rng.choice(PROVINCES):02d}{rng.randint(1, 79):02d}{rng.randint(1, 30):02d}"
        f"{day:02d}{rng.randint(1, 12):02d}{rng.randint(0, 99):02d}{rng.randint(1, 9999):04d}"
    )


def id_number(rng: random.Random, *, kk: bool = False) -> str:
    d = nik_digits(rng, kk=kk)
    style = rng.random()
    if style < 0.5:
        return d
    if style < 0.7:
        return " ".join(d[i : i + 4] for i in range(0, 16, 4))
    if style < 0.85:
        return ".".join([d[0:2], d[2:4], d[4:6], d[6:12], d[12:]])
    return "-".join([d[0:6], d[6:12], d[12:]])


def phone(rng: random.Random) -> str:
    rest = f"{rng.randint(11, 59)}{rng.randint(1000, 9999)}{rng.randint(100, 9999)}"
    style = rng.random()
    if style < 0.3:
        return f"08{rest}"
    if style < 0.45:
        return f"08{rest[:2]}-{rest[2:6]}-{rest[6:]}"
    if style < 0.6:
        return f"+62 8{rest[:2]} {rest[2:6]} {rest[6:]}"
    if style < 0.7:
        return f"628{rest}"
    if style < 0.78:
        return f"(+62)8{rest}"
    if style < 0.86:
        return f"08{rest[:2]}.{rest[2:6]}.{rest[6:]}"
    if style < 0.93:
        return f"(031) {rng.randint(5000000, 8999999)}"
    return f"022-{rng.randint(5000000, 8999999)}"


def email(rng: random.Random) -> str:
    user = rng.choice(GIVEN).lower() + rng.choice([".", "_", ""]) + rng.choice(FAMILY).lower()
    if rng.random() < 0.4:
        user += str(rng.randint(1, 99))
    return f"{user}@{rng.choice(DOMAINS)}"


def plate(rng: random.Random) -> str:
    letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(rng.randint(1, 3)))
    value = f"{rng.choice(PLATE_REGIONS)} {rng.randint(1, 9999)} {letters}"
    return value.replace(" ", "") if rng.random() < 0.15 else value


def street_address(rng: random.Random) -> str:
    word = rng.choice(["Jl.", "Jl", "Jln.", "jalan", "Jalan", "Gg.", "gang"])
    number = rng.choice(["No.", "no", "No", "nomor"])
    extra = rng.choice(["", "", " Raya", " Gg. II", f" {rng.randint(1, 9)}"])
    suffix = rng.choice(["", "", "A", "/12"])
    return f"{word} {rng.choice(STREETS)}{extra} {number} {rng.randint(1, 199)}{suffix}"


def rt_rw(rng: random.Random) -> str:
    rt, rw = rng.randint(1, 15), rng.randint(1, 12)
    return rng.choice(
        [
            f"RT {rt:02d}/RW {rw:02d}",
            f"rt {rt} rw {rw}",
            f"RT.{rt:03d} RW.{rw:03d}",
            f"RT {rt} RW {rw}",
        ]
    )


CARRIERS = [
    ("Kendaraan nopol {value} sering parkir di depan rumah warga.", "plate"),
    ("Mobil {value} parkir di trotoar setiap hari.", "plate"),
    ("truk dengan plat {value} buang sampah sembarangan", "plate"),
    ("Sepeda motor {value} ugal-ugalan di gang.", "plate"),
    ("Mohon balasan ke email {value} terima kasih", "email"),
    ("email saya: {value}", "email"),
    ("bisa hubungi saya di {value}", "phone"),
    ("WA {value} (siang saja)", "phone"),
]
GENERATORS = {"plate": plate, "email": email, "phone": phone}
LOOKALIKES = [
    "Sudah bayar Rp {amount} pada tanggal {date}.",
    "Laporan sebelumnya nomor {lapor} belum dijawab.",
    "Antri dari jam {time} sampai jam {time2}.",
    "Rumah no {house} sudah dua kali kebanjiran tahun {year}.",
    "Tagihan bulan {date2} naik jadi {amount} rupiah.",
    "Kejadian tgl {date} pukul {time} di KM {km}.",
    "Sudah {days} hari, total {count} KK terdampak.",
]


def lookalike(rng: random.Random) -> str:
    return rng.choice(LOOKALIKES).format(
        amount=f"{rng.randint(1, 950)}.{rng.randint(0, 999):03d}" + rng.choice(["", ".000"]),
        date=rng.choice(
            [
                f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-2023",
                f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/2022",
            ]
        ),
        date2=f"{rng.randint(1, 12):02d}/2023",
        lapor=str(rng.randint(4000000, 6999999)),
        time=f"{rng.randint(7, 12):02d}.{rng.choice(['00', '15', '30'])}",
        time2=f"{rng.randint(13, 16)}.{rng.choice(['00', '30'])}",
        house=str(rng.randint(1, 150)),
        year=str(rng.randint(2019, 2024)),
        km=str(rng.randint(1, 40)),
        days=str(rng.randint(2, 30)),
        count=str(rng.randint(10, 400)),
    )


_PLACE = re.compile(
    r"\b(?:jl|jln|jalan|gg|gang|perum|perumahan|kel|kelurahan|desa|kec|kecamatan|kampung|dusun|"
    r"toko|sekolah|masjid|gereja|kantor|pt|cv|rs|rsud|apotek|warung|depot|hotel|cafe|kafe)\b\.?\s+"
    r"((?:[A-Za-z0-9'\-]+\s*){1,3})",
    re.IGNORECASE,
)
_ADDRESS = re.compile(
    r"\b(?:jl|jln|jalan|gg|gang)\b\.?\s+(?:[\w'.\-]+\s+){0,5}?no\b\.?\s*\[X\]", re.I
)
_RTRW = re.compile(r"\brt\.?\s*\[X\]\s*[/,]?\s*rw\.?\s*\[X\]", re.I)


def _scrub(text: str) -> str:
    """Mask further what the shared data's pass left: place names and unknown capitalised words."""
    known = _root_words() | stop_words()
    text = _ADDRESS.sub("\x00ADDR\x00", text)
    text = _RTRW.sub("\x00RTRW\x00", text)
    text = _PLACE.sub(lambda m: m.group(0)[: m.start(1) - m.start(0)] + "[X] ", text)
    text = re.sub(r"\d{5,}", "[X]", text)
    words = re.split(r"(\s+)", text)
    for i, w in enumerate(words):
        core = re.sub(r"[^A-Za-z]", "", w)
        if "[" in w or "\x00" in w:
            continue
        if i > 0 and core[:1].isupper() and core.lower() not in known and len(core) > 2:
            words[i] = w.replace(core, "[X]")
    return "".join(words)


_PLACEHOLDER = {
    "name": "[NAMA]",
    "phone": "[TELP]",
    "email": "[EMAIL]",
    "nik": "[NOMOR]",
    "kk": "[NOMOR]",
    "number": "[X]",
    "plate": "\x00PLATE\x00",
    "address": "\x00ADDR\x00",
}


def _replace_found(text: str) -> str:
    """Replace what the detector finds in the source (identifiers its pass left) by placeholders.

    Such a value is a real identifier: it must not reach the sample. It returns as a synthetic
    one, so the detector is scored on those rows by its own earlier finding (noted in the README).
    """
    for span in reversed(pii.find(text)):
        text = text[: span.start] + _PLACEHOLDER[span.kind] + text[span.end :]
    return text


def _fill(text: str, rng: random.Random) -> tuple[str, list[list]]:
    """Replace the placeholders of *text* with synthetic identifiers; return text and labels."""
    out, spans, pos = [], [], 0
    pattern = re.compile(
        r"\[NAMA\]|\[TELP\]|\[EMAIL\]|\[NOMOR\]|\[NIK\]|\x00ADDR\x00|\x00RTRW\x00|\x00PLATE\x00"
    )
    for m in pattern.finditer(text):
        out.append(text[pos : m.start()])
        before = text[max(0, m.start() - 25) : m.start()].lower()
        token = m.group()
        if token == "[NAMA]":
            value, kind = name(rng), "name"
        elif token == "[TELP]":
            value, kind = phone(rng), "phone"
        elif token == "[EMAIL]":
            value, kind = email(rng), "email"
        elif token == "\x00ADDR\x00":
            value, kind = street_address(rng), "address"
        elif token == "\x00PLATE\x00":
            value, kind = plate(rng), "plate"
        elif token == "\x00RTRW\x00":
            value, kind = rt_rw(rng), "address"
        else:
            kk = "kk" in before or "keluarga" in before
            value, kind = id_number(rng, kk=kk), "kk" if kk else "nik"
        start = sum(len(p) for p in out)
        out.append(value)
        spans.append([kind, start, start + len(value)])
        pos = m.end()
    out.append(text[pos:])
    return "".join(out).replace("\x00", ""), spans


def _excerpt(text: str, rng: random.Random, size: int = 260) -> str:
    text = " ".join(text.split())
    hit = re.search(r"\[(?:NAMA|TELP|EMAIL|NOMOR|NIK)\]|\brt\b", text, re.I)
    centre = hit.start() if hit else 0
    start = max(0, centre - rng.randint(40, 140))
    start = text.rfind(" ", 0, start) + 1 if start else 0
    end = text.find(" ", min(len(text), start + size))
    return text[start : end if end > 0 else len(text)]


def _texts(data: Path) -> list[tuple[str, str]]:
    rows = []
    with (data / "surabaya-mediacenter-aduan/complaints.csv").open(encoding="utf-8") as f:
        rows += [("surabaya", r["keluhan"]) for r in csv.DictReader(f)]
    with (data / "sp4n-lapor-kab-bandung/reports.csv").open(encoding="utf-8") as f:
        rows += [("bandung", r["isi_laporan_akhir"]) for r in csv.DictReader(f)]
    return rows


def build(data: Path, *, seed: int = 6, size: int = 360) -> list[dict]:
    """Return the labelled rows: texts with placeholders first, some plain ones for contrast."""
    rng = random.Random(seed)
    texts = sorted({t for t in _texts(data) if len(t[1]) > 40})
    rng.shuffle(texts)
    strata = {
        "identifier": [t for t in texts if re.search(r"\[(?:TELP|EMAIL|NOMOR|NIK)\]", t[1])],
        "name": [t for t in texts if "[NAMA]" in t[1]],
        "address": [t for t in texts if _ADDRESS.search(t[1]) or _RTRW.search(t[1])],
        "plain": [t for t in texts if "[" not in t[1]],
    }
    quota = {"identifier": 110, "name": 110, "address": 60, "plain": size - 280}
    rows, seen = [], set()
    for stratum, count in quota.items():
        for source, raw in strata[stratum]:
            if count == 0:
                break
            excerpt = _excerpt(raw, rng)
            if excerpt in seen:
                continue
            seen.add(excerpt)
            text, spans = _fill(_replace_found(_scrub(excerpt)), rng)
            extra = rng.random()
            if extra < 0.35:
                template, kind = rng.choice(CARRIERS)
                value = GENERATORS[kind](rng)
                head = text + " " + template[: template.index("{")]
                spans.append([kind, len(head), len(head) + len(value)])
                text = head + value + template[template.index("}") + 1 :]
            elif extra < 0.7:
                text = f"{text} {lookalike(rng)}"
            rows.append(
                {"n": len(rows), "source": source, "stratum": stratum, "text": text, "spans": spans}
            )
            count -= 1
    return rows


if __name__ == "__main__":
    out = Path(__file__).resolve().parent / "data" / "pii_sample.jsonl"
    with out.open("w", encoding="utf-8") as f:
        for row in build(Path(sys.argv[1])):
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(out)
