"""Normalise informal Indonesian complaint text into words and stemmed tokens (pure).

``normalized(text)`` lower-cases, drops placeholders, links and punctuation, squashes
repeated letters and expands slang and abbreviations (``lexicon.SLANG``); every word is kept,
so negations and tense words stay for ``urgency``. ``tokens(text)`` goes on: it removes stop
words (Sastrawi's list and ``lexicon.DOMAIN_STOP_WORDS``, but never ``lexicon.NEGATIONS``),
numbers and single letters, and stems with Sastrawi.

Stemming caveats (research/stack.md 7). Sastrawi strips affixes against a root dictionary and
over-stems: "pelayanan" -> "layan", "pembakaran" (burning rubbish) and "kebakaran" (a fire)
both -> "bakar", "pengendara" -> "kendara", "perbaikan" -> "baik" (the same stem as "good"),
"perantingan" -> "anting" (an earring). The worst domain cases are overridden in
``lexicon.STEM_OVERRIDES``; the rest are accepted, so a stem is a feature for a model, not a
word to show anyone, and meaning-sensitive matching (urgency) runs on unstemmed words.
Typos are left alone: "berlobang" stays apart from "berlubang". The stemmer is slow (about
10 µs a word, 0.2 s to build), so it is built once on first use and each word's stem is
cached.
"""

import re
import unicodedata
from functools import cache, lru_cache

from .lexicon import DOCTOR_CONTEXT, DOMAIN_STOP_WORDS, MERGES, NEGATIONS, SLANG, STEM_OVERRIDES

# Placeholders of the de-identification ("[NAMA]"), links and e-mail addresses.
_NOISE = re.compile(r"\[[A-Za-z_ ]{1,20}\]|(?:https?://|www\.)\S+|\S+@\S+\.\S+", re.IGNORECASE)
# UTF-8 read as Windows-1252 ("ðŸ™" was an emoji): a lead byte and continuation bytes.
_MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152-\u0192\u02c6-\u02dc\u2013-\u2122]+")
# "anak2", "hati2": a trailing 2 repeats the word (reduplication) in informal writing.
_REDUPLICATED = re.compile(r"\b([a-z]{3,})2\b")
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_RUN = re.compile(r"([a-z])\1{2,}")
_RUN_WORD = re.compile(r"[a-z]*([a-z])\1{2,}[a-z]*")
# Words that words() must look at twice: slang, the second half of a merge, "dr".
_SPECIAL = frozenset(SLANG) | {second for _first, second in MERGES} | {"dr"}


@cache
def _root_words() -> frozenset[str]:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory  # noqa: PLC0415 - heavy

    return frozenset(StemmerFactory().get_words())


@cache
def _stemmer():
    # The uncached Stemmer: stem() keeps its own bounded cache, where Sastrawi's grows forever.
    from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary  # noqa: PLC0415
    from Sastrawi.Stemmer.Stemmer import Stemmer  # noqa: PLC0415

    return Stemmer(ArrayDictionary(sorted(_root_words())))


@cache
def _sastrawi_stop_words() -> frozenset[str]:
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import (  # noqa: PLC0415
        StopWordRemoverFactory,
    )

    return frozenset(StopWordRemoverFactory().get_stop_words())


@cache
def stop_words() -> frozenset[str]:
    """Return the stop words tokens() removes: Sastrawi's and the domain's, never a negation."""
    return (_sastrawi_stop_words() | DOMAIN_STOP_WORDS) - NEGATIONS


def _squash(word: str) -> str:
    """Shorten runs of three or more letters ("bangettt" -> "banget", "maaaf" -> "maaf")."""
    single = _RUN.sub(r"\1", word)
    double = _RUN.sub(r"\1\1", word)
    if double in _root_words() and single not in _root_words():
        return double
    return single


def _plain(text: str) -> str:
    """Return *text* lower-cased in ASCII without placeholders, links or accents."""
    text = _NOISE.sub(" ", text)
    if not text.isascii():
        text = _MOJIBAKE.sub(" ", text)
        # NFD splits "é" into "e" and an accent; anything still outside ASCII (emoji) goes.
        text = unicodedata.normalize("NFD", text).encode("ascii", "ignore").decode("ascii")
    text = text.lower()
    if "2" in text:
        text = _REDUPLICATED.sub(r"\1-\1", text)
    if _RUN.search(text):
        text = _RUN_WORD.sub(lambda m: _squash(m.group()), text)
    return text


def words(text: str) -> list[str]:
    """Return the normalised words of *text*, in order, slang expanded, nothing removed."""
    found = _WORD.findall(_plain(text))
    if _SPECIAL.isdisjoint(found):
        return found
    out: list[str] = []
    for word in found:
        if word not in _SPECIAL:
            out.append(word)
            continue
        if word == "dr" and out and out[-1] in DOCTOR_CONTEXT:
            out.append("dokter")
            continue
        for part in SLANG.get(word, word).split(" "):
            if out and (merged := MERGES.get((out[-1], part))):
                out[-1] = merged
            else:
                out.append(part)
    return out


def normalized(text: str) -> str:
    """Return *text* normalised as one string of words separated by single spaces."""
    return " ".join(words(text))


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """Return Sastrawi's stem of one normalised word, or the domain override."""
    if word in STEM_OVERRIDES:
        return STEM_OVERRIDES[word]
    return _stemmer().stem(word) or word


def tokens(text: str, *, stem_words: bool = True, drop_stop_words: bool = True) -> list[str]:
    """Return the content tokens of *text*: normalised, stop words removed, stemmed.

    Negations ("tidak", "belum", ...) are kept. Numbers and single letters are dropped with
    the stop words.
    """
    out = words(text)
    if drop_stop_words:
        stops = stop_words()
        out = [w for w in out if w not in stops and len(w) > 1 and not w.isdigit()]
    if stem_words:
        out = [stem(w) for w in out]
    return out
