"""Compute SKM sample-size targets (Krejcie-Morgan, Slovin) and collection progress.

Pure module: no Django, no database. PermenPAN-RB 14/2017 names Krejcie & Morgan as
the sampling method (domain.md 1.7). Its formula

    s = X² N P (1 - P) / (d² (N - 1) + X² P (1 - P)),  X² = 3.841, P = 0.5, d = 0.05

rounded half-up to a whole respondent reproduces every row of the published table
in domain.md 1.7 (checked row by row in the tests), so no table is embedded: the
formula also covers populations between and beyond the rows. Slovin is local
practice only, not in the regulation (domain.md 1.7); it is offered for units that
use it. Per 1.7 a missed target is shown, never a reason to block the computation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

CHI_SQUARE = Fraction("3.841")  # one degree of freedom, alpha = 5 %
PROPORTION = Fraction(1, 2)
MARGIN = Fraction(1, 20)


def krejcie_morgan(population: int) -> int:
    """Return the Krejcie-Morgan minimum sample for a population of service recipients."""
    _check_count("population", population, minimum=1)
    spread = CHI_SQUARE * PROPORTION * (1 - PROPORTION)
    size = spread * population / (MARGIN**2 * (population - 1) + spread)
    return _round_half_up(size)


def slovin(population: int, *, margin: Fraction | Decimal | float | str = MARGIN) -> int:
    """Return Slovin's sample n = N / (1 + N e²), rounded up because it is a minimum."""
    _check_count("population", population, minimum=1)
    # Fraction(str(...)) keeps 0.05 exact, so N = 400 gives 200, not 201.
    error = Fraction(str(margin)) if isinstance(margin, float) else Fraction(margin)
    if not 0 < error < 1:
        raise ValueError(f"margin must lie strictly between 0 and 1, got {margin!r}")
    return math.ceil(population / (1 + population * error**2))


@dataclass(frozen=True)
class Progress:
    """Report respondents collected against a sample target."""

    collected: int
    target: int
    share: Fraction
    remaining: int
    reached: bool

    @property
    def percent(self) -> float:
        """Return the share as a percentage for display (may exceed 100)."""
        return float(self.share * 100)


def progress(collected: int, target: int) -> Progress:
    """Return how far collection has come towards ``target``, for a target-vs-achieved view."""
    _check_count("collected", collected, minimum=0)
    _check_count("target", target, minimum=1)
    return Progress(
        collected=collected,
        target=target,
        share=Fraction(collected, target),
        remaining=max(target - collected, 0),
        reached=collected >= target,
    )


def _check_count(name: str, value: int, *, minimum: int) -> None:
    """Refuse a count that is not a whole number at or above ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")


def _round_half_up(value: Fraction) -> int:
    """Round a non-negative exact value to the nearest whole number, halves up."""
    return math.floor(value + Fraction(1, 2))
