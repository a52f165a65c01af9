"""Agreements: drafting, acceptance by both sides, sessions, check-ins, reminders."""

import logging
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from peacekit.coaching import services
from peacekit.coaching.models import Agreement, CoachingSession, GoalCheckIn, ProposedMatch
from peacekit.core.models import AuditEvent, Membership
from tests.coaching.helpers import active_agreement, make_coach, make_coachee, run_matching
from tests.conftest import run_queued_jobs
from tests.factories import member

SECRET_NOTE = "Chief worried about the budget vote and a lawsuit — confidential"


@pytest.fixture
def agreement_setup(program, org_a, program_admin):
    return active_agreement(program, org_a, program_admin)


def _log_session(client, agreement, key="k1", notes=SECRET_NOTE):
    return client.post(
        reverse("coaching:session_create", args=[agreement.pk]),
        {"date": "2026-02-01", "duration_minutes": 60, "format": "video",
         "private_notes": notes, "submission_key": key},
    )  # fmt: skip


# ----------------------------------------------------------------------------- drafting
def test_agreement_create_from_confirmed_match_via_page(client, program, org_a, program_admin):
    make_coach(program, program_admin, name="Cora Coach")
    coachee = make_coachee(org_a, program_admin, profile={"community_engagement": 1.0})
    run = run_matching(program_admin, program)
    match = ProposedMatch.objects.get(run=run, coachee=coachee)
    services.match_confirm(actor=program_admin, match=match)
    client.force_login(program_admin)
    response = client.post(
        reverse("coaching:agreement_create", args=[match.pk]),
        {"goals": "Lead a listening tour\n\nRebuild trust with youth\n", "cadence": "monthly",
         "start_date": "2026-03-01", "end_date": "2026-08-01"},
        follow=True,
    )  # fmt: skip
    agreement = Agreement.objects.get()
    assert agreement.goals == ["Lead a listening tour", "Rebuild trust with youth"]
    assert agreement.status == Agreement.Status.PENDING
    assert "acceptance link" in response.content.decode()


@pytest.mark.parametrize("end", ["2026-04-01", "2026-12-01"])
def test_agreement_create_outside_three_to_six_months_is_refused(
    client, program, org_a, program_admin, end
):
    make_coach(program, program_admin)
    coachee = make_coachee(org_a, program_admin, profile={"community_engagement": 1.0})
    match = run_matching(program_admin, program).matches.get(coachee=coachee)
    services.match_confirm(actor=program_admin, match=match)
    client.force_login(program_admin)
    response = client.post(
        reverse("coaching:agreement_create", args=[match.pk]),
        {"goals": "One goal", "cadence": "monthly", "start_date": "2026-03-01", "end_date": end},
    )
    assert response.status_code == 200
    assert "An agreement runs 3 to 6 months" in response.content.decode()
    assert not Agreement.objects.exists()


def test_agreement_create_requires_a_confirmed_match(program, org_a, program_admin):
    make_coach(program, program_admin)
    coachee = make_coachee(org_a, program_admin, profile={"community_engagement": 1.0})
    match = run_matching(program_admin, program).matches.get(coachee=coachee)
    with pytest.raises(ValidationError, match="Confirm the match"):
        services.agreement_create(
            actor=program_admin, match=match, goals=["x"], cadence="monthly",
            start_date=date(2026, 1, 1), end_date=date(2026, 5, 1),
        )  # fmt: skip


# ----------------------------------------------------------------------------- acceptance
def test_agreement_accept_by_coach_in_app_and_coachee_by_link(
    client, program, org_a, program_admin
):
    coach_account = member(program, Membership.Role.COACH)
    make_coach(program, program_admin, email=coach_account.email)
    coachee = make_coachee(org_a, program_admin, profile={"community_engagement": 1.0})
    match = run_matching(program_admin, program).matches.get(coachee=coachee)
    services.match_confirm(actor=program_admin, match=match)
    agreement, raw = services.agreement_create(
        actor=program_admin, match=match, goals=["Goal"], cadence="weekly",
        start_date=date(2026, 1, 1), end_date=date(2026, 4, 1),
    )  # fmt: skip
    client.force_login(coach_account)
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "Accept this agreement" in page
    client.post(reverse("coaching:agreement_accept", args=[agreement.pk]))
    agreement.refresh_from_db()
    assert agreement.coach_accepted_at and agreement.status == Agreement.Status.PENDING
    client.logout()
    url = reverse("coaching:agreement_public", args=[raw])
    assert "I accept this agreement" in client.get(url).content.decode()
    client.post(url)
    client.post(url)  # a retried click changes nothing
    agreement.refresh_from_db()
    first = agreement.coachee_accepted_at
    assert first and agreement.status == Agreement.Status.ACTIVE
    assert AuditEvent.objects.filter(action="agreement.accept_coachee").count() == 1
    assert "You accepted this agreement" in client.get(url).content.decode()


