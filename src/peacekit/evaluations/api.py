"""360 evaluations API: cycles and their response progress (counts only), for HR."""

from __future__ import annotations

from datetime import date

from ninja import Router, Schema

from peacekit.evaluations import selectors
from peacekit.evaluations.access import access_cycle, cycles_visible

router = Router(tags=["evaluations"])


class CycleOut(Schema):
    id: int
    name: str
    rank_target: str
    is_pilot: bool
    status: str
    deadline: date | None
    organization_id: int


class GroupProgressOut(Schema):
    group: str
    invited: int
    responded: int
    declined: int


class ProgressOut(Schema):
    cycle_id: int
    invited: int
    responded: int
    groups: list[GroupProgressOut]


@router.get("/cycles", response=list[CycleOut], summary="Evaluation cycles you run")
def cycles(request):
    return list(cycles_visible(request.user).order_by("-created_at", "-pk")[:200])


@router.get(
    "/cycles/{cycle_id}/progress",
    response=ProgressOut,
    summary="Response counts by rater group (never who answered)",
)
def cycle_progress(request, cycle_id: int):
    cycle = access_cycle(request.user, cycle_id)
    progress = selectors.cycle_progress(cycle=cycle)
    return {
        "cycle_id": cycle.pk,
        "invited": progress["asked"],
        "responded": progress["completed"],
        "groups": [
            {"group": g.group, "invited": g.asked, "responded": g.completed, "declined": g.declined}
            for g in progress["overall"]
        ],
    }
