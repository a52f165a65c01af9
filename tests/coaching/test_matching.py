"""Needs assessment → matching → confirm / override / re-run, through the pages staff use."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from peacekit.coaching import services
from peacekit.coaching.models import ExpertiseArea, MatchRun, NeedsAssessment, ProposedMatch
from tests.coaching.helpers import make_coach, make_coachee, run_matching
from tests.conftest import run_queued_jobs
from tests.factories import OrganizationFactory


@pytest.fixture
def staff_client(client, program_admin):
    client.force_login(program_admin)
    return client


@pytest.fixture
def pool(program, org_a, org_b, program_admin):
    """Two coaches with one seat each, three coachees; one coach conflicts with org_a."""
    wellness = make_coach(
        program, program_admin, name="Wendy Wellness", capacity=1,
        expertise={"officer_wellness": 1.0}, ranks_held=["sheriff"],
        agency_types=["sheriff_office"], conflicts=[org_a],
    )  # fmt: skip
    community = make_coach(
        program, program_admin, name="Carl Community", capacity=1,
        expertise={"community_engagement": 1.0, "media_public_trust": 0.6},
    )  # fmt: skip
    a = make_coachee(org_a, program_admin, name="Ana Agency", profile={"community_engagement": 1.0})
    b = make_coachee(
        org_b, program_admin, name="Bo Sheriff", role="sheriff", agency_type="sheriff_office",
        profile={"officer_wellness": 1.0},
    )  # fmt: skip
    c = make_coachee(org_b, program_admin, name="Cy Spanish", languages=["es"],
                     profile={"community_engagement": 0.5})  # fmt: skip
    return {"wellness": wellness, "community": community, "a": a, "b": b, "c": c}


def test_needs_profile_from_answers_scales_and_boosts_priority():
    profile = services.needs_profile_from_answers(
        {"de_escalation": 2, "officer_wellness": 4, "budget_operations": 0,
         "priority": "de_escalation"},
        ["de_escalation", "officer_wellness", "budget_operations"],
    )  # fmt: skip
    assert profile == {"de_escalation": 0.75, "officer_wellness": 1.0}


@pytest.mark.parametrize(
    "answers", [{"de_escalation": 7}, {"de_escalation": "lots"}, {"priority": "astrology"}]
)
def test_needs_profile_from_answers_rejects_bad_input(answers):
    with pytest.raises(ValidationError):
        services.needs_profile_from_answers(answers, ["de_escalation"])


def test_match_run_start_proposes_matches_with_reasons_and_says_why_unmatched(staff_client, pool):
    response = staff_client.post(
        reverse("coaching:match_run_start"), {"language": "hard", "location": "hard"}
    )
    run = MatchRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert run_queued_jobs() == 1
    run.refresh_from_db()
    pairs = {m.coachee.name: m for m in run.matches.select_related("coach", "coachee")}
    assert pairs["Bo Sheriff"].coach == pool["wellness"]
    # Ana's agency conflicts with Wendy; Carl fits her needs and is free.
    assert pairs["Ana Agency"].coach == pool["community"]
    assert "community engagement" in pairs["Ana Agency"].reason
    assert "Cy Spanish" not in pairs
    page = staff_client.get(run.get_absolute_url()).content.decode()
    assert "expertise matches needs in community engagement" in page
    assert "Has served as sheriff" in page or "has served as sheriff" in page
    assert "No coach speaks Spanish" in page


def test_match_run_detail_query_count_is_bounded(
    staff_client, pool, program, program_admin, django_assert_max_num_queries
):
    run = run_matching(program_admin, program)
    for i in range(6):
        make_coachee(OrganizationFactory(), program_admin, name=f"Extra {i}",
                     profile={"de_escalation": 1.0})  # fmt: skip
    make_coach(program, program_admin, name="Big Coach", capacity=10,
               expertise={"de_escalation": 1.0})  # fmt: skip
    run = run_matching(program_admin, program)
    assert run.matches.count() >= 8
    with django_assert_max_num_queries(25):
        response = staff_client.get(run.get_absolute_url())
    assert response.status_code == 200


def test_match_confirm_then_rerun_keeps_the_confirmed_pair(staff_client, pool, program):
    run = run_matching(None, program)
    match = run.matches.get(coachee=pool["a"])
    response = staff_client.post(reverse("coaching:match_confirm", args=[match.pk]))
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == ProposedMatch.Status.CONFIRMED
    # Make the free coach far better for Ana; the re-run must still keep her confirmed coach.
    services.coach_save(
        actor=None, organization=program, coach=pool["wellness"], conflicts=[], capacity=3,
        expertise={"community_engagement": 1.0, "officer_wellness": 1.0},
    )  # fmt: skip
    staff_client.post(reverse("coaching:match_run_start"), {"language": "hard", "location": "hard"})
    run_queued_jobs()
    latest = MatchRun.objects.first()
    kept = latest.matches.get(coachee=pool["a"])
    assert latest.pk != run.pk
    assert kept.coach == pool["community"] and kept.fixed
    assert kept.status == ProposedMatch.Status.CONFIRMED
    assert kept.reason.startswith("Kept as confirmed by staff")


def test_match_override_refuses_a_conflicted_coach_with_a_clear_error(staff_client, pool, program):
    run = run_matching(None, program)
    match = run.matches.get(coachee=pool["a"])
    response = staff_client.post(
        reverse("coaching:match_override", args=[match.pk]),
        {"coach": pool["wellness"].pk},
        follow=True,
    )
    assert "has a conflict of interest" in response.content.decode()
    match.refresh_from_db()
    assert match.coach == pool["community"] and match.status == ProposedMatch.Status.PROPOSED


def test_match_override_refuses_a_coach_at_capacity(staff_client, pool, program):
    run = run_matching(None, program)
    bo = run.matches.get(coachee=pool["b"])
    ana = run.matches.get(coachee=pool["a"])
    services.match_confirm(actor=None, match=ana)
    response = staff_client.post(
        reverse("coaching:match_override", args=[bo.pk]),
        {"coach": pool["community"].pk},
        follow=True,
    )
    assert "is at capacity (1 of 1 coachees)" in response.content.decode()
    bo.refresh_from_db()
    assert bo.coach == pool["wellness"]


def test_match_override_picks_another_coach_and_explains_the_fit(staff_client, pool, program):
    spare = make_coach(program, None, name="Sam Spare", capacity=1,
                       expertise={"budget_operations": 1.0})  # fmt: skip
    run = run_matching(None, program)
    match = run.matches.get(coachee=pool["b"])
    staff_client.post(reverse("coaching:match_override", args=[match.pk]), {"coach": spare.pk})
    match.refresh_from_db()
    assert match.coach == spare and match.status == ProposedMatch.Status.OVERRIDDEN
    assert match.reason.startswith("Chosen by staff")


def test_match_override_with_garbage_coach_id_changes_nothing(staff_client, pool, program):
    run = run_matching(None, program)
    match = run.matches.get(coachee=pool["a"])
    response = staff_client.post(
        reverse("coaching:match_override", args=[match.pk]), {"coach": "DROP TABLE"}, follow=True
    )
    assert "Choose a coach from the list" in response.content.decode()
    match.refresh_from_db()
    assert match.status == ProposedMatch.Status.PROPOSED


def test_matching_pages_are_for_program_staff_only(client_a, pool, program):
    run = run_matching(None, program)
    assert client_a.get(reverse("coaching:matching")).status_code == 403
    assert client_a.get(run.get_absolute_url()).status_code == 403
    match = run.matches.first()
    assert client_a.post(reverse("coaching:match_confirm", args=[match.pk])).status_code == 403


def test_match_run_start_rejects_unknown_parameters(staff_client, pool):
    response = staff_client.post(
        reverse("coaching:match_run_start"), {"language": "maybe", "location": "hard"}, follow=True
    )
    assert "Choose whether language and location are required" in response.content.decode()
    assert not MatchRun.objects.exists()


def test_assessment_public_submit_builds_profile_once_even_if_retried(client, org_a, program):
    coachee = make_coachee(org_a, None, name="Public Person")
    _assessment, raw = services.assessment_link_create(actor=None, coachee=coachee)
    url = reverse("coaching:assessment_public", args=[raw])
    page = client.get(url)
    assert page.status_code == 200 and "De-escalation" in page.content.decode()
    answers = {a.slug: 0 for a in ExpertiseArea.objects.all()}
    answers.update({"de_escalation": 4, "officer_wellness": 2, "priority": "officer_wellness"})
    first = client.post(url, answers)
    assert first.status_code == 302
    assessment = NeedsAssessment.objects.get(coachee=coachee)
    assert assessment.profile == {"de_escalation": 1.0, "officer_wellness": 0.75}
    retry = client.post(url, {**answers, "de_escalation": 0})
    assert retry.status_code == 200 and "Thank you" in retry.content.decode()
    assessment.refresh_from_db()
    assert assessment.profile["de_escalation"] == 1.0


def test_assessment_public_with_missing_answers_shows_errors_and_saves_nothing(client, org_a):
    coachee = make_coachee(org_a, None)
    _assessment, raw = services.assessment_link_create(actor=None, coachee=coachee)
    response = client.post(
        reverse("coaching:assessment_public", args=[raw]), {"de_escalation": "9"}
    )
    assert response.status_code == 200
    assert "usa-error-message" in response.content.decode()
    assert NeedsAssessment.objects.get(coachee=coachee).status == NeedsAssessment.Status.SENT


def test_assessment_public_speaks_spanish(client, org_a):
    coachee = make_coachee(org_a, None)
    _assessment, raw = services.assessment_link_create(actor=None, coachee=coachee)
    response = client.get(
        reverse("coaching:assessment_public", args=[raw]), HTTP_ACCEPT_LANGUAGE="es"
    )
    body = response.content.decode()
    assert "Desescalada" in body and "Evaluación de necesidades" in body


def test_assessment_public_with_unknown_token_is_404(client, db):
    response = client.get(reverse("coaching:assessment_public", args=["nope"]))
    assert response.status_code == 404


def test_assessment_adjust_changes_profile_used_for_matching(staff_client, org_a, program):
    coachee = make_coachee(org_a, None, profile={"de_escalation": 1.0})
    data = {a.slug: 0 for a in ExpertiseArea.objects.all()}
    data["budget_operations"] = 80
    response = staff_client.post(reverse("coaching:assessment_adjust", args=[coachee.pk]), data)
    assert response.status_code == 302
    assessment = NeedsAssessment.objects.get(coachee=coachee)
    assert assessment.profile == {"budget_operations": 0.8}
    assert assessment.computed_profile == {"de_escalation": 1.0}
    page = staff_client.get(coachee.get_absolute_url()).content.decode()
    assert "From the questionnaire, before adjustment" in page


def test_assessment_adjust_rejects_out_of_range_values(staff_client, org_a):
    coachee = make_coachee(org_a, None, profile={"de_escalation": 1.0})
    response = staff_client.post(
        reverse("coaching:assessment_adjust", args=[coachee.pk]), {"de_escalation": 250}
    )
    assert response.status_code == 200 and "usa-error-message" in response.content.decode()
    assert NeedsAssessment.objects.get(coachee=coachee).profile == {"de_escalation": 1.0}


def test_coachee_list_for_agency_admin_shows_only_their_agency(client_a, org_a, org_b):
    make_coachee(org_a, None, name="Mine ORGA")
    make_coachee(org_b, None, name="Theirs B")
    body = client_a.get(reverse("coaching:coachee_list")).content.decode()
    assert "Mine ORGA" in body and "Theirs B" not in body


def test_coach_form_creates_coach_with_expertise(staff_client, program):
    from peacekit.coaching.models import Coach

    data = {f"expertise_{a.slug}": 0 for a in ExpertiseArea.objects.all()}
    data.update({
        "name": "New Coach", "ranks_held": ["chief"], "years_experience": 25,
        "agency_types": ["municipal_police"], "languages": ["en", "es"], "region": "west",
        "virtual": "on", "capacity": 3, "is_active": "on", "expertise_de_escalation": 90,
    })  # fmt: skip
    response = staff_client.post(reverse("coaching:coach_create"), data)
    coach = Coach.objects.get(name="New Coach")
    assert response.status_code == 302
    assert coach.expertise == {"de_escalation": 0.9} and coach.organization == program


def test_coach_list_query_count_is_bounded(staff_client, program, django_assert_max_num_queries):
    for i in range(12):
        make_coach(program, None, name=f"Coach {i}")
    with django_assert_max_num_queries(12):
        response = staff_client.get(reverse("coaching:coach_list"))
    assert response.status_code == 200 and "Coach 11" in response.content.decode()


def test_assessment_adjust_with_a_stale_object_keeps_the_questionnaire_profile(org_a):
    coachee = make_coachee(org_a, None)
    stale, _raw = services.assessment_link_create(actor=None, coachee=coachee)
    services.assessment_submit(coachee=coachee, answers={"de_escalation": 4})
    services.assessment_adjust(actor=None, assessment=stale, profile={"officer_wellness": 0.5})
    fresh = NeedsAssessment.objects.get(coachee=coachee)
    assert fresh.computed_profile == {"de_escalation": 1.0}
    assert fresh.profile == {"officer_wellness": 0.5}


def test_coachee_list_query_count_is_bounded(staff_client, program, django_assert_max_num_queries):
    for i in range(12):
        make_coachee(OrganizationFactory(), None, name=f"Leader {i}",
                     profile={"de_escalation": 1.0})  # fmt: skip
    with django_assert_max_num_queries(12):
        response = staff_client.get(reverse("coaching:coachee_list"))
    assert response.status_code == 200 and "Leader 11" in response.content.decode()
