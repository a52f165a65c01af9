"""Training API: the catalog, an agency's licence use, and public certificate verification."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.http import Http404
from ninja import Router, Schema

from peacekit.core.access import STAFF_ROLES, access_organization
from peacekit.training import selectors

router = Router(tags=["training"])


class CourseOut(Schema):
    id: int
    title: str
    modality: str
    contact_hours: Decimal
    ce_credits: Decimal
    topics: list[str]
    is_flagship: bool
    is_train_the_trainer: bool


class PoolOut(Schema):
    category: str
    size: int
    used: int
    activated: int
    free: int
    percent: int


class CertificateOut(Schema):
    code: str
    valid: bool
    learner_name: str
    organization: str
    course_title: str
    completed_on: date
    contact_hours: Decimal
    ce_credits: Decimal


@router.get("/courses", response=list[CourseOut], summary="The training catalog you can see")
def courses(request, modality: str = "", topic: str = ""):
    return list(selectors.course_list(user=request.user, modality=modality, topic=topic))


@router.get(
    "/organizations/{organization_id}/licences",
    response=list[PoolOut],
    summary="An agency's licence seats by category and their use",
)
def licences(request, organization_id: int):
    organization = access_organization(request.user, organization_id, roles=STAFF_ROLES)
    return [
        PoolOut(
            category=u.pool.category, size=u.pool.size, used=u.used, activated=u.activated,
            free=u.free, percent=u.percent,
        )
        for u in selectors.licence_usage(organization=organization)
    ]  # fmt: skip


@router.get(
    "/certificates/{code}",
    response=CertificateOut,
    auth=None,
    tags=["training", "public"],
    summary="Verify a certificate of completion by its code (public)",
)
def certificate_verify(request, code: str):
    certificate = selectors.certificate_verify(code=code)
    if certificate is None:
        raise Http404("No certificate has this code.")
    return CertificateOut(
        code=certificate.code,
        valid=certificate.is_valid,
        learner_name=certificate.learner_name,
        organization=certificate.organization.name,
        course_title=certificate.course_title,
        completed_on=certificate.issued_at.date(),
        contact_hours=certificate.contact_hours,
        ce_credits=certificate.ce_credits,
    )
