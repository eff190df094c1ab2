"""Find and mask personal data in Indonesian free text before it is published (pure).

``find(text)`` returns the spans of identifiers it recognises; ``mask(text, extra_spans=...)``
replaces every span (found or given by an officer) with a typed placeholder. The placeholders
are stable tokens, the same in every language, so a published text never depends on the
language of the officer who published it:

    [NIK] [KK] [NOMOR] [TELEPON] [EMAIL] [NOPOL] [ALAMAT] [NAMA] [DISAMARKAN]

What is recognised, and why it is shaped so:

* NIK and KK (16 digits, possibly split by spaces, dots or dashes): the first two digits must be
  a province code and digits 7-12 a date DDMMYY (a NIK adds 40 to a woman's day; a KK carries its
  issue date), so amounts, LAPOR! ids and customer numbers are not taken for them. Other runs of
  12 or more digits are masked as [NOMOR] (account and customer numbers).
* Telephone numbers: mobiles written 08.., +62 8.., 62 8.., (+62) 8.., with any spacing, and
  landlines with an area code (021 ..., (031) ...).
* E-mail addresses, including "nama [at] domain [dot] com".
* Vehicle plates (nomor polisi): a real region code, 1-4 digits and 1-3 letters ("L 1234 AB").
* Street addresses: a street or alley word, up to six words, then a house number
  ("Jl. Melati No. 12"), and RT/RW numbers ("RT 03/RW 05", "rt.3 rw.5").
* Names after an honorific (Bapak, Ibu, Sdr, ...) or after "nama", "atas nama", "bernama",
  and capitalised words after "saya"; in Title Case, ALL CAPS or, after a strong cue,
  lower case. Roles ("Pak Lurah", "Bu RT") and ordinary words are not names.

It errs towards masking: a missed identifier on a public page costs more than a word too many,
and the officer sees every span before publishing.
"""

import re
from dataclasses import dataclass
from functools import cache

from .lexicon import SLANG
from .normalize import stem, stop_words


def _split(*parts: str) -> list[str]:
    return " ".join(parts).split()


NIK, KK, NUMBER, PHONE, EMAIL, PLATE, ADDRESS, NAME, OTHER = (
    "nik",
    "kk",
    "number",
    "phone",
    "email",
    "plate",
    "address",
    "name",
    "other",
)
KINDS = (NIK, KK, NUMBER, PHONE, EMAIL, PLATE, ADDRESS, NAME, OTHER)
TOKENS = {
    NIK: "[NIK]",
    KK: "[KK]",
    NUMBER: "[NOMOR]",
    PHONE: "[TELEPON]",
    EMAIL: "[EMAIL]",
    PLATE: "[NOPOL]",
    ADDRESS: "[ALAMAT]",
    NAME: "[NAMA]",
    OTHER: "[DISAMARKAN]",
}
# When two findings overlap, the earlier kind here wins.
_PRIORITY = {
    kind: rank
    for rank, kind in enumerate((EMAIL, NIK, KK, PHONE, NUMBER, PLATE, ADDRESS, NAME, OTHER))
}


@dataclass(frozen=True, order=True)
class Span:
    """A stretch ``text[start:end]`` holding personal data of one *kind*."""

    start: int
    end: int
    kind: str


# Province codes (kode wilayah): Sumatra, Riau Islands, Java, Bali-Nusa Tenggara,
# Kalimantan, Sulawesi, Maluku, Papua (old and new provinces).
PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53}
    | {61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96}
)
# Region letters of Indonesian plates (Polri); "RT", "RW", "KM" and "NO" are not among them.
PLATE_REGIONS = frozenset(
    _split(
        "A B D E F G H K L M N P R S T W Z AA AB AD AE AG BA BB BD BE BG BH BK BL BM BN BP "
        "DA DB DD DE DG DH DK DL DM DN DR DS DT DW EA EB ED KB KH KT KU PA PB PD PE PG PS PT"
    )
)

