"""Encryption at rest for personal data and message bodies (ARCHITECTURE §7).

Values are Fernet tokens (AES-128-CBC + HMAC-SHA256) made with the newest key of
settings.ENCRYPTION_KEYS; every key in the list can still decrypt, so keys rotate without
downtime. `safetydesk keys rotate` re-encrypts stored values with the newest key.

An encrypted column cannot be searched or sorted in SQL: keep searchable labels elsewhere.
"""

import json
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@cache
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("ENCRYPTION_KEYS is empty")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet_for(tuple(settings.ENCRYPTION_KEYS))


def encrypt_str(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt_str(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An encrypted value could not be decrypted with any configured key: "
            "was a key removed from SAFETYDESK_ENCRYPTION_KEYS before `keys rotate` finished?"
        ) from exc


def rotate_token(token: str) -> str:
    """The same plaintext under the newest key (MultiFernet.rotate keeps the timestamp)."""
    return fernet().rotate(token.encode()).decode()


def is_current_key(token: str) -> bool:
    """True if the newest key made this token (cheap check used by `keys rotate`)."""
    newest = Fernet(settings.ENCRYPTION_KEYS[0].encode())
    try:
        newest.decrypt(token.encode())
    except InvalidToken:
        return False
    return True


class EncryptedTextField(models.TextField):
    """A text column stored as a Fernet token. Not searchable, not orderable."""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None:
            return None
        return encrypt_str(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        return decrypt_str(value)


class EncryptedJSONField(models.TextField):
    """A JSON value stored as one Fernet token."""

    # For django-stubs: the attribute holds any JSON value, not a str.
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return encrypt_str(json.dumps(value, sort_keys=True, default=str))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        return json.loads(decrypt_str(value))

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value


ENCRYPTED_FIELD_TYPES = (EncryptedTextField, EncryptedJSONField)
