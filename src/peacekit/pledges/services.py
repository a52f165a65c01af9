"""Pledges writes: sign-on and verification, events, checklist, toolkit, documentary, symbols.

Every service is keyword-only, atomic and records an audit event whose metadata holds ids and
labels only. Public submissions carry a client-generated submission key: a retried POST
returns the first result instead of creating a second one.
"""

from __future__ import annotations

import re
import tempfile
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from peacekit.core.models import Organization, User
from peacekit.core.services import audit_record, email_send, organization_create
from peacekit.pledges.models import (
    Checklist,
    ChecklistEvidence,
    ChecklistItem,
    ChecklistStepTemplate,
    DocumentaryRequest,
    FootageUpload,
    InvolvementRequest,
    Promise,
    PromiseEvent,
    PromiseTemplate,
    SymbolOrder,
    SymbolOrderLine,
    ToolkitTemplate,
)
from peacekit.pledges.selectors import promise_template_current

STATE_CODES = frozenset(code for code, _name in Promise._meta.get_field("state").choices)
FOOTAGE_MAX_BYTES = getattr(settings, "PEACEKIT_MAX_FOOTAGE_BYTES", 20 * 1024**3)
FOOTAGE_CHUNK_MAX_BYTES = 8 * 1024 * 1024


def name_key(name: str) -> str:
    """A name reduced to compare sign-ons: case, punctuation and spacing ignored."""
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower()


def _domain_matches(email: str, domain: str) -> bool:
    domain = domain.strip().lower().lstrip("@")
    actual = _email_domain(email)
    return bool(domain) and (actual == domain or actual.endswith("." + domain))


# ----------------------------------------------------------------------------- promise template
@transaction.atomic
def promise_template_save(*, actor: User, title: str, body: str) -> PromiseTemplate:
    """Save a new version of the Promise wording and make it the one in use."""
    if "{agency}" not in body:
        raise ValidationError(
            {"body": _("Write {agency} where the organization's name goes in the promise.")}
        )
    PromiseTemplate.objects.filter(is_active=True).update(is_active=False)
    template = PromiseTemplate.objects.create(
        title=title.strip(), body=body.strip(), is_active=True, created_by=actor
    )
    audit_record(actor=actor, action="promise_template.save", obj=template)
    return template


# ----------------------------------------------------------------------------- sign-on
def _matching_organization(*, organization_name: str, state: str, ori_code: str):
    if ori_code:
        match = Organization.objects.filter(ori_code=ori_code).first()
        if match is not None:
            return match
    key = name_key(organization_name)
    for candidate in Organization.objects.filter(state=state, name__iexact=organization_name):
        if name_key(candidate.name) == key:
            return candidate
    return None


def _duplicate_message(existing: Promise) -> str:
    if existing.status == Promise.Status.VERIFIED:
        return _(
            "This organization has already made the Peace Officer Promise; it is in the "
            "public registry. To change its details, contact the program."
        )
    return _(
        "This organization has already signed on and is waiting for verification. "
        "You do not need to sign on again."
    )


@transaction.atomic
def promise_sign_on(
    *,
    organization_name: str,
    kind: str,
    state: str,
    city: str,
    contact_name: str,
    contact_email: str,
    submission_key: str,
    contact_title: str = "",
    ori_code: str = "",
    is_demo: bool = False,
) -> tuple[Promise, bool]:
    """Record a public sign-on; returns (promise, created). A retry with the same key is a no-op.

    Duplicates (same name in the same state, or the same ORI) are refused with a clear message.
    When the contact's email domain matches a known organization's domain, it is verified at
    once; otherwise it waits for program staff.
    """
    existing = Promise.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return existing, False
    organization_name = " ".join(organization_name.split())
    ori_code = ori_code.strip().upper()
    if state not in STATE_CODES:
        raise ValidationError({"state": _("Choose a U.S. state from the list.")})
    key = name_key(organization_name)
    duplicate = (
        Promise.objects.exclude(status=Promise.Status.REJECTED).filter(name_key=key, state=state)
    ).first()
    if duplicate is None and ori_code:
        duplicate = (
            Promise.objects.exclude(status=Promise.Status.REJECTED).filter(ori_code=ori_code)
        ).first()
    if duplicate is not None:
        raise ValidationError({"organization_name": _duplicate_message(duplicate)})
    promise = Promise(
        organization_name=organization_name,
        name_key=key,
        kind=kind,
        state=state,
        city=city.strip(),
        ori_code=ori_code,
        contact_name=contact_name.strip(),
        contact_title=contact_title.strip(),
        contact_email=contact_email.strip().lower(),
        submission_key=submission_key,
        is_demo=is_demo,
    )
    promise.full_clean(exclude=["name_key"])
    try:
        with transaction.atomic():
            promise.save()
    except IntegrityError as exc:  # a concurrent twin got there first
        raise ValidationError(
            {"organization_name": _("This organization has already signed on.")}
        ) from exc
    audit_record(
        actor=None,
        action="promise.sign_on",
        obj=promise,
        metadata={"state": state, "kind": kind},
    )
    match = _matching_organization(
        organization_name=organization_name, state=state, ori_code=ori_code
    )
    if match is not None and _domain_matches(promise.contact_email, match.email_domain):
        promise = promise_verify(
            actor=None,
            promise=promise,
            organization=match,
            method=Promise.Verification.EMAIL_DOMAIN,
        )
    return promise, True


