"""360 comments: stored encrypted by the answer page, anonymized by a job, never read raw.

The answer page does no anonymizer work (fast on a phone, under load); every worker's periodic
check queues `evaluations.anonymize_comments`, and a report anonymizes anything still waiting
before it reads a single comment.
"""

from django.db import connection
from django.urls import reverse

from peacekit.core.models import JobRun
from peacekit.evaluations import services
from peacekit.evaluations.models import Comment, Report
from tests.conftest import run_queued_jobs
from tests.evaluations.helpers import build_cycle

SECRET = "Sgt. John Smith always calls me back at 502-555-0199."


def _answer(client, cycle, token, strengths=SECRET):
    data = {f"item_{item.pk}": "4" for item in services.items_for(cycle)}
    data["strengths"] = strengths
    response = client.post(reverse("evaluations:rate", args=[token]), data)
    assert response.status_code == 302 and "thanks" in response["Location"]


def test_answer_page_stores_the_comment_encrypted_and_not_yet_anonymized(client, admin_a, org_a):
    cycle, tokens = build_cycle(org_a, admin_a, respond=False)
    _answer(client, cycle, next(iter(tokens.values())))
    comment = Comment.objects.get()
    assert comment.anonymized_at is None and comment.text == ""
    assert comment.raw == SECRET
    with connection.cursor() as cursor:  # at rest the raw text is ciphertext
        cursor.execute("SELECT raw FROM evaluations_comment WHERE id = %s", [comment.pk])
        stored = cursor.fetchone()[0]
    assert "John Smith" not in stored and "555-0199" not in stored


def test_sweep_queues_a_job_that_anonymizes_and_erases_the_raw_text(client, admin_a, org_a):
    cycle, tokens = build_cycle(org_a, admin_a, respond=False)
    _answer(client, cycle, next(iter(tokens.values())))
    queued = services.comments_sweep()
    assert len(queued) == 1 and services.comments_sweep() == []  # one job at a time
    assert run_queued_jobs() == 1
    job = JobRun.objects.get(pk=queued[0])
    assert job.status == JobRun.Status.SUCCEEDED and job.organization == org_a
    comment = Comment.objects.get()
    assert comment.anonymized_at is not None and comment.raw == ""
    assert "John Smith" not in comment.text and "555-0199" not in comment.text
    assert "calls me back" in comment.text
    assert services.comments_sweep() == []


def test_anonymizing_twice_changes_nothing(admin_a, org_a):
    build_cycle(org_a, admin_a)
    first = services.comments_anonymize()
    texts = list(Comment.objects.order_by("pk").values_list("text", flat=True))
    assert first == len(texts) > 0
    assert services.comments_anonymize() == 0
    assert list(Comment.objects.order_by("pk").values_list("text", flat=True)) == texts


def test_report_anonymizes_waiting_comments_before_reading_them(admin_a, org_a):
    cycle, _tokens = build_cycle(org_a, admin_a)
    assert Comment.objects.filter(anonymized_at__isnull=True).exists()  # no worker ran
    cycle.status = cycle.Status.CLOSED
    cycle.save(update_fields=["status"])
    services.reports_generate(cycle=cycle)
    assert not Comment.objects.filter(anonymized_at__isnull=True).exists()
    assert not Comment.objects.exclude(raw="").exists()
    data = Report.objects.get(cycle=cycle).data
    assert any("listens well" in str(c).lower() for c in data.get("comments", []))


def test_comment_sweep_is_registered_for_workers():
    from peacekit.core import jobs

    assert "evaluations.comments_sweep" in [c.name for c in jobs.periodic_checks()]


def test_a_comment_stored_without_raw_text_keeps_its_text(admin_a, org_a):
    build_cycle(org_a, admin_a)
    comment = Comment.objects.first()
    Comment.objects.filter(pk=comment.pk).update(raw="", text="Already clean text.")
    services.comments_anonymize()
    comment.refresh_from_db()
    assert comment.text == "Already clean text." and comment.anonymized_at is not None


def test_one_candidates_report_anonymizes_only_that_candidates_comments(admin_a, org_a):
    cycle, _tokens = build_cycle(org_a, admin_a, candidates=2)
    first, second = cycle.candidates.order_by("pk")
    services.comments_anonymize(cycle_id=cycle.pk, candidate_ids=[first.pk])
    assert not Comment.objects.filter(candidate=first, anonymized_at__isnull=True).exists()
    assert Comment.objects.filter(candidate=second, anonymized_at__isnull=True).exists()
