"""Agency certification: requirements from live data, grant, reminders, renewal, plaque."""

import sys
import types
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from peacekit.training import selectors, services
from peacekit.training.models import AgencyCertification
from tests.conftest import run_queued_jobs
from tests.training.helpers import complete_online, make_course, make_learner


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 17, 0, tzinfo=UTC)


@pytest.fixture
def flagship_requirement(program_admin):
    return services.requirement_save(
        actor=program_admin, kind="flagship_completion",
        label="80% of sworn officers completed the flagship course", threshold=80,
    )  # fmt: skip


@pytest.fixture
def policy_requirement(program_admin):
    return services.requirement_save(
        actor=program_admin, kind="policy_adopted", label="Peace Officer policy adopted"
    )


def _sworn(org, admin, n):
    services.licence_pool_set(actor=admin, organization=org, category="sworn", size=n)
    people = []
    for i in range(n):
        learner = make_learner(org, name=f"Officer {i}", email=f"o{i}@example.org")
        services.licence_assign(actor=admin, learner=learner)
        people.append(learner)
    return people


def test_certification_checklist_shows_what_is_missing(
    org_a, admin_a, program, flagship_requirement, policy_requirement
):
    course = make_course(program)
    people = _sworn(org_a, admin_a, 5)
    for person in people[:3]:
        complete_online(person, course)
    flagship, policy = selectors.certification_checklist(organization=org_a)
    assert flagship.met is False and "3 of 5 sworn officers (60%)" in flagship.detail
    assert flagship.missing == "1 more sworn officers must complete it."
    assert policy.met is False and "evidence" in policy.missing
    complete_online(people[3], course)
    services.policy_attest(
        actor=admin_a,
        organization=org_a,
        policy_title="General Order 1.1",
        adopted_on=date(2026, 1, 5),
        evidence_url="https://example.org/go",
    )
    assert all(item.met for item in selectors.certification_checklist(organization=org_a))


def test_policy_attest_requires_evidence(org_a, admin_a):
    with pytest.raises(ValidationError, match="evidence"):
        services.policy_attest(actor=admin_a, organization=org_a, policy_title="GO",
                               adopted_on=date(2026, 1, 5))  # fmt: skip


def test_promise_and_listening_requirements_are_not_available_without_those_modules(
    org_a, program_admin, monkeypatch
):
    monkeypatch.setitem(sys.modules, "peacekit.pledges.selectors", None)  # import fails
    services.requirement_save(actor=program_admin, kind="promise_made", label="Promise made")
    services.requirement_save(actor=program_admin, kind="checklist_percent", label="Checklist",
                              threshold=50)  # fmt: skip
    from django.apps import apps

    real = apps.get_model

    def no_listening(app_label, model_name=None, **kwargs):
        if app_label == "listening":
            raise LookupError("no listening app")
        return real(app_label, model_name, **kwargs)

    monkeypatch.setattr(apps, "get_model", no_listening)
    services.requirement_save(actor=program_admin, kind="listening_session", label="Session")
    items = selectors.certification_checklist(organization=org_a)
    assert [i.met for i in items] == [None, None, None]
    assert all("Not available" in i.detail for i in items)


def test_promise_and_checklist_requirements_use_the_pledges_selectors(
    org_a, program_admin, monkeypatch
):
    fake = types.ModuleType("peacekit.pledges.selectors")
    fake.promise_made = lambda organization: True
    fake.checklist_progress = lambda organization: 0.75  # a share, as pledges returns it
    monkeypatch.setitem(sys.modules, "peacekit.pledges.selectors", fake)
    services.requirement_save(actor=program_admin, kind="promise_made", label="Promise made")
    services.requirement_save(actor=program_admin, kind="checklist_percent", label="Checklist",
                              threshold=80)  # fmt: skip
    promise, checklist = selectors.certification_checklist(organization=org_a)
    assert promise.met is True
    assert checklist.met is False and "75%" in checklist.detail


def test_certification_grant_refused_until_requirements_met(
    org_a, program_admin, policy_requirement
):
    with pytest.raises(ValidationError, match="Requirements not met"):
        services.certification_grant(actor=program_admin, organization=org_a)


def _certify(org, admin, program_admin, today):
    services.policy_attest(
        actor=admin,
        organization=org,
        policy_title="GO 1",
        adopted_on=date(2026, 1, 5),
        evidence_url="https://example.org/go",
    )
    return services.certification_grant(actor=program_admin, organization=org, today=today)


