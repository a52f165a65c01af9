"""Pledges API: the public registry (JSON and CSV) and the caller's own sign-ons."""

from __future__ import annotations

from datetime import date

from django.http import HttpResponse
from ninja import Router, Schema

from peacekit.core.models import US_STATES
from peacekit.pledges import selectors

router = Router(tags=["pledges"])


class RegistryEntryOut(Schema):
    organization: str
    kind: str
    city: str
    state: str
    state_name: str
    promise_date: str
    demo: bool


class RegistryOut(Schema):
    count: int
    by_state: dict[str, int]
    organizations: list[RegistryEntryOut]


class PromiseOut(Schema):
    id: int
    organization: str
    organization_id: int | None
    status: str
    state: str
    city: str
    promised_on: date | None
    promise_text: str


def _state(state: str) -> str:
    return state.upper() if state.upper() in dict(US_STATES) else ""


@router.get(
    "/registry",
    response=RegistryOut,
    auth=None,
    tags=["public", "pledges"],
    summary="Every organization that made the Peace Officer Promise (public)",
)
def registry(request, q: str = "", state: str = ""):
    rows = selectors.registry_rows(selectors.registry_list(search=q[:100], state=_state(state)))
    return {
        "count": len(rows),
        "by_state": selectors.registry_state_counts(),
        "organizations": rows,
    }


@router.get(
    "/registry.csv",
    auth=None,
    tags=["public", "pledges"],
    summary="The public registry as CSV",
)
def registry_csv(request, q: str = "", state: str = ""):
    from peacekit.pledges.views import registry_csv_bytes

    rows = selectors.registry_rows(selectors.registry_list(search=q[:100], state=_state(state)))
    response = HttpResponse(registry_csv_bytes(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="peace-officer-promise-registry.csv"'
    return response


@router.get("/promises", response=list[PromiseOut], summary="Sign-ons you can see")
def promises(request, status: str = ""):
    return [
        PromiseOut(
            id=p.pk,
            organization=p.display_name,
            organization_id=p.organization_id,
            status=p.status,
            state=p.state,
            city=p.city,
            promised_on=p.promised_on,
            promise_text=p.promise_text,
        )
        for p in selectors.promise_list(user=request.user, status=status)[:500]
    ]