@transaction.atomic
def promise_verify(
    *,
    actor: User | None,
    promise: Promise,
    organization: Organization | None = None,
    method: str = Promise.Verification.MANUAL,
    notify: bool = True,
) -> Promise:
    """Verify a sign-on: link (or create) its organization, fix the promise text, add it to the
    registry, give the organization its own implementation checklist and (if `notify`) email
    the contact once the transaction commits."""
    promise = Promise.objects.select_for_update().get(pk=promise.pk)
    if promise.status == Promise.Status.VERIFIED:
        return promise
    if organization is None:
        organization = _matching_organization(
            organization_name=promise.organization_name,
            state=promise.state,
            ori_code=promise.ori_code,
        )
    if organization is None:
        organization = organization_create(
            actor=actor,
            name=promise.organization_name,
            kind=promise.kind,
            state=promise.state,
            city=promise.city,
            ori_code=promise.ori_code,
            email=promise.contact_email,
        )
    if Promise.objects.filter(organization=organization, status=Promise.Status.VERIFIED).exists():
        raise ValidationError(_("That organization has already made the Promise."))
    template = promise_template_current()
    promise.organization = organization
    promise.status = Promise.Status.VERIFIED
    promise.verification = method
    promise.verified_at = timezone.now()
    promise.verified_by = actor if actor is not None and actor.is_authenticated else None
    promise.promised_on = promise.promised_on or timezone.localdate()
    promise.template = template if template.pk else None
    promise.promise_text = template.render(organization.name)
    promise.save()
    checklist_ensure(actor=actor, organization=organization)
    if notify:
        _email_verified(promise)
    audit_record(
        actor=actor,
        action="promise.verify",
        obj=promise,
        organization=organization,
        metadata={"method": method},
    )
    return promise


def _email_verified(promise: Promise) -> None:
    """Tell the contact, once the transaction commits, that the Promise is in the registry."""
    from django.template.loader import render_to_string
    from django.urls import reverse

    body = render_to_string(
        "pledges/email/verified.txt",
        {"promise": promise, "registry_url": settings.SITE_URL + reverse("pledges:registry")},
    )
    # Sent on commit; a down mail server queues a `core.send_email` retry job instead.
    email_send(
        subject="Your Peace Officer Promise is verified",
        body=body,
        to=[promise.contact_email],
        organization=promise.organization,
    )


@transaction.atomic
def promise_reject(*, actor: User, promise: Promise) -> Promise:
    """Decline a sign-on that could not be verified (it stays out of the registry)."""
    if promise.status == Promise.Status.VERIFIED:
        raise ValidationError(_("A verified promise cannot be rejected."))
    promise.status = Promise.Status.REJECTED
    promise.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="promise.reject", obj=promise)
    return promise


