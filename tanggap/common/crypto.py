"""Encryption at rest for reporters' contact details (Fernet, rotatable keys)."""

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _derived_key(secret: str) -> bytes:
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=None,
        info=b"tanggap-field-encryption",
    )
    return base64.urlsafe_b64encode(hkdf.derive(secret.encode()))


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...], secret: str) -> MultiFernet:
    material = [k.encode() for k in keys] or [_derived_key(secret)]
    return MultiFernet([Fernet(k) for k in material])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS), settings.SECRET_KEY)


def encrypt_text(value: str) -> str:
    """Return the ciphertext of *value* ("" stays "" so empty fields stay recognisable)."""
    if not value:
        return ""
    return _current().encrypt(value.encode()).decode()


def decrypt_text(token: str) -> str:
    """Return the plain text of *token*; raise ValueError when no key opens it."""
    if not token:
        return ""
    try:
        return _current().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("undecryptable field") from exc
