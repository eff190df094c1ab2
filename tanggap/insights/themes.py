"""The main topics of a set of texts: key phrases per category and their change (pure).

A text becomes a set of phrases: the unigrams and bigrams of its tokens (``normalize.tokens``:
stop words out, stemmed, so "berlubang" and "lubang" count together). Phrases are counted per
text (document frequency), so one long letter cannot dominate. A set of texts is compared with
a background (the other categories, or the previous period) by the weighted log-odds ratio with
an informative Dirichlet prior (Monroe, Colaresi and Quinn 2008): its z-score is high for a
phrase that is markedly more frequent here than there, and not merely frequent everywhere.
Without a background the most frequent phrases are returned.

A phrase is shown in the surface form its texts used most ("pelayanan lambat", not its stems
"layan lambat"), so dashboards read naturally.
"""

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .lexicon import NEGATIONS
from .normalize import stem, stop_words, words

RISING, FALLING = "rising", "falling"
# The prior (both sides' shape) weighs as this share of their phrase occurrences: it damps rare
# phrases without drowning a small set of texts.
PRIOR_SHARE = 0.1


@dataclass(frozen=True)
class KeyPhrase:
    """A phrase typical of a set of texts: readable form, stemmed key, texts holding it, z."""

    phrase: str
    key: str
    documents: int
    score: float


@dataclass(frozen=True)
class Trend:
    """A phrase whose share of texts changed between two periods, with both counts."""

    phrase: str
    key: str
    current: int
    previous: int
    score: float
    direction: str


@dataclass
class _Counts:
    texts: int
    documents: Counter
    surfaces: dict

    @property
    def total(self) -> int:
        return sum(self.documents.values())


def text_phrases(text: str) -> dict[str, str]:
    """Return the phrases of *text*: stemmed key -> the surface form used in it.

    Bigrams join only words that were neighbours in the text (no stop word between them).
    """
    stops = stop_words()
    kept = [
        (i, w)
        for i, w in enumerate(words(text))
        if w not in stops and len(w) > 1 and not w.isdigit()
    ]
    found = {}
    for _i, surface in kept:
        if surface not in NEGATIONS:
            found.setdefault(stem(surface), surface)
    for (i, first), (j, second) in zip(kept, kept[1:], strict=False):
        key = f"{stem(first)} {stem(second)}"
        if j == i + 1 and stem(first) != stem(second):
            found.setdefault(key, f"{first} {second}")
    return found


def _count(texts: Iterable[str]) -> _Counts:
    documents: Counter = Counter()
    surfaces: dict[str, Counter] = {}
    n = 0
    for text in texts:
        n += 1
        for key, surface in text_phrases(text).items():
            documents[key] += 1
            surfaces.setdefault(key, Counter())[surface] += 1
    return _Counts(n, documents, surfaces)


def _merge(parts: Iterable[_Counts]) -> _Counts:
    merged = _Counts(0, Counter(), {})
    for part in parts:
        merged.texts += part.texts
        merged.documents.update(part.documents)
    return merged


def _log_odds(key: str, here: _Counts, there: _Counts) -> float:
    """Return the z-score of *key* being more frequent *here* than *there* (prior: both)."""
    y_i, y_j = here.documents[key], there.documents[key]
    n_i, n_j = here.total, there.total
    prior = PRIOR_SHARE * (n_i + n_j)
    alpha = prior * (y_i + y_j) / (n_i + n_j)
    # The rest of each side, kept above zero for a phrase that is all of a tiny corpus.
    rest_i = max(n_i + prior - y_i - alpha, 1e-9)
    rest_j = max(n_j + prior - y_j - alpha, 1e-9)
    delta = math.log((y_i + alpha) / rest_i) - math.log((y_j + alpha) / rest_j)
    return delta / math.sqrt(1 / (y_i + alpha) + 1 / (y_j + alpha))


def _readable(counts: _Counts, key: str) -> str:
    return counts.surfaces[key].most_common(1)[0][0]


def _without_overlaps(ranked: list[KeyPhrase], top: int) -> list[KeyPhrase]:
    """Keep the best phrases, dropping a word already said by a kept bigram of most of its texts."""
    kept: list[KeyPhrase] = []
    for candidate in ranked:
        if " " not in candidate.key and any(
            candidate.key in p.key.split() and p.documents >= 0.8 * candidate.documents
            for p in kept
        ):
            continue
        kept.append(candidate)
        if len(kept) == top:
            break
    return kept


def _rank(here: _Counts, there: _Counts, top: int, min_documents: int) -> list[KeyPhrase]:
    candidates = [k for k, n in here.documents.items() if n >= min_documents]
    if there.texts:
        scored = [(k, _log_odds(k, here, there)) for k in candidates]
    else:
        scored = [(k, here.documents[k] / here.texts) for k in candidates]
    scored.sort(key=lambda kv: (-kv[1], -here.documents[kv[0]], kv[0]))
    ranked = [
        KeyPhrase(_readable(here, k), k, here.documents[k], round(score, 3))
        for k, score in scored
        if score > 0
    ]
    return _without_overlaps(ranked, top)


def key_phrases(
    texts: Iterable[str],
    *,
    background: Iterable[str] = (),
    top: int = 10,
    min_documents: int = 2,
) -> list[KeyPhrase]:
    """Return the *top* phrases typical of *texts* against *background*, best first.

    A phrase must occur in at least *min_documents* texts. With an empty background the
    most frequent phrases are returned (score = share of texts).
    """
    return _rank(_count(texts), _count(background), top, min_documents)


def key_phrases_by_category(
    items: Iterable[tuple[str, str]], *, top: int = 10, min_documents: int = 2
) -> dict[str, list[KeyPhrase]]:
    """Return each category's key phrases against all the other categories' texts.

    *items* are (category, text) pairs; categories are returned in sorted order.
    """
    grouped: dict[str, list[str]] = {}
    for category, text in items:
        grouped.setdefault(category, []).append(text)
    counts = {category: _count(texts) for category, texts in grouped.items()}
    return {
        category: _rank(
            here,
            _merge(c for other, c in counts.items() if other != category),
            top,
            min_documents,
        )
        for category, here in sorted(counts.items())
    }


def trends(
    current: Iterable[str],
    previous: Iterable[str],
    *,
    top: int = 10,
    min_documents: int = 2,
    z: float = 1.96,
) -> list[Trend]:
    """Return the phrases that rose or fell markedly from *previous* to *current*.

    A phrase counts when it occurs in at least *min_documents* texts of either period and its
    log-odds z-score is beyond *z* (1.96: about 5 % two-sided). Rising phrases come first,
    strongest first, then falling ones; at most *top* of each.
    """
    now, before = _count(current), _count(previous)
    if not now.texts or not before.texts:
        return []
    keys = {k for k, n in (now.documents + before.documents).items() if n >= min_documents}
    rising, falling = [], []
    for key in keys:
        score = _log_odds(key, now, before)
        if abs(score) < z:
            continue
        source = now if now.documents[key] else before
        trend = Trend(
            phrase=_readable(source, key),
            key=key,
            current=now.documents[key],
            previous=before.documents[key],
            score=round(score, 3),
            direction=RISING if score > 0 else FALLING,
        )
        (rising if score > 0 else falling).append(trend)
    rising.sort(key=lambda t: (-t.score, t.key))
    falling.sort(key=lambda t: (t.score, t.key))
    return rising[:top] + falling[:top]
