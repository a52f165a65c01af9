"""Permission-checked fetches for the pledges app (built on core.access).

Members see their own organization's promise, checklist, orders and documentary requests;
program staff see every organization's. Sign-ons still waiting for verification have no
organization yet, so only program staff see them. Community requests are program staff only.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import Http404

from peacekit.core.access import STAFF_ROLES, access_object, require_program_staff
from peacekit.core.models import User
from peacekit.pledges.models import (
    ChecklistEvidence,
    ChecklistItem,
    ChecklistStepTemplate,
    DocumentaryRequest,
    FootageUpload,
    InvolvementRequest,
    Promise,
    PromiseEvent,
    SymbolOrder,
    ToolkitTemplate,
)

EDIT_ROLES = STAFF_ROLES  # program and agency admins, facilitators, analysts; viewers only read


def access_promise(user: User, promise_id, *, roles: Iterable[str] | None = None) -> Promise:
    """A sign-on of the user's organization (pending ones: program staff only)."""
    return access_object(
        user, Promise.objects.select_related("organization"), promise_id, roles=roles
    )


def access_promise_event(
    user: User, event_id, *, roles: Iterable[str] | None = None
) -> PromiseEvent:
    return access_object(
        user,
        PromiseEvent.objects.select_related("promise__organization"),
        event_id,
        org_field="promise__organization",
        roles=roles,
    )


def access_checklist_item(
    user: User, item_id, *, roles: Iterable[str] | None = None
) -> ChecklistItem:
    return access_object(
        user,
        ChecklistItem.objects.select_related("checklist__organization", "owner"),
        item_id,
        org_field="checklist__organization",
        roles=roles,
    )


def access_evidence(
    user: User, evidence_id, *, roles: Iterable[str] | None = None
) -> ChecklistEvidence:
    return access_object(
        user,
        ChecklistEvidence.objects.select_related("item__checklist__organization"),
        evidence_id,
        org_field="item__checklist__organization",
        roles=roles,
    )


def access_documentary(
    user: User, documentary_id, *, roles: Iterable[str] | None = None
) -> DocumentaryRequest:
    return access_object(
        user,
        DocumentaryRequest.objects.select_related("organization"),
        documentary_id,
        roles=roles,
    )


def access_footage_upload(
    user: User, upload_id, *, roles: Iterable[str] | None = None
) -> FootageUpload:
    return access_object(
        user,
        FootageUpload.objects.select_related("request__organization"),
        upload_id,
        org_field="request__organization",
        roles=roles,
    )


def access_symbol_order(user: User, order_id, *, roles: Iterable[str] | None = None) -> SymbolOrder:
    return access_object(
        user, SymbolOrder.objects.select_related("organization"), order_id, roles=roles
    )


def _staff_get(user: User, qs, object_id):
    require_program_staff(user)
    try:
        return qs.get(pk=object_id)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Not found.") from exc


def access_involvement(user: User, involvement_id) -> InvolvementRequest:
    """A community member's request (program staff only: it holds contact details)."""
    return _staff_get(user, InvolvementRequest.objects.all(), involvement_id)


def access_step_template(user: User, step_id) -> ChecklistStepTemplate:
    return _staff_get(user, ChecklistStepTemplate.objects.all(), step_id)


def access_toolkit_template(user: User, template_id) -> ToolkitTemplate:
    return _staff_get(user, ToolkitTemplate.objects.all(), template_id)
