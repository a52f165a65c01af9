"""Security checks beyond the foundation's walk: CSRF on every POST, audited raw-text views,
single-purpose unguessable tokens, invalid and replayed tokens."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from peacekit.core.models import AuditEvent, Membership
from tests.access_walk import all_routes, build_path, fill, kwarg_factories


def _csrf_refused(response) -> bool:
    return response.status_code == 403 and b"CSRF" in response.content


def test_every_post_route_refuses_a_request_without_the_csrf_token(org_a, admin_a):
    """POST to every page route (ids filled with A's objects) without a token: 403 CSRF."""
    admin_a.is_staff = True
    admin_a.save()
    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(admin_a)
    anonymous = Client(enforce_csrf_checks=True)
    factories, cache = kwarg_factories(), {}
    problems, checked = [], 0
    for route in all_routes():
        values = fill(route.params, factories, org_a, admin_a, cache)
        if values is None:
            continue  # the foundation's walk reports routes without factories
        path = build_path(route.pattern, values)
        for who, client in (("staff", signed_in), ("anonymous", anonymous)):
            response = client.post(path, {"x": "1"})
            checked += 1
            if response.status_code == 405:
                continue  # GET-only view
            if not _csrf_refused(response):
                problems.append(f"POST {path} as {who}: HTTP {response.status_code}")
    assert checked > 100
    assert problems == []


def test_api_writes_with_a_session_cookie_need_the_csrf_token(org_a, admin_a):
    """The API takes a bearer token or the session; with the session, CSRF still applies
    (operations tagged "public" take no session and are left out)."""
    from peacekit.api import api

    schema = api.get_openapi_schema()
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_a)
    factories, cache = kwarg_factories(), {}
    problems, checked = [], 0
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method not in ("post", "put", "patch", "delete"):
                continue
            if "public" in operation.get("tags", []):
                continue
            values = fill(re.findall(r"{(\w+)}", path), factories, org_a, admin_a, cache)
            if values is None:
                continue
            url = re.sub(r"{(\w+)}", lambda m, v=values: str(v[m.group(1)]), path)
            response = getattr(client, method)(url, data="{}", content_type="application/json")
            checked += 1
            if response.status_code not in (401, 403):
                problems.append(f"{method.upper()} {url}: HTTP {response.status_code}")
    assert checked >= 1 and problems == []


# ----------------------------------------------------------------------------- raw statement text
@pytest.fixture
def pending_statement(org_a, admin_a):
    pytest.importorskip("peacekit.listening")
    from tests.listening import factories

    return factories.statement(factories.initiative(org_a, admin_a))


def test_every_view_of_raw_statement_text_is_audited(client_a, pending_statement, admin_a):
    path = f"/listening/review/{pending_statement.pk}/"
    before = AuditEvent.objects.filter(action="statement.raw_view").count()
    for _ in range(3):
        response = client_a.get(path)
        assert response.status_code == 200
        assert b"270-555-0199" in response.content  # the raw text is there to review
    events = AuditEvent.objects.filter(action="statement.raw_view")
    assert events.count() == before + 3
    event = events.latest("created_at")
    assert event.actor == admin_a and event.object_id == str(pending_statement.pk)
    assert "270-555-0199" not in str(event.metadata) + event.object_label


def test_raw_statement_text_appears_on_no_other_listening_page(client_a, org_a, admin_a):
    """Walk every listening GET page with A's objects: the raw phone number shows only on the
    review page (RAW_SECRET is the text of the factories' statements)."""
    pytest.importorskip("peacekit.listening")
    factories, cache = kwarg_factories(), {}
    leaks = []
    for route in all_routes():
        if not route.pattern.startswith("listening/") or route.name.endswith("review_statement"):
            continue
        values = fill(route.params, factories, org_a, admin_a, cache)
        if values is None:
            continue
        response = client_a.get(build_path(route.pattern, values))
        if response.status_code == 200 and b"270-555-0199" in b"".join(
            response.streaming_content if response.streaming else [response.content]
        ):
            leaks.append(route.pattern)
    assert leaks == []


# ----------------------------------------------------------------------------- tokens
@pytest.fixture
def rater_token(org_a, admin_a):
    pytest.importorskip("peacekit.evaluations")
    from tests.evaluations.helpers import build_cycle

    cycle, tokens = build_cycle(org_a, admin_a, counts={"peer": 1}, respond=False)
    return cycle, next(iter(tokens.values()))


@pytest.fixture
def wave_token(org_a, admin_a):
    pytest.importorskip("peacekit.surveys")
    from tests.surveys.factories import make_survey

    return make_survey(org_a, admin_a).waves.get(kind="pre").token


