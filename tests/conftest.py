"""Shared fixtures: two agencies that must never see each other's data, and the program."""

import pytest

from peacekit.core.models import Membership, Organization
from tests.factories import OrganizationFactory, member


@pytest.fixture
def program(db):
    return OrganizationFactory(name="Peace Officer Program", kind=Organization.Kind.PROGRAM)


@pytest.fixture
def org_a(db):
    return OrganizationFactory(name="ORGA-SECRET Police Department")


@pytest.fixture
def org_b(db):
    return OrganizationFactory(name="Other County Sheriff", kind=Organization.Kind.SHERIFF)


@pytest.fixture
def admin_a(org_a):
    return member(org_a, Membership.Role.AGENCY_ADMIN, full_name="Admin A")


@pytest.fixture
def admin_b(org_b):
    return member(org_b, Membership.Role.AGENCY_ADMIN, full_name="Admin B")


@pytest.fixture
def program_admin(program):
    user = member(program, Membership.Role.PROGRAM_ADMIN, full_name="Program Admin")
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def client_a(client, admin_a):
    client.force_login(admin_a)
    return client


@pytest.fixture
def client_b(client, admin_b):
    client.force_login(admin_b)
    return client
