"""Core pages as users see them."""

import pytest
from django.core import mail

from peacekit.core.models import AuditEvent, JobRun, Membership
from tests.conftest import run_queued_jobs
from tests.factories import member

pytestmark = pytest.mark.django_db


def test_login_with_email_then_dashboard(client, admin_a, org_a):
    response = client.post(
        "/accounts/login/", {"username": admin_a.email, "password": "correct horse battery"}
    )
    assert response.status_code == 302
    page = client.get("/")
    assert page.status_code == 200
    assert org_a.name.encode() in page.content
    assert b"Organizations" in page.content  # role-aware navigation


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_viewer_cannot_manage_members(client, org_a):
    viewer = member(org_a, Membership.Role.VIEWER)
    client.force_login(viewer)
    page = client.get(f"/organizations/{org_a.pk}/")
    assert page.status_code == 200 and b"Send invitation" not in page.content
    response = client.post(
        f"/organizations/{org_a.pk}/invite/", {"email": "x@y.org", "role": "viewer"}
    )
    assert response.status_code == 403


def test_admin_invites_a_member_from_the_organization_page(
    client_a, org_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(
            f"/organizations/{org_a.pk}/invite/", {"email": "new@example.org", "role": "analyst"}
        )
    assert response.status_code == 302
    assert mail.outbox and "new@example.org" in mail.outbox[0].to
    page = client_a.get(f"/organizations/{org_a.pk}/")
    assert b"new@example.org" in page.content


def test_invalid_invitation_email_is_reported_with_the_field(client_a, org_a):
    response = client_a.post(
        f"/organizations/{org_a.pk}/invite/",
        {"email": "not-an-email", "role": "analyst"},
        follow=True,
    )
    assert b"Email address" in response.content and b"valid email" in response.content


def test_audit_log_is_for_program_staff_and_filters(client, program_admin, admin_a, org_a):
    client.force_login(admin_a)
    assert client.get("/audit/").status_code == 403
    client.force_login(program_admin)
    AuditEvent.objects.create(action="listening.publish", actor_label="x@example.org")
    AuditEvent.objects.create(action="organization.update", actor_label="y@example.org")
    page = client.get("/audit/", {"action": "listening"})
    assert b"listening.publish" in page.content and b"organization.update" not in page.content


def test_audit_export_job_shows_progress_and_a_download(
    client, program_admin, django_capture_on_commit_callbacks
):
    client.force_login(program_admin)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post("/audit/", {})
    job = JobRun.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    page = client.get(f"/jobs/{job.pk}/")
    assert b'hx-trigger="every 1s"' in page.content  # polls while queued
    assert run_queued_jobs() == 1
    job.refresh_from_db()
    assert job.status == "succeeded" and job.progress == 100
    page = client.get(f"/jobs/{job.pk}/progress/")
    assert b"hx-trigger" not in page.content and b"Download result" in page.content


def test_failed_job_shows_a_safe_summary_and_can_run_again(client, program_admin):
    from peacekit.core.services import jobrun_execute

    client.force_login(program_admin)
    job = JobRun.objects.create(kind="no.such.kind", created_by=program_admin)
    jobrun_execute(job_run_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.error_summary == "LookupError: job failed"
    response = client.post(f"/jobs/{job.pk}/retry/")
    job.refresh_from_db()
    assert response.status_code == 302 and job.status == "queued"


def test_organization_list_query_count_does_not_grow(
    client, program_admin, django_assert_max_num_queries
):
    from tests.factories import OrganizationFactory

    OrganizationFactory.create_batch(30)
    client.force_login(program_admin)
    with django_assert_max_num_queries(12):
        assert client.get("/organizations/").status_code == 200


def test_account_page_shows_a_new_token_once(client_a, admin_a):
    response = client_a.post("/account/", {"name": "reporting script"})
    assert b"Copy your new token now" in response.content
    again = client_a.get("/account/")
    assert b"Copy your new token now" not in again.content and b"reporting script" in again.content


def test_public_pages_speak_spanish(client):
    page = client.get("/accounts/login/", headers={"Accept-Language": "es"})
    assert "Iniciar sesión".encode() in page.content and b'lang="es"' in page.content
