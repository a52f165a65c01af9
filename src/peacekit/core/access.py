"""Permission-checked fetches: every object a view or API handler loads goes through here.

A user sees objects of the organizations they belong to; program staff see every organization.
Objects outside a user's scope are reported as missing (404), so ids reveal nothing.
Each app adds its own `access_<entity>` helpers built on `scope_queryset` and `access_object`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from peacekit.core.models import JobRun, Membership, Organization, User

Role = Membership.Role
MANAGER_ROLES = frozenset({Role.PROGRAM_ADMIN, Role.AGENCY_ADMIN})
STAFF_ROLES = frozenset({Role.PROGRAM_ADMIN, Role.AGENCY_ADMIN, Role.FACILITATOR, Role.ANALYST})


def visible_organization_ids(user: User) -> set[int] | None:
    """Organization ids the user may see; None means all (program staff)."""
    if not user.is_authenticated:
        return set()
    if user.is_program_staff:
        return None
    return set(user.role_map)


def scope_queryset(qs: QuerySet, user: User, org_field: str = "organization") -> QuerySet:
    """Limit a queryset to the user's organizations through `org_field` (a path to an org FK)."""
    ids = visible_organization_ids(user)
    if ids is None:
        return qs
    lookup = "pk__in" if org_field in ("", "pk") else f"{org_field}__in"
    return qs.filter(**{lookup: ids})


def has_role(user: User, organization_id: int | None, roles: Iterable[str]) -> bool:
    """True if the user holds one of the roles in that organization (program staff always do)."""
    if not user.is_authenticated:
        return False
    if user.is_program_staff:
        return True
    return user.role_in(organization_id) in set(roles)


def access_object(
    user: User,
    qs: QuerySet,
    object_id: int | str,
    *,
    org_field: str = "organization",
    roles: Iterable[str] | None = None,
) -> Model:
    """Fetch one object in the user's scope; 404 outside it, 403 if the role is too weak."""
    try:
        obj = scope_queryset(qs, user, org_field).get(pk=object_id)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Not found.") from exc
    if roles is not None:
        org_id = _organization_id_of(obj, org_field)
        if not has_role(user, org_id, roles):
            raise PermissionDenied("Your role does not allow this.")
    return obj


def _organization_id_of(obj: Model, org_field: str) -> int | None:
    if org_field in ("", "pk"):
        return obj.pk
    value = obj
    for part in org_field.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value.pk if isinstance(value, Model) else value


def require_program_staff(user: User) -> None:
    """Raise 403 unless the user is program staff."""
    if not (user.is_authenticated and user.is_program_staff):
        raise PermissionDenied("Program staff only.")


def access_organization(
    user: User, organization_id: int | str, *, roles: Iterable[str] | None = None
) -> Organization:
    """An organization the user belongs to (any organization for program staff)."""
    return access_object(
        user, Organization.objects.all(), organization_id, org_field="pk", roles=roles
    )


def access_membership(user: User, membership_id: int | str) -> Membership:
    """A membership the user may manage (admins of its organization, or program staff)."""
    return access_object(
        user,
        Membership.objects.select_related("user", "organization"),
        membership_id,
        roles=MANAGER_ROLES,
    )


def access_jobrun(user: User, job_id: int | str) -> JobRun:
    """A job of the user's organizations, or one the user started; program staff see all."""
    qs = JobRun.objects.select_related("organization", "created_by")
    if user.is_authenticated and not user.is_program_staff:
        from django.db.models import Q

        ids = visible_organization_ids(user) or set()
        qs = qs.filter(Q(organization_id__in=ids) | Q(created_by=user))
        try:
            return qs.get(pk=job_id)
        except (JobRun.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404("Not found.") from exc
    return access_object(user, qs, job_id)
