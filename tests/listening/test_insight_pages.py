"""Insight pages: insights, theme editing, factors, recommendations, public accountability,
and the optional language-model assist against a local fake server."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.urls import reverse

from peacekit.core.models import Membership
from peacekit.listening import insight
from peacekit.listening.models import Recommendation, Statement, StatementTheme
from tests.factories import member
from tests.listening import factories, insight_fixtures


@pytest.fixture
def initiative(org_a, admin_a):
    init = factories.initiative(org_a, admin_a)
    insight_fixtures.build(init)
    insight.analysis_run(initiative=init, backend="tfidf")
    return init


def test_insights_page_shows_themes_stance_map_and_common_ground(
    client_a, initiative, django_assert_max_num_queries
):
    with django_assert_max_num_queries(40):
        response = client_a.get(reverse("listening:insights", args=[initiative.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    theme = initiative.themes.first()
    assert theme.label in html
    assert "Stance toward police" in html
    assert "Participant map" in html
    assert "What residents and officers both agree on" in html
    assert "Not available" not in html


def test_insights_page_before_any_run_offers_the_analysis(client_a, org_a, admin_a):
    init = factories.initiative(org_a, admin_a)
    response = client_a.get(reverse("listening:insights", args=[init.pk]))
    assert "No analysis yet" in response.content.decode()


def test_analyze_view_by_viewer_is_forbidden(client, org_a, initiative):
    viewer = member(org_a, Membership.Role.VIEWER)
    client.force_login(viewer)
    response = client.post(reverse("listening:analyze", args=[initiative.pk]), {"seed": 0})
    assert response.status_code == 403


def test_analyze_view_queues_job_and_page_shows_progress(client_a, initiative, monkeypatch):
    from tests.conftest import run_queued_jobs

    monkeypatch.setenv("PEACEKIT_EMBEDDER", "tfidf")
    response = client_a.post(reverse("listening:analyze", args=[initiative.pk]), {"seed": 0})
    assert response.status_code == 302
    page = client_a.get(reverse("listening:insights", args=[initiative.pk])).content.decode()
    assert "job-progress" in page
    run_queued_jobs()
    assert initiative.analysis_runs.count() == 2


def test_theme_detail_rename_keeps_label_after_rerun(client_a, initiative):
    theme = initiative.themes.first()
    response = client_a.post(
        reverse("listening:theme_detail", args=[theme.pk]),
        {"label": "Slow response to calls", "description": "People wait too long."},
    )
    assert response.status_code == 302
    insight.analysis_run(initiative=initiative, backend="tfidf")
    theme.refresh_from_db()
    assert theme.label == "Slow response to calls"


def test_statement_move_view_pins_statement(client_a, initiative):
    themes = list(initiative.themes.all())
    statement = Statement.objects.filter(theme_link__theme=themes[0]).first()
    response = client_a.post(
        reverse("listening:statement_move", args=[statement.pk]),
        {"statement": statement.pk, "theme": themes[1].pk},
    )
    assert response.status_code == 302
    link = StatementTheme.objects.get(statement=statement)
    assert link.theme_id == themes[1].pk and link.pinned


def test_theme_merge_view_without_choice_shows_error(client_a, initiative):
    theme = initiative.themes.first()
    response = client_a.post(reverse("listening:theme_merge", args=[theme.pk]), {}, follow=True)
    assert "Choose at least one other theme" in response.content.decode()


def test_factors_page_lists_domains(client_a, initiative):
    response = client_a.get(reverse("listening:factors", args=[initiative.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Community" in html and "School" in html


def test_recommendation_create_with_evidence_then_public_page_in_spanish(
    client_a, client, initiative
):
    theme = initiative.themes.first()
    evidence = Statement.objects.filter(initiative=initiative).first()
    response = client_a.post(
        reverse("listening:recommendations", args=[initiative.pk]),
        {"title": "Restore foot patrols downtown", "body": "Two officers on foot, evenings.",
         "owner_label": "Patrol division", "status": "accepted", "themes": [theme.pk],
         "evidence_ids": f"#{evidence.pk}", "public": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    rec = Recommendation.objects.get()
    assert list(rec.evidence.all()) == [evidence]
    response = client_a.post(
        reverse("listening:recommendation_detail", args=[rec.pk]),
        {"action": "note", "status": "in_progress", "body": "First patrol walked on Monday."},
    )
    rec.refresh_from_db()
    assert rec.status == "in_progress"
    client.logout()
    url = reverse("listening:public_accountability", args=[initiative.public_token])
    page = client.get(url + "?lang=es").content.decode()
    assert "Restore foot patrols downtown" in page
    assert "En curso" in page or "in progress" in page.lower()
    assert "First patrol walked on Monday." in page


def test_recommendation_bad_evidence_number_is_refused(client_a, initiative):
    response = client_a.post(
        reverse("listening:recommendations", args=[initiative.pk]),
        {"title": "X", "status": "proposed", "evidence_ids": "abc"},
    )
    assert response.status_code == 200
    assert "statement numbers" in response.content.decode()
    assert not Recommendation.objects.exists()


def test_recommendation_private_is_not_on_public_page(client, initiative, admin_a):
    insight.recommendation_save(actor=admin_a, initiative=initiative, title="Internal only",
                                public=False)  # fmt: skip
    page = client.get(
        reverse("listening:public_accountability", args=[initiative.public_token])
    ).content.decode()
    assert "Internal only" not in page


class _FakeLLM(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _FakeLLM.received.append(body)
        payload = {"choices": [{"message": {"content": "“Foot patrols and knowing neighbors”"}}]}
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def test_theme_suggest_label_uses_redacted_text_from_fake_server(client_a, initiative, monkeypatch):
    server = HTTPServer(("127.0.0.1", 0), _FakeLLM)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("PEACEKIT_LLM_URL", f"http://127.0.0.1:{server.server_port}")
        theme = initiative.themes.first()
        raw = factories.statement(initiative)  # pending, raw text never leaves
        response = client_a.post(reverse("listening:theme_suggest", args=[theme.pk]))
        assert response.status_code == 302
    finally:
        server.shutdown()
    theme.refresh_from_db()
    assert theme.suggested_label == "Foot patrols and knowing neighbors"
    sent = json.dumps(_FakeLLM.received[-1])
    assert "Quigley" not in sent and raw.redacted_text not in sent
    assert _FakeLLM.received[-1]["messages"][0]["role"] == "user"


def test_theme_suggest_label_without_llm_is_refused(client_a, initiative, monkeypatch):
    monkeypatch.delenv("PEACEKIT_LLM_URL", raising=False)
    theme = initiative.themes.first()
    response = client_a.post(reverse("listening:theme_suggest", args=[theme.pk]), follow=True)
    assert "no suggestion" in response.content.decode()


def test_insights_other_org_is_not_found(client_b, initiative):
    assert client_b.get(reverse("listening:insights", args=[initiative.pk])).status_code == 404
