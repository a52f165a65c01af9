"""Research: statute import, classification review, findings (map, CSV, brief), dashboard.

Statute texts are tiny phrases written for these tests.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peacekit.core.models import AuditEvent, JobRun
from peacekit.research import services
from peacekit.research.models import (
    ImportRun,
    Jurisdiction,
    JurisdictionClassification,
    StatuteSection,
    TermUse,
)
from peacekit.research.parsing import read_uploads
from tests.conftest import run_queued_jobs
from tests.research.helpers import (
    DEFINED_TEXT,
    LIMITED_TEXT,
    NOT_USED_TEXT,
    make_corpus,
    sections_csv,
)


@pytest.fixture
def staff_client(client, program_admin):
    client.force_login(program_admin)
    return client


@pytest.fixture
def corpus(program, program_admin):
    return make_corpus(program, program_admin)


def _upload(client, corpus, *files, jurisdiction=""):
    data = {"files": list(files)}
    if jurisdiction:
        data["jurisdiction"] = jurisdiction
    return client.post(reverse("research:import_upload", args=[corpus.pk]), data)


# ----------------------------------------------------------------------------- jurisdictions
@pytest.mark.django_db
def test_jurisdictions_seeded_states_dc_and_territories():
    assert Jurisdiction.objects.filter(kind="state").count() == 50
    assert Jurisdiction.objects.get(code="DC").kind == "district"
    assert Jurisdiction.objects.get(code="PR").kind == "territory"


# ----------------------------------------------------------------------------- import
def test_import_upload_text_files_by_filename_convention_classifies(staff_client, corpus):
    response = _upload(
        staff_client,
        corpus,
        SimpleUploadedFile("CA__penal-830.txt", DEFINED_TEXT.encode()),
        SimpleUploadedFile("MN__game-97.html", f"<html><head><title>Wardens</title></head>"
                           f"<body><h1>Sec 97</h1><p>{LIMITED_TEXT}</p></body></html>".encode()),
    )  # fmt: skip
    assert response.status_code == 302
    ca = JurisdictionClassification.objects.get(corpus=corpus, jurisdiction__code="CA")
    mn = JurisdictionClassification.objects.get(corpus=corpus, jurisdiction__code="MN")
    assert ca.proposed_class == "defined"
    assert mn.proposed_class == "limited"
    section = StatuteSection.objects.get(corpus=corpus, jurisdiction__code="MN")
    assert section.citation == "game-97"
    assert section.heading == "Sec 97"
    assert section.source_file == "MN__game-97.html"
    assert "<p>" not in section.text
    assert TermUse.objects.filter(section__corpus=corpus, term="peace officer").count() == 2


def test_import_upload_zip_and_xml_sections(staff_client, corpus):
    xml = (
        "<code><section citation='12-1'><heading>Defs</heading><text>"
        f"{DEFINED_TEXT}</text></section><section citation='12-2'><text>{NOT_USED_TEXT}"
        "</text></section></code>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("statutes/TX__title-12.xml", xml)
        archive.writestr("statutes/OH__2935-01.txt", NOT_USED_TEXT)
    response = _upload(staff_client, corpus, SimpleUploadedFile("all.zip", buffer.getvalue()))
    assert response.status_code == 302
    assert set(
        StatuteSection.objects.filter(corpus=corpus).values_list("jurisdiction__code", "citation")
    ) == {("TX", "12-1"), ("TX", "12-2"), ("OH", "2935-01")}
    oh = JurisdictionClassification.objects.get(corpus=corpus, jurisdiction__code="OH")
    assert oh.proposed_class == "not_used"


def test_import_upload_jurisdiction_from_form_field(staff_client, corpus):
    _upload(staff_client, corpus, SimpleUploadedFile("sec-5.txt", DEFINED_TEXT.encode()),
            jurisdiction="KY")  # fmt: skip
    assert StatuteSection.objects.get(corpus=corpus).jurisdiction.code == "KY"


def test_import_upload_csv_row_errors_import_nothing(staff_client, corpus):
    data = sections_csv(
        [
            ["CA", "1", "", DEFINED_TEXT],
            ["ZZ", "2", "", DEFINED_TEXT],  # row 3: bad code
            ["CA", "3", "", "   "],  # row 4: empty text
            ["CA", "1", "", DEFINED_TEXT],  # row 5: duplicate citation
        ]
    )
    response = _upload(staff_client, corpus, SimpleUploadedFile("s.csv", data))
    assert response.status_code == 200
    page = response.content.decode()
    assert "3 problems: nothing was imported." in page
    assert "s.csv row 3" in page and "Unknown jurisdiction" in page
    assert "s.csv row 4" in page and "The text is empty." in page
    assert "s.csv row 5" in page and "appears twice" in page
    assert not StatuteSection.objects.filter(corpus=corpus).exists()
    assert not ImportRun.objects.filter(corpus=corpus).exists()


def test_import_upload_citation_already_in_collection_is_rejected(program, program_admin):
    corpus = make_corpus(program, program_admin, rows=[["CA", "830", "", DEFINED_TEXT]])
    parsed = read_uploads([("again.csv", sections_csv([["CA", "830", "", DEFINED_TEXT]]))])
    with pytest.raises(services.ImportValidationError) as info:
        services.import_run_create(actor=program_admin, corpus=corpus, parsed=parsed)
    assert "already in the collection" in info.value.errors[0][1]
    assert StatuteSection.objects.filter(corpus=corpus).count() == 1


def test_import_upload_file_without_jurisdiction_and_bad_xml_are_reported(staff_client, corpus):
    response = _upload(
        staff_client,
        corpus,
        SimpleUploadedFile("no-code.txt", b"text"),
        SimpleUploadedFile("KY__x.xml", b"<a><b></a>"),
        SimpleUploadedFile("KY__evil.xml", b'<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>'),
        SimpleUploadedFile("notes.docx", b"x"),
    )
    page = response.content.decode()
    assert "4 problems" in page
    assert "No jurisdiction" in page
    assert "not well formed" in page
    assert "DOCTYPE" in page
    assert "Unsupported file type" in page


def test_xml_parser_itself_refuses_entities_even_past_the_declaration_check(monkeypatch):
    """defusedxml is the second guard: with the DOCTYPE/ENTITY pre-check switched off, an
    entity-expansion document is still refused instead of being expanded."""
    from types import SimpleNamespace

    import defusedxml

    from peacekit.research import parsing

    laughs = (
        '<!DOCTYPE a [<!ENTITY l "lol"><!ENTITY l2 "&l;&l;&l;&l;&l;&l;&l;&l;&l;&l;">]>'
        "<section><text>&l2;</text></section>"
    )
    with pytest.raises(ValueError, match="DOCTYPE or ENTITY"):
        parsing.xml_sections(laughs)
    monkeypatch.setattr(parsing, "re", SimpleNamespace(search=lambda *a, **k: None, IGNORECASE=0))
    with pytest.raises(defusedxml.DefusedXmlException):
        parsing.xml_sections(laughs)


def test_import_run_create_large_upload_runs_as_job(
    program, program_admin, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "SYNC_SECTION_LIMIT", 2)
    corpus = make_corpus(program, program_admin)
    rows = [["CA", str(i), "", DEFINED_TEXT] for i in range(5)]
    parsed = read_uploads([("big.csv", sections_csv(rows))])
    with django_capture_on_commit_callbacks(execute=True):
        run = services.import_run_create(actor=program_admin, corpus=corpus, parsed=parsed)
    assert run.status == ImportRun.Status.QUEUED
    assert not StatuteSection.objects.filter(corpus=corpus).exists()
    assert run_queued_jobs() == 1
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE
    assert StatuteSection.objects.filter(corpus=corpus).count() == 5
    assert JobRun.objects.get(pk=run.job_id).status == JobRun.Status.SUCCEEDED
    # Running the import again (a re-queued job) writes nothing twice.
    services.import_run_execute(import_run=run)
    assert StatuteSection.objects.filter(corpus=corpus).count() == 5


# ----------------------------------------------------------------------------- review
def test_classification_review_confirm_and_correct_are_audited(program, program_admin):
    corpus = make_corpus(
        program, program_admin, rows=[["CA", "1", "", DEFINED_TEXT], ["MN", "2", "", LIMITED_TEXT]]
    )
    ca = corpus.classifications.get(jurisdiction__code="CA")
    mn = corpus.classifications.get(jurisdiction__code="MN")
    services.classification_review(actor=program_admin, classification=ca, final_class="defined")
    services.classification_review(
        actor=program_admin, classification=mn, final_class="general", note="Sec 9 ORGA note"
    )
    assert ca.status == "confirmed" and mn.status == "corrected"
    assert mn.reviewed_by == program_admin and mn.reviewed_at is not None
    event = AuditEvent.objects.get(action="research.classification.corrected")
    assert event.metadata["proposed"] == "limited" and event.metadata["final"] == "general"
    assert "ORGA note" not in str(event.metadata)


def test_classification_detail_post_reviews_and_shows_highlighted_evidence(
    staff_client, program, program_admin
):
    corpus = make_corpus(program, program_admin, rows=[["CA", "830", "", DEFINED_TEXT]])
    c = corpus.classifications.get()
    url = reverse("research:classification_detail", args=[c.pk])
    page = staff_client.get(url).content.decode()
    assert "<mark>Peace officer</mark>" in page
    assert "<strong>police officer</strong>" in page
    response = staff_client.post(url, {"final_class": "general", "note": "narrower"})
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.status == "corrected" and c.final_class == "general"


def test_classification_detail_invalid_class_is_refused(staff_client, program, program_admin):
    corpus = make_corpus(program, program_admin, rows=[["CA", "830", "", DEFINED_TEXT]])
    c = corpus.classifications.get()
    url = reverse("research:classification_detail", args=[c.pk])
    response = staff_client.post(url, {"final_class": "bogus"})
    assert response.status_code == 200
    c.refresh_from_db()
    assert c.status == "proposed"


def test_classifications_refresh_new_evidence_sends_back_to_review(program, program_admin):
    corpus = make_corpus(program, program_admin, rows=[["CA", "1", "", LIMITED_TEXT]])
    c = corpus.classifications.get()
    services.classification_review(actor=program_admin, classification=c, final_class="limited")
    parsed = read_uploads([("more.csv", sections_csv([["CA", "2", "", DEFINED_TEXT]]))])
    services.import_run_create(actor=program_admin, corpus=corpus, parsed=parsed)
    c.refresh_from_db()
    assert c.proposed_class == "defined"
    assert c.status == "proposed"


def test_review_page_lists_with_bounded_queries(
    staff_client, program, program_admin, django_assert_max_num_queries
):
    rows = [[code, "1", "", DEFINED_TEXT] for code in ("CA", "TX", "NY", "KY", "OH", "WA")]
    corpus = make_corpus(program, program_admin, rows=rows)
    with django_assert_max_num_queries(20):
        response = staff_client.get(reverse("research:review", args=[corpus.pk]))
    assert response.status_code == 200
    assert "Kentucky" in response.content.decode()


# ----------------------------------------------------------------------------- findings
def test_findings_shares_count_only_reviewed_classifications(
    staff_client, program, program_admin, django_assert_max_num_queries
):
    corpus = make_corpus(
        program,
        program_admin,
        rows=[
            ["CA", "1", "", DEFINED_TEXT],
            ["TX", "1", "", DEFINED_TEXT],
            ["MN", "1", "", LIMITED_TEXT],
            ["OH", "1", "", NOT_USED_TEXT],
        ],
    )
    for code in ("CA", "MN", "OH"):
        c = corpus.classifications.get(jurisdiction__code=code)
        services.classification_review(
            actor=program_admin, classification=c, final_class=c.proposed_class
        )
    # TX is proposed "defined" but unreviewed: it must not count.
    with django_assert_max_num_queries(20):
        response = staff_client.get(reverse("research:findings", args=[corpus.pk]))
    page = response.content.decode()
    findings = response.context["findings"]
    assert findings.reviewed == 3 and findings.pending == 1
    assert findings.uses_for_police == {"count": 1, "total": 3, "percent": 33}
    assert findings.some_capacity["percent"] == 67
    assert '<svg class="pk-rmap"' in page and "California: Defined in statute" in page
    assert "Texas: not reviewed" in page
    assert "awaiting review" in page


def test_findings_csv_and_pdf(staff_client, program, program_admin):
    corpus = make_corpus(program, program_admin, rows=[["CA", "1", "", DEFINED_TEXT]])
    c = corpus.classifications.get()
    services.classification_review(actor=program_admin, classification=c, final_class="defined")
    response = staff_client.get(reverse("research:findings_csv", args=[corpus.pk]))
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("jurisdiction_code,jurisdiction,kind,reviewed_class")
    ca = next(line for line in lines if line.startswith("CA,"))
    assert ",defined,defined," in ca
    pdf = staff_client.get(reverse("research:findings_pdf", args=[corpus.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_findings_pages_refuse_agency_users(client_a, program, program_admin):
    corpus = make_corpus(program, program_admin, rows=[["CA", "1", "", DEFINED_TEXT]])
    assert client_a.get(reverse("research:findings", args=[corpus.pk])).status_code == 403
    assert client_a.get(reverse("research:corpus_list")).status_code == 403


def test_corpus_create_page_then_import(staff_client, program):
    response = staff_client.post(
        reverse("research:corpus_create"),
        {"name": "Penal codes 2026", "source_note": "State legislature sites (public domain)"},
    )
    assert response.status_code == 302
    listing = staff_client.get(reverse("research:corpus_list")).content.decode()
    assert "Penal codes 2026" in listing


# ----------------------------------------------------------------------------- dashboard
def test_dashboard_shows_figures_and_not_available_gracefully(staff_client, program, program_admin):
    make_corpus(program, program_admin, rows=[["CA", "1", "", DEFINED_TEXT]])
    response = staff_client.get(reverse("research:dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Program effectiveness" in page
    labels = {a["label"] for a in response.context["activity"]}
    assert "Survey responses" in labels


def test_dashboard_missing_app_model_shows_not_available(staff_client, monkeypatch):
    from peacekit.research import selectors

    monkeypatch.setattr(
        selectors, "ACTIVITY_SOURCES", [("Imaginary things", "nosuchapp", "Thing", {})]
    )
    page = staff_client.get(reverse("research:dashboard")).content.decode()
    assert "Imaginary things" in page and "not available yet" in page


def test_demo_load_creates_fictional_reviewed_collection(db):
    from peacekit.core import demo as core_demo
    from peacekit.research import demo

    context = core_demo.DemoContext()
    core_demo.load(context)
    demo.load(context)
    corpus = context.organizations["program"].statute_corpora.get()
    assert corpus.is_fictional
    assert corpus.classifications.filter(status__in=["confirmed", "corrected"]).count() >= 10
    assert corpus.classifications.filter(status="proposed").exists()


# ----------------------------------------------------------------------------- API
def test_api_findings_returns_reviewed_classes_only(staff_client, program, program_admin):
    corpus = make_corpus(
        program, program_admin, rows=[["CA", "1", "", DEFINED_TEXT], ["MN", "1", "", LIMITED_TEXT]]
    )
    c = corpus.classifications.get(jurisdiction__code="CA")
    services.classification_review(actor=program_admin, classification=c, final_class="defined")
    data = staff_client.get(f"/api/research/corpora/{corpus.pk}/findings").json()
    assert data["reviewed"] == 1 and data["pending"] == 1
    rows = {j["code"]: j for j in data["jurisdictions"]}
    assert rows["CA"]["reviewed_class"] == "defined"
    assert rows["MN"]["reviewed_class"] == "" and rows["MN"]["proposed_class"] == "limited"
    listing = staff_client.get("/api/research/corpora").json()
    assert listing[0]["sections"] == 2


def test_api_findings_refuses_agency_users(client_a, program, program_admin):
    corpus = make_corpus(program, program_admin, rows=[["CA", "1", "", DEFINED_TEXT]])
    response = client_a.get(f"/api/research/corpora/{corpus.pk}/findings")
    assert response.status_code in (403, 404)


def test_dashboard_csv_lists_activity_and_seats(staff_client):
    response = staff_client.get(reverse("research:dashboard_csv"))
    lines = response.content.decode().splitlines()
    assert lines[0] == "section,item,group,value"
    assert any(line.startswith("activity,Survey responses,total,") for line in lines)


def test_corpus_list_bounded_queries(
    staff_client, program, program_admin, django_assert_max_num_queries
):
    for i in range(4):
        make_corpus(program, program_admin, name=f"Collection {i}",
                    rows=[["CA", "1", "", DEFINED_TEXT]])  # fmt: skip
    with django_assert_max_num_queries(12):
        page = staff_client.get(reverse("research:corpus_list")).content.decode()
    assert "Collection 3" in page
