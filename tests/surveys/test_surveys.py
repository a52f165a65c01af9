"""Surveys: library, public answering, idempotency, linking, evaluation, imports, trends."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest
from openpyxl import Workbook, load_workbook
from scipy import stats as sps

from peacekit.core.models import AuditEvent, Membership
from peacekit.surveys import selectors, services
from peacekit.surveys.models import Answer, Instrument, Question, Response, Wave
from tests.factories import OrganizationFactory, member
from tests.surveys.factories import make_survey, questions_by_code

DEMO_CSV = (
    Path(__file__).resolve().parents[2]
    / "src/peacekit/surveys/demo_data/chicago_police_sentiment_city_districts.csv"
)


@pytest.fixture
def survey(org_a, admin_a):
    return make_survey(org_a, admin_a)


def _waves(survey):
    return {w.kind: w for w in survey.waves.all()}


def _submit(wave, key, code, listen, respect, safety=None, **kw):
    q = questions_by_code(wave.survey)
    answers = {q["trust_listen"].pk: listen, q["trust_respect"].pk: respect}
    if safety is not None:
        answers[q["safety"].pk] = safety
    return services.response_submit(
        wave=wave, submission_key=key, answers=answers, linking_code=code, **kw
    )


# ----------------------------------------------------------------------------- library
def test_surveys_library_install_is_idempotent(db):
    created = services.surveys_library_install()
    assert created == 5
    assert services.surveys_library_install() == 0
    trust = Instrument.objects.get(key="trust-safety")
    codes = list(trust.questions.values_list("code", flat=True))
    assert codes == ["trust_listen", "trust_respect", "safety"]
    assert all(q.text_es for q in Question.objects.all())


def test_survey_create_rejects_instrument_of_another_organization(org_a, org_b, admin_a):
    own = Instrument.objects.create(organization=org_b, key="mine", kind="custom", name="B's")
    with pytest.raises(ValueError):
        services.survey_create(
            actor=admin_a, organization=org_a, title="x", target_type="event",
            target_label="y", instruments=[own],
        )  # fmt: skip


def test_survey_create_page_makes_pre_and_post_waves(client_a, org_a):
    services.surveys_library_install()
    trust = Instrument.objects.get(key="trust-safety")
    response = client_a.post(
        "/surveys/new/",
        {"title": "Town hall", "target_type": "event", "target_label": "Spring town hall",
         "instruments": [trust.pk], "waves": ["pre", "post"]},
    )  # fmt: skip
    assert response.status_code == 302
    survey = org_a.surveys.get()
    assert sorted(survey.waves.values_list("kind", flat=True)) == ["post", "pre"]
    assert client_a.get(survey.get_absolute_url()).status_code == 200


# ----------------------------------------------------------------------------- public page
def test_public_survey_shows_spanish_questions(client, survey):
    wave = _waves(survey)["pre"]
    response = client.get(f"/surveys/r/{wave.token}/?lang=es")
    body = response.content.decode()
    assert response.status_code == 200
    assert "trata la policía de su vecindario" in body
    assert "Su código privado" in body or "código" in body


def test_public_survey_retried_post_counts_once(client, survey):
    wave = _waves(survey)["pre"]
    q = questions_by_code(survey)
    data = {
        "submission_key": "k" * 32, f"q{q['trust_listen'].pk}": "7",
        f"q{q['trust_respect'].pk}": "8", "mother_letters": "ma", "birth_month": "07",
        "street_letters": "el",
    }  # fmt: skip
    first = client.post(f"/surveys/r/{wave.token}/", data)
    second = client.post(f"/surveys/r/{wave.token}/", data)
    assert first.status_code == second.status_code == 302
    assert wave.responses.count() == 1
    assert Answer.objects.filter(response__wave=wave).count() == 2


def test_public_survey_rejects_out_of_range_answer(client, survey):
    wave = _waves(survey)["pre"]
    q = questions_by_code(survey)
    response = client.post(
        f"/surveys/r/{wave.token}/",
        {"submission_key": "x" * 32, f"q{q['trust_listen'].pk}": "11"},
    )
    assert response.status_code == 200
    assert wave.responses.count() == 0


def test_public_survey_with_no_answer_at_all_is_refused_and_not_stored(client, survey):
    wave = _waves(survey)["pre"]
    empty = {"submission_key": "e" * 32, "mother_letters": "ma", "age_group": "25-34"}
    response = client.post(f"/surveys/r/{wave.token}/", empty)
    assert response.status_code == 200
    assert "Answer at least one question." in response.content.decode()
    response = client.post(f"/surveys/r/{wave.token}/?lang=es", {**empty, "lang": "es"})
    assert "Responda al menos una pregunta." in response.content.decode()
    assert wave.responses.count() == 0 and not Answer.objects.exists()
    q = questions_by_code(survey)
    one = client.post(f"/surveys/r/{wave.token}/", {**empty, f"q{q['safety'].pk}": "4"})
    assert one.status_code == 302 and wave.responses.count() == 1  # one answer is enough


def test_public_survey_closed_wave_refuses_answers(client, survey, admin_a):
    wave = _waves(survey)["pre"]
    services.wave_set_open(actor=admin_a, wave=wave, is_open=False)
    assert client.get(f"/surveys/r/{wave.token}/").status_code == 410


def test_public_survey_unknown_token_is_404(client, db):
    assert client.get("/surveys/r/nope/").status_code == 404


# ----------------------------------------------------------------------------- responses
def test_response_submit_linking_code_pairs_without_storing_code(survey):
    waves = _waves(survey)
    pre, _ = _submit(waves["pre"], "a1", "ma07el", 3, 4)
    post, _ = _submit(waves["post"], "a2", "MA 07 EL", 6, 7)
    assert pre.linking_hash and pre.linking_hash == post.linking_hash
    assert "MA07EL" not in pre.linking_hash
    other = make_survey(survey.organization, title="Other")
    elsewhere, _ = _submit(_waves(other)["pre"], "a3", "ma07el", 3, 4)
    assert elsewhere.linking_hash != pre.linking_hash  # salted per survey


def test_response_submit_open_answer_is_anonymized(org_a):
    survey = make_survey(org_a, keys=("event-feedback",))
    q = questions_by_code(survey)
    response, _ = services.response_submit(
        wave=_waves(survey)["post"],
        submission_key="open-1",
        answers={q["fb_improve"].pk: "Email me at jane.doe@example.org or call 270-555-0142."},
    )
    text = response.answers.get(question=q["fb_improve"]).text_redacted
    assert "jane.doe@example.org" not in text
    assert "270-555-0142" not in text
    event = AuditEvent.objects.filter(action="survey_response.submit").last()
    assert "example.org" not in str(event.metadata)


def test_response_submit_rejects_unknown_choice(org_a):
    survey = make_survey(org_a, keys=("knowledge-check",))
    q = questions_by_code(survey)
    with pytest.raises(services.AnswerInvalid):
        services.response_submit(
            wave=_waves(survey)["pre"], submission_key="kc", answers={q["kc_purpose"].pk: "z"}
        )
    response, _ = services.response_submit(
        wave=_waves(survey)["pre"], submission_key="kc2", answers={q["kc_purpose"].pk: "b"}
    )
    assert response.answers.get().value_number == 1.0  # correct answer scores 1


# ----------------------------------------------------------------------------- evaluation
def _paired_data(survey, n=30, seed=1, extra_pre=3):
    rng = np.random.default_rng(seed)
    waves = _waves(survey)
    pre_scores, post_scores = [], []
    for i in range(n + extra_pre):
        a, b = rng.integers(0, 8, 2)
        _submit(waves["pre"], f"pre{i}", f"c{i}", int(a), int(b))
        if i < n:
            c, d = np.clip([a + rng.integers(0, 4), b + rng.integers(-1, 4)], 0, 10)
            _submit(waves["post"], f"post{i}", f"c{i}", int(c), int(d))
            pre_scores.append((a + b) / 2)
            post_scores.append((c + d) / 2)
    return np.array(pre_scores), np.array(post_scores)


def test_survey_evaluation_matches_scipy(survey):
    pre, post = _paired_data(survey)
    evaluation = selectors.survey_evaluation(survey=survey)
    trust = evaluation.rows[0]
    assert trust.label.startswith("Trust")
    pc = trust.comparison.paired
    assert trust.comparison.n_pre == 33 and trust.comparison.n_post == 30
    assert trust.comparison.n_matched == pc.n == 30
    assert trust.comparison.attrition.rate == pytest.approx(3 / 33)
    ttest = sps.ttest_rel(post, pre)
    assert pc.mean_change == pytest.approx((post - pre).mean())
    assert pc.p_t == pytest.approx(ttest.pvalue)
    assert pc.p_wilcoxon == pytest.approx(sps.wilcoxon(post - pre, zero_method="pratt").pvalue)
    assert pc.cohens_dz.estimate == pytest.approx((post - pre).mean() / (post - pre).std(ddof=1))
    assert trust.alpha_pre is not None and trust.alpha_pre.n == 33
    assert any("people who answered both waves" in f for f in evaluation.findings)


def test_survey_evaluation_hides_measures_with_few_answers(survey):
    waves = _waves(survey)
    for i in range(3):
        _submit(waves["pre"], f"p{i}", f"c{i}", 2, 3)
        _submit(waves["post"], f"q{i}", f"c{i}", 5, 6)
    evaluation = selectors.survey_evaluation(survey=survey)
    assert evaluation.rows[0].hidden
    assert "too few answers" in evaluation.findings[0]


def test_evaluation_page_and_pdf_show_table(client_a, survey):
    _paired_data(survey, n=12, extra_pre=0)
    page = client_a.get(f"/surveys/{survey.pk}/evaluation/")
    assert page.status_code == 200
    assert "n matched" in page.content.decode()
    pdf = client_a.get(f"/surveys/{survey.pk}/evaluation/?format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_evaluation_other_organization_gets_404(client_b, survey):
    assert client_b.get(f"/surveys/{survey.pk}/evaluation/").status_code == 404


# ----------------------------------------------------------------------------- imports/exports
def test_responses_import_rejects_bad_rows_with_numbers(survey, admin_a):
    wave = _waves(survey)["pre"]
    data = (
        b"linking_code,trust_listen,trust_respect,safety\n"
        b"ab01cd,5,6,7\n"
        b"ab02cd,11,6,7\n"
        b"ab03cd,,,\n"
        b"ab04cd,x,2,3\n"
    )
    with pytest.raises(services.ImportRejected) as info:
        services.responses_import(actor=admin_a, wave=wave, data=data, filename="r.csv")
    rows = [e.row for e in info.value.errors]
    assert rows == [3, 4, 5]
    assert "0 to 10" in str(info.value.errors[0])
    assert wave.responses.count() == 0  # all or nothing


def test_responses_import_xlsx_then_again_does_not_duplicate(survey, admin_a):
    wave = _waves(survey)["pre"]
    book = Workbook()
    sheet = book.active
    sheet.append(["submission_key", "linking_code", "trust_listen", "trust_respect", "sex"])
    sheet.append(["s1", "aa01bb", 4, 5, "female"])
    sheet.append(["s2", "aa02bb", 6, 7, "male"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert (
        services.responses_import(
            actor=admin_a, wave=wave, data=buffer.getvalue(), filename="r.xlsx"
        )
        == 2
    )
    assert (
        services.responses_import(
            actor=admin_a, wave=wave, data=buffer.getvalue(), filename="r.xlsx"
        )
        == 0
    )
    assert wave.responses.count() == 2


def test_responses_import_unknown_column_rejected(survey, admin_a):
    wave = _waves(survey)["pre"]
    with pytest.raises(services.ImportRejected) as info:
        services.responses_import(
            actor=admin_a, wave=wave, data=b"name,trust_listen\nJo,5\n", filename="r.csv"
        )
    assert "unknown columns: name" in str(info.value.errors[0])


def test_responses_import_page_lists_row_errors(client_a, survey):
    wave = _waves(survey)["pre"]
    upload = io.BytesIO(b"trust_listen,trust_respect\n5,6\n5,99\n")
    upload.name = "r.csv"
    response = client_a.post(f"/surveys/waves/{wave.pk}/import/", {"file": upload})
    assert "Row 3" in response.content.decode()
    assert wave.responses.count() == 0


def test_responses_export_has_no_linking_code(client_a, survey):
    _submit(_waves(survey)["pre"], "e1", "secretcode", 4, 5)
    response = client_a.get(f"/surveys/{survey.pk}/export/")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["wave", "submission_key"]
    assert "trust_listen" in rows[0] and "linking_hash" not in rows[0]
    assert rows[1][rows[0].index("trust_listen")] == "4"
    xlsx = client_a.get(f"/surveys/{survey.pk}/export/?format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 2


# ----------------------------------------------------------------------------- margins/quotas
def test_margins_import_csv_rejects_bad_shares(survey, admin_a):
    data = b"variable,level,share\nsex,female,0.6\nsex,male,0.6\nshoe,big,0.1\n"
    with pytest.raises(services.ImportRejected) as info:
        services.margins_import_csv(actor=admin_a, survey=survey, data=data)
    messages = [str(e) for e in info.value.errors]
    assert any("Row 4" in m and "unknown variable" in m for m in messages)
    assert any("add up to 1.20" in m for m in messages)
    assert survey.margins.count() == 0


def test_quota_status_suppresses_small_groups(survey, admin_a):
    services.margins_import_csv(
        actor=admin_a, survey=survey, data=b"variable,level,share\nsex,female,52\nsex,male,48\n"
    )
    wave = _waves(survey)["pre"]
    for i in range(8):
        _submit(wave, f"m{i}", f"c{i}", 5, 5, demographics={"sex": "female" if i < 6 else "male"})
    quotas = selectors.quota_status(survey=survey)
    rows = {r["level"]: r for r in quotas[0]["rows"]}
    assert rows["male"]["count"] == "—"  # 2 people: hidden
    assert rows["female"]["count"] == "—"  # complementary: would reveal male = 8 - 6


def test_margins_page_shows_quotas(client_a, survey, admin_a):
    services.margins_replace(
        actor=admin_a, survey=survey, rows=[("sex", "female", 0.5, 10), ("sex", "male", 0.5, 10)]
    )
    response = client_a.get(f"/surveys/{survey.pk}/margins/")
    assert response.status_code == 200
    assert "Representativeness" in response.content.decode()


# ----------------------------------------------------------------------------- trends
def test_trend_import_csv_drops_exact_duplicates(org_a, admin_a):
    dataset = services.trend_import_csv(
        actor=admin_a, organization=org_a, name="Chicago", data=DEMO_CSV.read_bytes()
    )
    assert dataset.rows_read == 1623
    assert dataset.duplicates_dropped == 70
    areas = selectors.trend_areas(dataset=dataset)
    assert areas[0] == "City" and len(areas) == 23
    series = selectors.trend_series(dataset=dataset, areas=["City"], measure="trust")
    assert len(series["City"]) >= 12
    assert all(0 <= v <= 100 for _m, v in series["City"] if v is not None)


def test_trend_import_csv_bad_row_imports_nothing(org_a, admin_a):
    data = (
        b"DISTRICT,START_DATE,END_DATE,SAFETY,TRUST\n"
        b"1,01/01/2020,01/31/2020,50,60\n"
        b"2,2020-13-01,01/31/2020,50,60\n"
        b"3,01/01/2020,01/31/2020,150,60\n"
    )
    with pytest.raises(services.ImportRejected) as info:
        services.trend_import_csv(actor=admin_a, organization=org_a, name="x", data=data)
    assert [e.row for e in info.value.errors] == [3, 4]
    assert not org_a.survey_trend_datasets.exists()


def test_trend_detail_page_draws_charts(client_a, org_a, admin_a):
    dataset = services.trend_import_csv(
        actor=admin_a, organization=org_a, name="Chicago", data=DEMO_CSV.read_bytes()
    )
    response = client_a.get(f"/surveys/trends/{dataset.pk}/?area=City&area=District+4")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('role="img"') >= 2 and "District 4" in body


# ----------------------------------------------------------------------------- pages
def test_survey_list_query_count_is_bounded(
    client_a, org_a, admin_a, django_assert_max_num_queries
):
    for i in range(6):
        make_survey(org_a, admin_a, title=f"Survey {i}")
    with django_assert_max_num_queries(12):
        response = client_a.get("/surveys/")
    assert response.status_code == 200
    assert response.content.decode().count("Survey ") >= 6


def test_paper_entry_viewer_is_forbidden(client, org_a, survey):
    viewer = member(org_a, Membership.Role.VIEWER)
    client.force_login(viewer)
    wave = _waves(survey)["pre"]
    assert client.get(f"/surveys/waves/{wave.pk}/paper/").status_code == 403
    assert client.get(f"/surveys/{survey.pk}/evaluation/").status_code == 200


def test_paper_entry_saves_response_as_paper(client_a, survey):
    wave = _waves(survey)["pre"]
    q = questions_by_code(survey)
    response = client_a.post(
        f"/surveys/waves/{wave.pk}/paper/",
        {"submission_key": "paper-1", f"q{q['safety'].pk}": "3"},
    )
    assert response.status_code == 302
    assert Response.objects.get().source == Response.Source.PAPER


def test_wave_qr_is_svg(client_a, survey):
    wave = survey.waves.first()
    response = client_a.get(f"/surveys/waves/{wave.pk}/qr.svg")
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content


def test_demo_load_creates_paired_synthetic_survey(db):
    from peacekit.core import demo as core_demo
    from peacekit.surveys import demo

    context = core_demo.DemoContext()
    core_demo.load(context)
    demo.load(context)
    survey = context.organizations["metro_pd"].surveys.get()
    assert survey.is_synthetic and "SYNTHETIC" in survey.title
    evaluation = selectors.survey_evaluation(survey=survey)
    assert 110 <= evaluation.rows[0].comparison.n_matched <= 130
    assert OrganizationFactory._meta.model.objects.count() >= 5
    assert Wave.objects.filter(survey=survey).count() == 2


def test_survey_questions_feedback_only_after_the_session(client, org_a):
    survey = make_survey(org_a, keys=("trust-safety", "event-feedback"), retrospective=True)
    waves = _waves(survey)
    pre_page = client.get(f"/surveys/r/{waves['pre'].token}/").content.decode()
    post_page = client.get(f"/surveys/r/{waves['post'].token}/").content.decode()
    assert "worth my time" not in pre_page and "worth my time" in post_page
    assert "Thinking back to before: How safe" in post_page
    assert "Thinking back to before: Today" not in post_page
    q = questions_by_code(survey)
    for i in range(6):
        _submit(waves["pre"], f"p{i}", f"c{i}", 3, 4)
        services.response_submit(
            wave=waves["post"], submission_key=f"q{i}", linking_code=f"c{i}",
            answers={q["trust_listen"].pk: 6, q["trust_respect"].pk: 6 + i % 2,
                     q["fb_useful"].pk: 4, q["fb_heard"].pk: 5},
            retrospective_answers={q["trust_listen"].pk: 3, q["trust_respect"].pk: 4},
        )  # fmt: skip
    evaluation = selectors.survey_evaluation(survey=survey)
    reaction = next(r for r in evaluation.rows if r.label.startswith("Reaction"))
    assert reaction.post_only and reaction.comparison.n_post == 6
    trust = evaluation.rows[0]
    assert trust.retrospective is not None and trust.retrospective.n == 6
    assert trust.retrospective.mean_change == pytest.approx(6.25 - 3.5)


def test_margins_page_accepts_typed_margins(client_a, survey):
    response = client_a.post(
        f"/surveys/{survey.pk}/margins/", {"text": "sex,female,0.52\nsex,male,0.48,40"}
    )
    assert response.status_code == 302
    assert survey.margins.get(level="male").quota == 40
    bad = client_a.post(f"/surveys/{survey.pk}/margins/", {"text": "sex,female,0.9"})
    assert "add up to 0.90" in bad.content.decode()
    assert survey.margins.count() == 2  # nothing replaced


def test_api_survey_evaluation_scoped_to_organization(client_a, client, survey, admin_b):
    _paired_data(survey, n=10, extra_pre=0)
    listed = client_a.get("/api/surveys/").json()
    assert [s["id"] for s in listed] == [survey.pk]
    rows = client_a.get(f"/api/surveys/{survey.pk}/evaluation").json()
    assert rows[0]["n_matched"] == 10 and rows[0]["hidden"] is False
    client.force_login(admin_b)
    assert client.get(f"/api/surveys/{survey.pk}/evaluation").status_code == 404
    assert client.get("/api/surveys/").json() == []


def test_survey_evaluation_follow_up_compares_pre_with_follow_up(client_a, org_a):
    survey = make_survey(org_a, wave_kinds=("pre", "post", "follow_up"))
    waves = _waves(survey)
    for i in range(6):
        _submit(waves["pre"], f"p{i}", f"c{i}", 3, 4)
        _submit(waves["follow_up"], f"f{i}", f"c{i}", 5, 4 + i % 2)
    follow = selectors.survey_evaluation(survey=survey, compare_to="follow_up")
    assert follow.rows[0].comparison.n_matched == 6
    assert follow.rows[0].comparison.paired.mean_change == pytest.approx(4.75 - 3.5)
    page = client_a.get(f"/surveys/{survey.pk}/evaluation/").content.decode()
    assert "Before and at follow-up" in page
