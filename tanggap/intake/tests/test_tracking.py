"""Test tracking codes, PINs and tokens (pure, no database)."""

import itertools
import re
import string

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from tanggap.intake import tracking
from tanggap.intake.tracking import (
    codes_match,
    new_pin,
    new_secret_token,
    new_tracking_code,
    normalize_tracking_code,
    token_digest,
)

SYMBOLS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_RE = re.compile(r"^TGP-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")

# Worked by hand: the 7 data symbols as a base-32 number, mod 37, indexes
# Crockford's check alphabet. E.g. "000001Z" = 32 + 31 = 63, 63 mod 37 = 26 = "T";
# "Z000000" = 31 * 32**6, and 32 = -5 (mod 37) so 32**6 = 11, 31 * 11 = 341 = 8.
KNOWN_CODES = [
    "TGP-0000-0000",
    "TGP-0000-0011",
    "TGP-0000-01ZT",
    "TGP-Z000-0008",
    "TGP-7K3M-9Q2J",
    "TGP-ABCD-EFGN",
]


def oracle_check(data: str) -> int:
    """Compute Crockford's mod-37 check value independently of the module."""
    return sum(SYMBOLS.index(s) * 32 ** (len(data) - 1 - i) for i, s in enumerate(data)) % 37


def body(code: str) -> str:
    return code.replace("TGP-", "").replace("-", "")


def as_code(symbols: str) -> str:
    return f"TGP-{symbols[:4]}-{symbols[4:]}"


def single_substitutions(code: str):
    symbols = body(code)
    for position, original in enumerate(symbols):
        for replacement in SYMBOLS:
            if replacement != original:
                yield as_code(symbols[:position] + replacement + symbols[position + 1 :])


def adjacent_swaps(code: str):
    symbols = body(code)
    for position in range(len(symbols) - 1):
        a, b = symbols[position], symbols[position + 1]
        if a != b:
            yield as_code(symbols[:position] + b + a + symbols[position + 2 :])


# --- format ---------------------------------------------------------------


def test_new_code_has_the_documented_format_and_a_valid_check_symbol():
    for _ in range(1000):
        code = new_tracking_code()
        assert CODE_RE.match(code), code
        symbols = body(code)
        assert SYMBOLS.index(symbols[7]) == oracle_check(symbols[:7])
        assert normalize_tracking_code(code) == code


def test_known_codes_are_valid_and_canonical():
    for code in KNOWN_CODES:
        assert normalize_tracking_code(code) == code


def test_code_whose_check_needs_an_extended_symbol_is_redrawn(monkeypatch):
    # given a random source that first draws "0000010" (check 32 = "*", not issuable)
    draws = iter("0000010" + "000001Z")
    monkeypatch.setattr(tracking.secrets, "choice", lambda _seq: next(draws))
    # when a code is issued
    code = new_tracking_code()
    # then the second draw is used
    assert code == "TGP-0000-01ZT"


# --- check symbol detection -----------------------------------------------


def test_every_single_substitution_is_detected():
    codes = KNOWN_CODES + [new_tracking_code() for _ in range(100)]
    for code in codes:
        for mutated in single_substitutions(code):
            assert normalize_tracking_code(mutated) is None, (code, mutated)


def test_every_adjacent_swap_is_detected_on_sample_codes():
    codes = KNOWN_CODES + [new_tracking_code() for _ in range(500)]
    for code in codes:
        for swapped in adjacent_swaps(code):
            assert normalize_tracking_code(swapped) is None, (code, swapped)


def find_valid_code(fixed: dict[int, str]) -> str:
    """Return a valid code with the given symbols at the given body positions."""
    free = [p for p in range(7) if p not in fixed][-2:]
    for fill in itertools.product(SYMBOLS, repeat=2):
        symbols = ["0"] * 7
        for position, symbol in zip(free, fill, strict=True):
            symbols[position] = symbol
        for position, symbol in fixed.items():
            if position < 7:
                symbols[position] = symbol
        check = oracle_check("".join(symbols))
        if check < 32 and fixed.get(7, SYMBOLS[check]) == SYMBOLS[check]:
            return as_code("".join(symbols) + SYMBOLS[check])
    raise AssertionError(f"no valid code for {fixed}")


def test_every_adjacent_swap_of_every_symbol_pair_is_detected():
    # given, for each neighbour position pair (check symbol included) and each
    # ordered pair of distinct symbols, a valid code holding that pair
    for position in range(7):
        for a, b in itertools.permutations(SYMBOLS, 2):
            code = find_valid_code({position: a, position + 1: b})
            symbols = body(code)
            swapped = as_code(symbols[:position] + b + a + symbols[position + 2 :])
            # then swapping them makes the code invalid
            assert normalize_tracking_code(swapped) is None, (code, swapped)


