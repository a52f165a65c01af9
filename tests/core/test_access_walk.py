"""Every route, as another organization's user of every role and as an anonymous visitor."""

import pytest

from peacekit.core.models import Membership
from tests.access_walk import all_routes, walk_api, walk_pages
from tests.factories import member


@pytest.fixture
def outsiders(org_b):
    return {role: member(org_b, role) for role, _label in Membership.Role.choices
            if role != Membership.Role.PROGRAM_ADMIN}  # fmt: skip


def test_walk_covers_every_page_route_and_none_leaks(org_a, admin_a, outsiders):
    findings, checked = walk_pages(org_a=org_a, owner_a=admin_a, outsiders=outsiders)
    assert not findings, "\n".join(map(str, findings))
    assert checked == len(all_routes())


def test_walk_covers_every_api_route_and_none_leaks(org_a, admin_a, outsiders):
    findings, checked = walk_api(org_a=org_a, owner_a=admin_a, outsiders=outsiders)
    assert not findings, "\n".join(map(str, findings))
    assert checked >= 5


def test_walk_detects_a_leaking_route(org_a, admin_a, outsiders, monkeypatch):
    """The walk itself must fail when a view forgets its access check."""
    from peacekit.core import views
    from peacekit.core.models import Organization

    def leaky_detail(request, organization_id):
        from django.http import HttpResponse

        return HttpResponse(Organization.objects.get(pk=organization_id).name)

    from django.urls import get_resolver

    resolver = get_resolver()
    for pattern in resolver.url_patterns[0].url_patterns:
        if getattr(pattern, "name", "") == "organization_detail":
            monkeypatch.setattr(pattern, "callback", leaky_detail)
    findings, _checked = walk_pages(org_a=org_a, owner_a=admin_a, outsiders=outsiders)
    assert any("organization" in f.route and "reachable" in f.problem for f in findings)
    assert views  # the real view is untouched
