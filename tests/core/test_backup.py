"""`peacekit backup` and `peacekit restore`: a round trip that loses nothing."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from peacekit.core import services
from peacekit.core.fields import SERIALIZED_PREFIX, EncryptedTextField
from peacekit.core.models import AuditEvent, Membership, Organization, User

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_backup_then_restore_into_an_empty_database(tmp_path, org_a, admin_a):
    services.audit_record(actor=admin_a, action="test.before_backup", obj=org_a)
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive))
    before = (Organization.objects.count(), User.objects.count(), AuditEvent.objects.count())

    call_command("flush", interactive=False, verbosity=0)
    assert User.objects.count() == 0
    call_command("restore", str(archive))

    after = (Organization.objects.count(), User.objects.count(), AuditEvent.objects.count())
    assert after == before
    restored = User.objects.get(email=admin_a.email)
    assert restored.check_password("correct horse battery")
    assert Membership.objects.get(user=restored).organization.name == org_a.name


def test_restore_refuses_a_database_with_data(tmp_path, org_a):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))


class _Holder:
    secret = "Officer Smith stopped me on Elm Street"


def test_encrypted_values_are_serialized_as_ciphertext_and_need_the_key():
    field = EncryptedTextField()
    field.attname = "secret"
    key_a, key_b = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[key_a]):
        serialized = field.value_to_string(_Holder())
        assert serialized.startswith(SERIALIZED_PREFIX) and "Smith" not in serialized
        assert field.to_python(serialized) == _Holder.secret
    with override_settings(FIELD_ENCRYPTION_KEYS=[key_b]), pytest.raises(ImproperlyConfigured):
        field.to_python(serialized)
    with override_settings(FIELD_ENCRYPTION_KEYS=[key_b, key_a]):  # rotation: old key decrypts
        assert field.to_python(serialized) == _Holder.secret