# --- normalisation --------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("TGP-7K3M-9Q2J", "TGP-7K3M-9Q2J"),
        ("tgp-7k3m-9q2j", "TGP-7K3M-9Q2J"),
        ("  TGP 7K3M 9Q2J \n", "TGP-7K3M-9Q2J"),
        ("TGP7K3M9Q2J", "TGP-7K3M-9Q2J"),
        ("7K3M-9Q2J", "TGP-7K3M-9Q2J"),
        ("7k3m9q2j", "TGP-7K3M-9Q2J"),
        ("7K3M 9Q2J", "TGP-7K3M-9Q2J"),
        ("TGP\u20137K3M\u20139Q2J", "TGP-7K3M-9Q2J"),
        ("tgp-oooo-o1zt", "TGP-0000-01ZT"),
        ("OOOO-OOIL", "TGP-0000-0011"),
        ("oooo ooil", "TGP-0000-0011"),
        ("zooo-ooo8", "TGP-Z000-0008"),
    ],
)
def test_normalize_accepts_sloppy_input(raw, expected):
    assert normalize_tracking_code(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "TGP",
        "TGP-7K3M-9Q2",  # too short
        "TGP-7K3M-9Q2JJ",  # too long
        "TGP-7K3M-9Q2K",  # wrong check symbol
        "TGP-7K3M-9Q2U",  # U is not in the alphabet
        "TGP-0000-010*",  # valid Crockford check, but never issued
        "XYZ-7K3M-9Q2J",  # wrong prefix
        "TGP-7K3M-9Q\u0134J",  # non-ASCII letter
        "TGP-7K3M-9Q2J" * 10,  # absurdly long
    ],
)
def test_normalize_rejects_invalid_input(raw):
    assert normalize_tracking_code(raw) is None


# --- PIN ------------------------------------------------------------------

WEAK_PINS = {d * 6 for d in string.digits} | {
    "012345",
    "123456",
    "234567",
    "345678",
    "456789",
    "987654",
    "876543",
    "765432",
    "654321",
    "543210",
}


def test_pins_are_six_digits_and_never_weak():
    pins = [new_pin() for _ in range(10_000)]
    for pin in pins:
        assert len(pin) == 6
        assert set(pin) <= set(string.digits)
        assert pin not in WEAK_PINS
    # every digit shows up in every position (leading zeros are kept)
    for position in range(6):
        assert {pin[position] for pin in pins} == set(string.digits)


def test_weak_pin_draws_are_redrawn_and_near_misses_kept(monkeypatch):
    # given a random source drawing 123456, 111111, 654321, 012345, then 112233
    draws = iter([123456, 111111, 654321, 12345, 112233])
    monkeypatch.setattr(tracking.secrets, "randbelow", lambda _n: next(draws))
    # then the first acceptable PIN is returned
    assert new_pin() == "112233"


def test_pin_keeps_leading_zeros(monkeypatch):
    monkeypatch.setattr(tracking.secrets, "randbelow", lambda _n: 42)
    assert new_pin() == "000042"


# --- tokens ---------------------------------------------------------------


def test_secret_token_is_urlsafe_with_32_bytes_of_entropy():
    token = new_secret_token()
    # 32 bytes -> 43 base64url characters without padding
    assert len(token) == 43
    assert re.fullmatch(r"[A-Za-z0-9_-]+", token)


def test_token_digest_is_stable_sha256_hex():
    assert token_digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    token = new_secret_token()
    assert token_digest(token) == token_digest(token)
    assert re.fullmatch(r"[0-9a-f]{64}", token_digest(token))
    assert token_digest(token) != token


# --- uniqueness -----------------------------------------------------------


def test_codes_tokens_and_digests_are_unique_over_10000_draws():
    codes = {new_tracking_code() for _ in range(10_000)}
    tokens = {new_secret_token() for _ in range(10_000)}
    # ~2**34.8 codes: one birthday collision in 10,000 draws has p ~ 0.0017,
    # two have p ~ 1e-6; production relies on a unique constraint and a redraw.
    assert len(codes) >= 9_999
    assert len(tokens) == 10_000
    assert len({token_digest(t) for t in tokens}) == 10_000


# --- constant-time comparison ---------------------------------------------


def test_codes_match():
    assert codes_match("TGP-7K3M-9Q2J", "TGP-7K3M-9Q2J")
    assert not codes_match("TGP-7K3M-9Q2J", "TGP-7K3M-9Q2K")
    assert not codes_match("TGP-7K3M-9Q2J", "TGP-7K3M")
    assert not codes_match("", "x")
    # non-ASCII must not raise (hmac.compare_digest rejects non-ASCII str)
    assert not codes_match("kode\u00e9", "kode")
    assert codes_match("kode\u00e9", "kode\u00e9")


@pytest.mark.django_db
def test_a_wrong_private_link_is_a_404_with_the_message(client):
    response = client.get(reverse("intake:track_link", args=["not-a-real-token"]))

    assert response.status_code == 404
    assert gettext("This tracking link is not valid.") in response.content.decode()