def test_agreement_public_with_unknown_token_is_404(client, db):
    assert client.get(reverse("coaching:agreement_public", args=["nope"])).status_code == 404


def test_agreement_accept_by_someone_not_a_party_is_404(client, agreement_setup, org_a):
    agreement = agreement_setup[0]
    outsider = member(org_a, Membership.Role.COACH)
    client.force_login(outsider)
    assert client.post(reverse("coaching:agreement_accept", args=[agreement.pk])).status_code == 404


# ----------------------------------------------------------------------------- sessions
def test_session_log_by_coach_is_recorded_once_even_if_retried(client, agreement_setup):
    agreement, coach_account, _coachee_account, _raw = agreement_setup
    client.force_login(coach_account)
    _log_session(client, agreement)
    _log_session(client, agreement)
    assert CoachingSession.objects.filter(agreement=agreement).count() == 1
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "1 session, 60 minutes" in page


def test_session_log_with_bad_duration_says_why_and_saves_nothing(client, agreement_setup):
    agreement, coach_account, _c, _r = agreement_setup
    client.force_login(coach_account)
    response = client.post(
        reverse("coaching:session_create", args=[agreement.pk]),
        {"date": "2026-02-01", "duration_minutes": 0, "format": "video", "submission_key": "x"},
        follow=True,
    )
    assert "duration (minutes)" in response.content.decode().lower()
    assert not CoachingSession.objects.exists()


def test_session_log_before_both_accept_is_refused(program, org_a, program_admin):
    coach_account = member(program, Membership.Role.COACH)
    make_coach(program, program_admin, email=coach_account.email)
    coachee = make_coachee(org_a, program_admin, profile={"community_engagement": 1.0})
    match = run_matching(program_admin, program).matches.get(coachee=coachee)
    services.match_confirm(actor=program_admin, match=match)
    agreement, _raw = services.agreement_create(
        actor=program_admin, match=match, goals=["Goal"], cadence="weekly",
        start_date=date(2026, 1, 1), end_date=date(2026, 4, 1),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="both sides have accepted"):
        services.session_log(
            actor=coach_account, agreement=agreement, date=date(2026, 1, 8),
            duration_minutes=45, format="phone", submission_key="a",
        )  # fmt: skip


def test_checkin_record_by_coachee_shows_progress_to_staff_without_note(
    client, agreement_setup, program_admin
):
    agreement, _coach, coachee_account, _r = agreement_setup
    client.force_login(coachee_account)
    client.post(
        reverse("coaching:checkin_create", args=[agreement.pk]),
        {"goal_index": 1, "progress": 2, "private_note": SECRET_NOTE},
    )
    assert GoalCheckIn.objects.get().goal_index == 1
    client.force_login(program_admin)
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "Good progress" in page and SECRET_NOTE not in page


def test_checkin_record_for_a_goal_that_does_not_exist_is_refused(client, agreement_setup):
    agreement, coach_account, _c, _r = agreement_setup
    client.force_login(coach_account)
    client.post(
        reverse("coaching:checkin_create", args=[agreement.pk]), {"goal_index": 9, "progress": 2}
    )
    assert not GoalCheckIn.objects.exists()


