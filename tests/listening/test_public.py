"""Public pages (no account, English and Spanish), voting, rate limits, coverage, raw-text leaks."""

import logging
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from peacekit.core.models import AuditEvent, Membership
from peacekit.listening import services, views
from peacekit.listening.models import Statement, Vote
from tests.factories import member
from tests.listening import factories
from tests.listening.factories import RAW_SECRET


@pytest.fixture
def initiative(org_a, admin_a):
    return factories.initiative(org_a, admin_a)


def _public(initiative):
    return reverse("listening:public_initiative", args=[initiative.public_token])


def _statement_post(text, key, **extra):
    return {"action": "statement", "text": text, "consent": "on", "submission_key": key, **extra}


def test_public_page_in_spanish_shows_consent_without_account(initiative):
    response = Client().get(_public(initiative) + "?lang=es")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'lang="es"' in body
    assert "Enviar" in body and "No necesita una cuenta" in body


def test_public_submit_is_idempotent_on_double_click(initiative):
    client = Client()
    data = _statement_post("Please add more lights in the park.", uuid.uuid4().hex, lang="es")
    first = client.post(_public(initiative), data)
    second = client.post(_public(initiative), data)
    assert first.status_code == second.status_code == 302
    assert "thanks=statement" in first["Location"] and "lang=es" in first["Location"]
    statement = Statement.objects.get()
    assert statement.source == "public" and statement.language == "es"
    assert statement.status == Statement.Status.PENDING


def test_public_submit_without_consent_is_refused(initiative):
    data = _statement_post("Words.", uuid.uuid4().hex)
    del data["consent"]
    response = Client().post(_public(initiative), data)
    assert response.status_code == 200 and not Statement.objects.exists()


def test_public_submit_is_rate_limited(initiative, monkeypatch):
    monkeypatch.setitem(views.RATE_LIMITS, "statement", (2, 3600))
    client = Client()
    codes = [
        client.post(
            _public(initiative), _statement_post(f"Idea {i}.", uuid.uuid4().hex)
        ).status_code
        for i in range(3)
    ]
    assert codes == [302, 302, 429]
    assert Statement.objects.count() == 2


def test_public_submit_to_a_closed_or_unknown_initiative_is_404_and_stores_nothing(initiative):
    data = _statement_post("Words for nobody.", uuid.uuid4().hex)
    wrong = reverse("listening:public_initiative", args=["A" * 22])
    assert Client().post(wrong, data).status_code == 404
    initiative.status = "closed"
    initiative.save(update_fields=["status"])
    assert Client().post(_public(initiative), data).status_code == 404
    assert not Statement.objects.exists()


def test_public_submit_keeps_its_group_and_refuses_another_initiatives(initiative, org_a):
    mine = factories.community(initiative, name="Eastside")
    other_initiative = factories.initiative(org_a, name="Another initiative")
    theirs = factories.community(other_initiative, name="Westside")
    client = Client()
    refused = client.post(
        _public(initiative),
        _statement_post("More lights.", uuid.uuid4().hex, micro_community=theirs.pk),
    )
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    assert not Statement.objects.exists()
    stored = client.post(
        _public(initiative),
        _statement_post("More lights.", uuid.uuid4().hex, micro_community=mine.pk,
                        age_band="25_34", speaker_role="resident"),
    )  # fmt: skip
    assert stored.status_code == 302
    statement = Statement.objects.get()
    assert statement.micro_community == mine and statement.raw.text == "More lights."
    assert (statement.age_band, statement.speaker_role) == ("25_34", "resident")
    event = AuditEvent.objects.get(action="statement.submit")
    assert event.organization_id == initiative.organization_id
    assert event.object_id == str(initiative.pk) and "More lights" not in str(event.metadata)


def test_public_submit_is_a_handful_of_queries(initiative, django_assert_max_num_queries):
    client = Client()
    client.get(_public(initiative))  # cookies and caches as a visitor has them
    with django_assert_max_num_queries(6):
        response = client.post(_public(initiative), _statement_post("Hi.", uuid.uuid4().hex))
    assert response.status_code == 302 and Statement.objects.count() == 1


