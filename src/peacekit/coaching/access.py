"""Permission-checked fetches for coaching objects (rule 2).

Program staff manage coaches, coachees, assessments, matching and agreements. An agency's
administrators see their own coachees and agreements. A coach sees their own profile and
agreements; a coachee with an account sees their own agreement. Private session notes and
check-in notes are readable only by that agreement's coach and coachee: not program staff, not
agency administrators, not superusers.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from peacekit.coaching.models import (
    Agreement,
    Coach,
    Coachee,
    CoachingSession,
    MatchRun,
    NeedsAssessment,
    ProposedMatch,
)
from peacekit.core.access import (
    MANAGER_ROLES,
    access_object,
    require_program_staff,
    visible_organization_ids,
)
from peacekit.core.models import User


def _get_or_404(qs, object_id):
    try:
        return qs.get(pk=object_id)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Not found.") from exc


def manager_organization_ids(user: User) -> set[int]:
    """Organizations where the user is an administrator."""
    return {org for org, role in user.role_map.items() if role in MANAGER_ROLES}


def access_coach(user: User, coach_id, *, manage: bool = False) -> Coach:
    """A coach: program staff (manage), or the coach themselves (read)."""
    qs = Coach.objects.select_related("organization", "user")
    if not manage and user.is_authenticated and not user.is_program_staff:
        return _get_or_404(qs.filter(user=user), coach_id)
    require_program_staff(user)
    return access_object(user, qs, coach_id, roles=MANAGER_ROLES)


def access_coachee(user: User, coachee_id, *, manage: bool = False) -> Coachee:
    """A coachee: program staff, or (read only) their agency's administrators."""
    if manage:
        require_program_staff(user)
    return access_object(
        user,
        Coachee.objects.select_related("organization", "user"),
        coachee_id,
        roles=MANAGER_ROLES,
    )


def access_assessment(user: User, coachee_id) -> NeedsAssessment | None:
    """The coachee's assessment (None if none yet), for the same readers as the coachee."""
    coachee = access_coachee(user, coachee_id)
    return NeedsAssessment.objects.filter(coachee=coachee).first()


def access_match_run(user: User, run_id) -> MatchRun:
    """A match run (program staff only)."""
    require_program_staff(user)
    return access_object(user, MatchRun.objects.select_related("job", "organization"), run_id)


def access_match(user: User, match_id) -> ProposedMatch:
    """A proposed match (program staff only)."""
    require_program_staff(user)
    return access_object(
        user,
        ProposedMatch.objects.select_related("run", "coach", "coachee__organization"),
        match_id,
        org_field="run__organization",
    )


def agreement_queryset(user: User):
    """Agreements the user may see: staff all; agency admins theirs; coach and coachee their own."""
    qs = Agreement.objects.select_related("coach", "coachee", "organization")
    if not user.is_authenticated:
        return qs.none()
    if user.is_program_staff:
        return qs
    return qs.filter(
        Q(coach__user=user)
        | Q(coachee__user=user)
        | Q(organization_id__in=manager_organization_ids(user))
    )


def access_agreement(user: User, agreement_id) -> Agreement:
    """An agreement the user may see (details and session dates, never private notes)."""
    return _get_or_404(agreement_queryset(user), agreement_id)


def agreement_side(user: User, agreement: Agreement) -> str | None:
    """'coach' or 'coachee' when the user is a party to the agreement, else None."""
    if not user.is_authenticated:
        return None
    if agreement.coach.user_id == user.pk:
        return "coach"
    if agreement.coachee.user_id == user.pk:
        return "coachee"
    return None


def can_read_private_notes(user: User, agreement: Agreement) -> bool:
    """Only the coach and the coachee of this agreement read its private notes."""
    return agreement_side(user, agreement) is not None


def access_party_agreement(user: User, agreement_id) -> Agreement:
    """An agreement the user is a party to (for logging sessions and check-ins); 404 otherwise."""
    if not user.is_authenticated:
        raise Http404("Not found.")
    qs = Agreement.objects.select_related("coach", "coachee", "organization").filter(
        Q(coach__user=user) | Q(coachee__user=user)
    )
    return _get_or_404(qs, agreement_id)


def access_session_notes(user: User, session_id) -> CoachingSession:
    """A session with its private notes: the agreement's coach and coachee only, else 404."""
    if not user.is_authenticated:
        raise Http404("Not found.")
    qs = CoachingSession.objects.select_related(
        "agreement__coach", "agreement__coachee", "agreement__organization"
    ).filter(Q(agreement__coach__user=user) | Q(agreement__coachee__user=user))
    return _get_or_404(qs, session_id)


__all__ = [
    "access_agreement",
    "access_assessment",
    "access_coach",
    "access_coachee",
    "access_match",
    "access_match_run",
    "access_party_agreement",
    "access_session_notes",
    "agreement_queryset",
    "agreement_side",
    "can_read_private_notes",
    "visible_organization_ids",
]
