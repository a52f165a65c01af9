"""The public registry page, its map, and the JSON and CSV of the registry."""

import pytest
from django.urls import reverse

from peacekit.pledges.map import TILE_GRID, shade_level, tile_map
from tests.factories import OrganizationFactory
from tests.pledges.factories import verified_promise

pytestmark = pytest.mark.django_db


def test_tile_map_has_fifty_states_and_dc_shaded_by_count():
    assert len(TILE_GRID) == 51 and "DC" in TILE_GRID
    assert len(set(TILE_GRID.values())) == 51  # no two states share a square
    result = tile_map({"KY": 3, "CA": 1})
    svg = str(result["svg"])
    assert svg.count("<rect") == 51
    assert "Kentucky: 3 organizations made the Promise" in svg
    assert "pk-tile--4" in svg and "pk-tile--0" in svg
    assert {row["code"]: row["count"] for row in result["rows"]}["KY"] == 3


def test_shade_level_spreads_counts_over_four_levels():
    assert shade_level(0, 10) == 0
    assert shade_level(1, 10) == 1
    assert shade_level(10, 10) == 4
    assert shade_level(1, 1) == 4


def test_registry_page_lists_verified_organizations_only(client):
    verified_promise(OrganizationFactory(name="Lakeside Police Department", state="MI"))
    from tests.pledges.test_promise import sign_on

    sign_on(organization_name="Pending Agency", submission_key="pending")
    response = client.get(reverse("pledges:registry"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Lakeside Police Department" in body
    assert "Pending Agency" not in body
    assert "Michigan: 1 organization made the Promise" in body


def test_registry_page_filters_by_state_and_search(client):
    verified_promise(OrganizationFactory(name="Lakeside Police Department", state="MI"))
    verified_promise(OrganizationFactory(name="Hilltop Sheriff", state="KY"))
    body = client.get(reverse("pledges:registry") + "?state=KY").content.decode()
    assert "Hilltop Sheriff" in body and "Lakeside Police Department" not in body
    body = client.get(reverse("pledges:registry") + "?q=lakeside").content.decode()
    assert "Lakeside Police Department" in body and "Hilltop Sheriff" not in body


def test_registry_page_ignores_unknown_state(client):
    verified_promise(OrganizationFactory(name="Lakeside Police Department", state="MI"))
    response = client.get(reverse("pledges:registry") + "?state=ZZ")
    assert response.status_code == 200
    assert "Lakeside Police Department" in response.content.decode()


def test_registry_page_in_spanish(client):
    response = client.get(reverse("pledges:registry"), HTTP_ACCEPT_LANGUAGE="es")
    assert "Promesas por estado" in response.content.decode()


def test_registry_page_query_count_is_bounded(client, django_assert_max_num_queries):
    for n in range(30):
        verified_promise(OrganizationFactory(name=f"Agency {n}", state="TX"), key=f"k{n}")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("pledges:registry"))
    assert "Agency 29" in response.content.decode()


def test_registry_api_json_is_public(client):
    verified_promise(OrganizationFactory(name="Lakeside Police Department", state="MI"))
    response = client.get("/api/pledges/registry?state=mi")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1 and data["by_state"] == {"MI": 1}
    assert data["organizations"][0]["organization"] == "Lakeside Police Department"
    assert data["organizations"][0]["promise_date"]


def test_registry_api_csv_is_public_and_safe_for_spreadsheets(client):
    verified_promise(OrganizationFactory(name="=cmd Police", state="MI"))
    response = client.get("/api/pledges/registry.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("organization,kind,city,state")
    assert "'=cmd Police" in text


def test_promises_api_needs_sign_in(client):
    assert client.get("/api/pledges/promises").status_code == 401


def test_registry_page_download_links_keep_the_search_encoded(client):
    body = client.get(reverse("pledges:registry") + "?q=a%26b&state=KY").content.decode()
    assert "registry.csv?q=a%26b&amp;state=KY" in body
