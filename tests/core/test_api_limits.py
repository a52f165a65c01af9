"""API input bounds: page sizes (finding F2) and NUL characters in JSON bodies (finding F3)."""

from __future__ import annotations

import json
import uuid

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from peacekit.core.middleware import RejectNulMiddleware
from peacekit.listening.models import Statement
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


# ----------------------------------------------------------------------------- F3: NUL in JSON
def test_nul_character_in_a_json_body_is_a_clear_400_and_nothing_is_stored(client_a, initiative):
    url = f"/api/listening/initiatives/{initiative.pk}/statements"
    body = json.dumps({"text": "Parks\u0000 at night", "submission_key": uuid.uuid4().hex})
    assert "\\u0000" in body  # sent the way JSON encoders send it
    response = client_a.post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert "NUL character" in response.json()["detail"]
    assert not Statement.objects.exists()

    raw_byte = b'{"text": "Parks\x00 at night", "submission_key": "k"}'
    response = client_a.post(url, raw_byte, content_type="application/json; charset=utf-8")
    assert response.status_code == 400 and not Statement.objects.exists()

    in_a_key = json.dumps({"text": "Parks", "submission_key": "k", "x\u0000": 1})
    assert client_a.post(url, in_a_key, content_type="application/json").status_code == 400


def _through_middleware(body: bytes, content_type: str = "application/json") -> int:
    request = RequestFactory().post("/api/anything", body, content_type=content_type)
    return RejectNulMiddleware(lambda request: HttpResponse("passed"))(request).status_code


def test_nul_check_leaves_harmless_bodies_alone():
    # An escaped backslash followed by "u0000" is the six characters \u0000, not a NUL.
    assert _through_middleware(json.dumps({"text": "C:\\u0000 path"}).encode()) == 200
    assert _through_middleware(b'{"text": "ordinary"}') == 200
    assert _through_middleware(b'{"text": "\\u0000') == 200  # not JSON: the view answers
    assert _through_middleware(b'{"text": "\\u0000"}') == 400
    assert _through_middleware(b'{"a": [{"b": ["\\u0000"]}]}', "application/merge+json") == 400
    # Forms and uploads are not JSON: Django's form validators handle their NUL characters.
    assert _through_middleware(b"text=a%00b", "application/x-www-form-urlencoded") == 200