@transaction.atomic
def promise_event_schedule(
    *, actor: User, promise: Promise, kind: str, date: date, location: str = ""
) -> PromiseEvent:
    """Schedule the public event where the Promise is made (the national event is in May)."""
    if promise.status != Promise.Status.VERIFIED:
        raise ValidationError(_("Events can be scheduled once the sign-on is verified."))
    if kind == PromiseEvent.Kind.NATIONAL and date.month != 5:
        raise ValidationError({"date": _("The national event takes place in May.")})
    event = PromiseEvent(promise=promise, kind=kind, date=date, location=location.strip())
    event.full_clean()
    event.save()
    audit_record(
        actor=actor,
        action="promise_event.schedule",
        obj=event,
        organization=promise.organization,
        metadata={"kind": kind, "date": date.isoformat()},
    )
    return event


@transaction.atomic
def promise_event_set_status(*, actor: User, event: PromiseEvent, status: str) -> PromiseEvent:
    """Mark an event held or cancelled; a held event's date becomes the promise's date."""
    if status not in PromiseEvent.Status.values:
        raise ValidationError(_("Unknown status."))
    event.status = status
    event.save(update_fields=["status", "updated_at"])
    if status == PromiseEvent.Status.HELD:
        Promise.objects.filter(pk=event.promise_id).update(promised_on=event.date)
    audit_record(
        actor=actor,
        action="promise_event.status",
        obj=event,
        organization=event.promise.organization,
        metadata={"status": status},
    )
    return event


# ----------------------------------------------------------------------------- checklist template
@transaction.atomic
def checklist_step_template_add(
    *, actor: User, title: str, description: str = ""
) -> ChecklistStepTemplate:
    """Add a step at the end of the program's checklist template."""
    last = ChecklistStepTemplate.objects.aggregate(m=Max("position"))["m"] or 0
    step = ChecklistStepTemplate.objects.create(
        title=title.strip(), description=description.strip(), position=last + 1
    )
    audit_record(actor=actor, action="checklist_step_template.add", obj=step)
    return step


@transaction.atomic
def checklist_step_template_update(
    *, actor: User, step: ChecklistStepTemplate, title: str, description: str, is_active: bool
) -> ChecklistStepTemplate:
    """Change a template step (copies agencies already made keep their own wording)."""
    step.title, step.description, step.is_active = title.strip(), description.strip(), is_active
    step.full_clean()
    step.save()
    audit_record(actor=actor, action="checklist_step_template.update", obj=step)
    return step


def _reorder(items: list, item, direction: str) -> None:
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items, start=1):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position", "updated_at"])


@transaction.atomic
def checklist_step_template_move(
    *, actor: User, step: ChecklistStepTemplate, direction: str
) -> None:
    """Move a template step up or down."""
    _reorder(list(ChecklistStepTemplate.objects.select_for_update()), step, direction)
    audit_record(
        actor=actor,
        action="checklist_step_template.move",
        obj=step,
        metadata={"direction": direction},
    )


# ----------------------------------------------------------------------------- checklist
@transaction.atomic
def checklist_ensure(*, actor: User | None, organization: Organization) -> Checklist:
    """The organization's checklist, created from the program's template on first use."""
    checklist, created = Checklist.objects.get_or_create(organization=organization)
    if created:
        steps = ChecklistStepTemplate.objects.filter(is_active=True)
        ChecklistItem.objects.bulk_create(
            ChecklistItem(
                checklist=checklist,
                template_step=step,
                title=step.title,
                description=step.description,
                position=position,
            )
            for position, step in enumerate(steps, start=1)
        )
        audit_record(actor=actor, action="checklist.create", obj=checklist)
    return checklist


def _check_owner(checklist: Checklist, owner: User | None) -> None:
    if (
        owner is not None
        and not owner.memberships.filter(organization_id=checklist.organization_id).exists()
    ):
        raise ValidationError({"owner": _("The owner must be a member of the organization.")})


@transaction.atomic
def checklist_item_add(
    *,
    actor: User,
    checklist: Checklist,
    title: str,
    description: str = "",
    owner: User | None = None,
    due_date: date | None = None,
) -> ChecklistItem:
    """Add the organization's own step at the end of its checklist."""
    _check_owner(checklist, owner)
    last = checklist.items.aggregate(m=Max("position"))["m"] or 0
    item = ChecklistItem(
        checklist=checklist,
        title=title.strip(),
        description=description.strip(),
        owner=owner,
        due_date=due_date,
        position=last + 1,
    )
    item.full_clean()
    item.save()
    audit_record(actor=actor, action="checklist_item.add", obj=item)
    return item