_DIGIT_RUN = re.compile(r"(?<![\d])\d+(?:[ .\-]\d+)*(?!\d)")
_EMAIL = re.compile(
    r"[\w.+\-]+(?:@|\s?\[at\]\s?|\s?\(at\)\s?)[\w\-]+(?:(?:\.|\s?\[dot\]\s?|\s?\(dot\)\s?)[\w\-]+)+",
    re.IGNORECASE,
)
_MOBILE = re.compile(r"(?<![\d+])(?:\(?\+62\)?|62|0)[\s.\-]?8\d(?:[\s.\-]?\d){7,10}(?!\d)")
_LANDLINE = re.compile(
    r"(?<![\d])(?:\(0[2-9]\d{1,2}\)|0[2-9]\d{1,2})[\s.\-]?\d{3,4}[\s.\-]?\d{3,5}(?!\d)"
)
_PLATE = re.compile(r"(?<![\w])([A-Za-z]{1,2})[\s\-]?([1-9]\d{0,3})[\s\-]?([A-Za-z]{1,3})(?![\w])")
_PLATE_CUE = re.compile(r"(?:nopol|no\.?\s*pol|plat|pelat|nomor\s+polisi|kendaraan)\W*$", re.I)
_STREET = re.compile(
    r"\b(?:jl|jln|jalan|gg|gang|perum|perumahan|komplek|kompleks|blok)\b\.?\s*"
    r"(?:[\w'/.\-]+\s+){0,6}?(?:no|nmr|nomor|nomer)\b\.?\s*:?\s*\d+\s*[a-z]?\b(?:\s*[/\-]\s*\d+[a-z]?\b)?",
    re.IGNORECASE,
)
_RT_RW = re.compile(
    r"\brt\s*[./]?\s*(?:rw\s*[.:]?\s*)?0*\d{1,3}\s*(?:[/,\-]|\s)?\s*(?:rw\s*[.:]?\s*)?(?:0*\d{1,3}\b)?"
    r"|\brw\s*[.:]?\s*0*\d{1,3}\b",
    re.IGNORECASE,
)
_KK_CUE = re.compile(r"(?:\bkk|kartu\s+keluarga)\W{0,4}(?:\w+\W{0,3}){0,2}$", re.I)

