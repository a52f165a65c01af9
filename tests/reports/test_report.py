"""The Peace Initiative report: one template to web page and PDF, versions, comparison,
signed expiring share links, audited downloads, open data with suppression."""

import io
import json
import shutil
import subprocess
import zipfile
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from peacekit.core.models import AuditEvent, JobRun
from peacekit.listening import insight
from peacekit.listening.models import Vote
from peacekit.reports import services
from peacekit.reports.models import ReportRun
from tests.conftest import run_queued_jobs
from tests.listening import factories, insight_fixtures


@pytest.fixture
def initiative(org_a, admin_a):
    init = factories.initiative(org_a, admin_a)
    insight_fixtures.build(init)
    insight.analysis_run(initiative=init, backend="tfidf")
    insight.recommendation_save(
        actor=admin_a, initiative=init, title="Restore foot patrols", status="accepted",
        themes=list(init.themes.all()[:1]),
    )  # fmt: skip
    return init


@pytest.fixture
def report(initiative, admin_a):
    return services.report_generate(initiative=initiative, actor=admin_a)


def test_report_generate_stores_html_and_pdf_with_every_section(report, initiative):
    assert report.status == ReportRun.Status.DONE
    assert report.version == 1
    assert report.analysis_version == initiative.analysis_runs.first().version
    assert bytes(report.pdf).startswith(b"%PDF")
    html = report.html
    for heading in ("Executive summary", "How we listened", "What we heard",
                    "Common ground and divisions", "By neighborhood and precinct",
                    "Risk and protective factors", "Recommendations and their status",
                    "Data notes and limits", "Appendix"):  # fmt: skip
        assert heading in html, heading
    assert "not a representative sample" in html
    assert "Restore foot patrols" in html
    assert 'role="img"' in html  # charts are accessible SVG
    assert report.summary["statements"] == 18
    assert report.pdf_pages >= 4


def test_report_pdf_pages_have_charts_and_no_overflow(report, tmp_path):
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm is not installed")
    from PIL import Image

    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(bytes(report.pdf))
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) >= 4
    blue_pages = 0
    for page in pages:
        image = Image.open(page).convert("RGB")
        width, height = image.size
        margin = int(40 * 14 / 25.4)  # 14 mm of the 16 mm side margins, at 40 dpi
        pixels = image.load()
        for x in list(range(margin)) + list(range(width - margin, width)):
            for y in range(height):
                r, g, b = pixels[x, y]
                assert min(r, g, b) > 235, f"{page.name}: ink at x={x}, y={y} outside the margins"
        colors = image.getcolors(maxcolors=100_000) or []
        if any(abs(r - 0) < 30 and abs(g - 94) < 30 and abs(b - 162) < 30 and n > 30
               for n, (r, g, b) in colors):  # fmt: skip
            blue_pages += 1
    assert blue_pages >= 1  # the theme chart's bars are drawn


def test_report_job_runs_with_progress_and_compares_versions(client_a, initiative, admin_a):
    response = client_a.post(reverse("reports:generate", args=[initiative.pk]), {"community": ""})
    assert response.status_code == 302
    page = client_a.get(reverse("reports:initiative_reports", args=[initiative.pk]))
    assert "job-progress" in page.content.decode()
    run_queued_jobs()
    job = JobRun.objects.get(kind="reports.generate")
    assert job.status == JobRun.Status.SUCCEEDED, job.error_summary
    first = ReportRun.objects.get()
    insight.recommendation_save(actor=admin_a, initiative=initiative, title="Youth center")
    second = services.report_generate(initiative=initiative, actor=admin_a)
    response = client_a.get(reverse("reports:run_detail", args=[second.pk]) + f"?with={first.pk}")
    html = response.content.decode()
    assert "Version 1 compared with version 2" in html
    diff = services.report_compare(first, second)
    assert sum(r["b"] for r in diff["recommendations"]) == 2


def test_report_for_one_micro_community_only_has_its_statements(initiative, admin_a):
    east = initiative.micro_communities.get(name="Eastside")
    run = services.report_generate(initiative=initiative, community=east, actor=admin_a)
    assert run.summary["statements"] == 9
    assert "Eastside" in run.html


