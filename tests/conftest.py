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


def run_queued_jobs() -> int:
    """Run every queued job in this process (tests do not start a worker); returns how many."""
    from peacekit.core.models import JobRun
    from peacekit.core.services import jobrun_execute

    count = 0
    while job_id := (
        JobRun.objects.filter(status=JobRun.Status.QUEUED).values_list("pk", flat=True).first()
    ):
        jobrun_execute(job_run_id=job_id, worker_id="test")
        count += 1
    return count
