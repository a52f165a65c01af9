"""Pages of 360 evaluations as HR and raters see them."""

from django.urls import reverse

from peacekit.core.models import AuditEvent
from peacekit.evaluations import services
from peacekit.evaluations.models import Cycle, Rater, RatingResponse, Report
from tests.conftest import run_queued_jobs
from tests.evaluations.helpers import build_cycle


def _closed_report(org, admin, counts=None):
    cycle, _ = build_cycle(org, admin, counts=counts)
    Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.CLOSED)
    cycle.refresh_from_db()
    services.reports_generate(cycle=cycle)
    return Report.objects.get(cycle=cycle)


def test_cycle_create_page_makes_a_draft_cycle(client_a, org_a):
    response = client_a.post(
        reverse("evaluations:cycle_create"),
        {"name": "Lieutenant 2026", "rank_target": "Lieutenant", "promotability_cutoff": "60"},
    )
    cycle = Cycle.objects.get(name="Lieutenant 2026")
    assert response.status_code == 302 and cycle.organization == org_a
    assert cycle.status == Cycle.Status.DRAFT


def test_cycle_import_page_shows_row_errors_and_imports_nothing(client_a, admin_a, org_a):
    cycle = services.cycle_create(actor=admin_a, organization=org_a, name="Sgt")
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("c.csv", b"candidate_email,candidate_name\nbad,Al\n", "text/csv")
    response = client_a.post(
        reverse("evaluations:cycle_import", args=[cycle.pk]), {"file": upload}, follow=True
    )
    assert "Row 2: candidate_email is not a valid email." in response.content.decode()
    assert cycle.candidates.count() == 0


def test_cycle_list_page_query_count_is_bounded(
    client_a, admin_a, org_a, django_assert_max_num_queries
):
    for i in range(5):
        services.cycle_create(actor=admin_a, organization=org_a, name=f"Cycle {i}")
    with django_assert_max_num_queries(12):
        response = client_a.get(reverse("evaluations:cycle_list"))
    assert response.status_code == 200 and "Cycle 4" in response.content.decode()


def test_rate_page_submit_twice_records_once_and_says_so(client, admin_a, org_a):
    cycle, tokens = build_cycle(org_a, admin_a, respond=False)
    token = next(iter(tokens.values()))
    url = reverse("evaluations:rate", args=[token])
    page = client.get(url)
    assert page.status_code == 200 and "Not observed" in page.content.decode()
    data = {f"item_{item.pk}": "4" for item in services.items_for(cycle)}
    data["strengths"] = "Listens well."
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == 302
    assert "Thank you" in client.get(first["Location"]).content.decode()
    assert second.status_code == 410 and "Already answered" in second.content.decode()
    assert RatingResponse.objects.filter(cycle=cycle).count() == 1


def test_rate_page_missing_answers_shows_errors_and_saves_nothing(client, admin_a, org_a):
    cycle, tokens = build_cycle(org_a, admin_a, respond=False)
    url = reverse("evaluations:rate", args=[next(iter(tokens.values()))])
    response = client.post(url, {"strengths": "x"})
    assert response.status_code == 200
    assert "Some answers are missing" in response.content.decode()
    assert not RatingResponse.objects.exists()


def test_rate_page_in_spanish(client, admin_a, org_a):
    _cycle, tokens = build_cycle(org_a, admin_a, respond=False)
    url = reverse("evaluations:rate", args=[next(iter(tokens.values()))]) + "?lang=es"
    body = client.get(url).content.decode()
    assert "Desescalada y resolución de conflictos" in body
    assert "Trata a cada persona con dignidad y respeto." in body


def test_rate_page_unknown_or_closed_link_gets_clear_page(client, admin_a, org_a):
    cycle, tokens = build_cycle(org_a, admin_a, respond=False)
    unknown = client.get(reverse("evaluations:rate", args=["nope"]))
    assert unknown.status_code == 404 and "Link not recognised" in unknown.content.decode()
    Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.CLOSED)
    closed = client.get(reverse("evaluations:rate", args=[next(iter(tokens.values()))]))
    assert closed.status_code == 410 and "closed" in closed.content.decode()


def test_rate_decline_page_stops_the_link(client, admin_a, org_a):
    _cycle, tokens = build_cycle(org_a, admin_a, respond=False)
    rater_id, token = [
        (k, v) for k, v in tokens.items() if Rater.objects.get(pk=k).group == "peer"
    ][0]
    response = client.post(reverse("evaluations:rate_decline", args=[token]))
    assert "Request declined" in response.content.decode()
    assert Rater.objects.get(pk=rater_id).status == Rater.Status.DECLINED
    assert client.get(reverse("evaluations:rate", args=[token])).status_code == 410


def test_report_page_omits_group_under_threshold_visibly(client_a, admin_a, org_a):
    counts = {"supervisor": 1, "peer": 2, "direct_report": 3, "community": 3}
    report = _closed_report(org_a, admin_a, counts)
    body = client_a.get(reverse("evaluations:report_detail", args=[report.pk])).content.decode()
    assert "Peers</strong>: fewer than 3 responses — not shown" in body
    assert "(peer)" not in body  # no peer comment text
    assert "(direct_report)" in body  # direct reports' comments are shown
    assert "attributed (not anonymous)" in body
    assert '<th scope="col">Peers</th>' not in body


