"""Sign-on, verification, events, certificate and the contract the training app calls."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from peacekit.core.models import AuditEvent, Organization
from peacekit.pledges import selectors, services
from peacekit.pledges.models import Promise, PromiseEvent
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def sign_on(**overrides):
    data = {
        "organization_name": "Anytown Police Department",
        "kind": "police",
        "state": "OH",
        "city": "Anytown",
        "contact_name": "Chief Casey",
        "contact_email": "casey@anytown-oh.gov",
        "submission_key": "key-1",
    }
    data.update(overrides)
    return services.promise_sign_on(**data)


def test_promise_sign_on_waits_for_staff_when_no_domain_matches():
    promise, created = sign_on()
    assert created
    assert promise.status == Promise.Status.PENDING
    assert promise.organization is None
    assert not selectors.registry_list().exists()
    assert AuditEvent.objects.filter(action="promise.sign_on", object_id=str(promise.pk)).exists()


def test_promise_sign_on_verifies_automatically_when_email_domain_matches():
    agency = OrganizationFactory(
        name="Anytown Police Department", state="OH", email_domain="anytown-oh.gov"
    )
    promise, _created = sign_on(contact_email="officer@pd.anytown-oh.gov")
    assert promise.status == Promise.Status.VERIFIED
    assert promise.verification == Promise.Verification.EMAIL_DOMAIN
    assert promise.organization == agency
    assert "Anytown Police Department" in promise.promise_text
    assert selectors.promise_made(organization=agency)


def test_promise_sign_on_does_not_auto_verify_a_lookalike_domain():
    OrganizationFactory(name="Anytown Police Department", state="OH", email_domain="anytown.gov")
    promise, _created = sign_on(contact_email="someone@notanytown.gov")
    assert promise.status == Promise.Status.PENDING


def test_promise_sign_on_retry_with_same_key_is_not_counted_twice():
    first, created_first = sign_on()
    second, created_second = sign_on()
    assert first.pk == second.pk and created_first and not created_second
    assert Promise.objects.count() == 1


def test_promise_sign_on_duplicate_name_in_same_state_is_refused_clearly():
    sign_on()
    with pytest.raises(ValidationError) as error:
        sign_on(organization_name="ANYTOWN police  department.", submission_key="key-2")
    assert "already signed on" in str(error.value)


def test_promise_sign_on_same_name_in_another_state_is_allowed():
    sign_on()
    promise, created = sign_on(state="IN", submission_key="key-2")
    assert created and promise.state == "IN"


def test_promise_sign_on_duplicate_ori_is_refused():
    sign_on(ori_code="OH0123400")
    with pytest.raises(ValidationError):
        sign_on(organization_name="Other name", ori_code="oh0123400", submission_key="key-2")


def test_promise_sign_on_unknown_state_is_refused():
    with pytest.raises(ValidationError) as error:
        sign_on(state="XX")
    assert "state" in error.value.message_dict


def test_promise_verify_creates_organization_and_checklist(program_admin):
    promise, _ = sign_on()
    promise = services.promise_verify(actor=program_admin, promise=promise)
    organization = promise.organization
    assert organization.name == "Anytown Police Department" and organization.state == "OH"
    assert promise.promised_on == datetime.date.today()
    assert selectors.checklist_get(organization=organization).items.count() == 11
    assert selectors.checklist_progress(organization=organization) == 0.0


def test_promise_verify_links_existing_organization_by_name(program_admin):
    agency = OrganizationFactory(name="Anytown Police Department", state="OH")
    promise, _ = sign_on()
    promise = services.promise_verify(actor=program_admin, promise=promise)
    assert promise.organization == agency
    assert Organization.objects.filter(name="Anytown Police Department").count() == 1


def test_promise_made_is_false_until_verified(org_a):
    assert selectors.promise_made(organization=org_a) is False
    assert selectors.checklist_progress(organization=org_a) == 0.0


def test_promise_template_save_is_used_for_next_verification(program_admin):
    services.promise_template_save(
        actor=program_admin, title="Official", body="We, {agency}, promise to keep the peace."
    )
    promise, _ = sign_on()
    promise = services.promise_verify(actor=program_admin, promise=promise)
    assert promise.promise_text == "We, Anytown Police Department, promise to keep the peace."


def test_promise_template_save_without_placeholder_is_refused(program_admin):
    with pytest.raises(ValidationError):
        services.promise_template_save(actor=program_admin, title="x", body="No name here.")


def test_promise_event_schedule_national_event_must_be_in_may(program_admin):
    promise, _ = sign_on()
    promise = services.promise_verify(actor=program_admin, promise=promise)
    with pytest.raises(ValidationError) as error:
        services.promise_event_schedule(
            actor=program_admin, promise=promise, kind="national", date=datetime.date(2027, 6, 1)
        )
    assert "May" in str(error.value)
    event = services.promise_event_schedule(
        actor=program_admin, promise=promise, kind="national", date=datetime.date(2027, 5, 15)
    )
    services.promise_event_set_status(actor=program_admin, event=event, status="held")
    promise.refresh_from_db()
    assert promise.promised_on == datetime.date(2027, 5, 15)


# ----------------------------------------------------------------------------- pages
def test_sign_on_page_shows_form_in_spanish(client):
    response = client.get(reverse("pledges:sign_on"), HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert "Firmar" in response.content.decode() or "Promesa" in response.content.decode()


def test_sign_on_page_duplicate_shows_message_next_to_name(client):
    sign_on()
    form = client.get(reverse("pledges:sign_on")).context["form"]
    response = client.post(
        reverse("pledges:sign_on"),
        {
            "organization_name": "Anytown Police Department",
            "kind": "police",
            "state": "OH",
            "city": "Anytown",
            "contact_name": "Someone",
            "contact_email": "someone@example.org",
            "submission_key": form.initial["submission_key"],
        },
    )
    assert response.status_code == 200
    assert "already signed on" in response.content.decode()
    assert Promise.objects.count() == 1


def test_sign_on_page_unknown_state_gets_field_error(client):
    response = client.post(
        reverse("pledges:sign_on"),
        {
            "organization_name": "X PD",
            "kind": "police",
            "state": "ZZ",
            "city": "X",
            "contact_name": "Someone",
            "contact_email": "someone@example.org",
            "submission_key": "abc123",
        },
    )
    assert response.status_code == 200
    assert "state" in response.context["form"].errors
    assert not Promise.objects.exists()


def test_sign_on_page_success_redirects_to_thanks(client):
    response = client.post(
        reverse("pledges:sign_on"),
        {
            "organization_name": "Lakeside Police Department",
            "kind": "police",
            "state": "MI",
            "city": "Lakeside",
            "contact_name": "Lee",
            "contact_email": "lee@lakeside.example.org",
            "submission_key": "abc123",
        },
        follow=True,
    )
    assert "Program staff will verify it" in response.content.decode()


def test_promise_verify_page_is_for_program_staff_only(client, admin_a, program_admin):
    promise, _ = sign_on()
    client.force_login(admin_a)
    assert client.post(reverse("pledges:promise_verify", args=[promise.pk])).status_code in (
        403,
        404,
    )
    client.force_login(program_admin)
    client.post(reverse("pledges:promise_verify", args=[promise.pk]))
    promise.refresh_from_db()
    assert promise.status == Promise.Status.VERIFIED


def test_certificate_pdf_has_agency_name(client, program_admin):
    promise, _ = sign_on()
    services.promise_verify(actor=program_admin, promise=promise)
    client.force_login(program_admin)
    response = client.get(reverse("pledges:certificate", args=[promise.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_promise_list_page_query_count_is_bounded(
    client, program_admin, django_assert_max_num_queries
):
    for n in range(15):
        sign_on(organization_name=f"Agency {n}", submission_key=f"k{n}")
    client.force_login(program_admin)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("pledges:promise_list") + "?status=")
    assert response.status_code == 200
    assert "Agency 14" in response.content.decode()


def test_event_schedule_page_by_agency_admin(client, admin_a, program_admin, org_a):
    promise, _ = sign_on()
    services.promise_verify(actor=program_admin, promise=promise, organization=org_a)
    client.force_login(admin_a)
    response = client.post(
        reverse("pledges:event_schedule", args=[promise.pk]),
        {"kind": "local", "date": "2027-03-03", "location": "City Hall"},
    )
    assert response.status_code == 302
    assert PromiseEvent.objects.filter(promise=promise, location="City Hall").exists()


def test_sign_on_page_slows_down_a_flood_of_posts(client, monkeypatch):
    from django.core.cache import cache

    from peacekit.pledges import views

    cache.clear()
    monkeypatch.setattr(views, "PUBLIC_POSTS_PER_HOUR", 2)
    for _ in range(2):
        client.post(reverse("pledges:sign_on"), {})
    response = client.post(reverse("pledges:sign_on"), {})
    assert "Too many sign-ons" in response.content.decode()
    cache.clear()


def test_promise_verify_emails_the_contact(
    program_admin, mailoutbox, django_capture_on_commit_callbacks
):
    promise, _ = sign_on()
    with django_capture_on_commit_callbacks(execute=True):
        services.promise_verify(actor=program_admin, promise=promise)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["casey@anytown-oh.gov"]
    assert "Anytown Police Department" in message.body and "/promise/" in message.body


def test_promise_verify_with_the_mail_server_down_queues_the_email(
    client, program_admin, monkeypatch, django_capture_on_commit_callbacks
):
    import smtplib

    from django.core import mail
    from django.core.mail.backends.locmem import EmailBackend

    from peacekit.core.models import JobRun

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    promise, _ = sign_on()
    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    client.force_login(program_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pledges:promise_verify", args=[promise.pk]))
    assert response.status_code == 302  # staff see no error page
    promise.refresh_from_db()
    assert promise.status == Promise.Status.VERIFIED
    assert mail.outbox == []
    job = JobRun.objects.get(kind="core.send_email")
    assert job.status == JobRun.Status.QUEUED
    assert "casey@anytown-oh.gov" not in str(job.parameters)  # recipients are encrypted
