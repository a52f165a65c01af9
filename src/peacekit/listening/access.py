"""Permission-checked fetches for the listening app (all scoped by the lead organization)."""

from __future__ import annotations

from peacekit.core.access import access_object, has_role, scope_queryset
from peacekit.core.models import Membership, User
from peacekit.listening.models import (
    ImportBatch,
    Initiative,
    ListeningSession,
    MicroCommunity,
    Recommendation,
    Statement,
    Theme,
)

Role = Membership.Role
#: Plan the initiative, run sessions, capture statements.
PLAN_ROLES = frozenset({Role.PROGRAM_ADMIN, Role.AGENCY_ADMIN, Role.FACILITATOR})
#: Review redactions (the only people who see raw text), publish, hide.
REVIEW_ROLES = frozenset({Role.PROGRAM_ADMIN, Role.AGENCY_ADMIN, Role.FACILITATOR, Role.ANALYST})

#: Run the analysis, edit themes, write recommendations.
ANALYZE_ROLES = frozenset({Role.PROGRAM_ADMIN, Role.AGENCY_ADMIN, Role.ANALYST})

ORG = "initiative__organization"


def initiatives_for(user: User):
    return scope_queryset(Initiative.objects.all(), user, "organization")


def access_initiative(user: User, initiative_id, *, roles=None) -> Initiative:
    qs = Initiative.objects.select_related("organization", "partner_organization")
    return access_object(user, qs, initiative_id, org_field="organization", roles=roles)


def access_session(user: User, session_id, *, roles=None) -> ListeningSession:
    qs = ListeningSession.objects.select_related("initiative", "micro_community")
    return access_object(user, qs, session_id, org_field=ORG, roles=roles)


def access_micro_community(user: User, community_id, *, roles=None) -> MicroCommunity:
    qs = MicroCommunity.objects.select_related("initiative")
    return access_object(user, qs, community_id, org_field=ORG, roles=roles)


def access_statement(user: User, statement_id, *, roles=None) -> Statement:
    qs = Statement.objects.select_related("initiative", "session")
    return access_object(user, qs, statement_id, org_field=ORG, roles=roles)


def access_import(user: User, import_id, *, roles=None) -> ImportBatch:
    qs = ImportBatch.objects.select_related("initiative", "session")
    return access_object(user, qs, import_id, org_field=ORG, roles=roles)


def access_theme(user: User, theme_id, *, roles=None) -> Theme:
    qs = Theme.objects.select_related("initiative", "initiative__organization")
    return access_object(user, qs, theme_id, org_field=ORG, roles=roles)


def access_recommendation(user: User, recommendation_id, *, roles=None) -> Recommendation:
    qs = Recommendation.objects.select_related("initiative", "initiative__organization", "owner")
    return access_object(user, qs, recommendation_id, org_field=ORG, roles=roles)


def can(user: User, initiative: Initiative, roles) -> bool:
    return has_role(user, initiative.organization_id, roles)