def test_report_page_shows_group_at_threshold(client_a, admin_a, org_a):
    report = _closed_report(org_a, admin_a)
    body = client_a.get(reverse("evaluations:report_detail", args=[report.pk])).content.decode()
    assert '<th scope="col">Peers</th>' in body
    assert "not shown" not in body.split("Promotability index")[0]
    assert "Promotability index (0–100) =" in body


def test_report_page_no_differencing_with_or_without_the_omitted_group(client_a, admin_a, org_a):
    """The page with two peer answers equals the page without them, apart from the note."""
    counts = {"supervisor": 1, "peer": 2, "direct_report": 3, "community": 3}
    report = _closed_report(org_a, admin_a, counts)
    url = reverse("evaluations:report_detail", args=[report.pk])
    section = "Promotability index</h2>"
    with_peers = client_a.get(url).content.decode().split(section)[1].split("</article>")[0]
    RatingResponse.objects.filter(group="peer").delete()
    services.reports_generate(cycle=report.cycle)
    without = client_a.get(url).content.decode().split(section)[1].split("</article>")[0]
    assert with_peers == without


def test_report_open_is_audited_and_pdf_downloads(client_a, admin_a, org_a):
    report = _closed_report(org_a, admin_a)
    client_a.get(reverse("evaluations:report_detail", args=[report.pk]))
    pdf = client_a.get(reverse("evaluations:report_pdf", args=[report.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    formats = list(
        AuditEvent.objects.filter(action="evaluation_report.open").values_list(
            "metadata__format", flat=True
        )
    )
    assert sorted(formats) == ["html", "pdf"]


def test_report_page_other_agency_gets_404(client_b, admin_a, org_a):
    report = _closed_report(org_a, admin_a)
    assert client_b.get(reverse("evaluations:report_detail", args=[report.pk])).status_code == 404


def test_progress_page_shows_rates_by_group_never_names(
    client_a, admin_a, org_a, django_assert_max_num_queries
):
    cycle, _ = build_cycle(org_a, admin_a, candidates=3)
    with django_assert_max_num_queries(15):
        response = client_a.get(reverse("evaluations:cycle_progress", args=[cycle.pk]))
    body = response.content.decode()
    assert "3 / 3" in body and "100%" in body
    assert "peer 0" not in body and "peer0.c0@example.org" not in body


def test_candidate_page_hides_who_completed(client_a, admin_a, org_a):
    cycle, _ = build_cycle(org_a, admin_a)
    candidate = cycle.candidates.get()
    body = client_a.get(reverse("evaluations:candidate_detail", args=[candidate.pk])).content
    assert b"Completed" not in body and b"Invited" in body


def test_cycle_close_page_enqueues_reports_and_cohort_lists_them(
    client_a, admin_a, org_a, django_capture_on_commit_callbacks
):
    cycle, _ = build_cycle(org_a, admin_a, candidates=2)
    with django_capture_on_commit_callbacks(execute=True):
        client_a.post(reverse("evaluations:cycle_close", args=[cycle.pk]))
    run_queued_jobs()
    body = client_a.get(reverse("evaluations:cycle_cohort", args=[cycle.pk])).content.decode()
    assert "Candidate 0" in body and "Candidate 1" in body and "Percentile in cycle" in body


def test_nominate_page_adds_a_nominated_rater(client, admin_a, org_a):
    cycle, _ = build_cycle(org_a, admin_a, respond=False)
    link = services.candidate_nomination_link(actor=admin_a, candidate=cycle.candidates.get())
    path = link.split("127.0.0.1:8000")[-1] if "127.0.0.1:8000" in link else link
    path = "/" + path.split("/", 3)[-1] if path.startswith("http") else path
    response = client.post(
        path, {"group": "peer", "name": "Nia Peer", "email": "nia@example.org", "language": "en"}
    )
    assert response.status_code == 302
    assert Rater.objects.get(email="nia@example.org").status == Rater.Status.NOMINATED


def test_rate_page_spanish_labels_are_translated(client, admin_a, org_a):
    _cycle, tokens = build_cycle(org_a, admin_a, respond=False)
    url = reverse("evaluations:rate", args=[next(iter(tokens.values()))]) + "?lang=es"
    body = client.get(url).content.decode()
    assert "No observado" in body and "Enviar mis respuestas" in body
    assert "Rechazar esta solicitud" in body


def test_candidate_report_page_right_after_close_shows_the_report(
    client_a, admin_a, org_a, django_capture_on_commit_callbacks
):
    cycle, _ = build_cycle(org_a, admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.cycle_close(actor=admin_a, cycle=cycle)
    candidate = cycle.candidates.get()
    response = client_a.get(reverse("evaluations:candidate_report", args=[candidate.pk]))
    body = response.content.decode()
    assert response.status_code == 200 and "Promotability index" in body
    assert "percentile within the cycle appears once every report is generated" in body


def test_cycle_progress_api_gives_counts_by_group(client_a, admin_a, org_a):
    cycle, _ = build_cycle(org_a, admin_a)
    data = client_a.get(f"/api/evaluations/cycles/{cycle.pk}/progress").json()
    assert data["invited"] == 11 and data["responded"] == 11
    peers = next(g for g in data["groups"] if g["group"] == "peer")
    assert peers == {"group": "peer", "invited": 3, "responded": 3, "declined": 0}
    assert "peer0.c0@example.org" not in str(data)
