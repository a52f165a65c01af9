"""URL parameters for the cross-organization walk: core objects owned by organization A."""

from peacekit.core import services
from peacekit.core.models import JobRun, Membership
from tests.factories import UserFactory


def _membership(org_a, owner_a):
    return Membership.objects.create(
        organization=org_a, user=UserFactory(full_name="ORGA-SECRET member"), role="viewer"
    ).pk


def _invitation(org_a, owner_a):
    invitation, _raw = services.invitation_create(
        actor=owner_a, organization=org_a, email="orga-secret-invitee@example.org", role="viewer"
    )
    return invitation.pk


def _job(org_a, owner_a):
    return JobRun.objects.create(
        kind="core.audit_export", label="ORGA-SECRET export", organization=org_a,
        created_by=owner_a, status=JobRun.Status.FAILED,
    ).pk  # fmt: skip


def _token(org_a, owner_a):
    token, _raw = services.api_token_create(user=owner_a, name="ORGA-SECRET token")
    return token.pk


KWARG_FACTORIES = {
    "organization_id": lambda org_a, owner_a: org_a.pk,
    "membership_id": _membership,
    "invitation_id": _invitation,
    "job_id": _job,
    "token_id": _token,
    "token": lambda org_a, owner_a: "not-a-real-token",
    "uidb64": lambda org_a, owner_a: "MQ",
}
