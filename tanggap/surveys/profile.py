"""Age bands of the respondent profile, shared by the staff screens and the report.

Pure module: no Django, no database. The Lampiran form asks the age as a number
(domain.md 1.4); reports tabulate it in bands.
"""

from __future__ import annotations

# (lowest age, highest age), open at both ends.
AGE_BANDS: tuple[tuple[int | None, int | None], ...] = (
    (None, 19),
    (20, 29),
    (30, 39),
    (40, 49),
    (50, 59),
    (60, None),
)


def age_band(age: int | None) -> int | None:
    """Return the index in ``AGE_BANDS`` of ``age``, None when the age was not given."""
    if age is None:
        return None
    for index, (low, high) in enumerate(AGE_BANDS):
        if (low is None or age >= low) and (high is None or age <= high):
            return index
    return None


def age_label(low: int | None, high: int | None) -> str:
    """Return a band's label, e.g. ``20–29``, ``< 20`` or ``≥ 60``."""
    if low is None:
        return f"< {high + 1}"
    if high is None:
        return f"≥ {low}"
    return f"{low}–{high}"
