"""Flag reports that describe danger to life or safety (pure; weighted phrase patterns).

A report is read sentence by sentence on its normalised words (``normalize.words``, not
stemmed: stemming would join "kebakaran", a fire, with "pembakaran", burning rubbish). Each
``Cue`` is a phrase with a weight: "pohon tumbang menimpa rumah" weighs, "pohon" alone does
not. A cue counts less when the words just before it (or inside it) make it hypothetical
("takut tumbang", "rawan banjir", "agar tidak roboh"), habitual ("setiap hujan banjir masuk
rumah": a real problem, not an emergency), past or already handled, or administrative
("bantuan korban kebakaran"); a negation right before it ("belum roboh", "tidak ada korban")
cancels it. A present-time word in the sentence ("barusan", "saat ini", "belum surut")
strengthens it. The weights of the cues found are summed: ``URGENT_SCORE`` and more is urgent.

The cues, weights and thresholds were tuned on the "dev" half of the labelled sample in
``tests/data/urgency_sample.csv`` and checked on its "holdout" half (``manage.py
insights_evaluate urgency`` prints both). The detector errs towards recall of clear emergencies
and leaves chronic hazards (potholes, trees that might fall, low cables) to the normal queue.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .normalize import words

NONE, POSSIBLE, URGENT = "none", "possible", "urgent"
URGENT_SCORE = 3.0
POSSIBLE_SCORE = 1.5

REASONS = {
    "fire": _("Fire, explosion or gas leak"),
    "flood": _("Flooding in homes"),
    "landslide": _("Landslide"),
    "accident": _("Accident with injured people"),
    "violence": _("Violence or assault"),
    "threat": _("Threat of violence"),
    "self_harm": _("Risk of suicide or self-harm"),
    "missing": _("Missing person"),
    "drowning": _("Drowning or swept away"),
    "electric": _("Live or fallen power line, electrocution"),
    "collapse": _("Fallen tree or collapsed structure"),
    "medical": _("Medical emergency"),
}


@dataclass(frozen=True)
class Cue:
    """A phrase that points to danger, with its weight; *unless* vetoes a match."""

    reason: str
    pattern: re.Pattern
    weight: float
    unless: re.Pattern | None = None


def _cue(reason: str, pattern: str, weight: float, unless: str | None = None) -> Cue:
    return Cue(reason, re.compile(pattern), weight, re.compile(unless) if unless else None)


# Up to n words between two parts of a phrase.
def _gap(n: int) -> str:
    return rf"(?:\S+ ){{0,{n}}}?"


_WEAPON = r"(?:senjata tajam|sajam|senjata|pisau|parang|celurit|clurit|golok|pedang|pistol|samurai)"
_PEOPLE = (
    r"anak(?:-anak)?|adik|kakak|ibu|ayah|bapak|suami|istri|nenek|kakek|putra|putri|balita|"
    r"bocah|lansia|keluarga|warga|orang|pria|wanita|seseorang|korban|pengendara|pejalan kaki"
)
_PERSON = f"(?:{_PEOPLE})"
_DOCUMENTS = (
    r"\b(?:ktp|e-ktp|kk|kartu|akta|akte|dokumen|surat|data|mbr|status|berkas|sertifikat|ijazah|"
    r"stnk|bpkb|motor|sepeda|hp|dompet|uang|barang|file|tutup|besi|kabel|meteran)\b"
)
_TELECOM = r"\b(?:telkom|telepon|telpon|internet|wifi|fiber|optik|provider|indihome|cctv|fo)\b"

CUES: tuple[Cue, ...] = (
    # fire, explosion, gas
    _cue("fire", r"\b(?:ada|terjadi|terjadinya|sedang) kebakaran\b", 3),
    _cue(
        "fire",
        r"(?<!pemadam )(?<!damkar )(?<!korban )(?<!bencana )(?<!pencegahan )"
        r"(?<!penanggulangan )\bkebakaran\b",
        2,
    ),
    _cue(
        "fire",
        r"\b(?:rumah|bangunan|gedung|toko|gudang|pasar|kios|mobil|motor|kendaraan|lahan|gubuk|"
        rf"kandang|pabrik) {_gap(2)}(?:terbakar|dilalap api)\b",
        3,
    ),
    _cue("fire", r"\bterbakar\b", 1.5),
    _cue(
        "fire",
        r"\b(?:kobaran api|api (?:membesar|berkobar|menjalar)|asap tebal|"
        r"dilalap (?:api|si jago))\b",
        2.5,
    ),
    _cue("fire", r"\b(?:gas bocor|bocor gas|kebocoran gas|bau gas)\b", 2),
    _cue("fire", r"\b(?:meledak|ledakan)\b", 2),
    # flooding
    _cue("flood", r"\bbanjir\b", 0.8),
    _cue(
        "flood",
        rf"\bbanjir {_gap(3)}(?:masuk|merendam|menggenangi) (?:ke )?(?:dalam )?"
        r"(?:rumah|pemukiman|permukiman|kamar)",
        3,
    ),
    _cue("flood", rf"\b(?:rumah|pemukiman|permukiman) {_gap(2)}(?:terendam|kebanjiran)\b", 3),
    _cue("flood", rf"\bair {_gap(2)}masuk (?:ke )?(?:dalam )?rumah\b", 2.5),
    _cue("flood", r"\b(?:banjir bandang|tanggul jebol|jebolnya tanggul)\b", 3),
    _cue(
        "flood",
        r"\b(?:setinggi (?:dada|leher|pinggang|perut|paha|atap|orang dewasa|\d+(?:[.,]\d+)? ?"
        r"(?:m|meter))|sepinggang|sedada|seleher|sepaha)\b",
        1.5,
    ),
    _cue("flood", r"\b(?:mengungsi|pengungsian|dievakuasi|terjebak banjir|terisolasi)\b", 2),
    _cue("flood", rf"\b(?:terjadi|terjadinya|sedang|telah|sudah) {_gap(1)}banjir\b", 2),
    _cue("flood", r"\b(?:belum surut|tidak surut|baru kali ini|pertama kali ini|seumur)\b", 1),
    # landslide
    _cue("landslide", r"\btanah longsor\b", 3),
    _cue("landslide", r"\b(?:terjadi|terjadinya|ada) longsor(?:an)?\b", 2.5),
    _cue("landslide", r"\blongsor(?:an|nya)?\b", 1.2),
    _cue(
        "landslide",
        rf"\b(?:{_PEOPLE}|rumah) {_gap(2)}tertimbun\b|\btertimbun (?:tanah )?longsor",
        3,
    ),
    # accidents
    _cue("accident", r"\bkecelakaan\b", 0.8),
    _cue("accident", r"\b(?:tabrak lari|tabrakan beruntun)\b", 2.5),
    _cue("accident", r"\b(?:ditabrak|tertabrak|menabrak|tabrakan)\b", 1),
    _cue(
        "accident",
        rf"\b{_PERSON} {_gap(2)}(?:luka parah|luka berat|tewas|meninggal di tempat|"
        r"tidak sadarkan diri|kritis)\b",
        2.5,
    ),
    # violence, threats
    _cue(
        "violence",
        r"\b(?:dianiaya|penganiayaan|menganiaya|dikeroyok|pengeroyokan|mengeroyok|dibacok|"
        r"pembacokan|membacok|ditusuk|penusukan|dipukuli|memukuli|dihajar|ditembak|penembakan|"
        r"dibegal|pembegalan|begal|perampokan|dirampok|diperkosa|pemerkosaan|pencabulan|"
        r"dicabuli|penculikan)\b",
        3,
    ),
    _cue("violence", r"\b(?:kdrt|kekerasan dalam rumah tangga)\b(?! non)", 3),
    _cue("violence", r"\bkekerasan\b(?! (?:verbal|psikis|non fisik|non-fisik))", 1.5),
    _cue("violence", r"\btawuran\b", 3),
    _cue("violence", r"\b(?:terjadi|ada) (?:tindak |tindakan )?kekerasan\b", 3),
    _cue("violence", r"\bpelecehan\b", 1.5),
    _cue("violence", r"\b(?:mengamuk|ngamuk)\b", 2),
    _cue("threat", rf"\b(?:membawa|bawa|mengacungkan|menodongkan) {_gap(1)}{_WEAPON}\b", 3),
    _cue("threat", rf"\b(?:mengancam|diancam|ancaman) {_gap(4)}(?:{_WEAPON}|bunuh|membunuh)", 3),
    _cue("threat", r"\b(?:mengancam|diancam|ancaman)\b", 1),
    _cue("threat", r"\bintimidasi\b", 1),
    _cue("self_harm", r"\b(?:bunuh diri|gantung diri|ingin mati|mengakhiri hidup)\b", 3),
    # missing people
    _cue(
        "missing",
        rf"\b{_PERSON} {_gap(3)}(?:hilang|belum pulang|tidak pulang|belum kembali|"
        r"tidak kembali|menghilang|diculik|kabur dari rumah)\b",
        2.5,
        unless=_DOCUMENTS,
    ),
    _cue(
        "missing",
        r"\b(?:hilang sejak|orang hilang|anak hilang|diculik)\b",
        1.5,
        unless=_DOCUMENTS,
    ),
    _cue("missing", r"\b(?:belum|tidak) (?:pulang|kembali ke rumah)\b", 1.5),
    # drowning
    _cue("drowning", r"\b(?:tenggelam|terseret arus)\b", 2.5),
    _cue("drowning", rf"\b{_PERSON} {_gap(2)}(?:hanyut|tercebur|terseret)\b", 3),
    _cue("drowning", rf"\bhanyut(?:nya)? {_gap(1)}{_PERSON}\b", 3),
    # electricity
    _cue("electric", r"\b(?:tersengat listrik|tersetrum|kena setrum|sengatan listrik)\b", 2.5),
    _cue(
        "electric",
        rf"\bkabel {_gap(2)}(?:putus|terputus|jatuh|terjatuh|terbakar|berasap|meleleh|"
        r"mengeluarkan api)\b",
        2.5,
        unless=_TELECOM,
    ),
    _cue(
        "electric",
        rf"\bkabel (?:listrik|pln|pju|tegangan tinggi) {_gap(1)}(?:putus|terputus|terbakar)\b",
        3,
    ),
    _cue("electric", r"\b(?:ada |masih ada )?(?:arus|aliran) listrik(?:nya)?\b", 0.8),
    _cue(
        "electric",
        rf"\btiang (?:listrik|pln|pju|lampu) {_gap(4)}(?:roboh|ambruk|tumbang|patah|rubuh|jatuh)\b",
        3,
    ),
    _cue("electric", r"\b(?:korsleting|konsleting|korslet|konslet|percikan api)\b", 1),
    # falling trees and collapsing structures
    _cue("collapse", rf"\bpohon {_gap(3)}(?:tumbang|roboh|ambruk|rubuh)\b", 3),
    _cue(
        "collapse",
        rf"\b(?:tumbang|roboh|ambruk|rubuh) {_gap(2)}(?:menimpa|mengenai|menutup|menutupi|"
        r"melintang|menghalangi)\b",
        3,
    ),
    _cue(
        "collapse",
        rf"\b(?:menimpa|tertimpa|menindih|tertindih) {_gap(2)}(?:rumah|warga|orang|pengendara|"
        r"mobil|motor|kendaraan|anak|atap|penghuni|pejalan)\b",
        2.5,
    ),
    _cue(
        "collapse",
        r"\b(?:rumah|bangunan|gedung|tembok|dinding|atap|plafon|plafond|jembatan|sekolah|kelas|"
        rf"kanopi|baliho|reklame|menara|tower) {_gap(2)}(?:roboh|ambruk|runtuh|rubuh|jebol)\b",
        2.5,
    ),
    _cue(
        "collapse",
        rf"\b(?:dahan|batang|ranting|cabang|tangkai)(?:nya)? {_gap(2)}(?:patah|jatuh)\b",
        1.2,
    ),
    _cue("collapse", rf"\b(?:tersangkut|tertahan|menggantung) {_gap(2)}kabel\b", 1.2),
    # medical emergencies
    _cue(
        "medical",
        r"\b(?:pingsan|tidak sadarkan diri|tak sadarkan diri|sekarat|overdosis|keracunan|"
        r"henti jantung|gagal napas|kejang-kejang)\b",
        2.5,
    ),
    _cue(
        "medical",
        r"\b(?:pendarahan|perdarahan|berdarah-darah|keluar darah|darah(?:nya)? (?:terlalu )?"
        r"banyak|luka robek|kepala(?:nya)? bocor|patah tulang)\b",
        2,
    ),
    _cue("medical", r"\b(?:sesak (?:napas|nafas)|kejang|koma|kondisi kritis)\b", 1.2),
    _cue(
        "medical",
        rf"\b(?:butuh|perlu|minta|meminjam|pinjam|memanggil|panggil) {_gap(1)}"
        r"(?:ambulan|ambulans|ambulance)\b",
        2,
    ),
    _cue("medical", r"\b(?:igd|ugd|gawat darurat)\b", 0.7),
    _cue("medical", r"\bhamil\b", 0.5),
    _cue("medical", r"\b(?:terluka|luka-luka)\b", 1),
    _cue("medical", r"\b(?:membiru|menghitam|membusuk)\b", 1),
    _cue("medical", r"\b(?:meninggal|tewas)\b", 0.7),
)

_NEGATION = re.compile(r"\b(?:tidak|belum|bukan|tanpa|tak|jangan|non)\b(?: \S+)?$")
# Events stated with a negation ("belum pulang", "tidak sadarkan diri", "belum surut").
_NEGATIVE_EVENT = frozenset({"pulang", "kembali", "diri", "sadar", "surut", "kabar"})
# Words that make a cue a fear or a possibility, not an event: within four words of it...
_HYPOTHETICAL = re.compile(
    r"\b(?:takut|takutnya|khawatir|dikhawatirkan|khawatirkan|mengkhawatirkan|takutkan|"
    r"ditakutkan|rawan|rentan|potensi|berpotensi|jika|kalau|bila|apabila|sewaktu-waktu|agar|"
    r"supaya|biar|mencegah|menghindari|antisipasi|risiko|resiko|beresiko|berisiko|bahaya|"
    r"seandainya|misal|sebelum|cenderung|berdampak|meminimalisir|meminimalisasi|mengurangi|"
    r"(?:saat|waktu|ketika) (?:hujan|angin))\b"
)
# ... or, for these common words, right before it ("bisa roboh", but "tidak bisa ... karena").
_MAYBE = re.compile(r"\b(?:bisa|dapat|akan|mau|hampir|nanti)\b")
_HABITUAL = re.compile(
    r"\b(?:setiap|tiap|selalu|sering|seringkali|kerap|langganan|biasanya|berkali-kali|musim|"
    r"berturut-turut|berturut turut)\b"
)
_PAST = re.compile(
    r"\b(?:pernah|dulu|dahulu|silam|kemarin|tahun lalu|bulan lalu|yang lalu|sisa|bekas|pasca|"
    r"riwayat|sejak tahun)\b"
)
_ADMIN = re.compile(
    r"\b(?:santunan|akta|akte|surat keterangan|bansos|bantuan sosial|bantuan rumah|klaim|"
    r"asuransi|pelatihan|sosialisasi|simulasi|lowongan|mendaftar|pendaftaran|program|dtks|mbr|"
    r"pkh|wawancara|penelitian|membahas|puing|pengangkutan|jasa raharja)\b"
)
_RESOLVED = re.compile(
    r"\b(?:sudah|telah|berhasil) (?:ditangani|dipadamkan|padam|dievakuasi|diatasi|dipotong|"
    r"dibersihkan|diamankan|surut|ditindaklanjuti)\b"
)
_PRESENT = re.compile(
    r"\b(?:sekarang|saat ini|barusan|baru saja|tadi|sedang|hari ini|malam ini|pagi ini|"
    r"siang ini|sore ini|dini hari|belum surut|sampai hari ini|sampai saat ini|masih|"
    r"(?:pukul|jam) \d+)\b"
)
_SENTENCE = re.compile(r"[.!?;\n]+")


@dataclass(frozen=True)
class Match:
    """One cue found: its reason, the words matched and the weight after its context."""

    reason: str
    phrase: str
    weight: float


@dataclass(frozen=True)
class Assessment:
    """The urgency of one text: level, score, reasons (strongest first) and the matches."""

    level: str
    score: float
    reasons: tuple[str, ...] = ()
    matches: tuple[Match, ...] = field(default=(), repr=False)

    @property
    def is_urgent(self) -> bool:
        """Return whether the text should be treated as an emergency."""
        return self.level == URGENT


# A threat or an assault that keeps happening is no less dangerous for being habitual.
_PERSISTENT = frozenset({"violence", "threat", "self_harm", "missing", "medical"})


def _context_factor(
    reason: str, before: str, inside: str, last: str, after: str, sentence: str
) -> float:
    """Return how much a cue counts given the words around and inside it and its sentence."""
    # "tidak ada korban ...", "pohon belum roboh": a negation just before the cue or its verb
    # (but "belum pulang", "tidak sadarkan diri" are the events themselves).
    if _NEGATION.search(before.rstrip()):
        return 0.0
    if _NEGATION.search(f"{before} {inside}".rstrip()) and last not in _NEGATIVE_EVENT:
        return 0.0
    before_words = before.split()
    near = " ".join(before_words[-4:] + inside.split() + after.split()[:3])
    factor = 1.0
    if _HYPOTHETICAL.search(near) or _MAYBE.search(" ".join(before_words[-2:] + inside.split())):
        factor = min(factor, 0.2)
    wide = " ".join(before_words[-6:]) + " " + near
    past = reason != "missing" and _PAST.search(wide)  # "hilang sejak kemarin" is now
    if past or (reason not in _PERSISTENT and _HABITUAL.search(wide)):
        factor = min(factor, 0.35)
    if _ADMIN.search(sentence):
        factor = min(factor, 0.4)
    if factor == 1.0 and _PRESENT.search(sentence):
        factor = 1.25
    return factor


def _sentence_matches(sentence: str) -> list[tuple[int, Match]]:
    found = []
    for index, cue in enumerate(CUES):
        best = None
        for m in cue.pattern.finditer(sentence):
            before, after = sentence[: m.start()], sentence[m.end() :]
            if cue.unless and cue.unless.search(" ".join(before.split()[-2:]) + " " + m.group()):
                continue
            inside, _, last = m.group().rpartition(" ")
            weight = cue.weight * _context_factor(cue.reason, before, inside, last, after, sentence)
            if weight and (best is None or weight > best.weight):
                best = Match(cue.reason, m.group(), weight)
        if best:
            found.append((index, best))
    return found


def assess(text: str) -> Assessment:
    """Return the urgency of *text*: level, score and the reasons found."""
    # A cue counts once per text (its strongest occurrence), so repetition adds nothing.
    strongest: dict[int, Match] = {}
    sentences = [" ".join(words(part)) for part in _SENTENCE.split(text)]
    for sentence in filter(None, sentences):
        for index, match in _sentence_matches(sentence):
            if index not in strongest or match.weight > strongest[index].weight:
                strongest[index] = match
    if not strongest:
        return Assessment(level=NONE, score=0.0)
    kept = sorted(strongest.values(), key=lambda m: -m.weight)
    score = sum(m.weight for m in kept)
    if any(_RESOLVED.search(sentence) for sentence in sentences):
        score *= 0.3
    by_reason: dict[str, float] = {}
    for match in kept:
        by_reason[match.reason] = by_reason.get(match.reason, 0.0) + match.weight
    reasons = tuple(r for r, w in sorted(by_reason.items(), key=lambda kv: -kv[1]) if w >= 1)
    level = URGENT if score >= URGENT_SCORE else POSSIBLE if score >= POSSIBLE_SCORE else NONE
    return Assessment(level=level, score=round(score, 2), reasons=reasons, matches=tuple(kept))
