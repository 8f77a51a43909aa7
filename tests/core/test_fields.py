from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from powershift.core.fields import EncryptedTextField


def test_round_trip_is_encrypted_at_rest(settings) -> None:
    settings.FIELD_ENCRYPTION_KEY = Fernet.generate_key().decode()
    field = EncryptedTextField()
    stored = field.get_prep_value("Prefers to be called Mo; lives with her sister")
    assert "called Mo" not in stored and stored.startswith("gAAAAA")  # a Fernet token
    assert field.from_db_value(stored, None, None) == "Prefers to be called Mo; lives with her sister"
    assert field.get_prep_value("") == "" and field.get_prep_value(None) is None


def test_keys_rotate_and_a_wrong_key_is_a_clear_error(settings) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEY = old
    stored = EncryptedTextField().get_prep_value("strengths: cooking, fixing bikes")
    settings.FIELD_ENCRYPTION_KEY = f"{new},{old}"
    assert EncryptedTextField().from_db_value(stored, None, None) == "strengths: cooking, fixing bikes"
    settings.FIELD_ENCRYPTION_KEY = new
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        EncryptedTextField().from_db_value(stored, None, None)