@transaction.atomic
def checklist_item_update(
    *,
    actor: User,
    item: ChecklistItem,
    title: str,
    description: str,
    owner: User | None,
    due_date: date | None,
    status: str,
) -> ChecklistItem:
    """Change a step's wording, owner, due date or status."""
    _check_owner(item.checklist, owner)
    changed = [
        name
        for name, value in {
            "title": title.strip(),
            "description": description.strip(),
            "owner": owner,
            "due_date": due_date,
            "status": status,
        }.items()
        if getattr(item, name) != value
    ]
    item.title, item.description, item.owner = title.strip(), description.strip(), owner
    item.due_date = due_date
    if status != item.status:
        item.completed_at = timezone.now() if status == ChecklistItem.Status.DONE else None
    item.status = status
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        action="checklist_item.update",
        obj=item,
        metadata={"fields": changed, "status": status},
    )
    return item


@transaction.atomic
def checklist_item_remove(*, actor: User, item: ChecklistItem) -> None:
    """Remove a step (and its evidence files) from the organization's checklist."""
    audit_record(actor=actor, action="checklist_item.remove", obj=item)
    for evidence in item.evidence.all():
        evidence.file.delete(save=False)
    item.delete()


@transaction.atomic
def checklist_item_move(*, actor: User, item: ChecklistItem, direction: str) -> None:
    """Move a step up or down in the organization's checklist."""
    items = list(item.checklist.items.select_for_update())
    _reorder(items, item, direction)
    audit_record(
        actor=actor, action="checklist_item.move", obj=item, metadata={"direction": direction}
    )


@transaction.atomic
def checklist_evidence_add(
    *, actor: User, item: ChecklistItem, upload: UploadedFile
) -> ChecklistEvidence:
    """Attach an evidence file to a step; files over PEACEKIT_MAX_UPLOAD_BYTES are refused."""
    limit = settings.PEACEKIT_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            {
                "file": _("The file is %(size)s; the largest file allowed is %(limit)s.")
                % {"size": _megabytes(upload.size), "limit": _megabytes(limit)}
            }
        )
    if upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    original = get_valid_filename(upload.name or "evidence")[-150:] or "evidence"
    evidence = ChecklistEvidence(
        item=item, original_name=original, size=upload.size, uploaded_by=actor
    )
    try:
        evidence.file.save(original, upload, save=False)
    except OSError as exc:  # disk full, storage down: tell the user, keep nothing
        raise ValidationError(
            {
                "file": _(
                    "The file could not be saved (the server is out of space or storage is "
                    "unavailable). Nothing was attached; please try again later."
                )
            }
        ) from exc
    evidence.save()
    audit_record(
        actor=actor,
        action="checklist_evidence.add",
        obj=evidence,
        organization=item.checklist.organization,
        metadata={"item_id": item.pk, "size": upload.size},
    )
    return evidence


@transaction.atomic
def checklist_evidence_remove(*, actor: User, evidence: ChecklistEvidence) -> None:
    """Delete an evidence file."""
    audit_record(
        actor=actor,
        action="checklist_evidence.remove",
        obj=evidence,
        organization=evidence.item.checklist.organization,
    )
    evidence.file.delete(save=False)
    evidence.delete()


# ----------------------------------------------------------------------------- toolkit
@transaction.atomic
def toolkit_template_update(
    *, actor: User, template: ToolkitTemplate, title: str, body: str
) -> ToolkitTemplate:
    """Change a toolkit document's wording (every agency's next download uses it)."""
    template.title, template.body, template.updated_by = title.strip(), body.strip(), actor
    template.full_clean()
    template.save()
    audit_record(actor=actor, action="toolkit_template.update", obj=template)
    return template


# ----------------------------------------------------------------------------- documentary
@transaction.atomic
def documentary_request_create(
    *,
    actor: User,
    organization: Organization,
    title: str,
    length_minutes: int,
    contact_email: str,
    notes: str = "",
) -> DocumentaryRequest:
    """Request a 2–5 minute mini-documentary for an organization."""
    request = DocumentaryRequest(
        organization=organization,
        requested_by=actor,
        title=title.strip(),
        length_minutes=length_minutes,
        contact_email=contact_email.strip().lower(),
        notes=notes.strip(),
    )
    request.full_clean()
    request.save()
    audit_record(
        actor=actor,
        action="documentary.request",
        obj=request,
        metadata={"length_minutes": length_minutes},
    )
    return request


