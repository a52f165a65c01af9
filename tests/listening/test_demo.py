"""The demo loader builds the Metro City PD initiative from the Polis data, via the imports."""

from peacekit.core import demo as core_demo
from peacekit.listening import demo
from peacekit.listening.models import ImportBatch, Initiative, Statement, Vote


def test_demo_load_imports_polis_statements_and_votes(db):
    context = core_demo.DemoContext()
    core_demo.load(context)
    demo.load(context)
    initiative = Initiative.objects.get()
    assert initiative.organization == context.organizations["metro_pd"]
    assert "CC BY 4.0" in initiative.demo_note
    assert initiative.statements.count() == 300
    assert initiative.statements.filter(status=Statement.Status.PENDING).count() == demo.PENDING
    assert Vote.objects.count() > 5000
    assert set(ImportBatch.objects.values_list("status", flat=True)) == {"done"}
    assert initiative.sessions.filter(status="closed").count() == 8


def test_demo_load_runs_the_analysis_with_common_ground_and_recommendations(db):
    from peacekit.listening.models import Recommendation, StatementFinding

    context = core_demo.DemoContext()
    core_demo.load(context)
    demo.load(context)
    initiative = Initiative.objects.get()
    run = initiative.analysis_runs.get()
    assert initiative.themes.count() >= 3
    assert initiative.themes.filter(edited=True).exists()
    assert run.summary["roles_known"] is True
    assert run.groups.count() >= 2
    assert run.findings.filter(kind=StatementFinding.Kind.CONSENSUS).exists()
    assert Recommendation.objects.filter(initiative=initiative).count() == 4
