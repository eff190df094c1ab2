"""Placeholders: found, checked against a list, filled without evaluating anything."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tanggap.responses.placeholders import (
    NUMBER_PLACEHOLDERS,
    TEMPLATE_PLACEHOLDERS,
    check_number_format,
    check_placeholders,
    fill,
    indonesian_date,
    letter_number,
    placeholders_in,
)


def test_placeholders_are_listed_once_in_order_of_use():
    assert placeholders_in("{kode} {judul} {kode} {x}") == ["kode", "judul", "x"]


def test_an_unknown_placeholder_is_named_in_the_error():
    # given a template asking for the reporter's name, which is never offered
    with pytest.raises(ValidationError) as error:
        check_placeholders("Yth. {nama}, laporan {kode}", TEMPLATE_PLACEHOLDERS)

    assert "{nama}" in error.value.messages[0]
    assert "{kode}" not in error.value.messages[0].split(".")[0]


def test_known_placeholders_and_ordinary_braces_pass():
    check_placeholders("Laporan {kode} {tanggal} {sebuah kalimat} {}", TEMPLATE_PLACEHOLDERS)


def test_filling_replaces_names_and_never_evaluates_attributes():
    text = fill("{kode} {kode.__class__} {judul}", {"kode": "TGP-1", "judul": "Antrean"})

    assert text == "TGP-1 {kode.__class__} Antrean"


def test_a_number_format_needs_the_sequence():
    with pytest.raises(ValidationError):
        check_number_format("{unit}/{year}")
    with pytest.raises(ValidationError):
        check_number_format("{seq}/{kode}/{year}")
    check_number_format("{seq}/{unit}/{roman_month}/{year}")
    assert set(NUMBER_PLACEHOLDERS) >= {"seq", "unit", "year"}


def test_letter_numbers_are_padded_and_use_roman_months():
    number = letter_number(
        "B/{seq}/{unit}/{roman_month}/{year}",
        seq=7,
        digits=3,
        unit_code="SPKT",
        year=2026,
        month=11,
    )

    assert number == "B/007/SPKT/XI/2026"


def test_dates_are_written_in_indonesian_whatever_the_language():
    assert indonesian_date(date(2026, 8, 17)) == "17 Agustus 2026"
