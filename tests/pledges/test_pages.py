"""Every pledges page renders for the people who use it, in the demo's shape of data."""

import pytest
from django.urls import reverse

from peacekit.pledges import services
from tests.pledges.factories import verified_promise

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(org_a, admin_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    promise = verified_promise(org_a, actor=admin_a)
    documentary = services.documentary_request_create(
        actor=admin_a, organization=org_a, title="Film", length_minutes=3,
        contact_email="a@example.org",
    )  # fmt: skip
    order, _ = services.symbol_order_create(
        actor=admin_a, organization=org_a, quantities={"window_decal": 3}, submission_key="k",
        ship_to_name="Chief", address_line1="1 Main", city="Town", state="KY",
        postal_code="42101",
    )  # fmt: skip
    item = services.checklist_ensure(actor=admin_a, organization=org_a).items.first()
    return {"promise": promise, "documentary": documentary, "order": order, "item": item}


def pages(org, world):
    return [
        reverse("pledges:overview"),
        reverse("pledges:promise_list"),
        reverse("pledges:promise_detail", args=[world["promise"].pk]),
        reverse("pledges:checklist", args=[org.pk]),
        reverse("pledges:checklist_item_edit", args=[world["item"].pk]),
        reverse("pledges:toolkit"),
        reverse("pledges:documentary_list"),
        reverse("pledges:documentary_detail", args=[world["documentary"].pk]),
        reverse("pledges:order_list"),
        reverse("pledges:order_create"),
        reverse("pledges:order_detail", args=[world["order"].pk]),
    ]


def test_pages_render_for_agency_admin(client_a, org_a, world):
    for url in pages(org_a, world):
        response = client_a.get(url)
        assert response.status_code == 200, url


def test_staff_pages_render_for_program_staff(client, program_admin, org_a, world):
    client.force_login(program_admin)
    for url in [
        *pages(org_a, world)[1:4],
        reverse("pledges:promise_template"),
        reverse("pledges:step_template_list"),
        reverse("pledges:toolkit_template_list"),
        reverse("pledges:involvement_list"),
        reverse("pledges:documentary_detail", args=[world["documentary"].pk]),
        reverse("pledges:order_detail", args=[world["order"].pk]),
    ]:
        assert client.get(url).status_code == 200, url


def test_public_pages_render_without_sign_in(client):
    for name in ["registry", "sign_on", "get_involved", "get_involved_done", "documentary_guide"]:
        assert client.get(reverse(f"pledges:{name}")).status_code == 200, name


def test_overview_shows_promise_text_and_progress(client_a, org_a, world):
    body = client_a.get(reverse("pledges:overview")).content.decode()
    assert org_a.name in body and "do no harm" in body and "0%" in body


def test_overview_shows_program_staff_what_waits_for_them(client, program_admin):
    from tests.pledges.test_promise import sign_on

    sign_on()
    client.force_login(program_admin)
    response = client.get(reverse("pledges:overview"))
    assert response.context["summary"]["pending"] == 1
    assert "Sign-ons to verify" in response.content.decode()
