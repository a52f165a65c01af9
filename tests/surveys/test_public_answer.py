"""The public answer post (/surveys/r/<token>/): what is stored, what is refused, how often.

The post reads the wave with one compiled query, validates with shared fields and writes the
response and its answers with single INSERTs; these tests pin what a person sees and what is
stored along that path (idempotency, closed waves, rate limit, retrospective block, margins).
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.http import Http404
from django.urls import clear_script_prefix, set_script_prefix

from peacekit.core.models import AuditEvent
from peacekit.surveys import selectors, services, views
from peacekit.surveys.models import Answer, Response, Wave
from tests.surveys.factories import make_survey, questions_by_code


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def survey(org_a, admin_a):
    return make_survey(org_a, admin_a)


def _wave(survey, kind="pre"):
    return survey.waves.get(kind=kind)


def _post(client, wave, data, query=""):
    return client.post(f"/surveys/r/{wave.token}/{query}", data)


def test_replayed_submission_key_writes_once_and_lands_on_thanks(client, survey):
    wave = _wave(survey)
    q = questions_by_code(survey)
    first = {"submission_key": "r" * 32, f"q{q['trust_listen'].pk}": "7", "sex": "female"}
    again = {**first, f"q{q['trust_listen'].pk}": "2", f"q{q['safety'].pk}": "4", "sex": "male"}
    one = _post(client, wave, first)
    two = _post(client, wave, again)  # same key, other answers: the first one counts
    thanks = f"/surveys/r/{wave.token}/thanks/?lang=en"
    assert one.status_code == two.status_code == 302
    assert one["Location"] == two["Location"] == thanks
    response = Response.objects.get()
    assert response.submission_key == "r" * 32 and response.sex == "female"
    assert list(response.answers.values_list("question__code", "value_number")) == [
        ("trust_listen", 7.0)
    ]
    events = AuditEvent.objects.filter(action="survey_response.submit")
    assert events.count() == 1
    assert events.get().organization_id == survey.organization_id
    assert events.get().object_id == str(response.pk)


def test_service_replay_returns_the_first_response_and_writes_nothing(survey):
    wave = _wave(survey)
    q = questions_by_code(survey)
    first, created = services.response_submit(
        wave=wave, submission_key="svc-1", answers={q["safety"].pk: 3}
    )
    again, created_again = services.response_submit(
        wave=wave, submission_key="svc-1", answers={q["safety"].pk: 5, q["trust_listen"].pk: 1}
    )
    assert created and not created_again
    assert again.pk == first.pk
    assert Response.objects.count() == 1
    assert list(Answer.objects.values_list("value_number", flat=True)) == [3.0]
    assert AuditEvent.objects.filter(action="survey_response.submit").count() == 1


def test_stored_response_has_the_posted_fields(client, survey):
    wave = _wave(survey)
    q = questions_by_code(survey)
    data = {
        "submission_key": "f" * 32, f"q{q['trust_listen'].pk}": "6",
        f"q{q['trust_respect'].pk}": "9", "mother_letters": "ma", "birth_month": "07",
        "street_letters": "el", "age_group": "25-34", "race_ethnicity": "asian", "lang": "es",
    }  # fmt: skip
    assert _post(client, wave, data).status_code == 302
    response = Response.objects.get()
    assert response.wave_id == wave.pk and response.organization_id == survey.organization_id
    assert response.source == Response.Source.WEB and response.language == "es"
    assert response.age_group == "25-34" and response.race_ethnicity == "asian"
    assert response.linking_hash == services.linking_hash(survey, "ma07el")
    assert response.created_at is not None and response.updated_at is not None
    stored = dict(response.answers.values_list("question_id", "value_number"))
    assert stored == {q["trust_listen"].pk: 6.0, q["trust_respect"].pk: 9.0}
    assert not response.answers.filter(retrospective=True).exists()


def test_public_post_uses_few_queries(client, survey, django_assert_max_num_queries):
    wave = _wave(survey)
    q = questions_by_code(survey)
    _post(client, wave, {"submission_key": "w" * 32, f"q{q['safety'].pk}": "3"})  # warm caches
    # wave look-up, (BEGIN), response, answers, audit event, (COMMIT)
    with django_assert_max_num_queries(6):
        response = _post(client, wave, {"submission_key": "z" * 32, f"q{q['safety'].pk}": "4"})
    assert response.status_code == 302 and wave.responses.count() == 2


def test_invalid_post_shows_the_whole_page_and_stores_nothing(client, survey):
    wave = _wave(survey)
    q = questions_by_code(survey)
    response = _post(
        client, wave, {"submission_key": "i" * 32, f"q{q['trust_listen'].pk}": "11",
                       "mother_letters": "zq"},
    )  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200
    assert survey.organization.name in body and survey.title in body
    assert 'value="zq"' in body  # what was typed is kept
    assert "Select a valid choice" in body
    assert (
        not Response.objects.exists()
        and not AuditEvent.objects.filter(action="survey_response.submit").exists()
    )


def test_answer_refused_by_the_service_shows_the_message(client, survey, monkeypatch):
    wave = _wave(survey)
    q = questions_by_code(survey)

    def refuse(**_kwargs):
        raise services.AnswerInvalid("trust_listen: not one of the choices")

    monkeypatch.setattr(services, "response_submit", refuse)
    response = _post(client, wave, {"submission_key": "a" * 32, f"q{q['trust_listen'].pk}": "5"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "One of the answers is not valid." in body
    assert survey.organization.name in body and 'value="5" checked' in body.replace("\n", "")
    assert not Response.objects.exists()


def test_closed_wave_refuses_a_post(client, survey, admin_a):
    wave = _wave(survey)
    q = questions_by_code(survey)
    services.wave_set_open(actor=admin_a, wave=wave, is_open=False)
    response = _post(client, wave, {"submission_key": "c" * 32, f"q{q['safety'].pk}": "3"})
    assert response.status_code == 410
    assert not Response.objects.exists()


@pytest.mark.parametrize("token", ["nope", "bad*token", "x" * 40, "a.b"])
def test_unknown_or_malformed_token_post_is_404(client, db, token):
    assert client.post(f"/surveys/r/{token}/", {"submission_key": "k" * 32}).status_code == 404


@pytest.mark.parametrize("token", ["", "bad\x00token", "x" * 33, "a b"])
def test_public_wave_for_answer_refuses_malformed_tokens_without_a_query(
    db, token, django_assert_num_queries
):
    with django_assert_num_queries(0), pytest.raises(Http404):
        selectors.public_wave_for_answer(token)


def test_public_wave_for_answer_reads_typed_values(survey):
    wave = _wave(survey, "post")
    lean = selectors.public_wave_for_answer(wave.token)
    assert (lean.pk, lean.kind, lean.token, lean.is_open) == (wave.pk, "post", wave.token, True)
    assert lean.survey.pk == survey.pk and lean.survey.organization_id == survey.organization_id
    assert lean.survey.updated_at == survey.updated_at  # an aware datetime, not text
    assert lean.survey.retrospective is False
    assert lean.survey.title == survey.title  # other fields load when asked for


def test_rate_limit_refuses_posts_past_the_limit_and_stores_nothing(client, survey, monkeypatch):
    monkeypatch.setattr(views, "PUBLIC_POSTS_PER_WINDOW", 2)
    wave = _wave(survey)
    q = questions_by_code(survey)
    codes = [
        _post(client, wave, {"submission_key": f"{n}" * 32, f"q{q['safety'].pk}": "3"}).status_code
        for n in range(4)
    ]
    assert codes == [302, 302, 429, 429]
    assert wave.responses.count() == 2


def test_retrospective_answers_are_stored_on_the_post_wave(client, org_a):
    survey = make_survey(org_a, keys=("trust-safety", "event-feedback"), retrospective=True)
    q = questions_by_code(survey)
    post = _wave(survey, "post")
    data = {
        "submission_key": "p" * 32,
        f"q{q['trust_listen'].pk}": "8",
        f"r{q['trust_listen'].pk}": "3",
    }
    assert _post(client, post, data).status_code == 302
    answers = dict(Answer.objects.values_list("retrospective", "value_number"))
    assert answers == {False: 8.0, True: 3.0}
    # The pre wave has no retrospective block: an r<id> field there is ignored.
    pre = _wave(survey, "pre")
    assert _post(client, pre, {**data, "submission_key": "s" * 32}).status_code == 302
    pre_answers = Answer.objects.filter(response__wave=pre)
    assert list(pre_answers.values_list("retrospective", flat=True)) == [False]


def test_neighborhood_choices_come_from_the_margins(client, survey, admin_a):
    services.margins_replace(
        actor=admin_a,
        survey=survey,
        rows=[("neighborhood", "Eastside", 0.6, None), ("neighborhood", "Westside", 0.4, None)],
    )
    wave = _wave(survey)
    q = questions_by_code(survey)
    base = {f"q{q['safety'].pk}": "3"}
    ok = _post(client, wave, {**base, "submission_key": "n" * 32, "neighborhood": "Westside"})
    bad = _post(client, wave, {**base, "submission_key": "m" * 32, "neighborhood": "Uptown"})
    assert ok.status_code == 302 and bad.status_code == 200
    assert list(Response.objects.values_list("neighborhood", flat=True)) == ["Westside"]


def test_empty_post_on_a_form_with_shared_fields_is_refused_each_time(client, survey):
    wave = _wave(survey)
    for n in range(2):  # the second post validates with the fields the first one built
        response = _post(client, wave, {"submission_key": f"{n}e" * 16, "age_group": "65+"})
        assert response.status_code == 200
        assert "Answer at least one question." in response.content.decode()
    assert not Response.objects.exists()
    assert Wave.objects.get(pk=wave.pk).responses.count() == 0


def test_refused_answer_is_found_before_any_write(survey, django_assert_num_queries):
    wave = _wave(survey)
    questions = services.survey_questions(survey, wave_kind=wave.kind)
    q = {x.code: x for x in questions}
    with django_assert_num_queries(0), pytest.raises(services.AnswerInvalid):
        services.response_submit(
            wave=wave,
            submission_key="bad-1",
            answers={q["safety"].pk: 4, q["trust_listen"].pk: 12},
            questions=questions,
        )
    assert not Response.objects.exists()


def test_response_answers_and_audit_event_are_written_together(survey, monkeypatch):
    wave = _wave(survey)
    q = questions_by_code(survey)

    def fail(**_kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(services, "audit_record", fail)
    with pytest.raises(RuntimeError):
        services.response_submit(wave=wave, submission_key="atomic-1", answers={q["safety"].pk: 2})
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_thanks_redirect_follows_the_script_prefix(client, survey):
    wave = _wave(survey)
    q = questions_by_code(survey)
    answer = {f"q{q['safety'].pk}": "3"}
    set_script_prefix("/pk/")  # as the WSGI handler does for a site mounted under /pk
    try:
        mounted = _post(client, wave, {**answer, "submission_key": "p1" * 16})
    finally:
        clear_script_prefix()
    plain = _post(client, wave, {**answer, "submission_key": "p2" * 16})
    assert mounted["Location"] == f"/pk/surveys/r/{wave.token}/thanks/?lang=en"
    assert plain["Location"] == f"/surveys/r/{wave.token}/thanks/?lang=en"
