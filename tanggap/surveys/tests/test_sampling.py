"""Test the SKM sample-size rules against domain.md 1.7 and hand-computed values.

The Krejcie-Morgan table below is typed in from domain.md 1.7 (population N ->
minimum sample n), not produced by the code under test. Slovin values are worked
out by hand; domain.md 1.7 treats Slovin as local practice and gives no rounding
rule, so we round up (a sample size is a minimum).
"""

from decimal import Decimal
from fractions import Fraction

import pytest

from tanggap.surveys.sampling import krejcie_morgan, progress, slovin

# domain.md 1.7, all 90 rows, read column by column.
KREJCIE_MORGAN_TABLE: list[tuple[int, int]] = [
    (10, 10),
    (15, 14),
    (20, 19),
    (25, 24),
    (30, 28),
    (35, 32),
    (40, 36),
    (45, 40),
    (50, 44),
    (55, 48),
    (60, 52),
    (65, 56),
    (70, 59),
    (75, 63),
    (80, 66),
    (85, 70),
    (90, 73),
    (95, 76),
    (100, 80),
    (110, 86),
    (120, 92),
    (130, 97),
    (140, 103),
    (150, 108),
    (160, 113),
    (170, 118),
    (180, 123),
    (190, 127),
    (200, 132),
    (210, 136),
    (220, 140),
    (230, 144),
    (240, 148),
    (250, 152),
    (260, 155),
    (270, 159),
    (280, 162),
    (290, 165),
    (300, 169),
    (320, 175),
    (340, 181),
    (360, 186),
    (380, 191),
    (400, 196),
    (420, 201),
    (440, 205),
    (460, 210),
    (480, 214),
    (500, 217),
    (550, 226),
    (600, 234),
    (650, 242),
    (700, 248),
    (750, 254),
    (800, 260),
    (850, 265),
    (900, 269),
    (950, 274),
    (1_000, 278),
    (1_100, 285),
    (1_200, 291),
    (1_300, 297),
    (1_400, 302),
    (1_500, 306),
    (1_600, 310),
    (1_700, 313),
    (1_800, 317),
    (1_900, 320),
    (2_000, 322),
    (2_200, 327),
    (2_400, 331),
    (2_600, 335),
    (2_800, 338),
    (3_000, 341),
    (3_500, 346),
    (4_000, 351),
    (4_500, 354),
    (5_000, 357),
    (6_000, 361),
    (7_000, 364),
    (8_000, 367),
    (9_000, 368),
    (10_000, 370),
    (15_000, 375),
    (20_000, 377),
    (30_000, 379),
    (40_000, 380),
    (50_000, 381),
    (75_000, 382),
    (1_000_000, 384),
]


def test_table_has_every_row_of_domain_md():
    assert len(KREJCIE_MORGAN_TABLE) == 90
    assert len({population for population, _ in KREJCIE_MORGAN_TABLE}) == 90


@pytest.mark.parametrize(("population", "sample"), KREJCIE_MORGAN_TABLE)
def test_krejcie_morgan_matches_every_published_row(population, sample):
    # given a population from the published table
    # when the minimum sample is computed
    # then it equals the table's n
    assert krejcie_morgan(population) == sample


def test_krejcie_morgan_between_and_beyond_rows():
    # given populations off the table
    # then the sample never exceeds the population or the 384 ceiling
    # (X²PQ/d² = 0.96025 / 0.0025 = 384.1) and grows with the population
    samples = [krejcie_morgan(n) for n in range(1, 3_001)]
    assert samples[0] == 1
    assert all(s <= n for n, s in enumerate(samples, start=1))
    assert samples == sorted(samples)
    assert krejcie_morgan(10**9) == 384


@pytest.mark.parametrize(("population", "error"), [(0, ValueError), (-5, ValueError)])
def test_krejcie_morgan_refuses_empty_population(population, error):
    with pytest.raises(error, match="population"):
        krejcie_morgan(population)


@pytest.mark.parametrize("population", [True, 10.0, "100"])
def test_krejcie_morgan_refuses_non_int(population):
    with pytest.raises(TypeError, match="population"):
        krejcie_morgan(population)


@pytest.mark.parametrize(
    ("population", "margin", "expected"),
    [
        (400, "0.05", 200),  # 400 / (1 + 1) = 200 exactly; a float 0.05 must not make it 201
        (1_000, "0.05", 286),  # 1000 / 3.5 = 285.71
        (250, "0.05", 154),  # 250 / 1.625 = 153.85
        (50, "0.05", 45),  # 50 / 1.125 = 44.44
        (100, "0.1", 50),  # 100 / 2 = 50
        (10_000, "0.1", 100),  # 10000 / 101 = 99.01
        (1, "0.05", 1),  # 1 / 1.0025 = 0.9975
    ],
)
def test_slovin_by_hand(population, margin, expected):
    # given the margin as a float, a Decimal, a Fraction and a string
    for given in (float(margin), Decimal(margin), Fraction(margin), margin):
        # then Slovin rounds up to the hand-computed value
        assert slovin(population, margin=given) == expected, given


def test_slovin_default_margin_is_five_percent():
    assert slovin(400) == 200


@pytest.mark.parametrize("margin", [0, 1, -0.05, 1.5])
def test_slovin_refuses_margins_outside_0_to_1(margin):
    with pytest.raises(ValueError, match="margin"):
        slovin(100, margin=margin)


@pytest.mark.parametrize(
    ("collected", "target", "share", "remaining", "reached"),
    [
        (0, 278, Fraction(0), 278, False),
        (150, 278, Fraction(150, 278), 128, False),
        (278, 278, Fraction(1), 0, True),
        (300, 278, Fraction(300, 278), 0, True),
    ],
)
def test_progress(collected, target, share, remaining, reached):
    # given respondents collected against a target
    result = progress(collected, target)
    # then the share, what is left and whether it is reached follow
    assert (result.collected, result.target) == (collected, target)
    assert result.share == share
    assert result.remaining == remaining
    assert result.reached is reached


def test_progress_percent_for_display():
    assert progress(139, 278).percent == 50.0


@pytest.mark.parametrize(("collected", "target"), [(-1, 10), (5, 0)])
def test_progress_refuses_negative_counts_and_empty_targets(collected, target):
    with pytest.raises(ValueError, match="at least"):
        progress(collected, target)
