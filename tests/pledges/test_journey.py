"""The issue's "done when": one agency's whole way through the Promise, over HTTP."""

import io

import pytest
from django.urls import reverse

from peacekit.core.models import Membership
from peacekit.pledges.models import DocumentaryRequest, Promise, SymbolOrder
from tests.factories import member

pytestmark = pytest.mark.django_db


def test_agency_signs_on_is_verified_and_works_through_the_promise(
    client, program_admin, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    # 1. the public sign-on form
    key = client.get(reverse("pledges:sign_on")).context["form"].initial["submission_key"]
    client.post(
        reverse("pledges:sign_on"),
        {
            "organization_name": "Riverbend Police Department", "kind": "police",
            "state": "TN", "city": "Riverbend", "contact_name": "Chief Ada Moss",
            "contact_email": "amoss@riverbend.example.org", "submission_key": key,
        },
    )  # fmt: skip
    promise = Promise.objects.get(organization_name="Riverbend Police Department")
    assert promise.status == Promise.Status.PENDING
    # 2. program staff verify it
    client.force_login(program_admin)
    client.post(reverse("pledges:promise_verify", args=[promise.pk]))
    promise.refresh_from_db()
    agency = promise.organization
    assert promise.status == Promise.Status.VERIFIED
    # 3. it is in the registry and on the map
    client.logout()
    body = client.get(reverse("pledges:registry") + "?state=TN").content.decode()
    assert "Riverbend Police Department" in body
    assert "Tennessee: 1 organization made the Promise" in body
    # 4. the agency's administrator downloads a toolkit document with its name
    chief = member(agency, Membership.Role.AGENCY_ADMIN, full_name="Chief Ada Moss")
    client.force_login(chief)
    from docx import Document

    response = client.get(
        reverse("pledges:toolkit_download", args=[agency.pk, "press_release", "docx"])
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "Riverbend Police Department" in text
    # 5. works through the checklist
    item = agency.promise_checklist.items.first()
    client.post(reverse("pledges:checklist_item_status", args=[item.pk]), {"status": "done"})
    body = client.get(reverse("pledges:checklist", args=[agency.pk])).content.decode()
    assert "1 of 11 steps done" in body
    # 6. orders decals
    key = client.get(reverse("pledges:order_create")).context["form"].initial["submission_key"]
    client.post(
        reverse("pledges:order_create"),
        {
            "submission_key": key, "ship_to_name": "Riverbend PD", "address_line1": "1 River Rd",
            "city": "Riverbend", "state": "TN", "postal_code": "37000", "qty_vehicle_decal": "20",
        },
    )  # fmt: skip
    assert SymbolOrder.objects.filter(organization=agency).count() == 1
    # 7. requests a documentary
    client.post(
        reverse("pledges:documentary_list"),
        {"title": "Riverbend keeps the peace", "length_minutes": 3,
         "contact_email": "amoss@riverbend.example.org"},
    )  # fmt: skip
    assert DocumentaryRequest.objects.filter(organization=agency).exists()
