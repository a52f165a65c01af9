"""Core API: the current user, organizations and jobs."""

from datetime import datetime

from django.conf import settings
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from peacekit.core import selectors
from peacekit.core.access import access_jobrun, access_organization

router = Router(tags=["core"])


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """Limit/offset paging with bounds: an unbounded integer overflows the database (HTTP 500)
    instead of being refused (422). Other apps' APIs can use it: `@paginate(Bounded…)`."""

    class Input(Schema):
        limit: int = Field(getattr(settings, "NINJA_PAGINATION_PER_PAGE", 100), ge=1, le=500)
        offset: int = Field(0, ge=0, le=10_000_000)


class MembershipOut(Schema):
    organization_id: int
    organization: str
    role: str


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    is_program_staff: bool
    memberships: list[MembershipOut]


class OrganizationOut(Schema):
    id: int
    name: str
    slug: str
    kind: str
    state: str
    county: str
    city: str
    ori_code: str
    email: str
    phone: str
    website: str


class JobOut(Schema):
    id: int
    kind: str
    label: str
    status: str
    progress: int
    message: str
    organization_id: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    attempts: int
    error_summary: str
    result_url: str


@router.get("/me", response=MeOut, summary="The signed-in user and their roles")
def me(request):
    user = request.user
    memberships = [
        MembershipOut(
            organization_id=m.organization_id, organization=m.organization.name, role=m.role
        )
        for m in user.memberships.select_related("organization")
    ]
    return MeOut(
        id=user.pk,
        email=user.email,
        full_name=user.full_name,
        is_program_staff=user.is_program_staff,
        memberships=memberships,
    )


@router.get("/organizations", response=list[OrganizationOut], summary="Organizations you can see")
@paginate(BoundedLimitOffsetPagination)
def organizations(request, q: str = "", kind: str = ""):
    return selectors.organization_list(user=request.user, search=q, kind=kind)


@router.get("/organizations/{organization_id}", response=OrganizationOut)
def organization(request, organization_id: int):
    return access_organization(request.user, organization_id)


@router.get("/jobs", response=list[JobOut], summary="Background jobs and their progress")
@paginate(BoundedLimitOffsetPagination)
def jobs(request, status: str = ""):
    return selectors.jobrun_list(user=request.user, status=status)


@router.get("/jobs/{job_id}", response=JobOut)
def job(request, job_id: int):
    return access_jobrun(request.user, job_id)
