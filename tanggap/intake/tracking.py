"""Issue and check tracking codes, PINs and secret tokens for complainants.

Pure module (stdlib ``secrets``, ``hashlib``, ``hmac`` only).

Tracking code: ``TGP-XXXX-XXXC`` in Crockford base32 (no I, L, O, U). The
first seven symbols are random (35 bits); ``C`` is Crockford's check symbol:
the seven symbols read as one base-32 number, modulo 37. A mod-32 check
cannot work: every weight must be odd to catch all single substitutions, so
the difference of two neighbouring weights is even and a swap of two symbols
16 apart would go unnoticed. Modulo the prime 37 the weights 32**k are
non-zero with non-zero neighbour differences (32 - 1 = 31), so every single
substitution and every adjacent swap (including the check symbol itself) is
detected. Crockford spells the check values 32..36 as ``*~$=U``; this module
redraws the rare code whose check would need one of them (5 in 37), so every
issued code stays plain alphanumeric for URLs, SMS and reading aloud, and a
code ending in one of those five symbols is rejected as never issued.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_ALPHABET = ALPHABET + "*~$=U"
PREFIX = "TGP"
CHECK_MODULUS = 37
DATA_LENGTH = 7
BODY_LENGTH = DATA_LENGTH + 1
PIN_LENGTH = 6
TOKEN_BYTES = 32

_VALUES = {symbol: index for index, symbol in enumerate(ALPHABET)}
_CONFUSABLES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = frozenset("-_.\u2010\u2011\u2012\u2013\u2014")
# Anything longer is not a mistyped code; skip the work on hostile input.
_MAX_RAW_LENGTH = 64


def new_tracking_code() -> str:
    """Return a fresh random tracking code such as ``TGP-7K3M-9Q2X``."""
    while True:
        data = "".join(secrets.choice(ALPHABET) for _ in range(DATA_LENGTH))
        check = _check_value(data)
        if check < len(ALPHABET):
            return _format(data + ALPHABET[check])


def normalize_tracking_code(raw: str) -> str | None:
    """Return the canonical code for sloppy input, or None if it cannot be valid."""
    if not isinstance(raw, str) or len(raw) > _MAX_RAW_LENGTH:
        return None
    cleaned = "".join(ch for ch in raw.upper() if not ch.isspace() and ch not in _SEPARATORS)
    if len(cleaned) == len(PREFIX) + BODY_LENGTH and cleaned.startswith(PREFIX):
        cleaned = cleaned[len(PREFIX) :]
    if len(cleaned) != BODY_LENGTH:
        return None
    body = cleaned.translate(_CONFUSABLES)
    if any(symbol not in _VALUES for symbol in body):
        return None
    if _VALUES[body[-1]] != _check_value(body[:-1]):
        return None
    return _format(body)


def new_pin() -> str:
    """Return a random 6-digit PIN that is not a repdigit or a straight run."""
    while True:
        pin = f"{secrets.randbelow(10**PIN_LENGTH):0{PIN_LENGTH}d}"
        if not _is_weak_pin(pin):
            return pin


def new_secret_token() -> str:
    """Return a URL-safe token with 32 bytes of entropy for magic links."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    """Return the SHA-256 hex digest of ``token`` so only the digest is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def codes_match(a: str, b: str) -> bool:
    """Compare two codes or digests in constant time to avoid timing leaks."""
    # Bytes, because compare_digest rejects non-ASCII str.
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def _check_value(data: str) -> int:
    """Return Crockford's mod-37 check value of base-32 symbols ``data``."""
    value = 0
    for symbol in data:
        value = value * len(ALPHABET) + _VALUES[symbol]
    return value % CHECK_MODULUS


def _format(body: str) -> str:
    """Return ``body`` as ``TGP-XXXX-XXXX``."""
    return f"{PREFIX}-{body[:4]}-{body[4:]}"


def _is_weak_pin(pin: str) -> bool:
    """Return whether ``pin`` is one digit repeated or a straight up/down run."""
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:], strict=False)}
    return steps in ({0}, {1}, {-1})
