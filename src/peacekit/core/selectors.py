"""Core reads: organizations, members, audit events and jobs, scoped by the caller's access."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date

from peacekit.core.access import scope_queryset, visible_organization_ids
from peacekit.core.models import AuditEvent, Invitation, JobRun, Membership, Organization, User


def organization_list(*, user: User, search: str = "", kind: str = "") -> QuerySet[Organization]:
    """Organizations the user can see, with member counts (one query)."""
    qs = scope_queryset(Organization.objects.all(), user, org_field="pk").annotate(
        member_count=Count("memberships", distinct=True)
    )
    search = search.replace("\x00", "").strip()  # PostgreSQL refuses NUL in text
    if kind not in Organization.Kind.values:
        kind = ""
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(city__icontains=search))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("name")


def user_organizations(*, user: User) -> list[Organization]:
    """The organizations a user is a member of (for the organization switcher)."""
    if not user.is_authenticated:
        return []
    return list(Organization.objects.filter(memberships__user=user).order_by("name"))


def membership_list(*, organization: Organization) -> QuerySet[Membership]:
    return organization.memberships.select_related("user").order_by("user__email")


def invitation_list_open(*, organization: Organization) -> QuerySet[Invitation]:
    return organization.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("invited_by")


def auditevent_list(*, filters: dict[str, Any] | None = None) -> QuerySet[AuditEvent]:
    """Audit events filtered by actor, organization, action, object type and date range."""
    filters = filters or {}
    qs = AuditEvent.objects.select_related("organization")
    if filters.get("actor"):
        qs = qs.filter(actor_label__icontains=filters["actor"])
    if filters.get("organization"):
        qs = qs.filter(organization_id=filters["organization"])
    if filters.get("action"):
        qs = qs.filter(action__startswith=filters["action"])
    if filters.get("object_type"):
        qs = qs.filter(object_type=filters["object_type"])
    tz = timezone.get_current_timezone()
    if filters.get("since") and (day := parse_date(str(filters["since"]))):
        qs = qs.filter(created_at__gte=timezone.make_aware(datetime.combine(day, time.min), tz))
    if filters.get("until") and (day := parse_date(str(filters["until"]))):
        qs = qs.filter(created_at__lte=timezone.make_aware(datetime.combine(day, time.max), tz))
    return qs.order_by("-created_at", "-id")


def auditevent_actions() -> list[str]:
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())


def jobrun_list(*, user: User, status: str = "", kind: str = "") -> QuerySet[JobRun]:
    """Jobs of the user's organizations and jobs the user started."""
    qs = JobRun.objects.select_related("organization", "created_by")
    ids = visible_organization_ids(user)
    if ids is not None:
        qs = qs.filter(Q(organization_id__in=ids) | Q(created_by=user))
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at", "-id")


def dashboard_summary(*, user: User, organization: Organization | None) -> dict[str, Any]:
    """Counts for the dashboard cards of the active organization."""
    summary: dict[str, Any] = {}
    jobs = jobrun_list(user=user)
    summary["jobs_running"] = jobs.filter(
        status__in=[JobRun.Status.QUEUED, JobRun.Status.RUNNING]
    ).count()
    summary["recent_jobs"] = list(jobs[:5])
    if organization is not None:
        summary["member_count"] = organization.memberships.count()
    if user.is_program_staff:
        summary["organization_counts"] = dict(
            Organization.objects.values_list("kind").annotate(n=Count("id")).order_by()
        )
        counts = summary["organization_counts"]
        summary["agency_count"] = counts.get("police", 0) + counts.get("sheriff", 0)
        summary["recent_audit"] = list(auditevent_list()[:8])
    return summary
