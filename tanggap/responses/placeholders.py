"""Placeholders of reply templates and letter numbers: finding, checking and filling them.

Nothing here touches the database. A placeholder is a name in braces, ``{kode}``; any other
brace is ordinary text. Filling never evaluates anything (no attribute or index access), so a
template cannot reach into the objects behind the values.
"""

import re

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

PLACEHOLDER = re.compile(r"\{(\w+)\}")

# The values a reply template may use. The reporter's identity is deliberately not among them.
TEMPLATE_PLACEHOLDERS = ("kode", "judul", "unit", "instansi", "layanan", "tanggal")

# The values a letter number format may use; {seq} is required so that numbers differ.
NUMBER_PLACEHOLDERS = ("seq", "unit", "year", "month", "roman_month")

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def placeholders_in(text: str) -> list[str]:
    """Return the placeholder names used in *text*, in order of first use."""
    return list(dict.fromkeys(PLACEHOLDER.findall(text)))


def check_placeholders(text: str, allowed) -> None:
    """Raise a ValidationError naming every placeholder of *text* that is not in *allowed*."""
    unknown = [name for name in placeholders_in(text) if name not in allowed]
    if unknown:
        raise ValidationError(
            _("Unknown placeholder: %(names)s. Use only: %(allowed)s."),
            code="unknown_placeholder",
            params={
                "names": ", ".join(f"{{{name}}}" for name in unknown),
                "allowed": ", ".join(f"{{{name}}}" for name in allowed),
            },
        )


def fill(text: str, values: dict[str, str]) -> str:
    """Replace each known placeholder of *text* by its value; checked text has no other."""
    return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)


def check_number_format(number_format: str) -> None:
    """Refuse a letter number format with unknown placeholders or without {seq}."""
    check_placeholders(number_format, NUMBER_PLACEHOLDERS)
    if "seq" not in placeholders_in(number_format):
        raise ValidationError(
            _("The number format must contain {seq}, or letters would share a number."),
            code="no_sequence",
        )


def letter_number(
    number_format: str, *, seq: int, digits: int, unit_code: str, year: int, month: int
) -> str:
    """Return a letter number: *number_format* filled in, the sequence padded to *digits*."""
    return fill(
        number_format,
        {
            "seq": str(seq).zfill(digits),
            "unit": unit_code,
            "year": str(year),
            "month": f"{month:02d}",
            "roman_month": ROMAN_MONTHS[month - 1],
        },
    )


def indonesian_date(day) -> str:
    """Return *day* as Indonesian letters write it: “12 November 2026”."""
    with translation.override("id"):
        return date_format(day, "j F Y")
