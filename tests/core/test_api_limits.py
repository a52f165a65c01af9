"""API input bounds: page sizes (finding F2) and NUL characters in JSON bodies (finding F3)."""

from __future__ import annotations

import pytest

from tests.listening import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative(org_a, admin_a):
    return factories.initiative(org_a, admin_a)


# ----------------------------------------------------------------------------- F2: page size
def test_default_paging_refuses_a_limit_above_500(client_a, initiative):
    """The listening API pages with ninja's default paginator, which now has a ceiling
    (NINJA_PAGINATION_MAX_LIMIT = 500): a huge limit is a 422, not 100 000 rows or a 500."""
    factories.published(initiative)
    url = f"/api/listening/initiatives/{initiative.pk}/statements"
    refused = client_a.get(url, {"limit": 100000})
    assert refused.status_code == 422
    assert "500" in refused.content.decode()  # the message names the ceiling
    assert client_a.get(url, {"limit": 10**30}).status_code == 422
    accepted = client_a.get(url, {"limit": 500})
    assert accepted.status_code == 200 and accepted.json()["count"] == 1


def test_openapi_documents_the_page_size_ceiling(client):
    spec = client.get("/api/openapi.json").json()
    operation = spec["paths"]["/api/listening/initiatives/{initiative_id}/statements"]["get"]
    limit = next(p for p in operation["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 500
