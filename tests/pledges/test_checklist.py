"""The implementation checklist: template, agency copy, edits, evidence, progress, exports."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peacekit.pledges import selectors, services
from peacekit.pledges.models import ChecklistItem
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def checklist(org_a, admin_a):
    return services.checklist_ensure(actor=admin_a, organization=org_a)


def test_checklist_ensure_copies_the_template_once(org_a, admin_a, checklist):
    titles = list(checklist.items.values_list("title", flat=True))
    assert titles[0] == "Organizational audit" and "Policy review: use of force" in titles
    assert "Honest progress reporting" in titles
    again = services.checklist_ensure(actor=admin_a, organization=org_a)
    assert again.pk == checklist.pk and again.items.count() == len(titles)


def test_checklist_progress_counts_done_over_applicable(org_a, admin_a, checklist):
    items = list(checklist.items.all())
    for item in items[:3]:
        _set_status(admin_a, item, ChecklistItem.Status.DONE)
    _set_status(admin_a, items[3], ChecklistItem.Status.NOT_APPLICABLE)
    assert selectors.checklist_progress(organization=org_a) == pytest.approx(3 / (len(items) - 1))


def _set_status(actor, item, status):
    return services.checklist_item_update(
        actor=actor, item=item, title=item.title, description=item.description,
        owner=item.owner, due_date=item.due_date, status=status,
    )  # fmt: skip


def test_checklist_item_add_move_and_remove(admin_a, checklist):
    item = services.checklist_item_add(actor=admin_a, checklist=checklist, title="Town hall")
    assert list(checklist.items.order_by("position"))[-1] == item
    services.checklist_item_move(actor=admin_a, item=item, direction="up")
    ordered = list(checklist.items.order_by("position").values_list("title", flat=True))
    assert ordered[-2] == "Town hall"
    services.checklist_item_remove(actor=admin_a, item=item)
    assert not checklist.items.filter(title="Town hall").exists()


def test_checklist_item_owner_must_be_a_member(admin_a, admin_b, checklist):
    with pytest.raises(ValidationError):
        services.checklist_item_add(actor=admin_a, checklist=checklist, title="X", owner=admin_b)


def test_checklist_evidence_add_oversized_file_gets_clear_error(admin_a, checklist, settings):
    settings.PEACEKIT_MAX_UPLOAD_BYTES = 100
    item = checklist.items.first()
    with pytest.raises(ValidationError) as error:
        services.checklist_evidence_add(
            actor=admin_a, item=item, upload=SimpleUploadedFile("big.pdf", b"x" * 500)
        )
    assert "largest file allowed" in str(error.value)
    assert not item.evidence.exists()


def test_evidence_upload_page_oversized_file_shows_message(client_a, checklist, settings):
    settings.PEACEKIT_MAX_UPLOAD_BYTES = 100
    item = checklist.items.first()
    response = client_a.post(
        reverse("pledges:evidence_upload", args=[item.pk]),
        {"file": SimpleUploadedFile("big.pdf", b"x" * 500)},
        follow=True,
    )
    assert "largest file allowed is 0.0 MB" in response.content.decode()


def test_evidence_upload_and_download_by_member(client_a, checklist, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    item = checklist.items.first()
    client_a.post(
        reverse("pledges:evidence_upload", args=[item.pk]),
        {"file": SimpleUploadedFile("audit minutes.pdf", b"%PDF-1.4 minutes")},
    )
    evidence = item.evidence.get()
    assert evidence.original_name == "audit_minutes.pdf"
    response = client_a.get(reverse("pledges:evidence_download", args=[evidence.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 minutes"


def test_checklist_page_viewer_cannot_edit(client, org_a, checklist):
    viewer = member(org_a, "viewer")
    client.force_login(viewer)
    response = client.get(reverse("pledges:checklist", args=[org_a.pk]))
    assert response.status_code == 200
    assert "Add a step" not in response.content.decode()
    item = checklist.items.first()
    response = client.post(reverse("pledges:checklist_item_remove", args=[item.pk]))
    assert response.status_code == 403


def test_checklist_page_query_count_is_bounded(
    client_a, org_a, admin_a, checklist, django_assert_max_num_queries
):
    for n in range(20):
        services.checklist_item_add(actor=admin_a, checklist=checklist, title=f"Extra {n}")
    with django_assert_max_num_queries(20):
        response = client_a.get(reverse("pledges:checklist", args=[org_a.pk]))
    assert "Extra 19" in response.content.decode()


def test_checklist_status_change_updates_progress_bar(client_a, org_a, checklist):
    item = checklist.items.first()
    client_a.post(reverse("pledges:checklist_item_status", args=[item.pk]), {"status": "done"})
    body = client_a.get(reverse("pledges:checklist", args=[org_a.pk])).content.decode()
    assert "1 of 11 steps done" in body


def test_checklist_export_xlsx_has_every_step(client_a, org_a, checklist):
    from openpyxl import load_workbook

    response = client_a.get(reverse("pledges:checklist_export", args=[org_a.pk, "xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["Checklist"]
    titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles[0] == "Organizational audit" and len(titles) == 11


def test_checklist_export_pdf(client_a, org_a, checklist):
    response = client_a.get(reverse("pledges:checklist_export", args=[org_a.pk, "pdf"]))
    assert response.content.startswith(b"%PDF")


def test_checklist_export_unknown_format_is_404(client_a, org_a, checklist):
    response = client_a.get(reverse("pledges:checklist_export", args=[org_a.pk, "exe"]))
    assert response.status_code == 404


def test_step_template_add_is_for_program_staff(client, program_admin, admin_a):
    client.force_login(admin_a)
    assert client.get(reverse("pledges:step_template_list")).status_code == 403
    client.force_login(program_admin)
    client.post(reverse("pledges:step_template_list"), {"title": "Youth dialogue"})
    from peacekit.pledges.models import ChecklistStepTemplate

    assert ChecklistStepTemplate.objects.filter(title="Youth dialogue").exists()