def test_360_token_is_long_random_and_stored_only_as_a_hash(rater_token):
    from peacekit.evaluations.models import Rater

    cycle, raw = rater_token
    assert len(raw) >= 43  # 32 random bytes, base64url
    assert not Rater.objects.filter(token_hash=raw).exists()
    hashes = list(Rater.objects.filter(cycle=cycle).exclude(token_hash="").values_list(
        "token_hash", flat=True))  # fmt: skip
    assert hashes and all(len(h) == 64 and raw not in h for h in hashes)


def test_360_and_survey_tokens_are_single_purpose(client, rater_token, wave_token, org_a, admin_a):
    from peacekit.core import services as core

    _cycle, raw = rater_token
    _invitation, invitation_raw = core.invitation_create(
        actor=admin_a, organization=org_a, email="someone@example.org", role="viewer"
    )
    assert client.get(f"/evaluations/rate/{raw}/").status_code == 200
    assert client.get(f"/surveys/r/{wave_token}/").status_code == 200
    assert client.get(f"/surveys/r/{raw}/").status_code == 404
    assert client.get(f"/surveys/r/{raw[:32]}/").status_code == 404
    assert client.get(f"/evaluations/rate/{wave_token}/").status_code == 404
    assert client.get(f"/evaluations/rate/{invitation_raw}/").status_code == 404
    assert client.get(f"/surveys/r/{invitation_raw}/").status_code == 404
    assert client.get(f"/evaluations/nominate/{raw}/").status_code == 404
    assert client.get(f"/invitations/accept/{raw}/").status_code == 404
    assert client.get(f"/invitations/accept/{wave_token}/").status_code == 404
    assert client.get(f"/invitations/accept/{invitation_raw}/").status_code == 200


def test_survey_tokens_are_unguessable(org_a, admin_a):
    pytest.importorskip("peacekit.surveys")
    from tests.surveys.factories import make_survey

    tokens = [w.token for i in range(3) for w in make_survey(org_a, title=f"S{i}").waves.all()]
    assert len(set(tokens)) == len(tokens)
    assert all(len(t) >= 16 and re.fullmatch(r"[A-Za-z0-9_-]+", t) for t in tokens)


def test_replayed_360_token_cannot_answer_twice(client, rater_token):
    from peacekit.evaluations import services
    from peacekit.evaluations.models import RatingResponse

    cycle, raw = rater_token
    data = {f"item_{item.pk}": "4" for item in services.items_for(cycle)}
    assert client.post(f"/evaluations/rate/{raw}/", data).status_code == 302
    replay = client.post(f"/evaluations/rate/{raw}/", data)
    assert replay.status_code == 410
    assert RatingResponse.objects.filter(cycle=cycle).count() == 1


def test_replayed_invitation_token_cannot_join_twice(client, org_a, admin_a):
    from peacekit.core import services as core

    _invitation, raw = core.invitation_create(
        actor=admin_a, organization=org_a, email="joiner@example.org", role="viewer"
    )
    core.invitation_accept(token=raw, full_name="Joiner", password="a long pass phrase")
    assert core.invitation_get_open(token=raw) is None
    page = client.post(
        f"/invitations/accept/{raw}/",
        {
            "full_name": "Again",
            "password1": "another long phrase",
            "password2": "another long phrase",
        },
    )
    assert page.status_code == 404
    assert (
        Membership.objects.filter(organization=org_a, user__email="joiner@example.org").count() == 1
    )


@pytest.mark.parametrize("token", ["", "x", "A" * 500, "../../etc/passwd", "%00", "' OR 1=1 --"])
@pytest.mark.parametrize(
    "prefix", ["/evaluations/rate/", "/surveys/r/", "/listening/p/", "/invitations/accept/"]
)
def test_invalid_tokens_get_a_plain_not_found(client, db, prefix, token):
    client.raise_request_exception = False
    response = client.get(f"{prefix}{token}/")
    # A NUL byte is refused before any view (core middleware: PostgreSQL cannot compare it).
    expected = (400,) if token == "%00" else (404, 410)
    assert response.status_code in expected, (prefix, token, response.status_code)


@pytest.mark.parametrize(
    "url",
    ["/api/core/organizations?q=a%00", "/api/core/jobs?status=%00", "/organizations/?q=%00",
     "/listening/p/%00/", "/api/pledges/promises?status=a%00"],
)  # fmt: skip
def test_nul_bytes_in_the_url_are_a_400_not_a_database_error(client_a, url):
    client_a.raise_request_exception = False
    assert client_a.get(url).status_code == 400
