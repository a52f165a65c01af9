"""Permission-checked fetches for 360 evaluations: agency administrators (HR) only.

Personnel evaluations are the most sensitive data an agency keeps; every object is scoped to
the user's organization and needs a manager role (program administrators see all).
"""

from __future__ import annotations

from peacekit.core.access import MANAGER_ROLES, access_object, has_role, scope_queryset
from peacekit.evaluations.models import Candidate, Cycle, Rater, Report

EVALUATION_ROLES = MANAGER_ROLES


def can_manage_evaluations(user, organization_id: int | None) -> bool:
    """True if the user runs 360 cycles in this organization."""
    return has_role(user, organization_id, EVALUATION_ROLES)


def cycles_visible(user):
    """Cycles of organizations where the user is HR (a manager)."""
    qs = scope_queryset(Cycle.objects.select_related("organization", "framework"), user)
    if user.is_program_staff:
        return qs
    ids = [org for org, role in user.role_map.items() if role in EVALUATION_ROLES]
    return qs.filter(organization_id__in=ids)


def access_cycle(user, cycle_id) -> Cycle:
    """A cycle of the user's organization, for HR."""
    return access_object(
        user,
        Cycle.objects.select_related("organization", "framework"),
        cycle_id,
        roles=EVALUATION_ROLES,
    )


def access_candidate(user, candidate_id) -> Candidate:
    """A candidate of the user's organization, for HR."""
    return access_object(
        user,
        Candidate.objects.select_related("cycle", "organization"),
        candidate_id,
        roles=EVALUATION_ROLES,
    )


def access_rater(user, rater_id) -> Rater:
    """A rater of the user's organization, for HR."""
    return access_object(
        user, Rater.objects.select_related("candidate", "cycle"), rater_id, roles=EVALUATION_ROLES
    )


def access_report(user, report_id) -> Report:
    """A candidate's report, for HR of the candidate's organization."""
    return access_object(
        user,
        Report.objects.select_related("candidate", "cycle", "organization"),
        report_id,
        roles=EVALUATION_ROLES,
    )
