"""Demo data for `peacekit demo`: organizations and one user per role.

Each app may add a `demo.py` with `load(context: DemoContext, progress)`; they run in
settings.PEACEKIT_APPS order, through the same services users go through.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from peacekit.core.models import Membership, Organization, User
from peacekit.core.services import membership_set, organization_create, user_create

DEMO_PASSWORD = "peacekit-demo-2026"
Role = Membership.Role


@dataclass
class DemoContext:
    """What later demo loaders need: the organizations and users made here."""

    organizations: dict[str, Organization] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)


DEMO_ORGANIZATIONS = [
    ("program", "Peace Officer Program", Organization.Kind.PROGRAM, "", "", ""),
    ("metro_pd", "Metro City Police Department", Organization.Kind.POLICE, "KY", "Warren", "Bowling Green"),
    ("riverside_so", "Riverside County Sheriff's Office", Organization.Kind.SHERIFF, "CA", "Riverside", ""),
    ("metro_city", "City of Metro City", Organization.Kind.GOVERNMENT, "KY", "Warren", "Bowling Green"),
    ("neighbors", "Eastside Neighbors United", Organization.Kind.COMMUNITY, "KY", "Warren", "Bowling Green"),
]  # fmt: skip

DEMO_USERS = [
    ("program@demo.peacekit.org", "Pat Program", "program", Role.PROGRAM_ADMIN),
    ("chief@metro-pd.demo.peacekit.org", "Chief Dana Rivera", "metro_pd", Role.AGENCY_ADMIN),
    ("facilitator@metro-pd.demo.peacekit.org", "Fran Facilitator", "metro_pd", Role.FACILITATOR),
    ("analyst@metro-pd.demo.peacekit.org", "Ana Analyst", "metro_pd", Role.ANALYST),
    ("coach@demo.peacekit.org", "Cal Coach", "program", Role.COACH),
    ("viewer@metro-city.demo.peacekit.org", "Vic Viewer", "metro_city", Role.VIEWER),
    (
        "sheriff@riverside-so.demo.peacekit.org",
        "Sheriff Sam Ortiz",
        "riverside_so",
        Role.AGENCY_ADMIN,
    ),
]


def demo_exists() -> bool:
    return User.objects.filter(email=DEMO_USERS[0][0]).exists()


@transaction.atomic
def load(context: DemoContext, progress=None) -> None:
    """Create the demo organizations and users (one per role)."""
    for key, name, kind, state, county, city in DEMO_ORGANIZATIONS:
        context.organizations[key] = organization_create(
            actor=None, name=name, kind=kind, state=state, county=county, city=city,
            email=f"info@{key.replace('_', '-')}.demo.peacekit.org",
        )  # fmt: skip
    for email, full_name, org_key, role in DEMO_USERS:
        user = user_create(email=email, password=DEMO_PASSWORD, full_name=full_name)
        if role == Role.PROGRAM_ADMIN:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        membership_set(
            actor=None, organization=context.organizations[org_key], user=user, role=role
        )
        context.users[role if role not in context.users else email] = user
