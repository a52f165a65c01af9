"""Services of 360 evaluations: framework, import, invitations, answers, reports."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from peacekit.core.models import AuditEvent
from peacekit.core.services import hash_token
from peacekit.evaluations import services
from peacekit.evaluations.models import (
    CandidateGroup,
    Comment,
    Cycle,
    Framework,
    Item,
    ItemScore,
    Rater,
    RatingResponse,
    Report,
)
from tests.conftest import run_queued_jobs
from tests.evaluations.helpers import build_cycle, issue_tokens

CSV_OK = """candidate_email,candidate_name,employee_id,rater_name,rater_email,rater_group,group:sex
ana@example.org,Ana Ruiz,1001,Sam Boss,sam@example.org,supervisor,F
ana@example.org,Ana Ruiz,1001,Pat Peer,pat@example.org,peer,F
ben@example.org,Ben Cole,1002,,,,M
"""


def test_framework_install_default_creates_40_items_once(db):
    first = services.framework_install_default()
    second = services.framework_install_default()
    assert first == second
    assert Framework.objects.filter(organization__isnull=True).count() == 1
    assert first.competencies.count() == 8
    assert Item.objects.filter(competency__framework=first).count() == 40
    assert {c.key for c in first.competencies.all()} >= {"de-escalation", "wellness"}


def test_cycle_import_csv_creates_candidates_raters_and_groups(admin_a, org_a):
    cycle = services.cycle_create(actor=admin_a, organization=org_a, name="Sgt")
    result = services.cycle_import_csv(actor=admin_a, cycle=cycle, data=CSV_OK.encode())
    assert result.errors is None
    assert (result.candidates, result.raters) == (2, 2)
    assert cycle.candidates.count() == 2
    # Each candidate also gets a self-rating slot.
    assert Rater.objects.filter(cycle=cycle, group="self").count() == 2
    assert Rater.objects.get(email="sam@example.org").status == Rater.Status.APPROVED
    assert CandidateGroup.objects.filter(candidate__cycle=cycle, category="sex").count() == 2


def test_cycle_import_csv_bad_rows_import_nothing_and_name_rows(admin_a, org_a):
    cycle = services.cycle_create(actor=admin_a, organization=org_a, name="Sgt")
    bad = CSV_OK + "not-an-email,Zed,,,,,\nben@example.org,Ben Cole,,Al,al@example.org,boss,\n"
    result = services.cycle_import_csv(actor=admin_a, cycle=cycle, data=bad.encode())
    assert cycle.candidates.count() == 0
    assert Rater.objects.filter(cycle=cycle).count() == 0
    assert any(e.startswith("Row 5:") and "candidate_email" in e for e in result.errors)
    assert any(e.startswith("Row 6:") and "rater_group" in e for e in result.errors)


def test_cycle_import_csv_missing_column_is_reported(admin_a, org_a):
    cycle = services.cycle_create(actor=admin_a, organization=org_a, name="Sgt")
    result = services.cycle_import_csv(actor=admin_a, cycle=cycle, data=b"name,email\nA,a@x.org\n")
    assert "candidate_email" in result.errors[0]


def test_cycle_import_csv_pilot_takes_at_most_ten(admin_a, org_a):
    cycle = services.cycle_create(actor=admin_a, organization=org_a, name="Pilot", is_pilot=True)
    rows = "".join(f"c{i}@example.org,Cand {i}\n" for i in range(11))
    result = services.cycle_import_csv(
        actor=admin_a, cycle=cycle, data=("candidate_email,candidate_name\n" + rows).encode()
    )
    assert result.errors and "pilot" in result.errors[0].lower()
    assert cycle.candidates.count() == 0


def test_invitations_send_stores_only_hashes_and_emails_links(
    admin_a, org_a, mailoutbox, django_capture_on_commit_callbacks
):
    cycle, _ = build_cycle(org_a, admin_a, respond=False)
    Rater.objects.filter(cycle=cycle).update(status=Rater.Status.APPROVED, token_hash="")
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.invitations_send(actor=admin_a, cycle=cycle)
    assert sent == 11 and len(mailoutbox) == 11
    body = mailoutbox[0].body
    raw = body.split("/evaluations/rate/")[1].split("/")[0]
    assert len(raw) >= 40
    assert Rater.objects.filter(token_hash=hash_token(raw)).count() == 1
    assert not Rater.objects.filter(token_hash=raw).exists()
    rater, state = services.rater_by_token(token=raw)
    assert state == services.LinkState.OPEN


def test_invitations_with_the_mail_server_failing_midway_queue_the_rest_once(
    admin_a, org_a, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.mail.backends.locmem import EmailBackend

    from peacekit.core.models import JobRun

    original = EmailBackend.send_messages

    def fail_after_four(self, messages):
        if len(mailoutbox) >= 4:
            raise ConnectionRefusedError(111, "Connection refused")
        return original(self, messages)

    cycle, _ = build_cycle(org_a, admin_a, respond=False)
    Rater.objects.filter(cycle=cycle).update(status=Rater.Status.APPROVED, token_hash="")
    monkeypatch.setattr(EmailBackend, "send_messages", fail_after_four)
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.invitations_send(actor=admin_a, cycle=cycle)
    assert sent == 11 and len(mailoutbox) == 4  # HR sees the cycle invited, no error page
    jobs = JobRun.objects.filter(kind="core.send_email", status=JobRun.Status.QUEUED)
    assert jobs.count() == 7  # the seven not sent, each once
    assert all("/evaluations/rate/" not in str(j.parameters) for j in jobs)  # links encrypted


def test_response_submit_twice_counts_once(admin_a, org_a):
    cycle, tokens = build_cycle(org_a, admin_a, respond=False)
    token = next(iter(tokens.values()))
    items = services.items_for(cycle)
    answers = {item.pk: 4 for item in items}
    assert services.response_submit(token=token, answers=answers) == (True, "open")
    assert services.response_submit(token=token, answers=answers) == (False, "used")
    assert RatingResponse.objects.filter(cycle=cycle).count() == 1
    assert ItemScore.objects.filter(response__cycle=cycle).count() == 40


def test_response_submit_keeps_no_link_to_the_rater(admin_a, org_a):
    cycle, tokens = build_cycle(org_a, admin_a, respond=False)
    token = next(iter(tokens.values()))
    services.response_submit(
        token=token,
        answers={i.pk: 3 for i in services.items_for(cycle)},
        strengths="Sgt. John Smith always calls me back at 502-555-0199.",
    )
    field_names = {f.name for f in RatingResponse._meta.get_fields()}
    assert "rater" not in field_names
    services.comments_anonymize()
    comment = Comment.objects.get()
    assert "555-0199" not in comment.text and "John Smith" not in comment.text
    assert comment.raw == ""  # the raw text is erased once anonymized
    event = AuditEvent.objects.filter(action="evaluation_response.submit").get()
    assert event.object_type == "evaluations.cycle"


def test_response_submit_rejects_out_of_range_and_empty(admin_a, org_a):
    cycle, tokens = build_cycle(org_a, admin_a, respond=False)
    token = next(iter(tokens.values()))
    items = services.items_for(cycle)
    with pytest.raises(ValidationError):
        services.response_submit(token=token, answers={items[0].pk: 7})
    with pytest.raises(ValidationError):
        services.response_submit(token=token, answers={i.pk: None for i in items})
    assert not RatingResponse.objects.exists()


def test_rater_by_token_expired_link_is_expired(admin_a, org_a):
    cycle, tokens = build_cycle(org_a, admin_a, respond=False)
    rater_id, token = next(iter(tokens.items()))
    Rater.objects.filter(pk=rater_id).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert services.rater_by_token(token=token)[1] == services.LinkState.EXPIRED
    with pytest.raises(ValidationError):
        services.response_submit(token=token, answers={services.items_for(cycle)[0].pk: 3})


def test_reminders_send_only_to_raters_due(
    admin_a, org_a, mailoutbox, django_capture_on_commit_callbacks
):
    cycle, tokens = build_cycle(org_a, admin_a, respond=False)
    ids = list(tokens)
    Rater.objects.filter(pk__in=ids[:3]).update(invited_at=timezone.now() - timedelta(days=4))
    services.response_submit(
        token=tokens[ids[0]], answers={i.pk: 3 for i in services.items_for(cycle)}
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(cycle=cycle) == 2
    assert len(mailoutbox) == 2
    # The old link stops working; the reminder's link works.
    assert services.rater_by_token(token=tokens[ids[1]])[1] == services.LinkState.UNKNOWN
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(cycle=cycle) == 0  # not due again for 3 days


def test_cycle_close_generates_every_report(admin_a, org_a, django_capture_on_commit_callbacks):
    cycle, _ = build_cycle(org_a, admin_a, candidates=3)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.cycle_close(actor=admin_a, cycle=cycle)
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == "succeeded", job.error_summary
    assert Report.objects.filter(cycle=cycle).count() == 3
    data = Report.objects.filter(cycle=cycle).first().data
    assert {c["key"] for c in data["competencies"]} >= {"communication", "wellness"}
    assert data["promotability"]["index"] is not None
    assert data["promotability"]["ci_low"] <= data["promotability"]["index"]
    # Links stop working once the cycle is closed.
    assert Cycle.objects.get(pk=cycle.pk).status == Cycle.Status.CLOSED


def test_reports_generate_omitted_group_changes_no_shown_figure(admin_a, org_a):
    """No differencing: two peer answers (under the minimum of 3) leave every figure unchanged."""
    counts = {"supervisor": 1, "peer": 2, "direct_report": 3, "community": 3}
    cycle, _ = build_cycle(org_a, admin_a, counts=counts)
    Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.CLOSED)
    cycle.refresh_from_db()
    services.reports_generate(cycle=cycle)
    with_peers = Report.objects.get(cycle=cycle).data
    RatingResponse.objects.filter(cycle=cycle, group="peer").delete()
    services.reports_generate(cycle=cycle)
    without_peers = Report.objects.get(cycle=cycle).data
    peers = next(g for g in with_peers["groups"] if g["key"] == "peer")
    assert peers["shown"] is False and peers["n"] is None and peers["note"] == "omitted"
    for key in (
        "competencies",
        "hidden_strengths",
        "blind_spots",
        "comments",
        "themes",
        "summary",
        "development",
    ):
        assert with_peers[key] == without_peers[key], key
    assert with_peers["promotability"]["index"] == without_peers["promotability"]["index"]
    assert with_peers["all_raters_included"] is False


def test_reports_generate_group_at_minimum_is_shown(admin_a, org_a):
    cycle, _ = build_cycle(org_a, admin_a)
    Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.CLOSED)
    services.reports_generate(cycle=Cycle.objects.get(pk=cycle.pk))
    data = Report.objects.get(cycle=cycle).data
    shown = {g["key"]: g for g in data["groups"] if g["shown"]}
    assert set(shown) == {"self", "supervisor", "peer", "direct_report", "community"}
    assert shown["supervisor"]["note"] == "attributed"
    assert {b["group"] for b in data["comments"]} == {"self", "peer", "direct_report", "community"}


def test_reports_generate_is_rerunnable(admin_a, org_a):
    cycle, _ = build_cycle(org_a, admin_a)
    Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.CLOSED)
    cycle.refresh_from_db()
    services.reports_generate(cycle=cycle)
    services.reports_generate(cycle=cycle)
    assert Report.objects.filter(cycle=cycle).count() == 1


def test_rater_nominate_then_hr_approves(admin_a, org_a):
    cycle, _ = build_cycle(org_a, admin_a, respond=False)
    candidate = cycle.candidates.get()
    link = services.candidate_nomination_link(actor=admin_a, candidate=candidate)
    token = link.rstrip("/").rsplit("/", 1)[1]
    rater = services.rater_nominate(
        token=token, group="peer", name="New Peer", email="newpeer@example.org"
    )
    assert rater.status == Rater.Status.NOMINATED
    with pytest.raises(ValidationError):
        services.rater_nominate(token="wrong", group="peer", name="X", email="x@example.org")
    assert services.raters_approve(actor=admin_a, cycle=cycle) == 1
    rater.refresh_from_db()
    assert rater.status == Rater.Status.APPROVED
    assert issue_tokens(cycle)


def test_report_for_candidate_right_after_close_is_computed_alone(
    admin_a, org_a, django_capture_on_commit_callbacks
):
    cycle, _ = build_cycle(org_a, admin_a, candidates=2)
    candidate = cycle.candidates.first()
    assert services.report_for_candidate(candidate=candidate) is None  # still open
    with django_capture_on_commit_callbacks(execute=True):
        services.cycle_close(actor=admin_a, cycle=cycle)
    candidate.refresh_from_db()
    report = services.report_for_candidate(candidate=candidate)
    assert report.data["partial"] is True
    assert report.data["promotability"]["percentile"] is None
    assert report.data["promotability"]["index"] is not None
    run_queued_jobs()  # the cycle's job then writes every report, percentiles included
    report.refresh_from_db()
    assert "partial" not in report.data
    assert report.data["promotability"]["percentile"] is not None
    assert Report.objects.filter(cycle=cycle).count() == 2


def test_evaluation_reminders_command_queues_a_job_per_open_cycle(
    admin_a, org_a, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    from peacekit.core.models import JobRun

    build_cycle(org_a, admin_a, respond=False)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("evaluation_reminders")
    assert JobRun.objects.filter(kind="evaluations.send_reminders").count() == 1
    run_queued_jobs()
    assert JobRun.objects.get(kind="evaluations.send_reminders").status == "succeeded"
