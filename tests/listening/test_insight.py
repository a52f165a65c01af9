"""Community insight: the analysis job, theme edits that survive re-runs, stance, groups."""

import pytest
from django.core.exceptions import ValidationError

from peacekit.core.models import AuditEvent, JobRun
from peacekit.listening import insight
from peacekit.listening.models import (
    AnalysisRun,
    Statement,
    StatementFinding,
    StatementGroupStat,
    StatementSentiment,
    StatementTheme,
)
from tests.conftest import run_queued_jobs
from tests.listening import factories, insight_fixtures


@pytest.fixture
def initiative(org_a, admin_a):
    return factories.initiative(org_a, admin_a)


@pytest.fixture
def built(initiative):
    return insight_fixtures.build(initiative)


def _run(initiative, **kw):
    kw.setdefault("backend", "tfidf")
    return insight.analysis_run(initiative=initiative, **kw)


def test_analysis_run_gives_every_statement_a_theme_stance_and_groups(initiative, built):
    run = _run(initiative)
    assert run.status == AnalysisRun.Status.DONE
    assert run.embedder == "tfidf-svd"
    n = len(built)
    assert StatementTheme.objects.filter(statement__initiative=initiative).count() == n
    assert StatementSentiment.objects.filter(statement__initiative=initiative).count() == n
    themes = list(initiative.themes.all())
    assert len(themes) >= 2
    assert sum(t.count for t in themes) == n
    assert all(t.label and t.representative_ids for t in themes)
    assert run.groups.count() >= 2
    assert StatementGroupStat.objects.filter(run=run, representative=True).exists()
    # "Foot patrol" is agreed by everyone: it is consensus, and residents and officers agree.
    consensus = run.findings.filter(kind=StatementFinding.Kind.CONSENSUS, direction="agree")
    assert any("patrol" in f.statement.redacted_text for f in consensus)
    assert run.summary["roles_known"] is True
    assert run.findings.filter(kind=StatementFinding.Kind.COMMON_GROUND).exists()
    assert run.findings.filter(kind=StatementFinding.Kind.DIVISIVE).exists()
    assert set(run.timings) >= {"embeddings", "themes", "sentiment", "opinions"}
    assert AuditEvent.objects.filter(action="analysis.run").exists()


def test_analysis_run_same_seed_gives_same_themes_and_groups(initiative, built):
    first = _run(initiative, seed=3)
    labels1 = dict(StatementTheme.objects.values_list("statement_id", "theme__label"))
    sizes1 = list(first.groups.values_list("size", flat=True))
    second = _run(initiative, seed=3, rediscover=True)
    labels2 = dict(StatementTheme.objects.values_list("statement_id", "theme__label"))
    assert labels1 == labels2
    assert sizes1 == list(second.groups.values_list("size", flat=True))
    assert second.version == first.version + 1


def test_analysis_run_keeps_edited_themes_and_assigns_new_statements(initiative, built, admin_a):
    _run(initiative)
    theme = initiative.themes.first()
    insight.theme_update(actor=admin_a, theme=theme, label="Walking the beat")
    moved = Statement.objects.filter(initiative=initiative).exclude(theme_link__theme=theme).first()
    insight.statement_move(actor=admin_a, statement=moved, theme=theme)
    new = Statement.objects.create(
        initiative=initiative, redacted_text="Please bring back foot patrol officers downtown",
        status=Statement.Status.PUBLISHED, source="facilitator", submission_key="new-1",
    )  # fmt: skip
    run = _run(initiative)
    theme.refresh_from_db()
    assert theme.label == "Walking the beat" and theme.edited
    assert StatementTheme.objects.get(statement=moved).theme_id == theme.pk
    assert StatementTheme.objects.filter(statement=new).exists()
    assert run.summary["assigned_new"] == 1
    assert run.summary["rediscovered"] is False


def test_theme_merge_and_split_change_counts(initiative, built, admin_a):
    _run(initiative)
    themes = list(initiative.themes.all())
    total = sum(t.count for t in themes)
    target = insight.theme_merge(actor=admin_a, target=themes[0], others=themes[1:])
    assert initiative.themes.count() == 1
    target.refresh_from_db()
    assert target.count == total
    parts = insight.theme_split(actor=admin_a, theme=target, parts=2)
    assert len(parts) == 2
    assert sum(t.count for t in initiative.themes.all()) == total


def test_theme_merge_without_others_is_refused(initiative, built, admin_a):
    _run(initiative)
    theme = initiative.themes.first()
    with pytest.raises(ValidationError):
        insight.theme_merge(actor=admin_a, target=theme, others=[theme])


def test_theme_update_blank_label_is_refused(initiative, built, admin_a):
    _run(initiative)
    with pytest.raises(ValidationError):
        insight.theme_update(actor=admin_a, theme=initiative.themes.first(), label="  ")


def test_analysis_run_without_roles_says_common_ground_unavailable(initiative, built):
    from peacekit.listening.models import Vote

    Vote.objects.update(participant_role="")
    run = _run(initiative)
    assert run.summary["roles_known"] is False
    assert not run.findings.filter(kind=StatementFinding.Kind.COMMON_GROUND).exists()


def test_analysis_enqueue_job_runs_and_resumes_same_run(initiative, built, admin_a, monkeypatch):
    monkeypatch.setenv("PEACEKIT_EMBEDDER", "tfidf")
    job = insight.analysis_enqueue(actor=admin_a, initiative=initiative)
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == JobRun.Status.SUCCEEDED, job.error_summary
    run = AnalysisRun.objects.get(pk=job.result["run_id"])
    # A crashed job re-queued by a worker continues the same run (no new version).
    JobRun.objects.filter(pk=job.pk).update(status=JobRun.Status.QUEUED)
    run_queued_jobs()
    assert AnalysisRun.objects.filter(initiative=initiative).count() == 1
    assert run.groups.count() >= 2


def test_analysis_enqueue_without_published_statements_is_refused(initiative, admin_a):
    with pytest.raises(ValidationError):
        insight.analysis_enqueue(actor=admin_a, initiative=initiative)


def test_analysis_run_stores_transformer_embeddings_once(initiative, built, monkeypatch):
    import numpy as np

    from peacekit.analysis import embeddings

    calls = []

    class FakeModel:
        def encode(self, texts, **kw):
            calls.append(len(texts))
            rng = np.random.default_rng(len(texts))
            return rng.normal(size=(len(texts), embeddings.MODEL_DIMENSIONS)).astype("float32")

    monkeypatch.setattr(embeddings, "load_sentence_model", lambda: FakeModel())
    _run(initiative, backend="minilm")
    assert calls[0] == len(built)
    run = _run(initiative, backend="minilm")
    assert run.summary["embedded_now"] == 0
    assert Statement.objects.filter(initiative=initiative, embedding__isnull=False).count() == len(
        built
    )


@pytest.mark.skipif(
    not __import__("os").environ.get("PEACEKIT_TEST_MINILM"),
    reason="loading all-MiniLM-L6-v2 takes ~30 s here; set PEACEKIT_TEST_MINILM=1",
)
def test_analysis_run_with_packaged_minilm_groups_topics(initiative, built):
    run = _run(initiative, backend="minilm")
    assert run.embedder == "all-MiniLM-L6-v2"
    by_topic = {}
    for s in built:
        topic = s.submission_key.split("-")[0]
        by_topic.setdefault(topic, set()).add(StatementTheme.objects.get(statement=s).theme_id)
    assert len(initiative.themes.all()) >= 2
    assert sum(len(v) for v in by_topic.values()) <= 2 * len(by_topic)