def test_public_session_page_registers_and_submits_for_the_session(initiative):
    session = factories.session(initiative, capacity=1)
    url = reverse("listening:public_session", args=[session.public_token])
    client = Client()
    register = {"action": "register", "first_name": "Ana", "submission_key": "r1"}
    assert "thanks=registered" in client.post(url, register)["Location"]
    other = {"action": "register", "first_name": "Ben", "submission_key": "r2"}
    assert "thanks=waitlisted" in client.post(url, other)["Location"]
    client.post(url, _statement_post("The session was helpful.", uuid.uuid4().hex))
    assert Statement.objects.get().session == session


def test_vote_cast_later_vote_replaces_earlier(initiative):
    statement = factories.published(initiative)
    client = Client()
    client.get(_public(initiative))  # sets the participant cookie
    vote_url = reverse("listening:public_vote", args=[initiative.public_token])
    client.post(vote_url, {"statement": statement.pk, "value": "1"})
    client.post(vote_url, {"statement": statement.pk, "value": "1"})  # double click
    client.post(vote_url, {"statement": statement.pk, "value": "-1"})
    assert list(Vote.objects.values_list("value", flat=True)) == [-1]
    Client().post(vote_url, {"statement": statement.pk, "value": "0"})  # another participant
    assert Vote.objects.count() == 2


def test_vote_on_pending_or_bad_value_is_ignored(initiative):
    pending = factories.statement(initiative)
    client = Client()
    vote_url = reverse("listening:public_vote", args=[initiative.public_token])
    client.post(vote_url, {"statement": pending.pk, "value": "1"})
    client.post(vote_url, {"statement": "abc", "value": "1"})
    assert not Vote.objects.exists()


def test_vote_is_one_query_and_only_counts_for_its_own_open_initiative(
    initiative, org_a, admin_a, django_assert_max_num_queries
):
    from peacekit.listening.models import Initiative

    statement = factories.published(initiative)
    other = factories.initiative(org_a, admin_a, name="Another initiative")
    client = Client()
    client.get(_public(initiative))
    vote_url = reverse("listening:public_vote", args=[initiative.public_token])
    with django_assert_max_num_queries(1):
        response = client.post(vote_url, {"statement": statement.pk, "value": "1"})
    assert response.status_code == 302 and Vote.objects.count() == 1
    # The statement belongs to another initiative's link: nothing is recorded.
    other_url = reverse("listening:public_vote", args=[other.public_token])
    assert client.post(other_url, {"statement": statement.pk, "value": "-1"}).status_code == 302
    assert list(Vote.objects.values_list("value", flat=True)) == [1]
    # A closed initiative takes no votes and its link is gone.
    Initiative.objects.filter(pk=initiative.pk).update(status=Initiative.Status.CLOSED)
    assert client.post(vote_url, {"statement": statement.pk, "value": "-1"}).status_code == 404
    assert list(Vote.objects.values_list("value", flat=True)) == [1]


def test_public_page_hides_statements_already_voted_on(initiative):
    statement = factories.published(initiative, text="Unique published statement text.")
    client = Client()
    assert "Unique published" in client.get(_public(initiative)).content.decode()
    client.post(
        reverse("listening:public_vote", args=[initiative.public_token]),
        {"statement": statement.pk, "value": "1"},
    )
    body = client.get(_public(initiative)).content.decode()
    assert "Unique published" not in body and "voted on 1 statement" in body


def test_coverage_flags_under_covered_groups_and_suppresses_small_counts(
    client_a, initiative, django_assert_max_num_queries
):
    from django.utils import timezone

    east = factories.community(initiative, name="Eastside", population_share=60)
    youth = factories.community(
        initiative, name="Youth", kind="stakeholder", population_share=40, under_represented=True
    )
    west = factories.community(initiative, name="Westside", population_share=30)
    for community, attendees in ((east, 40), (west, 3)):
        session = factories.session(
            initiative, title=f"S {community.name}", micro_community=community,
            starts_at=timezone.now(),
        )  # fmt: skip
        services.session_close(actor=None, session=session, attendee_count=attendees)
    factories.session(initiative, title="Youth planned", micro_community=youth)
    with django_assert_max_num_queries(15):
        response = client_a.get(reverse("listening:coverage", args=[initiative.pk]))
    body = response.content.decode()
    assert response.status_code == 200 and "<svg" in body
    assert body.count('class="pk-under"') == 2  # youth (none held) and westside (3 < 5)
    assert "under-represented" in body
    csv_body = client_a.get(reverse("listening:coverage_csv", args=[initiative.pk])).content
    lines = csv_body.decode().splitlines()
    assert lines[0].startswith("group,kind")
    assert any(line.startswith("Westside") and "suppressed" in line for line in lines)


