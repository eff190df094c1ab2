"""Test the SKM elements, NRR, IKM and grade against domain.md section 1.

Sources of the expected values: the element keys and order dispute (domain.md 1.2),
the answer labels (1.3), the computation and the legacy-weight figures (1.5), the
2017 grade table (1.6) and the synthetic GASPUL vector (1.9). Every expected number
is typed in from domain.md or worked out by hand, never taken from the code.
"""

import random
from decimal import Decimal
from fractions import Fraction

import pytest

from tanggap.surveys.elements import ELEMENT_KEYS, ELEMENTS, QUESTIONNAIRE_ORDER
from tanggap.surveys.index import (
    IndexResult,
    InvalidAnswer,
    MissingElements,
    by_group,
    compute,
    grade_for,
    ikm,
    nrr,
    rank_weakest,
    round_half_up,
    trend,
    validate_answers,
)
from tanggap.surveys.tests.gaspul import GASPUL_COUNTS, GASPUL_SUMS


def uniform(value: int) -> dict[str, int]:
    """Build one response giving ``value`` to every element."""
    return dict.fromkeys(ELEMENT_KEYS, value)


def nrrs_all(value: str) -> dict[str, Fraction]:
    """Build NRRs equal to ``value`` (a decimal string) for all nine elements."""
    return dict.fromkeys(ELEMENT_KEYS, Fraction(value))


# --- the synthetic GASPUL vector (domain.md 1.9) ----------------------------
#
# n = 29; per-element answer counts from rennn9/GASPUL_BACKEND
# rumus_perhitungan_ikm_lengkap.md, which names U8 = Sarana (sum 105) and
# U9 = Pengaduan (sum 115). domain.md 1.9 lists U1..U9 sums without names; keyed
# here by element, as domain.md 1.2 asks.
# NRRs as printed in domain.md 1.9 (4 decimals).
GASPUL_NRR_PRINTED = {
    "persyaratan": "3.6207",
    "prosedur": "3.4828",
    "waktu": "3.4483",
    "biaya": "4.0000",
    "produk": "3.5172",
    "kompetensi": "3.6207",
    "perilaku": "3.6552",
    "sarana": "3.6207",
    "pengaduan": "3.9655",
}


def gaspul_responses() -> list[dict[str, int]]:
    """Spread the GASPUL answer counts over 29 responses."""
    columns = {
        key: [value for value, count in sorted(counts.items(), reverse=True) for _ in range(count)]
        for key, counts in GASPUL_COUNTS.items()
    }
    return [{key: columns[key][i] for key in ELEMENT_KEYS} for i in range(29)]


def test_gaspul_vector_is_consistent_with_domain_sums():
    # given the spread-out responses
    responses = gaspul_responses()
    # then each element sums as in domain.md 1.9, 955 in all
    assert {key: sum(r[key] for r in responses) for key in ELEMENT_KEYS} == GASPUL_SUMS
    assert sum(GASPUL_SUMS.values()) == 955


def test_gaspul_nrr_per_element():
    # given the 29 GASPUL responses
    # when the NRRs are computed
    result = nrr(gaspul_responses())
    # then each is the exact sum / 29 and prints as in domain.md 1.9
    assert result == {key: Fraction(total, 29) for key, total in GASPUL_SUMS.items()}
    assert {key: str(round_half_up(v, 4)) for key, v in result.items()} == GASPUL_NRR_PRINTED


def test_gaspul_ikm_is_91_48_grade_a():
    # given the 29 GASPUL responses
    # when the IKM is computed with the default, exact 1/9 weights
    result = compute(gaspul_responses())
    # then IKM = 25 x 955/261 = 91.4751 -> 91.48, grade A (domain.md 1.9)
    assert result.exact == Fraction(25 * 955, 261)
    assert result.unconverted == Fraction(955, 261)
    assert round_half_up(result.exact, 4) == Decimal("91.4751")
    assert result.value == pytest.approx(91.4751, abs=5e-5)
    assert result.rounded == Decimal("91.48")
    assert (result.grade, result.grade_label) == ("A", "Sangat baik")
    assert result.respondents == 29
    assert result.answered_elements == ELEMENT_KEYS
    assert result.missing_elements == ()
    assert result.complete
    assert result.weights == "equal"
    assert result.legacy_weights_used is False


