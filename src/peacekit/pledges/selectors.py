"""Pledges reads: the public registry, sign-ons, checklists, toolkit documents, orders.

`promise_made` and `checklist_progress` are the contract other apps (training certification)
call; they take an organization and never raise.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.formats import date_format

from peacekit.core.access import scope_queryset
from peacekit.core.models import US_STATES, Organization, User
from peacekit.pledges import defaults
from peacekit.pledges.models import (
    Checklist,
    ChecklistItem,
    ChecklistStepTemplate,
    DocumentaryRequest,
    InvolvementRequest,
    Promise,
    PromiseEvent,
    PromiseTemplate,
    SymbolOrder,
    ToolkitTemplate,
)

STATE_NAMES = dict(US_STATES)


# ----------------------------------------------------------------------------- contract
def promise_made(*, organization: Organization) -> bool:
    """True when the organization's sign-on to the Peace Officer Promise is verified."""
    return Promise.objects.filter(
        organization=organization, status=Promise.Status.VERIFIED
    ).exists()


def checklist_progress(*, organization: Organization) -> float:
    """Share of the organization's applicable checklist steps that are done (0–1)."""
    counts = ChecklistItem.objects.filter(checklist__organization=organization).aggregate(
        applicable=Count("pk", filter=~Q(status=ChecklistItem.Status.NOT_APPLICABLE)),
        done=Count("pk", filter=Q(status=ChecklistItem.Status.DONE)),
    )
    return counts["done"] / counts["applicable"] if counts["applicable"] else 0.0


# ----------------------------------------------------------------------------- promise
def promise_template_current() -> PromiseTemplate:
    """The Promise wording in use (an unsaved default if staff have none active)."""
    template = PromiseTemplate.objects.filter(is_active=True).first()
    return template or PromiseTemplate(
        title=defaults.PROMISE_TITLE, body=defaults.PROMISE_BODY, is_active=True
    )


def registry_list(*, search: str = "", state: str = "") -> QuerySet[Promise]:
    """Verified promises for the public registry, newest first."""
    qs = Promise.objects.filter(status=Promise.Status.VERIFIED).select_related("organization")
    if state:
        qs = qs.filter(state=state)
    if search:
        qs = qs.filter(
            Q(organization__name__icontains=search)
            | Q(organization_name__icontains=search)
            | Q(city__icontains=search)
        )
    return qs.order_by("-promised_on", "organization_name")


