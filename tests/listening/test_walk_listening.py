"""The cross-organization walk, limited to this app's routes (the full walk runs in core)."""

import pytest

from peacekit.core.models import Membership
from tests import access_walk
from tests.factories import member


@pytest.fixture
def outsiders(org_b):
    return {role: member(org_b, role) for role, _label in Membership.Role.choices
            if role != Membership.Role.PROGRAM_ADMIN}  # fmt: skip


def test_walk_listening_pages_refuse_other_organizations(org_a, admin_a, outsiders, monkeypatch):
    routes = [r for r in access_walk.all_routes() if r.pattern.startswith("listening/")]
    assert len(routes) >= 20
    monkeypatch.setattr(access_walk, "all_routes", lambda: routes)
    findings, checked = access_walk.walk_pages(org_a=org_a, owner_a=admin_a, outsiders=outsiders)
    assert not findings, "\n".join(map(str, findings))
    assert checked == len(routes)


def test_walk_listening_api_refuses_other_organizations(org_a, admin_a, outsiders, monkeypatch):
    from peacekit.api import api

    full = api.get_openapi_schema()
    mine = {**full, "paths": {p: m for p, m in full["paths"].items() if "/listening/" in p}}
    monkeypatch.setattr(api, "get_openapi_schema", lambda *a, **k: mine)
    findings, checked = access_walk.walk_api(org_a=org_a, owner_a=admin_a, outsiders=outsiders)
    assert not findings, "\n".join(map(str, findings))
    assert checked >= 2
