"""Measure duplicate detection on the exact re-submission groups of the shared test data.

The reports of a set are replayed in time order through an in-memory copy of the index of
``cases.duplicates`` (the same band keys, the newest PER_KEY cases per key, the POOL and the
SHORTLIST by shared bands, and ``similarity.rank``): each query sees only the reports received
before it, all of them open. For every group of reports with the same text, its newest member
asks and a hit is another member among the top five. Three ways of asking:

* ``exact``: the member's own text, as the citizen sent it again;
* ``retyped``: the text as an officer types it from a phone call or at the counter (lower
  case, no punctuation, common abbreviations, a typo in about one word in eight), the
  cross-channel case;
* ``summary``: retyped and cut to its first 60 % of words.

Precision: of a sample of reports asking in turn, those whose first match reaches a similarity
threshold; the match counts as right when its text is the same (after normalisation). Near
duplicates that were not re-submitted word for word count as wrong, so this is a lower bound.

The rows are read from the CSV files and never leave this process; nothing is printed but
figures.
"""

import csv
import random
import re
import time
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from . import similarity
from .similarity import Candidate, Place

# The same figures as cases.duplicates (which this app may not import): kept equal by a test.
PER_KEY = 100
POOL = 100
LIMIT = 5
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)
UNKNOWN_PLACES = {"", "tidak diketahui", "-"}


@dataclass(frozen=True)
class Row:
    """One report of a shared set: when, which agency (unit), where, how, and its text.

    *body* is the part a re-submission repeats word for word (without a title that may vary).
    """

    at: datetime
    unit: str
    place: str
    channel: str
    text: str
    body: str


def _place(*parts: str) -> str:
    return " ".join(p for p in parts if p.strip().lower() not in UNKNOWN_PLACES)


def load_surabaya(path: Path) -> list[Row]:
    """Read the Surabaya Media Center complaints (one web channel)."""
    with path.open(encoding="utf-8", newline="") as f:
        return [
            Row(
                at=datetime.fromisoformat(r["tanggal_keluhan"]),
                unit=r["instansi"],
                place=_place(r["kelurahan"], r["kecamatan"]),
                channel="web",
                text=r["keluhan"],
                body=r["keluhan"],
            )
            for r in csv.DictReader(f)
        ]


def load_bandung(path: Path) -> list[Row]:
    """Read the SP4N-LAPOR! reports of Kabupaten Bandung (title and text, several channels)."""
    with path.open(encoding="utf-8", newline="") as f:
        return [
            Row(
                at=datetime.fromisoformat(f"{r['tanggal_masuk']} {r['waktu_masuk'] or '00:00'}"),
                unit=r["instansi_terdisposisi"] or r["instansi_induk"],
                place=_place(r["kecamatan_final"]),
                channel=r["sumber_laporan"],
                text=f"{r['judul']}\n{r['isi_laporan_akhir']}",
                body=r["isi_laporan_akhir"],
            )
            for r in csv.DictReader(f)
        ]


SETS = {
    "surabaya": ("surabaya-mediacenter-aduan/complaints.csv", load_surabaya),
    "bandung": ("sp4n-lapor-kab-bandung/reports.csv", load_bandung),
}

# How officers shorten words when they type fast; the inverse of part of the normaliser.
_SHORT = {
    "yang": "yg",
    "tidak": "tdk",
    "dengan": "dgn",
    "sudah": "sdh",
    "belum": "blm",
    "karena": "krn",
    "tapi": "tp",
    "dari": "dr",
    "untuk": "utk",
    "saya": "sy",
    "jalan": "jln",
    "lagi": "lg",
    "tolong": "tlg",
    "mohon": "mhn",
}
_PUNCTUATION = re.compile(r"[^\w\s]")


def retype(text: str, rng: random.Random, *, keep: float = 1.0) -> str:
    """Return *text* as an officer might type it: lower case, abbreviated, with typos."""
    out = []
    for word in _PUNCTUATION.sub(" ", text.lower()).split():
        if word in _SHORT and rng.random() < 0.6:
            word = _SHORT[word]
        elif len(word) > 3 and rng.random() < 0.125:
            i = rng.randrange(1, len(word) - 1)
            edit = rng.randrange(3)
            if edit == 0:
                word = word[:i] + word[i + 1 :]
            elif edit == 1:
                word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            else:
                word = word[:i] + rng.choice("aiueonkrst") + word[i + 1 :]
        out.append(word)
    if keep < 1.0 and len(out) > 10:
        out = out[: max(10, int(len(out) * keep))]
    return " ".join(out)


