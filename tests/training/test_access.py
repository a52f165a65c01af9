"""The cross-organization walk restricted to training routes (the full walk covers them too)."""

import pytest

import tests.access_walk as walk
from peacekit.core.models import Membership
from tests.factories import member


@pytest.fixture
def outsiders(org_b):
    return {role: member(org_b, role) for role, _label in Membership.Role.choices
            if role != Membership.Role.PROGRAM_ADMIN}  # fmt: skip


def test_walk_training_pages_never_leak_to_another_agency(org_a, admin_a, outsiders, monkeypatch):
    everything = walk.all_routes
    routes = [r for r in everything() if r.pattern.startswith("training/")]
    monkeypatch.setattr(walk, "all_routes", lambda: routes)
    findings, checked = walk.walk_pages(org_a=org_a, owner_a=admin_a, outsiders=outsiders)
    assert not findings, "\n".join(map(str, findings))
    assert checked == len(routes) > 30


def test_walk_training_api_never_leaks(org_a, admin_a, outsiders):
    findings, _checked = walk.walk_api(org_a=org_a, owner_a=admin_a, outsiders=outsiders)
    mine = [f for f in findings if "/training/" in f.route]
    assert not mine, "\n".join(map(str, mine))
