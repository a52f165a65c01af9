"""Encrypted model fields for sensitive text (raw statements): Fernet, keys from settings."""

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    """Build the MultiFernet once per key set: the first key encrypts, every key decrypts."""
    if not keys:
        if not (settings.DEBUG or getattr(settings, "TESTING", False)):
            raise ImproperlyConfigured("PEACEKIT_FIELD_KEYS must be set outside development.")
        derived = base64.urlsafe_b64encode(hashlib.sha256(secret_key.encode()).digest())
        keys = (derived.decode(),)
    return MultiFernet([Fernet(key.encode()) for key in keys])


def field_cipher() -> MultiFernet:
    """The cipher for the configured field encryption keys."""
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS), settings.SECRET_KEY)


def encrypt_text(value: str) -> str:
    """Encrypt text for storage."""
    return field_cipher().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    """Decrypt stored text; a wrong key raises a clear error that carries no content."""
    try:
        return field_cipher().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "Encrypted field could not be decrypted: is PEACEKIT_FIELD_KEYS the right key?"
        ) from exc


SERIALIZED_PREFIX = "fernet:"


class EncryptedTextField(models.TextField):
    """Text stored encrypted at rest (Fernet); never queryable by content.

    Serialization (dumpdata, `peacekit backup`) writes the ciphertext, never the plain text;
    loading it back (loaddata, `peacekit restore`) decrypts with the configured keys, so a
    backup is readable only with PEACEKIT_FIELD_KEYS.
    """

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        if value in (None, ""):
            return value
        return SERIALIZED_PREFIX + encrypt_text(value)

    def to_python(self, value):
        if isinstance(value, str) and value.startswith(SERIALIZED_PREFIX):
            return decrypt_text(value[len(SERIALIZED_PREFIX) :])
        return value

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(value)