@pytest.mark.parametrize(
    ("weights", "expected"),
    [
        # domain.md 1.5, table "Rounding pitfall": same data, printed weights.
        ("legacy_0.111", "91.3836"),
        ("legacy_0.11", "90.5603"),
    ],
)
def test_gaspul_legacy_weights_only_when_asked_and_marked(weights, expected):
    # given the GASPUL responses
    # when a legacy printed weight is asked for explicitly
    result = compute(gaspul_responses(), weights=weights)
    # then the result carries the ~1 % lower figure and says legacy weights were used
    assert round_half_up(result.exact, 4) == Decimal(expected)
    assert result.weights == weights
    assert result.legacy_weights_used is True


def test_unknown_weights_are_refused():
    # given a weight spelled as a number rather than a named option
    # when / then it is refused rather than guessed
    with pytest.raises(ValueError, match="unknown weights"):
        compute(gaspul_responses(), weights="0.11")


# --- extremes ---------------------------------------------------------------


def test_all_answers_4_give_exactly_100_grade_a():
    # given three respondents answering 4 everywhere
    result = compute([uniform(4)] * 3)
    # then the IKM is exactly 100, grade A
    assert result.exact == 100
    assert result.value == 100.0
    assert (result.grade, result.grade_label) == ("A", "Sangat baik")


def test_all_answers_1_give_exactly_25_grade_d():
    # given two respondents answering 1 everywhere
    result = compute([uniform(1)] * 2)
    # then the IKM is exactly 25, grade D
    assert result.exact == 25
    assert (result.grade, result.grade_label) == ("D", "Tidak baik")


def test_legacy_0_111_turns_an_all_4_respondent_into_99_90():
    # given one all-4 respondent (domain.md 1.5: 0,111 gives 99.90, exact 1/9 gives 100)
    result = compute([uniform(4)], weights="legacy_0.111")
    # then the legacy figure is 99.90
    assert result.exact == Fraction("99.9")


# --- grade table (domain.md 1.6) --------------------------------------------


@pytest.mark.parametrize(
    ("value", "grade", "label"),
    [
        ("25", "D", "Tidak baik"),
        ("25.00", "D", "Tidak baik"),
        ("64.99", "D", "Tidak baik"),
        ("65.00", "C", "Kurang baik"),
        ("76.60", "C", "Kurang baik"),
        ("76.61", "B", "Baik"),
        ("88.30", "B", "Baik"),
        ("88.31", "A", "Sangat baik"),
        ("100", "A", "Sangat baik"),
        ("100.00", "A", "Sangat baik"),
        # Inside the printed gaps: graded on the value rounded half-up to 2 decimals.
        ("64.994", "D", "Tidak baik"),
        ("64.995", "C", "Kurang baik"),
        ("76.6049", "C", "Kurang baik"),
        ("76.605", "B", "Baik"),
        ("88.3049", "B", "Baik"),
        ("88.305", "A", "Sangat baik"),
    ],
)
def test_grade_boundaries(value, grade, label):
    # given a converted value as Decimal, float and Fraction
    for given in (Decimal(value), float(value), Fraction(value)):
        # when it is graded
        result = grade_for(given)
        # then it lands on the side of the boundary that domain.md 1.6 prints
        assert (result.letter, result.label_id) == (grade, label), given


@pytest.mark.parametrize("value", ["24.99", "0", "100.01", "-25"])
def test_grade_outside_25_to_100_is_refused(value):
    with pytest.raises(ValueError, match="25-100"):
        grade_for(Decimal(value))


