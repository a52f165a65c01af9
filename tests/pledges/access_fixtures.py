"""URL parameters for the cross-organization walk: pledges objects owned by organization A.

The promise is left pending (not in the public registry), so public registry routes have no
reason to show organization A's marker.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from peacekit.pledges import services
from peacekit.pledges.models import (
    ChecklistStepTemplate,
    FootageUpload,
    Promise,
    PromiseEvent,
    ToolkitTemplate,
)


def _promise(org_a, owner_a):
    return Promise.objects.create(
        organization=org_a, organization_name="ORGA-SECRET Police Department",
        name_key="orga secret police department", kind="police", state="KY", city="Orga",
        contact_name="ORGA-SECRET contact", contact_email="contact@orga.example.org",
        submission_key="orga-secret-promise",
    )  # fmt: skip


def _event(org_a, owner_a):
    promise = Promise.objects.filter(organization=org_a).first() or _promise(org_a, owner_a)
    return PromiseEvent.objects.create(promise=promise, kind="local", date="2026-06-01").pk


def _item(org_a, owner_a):
    checklist = services.checklist_ensure(actor=owner_a, organization=org_a)
    return services.checklist_item_add(
        actor=owner_a, checklist=checklist, title="ORGA-SECRET step"
    ).pk


def _evidence(org_a, owner_a):
    from peacekit.pledges.models import ChecklistItem

    item = ChecklistItem.objects.get(pk=_item(org_a, owner_a))
    upload = SimpleUploadedFile("orga-secret.txt", b"ORGA-SECRET evidence")
    return services.checklist_evidence_add(actor=owner_a, item=item, upload=upload).pk


def _documentary(org_a, owner_a):
    return services.documentary_request_create(
        actor=owner_a, organization=org_a, title="ORGA-SECRET film", length_minutes=3,
        contact_email="film@orga.example.org",
    ).pk  # fmt: skip


def _upload(org_a, owner_a):
    from peacekit.pledges.models import DocumentaryRequest

    request = DocumentaryRequest.objects.get(pk=_documentary(org_a, owner_a))
    return FootageUpload.objects.create(
        request=request, original_name="orga-secret.mp4", total_bytes=10
    ).pk


def _order(org_a, owner_a):
    order, _created = services.symbol_order_create(
        actor=owner_a, organization=org_a, quantities={"vehicle_decal": 4},
        submission_key="orga-secret-order", ship_to_name="ORGA-SECRET",
        address_line1="1 Main St", city="Orga", state="KY", postal_code="42101",
    )  # fmt: skip
    return order.pk


def _involvement(org_a, owner_a):
    request, _created = services.involvement_submit(
        kind="mediation", name="ORGA-SECRET person", email="person@example.org", state="KY",
        city="Orga", submission_key="orga-secret-involvement",
    )  # fmt: skip
    return request.pk


KWARG_FACTORIES = {
    "promise_id": lambda org_a, owner_a: _promise(org_a, owner_a).pk,
    "event_id": _event,
    "item_id": _item,
    "evidence_id": _evidence,
    "step_id": lambda org_a, owner_a: ChecklistStepTemplate.objects.first().pk,
    "template_id": lambda org_a, owner_a: ToolkitTemplate.objects.first().pk,
    "documentary_id": _documentary,
    "upload_id": _upload,
    "order_id": _order,
    "involvement_id": _involvement,
    "fmt": lambda org_a, owner_a: "pdf",
    "kind": lambda org_a, owner_a: "press_release",
}