@transaction.atomic
def documentary_status_set(
    *, actor: User, request: DocumentaryRequest, status: str, delivery_url: str = ""
) -> DocumentaryRequest:
    """Program staff move a documentary along; delivery needs a link to the finished film."""
    if status not in DocumentaryRequest.Status.values:
        raise ValidationError(_("Unknown status."))
    if status == DocumentaryRequest.Status.DELIVERED and not (delivery_url or request.delivery_url):
        raise ValidationError({"delivery_url": _("Add the link to the finished film.")})
    request.status = status
    if delivery_url:
        request.delivery_url = delivery_url
    request.delivered_at = timezone.now() if status == DocumentaryRequest.Status.DELIVERED else None
    request.full_clean()
    request.save()
    audit_record(actor=actor, action="documentary.status", obj=request, metadata={"status": status})
    return request


@transaction.atomic
def footage_upload_start(
    *, actor: User, request: DocumentaryRequest, original_name: str, total_bytes: int
) -> FootageUpload:
    """Begin a resumable footage upload of a known size."""
    if request.status in {DocumentaryRequest.Status.DELIVERED, DocumentaryRequest.Status.CANCELLED}:
        raise ValidationError(_("This documentary is closed to new footage."))
    if total_bytes <= 0:
        raise ValidationError({"total_bytes": _("The file is empty.")})
    if total_bytes > FOOTAGE_MAX_BYTES:
        raise ValidationError(
            {
                "total_bytes": _("The file is %(size)s; the largest file allowed is %(limit)s.")
                % {"size": _megabytes(total_bytes), "limit": _megabytes(FOOTAGE_MAX_BYTES)}
            }
        )
    upload = FootageUpload.objects.create(
        request=request,
        original_name=get_valid_filename(original_name or "footage")[-150:] or "footage",
        total_bytes=total_bytes,
        uploaded_by=actor,
    )
    audit_record(
        actor=actor,
        action="footage.start",
        obj=upload,
        organization=request.organization,
        metadata={"request_id": request.pk, "total_bytes": total_bytes},
    )
    return upload


def _part_name(upload: FootageUpload, offset: int) -> str:
    return f"pledges/footage/{upload.request_id}/{upload.pk}/part-{offset:015d}"


def footage_upload_chunk(*, actor: User, upload: FootageUpload, offset: int, data: bytes) -> int:
    """Store one chunk at `offset`; returns the bytes received so far.

    A chunk the server already has (a retry) is acknowledged without being stored twice; a chunk
    that would leave a gap is refused with the offset to resume from. The last chunk joins the
    parts into one file in default storage (local disk or S3-compatible by setting).
    """
    with transaction.atomic():
        upload = FootageUpload.objects.select_for_update().get(pk=upload.pk)
        if upload.status == FootageUpload.Status.COMPLETE:
            return upload.received_bytes
        if offset + len(data) <= upload.received_bytes:
            return upload.received_bytes  # a retried chunk we already stored
        if offset != upload.received_bytes:
            raise ValidationError(
                _("Resume the upload at byte %(offset)s.") % {"offset": upload.received_bytes}
            )
        if not data:
            raise ValidationError(_("The chunk is empty."))
        if len(data) > FOOTAGE_CHUNK_MAX_BYTES:
            raise ValidationError(_("Send the file in smaller pieces."))
        if offset + len(data) > upload.total_bytes:
            raise ValidationError(_("The upload is larger than the size announced."))
        name = _part_name(upload, offset)
        if default_storage.exists(name):
            default_storage.delete(name)
        default_storage.save(name, ContentFile(data))
        upload.received_bytes = offset + len(data)
        upload.chunk_count += 1
        upload.save(update_fields=["received_bytes", "chunk_count", "updated_at"])
        if upload.received_bytes == upload.total_bytes:
            _footage_assemble(actor=actor, upload=upload)
        return upload.received_bytes