def test_certification_grant_runs_two_years_and_orders_plaque(
    org_a, admin_a, program_admin, policy_requirement
):
    certification = _certify(org_a, admin_a, program_admin, date(2026, 2, 1))
    assert certification.expires_on == date(2028, 2, 1)
    assert certification.plaque_due_on == date(2026, 2, 15)
    assert not certification.plaque_is_overdue(date(2026, 2, 15))
    assert certification.plaque_is_overdue(date(2026, 2, 16))
    with pytest.raises(ValidationError, match="already holds"):
        services.certification_grant(
            actor=program_admin, organization=org_a, today=date(2026, 3, 1)
        )


def test_plaque_overdue_is_flagged_and_mailing_clears_it(
    client, org_a, admin_a, program_admin, policy_requirement
):
    certification = _certify(org_a, admin_a, program_admin, date.today() - timedelta(days=20))
    assert list(selectors.plaques_overdue()) == [certification]
    client.force_login(program_admin)
    page = client.get(reverse("training:certification_admin"))
    assert "past the two-week mailing commitment" in page.content.decode()
    client.post(reverse("training:plaque_mailed", args=[certification.pk]),
                {"mailed_on": date.today().isoformat(), "tracking": "1Z999"})  # fmt: skip
    assert not selectors.plaques_overdue().exists()


def test_certification_send_reminders_at_90_and_30_days_once_each(
    org_a, admin_a, program_admin, policy_requirement, django_capture_on_commit_callbacks
):
    certification = _certify(org_a, admin_a, program_admin, date(2026, 1, 10))
    expiry = certification.expires_on
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            services.certification_send_reminders(now=noon(expiry - timedelta(days=91)))["90"] == 0
        )
        sent = services.certification_send_reminders(now=noon(expiry - timedelta(days=90)))
        again = services.certification_send_reminders(now=noon(expiry - timedelta(days=89)))
    assert (sent["90"], again["90"]) == (1, 0)
    assert len(mail.outbox) == 1 and "expires in 90 days" in mail.outbox[0].subject
    assert mail.outbox[0].to == [admin_a.email]
    with django_capture_on_commit_callbacks(execute=True):
        services.certification_send_reminders(now=noon(expiry - timedelta(days=30)))
        services.certification_send_reminders(now=noon(expiry - timedelta(days=30)))
    assert len(mail.outbox) == 2 and "expires in 30 days" in mail.outbox[1].subject
    services.certification_send_reminders(now=noon(expiry + timedelta(days=1)))
    certification.refresh_from_db()
    assert certification.status == AgencyCertification.Status.EXPIRED


