"""Encrypted fields: stored as Fernet tokens, read back with any configured key, rotated with the newest."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase, override_settings
from hypothesis import given
from hypothesis import strategies as st

from safetydesk.lib.crypto import (
    EncryptedJSONField,
    EncryptedTextField,
    decrypt_str,
    encrypt_str,
    is_current_key,
    rotate_token,
)

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()


class TokenTests(SimpleTestCase):
    def test_it_encrypts_with_the_newest_key_and_decrypts_with_any(self) -> None:
        with override_settings(ENCRYPTION_KEYS=[OLD]):
            token = encrypt_str("reporter@example.net")

        with override_settings(ENCRYPTION_KEYS=[NEW, OLD]):
            assert decrypt_str(token) == "reporter@example.net"
            assert not is_current_key(token)
            assert is_current_key(encrypt_str("x"))

    def test_a_missing_key_is_a_configuration_error_that_says_so(self) -> None:
        with override_settings(ENCRYPTION_KEYS=[OLD]):
            token = encrypt_str("secret")

        with override_settings(ENCRYPTION_KEYS=[NEW]), pytest.raises(ImproperlyConfigured, match="keys rotate"):
            decrypt_str(token)

    def test_an_empty_key_list_is_a_configuration_error(self) -> None:
        with override_settings(ENCRYPTION_KEYS=[]), pytest.raises(ImproperlyConfigured):
            encrypt_str("x")

    def test_rotation_keeps_the_plaintext_and_the_timestamp(self) -> None:
        with override_settings(ENCRYPTION_KEYS=[OLD]):
            token = encrypt_str("Rae Reporter")

        with override_settings(ENCRYPTION_KEYS=[NEW, OLD]):
            rotated = rotate_token(token)
            assert is_current_key(rotated)
        assert Fernet(NEW.encode()).decrypt(rotated.encode()) == b"Rae Reporter"
        assert Fernet(NEW.encode()).extract_timestamp(rotated.encode()) == Fernet(OLD.encode()).extract_timestamp(
            token.encode()
        )


class FieldTests(SimpleTestCase):
    def test_the_text_field_stores_a_token_and_reads_the_text(self) -> None:
        field = EncryptedTextField()

        stored = field.get_prep_value("Rae Reporter")

        assert "Rae" not in stored
        assert field.from_db_value(stored, None, None) == "Rae Reporter"
        assert field.get_prep_value(None) is None
        assert field.from_db_value(None, None, None) is None

    def test_the_same_text_gives_different_tokens(self) -> None:
        field = EncryptedTextField()

        assert field.get_prep_value("same") != field.get_prep_value("same")

    def test_the_json_field_round_trips_structures(self) -> None:
        field = EncryptedJSONField()
        value = {"channels": ["email", "talk"], "quiet_hours": {"from": 22, "to": 7}, "ok": True, "none": None}

        stored = field.get_prep_value(value)

        assert "quiet_hours" not in stored
        assert field.from_db_value(stored, None, None) == value
        assert field.to_python('{"a": 1}') == {"a": 1}
        assert field.to_python({"a": 1}) == {"a": 1}


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=500))
def test_any_text_survives_encryption_and_rotation(text: str) -> None:
    with override_settings(ENCRYPTION_KEYS=[OLD]):
        token = EncryptedTextField().get_prep_value(text)
    with override_settings(ENCRYPTION_KEYS=[NEW, OLD]):
        assert EncryptedTextField().from_db_value(token, None, None) == text
        assert decrypt_str(rotate_token(token)) == text