@pytest.mark.parametrize(
    ("nrr_value", "grade"),
    [
        # The NI (unconverted) column of domain.md 1.6; NI x 25 = NIK.
        ("1.00", "D"),
        ("2.5996", "D"),
        ("2.60", "C"),
        ("3.064", "C"),
        ("3.0644", "B"),
        ("3.532", "B"),
        ("3.5324", "A"),
        ("4.00", "A"),
    ],
)
def test_unconverted_interval_column_grades_the_same(nrr_value, grade):
    # given every element at the printed NI boundary
    result = ikm(nrrs_all(nrr_value))
    # then the converted index is NI x 25 and grades as the NIK column says
    assert result.unconverted == Fraction(nrr_value)
    assert result.exact == Fraction(nrr_value) * 25
    assert result.grade == grade


# --- unanswered and missing elements ----------------------------------------


def test_skipped_element_is_averaged_over_those_who_answered_it():
    # given three responses; the second skips "waktu" (missing key) and the third
    # leaves it None
    first = uniform(4)
    second = {key: 2 for key in ELEMENT_KEYS if key != "waktu"}
    third = {**uniform(3), "waktu": None}
    # when the NRRs are computed
    result = nrr([first, second, third])
    # then waktu is 4 / 1 (not (4 + 0 + 0) / 3), the others (4 + 2 + 3) / 3
    assert result["waktu"] == 4
    assert result["biaya"] == 3
    assert compute([first, second, third]).respondents == 3


def test_blank_response_is_not_a_respondent():
    # given one answered response and one with nothing filled in
    result = compute([uniform(3), dict.fromkeys(ELEMENT_KEYS)])
    # then only the answered one counts
    assert result.respondents == 1
    assert result.exact == 75


def test_element_nobody_answered_is_refused_by_default():
    # given responses in which nobody answered "sarana"
    responses = [{key: 4 for key in ELEMENT_KEYS if key != "sarana"}] * 2
    # when the IKM is computed
    with pytest.raises(MissingElements) as raised:
        compute(responses)
    # then it refuses and names the element
    assert raised.value.missing == ("sarana",)
    assert "sarana" in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_element_nobody_answered_with_allow_missing_uses_answered_elements_only():
    # given nobody answered "sarana"; the rest answered 4 and 2 alternately
    responses = [
        {key: 4 for key in ELEMENT_KEYS if key != "sarana"},
        {key: 2 for key in ELEMENT_KEYS if key != "sarana"},
    ]
    # when a partial index is asked for explicitly
    result = compute(responses, allow_missing=True)
    # then it is 25 x mean of the eight NRRs (all 3) = 75, and says what is missing
    assert result.exact == 75
    assert result.nrr["sarana"] is None
    assert result.missing_elements == ("sarana",)
    assert "sarana" not in result.answered_elements
    assert len(result.answered_elements) == 8
    assert not result.complete


def test_partial_index_with_legacy_weights_is_refused():
    responses = [{key: 4 for key in ELEMENT_KEYS if key != "pengaduan"}]
    with pytest.raises(ValueError, match="legacy weights"):
        compute(responses, weights="legacy_0.11", allow_missing=True)


def test_no_responses_at_all_is_refused_even_when_partial_allowed():
    with pytest.raises(MissingElements) as raised:
        compute([], allow_missing=True)
    assert raised.value.missing == ELEMENT_KEYS


# --- invalid answers --------------------------------------------------------


@pytest.mark.parametrize("bad", [0, 5, -1, "x", "3", 3.0, 2.5, True, False, [4]])
def test_invalid_answer_values_are_refused(bad):
    # given an answer that is not an int 1..4 (bool is not an int here)
    # when it is validated
    with pytest.raises(InvalidAnswer, match="'waktu'"):
        validate_answers({"waktu": bad})


@pytest.mark.parametrize("key", ["sarana_prasarana", "U8", "", 8])
def test_unknown_element_keys_are_refused(key):
    with pytest.raises(InvalidAnswer, match="unknown element key"):
        validate_answers({key: 3})


def test_invalid_answer_inside_responses_is_refused_by_nrr_and_compute():
    responses = [uniform(4), {**uniform(3), "biaya": 5}]
    with pytest.raises(InvalidAnswer, match="'biaya'"):
        nrr(responses)
    with pytest.raises(InvalidAnswer, match="'biaya'"):
        compute(responses)


