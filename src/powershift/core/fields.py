"""Model fields for sensitive personal data, encrypted at rest with Fernet (cryptography).

FIELD_ENCRYPTION_KEY holds one or more comma-separated Fernet keys: the first encrypts, all
decrypt, so keys can be rotated. Encrypted values cannot be searched or ordered by the database.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: str) -> MultiFernet:
    try:
        return MultiFernet([Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()])
    except (ValueError, TypeError) as e:
        raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEY is not a valid Fernet key ({e})") from None


def fernet() -> MultiFernet:
    return _fernet(settings.FIELD_ENCRYPTION_KEY)


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text stored encrypted; read back as plain text."""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return fernet().encrypt(str(value).encode()).decode()

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        try:
            return fernet().decrypt(value.encode()).decode()
        except InvalidToken:
            raise ImproperlyConfigured(
                "an encrypted field cannot be read with FIELD_ENCRYPTION_KEY; put the old key "
                "after the new one (comma-separated) while rotating"
            ) from None