def test_share_link_works_without_account_then_expires(client, report, admin_a):
    share, token = services.share_create(actor=admin_a, run=report, days=7)
    url = reverse("reports:shared", args=[token])
    assert client.get(url).status_code == 200
    response = client.get(url + "?format=pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="report.download", metadata__share=share.pk).exists()
    share.expires_at = timezone.now() - timedelta(seconds=1)
    share.save()
    assert client.get(url).status_code == 410


def test_share_link_signature_older_than_limit_is_refused(client, report, admin_a, monkeypatch):
    _share, token = services.share_create(actor=admin_a, run=report, days=1)
    later = timezone.now() + timedelta(days=services.MAX_SHARE_DAYS + 1)
    monkeypatch.setattr(signing.time, "time", lambda: later.timestamp())
    assert client.get(reverse("reports:shared", args=[token])).status_code == 410


def test_share_link_tampered_or_revoked_is_refused(client, report, admin_a):
    share, token = services.share_create(actor=admin_a, run=report, days=7)
    assert client.get(reverse("reports:shared", args=[token + "x"])).status_code == 410
    services.share_revoke(actor=admin_a, share=share)
    assert client.get(reverse("reports:shared", args=[token])).status_code == 410


def test_share_create_too_many_days_is_refused(report, admin_a):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.share_create(actor=admin_a, run=report, days=365)


def test_run_pdf_download_is_audited(client_a, report):
    response = client_a.get(reverse("reports:run_pdf", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(action="report.download", metadata__format="pdf").exists()


def test_report_pages_of_other_org_are_not_found(client_b, report):
    assert client_b.get(reverse("reports:run_detail", args=[report.pk])).status_code == 404
    assert client_b.get(reverse("reports:run_pdf", args=[report.pk])).status_code == 404


def test_initiative_reports_list_query_bound(client_a, initiative, report, admin_a,
                                             django_assert_max_num_queries):  # fmt: skip
    services.report_generate(initiative=initiative, actor=admin_a)
    with django_assert_max_num_queries(25):
        response = client_a.get(reverse("reports:initiative_reports", args=[initiative.pk]))
    assert response.status_code == 200


def test_preview_renders_report_in_the_site(client_a, initiative):
    response = client_a.get(reverse("reports:preview", args=[initiative.pk]))
    assert response.status_code == 200
    assert "Executive summary" in response.content.decode()


def test_open_data_export_has_files_dictionary_and_suppressed_counts(client_a, initiative):
    response = client_a.get(reverse("reports:open_data", args=[initiative.pk]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    for name in ("statements", "vote_aggregates", "themes", "coverage"):
        assert f"{name}.csv" in names and f"{name}.json" in names
    assert "data_dictionary.csv" in names
    votes = json.loads(archive.read("vote_aggregates.json"))
    for row in votes:
        for key in ("agree", "disagree", "pass", "total"):
            value = row[key]
            assert value == "—" or int(value) == 0 or int(value) >= 5
    statements = json.loads(archive.read("statements.json"))
    assert len(statements) == 18 and all(s["theme"] for s in statements)
    assert AuditEvent.objects.filter(action="report.open_data").exists()


def test_open_data_vote_counts_never_reveal_small_cells(initiative, admin_a):
    """A statement with 2 disagree votes: the 2 and whatever would reveal it are hidden."""
    statement = initiative.statements.first()
    statement.votes.all().delete()
    Vote.objects.bulk_create(
        [Vote(statement=statement, participant_hash=f"a{i}", value=1) for i in range(9)]
        + [Vote(statement=statement, participant_hash=f"d{i}", value=-1) for i in range(2)]
        + [Vote(statement=statement, participant_hash=f"p{i}", value=0) for i in range(6)]
    )
    data = services.open_data_export(actor=admin_a, initiative=initiative)
    archive = zipfile.ZipFile(io.BytesIO(data))
    row = next(r for r in json.loads(archive.read("vote_aggregates.json"))
               if r["statement_id"] == statement.pk)  # fmt: skip
    assert row["disagree"] == "—"
    hidden = [k for k in ("agree", "disagree", "pass") if row[k] == "—"]
    # With the total shown, a second cell is hidden so the total cannot give the 2 back.
    assert row["total"] == "—" or len(hidden) >= 2


def test_open_data_by_viewer_is_forbidden(client, org_a, initiative):
    from peacekit.core.models import Membership
    from tests.factories import member

    client.force_login(member(org_a, Membership.Role.VIEWER))
    assert client.get(reverse("reports:open_data", args=[initiative.pk])).status_code == 403


def test_report_pdf_appendix_is_capped_but_web_page_lists_all(initiative, admin_a, monkeypatch):
    monkeypatch.setattr(services, "PDF_APPENDIX_MAX", 5)
    run = services.report_generate(initiative=initiative, actor=admin_a)
    assert run.html.count('class="pk-muted">#') >= 18
    assert "lists the first 5 of 18 statements" not in run.html
    context = services.pdf_context({"appendix": list(range(18))})
    assert context["appendix_capped"] and len(context["appendix"]) == 5


def test_shared_page_in_spanish(client, report, admin_a):
    _share, token = services.share_create(actor=admin_a, run=report, days=3)
    page = client.get(reverse("reports:shared", args=[token]) + "?lang=es").content.decode()
    assert "Descargar el PDF" in page