def test_validate_returns_all_nine_keys_with_none_for_missing():
    assert validate_answers({"biaya": 4}) == {**dict.fromkeys(ELEMENT_KEYS), "biaya": 4}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("3", 3), (" 4 ", 4), ("", None), ("  ", None), (2.0, 2), (1, 1), (None, None)],
)
def test_coerce_accepts_spreadsheet_text_and_whole_floats(raw, expected):
    # given a spreadsheet cell, with coercion asked for explicitly
    # then text digits and whole floats become answers, blanks become None
    assert validate_answers({"prosedur": raw}, coerce=True)["prosedur"] == expected


@pytest.mark.parametrize("bad", ["x", "5", "0", "3.5", "٣", 2.5, True])
def test_coerce_still_refuses_non_answers(bad):
    with pytest.raises(InvalidAnswer, match="'prosedur'"):
        validate_answers({"prosedur": bad}, coerce=True)


def test_nrr_outside_1_to_4_or_unknown_key_is_refused_by_ikm():
    with pytest.raises(ValueError, match="1-4"):
        ikm({**nrrs_all("3"), "waktu": Fraction(9, 2)})
    with pytest.raises(ValueError, match="unknown element key"):
        ikm({**nrrs_all("3"), "maklumat": Fraction(3)})


# --- elements by key, not position (domain.md 1.2) --------------------------


def test_dict_order_does_not_matter():
    # given the GASPUL responses with their keys in shuffled and questionnaire order
    rng = random.Random(14_2017)
    shuffled = []
    for response in gaspul_responses():
        keys = list(response)
        rng.shuffle(keys)
        shuffled.append({key: response[key] for key in keys})
    form_order = [{key: r[key] for key in QUESTIONNAIRE_ORDER} for r in gaspul_responses()]
    # when computed
    expected = compute(gaspul_responses())
    # then the per-element NRRs and the IKM are the same
    assert compute(shuffled) == expected
    assert compute(form_order) == expected
    assert compute(shuffled).nrr["sarana"] == Fraction(105, 29)
    assert compute(shuffled).nrr["pengaduan"] == Fraction(115, 29)


def test_canonical_keys_follow_the_body_and_the_form_swaps_8_and_9():
    assert ELEMENT_KEYS[7:] == ("pengaduan", "sarana")
    assert QUESTIONNAIRE_ORDER[7:] == ("sarana", "pengaduan")
    assert set(QUESTIONNAIRE_ORDER) == set(ELEMENT_KEYS) == set(ELEMENTS)
    assert all(ELEMENTS[key].key == key for key in ELEMENT_KEYS)