def test_certification_reminders_job_uses_patched_clock(
    org_a, admin_a, program_admin, policy_requirement, monkeypatch,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from django.utils import timezone

    certification = _certify(org_a, admin_a, program_admin, date(2026, 1, 10))
    monkeypatch.setattr(
        timezone, "now", lambda: noon(certification.expires_on - timedelta(days=29))
    )
    from peacekit.core.services import jobrun_enqueue

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        jobrun_enqueue(kind="training.certification_reminders", actor=None, organization=None)
        jobrun_enqueue(kind="training.certification_reminders", actor=None, organization=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_queued_jobs() == 2
    # Only the 30-day reminder goes out (the 90-day one is moot), and only once.
    assert [m.subject for m in mail.outbox] == [
        "Your Peace Officer agency certification expires in 29 days"
    ]


def test_certification_renew_extends_from_old_expiry(
    org_a, admin_a, program_admin, policy_requirement
):
    certification = _certify(org_a, admin_a, program_admin, date(2026, 1, 10))
    renewal = services.certification_renew(
        actor=program_admin, certification=certification, today=date(2027, 12, 1)
    )
    assert renewal.certified_on == date(2028, 1, 10)
    assert renewal.expires_on == date(2030, 1, 10)
    certification.refresh_from_db()
    assert certification.status == AgencyCertification.Status.RENEWED
    with pytest.raises(ValidationError, match="already renewed"):
        services.certification_renew(actor=program_admin, certification=certification)


def test_certification_page_shows_checklist_to_agency_and_grant_to_staff(
    client, client_a, org_a, admin_a, program_admin, flagship_requirement
):
    page = client_a.get(reverse("training:certification_agency", args=[org_a.pk]))
    body = page.content.decode()
    assert "Requirements: 0 of 1 met" in body and "What is missing" in body
    assert "Certify this agency" not in body
    client.force_login(program_admin)
    assert (
        "Certify this agency"
        in client.get(reverse("training:certification_agency", args=[org_a.pk])).content.decode()
    )


def test_requirement_edit_is_program_staff_only(client_a, client, program_admin):
    assert client_a.get(reverse("training:requirement_create")).status_code == 403
    client.force_login(program_admin)
    response = client.post(reverse("training:requirement_create"), {
        "kind": "flagship_completion", "label": "Most sworn trained", "threshold": "150",
        "position": "1", "is_active": "on",
    })  # fmt: skip
    assert response.status_code == 200  # 150% is refused
    response = client.post(reverse("training:requirement_create"), {
        "kind": "flagship_completion", "label": "Most sworn trained", "threshold": "80",
        "position": "1", "is_active": "on",
    })  # fmt: skip
    assert response.status_code == 302


def test_agency_buys_122_seats_imports_roster_trains_and_is_certified_with_reminder(
    client, org_a, admin_a, program_admin, program, django_capture_on_commit_callbacks
):
    """The issue's whole story, through the pages an agency and the program use."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from peacekit.training.models import Certificate, Learner

    client.force_login(admin_a)
    for category, size in {"sworn": 80, "leader": 12, "associate": 15, "elected": 15}.items():
        client.post(reverse("training:licences", args=[org_a.pk]),
                    {"category": category, "size": size})  # fmt: skip
    usage = selectors.licence_usage(organization=org_a)
    assert sum(u.pool.size for u in usage) == 122
    rows = ["name,email,rank,category"]
    rows += [f"Officer {i},officer{i}@example.org,Officer,sworn" for i in range(10)]
    rows += ["Lt Lee,lee@example.org,Lieutenant,leader", "Cm Cruz,cruz@example.org,,elected"]
    upload = SimpleUploadedFile("roster.csv", "\n".join(rows).encode())
    response = client.post(reverse("training:roster_import", args=[org_a.pk]),
                           {"file": upload, "assign_seats": "on"})  # fmt: skip
    assert response.status_code == 302
    assert Learner.objects.filter(organization=org_a).count() == 12
    course = make_course(program)
    links = {}
    for learner in Learner.objects.filter(organization=org_a, category="sworn")[:8]:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("training:learner_send_link", args=[learner.pk]))
        links[learner.pk] = mail.outbox[0].body.split("/training/learn/")[1].split("/")[0]
    client.logout()
    for learner_id, token in links.items():
        quiz = reverse("training:learn_quiz", args=[token, course.pk])
        client.get(reverse("training:learn_course", args=[token, course.pk]))
        data = {"submission_key": f"k{learner_id}"}
        data.update({f"q{q.pk}": "1" for q in course.questions.all()})
        assert "You passed" in client.post(quiz, data).content.decode()
    certificate = Certificate.objects.filter(organization=org_a).first()
    token = links[certificate.enrollment.learner_id]
    pdf = client.get(reverse("training:learn_certificate", args=[token, certificate.pk]))
    assert pdf.content.startswith(b"%PDF")
    assert (
        "Valid certificate"
        in client.get(reverse("training:verify_code", args=[certificate.code])).content.decode()
    )

    services.requirement_save(actor=program_admin, kind="flagship_completion",
                              label="80% of sworn officers trained", threshold=80)  # fmt: skip
    services.requirement_save(actor=program_admin, kind="policy_adopted", label="Policy adopted")
    client.force_login(admin_a)
    client.post(reverse("training:policy_attest", args=[org_a.pk]), {
        "policy_title": "Peace Officer general order", "adopted_on": "2026-01-05",
        "evidence_url": "https://example.org/go.pdf",
    })  # fmt: skip
    client.force_login(program_admin)
    client.post(reverse("training:certification_grant", args=[org_a.pk]))
    certification = AgencyCertification.objects.get(organization=org_a)
    assert certification.plaque_due_on == certification.certified_on + timedelta(days=14)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.certification_send_reminders(
            now=noon(certification.expires_on - timedelta(days=90))
        )
    assert [m.to for m in mail.outbox] == [[admin_a.email]]
    assert "expires in 90 days" in mail.outbox[0].subject
