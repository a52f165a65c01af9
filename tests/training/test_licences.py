"""Licence pools, seats, alerts and roster import."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from peacekit.training import services
from peacekit.training.models import Learner, LicencePool, Seat
from tests.training.helpers import make_learner

SEED_004 = {"sworn": 80, "leader": 12, "associate": 15, "elected": 15}


def roster_csv(rows):
    return ("name,email,rank,category\n" + "\n".join(",".join(r) for r in rows)).encode()


@pytest.fixture
def pools(org_a, admin_a):
    return {
        category: services.licence_pool_set(
            actor=admin_a, organization=org_a, category=category, size=size
        )
        for category, size in SEED_004.items()
    }


def test_licence_pool_set_creates_122_seats_in_four_categories(org_a, pools):
    assert Seat.objects.filter(organization=org_a).count() == 122
    assert {p.category: p.seats.count() for p in pools.values()} == SEED_004


def test_licence_pool_set_cannot_shrink_below_seats_in_use(org_a, admin_a):
    services.licence_pool_set(actor=admin_a, organization=org_a, category="leader", size=2)
    for i in range(2):
        learner = make_learner(org_a, email=f"l{i}@example.org", category="leader")
        services.licence_assign(actor=admin_a, learner=learner)
    with pytest.raises(ValidationError):
        services.licence_pool_set(actor=admin_a, organization=org_a, category="leader", size=1)
    assert LicencePool.objects.get(organization=org_a, category="leader").size == 2


def test_licence_assign_moves_seat_through_states_and_revoked_seat_is_reassigned(
    org_a, admin_a, pools
):
    first = make_learner(org_a, email="first@example.org")
    seat = services.licence_assign(actor=admin_a, learner=first)
    assert seat.status == Seat.Status.ASSIGNED and seat.learner == first
    services.licence_revoke(actor=admin_a, seat=seat)
    seat.refresh_from_db()
    assert seat.status == Seat.Status.REVOKED and seat.learner is None
    second = make_learner(org_a, email="second@example.org")
    again = services.licence_assign(actor=admin_a, learner=second)
    assert again.pk == seat.pk and again.status == Seat.Status.ASSIGNED


def test_licence_assign_without_pool_or_free_seat_says_why(org_a, admin_a):
    learner = make_learner(org_a, category="civilian", email="civ@example.org")
    with pytest.raises(ValidationError, match="no Civilian staff licences"):
        services.licence_assign(actor=admin_a, learner=learner)
    services.licence_pool_set(actor=admin_a, organization=org_a, category="civilian", size=1)
    services.licence_assign(actor=admin_a, learner=learner)
    other = make_learner(org_a, category="civilian", email="civ2@example.org")
    with pytest.raises(ValidationError, match="in use"):
        services.licence_assign(actor=admin_a, learner=other)


def test_licence_alerts_email_admins_once_per_threshold_crossing(
    org_a, admin_a, django_capture_on_commit_callbacks
):
    services.licence_pool_set(actor=admin_a, organization=org_a, category="leader", size=4)
    people = [make_learner(org_a, email=f"p{i}@example.org", category="leader") for i in range(4)]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        seats = [services.licence_assign(actor=admin_a, learner=p) for p in people[:3]]
    assert [m.subject for m in mail.outbox] == [
        "ORGA-SECRET Police Department: Police leaders licences 75% used"
    ]
    assert mail.outbox[0].to == [admin_a.email]
    with django_capture_on_commit_callbacks(execute=True):
        services.licence_assign(actor=admin_a, learner=people[3])
    assert len(mail.outbox) == 2 and "100%" in mail.outbox[1].subject
    # Staying above the mark sends nothing; dropping below and crossing again alerts again.
    with django_capture_on_commit_callbacks(execute=True):
        services.licence_revoke(actor=admin_a, seat=seats[0])
        services.licence_assign(actor=admin_a, learner=people[0])
    assert len(mail.outbox) == 3 and "100%" in mail.outbox[2].subject


def test_licences_page_shows_usage_and_alert_notice(client_a, org_a, admin_a, pools):
    for i in range(12):
        learner = make_learner(org_a, email=f"lead{i}@example.org", category="leader")
        services.licence_assign(actor=admin_a, learner=learner)
    response = client_a.get(reverse("training:licences", args=[org_a.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "All 12 Police leaders seats are in use" in body
    assert ">122<" in body


def test_licences_page_buy_seats_form_rejects_bad_input(client_a, org_a):
    url = reverse("training:licences", args=[org_a.pk])
    response = client_a.post(url, {"category": "sworn", "size": "-4"})
    assert response.status_code == 200
    assert not LicencePool.objects.filter(organization=org_a).exists()
    response = client_a.post(url, {"category": "sworn", "size": "80"})
    assert response.status_code == 302
    assert LicencePool.objects.get(organization=org_a).size == 80


def test_licences_page_viewer_cannot_buy_seats(client, org_a):
    from tests.factories import member

    client.force_login(member(org_a, "analyst"))
    url = reverse("training:licences", args=[org_a.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"category": "sworn", "size": "5"}).status_code == 403


def test_roster_import_creates_learners_and_assigns_seats(org_a, admin_a, pools):
    content = roster_csv(
        [("Ana Diaz", "ana@example.org", "Officer", "sworn"),
         ("Ben Ode", "BEN@example.org", "Lieutenant", "Police leaders"),
         ("Cy Park", "cy@example.org", "", "elected")]
    )  # fmt: skip
    result = services.roster_import(
        actor=admin_a, organization=org_a, content=content, assign_seats=True
    )
    assert (result.created, result.updated, result.seats_assigned) == (3, 0, 3)
    assert Learner.objects.get(email="ben@example.org").category == "leader"
    again = services.roster_import(
        actor=admin_a, organization=org_a, content=content, assign_seats=True
    )
    assert (again.created, again.seats_assigned) == (0, 0)


def test_roster_import_with_bad_rows_imports_nothing_and_names_rows(org_a, admin_a, pools):
    content = roster_csv(
        [("Ana Diaz", "ana@example.org", "Officer", "sworn"),
         ("", "not-an-email", "", "astronaut"),
         ("Dup", "ana@example.org", "", "sworn")]
    )  # fmt: skip
    with pytest.raises(services.RosterImportError) as error:
        services.roster_import(actor=admin_a, organization=org_a, content=content)
    messages = error.value.row_errors
    assert messages[0].startswith("Row 3:") and "email is not a valid" in messages[0]
    assert "category must be one of" in messages[0]
    assert messages[1].startswith("Row 4:") and "repeats row 2" in messages[1]
    assert not Learner.objects.exists()


def test_roster_import_rolls_back_when_seats_run_short(org_a, admin_a):
    services.licence_pool_set(actor=admin_a, organization=org_a, category="leader", size=1)
    content = roster_csv(
        [("A", "a@example.org", "", "leader"), ("B", "b@example.org", "", "leader")]
    )
    with pytest.raises(services.RosterImportError, match="2 people need a seat"):
        services.roster_import(
            actor=admin_a, organization=org_a, content=content, assign_seats=True
        )
    assert not Learner.objects.exists()


def test_roster_import_page_shows_row_errors(client_a, org_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("roster.csv", roster_csv([("X", "bad", "", "sworn")]))
    response = client_a.post(reverse("training:roster_import", args=[org_a.pk]), {"file": upload})
    assert response.status_code == 200
    assert "Nothing was imported" in response.content.decode()
    assert "Row 2:" in response.content.decode()


def test_roster_import_rejects_missing_columns_and_non_utf8(org_a, admin_a):
    with pytest.raises(services.RosterImportError, match="Missing column"):
        services.roster_import(actor=admin_a, organization=org_a, content=b"who,what\nx,y\n")
    with pytest.raises(services.RosterImportError, match="UTF-8"):
        services.roster_import(actor=admin_a, organization=org_a, content=b"\xff\xfe\x00n")


def test_learner_list_query_count_is_bounded(
    client_a, org_a, admin_a, pools, django_assert_max_num_queries
):
    rows = [(f"P {i}", f"p{i}@example.org", "Officer", "sworn") for i in range(40)]
    services.roster_import(
        actor=admin_a, organization=org_a, content=roster_csv(rows), assign_seats=True
    )
    url = reverse("training:learner_list", args=[org_a.pk])
    with django_assert_max_num_queries(15):
        response = client_a.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("Assigned") >= 40


def test_learner_send_link_emails_a_token_stored_only_as_hash(
    org_a, admin_a, django_capture_on_commit_callbacks
):
    learner = make_learner(org_a)
    with django_capture_on_commit_callbacks(execute=True):
        raw = services.learner_send_link(actor=admin_a, learner=learner)
    learner.refresh_from_db()
    assert raw not in learner.link_token_hash and len(learner.link_token_hash) == 64
    assert raw in mail.outbox[-1].body
    assert services.learner_from_token(token=raw) == learner
    assert services.learner_from_token(token="wrong") is None


def test_send_link_with_the_mail_server_down_queues_the_email(
    client_a, org_a, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.mail.backends.locmem import EmailBackend

    from peacekit.core.models import JobRun

    def refuse(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")

    learner = make_learner(org_a, email="down@example.org")
    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(reverse("training:learner_send_link", args=[learner.pk]))
    assert response.status_code == 302  # the manager sees no error page
    learner.refresh_from_db()
    assert learner.link_sent_at is not None
    assert mail.outbox == []
    job = JobRun.objects.get(kind="core.send_email")
    assert job.status == JobRun.Status.QUEUED
    assert "down@example.org" not in str(job.parameters)  # recipients are encrypted