# ----------------------------------------------------------------------------- reminders
def test_agreement_reminders_send_once_when_the_end_is_near(
    agreement_setup, django_capture_on_commit_callbacks
):
    agreement = agreement_setup[0]
    mail.outbox.clear()
    near = agreement.end_date - timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.agreement_reminders_send(today=date(2026, 5, 1)) == 0  # 35 days left
        assert services.agreement_reminders_send(today=near) == 1
        assert services.agreement_reminders_send(today=near + timedelta(days=1)) == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "ends on 2026-06-05 (in 10 days)" in message.body
    assert set(message.to) == {agreement.coach.email, agreement.coachee.email}
    assert SECRET_NOTE not in message.body


def test_agreement_reminder_with_the_mail_server_down_is_queued_not_lost(
    client, program_admin, agreement_setup, monkeypatch, django_capture_on_commit_callbacks
):
    from functools import partial

    from django.core.mail.backends.locmem import EmailBackend

    from peacekit.core.models import JobRun

    def refuse(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")

    agreement = agreement_setup[0]
    near = agreement.end_date - timedelta(days=10)
    real_send = services.agreement_reminders_send
    monkeypatch.setattr(services, "agreement_reminders_send", partial(real_send, today=near))
    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    mail.outbox.clear()
    client.force_login(program_admin)
    assert client.post(reverse("coaching:reminders_run")).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert run_queued_jobs() == 1
    reminders = JobRun.objects.get(kind="coaching.agreement_reminders")
    assert reminders.status == JobRun.Status.SUCCEEDED  # the run did not fail
    agreement.refresh_from_db()
    assert agreement.reminder_sent_at is not None
    assert mail.outbox == []
    email = JobRun.objects.get(kind="core.send_email")
    assert email.status == JobRun.Status.QUEUED
    assert agreement.coach.email not in str(email.parameters)  # recipients are encrypted


def test_agreement_reminders_skip_agreements_not_active(program, org_a, program_admin):
    make_coach(program, program_admin)
    coachee = make_coachee(org_a, program_admin, profile={"community_engagement": 1.0})
    match = run_matching(program_admin, program).matches.get(coachee=coachee)
    services.match_confirm(actor=program_admin, match=match)
    services.agreement_create(
        actor=program_admin, match=match, goals=["Goal"], cadence="weekly",
        start_date=date(2026, 1, 1), end_date=date(2026, 4, 1),
    )  # fmt: skip
    assert services.agreement_reminders_send(today=date(2026, 3, 25)) == 0


def test_reminders_run_page_enqueues_the_job(client, program_admin, agreement_setup):
    client.force_login(program_admin)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "agreement_reminders_send", lambda today=None: 0, raising=True)
        response = client.post(reverse("coaching:reminders_run"))
        assert response.status_code == 302
        assert run_queued_jobs() == 1


# ----------------------------------------------------------------------------- private notes
def test_session_notes_visible_to_coach_and_coachee(client, agreement_setup):
    agreement, coach_account, coachee_account, _r = agreement_setup
    client.force_login(coach_account)
    _log_session(client, agreement)
    session = CoachingSession.objects.get()
    url = reverse("coaching:session_notes", args=[session.pk])
    assert SECRET_NOTE in client.get(url).content.decode()
    client.force_login(coachee_account)
    assert SECRET_NOTE in client.get(url).content.decode()


@pytest.mark.parametrize("who", ["program_admin", "agency_admin", "other_coach", "superuser"])
def test_session_notes_hidden_from_everyone_else(client, agreement_setup, program, org_a, who,
                                                 program_admin, admin_a):  # fmt: skip
    agreement, coach_account, _coachee, _r = agreement_setup
    client.force_login(coach_account)
    _log_session(client, agreement)
    client.post(
        reverse("coaching:checkin_create", args=[agreement.pk]),
        {"goal_index": 0, "progress": 1, "private_note": SECRET_NOTE},
    )
    session = CoachingSession.objects.get()
    if who == "program_admin":
        viewer = program_admin
    elif who == "agency_admin":
        viewer = admin_a
    elif who == "other_coach":
        viewer = member(program, Membership.Role.COACH)
        make_coach(program, None, name="Other", email=viewer.email)
    else:
        viewer = member(program, Membership.Role.VIEWER, is_superuser=True, is_staff=True)
    client.force_login(viewer)
    notes = client.get(reverse("coaching:session_notes", args=[session.pk]))
    assert notes.status_code in (403, 404)
    checkins = client.get(reverse("coaching:checkin_notes", args=[agreement.pk]))
    assert checkins.status_code in (403, 404)
    detail = client.get(agreement.get_absolute_url())
    assert detail.status_code in (200, 403, 404)
    assert SECRET_NOTE not in detail.content.decode()
    assert client.post(
        reverse("coaching:session_create", args=[agreement.pk]),
        {"date": "2026-02-02", "duration_minutes": 30, "format": "phone", "submission_key": "z"},
    ).status_code in (403, 404)


