"""Email server down: an invitation is saved, its email is queued and retried until it goes out."""

from __future__ import annotations

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

from peacekit.core import services
from peacekit.core.models import Invitation, JobRun
from tests.conftest import run_queued_jobs


class FlakyBackend(LocmemBackend):
    """Refuses the first `FAILURES` sends the way a down SMTP server does, then delivers."""

    FAILURES = 0

    def send_messages(self, messages):
        if FlakyBackend.FAILURES > 0:
            FlakyBackend.FAILURES -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def flaky_mail(settings):
    settings.EMAIL_BACKEND = "tests.reliability.test_email_down.FlakyBackend"
    FlakyBackend.FAILURES = 0
    yield FlakyBackend
    FlakyBackend.FAILURES = 0


def _retry_now(job: JobRun) -> None:
    """What the delayed `core.retry_job` task does when its time comes."""
    from peacekit.core.tasks import retry_job

    retry_job.call(job.pk)


def test_invitation_email_is_queued_and_retried_while_the_server_is_down(
    client_a, org_a, flaky_mail, django_capture_on_commit_callbacks
):
    flaky_mail.FAILURES = 2  # the direct send and the first retry fail
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(
            f"/organizations/{org_a.pk}/invite/", {"email": "new@example.org", "role": "analyst"}
        )
    assert response.status_code == 302  # the person inviting sees no error
    assert Invitation.objects.filter(email="new@example.org").count() == 1
    assert mail.outbox == []
    job = JobRun.objects.get(kind="core.send_email")
    assert "new@example.org" not in str(job.parameters)  # recipients and body are encrypted

    with django_capture_on_commit_callbacks(execute=True):
        run_queued_jobs()
    job.refresh_from_db()
    assert job.status == JobRun.Status.FAILED and "trying again" in job.error_summary
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        _retry_now(job)
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == JobRun.Status.SUCCEEDED and job.attempts == 2
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new@example.org"]
    assert "/invitations/" in mail.outbox[0].body or "invit" in mail.outbox[0].body.lower()


def test_email_retries_are_bounded():
    assert [services.email_retry_delay(n) for n in range(1, 7)] == [
        *services.EMAIL_RETRY_DELAYS,
        None,
    ]
    assert services.email_retry_delay(0) is None


def test_email_job_gives_up_with_a_clear_message(
    org_a, flaky_mail, django_capture_on_commit_callbacks
):
    flaky_mail.FAILURES = 100
    with django_capture_on_commit_callbacks(execute=True):
        job = services.email_queue(subject="S", body="B", to=["x@example.org"], organization=org_a)
    JobRun.objects.filter(pk=job.pk).update(attempts=len(services.EMAIL_RETRY_DELAYS))
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == JobRun.Status.FAILED
    assert "did not take the email" in job.error_summary