def _footage_assemble(*, actor: User, upload: FootageUpload) -> None:
    prefix = f"pledges/footage/{upload.request_id}/{upload.pk}/"
    _dirs, files = default_storage.listdir(prefix)
    parts = sorted(name for name in files if name.startswith("part-"))
    with tempfile.TemporaryFile() as joined:
        for part in parts:
            with default_storage.open(prefix + part, "rb") as handle:
                for block in iter(lambda h=handle: h.read(1024 * 1024), b""):
                    joined.write(block)
        joined.seek(0)
        final = default_storage.save(prefix + upload.original_name, File(joined))
    for part in parts:
        default_storage.delete(prefix + part)
    upload.file.name = final
    upload.status = FootageUpload.Status.COMPLETE
    upload.save(update_fields=["file", "status", "updated_at"])
    request = upload.request
    if request.status in {DocumentaryRequest.Status.REQUESTED, DocumentaryRequest.Status.FILMING}:
        request.status = DocumentaryRequest.Status.FOOTAGE_RECEIVED
        request.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="footage.complete",
        obj=upload,
        organization=request.organization,
        metadata={"request_id": request.pk, "total_bytes": upload.total_bytes},
    )


# ----------------------------------------------------------------------------- symbols
@transaction.atomic
def symbol_order_create(
    *,
    actor: User,
    organization: Organization,
    quantities: dict[str, int],
    submission_key: str,
    **address: Any,
) -> tuple[SymbolOrder, bool]:
    """Order decals and emblems; returns (order, created). A retried form is not ordered twice."""
    existing = SymbolOrder.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        if existing.organization_id != organization.pk:
            raise ValidationError(_("This form was already used. Reload the page."))
        return existing, False
    lines = {item: int(qty) for item, qty in quantities.items() if qty}
    unknown = set(lines) - set(SymbolOrderLine.Item.values)
    if unknown:
        raise ValidationError(_("Unknown item."))
    if not lines:
        raise ValidationError(_("Order at least one item."))
    if any(qty < 1 or qty > 5000 for qty in lines.values()):
        raise ValidationError(_("Quantities must be between 1 and 5,000."))
    order = SymbolOrder(
        organization=organization, ordered_by=actor, submission_key=submission_key, **address
    )
    order.full_clean()
    order.save()
    SymbolOrderLine.objects.bulk_create(
        SymbolOrderLine(order=order, item=item, quantity=qty) for item, qty in lines.items()
    )
    audit_record(
        actor=actor,
        action="symbol_order.create",
        obj=order,
        metadata={"items": lines},
    )
    return order, True


@transaction.atomic
def symbol_order_status_set(
    *, actor: User, order: SymbolOrder, status: str, tracking_number: str = ""
) -> SymbolOrder:
    """Program staff record fulfilment: approved, shipped (with tracking), delivered."""
    if status not in SymbolOrder.Status.values:
        raise ValidationError(_("Unknown status."))
    order.status = status
    if tracking_number:
        order.tracking_number = tracking_number.strip()
    order.full_clean()
    order.save()
    audit_record(actor=actor, action="symbol_order.status", obj=order, metadata={"status": status})
    return order


# ----------------------------------------------------------------------------- get involved
@transaction.atomic
def involvement_submit(
    *,
    kind: str,
    name: str,
    email: str,
    state: str,
    city: str,
    submission_key: str,
    phone: str = "",
    message: str = "",
) -> tuple[InvolvementRequest, bool]:
    """A community member's public request; returns (request, created). Retries are no-ops."""
    existing = InvolvementRequest.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return existing, False
    if state not in STATE_CODES:
        raise ValidationError({"state": _("Choose a U.S. state from the list.")})
    request = InvolvementRequest(
        kind=kind,
        name=name.strip(),
        email=email.strip().lower(),
        phone=phone.strip(),
        state=state,
        city=city.strip(),
        message=message.strip(),
        submission_key=submission_key,
    )
    request.full_clean()
    request.save()
    audit_record(
        actor=None,
        action="involvement.submit",
        obj=request,
        metadata={"kind": kind, "state": state},
    )
    return request, True


@transaction.atomic
def involvement_status_set(
    *, actor: User, request: InvolvementRequest, status: str
) -> InvolvementRequest:
    """Program staff record how a community request is being handled."""
    if status not in InvolvementRequest.Status.values:
        raise ValidationError(_("Unknown status."))
    request.status = status
    request.handled_by = actor
    request.save(update_fields=["status", "handled_by", "updated_at"])
    audit_record(actor=actor, action="involvement.status", obj=request, metadata={"status": status})
    return request
