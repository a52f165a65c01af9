"""Core services: organizations, roles, invitations, tokens and the audit trail."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from peacekit.core import services
from peacekit.core.models import AuditEvent, Membership, Organization, User
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


def test_organization_create_records_an_audit_event(program_admin):
    org = services.organization_create(
        actor=program_admin, name="Lakeview Police Department", kind="police", state="OH"
    )
    assert org.slug == "lakeview-police-department"
    event = AuditEvent.objects.get(action="organization.create")
    assert event.actor == program_admin and event.organization == org


def test_organization_create_rejects_a_bad_ori_with_the_field_named(program_admin):
    with pytest.raises(ValidationError) as error:
        services.organization_create(actor=program_admin, name="X", kind="police", ori_code="12")
    assert "ori_code" in error.value.message_dict


def test_audit_events_cannot_be_changed_or_deleted(program_admin):
    event = services.audit_record(actor=program_admin, action="test.thing")
    event.action = "tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(action="x")


def test_program_admin_role_only_in_the_program_organization(org_a, program_admin):
    user = UserFactory()
    with pytest.raises(ValidationError):
        services.membership_set(
            actor=program_admin, organization=org_a, user=user, role="program_admin"
        )


def test_invitation_create_emails_a_link_that_works_once(
    org_a, admin_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invitation, raw = services.invitation_create(
            actor=admin_a, organization=org_a, email="New.Person@Example.org", role="facilitator"
        )
    assert len(mail.outbox) == 1 and raw in mail.outbox[0].body
    user = services.invitation_accept(
        token=raw, full_name="New Person", password="a long pass phrase"
    )
    assert user.email == "new.person@example.org"
    assert Membership.objects.get(user=user, organization=org_a).role == "facilitator"
    with pytest.raises(ValidationError):
        services.invitation_accept(token=raw, full_name="Again", password="a long pass phrase")


def test_invitation_to_an_existing_member_is_refused(org_a, admin_a):
    with pytest.raises(ValidationError):
        services.invitation_create(
            actor=admin_a, organization=org_a, email=admin_a.email, role="viewer"
        )


def test_last_admin_cannot_remove_themselves(org_a, admin_a):
    membership = Membership.objects.get(user=admin_a)
    with pytest.raises(ValidationError):
        services.membership_remove(actor=admin_a, membership=membership)


def test_api_token_is_stored_hashed_and_stops_working_when_revoked(admin_a):
    token, raw = services.api_token_create(user=admin_a, name="script")
    assert raw not in token.token_hash and token.prefix == raw[:9]
    assert services.api_token_authenticate(raw=raw) == admin_a
    services.api_token_revoke(user=admin_a, token=token)
    assert services.api_token_authenticate(raw=raw) is None
    assert services.api_token_authenticate(raw="pk_guess") is None


def test_program_staff_see_every_organization_others_only_theirs(
    org_a, org_b, admin_a, program_admin
):
    from peacekit.core.selectors import organization_list

    assert set(organization_list(user=admin_a)) == {org_a}
    assert {org_a, org_b} <= set(organization_list(user=program_admin))


def test_encrypted_field_round_trip_and_unreadable_at_rest(db):
    from django.db import connection

    from peacekit.core.fields import decrypt_text, encrypt_text

    token = encrypt_text("Officer Smith stopped me on Elm Street")
    assert "Smith" not in token and decrypt_text(token).startswith("Officer Smith")
    assert connection.vendor in {"sqlite", "postgresql"}


def test_user_email_login_is_case_insensitive_on_create(db):
    services.user_create(email="Ana@Example.org", password="x" * 12)
    with pytest.raises(ValidationError):
        services.user_create(email="ana@example.org")
    assert User.objects.get().email == "ana@example.org"
    assert Organization.objects.count() == 0
    assert member  # factories importable
