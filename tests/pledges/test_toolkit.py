"""Toolkit documents with the agency's name, as DOCX and PDF, from staff-edited templates."""

import io

import pytest
from django.urls import reverse

from peacekit.pledges import selectors, services
from peacekit.pledges.models import ToolkitTemplate
from tests.pledges.factories import verified_promise

pytestmark = pytest.mark.django_db


def test_toolkit_templates_ship_five_documents():
    kinds = set(ToolkitTemplate.objects.values_list("kind", flat=True))
    assert kinds == {
        "press_release", "social_media_plan", "presentation", "proclamation", "community_letter"
    }  # fmt: skip


def test_toolkit_document_fills_agency_name_and_promise(org_a):
    verified_promise(org_a)
    template = ToolkitTemplate.objects.get(kind="press_release")
    document = selectors.toolkit_document(template=template, organization=org_a)
    assert org_a.name in document.title
    text = " ".join(block.text for block in document.blocks)
    assert "{agency}" not in text and "do no harm" in text
    assert document.blocks[0].kind == "heading"


def test_toolkit_download_docx_contains_agency_name(client_a, org_a):
    from docx import Document

    response = client_a.get(
        reverse("pledges:toolkit_download", args=[org_a.pk, "community_letter", "docx"])
    )
    assert response.status_code == 200
    word = Document(io.BytesIO(response.content))
    assert any(org_a.name in paragraph.text for paragraph in word.paragraphs)


def test_toolkit_download_pdf(client_a, org_a):
    response = client_a.get(
        reverse("pledges:toolkit_download", args=[org_a.pk, "proclamation", "pdf"])
    )
    assert response.content.startswith(b"%PDF")


def test_toolkit_download_unknown_kind_is_404(client_a, org_a):
    response = client_a.get(reverse("pledges:toolkit_download", args=[org_a.pk, "nope", "pdf"]))
    assert response.status_code == 404


def test_toolkit_template_update_changes_next_download(program_admin, org_a):
    template = ToolkitTemplate.objects.get(kind="press_release")
    services.toolkit_template_update(
        actor=program_admin, template=template, title="News from {agency}", body="Hello {city}."
    )
    document = selectors.toolkit_document(template=template, organization=org_a)
    assert document.title == f"News from {org_a.name}"
    assert document.blocks[0].text == f"Hello {org_a.city}."


def test_toolkit_page_lists_documents(client_a):
    body = client_a.get(reverse("pledges:toolkit")).content.decode()
    assert "Press release" in body and "Letter to the community" in body
