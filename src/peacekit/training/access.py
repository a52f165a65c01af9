"""Permission-checked fetches for training objects (rule 2): scoped by organization and role."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.http import Http404

from peacekit.core.access import (
    MANAGER_ROLES,
    access_object,
    require_program_staff,
    visible_organization_ids,
)
from peacekit.core.models import User
from peacekit.training.models import (
    AgencyCertification,
    Certificate,
    CertificationRequirement,
    Course,
    Learner,
    Offering,
    Seat,
)


def course_queryset(user: User):
    """Published courses, and every course of the user's own organizations (drafts too)."""
    ids = visible_organization_ids(user)
    qs = Course.objects.select_related("organization")
    if ids is None:
        return qs
    return qs.filter(Q(is_published=True) | Q(organization_id__in=ids))


def access_course(user: User, course_id, *, manage: bool = False) -> Course:
    """A course the user may see; with manage=True, one their organization may edit."""
    if manage:
        return access_object(
            user, Course.objects.select_related("organization"), course_id, roles=MANAGER_ROLES
        )
    try:
        return course_queryset(user).get(pk=course_id)
    except (Course.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Not found.") from exc


def access_offering(user: User, offering_id, *, roles: Iterable[str] | None = None) -> Offering:
    """An offering hosted by one of the user's organizations."""
    return access_object(
        user,
        Offering.objects.select_related("course", "organization"),
        offering_id,
        roles=roles,
    )


def access_learner(user: User, learner_id, *, roles: Iterable[str] | None = None) -> Learner:
    """A learner on one of the user's organizations' rosters."""
    return access_object(
        user, Learner.objects.select_related("organization"), learner_id, roles=roles
    )


def access_seat(user: User, seat_id) -> Seat:
    """A licence seat the user may manage (agency administrators and program staff)."""
    return access_object(
        user,
        Seat.objects.select_related("pool", "learner", "organization"),
        seat_id,
        roles=MANAGER_ROLES,
    )


def access_certificate(user: User, certificate_id) -> Certificate:
    """A certificate of a learner of one of the user's organizations."""
    return access_object(
        user,
        Certificate.objects.select_related("enrollment__course", "organization"),
        certificate_id,
    )


def access_certification(user: User, certification_id) -> AgencyCertification:
    """An agency certification of one of the user's organizations."""
    return access_object(
        user, AgencyCertification.objects.select_related("organization"), certification_id
    )


def access_requirement(user: User, requirement_id) -> CertificationRequirement:
    """A certification requirement: program staff only configure them."""
    require_program_staff(user)
    try:
        return CertificationRequirement.objects.get(pk=requirement_id)
    except (CertificationRequirement.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Not found.") from exc
