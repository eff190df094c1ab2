"""Near-duplicate text: shingles, MinHash signatures, LSH band keys and the ranking of matches.

Pure module: no Django, no database. A text is normalised to words (``normalize.tokens``
without stemming: lower case, slang spelled out, stop words dropped) and cut into character
4-grams, which survive the typos of informal Indonesian. A MinHash signature of 48 values is
split into 16 bands of 3; two texts share a band key with probability about 1 - (1 - J^3)^16
for a Jaccard similarity J (0.65 at J = 0.4, 0.88 at 0.5, 0.97 at 0.6). Keys are namespaced
(by organisation) so equal texts of two organisations never meet.

The stored keys depend on everything here. A change to the shingles or the MinHash parameters
must change SCHEME and be followed by ``manage.py duplicate_keys --rebuild``. A change to the
normaliser's word lists alters only the shingles of the texts holding those words, so most of
their bands still match; rebuild after large changes (the stop words) all the same.
"""

import hashlib
import math
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

import numpy as np
from datasketch import MinHash

from .normalize import tokens

SCHEME = 1
SHINGLE = 4
BANDS = 16
ROWS = 3
NUM_PERM = BANDS * ROWS
SEED = 1

# Ranking: the text similarity decides; the boosts order cases of about equal similarity.
PLACE_BOOST = 0.10
UNIT_BOOST = 0.05
RECENCY_BOOST = 0.05
RECENCY_HALF_LIFE_DAYS = 30.0
# Coordinates this close (in metres) are the same place.
SAME_PLACE_METRES = 300.0
# Below this similarity a case is not shown at all; from HIGH on it is a likely duplicate.
MIN_SIMILARITY = 0.3
HIGH_SIMILARITY = 0.6
# How many candidates, by shared bands, have their texts compared.
SHORTLIST = 30


def words(text: str) -> list[str]:
    """Return the words of *text* that tell one complaint from another, normalised, unstemmed.

    No stemming: the two writings of one complaint share their words anyway, and the stemmer
    costs ten times as much as the rest.
    """
    # A text of stop words alone ("mohon dibantu") still matches its exact repetition.
    return tokens(text, stem_words=False) or tokens(text, stem_words=False, drop_stop_words=False)


def shingles(text: str) -> frozenset[str]:
    """Return the character 4-grams of the normalised text (the text itself when shorter)."""
    joined = " ".join(words(text))
    if len(joined) <= SHINGLE:
        return frozenset([joined]) if joined else frozenset()
    return frozenset(joined[i : i + SHINGLE] for i in range(len(joined) - SHINGLE + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Return |a ∩ b| / |a ∪ b|; two empty sets are not similar."""
    if not a or not b:
        return 0.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)


@cache
def _permutations():
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32").permutations


def signature(shingle_set: Iterable[str]) -> np.ndarray | None:
    """Return the MinHash signature (NUM_PERM unsigned 32-bit values), None for no shingles."""
    encoded = [s.encode() for s in shingle_set]
    if not encoded:
        return None
    minhash = MinHash(num_perm=NUM_PERM, scheme="affine32", permutations=_permutations())
    minhash.update_batch(encoded)
    return minhash.hashvalues


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Return the share of equal signature values: an unbiased estimate of the Jaccard."""
    return float(np.count_nonzero(a == b)) / len(a)


def band_keys(sig: np.ndarray | None, *, namespace: int) -> list[int]:
    """Return the BANDS signed 64-bit keys of *sig* within *namespace* (an organisation id)."""
    if sig is None:
        return []
    keys = []
    for band in range(BANDS):
        head = struct.pack("<HqH", SCHEME, namespace, band)
        rows = sig[band * ROWS : (band + 1) * ROWS].astype("<u4").tobytes()
        digest = hashlib.blake2b(head + rows, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys


def text_keys(text: str, *, namespace: int) -> list[int]:
    """Return the band keys of *text* within *namespace*."""
    return band_keys(signature(shingles(text)), namespace=namespace)


@dataclass(frozen=True)
class Place:
    """Where a report says it happened: free text, and coordinates when given."""

    text: str = ""
    latitude: float | None = None
    longitude: float | None = None


def _metres(a: Place, b: Place) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


def place_similarity(a: Place, b: Place) -> float:
    """Return 1 for the same place, 0 for unknown or different ones, partial for shared words."""
    if None not in (a.latitude, a.longitude, b.latitude, b.longitude):
        return 1.0 if _metres(a, b) <= SAME_PLACE_METRES else 0.0
    words_a, words_b = set(words(a.text)), set(words(b.text))
    if not words_a or not words_b:
        return 0.0
    return len(words_a & words_b) / len(words_a | words_b)


def rank_score(similarity: float, *, place: float, same_unit: bool, age_days: float) -> float:
    """Return the ranking score: the similarity plus small boosts for place, unit and recency."""
    recency = 0.5 ** (max(age_days, 0.0) / RECENCY_HALF_LIFE_DAYS)
    return similarity + PLACE_BOOST * place + UNIT_BOOST * same_unit + RECENCY_BOOST * recency


def shortlist(hits: Mapping[int, int], size: int) -> list[int]:
    """Return up to *size* candidate ids, most shared bands first, then the newest (highest id)."""
    return sorted(hits, key=lambda pk: (-hits[pk], -pk))[:size]


@dataclass(frozen=True)
class Candidate:
    """A case that may repeat the query: its text's shingles, unit, place and age."""

    id: int
    shingles: frozenset[str]
    unit_id: int
    place: Place
    age_days: float


@dataclass(frozen=True)
class Match:
    """A ranked candidate: its Jaccard similarity to the query and the ranking score."""

    id: int
    similarity: float
    score: float


def rank(
    query: frozenset[str],
    candidates: Iterable[Candidate],
    *,
    unit_id: int | None,
    place: Place,
    limit: int,
    floor: float = MIN_SIMILARITY,
) -> list[Match]:
    """Return the *limit* best candidates with a similarity of at least *floor*, best first."""
    matches = []
    for c in candidates:
        similarity = jaccard(query, c.shingles)
        if similarity < floor:
            continue
        score = rank_score(
            similarity,
            place=place_similarity(place, c.place),
            same_unit=c.unit_id == unit_id,
            age_days=c.age_days,
        )
        matches.append(Match(id=c.id, similarity=similarity, score=score))
    matches.sort(key=lambda m: (-m.score, -m.id))
    return matches[:limit]
