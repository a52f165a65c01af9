"""Online courses, knowledge checks, completion, certificates, verification, transcripts."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from peacekit.training import selectors, services
from peacekit.training.models import Course, Enrollment, QuizAttempt, Seat
from tests.training.helpers import complete_online, make_course, make_learner


@pytest.fixture
def course(program):
    return make_course(program)


@pytest.fixture
def seated(org_a, admin_a):
    services.licence_pool_set(actor=admin_a, organization=org_a, category="sworn", size=3)
    learner = make_learner(org_a, name="Officer Ana Diaz")
    services.licence_assign(actor=admin_a, learner=learner)
    return learner


def test_enrollment_start_requires_a_seat_and_activates_it(org_a, course, seated):
    stranger = make_learner(org_a, email="noseat@example.org")
    with pytest.raises(ValidationError, match="licence seat"):
        services.enrollment_start(learner=stranger, course=course)
    services.enrollment_start(learner=seated, course=course)
    assert Seat.objects.get(learner=seated).status == Seat.Status.ACTIVATED


def test_quiz_submit_below_passing_score_does_not_complete(course, seated):
    enrollment = services.enrollment_start(learner=seated, course=course)
    first, second = course.questions.all()
    attempt = services.quiz_submit(
        enrollment=enrollment, answers={first.pk: 1, second.pk: 2}, submission_key="k1"
    )
    assert (attempt.score, attempt.passed) == (50, False)
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.IN_PROGRESS


def test_quiz_submit_retried_post_counts_once(course, seated):
    enrollment = services.enrollment_start(learner=seated, course=course)
    answers = {q.pk: 1 for q in course.questions.all()}
    one = services.quiz_submit(enrollment=enrollment, answers=answers, submission_key="same")
    two = services.quiz_submit(enrollment=enrollment, answers=answers, submission_key="same")
    assert one.pk == two.pk and QuizAttempt.objects.count() == 1


def test_quiz_submit_unanswered_question_is_refused(course, seated):
    enrollment = services.enrollment_start(learner=seated, course=course)
    with pytest.raises(ValidationError, match="unanswered"):
        services.quiz_submit(enrollment=enrollment, answers={}, submission_key="k")


def test_enrollment_complete_awards_credits_and_verifiable_certificate(course, seated):
    certificate = complete_online(seated, course)
    enrollment = certificate.enrollment
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert enrollment.ce_credits == course.ce_credits
    assert certificate.learner_name == "Officer Ana Diaz"
    from peacekit.training.selectors import certificate_verify

    assert certificate_verify(code=certificate.code.lower().replace("-", " ")) == certificate


def test_train_the_trainer_completion_certifies_local_trainer(program, seated):
    ttt = make_course(program, title="Peace Officer train-the-trainer", flagship=False,
                      is_train_the_trainer=True)  # fmt: skip
    complete_online(seated, ttt)
    seated.refresh_from_db()
    assert seated.is_trainer


def test_learner_takes_course_through_personal_link_and_downloads_certificate(
    client, course, seated
):
    raw = services.learner_send_link(actor=None, learner=seated)
    home = client.get(reverse("training:learn_home", args=[raw]))
    assert home.status_code == 200 and course.title in home.content.decode()
    page = client.get(reverse("training:learn_course", args=[raw, course.pk]))
    assert page.status_code == 200 and "Why peace officers" in page.content.decode()
    quiz_url = reverse("training:learn_quiz", args=[raw, course.pk])
    form = client.get(quiz_url)
    key = form.context["form"].initial["submission_key"]
    data = {"submission_key": key}
    data.update({f"q{q.pk}": "1" for q in course.questions.all()})
    response = client.post(quiz_url, data)
    assert "You passed" in response.content.decode()
    client.post(quiz_url, data)  # a double submit changes nothing
    assert QuizAttempt.objects.count() == 1
    certificate = Enrollment.objects.get(learner=seated).certificate
    pdf = client.get(reverse("training:learn_certificate", args=[raw, certificate.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_learn_link_with_wrong_token_is_not_found(client, course):
    assert client.get(reverse("training:learn_home", args=["nope"])).status_code == 404


def test_learner_with_account_uses_my_training(client, org_a, course, seated):
    from tests.factories import UserFactory

    user = UserFactory(email=seated.email)
    seated.user = user
    seated.save()
    client.force_login(user)
    assert course.title in client.get(reverse("training:my_home")).content.decode()
    assert client.get(reverse("training:my_course", args=[course.pk])).status_code == 200


def test_verify_page_is_public_and_bilingual(client, course, seated):
    certificate = complete_online(seated, course)
    response = client.get(reverse("training:verify_code", args=[certificate.code]))
    assert response.status_code == 200
    assert "Valid certificate" in response.content.decode()
    assert "Officer Ana Diaz" in response.content.decode()
    spanish = client.get(
        reverse("training:verify_code", args=[certificate.code]), HTTP_ACCEPT_LANGUAGE="es"
    )
    assert "Certificado válido" in spanish.content.decode()
    missing = client.get(reverse("training:verify_code", args=["AAAA-BBBB-CCCC"]))
    assert missing.status_code == 404 and "No certificate has this code" in missing.content.decode()


def test_verify_page_says_revoked(client_a, client, course, seated):
    certificate = complete_online(seated, course)
    client_a.post(reverse("training:certificate_revoke", args=[certificate.pk]))
    client_a.logout()
    response = client.get(reverse("training:verify_code", args=[certificate.code]))
    assert "was revoked" in response.content.decode()


def test_certificate_verify_api_is_public(client, course, seated):
    certificate = complete_online(seated, course)
    response = client.get(f"/api/training/certificates/{certificate.code}")
    assert response.status_code == 200 and response.json()["valid"] is True


def test_transcript_totals_ce_credits_and_csv_export(client_a, org_a, program, seated, course):
    other = make_course(program, title="De-escalation basics", flagship=False,
                        ce_credits=2, contact_hours=2)  # fmt: skip
    complete_online(seated, course)
    complete_online(seated, other)
    page = client_a.get(reverse("training:learner_detail", args=[seated.pk]))
    assert "8.0 CE credits" in page.content.decode()
    csv_text = b"".join(
        client_a.get(reverse("training:learner_transcript_csv", args=[seated.pk]))
    ).decode()
    assert "De-escalation basics" in csv_text and "8.0" in csv_text


def test_completions_export_lists_post_ncp_fields(client_a, org_a, seated, course):
    certificate = complete_online(seated, course)
    response = client_a.get(reverse("training:completions_export", args=[org_a.pk]))
    text = b"".join(response.streaming_content).decode()
    header, row = text.splitlines()[:2]
    assert header.startswith("agency,agency_ori,state,learner_name")
    assert "Officer Ana Diaz" in row and certificate.code in row and "6.0" in row


def test_offering_roster_attendance_completes_in_person_course(
    client_a, org_a, admin_a, program, seated
):
    from datetime import date

    course = services.course_create(
        actor=None, organization=program, title="Peace Officer (in person)",
        modality=Course.Modality.IN_PERSON, contact_hours=8, ce_credits=8, is_published=True,
    )  # fmt: skip
    offering = services.offering_create(
        actor=admin_a, course=course, organization=org_a, starts_on=date(2026, 3, 2),
        ends_on=date(2026, 3, 2), capacity=1, instructors="Trainer T",
    )  # fmt: skip
    response = client_a.post(
        reverse("training:offering_enroll", args=[offering.pk]), {"learner": seated.pk}
    )
    assert response.status_code == 302
    enrollment = Enrollment.objects.get(offering=offering)
    other = make_learner(org_a, email="full@example.org")
    with pytest.raises(ValidationError, match="full"):
        services.offering_enroll(actor=admin_a, offering=offering, learner=other)
    client_a.post(
        reverse("training:enrollment_attendance", args=[enrollment.pk]), {"attended": "1"}
    )
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED and enrollment.certificate


def test_catalog_lists_published_courses_with_bounded_queries(
    client_a, program, django_assert_max_num_queries
):
    for i in range(5):
        make_course(program, title=f"Course {i}", flagship=False)
    make_course(program, title="Hidden draft", published=False)
    with django_assert_max_num_queries(12):
        response = client_a.get(reverse("training:course_list"))
    body = response.content.decode()
    assert "Course 4" in body and "Hidden draft" not in body


def test_course_create_by_program_staff_and_question_validation(client, program_admin):
    client.force_login(program_admin)
    response = client.post(reverse("training:course_create"), {
        "title": "Procedural justice online", "modality": "online", "contact_hours": "2",
        "ce_credits": "2", "passing_score": "80", "topics": ["procedural_justice"],
        "is_published": "on",
    })  # fmt: skip
    assert response.status_code == 302
    course = Course.objects.get(title="Procedural justice online")
    assert course.topics == ["procedural_justice"]
    client.post(reverse("training:question_add", args=[course.pk]),
                {"prompt": "Q?", "choices": "Only one", "correct_index": "1"})  # fmt: skip
    assert not course.questions.exists()
    client.post(reverse("training:question_add", args=[course.pk]),
                {"prompt": "Q?", "choices": "A\nB", "correct_index": "3"})  # fmt: skip
    assert not course.questions.exists()


def test_course_create_refused_for_agency_admin(client_a):
    assert client_a.get(reverse("training:course_create")).status_code == 403


def test_certificate_revoke_refused_for_analyst(client, org_a, course, seated):
    from tests.factories import member

    certificate = complete_online(seated, course)
    client.force_login(member(org_a, "analyst"))
    response = client.post(reverse("training:certificate_revoke", args=[certificate.pk]))
    assert response.status_code == 403
    certificate.refresh_from_db()
    assert certificate.is_valid


def test_offering_create_page_schedules_for_own_agency_only(client_a, org_a, org_b, program):
    course = services.course_create(
        actor=None, organization=program, title="Live course", is_published=True,
        modality=Course.Modality.IN_PERSON, contact_hours=8, ce_credits=8,
    )  # fmt: skip
    url = reverse("training:offering_create", args=[course.pk])
    data = {"starts_on": "2026-04-02", "ends_on": "2026-04-01", "capacity": "20"}
    response = client_a.post(url, {**data, "organization": org_a.pk})
    assert response.status_code == 200 and "before the start date" in response.content.decode()
    response = client_a.post(url, {**data, "organization": org_b.pk, "ends_on": "2026-04-02"})
    assert response.status_code == 200  # another agency is not a choice
    response = client_a.post(url, {**data, "organization": org_a.pk, "ends_on": "2026-04-02"})
    assert response.status_code == 302
    assert course.offerings.get().organization == org_a


def test_course_edit_by_provider_staff_only(client_a, client, program, program_admin):
    course = make_course(program)
    response = client_a.get(reverse("training:course_edit", args=[course.pk]))
    assert response.status_code in (403, 404)
    client.force_login(program_admin)
    response = client.get(reverse("training:course_edit", args=[course.pk]))
    assert response.status_code == 200 and "Learning objectives" in response.content.decode()


def test_learner_with_account_created_later_is_found_by_email(client, course, seated):
    from tests.factories import UserFactory

    client.force_login(UserFactory(email=seated.email.upper()))
    assert course.title in client.get(reverse("training:my_home")).content.decode()


def test_my_training_without_roster_entry_explains_what_to_do(client_b):
    response = client_b.get(reverse("training:my_home"))
    assert response.status_code == 200 and "not on an agency" in response.content.decode()


def test_dashboard_shows_training_figures(client_a, seated):
    response = client_a.get(reverse("core:dashboard"))
    assert "licence seats in use" in response.content.decode()


def test_offering_evaluation_creates_level_1_and_2_survey_once(client_a, org_a, admin_a, program):
    pytest.importorskip("peacekit.surveys.services")
    from datetime import date

    course = services.course_create(
        actor=None, organization=program, title="Live course", is_published=True,
        modality=Course.Modality.IN_PERSON, contact_hours=8, ce_credits=8,
    )  # fmt: skip
    offering = services.offering_create(
        actor=admin_a, course=course, organization=org_a, starts_on=date(2026, 3, 2),
        ends_on=date(2026, 3, 2), capacity=10,
    )  # fmt: skip
    url = reverse("training:offering_evaluation", args=[offering.pk])
    first = client_a.post(url)
    second = client_a.post(url)
    assert first.status_code == 302 and first["Location"] == second["Location"]
    surveys = selectors.offering_evaluations(offering=offering)
    assert len(surveys) == 1
    kinds = set(surveys[0].instruments.values_list("kind", flat=True))
    assert kinds == {"feedback", "knowledge"}
    page = client_a.get(reverse("training:offering_detail", args=[offering.pk]))
    assert "/surveys/r/" in page.content.decode()
