"""Shingles, MinHash, band keys and ranking on invented complaints (no shared data here)."""

from tanggap.insights import similarity
from tanggap.insights.similarity import Candidate, Place

ORIGINAL = (
    "Jalan di depan pasar Kembang rusak parah, lubangnya dalam sekali dan sudah tiga bulan "
    "tidak diperbaiki. Kalau hujan lubangnya tidak kelihatan, banyak motor jatuh."
)
# The same complaint as an officer types it from a phone call: abbreviations, typos, no capitals.
RETYPED = (
    "jalan di depan pasar kembang rusak parah, lubangnya dlm sekali dan sdh tiga bulan "
    "tdk diperbaiki. kalau hujan lubangnya tdk kelihatan, banyak motor jatoh"
)
UNRELATED = (
    "Pelayanan pembuatan KTP elektronik di kecamatan sangat lambat, antrian panjang dan "
    "petugasnya tidak ramah kepada warga yang datang pagi."
)


def similar(a: str, b: str) -> float:
    return similarity.jaccard(similarity.shingles(a), similarity.shingles(b))


def test_identical_texts_are_fully_similar_and_share_every_band_key():
    # given one text twice / when compared and keyed / then similarity 1 and all keys equal
    assert similar(ORIGINAL, ORIGINAL) == 1.0
    keys = similarity.text_keys(ORIGINAL, namespace=7)
    assert len(keys) == similarity.BANDS
    assert similarity.text_keys(ORIGINAL, namespace=7) == keys


def test_case_and_punctuation_do_not_matter():
    assert similar(ORIGINAL, ORIGINAL.upper().replace(",", "").replace(".", " ")) == 1.0


def test_a_retyped_copy_with_abbreviations_and_typos_stays_similar_and_shares_bands():
    # given the complaint retyped with abbreviations and a typo
    # when compared
    score = similar(ORIGINAL, RETYPED)
    shared = set(similarity.text_keys(ORIGINAL, namespace=1)) & set(
        similarity.text_keys(RETYPED, namespace=1)
    )

    # then it is a likely duplicate and the index finds it (shares at least one band)
    assert score >= similarity.HIGH_SIMILARITY
    assert shared


def test_an_unrelated_complaint_is_not_similar():
    assert similar(ORIGINAL, UNRELATED) < similarity.MIN_SIMILARITY


def test_the_signature_estimates_the_jaccard():
    a, b = similarity.shingles(ORIGINAL), similarity.shingles(RETYPED)

    estimate = similarity.estimated_jaccard(similarity.signature(a), similarity.signature(b))

    assert abs(estimate - similarity.jaccard(a, b)) < 0.2


def test_keys_of_two_organisations_never_meet():
    assert not set(similarity.text_keys(ORIGINAL, namespace=1)) & set(
        similarity.text_keys(ORIGINAL, namespace=2)
    )


def test_a_text_without_words_has_no_keys_and_a_text_of_stop_words_still_has_some():
    assert similarity.text_keys("!!! ... ???", namespace=1) == []
    assert similarity.text_keys("mohon dibantu", namespace=1)


def test_keys_are_stable_64_bit_signed_integers():
    keys = similarity.text_keys(ORIGINAL, namespace=3)

    assert all(-(2**63) <= k < 2**63 for k in keys)
    assert len(set(keys)) == similarity.BANDS


def test_place_similarity_by_words_and_by_coordinates():
    here = Place("Pasar Kembang, Kelurahan Sawahan")
    assert similarity.place_similarity(here, Place("pasar kembang kel sawahan")) == 1.0
    assert similarity.place_similarity(here, Place("")) == 0.0
    near = Place("", -7.2575, 112.7521)
    assert similarity.place_similarity(near, Place("", -7.2580, 112.7525)) == 1.0
    assert similarity.place_similarity(near, Place("", -7.30, 112.80)) == 0.0


def test_rank_puts_the_most_similar_first_and_boosts_break_near_ties():
    # given the original text in another unit, an exact copy far away and old, and an
    # unrelated complaint in the same unit and place
    query = similarity.shingles(ORIGINAL)
    place = Place("Pasar Kembang")
    candidates = [
        Candidate(1, similarity.shingles(RETYPED), unit_id=9, place=Place(), age_days=2),
        Candidate(2, similarity.shingles(ORIGINAL), unit_id=9, place=Place(), age_days=80),
        Candidate(3, similarity.shingles(UNRELATED), unit_id=5, place=place, age_days=0),
        # The same text as 2, but in the query's unit and place: the boosts put it first.
        Candidate(4, similarity.shingles(ORIGINAL), unit_id=5, place=place, age_days=80),
    ]

    # when ranked
    matches = similarity.rank(query, candidates, unit_id=5, place=place, limit=5)

    # then the copies come first, the retyped one next, and the unrelated one is left out
    assert [m.id for m in matches] == [4, 2, 1]
    assert matches[0].similarity == 1.0 and matches[0].score > matches[1].score


def test_shortlist_prefers_more_shared_bands_then_newer_cases():
    assert similarity.shortlist({10: 3, 11: 16, 12: 3, 13: 1}, 3) == [11, 12, 10]
