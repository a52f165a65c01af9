"""The JSON API: session and token authentication, scoped data, OpenAPI docs."""

import pytest

from peacekit.core import services

pytestmark = pytest.mark.django_db


def test_openapi_spec_lists_core_endpoints(client):
    spec = client.get("/api/openapi.json").json()
    assert "/api/core/me" in spec["paths"] and "/api/core/jobs" in spec["paths"]


def test_me_with_a_bearer_token(client, admin_a, org_a):
    _token, raw = services.api_token_create(user=admin_a, name="t")
    data = client.get("/api/core/me", headers={"Authorization": f"Bearer {raw}"}).json()
    assert data["email"] == admin_a.email
    assert data["memberships"][0]["organization_id"] == org_a.pk


def test_revoked_token_is_refused(client, admin_a):
    token, raw = services.api_token_create(user=admin_a, name="t")
    services.api_token_revoke(user=admin_a, token=token)
    assert client.get("/api/core/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_organizations_are_scoped_to_the_user(client_a, org_a, org_b):
    items = client_a.get("/api/core/organizations").json()["items"]
    assert [item["id"] for item in items] == [org_a.pk]
    assert client_a.get(f"/api/core/organizations/{org_b.pk}").status_code == 404


def test_nul_characters_in_a_query_get_a_clear_400(client_a):
    response = client_a.get("/api/core/organizations", {"q": "a\x00b"})
    assert response.status_code == 400 and b"NUL" in response.content
    assert client_a.get("/organizations/", {"q": "\x00"}).status_code == 400