def test_session_notes_never_reach_audit_logs_or_the_database_in_clear(
    client, agreement_setup, caplog
):
    agreement, coach_account, _c, _r = agreement_setup
    client.force_login(coach_account)
    with caplog.at_level(logging.DEBUG):
        _log_session(client, agreement)
        client.post(
            reverse("coaching:checkin_create", args=[agreement.pk]),
            {"goal_index": 0, "progress": 1, "private_note": SECRET_NOTE},
        )
    assert SECRET_NOTE not in caplog.text
    for event in AuditEvent.objects.all():
        assert SECRET_NOTE not in str(event.metadata) and SECRET_NOTE not in event.object_label
    with connection.cursor() as cursor:
        cursor.execute("SELECT private_notes FROM coaching_coachingsession")
        stored = cursor.fetchone()[0]
        cursor.execute("SELECT private_note FROM coaching_goalcheckin")
        stored_checkin = cursor.fetchone()[0]
    assert SECRET_NOTE not in stored and SECRET_NOTE not in stored_checkin
    assert CoachingSession.objects.get().private_notes == SECRET_NOTE


def test_agreement_detail_is_404_for_another_agency(client_b, agreement_setup):
    assert client_b.get(agreement_setup[0].get_absolute_url()).status_code == 404


def test_agreement_list_query_count_is_bounded(
    client, program, program_admin, django_assert_max_num_queries
):
    from tests.factories import OrganizationFactory

    for i in range(5):
        active_agreement(program, OrganizationFactory(name=f"Agency {i}x"), program_admin)
    client.force_login(program_admin)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("coaching:agreement_list"))
    assert response.status_code == 200 and response.content.decode().count("Lee Leader") == 5


def test_agreement_api_lists_own_agreements_without_notes(client, agreement_setup):
    agreement, coach_account, _c, _r = agreement_setup
    client.force_login(coach_account)
    _log_session(client, agreement)
    data = client.get("/api/coaching/agreements").json()
    assert [a["id"] for a in data] == [agreement.pk]
    assert data[0]["sessions"] == 1 and data[0]["minutes"] == 60
    assert SECRET_NOTE not in str(data)


def test_match_run_api_is_for_program_staff(client, client_b, program, org_a, program_admin):
    from peacekit.coaching.models import MatchRun

    make_coach(program, program_admin)
    make_coachee(org_a, program_admin, profile={"community_engagement": 1.0})
    run = run_matching(program_admin, program)
    assert client_b.get(f"/api/coaching/match-runs/{run.pk}").status_code == 403
    client.force_login(program_admin)
    body = client.get(f"/api/coaching/match-runs/{run.pk}").json()
    assert body["matches"][0]["reason"].startswith("Proposed") and MatchRun.objects.count() == 1


def test_agreement_set_evaluation_by_staff_and_bad_url_refused(
    client, agreement_setup, program_admin
):
    agreement = agreement_setup[0]
    client.force_login(program_admin)
    url = reverse("coaching:agreement_evaluation", args=[agreement.pk])
    bad = client.post(url, {"evaluation_url": "not a link"}, follow=True)
    assert "Enter a full web address" in bad.content.decode()
    client.post(url, {"evaluation_url": "https://example.org/surveys/end"})
    agreement.refresh_from_db()
    assert agreement.evaluation_url == "https://example.org/surveys/end"


def test_agreement_set_evaluation_by_the_coach_is_forbidden(client, agreement_setup):
    agreement, coach_account, _c, _r = agreement_setup
    client.force_login(coach_account)
    response = client.post(
        reverse("coaching:agreement_evaluation", args=[agreement.pk]),
        {"evaluation_url": "https://example.org/x"},
    )
    assert response.status_code == 403