def test_initiative_list_query_count_is_bounded(client_a, org_a, django_assert_max_num_queries):
    for i in range(5):
        factories.initiative(org_a, name=f"Initiative {i}")
    with django_assert_max_num_queries(10):
        response = client_a.get(reverse("listening:initiative_list"))
    assert response.content.decode().count("Initiative ") >= 5


def test_qr_code_is_svg(client_a, initiative):
    response = client_a.get(reverse("listening:initiative_qr", args=[initiative.pk]))
    assert response["Content-Type"] == "image/svg+xml" and b"<svg" in response.content


def test_raw_text_never_leaks_outside_the_review_queue(client, org_a, admin_a, initiative, caplog):
    """Raw text stays out of logs, every other page, the API (for any role) and exports."""
    caplog.set_level(logging.DEBUG)
    community = factories.community(initiative)
    session = factories.session(initiative, micro_community=community)
    pending = factories.statement(initiative, session=session)
    published = factories.statement(initiative, text=RAW_SECRET + " Again.", session=session)
    services.statement_publish_as_proposed(actor=admin_a, statements=[published])
    secrets = ("Quigley", "4471 Elm", "270-555-0199")
    viewer = member(org_a, Membership.Role.VIEWER)
    analyst = member(org_a, Membership.Role.ANALYST)
    pages = [
        reverse("listening:initiative_list"),
        reverse("listening:initiative_detail", args=[initiative.pk]),
        reverse("listening:session_detail", args=[session.pk]),
        reverse("listening:review_queue"),
        reverse("listening:coverage", args=[initiative.pk]),
        reverse("listening:coverage_csv", args=[initiative.pk]),
        reverse("listening:capture", args=[session.pk]),
        f"/api/listening/initiatives/{initiative.pk}/statements",
        "/",
    ]
    for user in (admin_a, viewer, analyst):
        client.force_login(user)
        for url in pages:
            response = client.get(url)
            if response.status_code == 403:
                continue
            body = response.content.decode()
            assert response.status_code == 200, url
            assert not any(s in body for s in secrets), (url, user)
    anonymous = Client()
    for url in (
        _public(initiative),
        reverse("listening:public_session", args=[session.public_token]),
    ):
        assert not any(s in anonymous.get(url).content.decode() for s in secrets)
    # the review page of a viewer is refused; of a reviewer it shows the text (and only there)
    client.force_login(viewer)
    assert client.get(reverse("listening:review_statement", args=[pending.pk])).status_code == 403
    client.force_login(analyst)
    assert (
        "Quigley"
        in client.get(reverse("listening:review_statement", args=[pending.pk])).content.decode()
    )
    from peacekit.core.models import AuditEvent

    audit_text = " ".join(f"{e.object_label} {e.metadata}" for e in AuditEvent.objects.all())
    assert not any(s in audit_text for s in secrets)
    assert not any(s in caplog.text for s in secrets)


@pytest.mark.parametrize(
    "token", ["a.b", "a b", "x" * 33, "abc%27--", "..%2F..%2Fadmin", "ünïcode", "tok€n"]
)
def test_public_links_refuse_tokens_that_are_not_url_safe_base64(
    initiative, token, django_assert_num_queries
):
    """Finding L3: a token outside the URL-safe base64 alphabet (or too long) is a 404 before
    any query, on the initiative, session and vote links."""
    session = factories.session(initiative)
    client = Client()
    for name in ("listening:public_initiative", "listening:public_session"):
        url = reverse(name, args=["PLACEHOLDER"]).replace("PLACEHOLDER", token)
        with django_assert_num_queries(0):
            assert client.get(url).status_code == 404
    vote = reverse("listening:public_vote", args=["PLACEHOLDER"]).replace("PLACEHOLDER", token)
    assert client.post(vote, {"statement": "1", "value": "1"}).status_code == 404
    # the real links still open
    assert client.get(_public(initiative)).status_code == 200
    session_url = reverse("listening:public_session", args=[session.public_token])
    assert client.get(session_url).status_code == 200
