"""Documentary requests with resumable footage upload, symbol orders, and get-involved."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from peacekit.pledges import services
from peacekit.pledges.models import (
    DocumentaryRequest,
    FootageUpload,
    InvolvementRequest,
    SymbolOrder,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def documentary(org_a, admin_a):
    return services.documentary_request_create(
        actor=admin_a, organization=org_a, title="Our Promise", length_minutes=3,
        contact_email="film@example.org",
    )  # fmt: skip


def test_documentary_request_length_must_be_two_to_five_minutes(org_a, admin_a):
    with pytest.raises(ValidationError):
        services.documentary_request_create(
            actor=admin_a, organization=org_a, title="Long", length_minutes=12,
            contact_email="film@example.org",
        )  # fmt: skip


def test_footage_upload_in_chunks_resumes_and_assembles(admin_a, documentary, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    data = bytes(range(256)) * 40  # 10,240 bytes
    upload = services.footage_upload_start(
        actor=admin_a, request=documentary, original_name="clip.mp4", total_bytes=len(data)
    )
    assert (
        services.footage_upload_chunk(actor=admin_a, upload=upload, offset=0, data=data[:4000])
        == 4000
    )
    # a retried chunk is acknowledged without being stored twice
    assert (
        services.footage_upload_chunk(actor=admin_a, upload=upload, offset=0, data=data[:4000])
        == 4000
    )
    # a chunk that would leave a gap is refused with the place to resume
    with pytest.raises(ValidationError) as error:
        services.footage_upload_chunk(actor=admin_a, upload=upload, offset=8000, data=data[8000:])
    assert "4000" in str(error.value)
    services.footage_upload_chunk(actor=admin_a, upload=upload, offset=4000, data=data[4000:])
    upload.refresh_from_db()
    assert upload.status == FootageUpload.Status.COMPLETE
    with upload.file.open("rb") as handle:
        assert handle.read() == data
    documentary.refresh_from_db()
    assert documentary.status == DocumentaryRequest.Status.FOOTAGE_RECEIVED


def test_footage_chunk_endpoint_answers_where_to_resume(client_a, documentary, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    start = client_a.post(
        reverse("pledges:footage_start", args=[documentary.pk]), {"name": "a.mp4", "size": "10"}
    )
    assert start.status_code == 201
    state = start.json()
    response = client_a.post(
        state["chunk_url"] + "?offset=0", data=b"12345", content_type="application/octet-stream"
    )
    assert response.json()["received"] == 5
    response = client_a.post(
        state["chunk_url"] + "?offset=7", data=b"890", content_type="application/octet-stream"
    )
    assert response.status_code == 409 and response.json()["received"] == 5
    status = client_a.get(reverse("pledges:footage_status", args=[state["id"]])).json()
    assert status["received"] == 5


def test_footage_upload_start_refuses_oversized_file(admin_a, documentary):
    with pytest.raises(ValidationError) as error:
        services.footage_upload_start(
            actor=admin_a, request=documentary, original_name="huge.mov", total_bytes=10**15
        )
    assert "largest file allowed" in str(error.value)


def test_documentary_status_delivered_needs_a_link(program_admin, documentary):
    with pytest.raises(ValidationError):
        services.documentary_status_set(
            actor=program_admin, request=documentary, status="delivered"
        )
    services.documentary_status_set(
        actor=program_admin, request=documentary, status="delivered",
        delivery_url="https://video.example.org/our-promise",
    )  # fmt: skip
    assert documentary.delivered_at is not None


def test_documentary_page_request_form(client_a, org_a):
    response = client_a.post(
        reverse("pledges:documentary_list"),
        {"title": "Film", "length_minutes": 4, "contact_email": "a@example.org", "notes": ""},
    )
    assert response.status_code == 302
    assert DocumentaryRequest.objects.filter(organization=org_a, length_minutes=4).exists()


def order(org_a, admin_a, key="order-1", **quantities):
    return services.symbol_order_create(
        actor=admin_a, organization=org_a, quantities=quantities or {"vehicle_decal": 10},
        submission_key=key, ship_to_name="Chief", address_line1="1 Main St", city="Town",
        state="KY", postal_code="42101",
    )  # fmt: skip


def test_symbol_order_create_retry_is_not_ordered_twice(org_a, admin_a):
    first, created = order(org_a, admin_a, vehicle_decal=10, uniform_patch=50)
    again, created_again = order(org_a, admin_a, vehicle_decal=10, uniform_patch=50)
    assert created and not created_again and first.pk == again.pk
    assert SymbolOrder.objects.count() == 1
    assert {line.item: line.quantity for line in first.lines.all()} == {
        "vehicle_decal": 10, "uniform_patch": 50
    }  # fmt: skip


def test_symbol_order_create_needs_an_item_and_a_valid_zip(org_a, admin_a):
    with pytest.raises(ValidationError):
        order(org_a, admin_a, vehicle_decal=0)
    with pytest.raises(ValidationError):
        services.symbol_order_create(
            actor=admin_a, organization=org_a, quantities={"vehicle_decal": 1},
            submission_key="k2", ship_to_name="Chief", address_line1="1 Main", city="T",
            state="KY", postal_code="ABCDE",
        )  # fmt: skip


def test_symbol_order_status_by_program_staff(client, program_admin, admin_a, org_a):
    the_order, _ = order(org_a, admin_a)
    client.force_login(admin_a)
    url = reverse("pledges:order_status", args=[the_order.pk])
    assert client.post(url, {"status": "shipped"}).status_code == 403
    client.force_login(program_admin)
    client.post(url, {"status": "shipped", "tracking_number": "1Z999"})
    the_order.refresh_from_db()
    assert the_order.status == "shipped" and the_order.tracking_number == "1Z999"


def test_order_form_page_creates_order(client_a, org_a):
    form = client_a.get(reverse("pledges:order_create")).context["form"]
    data = {
        "submission_key": form.initial["submission_key"], "ship_to_name": "Chief",
        "address_line1": "1 Main", "city": "Town", "state": "KY", "postal_code": "42101",
        "qty_vehicle_decal": "12",
    }  # fmt: skip
    client_a.post(reverse("pledges:order_create"), data)
    client_a.post(reverse("pledges:order_create"), data)  # a double click
    assert SymbolOrder.objects.filter(organization=org_a).count() == 1


def test_order_list_query_count_is_bounded(client_a, org_a, admin_a, django_assert_max_num_queries):
    for n in range(12):
        order(org_a, admin_a, key=f"k{n}")
    with django_assert_max_num_queries(12):
        response = client_a.get(reverse("pledges:order_list"))
    assert response.status_code == 200


def test_involvement_submit_public_form_and_retry(client):
    form = client.get(reverse("pledges:get_involved")).context["form"]
    data = {
        "submission_key": form.initial["submission_key"], "kind": "relations_group",
        "name": "Rosa", "email": "rosa@example.org", "state": "KY", "city": "Bowling Green",
        "message": "We want to start a group.",
    }  # fmt: skip
    assert client.post(reverse("pledges:get_involved"), data).status_code == 302
    client.post(reverse("pledges:get_involved"), data)
    assert InvolvementRequest.objects.count() == 1


def test_involvement_submit_unknown_state_is_refused(client):
    response = client.post(
        reverse("pledges:get_involved"),
        {"submission_key": "abc", "kind": "mediation", "name": "A", "email": "a@example.org",
         "state": "XX", "city": "B"},
    )  # fmt: skip
    assert response.status_code == 200 and "state" in response.context["form"].errors


def test_involvement_list_and_status_for_program_staff(client, program_admin, admin_a):
    request, _ = services.involvement_submit(
        kind="host_event", name="Rosa", email="rosa@example.org", state="KY", city="BG",
        submission_key="k1",
    )  # fmt: skip
    client.force_login(admin_a)
    assert client.get(reverse("pledges:involvement_list")).status_code == 403
    client.force_login(program_admin)
    assert "rosa@example.org" in client.get(reverse("pledges:involvement_list")).content.decode()
    client.post(reverse("pledges:involvement_status", args=[request.pk]), {"status": "contacted"})
    request.refresh_from_db()
    assert request.status == "contacted" and request.handled_by == program_admin


def test_get_involved_page_in_spanish(client):
    body = client.get(reverse("pledges:get_involved"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Participe en su comunidad" in body
