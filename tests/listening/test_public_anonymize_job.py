"""Public statements are stored at once and anonymized by a background job, never shown before.

The public page only writes the encrypted raw text (fast under load); the worker's periodic
check queues `listening.anonymize_statements`, which proposes redactions exactly once.
"""

import threading
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from peacekit.core import jobs
from peacekit.core.management.commands.worker import run_periodic_checks
from peacekit.core.models import JobRun
from peacekit.listening import services
from peacekit.listening.models import RedactionSpan, Statement, StatementRaw
from tests.conftest import run_queued_jobs
from tests.listening import factories
from tests.listening.factories import RAW_SECRET


@pytest.fixture
def initiative(org_a, admin_a):
    return factories.initiative(org_a, admin_a)


def _submit(initiative, text=RAW_SECRET) -> Statement:
    response = Client().post(
        reverse("listening:public_initiative", args=[initiative.public_token]),
        {"action": "statement", "text": text, "consent": "on", "submission_key": uuid.uuid4().hex},
    )
    assert response.status_code == 302
    return Statement.objects.latest("pk")


def test_public_statement_is_stored_raw_and_waits_for_the_anonymizer(initiative):
    statement = _submit(initiative)
    assert statement.awaiting_anonymizer and statement.redacted_text == ""
    assert StatementRaw.objects.get(statement=statement).text == RAW_SECRET
    assert not statement.spans.exists()
    assert statement.status == Statement.Status.PENDING  # never public before review


def test_sweep_queues_one_job_that_masks_the_waiting_statements(initiative):
    first, second = _submit(initiative), _submit(initiative, "Officer Dana Whitfield helped me.")
    queued = services.anonymization_sweep()
    assert len(queued) == 1
    assert services.anonymization_sweep() == []  # one job queued already: no second one
    assert run_queued_jobs() == 1
    job = JobRun.objects.get(pk=queued[0])
    assert job.kind == "listening.anonymize_statements"
    assert job.organization == initiative.organization
    assert job.status == JobRun.Status.SUCCEEDED and job.progress == 100
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.anonymized_at is not None and second.anonymized_at is not None
    assert "Quigley" not in first.redacted_text and "4471 Elm" not in first.redacted_text
    assert "[PERSON 1]" in first.redacted_text and "Whitfield" not in second.redacted_text
    assert first.spans.exists()
    # Nothing waits any more: the next sweep queues nothing.
    assert services.anonymization_sweep() == []


def test_anonymizing_twice_writes_spans_once(initiative):
    statement = _submit(initiative)
    assert services.statements_anonymize(statement_ids=[statement.pk]) == 1
    spans = RedactionSpan.objects.filter(statement=statement).count()
    assert services.statements_anonymize(statement_ids=[statement.pk]) == 0
    assert RedactionSpan.objects.filter(statement=statement).count() == spans > 0


def test_review_queue_says_waiting_and_opening_the_statement_runs_the_anonymizer(
    initiative, admin_a
):
    statement = _submit(initiative)
    client = Client()
    client.force_login(admin_a)
    queue = client.get(reverse("listening:review_queue")).content.decode()
    assert "Waiting for the anonymizer" in queue
    page = client.get(reverse("listening:review_statement", args=[statement.pk]))
    assert page.status_code == 200
    statement.refresh_from_db()
    assert statement.anonymized_at is not None and statement.spans.exists()
    assert "PERSON" in page.content.decode()


def test_bulk_publish_anonymizes_first_and_never_publishes_raw(initiative):
    statement = _submit(initiative)
    services.statement_publish_as_proposed(actor=None, statements=[statement])
    statement.refresh_from_db()
    assert statement.status == Statement.Status.PUBLISHED
    assert statement.redacted_text and "Quigley" not in statement.redacted_text


def test_worker_runs_registered_periodic_checks(monkeypatch, settings):
    calls = threading.Event()
    monkeypatch.setattr(jobs, "_PERIODIC", {})
    settings.PEACEKIT_TEST_CHECK_SECONDS = 0.05
    jobs.periodic("test.check", setting="PEACEKIT_TEST_CHECK_SECONDS", default_seconds=60)(
        calls.set
    )
    stop = threading.Event()
    thread = threading.Thread(target=run_periodic_checks, args=(stop, 0.01))
    thread.start()
    try:
        assert calls.wait(5)
    finally:
        stop.set()
        thread.join(5)


def test_the_listening_sweep_is_registered_for_workers():
    names = [check.name for check in jobs.periodic_checks()]
    assert "listening.anonymization_sweep" in names


def test_initiative_terms_keep_its_city_readable_and_mask_its_roster(initiative):
    from peacekit.listening.models import Initiative

    Initiative.objects.filter(pk=initiative.pk).update(
        anonymizer_mask_terms="Zbigniew Kowalczyk\nTreadwell",
        anonymizer_allow_terms="Eastside Community Center",
    )
    initiative.refresh_from_db()
    text = (
        "In Bowling Green the Eastside Community Center is great, but officer kowalczyk "
        "and Treadwell ignored us."
    )
    statement = _submit(initiative, text)
    services.statements_anonymize(statement_ids=[statement.pk])
    statement.refresh_from_db()
    redacted = statement.redacted_text
    assert "Bowling Green" in redacted  # the jurisdiction, "Bowling Green, KY"
    assert "Eastside Community Center" in redacted
    assert "kowalczyk" not in redacted.lower() and "Treadwell" not in redacted


def test_initiative_form_has_the_word_lists(initiative, admin_a):
    client = Client()
    client.force_login(admin_a)
    page = client.get(reverse("listening:initiative_edit", args=[initiative.pk])).content.decode()
    assert "Terms to keep readable" in page and "Names to always mask" in page
