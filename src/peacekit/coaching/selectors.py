"""Coaching reads: lists for pages, the needs chart, and summaries."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from peacekit.coaching.models import (
    Agreement,
    Coach,
    Coachee,
    CoachingSession,
    ExpertiseArea,
    MatchRun,
    NeedsAssessment,
    ProposedMatch,
)
from peacekit.core.access import scope_queryset
from peacekit.core.models import User
from peacekit.reports.charts import Bar, hbar_chart

OPEN = (Agreement.Status.PENDING, Agreement.Status.ACTIVE)


def expertise_area_list() -> list[ExpertiseArea]:
    """Active expertise areas in questionnaire order."""
    return list(ExpertiseArea.objects.filter(is_active=True))


def coach_list(*, user: User) -> QuerySet[Coach]:
    """Coaches of the user's program, with their open agreement counts."""
    return scope_queryset(
        Coach.objects.select_related("organization").annotate(
            open_agreements=Count("agreements", filter=Q(agreements__status__in=OPEN))
        ),
        user,
    )


def coachee_list(*, user: User, organization_ids: set[int] | None = None) -> QuerySet[Coachee]:
    """Coachees the user may see, with their assessment."""
    qs = Coachee.objects.select_related("organization", "assessment")
    if organization_ids is not None:
        return qs.filter(organization_id__in=organization_ids)
    return scope_queryset(qs, user)


def needs_chart(
    profile: dict[str, float], areas: list[ExpertiseArea], *, language: str = "en", title: str = ""
) -> SafeString:
    """A horizontal bar chart of a needs profile (0–100 per area), strongest first."""
    bars = sorted(
        (Bar(a.label(language), round(profile.get(a.slug, 0) * 100)) for a in areas),
        key=lambda b: -(b.value or 0),
    )
    return hbar_chart(bars, title=title or _("Needs profile"), max_value=100, label_width=230)


def match_run_latest(*, user: User) -> MatchRun | None:
    """The most recent match run the user may see."""
    return scope_queryset(MatchRun.objects.select_related("job"), user).first()


def match_run_matches(*, run: MatchRun) -> QuerySet[ProposedMatch]:
    """A run's proposed matches with coach, coachee and any agreement."""
    return run.matches.select_related(
        "coach", "coachee__organization", "agreement", "decided_by"
    ).order_by("-fit", "coachee__name")


def match_run_unmatched(*, run: MatchRun) -> list[dict]:
    """Unmatched coachees of a run with the reason, resolved to coachee rows."""
    by_id = Coachee.objects.select_related("organization").in_bulk(
        [u["coachee_id"] for u in run.unmatched]
    )
    return [
        {**u, "coachee": by_id.get(u["coachee_id"])}
        for u in run.unmatched
        if by_id.get(u["coachee_id"]) is not None
    ]


def agreement_list(*, queryset: QuerySet[Agreement]) -> QuerySet[Agreement]:
    """Agreements with session counts, newest first."""
    return queryset.annotate(
        session_count=Count("sessions", distinct=True),
    ).order_by("-start_date", "-id")


def agreement_sessions(*, agreement: Agreement) -> QuerySet[CoachingSession]:
    """Sessions of an agreement (the private notes column is deferred unless asked for)."""
    return agreement.sessions.select_related("logged_by").defer("private_notes")


def coaching_summary() -> dict:
    """Program-wide figures for the coaching home page."""
    return {
        "coaches": Coach.objects.filter(is_active=True).count(),
        "coachees": Coachee.objects.filter(is_active=True).count(),
        "assessed": NeedsAssessment.objects.filter(status=NeedsAssessment.Status.SUBMITTED).count(),
        "active_agreements": Agreement.objects.filter(status=Agreement.Status.ACTIVE).count(),
        "pending_agreements": Agreement.objects.filter(status=Agreement.Status.PENDING).count(),
    }