def registry_state_counts() -> dict[str, int]:
    """Number of organizations that made the Promise, by state code."""
    rows = (
        Promise.objects.filter(status=Promise.Status.VERIFIED)
        .values("state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["state"]: row["n"] for row in rows}


def registry_rows(promises) -> list[dict]:
    """Plain rows for the registry's JSON and CSV (public fields only)."""
    return [
        {
            "organization": p.display_name,
            "kind": p.kind,
            "city": p.city,
            "state": p.state,
            "state_name": STATE_NAMES.get(p.state, p.state),
            "promise_date": p.promised_on.isoformat() if p.promised_on else "",
            "demo": p.is_demo,
        }
        for p in promises
    ]


def promise_list(*, user: User, status: str = "") -> QuerySet[Promise]:
    """Sign-ons the user may see: program staff all; members their organization's."""
    qs = scope_queryset(Promise.objects.select_related("organization"), user)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at")


def promise_for_organization(*, organization: Organization) -> Promise | None:
    """The organization's verified promise, if it made one."""
    return (
        Promise.objects.filter(organization=organization, status=Promise.Status.VERIFIED)
        .select_related("organization")
        .first()
    )


def promise_events(*, promise: Promise) -> QuerySet[PromiseEvent]:
    return promise.events.all()


# ----------------------------------------------------------------------------- checklist
def checklist_get(*, organization: Organization) -> Checklist | None:
    return Checklist.objects.filter(organization=organization).first()


def checklist_items(*, checklist: Checklist) -> QuerySet[ChecklistItem]:
    """The checklist's steps with owners and evidence (three queries however many steps)."""
    return (
        checklist.items.select_related("owner")
        .prefetch_related("evidence")
        .order_by("position", "id")
    )


def checklist_summary(items) -> dict:
    """Counts by status and the progress share for a list of steps."""
    counts = Counter(item.status for item in items)
    applicable = sum(counts.values()) - counts[ChecklistItem.Status.NOT_APPLICABLE]
    done = counts[ChecklistItem.Status.DONE]
    return {
        "total": sum(counts.values()),
        "done": done,
        "in_progress": counts[ChecklistItem.Status.IN_PROGRESS],
        "applicable": applicable,
        "progress": done / applicable if applicable else 0.0,
    }


def checklist_step_templates() -> QuerySet[ChecklistStepTemplate]:
    return ChecklistStepTemplate.objects.order_by("position", "id")


def organization_members(*, organization: Organization) -> QuerySet[User]:
    return User.objects.filter(memberships__organization=organization).order_by("full_name")


# ----------------------------------------------------------------------------- toolkit
@dataclass(frozen=True)
class Block:
    """One piece of a toolkit document: a heading, a paragraph or a bullet."""

    kind: str  # "heading", "paragraph", "bullet"
    text: str


@dataclass(frozen=True)
class ToolkitDocument:
    kind: str
    title: str
    blocks: list[Block]


def toolkit_templates() -> QuerySet[ToolkitTemplate]:
    return ToolkitTemplate.objects.order_by("kind")


def toolkit_document(*, template: ToolkitTemplate, organization: Organization) -> ToolkitDocument:
    """A toolkit document filled in with the organization's name, place and promise."""
    promise = promise_for_organization(organization=organization)
    event = (
        PromiseEvent.objects.filter(promise=promise)
        .exclude(status=PromiseEvent.Status.CANCELLED)
        .order_by("date")
        .first()
        if promise
        else None
    )
    values = {
        "{agency}": organization.name,
        "{city}": organization.city or organization.county or "",
        "{state}": STATE_NAMES.get(organization.state, organization.state),
        "{promise}": promise.promise_text
        if promise
        else promise_template_current().render(organization.name),
        "{event_date}": date_format(event.date, "F j, Y") if event else "[date of the event]",
    }

    def fill(text: str) -> str:
        for key, value in values.items():
            text = text.replace(key, value)
        return text

    blocks = []
    for chunk in template.body.replace("\r\n", "\n").split("\n\n"):
        for line in chunk.split("\n") if chunk.lstrip().startswith(("- ", "# ")) else [chunk]:
            line = line.strip()
            if not line:
                continue
            if line.startswith("# "):
                blocks.append(Block("heading", fill(line[2:].strip())))
            elif line.startswith("- "):
                blocks.append(Block("bullet", fill(line[2:].strip())))
            else:
                blocks.append(Block("paragraph", fill(" ".join(line.split()))))
    return ToolkitDocument(kind=template.kind, title=fill(template.title), blocks=blocks)


# ----------------------------------------------------------------------------- documentary
def documentary_list(*, user: User) -> QuerySet[DocumentaryRequest]:
    return (
        scope_queryset(DocumentaryRequest.objects.select_related("organization"), user)
        .annotate(upload_count=Count("uploads"))
        .order_by("-created_at")
    )


# ----------------------------------------------------------------------------- symbols
def symbol_order_list(*, user: User, status: str = "") -> QuerySet[SymbolOrder]:
    from peacekit.pledges.models import SymbolOrderLine

    qs = scope_queryset(SymbolOrder.objects.select_related("organization"), user).prefetch_related(
        Prefetch("lines", queryset=SymbolOrderLine.objects.order_by("id"))
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at")


# ----------------------------------------------------------------------------- get involved
def involvement_list(*, status: str = "", kind: str = "") -> QuerySet[InvolvementRequest]:
    """Community requests for program staff (callers check the role)."""
    qs = InvolvementRequest.objects.all()
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at")


def program_summary() -> dict[str, int]:
    """Counts program staff act on: sign-ons, orders, documentaries, community requests."""
    return {
        "verified": Promise.objects.filter(status=Promise.Status.VERIFIED).count(),
        "pending": Promise.objects.filter(status=Promise.Status.PENDING).count(),
        "open_orders": SymbolOrder.objects.filter(
            status__in=[SymbolOrder.Status.SUBMITTED, SymbolOrder.Status.APPROVED]
        ).count(),
        "open_documentaries": DocumentaryRequest.objects.exclude(
            status__in=[DocumentaryRequest.Status.DELIVERED, DocumentaryRequest.Status.CANCELLED]
        ).count(),
        "new_requests": InvolvementRequest.objects.filter(
            status=InvolvementRequest.Status.NEW
        ).count(),
    }
