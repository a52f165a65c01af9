"""Every candidate's PDF made ahead of time by the cycle's PDF job, and served on download."""

from django.urls import reverse

from peacekit.core.models import AuditEvent, JobRun
from peacekit.evaluations import pdfs, services
from peacekit.evaluations.models import Cycle, RatingResponse, Report, ReportPdf
from tests.conftest import run_queued_jobs
from tests.evaluations.helpers import build_cycle, pdf_text


def _closed_cycle(org, admin, *, candidates=2, counts=None):
    """Close through the service and run the queued jobs: reports, then PDFs."""
    cycle, _ = build_cycle(org, admin, candidates=candidates, counts=counts)
    services.cycle_close(actor=admin, cycle=cycle)
    run_queued_jobs()
    cycle.refresh_from_db()
    return cycle


def test_closing_a_cycle_makes_a_pdf_for_every_candidate_with_progress_to_100(admin_a, org_a):
    cycle = _closed_cycle(org_a, admin_a)
    job = JobRun.objects.get(kind="evaluations.prepare_pdfs", parameters__cycle_id=cycle.pk)
    assert job.status == JobRun.Status.SUCCEEDED and job.progress == 100
    assert job.result["made"] == 2
    stored = ReportPdf.objects.filter(report__cycle=cycle).select_related("report__candidate")
    assert stored.count() == 2
    for item in stored:
        pdf = bytes(item.pdf)
        assert pdf.startswith(b"%PDF")
        assert f"360 report: {item.report.candidate.name}" in pdf_text(pdf)


def test_pdf_job_in_a_worker_pool_makes_the_same_pdfs(admin_a, org_a, settings):
    cycle, _ = build_cycle(org_a, admin_a, candidates=3)
    Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.CLOSED)
    cycle.refresh_from_db()
    services.reports_generate(cycle=cycle)
    seen = []
    outcome = pdfs.cycle_pdfs_prepare(
        cycle=cycle, workers=2, progress=lambda pct, msg: seen.append(pct)
    )
    assert outcome == {"pdfs": 3, "made": 3, "already_current": 0}
    assert seen[-1] == 100
    names = {r.pk: r.candidate.name for r in Report.objects.filter(cycle=cycle)}
    for item in ReportPdf.objects.filter(report__cycle=cycle):
        assert f"360 report: {names[item.report_id]}" in pdf_text(bytes(item.pdf))
    # Run again: every stored PDF is current, nothing is made twice.
    again = pdfs.cycle_pdfs_prepare(cycle=cycle, workers=2)
    assert again == {"pdfs": 3, "made": 0, "already_current": 3}


def test_suppressed_group_stays_omitted_in_the_stored_pdf(admin_a, org_a):
    counts = {"supervisor": 1, "peer": 2, "direct_report": 3, "community": 3}
    cycle = _closed_cycle(org_a, admin_a, candidates=1, counts=counts)
    text = pdf_text(bytes(ReportPdf.objects.get(report__cycle=cycle).pdf))
    assert "Peers" in text and "fewer than 3 responses — not shown" in text
    assert "2 responses" not in text
    # The scores table lists shown groups only: no "Peers" column in the PDF.
    table = text.split("Scores by competency and rater group", 1)[1]
    assert "Peers" not in table.split("Hidden strengths", 1)[0]


def test_download_serves_the_stored_pdf_and_is_audited(client_a, admin_a, org_a):
    cycle = _closed_cycle(org_a, admin_a, candidates=1)
    report = Report.objects.get(cycle=cycle)
    stored = ReportPdf.objects.get(report=report)
    marker = b"%PDF-1.7\n% stored by the cycle's PDF job\n"
    ReportPdf.objects.filter(pk=stored.pk).update(pdf=marker)
    response = client_a.get(reverse("evaluations:report_pdf", args=[report.pk]))
    assert response.status_code == 200 and response.content == marker
    assert response["Content-Type"] == "application/pdf"
    opened = AuditEvent.objects.filter(action="evaluation_report.open")
    assert list(opened.values_list("metadata__format", flat=True)) == ["pdf"]


def test_changed_report_data_gets_a_new_pdf_not_the_stale_one(client_a, admin_a, org_a):
    cycle = _closed_cycle(org_a, admin_a, candidates=1)
    report = Report.objects.get(cycle=cycle)
    ReportPdf.objects.filter(report=report).update(pdf=b"%PDF-stale")
    one_peer = RatingResponse.objects.filter(group="peer").first()
    RatingResponse.objects.filter(pk=one_peer.pk).delete()  # 2 peers left: peers now omitted
    services.reports_enqueue(actor=admin_a, cycle=cycle)  # "Generate reports again"
    run_queued_jobs()  # reports, then the PDF job: the changed report's PDF is made again
    stored = ReportPdf.objects.get(report=report)
    assert bytes(stored.pdf) != b"%PDF-stale" and bytes(stored.pdf).startswith(b"%PDF")
    text = pdf_text(bytes(stored.pdf))
    assert "Peers" in text and "fewer than 3 responses — not shown" in text


def test_stale_stored_pdf_is_not_served_before_the_job_runs(client_a, admin_a, org_a):
    cycle = _closed_cycle(org_a, admin_a, candidates=1)
    report = Report.objects.get(cycle=cycle)
    ReportPdf.objects.filter(report=report).update(pdf=b"%PDF-stale")
    data = {**report.data, "themes": ["a new theme"]}
    Report.objects.filter(pk=report.pk).update(data=data)
    response = client_a.get(reverse("evaluations:report_pdf", args=[report.pk]))
    assert response.status_code == 200 and response.content != b"%PDF-stale"
    assert "a new theme" in pdf_text(response.content)
    assert bytes(ReportPdf.objects.get(report=report).pdf) == response.content


def test_prepare_all_pdfs_button_queues_the_job(client_a, admin_a, org_a):
    cycle = _closed_cycle(org_a, admin_a, candidates=1)
    page = client_a.get(reverse("evaluations:cycle_detail", args=[cycle.pk])).content.decode()
    assert "Prepare all PDFs" in page and "PDFs prepared: 1 of 1" in page
    before = JobRun.objects.filter(kind="evaluations.prepare_pdfs").count()
    response = client_a.post(reverse("evaluations:cycle_prepare_pdfs", args=[cycle.pk]))
    assert response.status_code == 302
    assert JobRun.objects.filter(kind="evaluations.prepare_pdfs").count() == before + 1


def test_other_agency_cannot_download_a_stored_pdf_or_queue_pdfs(client_b, admin_a, org_a):
    cycle = _closed_cycle(org_a, admin_a, candidates=1)
    report = Report.objects.get(cycle=cycle)
    assert client_b.get(reverse("evaluations:report_pdf", args=[report.pk])).status_code == 404
    before = JobRun.objects.count()
    response = client_b.post(reverse("evaluations:cycle_prepare_pdfs", args=[cycle.pk]))
    assert response.status_code == 404 and JobRun.objects.count() == before
    assert not AuditEvent.objects.filter(action="evaluation_report.open").exists()
