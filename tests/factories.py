"""factory_boy factories for core objects; apps add their own in tests/<app>/factories.py."""

import factory

from peacekit.core.models import JobRun, Membership, Organization, User


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Agency {n}")
    slug = factory.Sequence(lambda n: f"agency-{n}")
    kind = Organization.Kind.POLICE
    state = "KY"
    city = "Bowling Green"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.AGENCY_ADMIN


class JobRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobRun

    kind = "core.audit_export"
    label = "Audit log export (CSV)"
    organization = factory.SubFactory(OrganizationFactory)


def member(
    organization: Organization, role: str = Membership.Role.AGENCY_ADMIN, **user_fields
) -> User:
    """A user with a role in an organization."""
    user = UserFactory(**user_fields)
    MembershipFactory(organization=organization, role=role, user=user)
    return user