@pytest.mark.parametrize(
    ("key", "labels"),
    [
        # domain.md 1.3, answer value 1..4
        ("biaya", ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")),
        ("sarana", ("Buruk", "Cukup", "Baik", "Sangat Baik")),
        (
            "pengaduan",
            (
                "Tidak ada",
                "Ada tetapi tidak berfungsi",
                "Berfungsi kurang maksimal",
                "Dikelola dengan baik",
            ),
        ),
    ],
)
def test_answer_labels_are_keyed_to_their_element(key, labels):
    element = ELEMENTS[key]
    assert element.answers_id == labels
    assert [element.label_id(value) for value in (1, 2, 3, 4)] == list(labels)
    assert len(element.answers_en) == 4


def test_questions_are_keyed_to_their_element():
    assert "sarana dan prasarana" in ELEMENTS["sarana"].question_id
    assert "penanganan pengaduan" in ELEMENTS["pengaduan"].question_id
    with pytest.raises(ValueError, match="1-4"):
        ELEMENTS["waktu"].label_id(0)


# --- rank_weakest -----------------------------------------------------------


def test_rank_weakest_orders_lowest_first_ties_in_canonical_order():
    # given the GASPUL NRRs (sums 100 < 101 < 102 < 105 x3 < 106 < 115 < 116, over 29)
    ranked = rank_weakest(nrr(gaspul_responses()))
    # then waktu is weakest; the three 105s keep canonical order; biaya is strongest
    assert [key for key, _ in ranked] == [
        "waktu",
        "prosedur",
        "produk",
        "persyaratan",
        "kompetensi",
        "sarana",
        "perilaku",
        "pengaduan",
        "biaya",
    ]
    assert ranked[0] == ("waktu", Fraction(100, 29))


def test_rank_weakest_leaves_out_unanswered_elements_and_ignores_dict_order():
    nrrs = {"sarana": Fraction(3), "biaya": None, "persyaratan": Fraction(3), "waktu": 2}
    assert rank_weakest(nrrs) == [
        ("waktu", Fraction(2)),
        ("persyaratan", Fraction(3)),
        ("sarana", Fraction(3)),
    ]


# --- trend ------------------------------------------------------------------


def test_trend_against_earlier_periods():
    # given the current GASPUL result (91.48 A) and two earlier periods
    current = compute(gaspul_responses())
    semester_1 = ikm(nrrs_all("3.5"))  # 87.50 B
    last_year = ikm(nrrs_all("3"))  # 75.00 C
    # when the trend is taken
    changes = trend(current, [semester_1, last_year])
    # then each change is in the given order, in points of the 2-decimal figures
    assert [c.previous for c in changes] == [semester_1, last_year]
    assert [c.points for c in changes] == [Decimal("3.98"), Decimal("16.48")]
    assert changes[0].exact_points == Fraction(25 * 955, 261) - Fraction(175, 2)
    assert [(c.grade_from, c.grade_to, c.grade_steps) for c in changes] == [
        ("B", "A", 1),
        ("C", "A", 2),
    ]
    assert changes[0].nrr_change["waktu"] == Fraction(100, 29) - Fraction(7, 2)


def test_trend_decline_and_missing_elements():
    # given a fall from 100 (A) to a partial 75 (C) that lacks "sarana"
    previous = ikm(nrrs_all("4"))
    current = ikm({**nrrs_all("3"), "sarana": None}, allow_missing=True)
    # when compared
    (change,) = trend(current, [previous])
    # then the change is negative, two grades down, and sarana has no NRR change
    assert change.points == Decimal("-25.00")
    assert change.grade_steps == -2
    assert change.nrr_change["sarana"] is None
    assert change.nrr_change["biaya"] == -1


def test_trend_refuses_mixing_weight_schemes():
    with pytest.raises(ValueError, match="legacy_0.11"):
        trend(ikm(nrrs_all("3")), [ikm(nrrs_all("3"), weights="legacy_0.11")])


def test_trend_of_nothing_is_empty():
    assert trend(ikm(nrrs_all("3")), []) == []


# --- by_group ---------------------------------------------------------------


def test_by_group_computes_one_index_per_key_in_first_seen_order():
    # given responses tagged by (service, semester)
    rows = [
        (("KTP", "2025-S2"), uniform(4)),
        (("KK", "2025-S2"), uniform(2)),
        (("KTP", "2025-S2"), uniform(3)),
        (("KK", "2025-S2"), uniform(3)),
        (("KK", "2025-S2"), uniform(4)),
    ]
    # when grouped
    result = by_group(rows)
    # then each group has its own IKM and respondent count
    assert list(result) == [("KTP", "2025-S2"), ("KK", "2025-S2")]
    assert result[("KTP", "2025-S2")].exact == Fraction(175, 2)  # 25 x 3.5
    assert result[("KTP", "2025-S2")].respondents == 2
    assert result[("KK", "2025-S2")].exact == 75  # 25 x 3
    assert result[("KK", "2025-S2")].respondents == 3
    assert all(isinstance(r, IndexResult) for r in result.values())


def test_by_group_passes_options_through():
    rows = [("laki-laki", {"biaya": 4}), ("perempuan", uniform(2))]
    with pytest.raises(MissingElements):
        by_group(rows)
    result = by_group(rows, allow_missing=True)
    assert result["laki-laki"].exact == 100
    assert result["laki-laki"].answered_elements == ("biaya",)
    legacy = by_group([("x", uniform(4))], weights="legacy_0.11")
    assert legacy["x"].legacy_weights_used is True


def test_result_is_hashable_and_frozen():
    result = ikm(nrrs_all("3"))
    hash(result)
    with pytest.raises(AttributeError):
        result.grade = "A"  # type: ignore[misc]