# Words that open a name. Strong cues accept a lower-case name; weak ones only a capitalised one.
_HONORIFICS = _split(
    "bapak bpk bp pak ibu ibuk bu sdr sdri saudara saudari tuan nyonya nona tn ny nn "
    "almarhum almarhumah alm drs dra ir prof hj"
)
_WEAK_HONORIFICS = _split(
    "mas mbak mba kak kakak dik adik bang abang kang teh cak ning om tante mbah eyang h dr "
    "saya kami anak istri suami ayah cucu"
)
# Weak cues after which a lower-case word that is no Indonesian root word may be a name.
_LOWER_OK = frozenset({"saya", "anak", "kami", "mas", "mbak", "mba", "kakak", "istri", "suami"})
_NAME_CUES = r"nama\s+lengkap|nama\s+saya|atas\s+nama|a\.\s?n\.?|an\.|bernama|namanya|nama"
_CUE = re.compile(
    rf"\b(?:(?P<strong>{'|'.join(_HONORIFICS)}|{_NAME_CUES})|(?P<weak>{'|'.join(_WEAK_HONORIFICS)}))"
    r"\b\.?\s*[:=\-]?\s*",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z']*(?:-[A-Za-z]+)?\.?")

# Roles and ordinary words that follow an honorific but are no one's name.
_NOT_NAMES = frozenset(
    _split(
        """
    lurah camat walikota wali bupati gubernur kepala kades kadus kadis kasi kabid sekda dinas
    rt rw polisi petugas dokter perawat bidan guru dosen presiden menteri direktur ketua
    sekretaris bendahara kapolres kapolsek kapolda kanit kasat satpam security pejabat pegawai
    staf staff admin operator sopir supir driver kurir ojol warga tetangga pemilik penjual
    pedagang wakil anggota dewan dprd pns asn tni polri bhabinkamtibmas babinsa satpol linmas
    mandor pengawas kontraktor pengelola manajer manager kepsek ustadz ustad kyai kiai pendeta
    jaksa hakim bos atasan yth terhormat pimpinan kapten komandan danramil camatnya lurahnya
    mohon tolong minta terima kasih selamat pagi siang sore malam assalamualaikum salam
    sudah belum tidak tdk tak sdh blm bisa dapat akan sedang masih juga hanya yg dgn utk
    saya kami kita anda beliau dia mereka ini itu tersebut sini situ sana yang dan atau
    rumah jalan kantor kelurahan kecamatan desa kampung dusun kota kabupaten provinsi
    nomor no telp telepon hp wa alamat tanggal tgl lahir umur usia tahun bulan hari jam
    anak istri suami orang tua ortu keluarga adik kakak nenek kakek mertua ibunya bapaknya
    laki perempuan pria wanita almarhum meninggal sakit hamil pasien korban pelapor terlapor
    surabaya bandung jakarta indonesia pemkot pemkab pemda pemerintah pln pdam bpjs kpk
    rs rsud puskesmas sekolah sd smp sma smk universitas masjid gereja pasar toko
    lengkap pengadu ybs bersangkutan sekalian semua para sekeluarga dari di ke pada
    """
    )
)


@cache
def _not_names() -> frozenset[str]:
    return _NOT_NAMES | stop_words()


_PREFIXES = ("me", "pe", "ber", "ter", "di", "ke", "se")


@cache
def _root_words() -> frozenset[str]:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory  # noqa: PLC0415 - heavy

    return frozenset(StemmerFactory().get_words())


def _is_vocabulary(plain: str) -> bool:
    """Return whether a lower-case word reads as an Indonesian or slang word, not a name."""
    return (
        len(plain) < 3
        or plain in SLANG
        or plain in _root_words()
        or stem(plain) in _root_words()
        or plain.startswith("ng")
        # Abbreviated chat words drop their vowels (skrng, sbgai, trlalu).
        or sum(c in "aiueo" for c in plain) * 3 < len(plain)
    )


def _is_name_word(word: str, *, lower_ok: bool, strong: bool) -> bool:
    """Return whether *word* can be part of a person's name."""
    plain = word.rstrip(".").lower()
    if len(plain) < 2 or plain in _not_names():
        return False
    if word[0].islower() and not lower_ok:
        return False
    if word[0].islower() and not strong and _is_vocabulary(plain):
        return False
    # A prefixed Indonesian word (memperbaiki, pelayanan, diproses) is vocabulary, not a name;
    # suffixes alone prove nothing (Hadi, Dian and Setiawan end like derived words).
    return not (plain.startswith(_PREFIXES) and stem(plain) != plain)


def _names(text: str) -> list[Span]:
    spans = []
    for cue in _CUE.finditer(text):
        strong = cue.group("strong") is not None
        lower_ok = strong or cue.group("weak").lower() in _LOWER_OK
        if (
            cue.group("weak")
            and cue.group("weak").lower() in {"h", "dr"}
            and not cue.group("weak")[0].isupper()
        ):
            continue
        pos, start, end, count = cue.end(), None, None, 0
        for _n in range(4):
            word = _WORD.match(text, pos)
            if not word or not _is_name_word(word.group(), lower_ok=lower_ok, strong=strong):
                break
            count += 1
            start = word.start() if start is None else start
            end = word.end() - (1 if word.group().endswith(".") else 0)
            gap = re.match(r"[ \t]+", text[word.end() :])
            if word.group().endswith(".") and not gap:
                break
            pos = word.end() + (len(gap.group()) if gap else 0)
            if not gap:
                break
        # One lower-case word after a weak cue ("saya online") is too often an ordinary word.
        lone_lower = (
            count == 1 and not strong and text[start].islower() if start is not None else False
        )
        if start is not None and not lone_lower:
            spans.append(Span(start, end, NAME))
    return spans


def _valid_date(day: int, month: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= 31


def id_number_kind(digits: str, *, kk_context: bool = False) -> str | None:
    """Return NIK or KK when 16 *digits* have the shape of one, else None.

    Digits 1-2 a province, 3-4 a regency (not 00), 5-6 a district (not 00), 7-12 a date
    DDMMYY (a NIK's day plus 40 for women), 13-16 a sequence (not 0000).
    """
    if len(digits) != 16 or not digits.isdigit():
        return None
    if int(digits[:2]) not in PROVINCES or digits[2:4] == "00" or digits[4:6] == "00":
        return None
    if digits[12:] == "0000":
        return None
    day, month = int(digits[6:8]), int(digits[8:10])
    woman = _valid_date(day - 40, month)
    plain = _valid_date(day, month)
    if kk_context and plain:
        return KK
    if plain or woman:
        return NIK
    return None


def _numbers(text: str) -> list[Span]:
    spans = []
    for run in _DIGIT_RUN.finditer(text):
        groups = [
            (m.start() + run.start(), m.end() + run.start(), m.group())
            for m in re.finditer(r"\d+", run.group())
        ]
        kk_context = bool(_KK_CUE.search(text[max(0, run.start() - 30) : run.start()]))
        spans.extend(_id_numbers(groups, kk_context))
        inside = any(s.start >= run.start() and s.end <= run.end() for s in spans)
        # A long number with no separators other than spaces: an account or customer id.
        if not inside and "." not in run.group() and sum(len(g[2]) for g in groups) >= 12:
            spans.append(Span(run.start(), run.end(), NUMBER))
    return spans


def _id_numbers(groups: list[tuple[int, int, str]], kk_context: bool) -> list[Span]:
    """Return NIK/KK spans over contiguous digit groups of a run that hold 16 digits."""
    spans = []
    for i in range(len(groups)):
        digits = ""
        for j in range(i, len(groups)):
            digits += groups[j][2]
            if len(digits) > 16:
                break
            if len(digits) == 16 and (kind := id_number_kind(digits, kk_context=kk_context)):
                spans.append(Span(groups[i][0], groups[j][1], kind))
                break
    return spans


def _plates(text: str) -> list[Span]:
    spans = []
    for match in _PLATE.finditer(text):
        region, letters = match.group(1), match.group(3)
        cue = bool(_PLATE_CUE.search(text[max(0, match.start() - 25) : match.start()]))
        if region.upper() not in PLATE_REGIONS:
            continue
        if not cue and not (region.isupper() and letters.isupper()):
            continue
        if not cue and letters.upper() in {"WIB", "WITA", "WIT", "KM", "KG", "RT", "RW", "M"}:
            continue
        spans.append(Span(match.start(), match.end(), PLATE))
    return spans


def _regex_spans(pattern: re.Pattern, text: str, kind: str) -> list[Span]:
    return [Span(m.start(), m.end(), kind) for m in pattern.finditer(text)]


def find(text: str) -> list[Span]:
    """Return the spans of personal data in *text*, sorted and not overlapping."""
    found = (
        _regex_spans(_EMAIL, text, EMAIL)
        + _numbers(text)
        + _regex_spans(_MOBILE, text, PHONE)
        + _regex_spans(_LANDLINE, text, PHONE)
        + _plates(text)
        + _regex_spans(_STREET, text, ADDRESS)
        + [
            s
            for s in _regex_spans(_RT_RW, text, ADDRESS)
            if any(c.isdigit() for c in text[s.start : s.end])
        ]
        + _names(text)
    )
    return _resolve(found)


def _resolve(spans: list[Span]) -> list[Span]:
    """Keep, of overlapping spans, the one of the stronger kind (then the longer one)."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (_PRIORITY[s.kind], s.start - s.end, s.start)):
        if span.end > span.start and not any(
            s.start < span.end and span.start < s.end for s in kept
        ):
            kept.append(span)
    return sorted(kept)


def spans_for(text: str, strings: list[str]) -> list[Span]:
    """Return OTHER spans for every case-insensitive occurrence of *strings* in *text*."""
    spans = []
    for value in {s.strip() for s in strings if s and s.strip()}:
        pattern = re.compile(r"\s+".join(re.escape(part) for part in value.split()), re.IGNORECASE)
        spans.extend(_regex_spans(pattern, text, OTHER))
    return spans


def mask(text: str, extra_spans: list[Span] = ()) -> str:
    """Return *text* with every found span and every *extra_spans* replaced by its token.

    Overlapping spans are merged into one placeholder, of the found kind when there is one.
    """
    spans = sorted([*find(text), *extra_spans])
    merged: list[list] = []
    for span in spans:
        # Two findings of one kind with only spaces between read as one ("[ALAMAT] [ALAMAT]").
        joined = (
            merged and merged[-1][2] == span.kind and not text[merged[-1][1] : span.start].strip()
        )
        if merged and (span.start < merged[-1][1] or joined):
            merged[-1][1] = max(merged[-1][1], span.end)
            if merged[-1][2] == OTHER:
                merged[-1][2] = span.kind
        else:
            merged.append([span.start, span.end, span.kind])
    out, pos = [], 0
    for start, end, kind in merged:
        out.append(text[pos:start])
        out.append(TOKENS[kind])
        pos = end
    out.append(text[pos:])
    return "".join(out)
