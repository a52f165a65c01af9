"""The anonymization gate, redaction review, publishing, hiding and the retention purge."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from peacekit.core.models import AuditEvent, JobRun, Membership
from peacekit.core.services import jobrun_enqueue
from peacekit.listening import services
from peacekit.listening.models import RedactionSpan, Statement, StatementRaw
from tests.conftest import run_queued_jobs
from tests.factories import member
from tests.listening import factories
from tests.listening.factories import RAW_SECRET


@pytest.fixture
def initiative(org_a, admin_a):
    return factories.initiative(org_a, admin_a)


def test_statement_submit_stores_raw_encrypted_apart_and_proposes_spans(initiative):
    statement = factories.statement(initiative)
    assert statement.status == Statement.Status.PENDING
    assert "Quigley" not in statement.redacted_text
    assert "270-555-0199" not in statement.redacted_text
    assert "[PHONE 1]" in statement.redacted_text
    assert statement.spans.filter(entity_type="PHONE").exists()
    assert StatementRaw.objects.get(statement=statement).text == RAW_SECRET
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM listening_statementraw")
        stored = cursor.fetchone()[0]
    assert "Quigley" not in stored  # encrypted at rest


def test_statement_submit_same_key_returns_the_first_statement(initiative):
    first = factories.statement(initiative, key="retry-key-123")
    second = factories.statement(initiative, text="something else", key="retry-key-123")
    assert first.pk == second.pk
    assert Statement.objects.count() == 1


def test_statement_submit_empty_text_is_refused(initiative):
    with pytest.raises(ValidationError):
        factories.statement(initiative, text="   ")


def test_statement_review_keeps_removes_and_adds_spans_then_publishes(initiative, admin_a):
    statement = factories.statement(
        initiative, text="Officer Daniels was kind to my son at Lincoln Park. Call 270-555-0199."
    )
    phone = statement.spans.get(entity_type="PHONE")
    services.statement_review(
        actor=admin_a, statement=statement, keep_span_ids=[phone.pk],
        add_phrases=[("lincoln park", "PLACE")], publish=True,
    )  # fmt: skip
    statement.refresh_from_db()
    assert statement.status == Statement.Status.PUBLISHED
    assert "[PHONE 1]" in statement.redacted_text
    assert "[PLACE 1]" in statement.redacted_text
    assert "Lincoln Park" not in statement.redacted_text
    # Proposed spans not kept are rejected, so the person's title-name stays visible.
    assert "Daniels" in statement.redacted_text
    assert statement.spans.filter(status=RedactionSpan.Status.REJECTED).exists()
    assert AuditEvent.objects.filter(action="statement.publish", object_id=str(statement.pk))


def test_statement_review_phrase_not_in_text_is_refused(initiative, admin_a):
    statement = factories.statement(initiative)
    with pytest.raises(ValidationError):
        services.statement_review(
            actor=admin_a, statement=statement, keep_span_ids=[],
            add_phrases=[("not there at all", "PERSON")],
        )  # fmt: skip


def test_review_page_shows_raw_text_highlighted_and_audits_the_view(client_a, initiative):
    statement = factories.statement(initiative)
    response = client_a.get(reverse("listening:review_statement", args=[statement.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Quigley" in body and 'class="pk-span"' in body
    assert response["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(action="statement.raw_view").count() == 1


def test_review_page_publish_moves_statement_to_public(client_a, initiative):
    statement = factories.statement(initiative)
    keep = list(statement.spans.values_list("pk", flat=True))
    response = client_a.post(
        reverse("listening:review_statement", args=[statement.pk]),
        {"keep": keep, "publish": "1", "add_phrases": "", "add_type": "REDACTED"},
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.status == Statement.Status.PUBLISHED
    page = client_a.get(reverse("listening:public_initiative", args=[initiative.public_token]))
    assert statement.redacted_text in page.content.decode()


def test_review_page_viewer_role_is_refused(client, org_a, initiative):
    statement = factories.statement(initiative)
    client.force_login(member(org_a, Membership.Role.VIEWER))
    response = client.get(reverse("listening:review_statement", args=[statement.pk]))
    assert response.status_code == 403


def test_review_queue_lists_pending_with_bounded_queries(
    client_a, initiative, django_assert_max_num_queries
):
    for i in range(6):
        factories.statement(initiative, text=f"Statement number {i} about traffic stops.")
    with django_assert_max_num_queries(12):
        response = client_a.get(reverse("listening:review_queue"))
    assert response.status_code == 200
    assert response.content.decode().count("listening/review/") >= 6


def test_statement_hide_removes_it_from_the_public_page(client_a, initiative):
    statement = factories.published(initiative, text="Off topic advertisement for cars.")
    response = client_a.post(
        reverse("listening:statement_hide", args=[statement.pk]), {"reason": "off_topic"}
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.status == Statement.Status.HIDDEN
    page = client_a.get(reverse("listening:public_initiative", args=[initiative.public_token]))
    assert "advertisement" not in page.content.decode()


def test_purge_raw_text_job_deletes_raw_past_retention_only(initiative, admin_a):
    old = factories.published(initiative, text="Old statement about patrols downtown.")
    fresh = factories.published(initiative, text="Fresh statement about patrols downtown.")
    pending_old = factories.statement(initiative, text="Pending statement, not reviewed yet.")
    past = timezone.now() - timedelta(days=initiative.retention_days + 1)
    StatementRaw.objects.filter(statement__in=[old, pending_old]).update(created_at=past)
    jobrun_enqueue(
        kind="listening.purge_raw_text", actor=admin_a, organization=initiative.organization
    )
    assert run_queued_jobs() == 1
    assert JobRun.objects.get().result["purged"] == 1
    assert not StatementRaw.objects.filter(statement=old).exists()
    assert StatementRaw.objects.filter(statement=fresh).exists()
    assert StatementRaw.objects.filter(statement=pending_old).exists()  # waits for review
    old.refresh_from_db()
    assert old.raw_purged_at is not None and old.redacted_text
    assert AuditEvent.objects.filter(action="statement.raw_purge").exists()


def test_purge_now_button_starts_the_job(client_a, initiative):
    response = client_a.post(reverse("listening:purge_now", args=[initiative.pk]))
    assert response.status_code == 302
    assert JobRun.objects.filter(kind="listening.purge_raw_text").exists()