@dataclass
class Replay:
    """The rows of one set in time order with their shingles and band keys, indexed."""

    rows: list[Row]
    shingles: list[frozenset[str]] = field(default_factory=list)
    postings: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self):
        self.rows = sorted(self.rows, key=lambda r: r.at)
        for i, row in enumerate(self.rows):
            self.shingles.append(similarity.shingles(row.text))
            for key in similarity.band_keys(similarity.signature(self.shingles[i]), namespace=1):
                self.postings[key].append(i)

    def hits(self, keys: Iterable[int], before: int) -> dict[int, int]:
        """Return {row: shared keys} as cases.duplicates.band_hits would, rows before *before*."""
        counts: dict[int, int] = defaultdict(int)
        for key in keys:
            ids = self.postings.get(key, [])
            end = bisect_left(ids, before)
            for i in ids[max(0, end - PER_KEY) : end]:
                counts[i] += 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], -kv[0]))[:POOL])

    def ask(self, text: str, *, before: int, unit: str, place: str, at: datetime):
        """Return (matches, candidates found by the bands) for *text* arriving at *at*."""
        query = similarity.shingles(text)
        hits = self.hits(similarity.band_keys(similarity.signature(query), namespace=1), before)
        shortlist = similarity.shortlist(hits, similarity.SHORTLIST)
        units = {name: n for n, name in enumerate({unit} | {self.rows[i].unit for i in shortlist})}
        candidates = [
            Candidate(
                id=i,
                shingles=self.shingles[i],
                unit_id=units[self.rows[i].unit],
                place=Place(self.rows[i].place),
                age_days=(at - self.rows[i].at).total_seconds() / 86400,
            )
            for i in shortlist
        ]
        matches = similarity.rank(
            query, candidates, unit_id=units[unit], place=Place(place), limit=LIMIT
        )
        return matches, hits

    def groups(self) -> list[list[int]]:
        """Return the groups of rows with exactly the same body, oldest first within each."""
        by_text: dict[str, list[int]] = defaultdict(list)
        for i, row in enumerate(self.rows):
            if row.body.strip():
                by_text[row.body.strip()].append(i)
        return [members for members in by_text.values() if len(members) > 1]


def recall(replay: Replay, *, variant: str, seed: int = 1) -> dict:
    """Return recall@5 of an earlier group member, asked by each group's newest member."""
    rng = random.Random(seed)  # noqa: S311 - reproducible typos, not a secret
    found = in_band = 0
    timings = []
    groups = replay.groups()
    for members in groups:
        newest = members[-1]
        row = replay.rows[newest]
        text = row.text
        if variant == "retyped":
            text = retype(text, rng)
        elif variant == "summary":
            text = retype(text, rng, keep=0.6)
        started = time.perf_counter()
        matches, hits = replay.ask(text, before=newest, unit=row.unit, place=row.place, at=row.at)
        timings.append(time.perf_counter() - started)
        earlier = set(members[:-1])
        found += any(m.id in earlier for m in matches)
        in_band += bool(earlier & hits.keys())
    n = len(groups)
    return {
        "variant": variant,
        "groups": n,
        "recall_at_5": found / n if n else None,
        "band_recall": in_band / n if n else None,
        "ms_per_query": 1000 * sum(timings) / n if n else None,
    }


def precision(replay: Replay, *, sample: int = 500, seed: int = 1) -> dict:
    """Return, per threshold, how often a sample's first match above it is a re-submission."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible sample, not a secret
    normal = [" ".join(similarity.words(r.body)) for r in replay.rows]
    asked = rng.sample(range(1, len(replay.rows)), min(sample, len(replay.rows) - 1))
    tops = []
    for i in asked:
        row = replay.rows[i]
        matches, _hits = replay.ask(row.text, before=i, unit=row.unit, place=row.place, at=row.at)
        if matches:
            tops.append((matches[0].similarity, normal[matches[0].id] == normal[i]))
    table = {}
    for threshold in THRESHOLDS:
        above = [same for score, same in tops if score >= threshold]
        table[threshold] = {
            "above": len(above),
            "precision": sum(above) / len(above) if above else None,
        }
    return {"sample": len(asked), "thresholds": table}
