"""URL parameters for the cross-organization walk: coaching objects owned by organization A."""

from datetime import date

from peacekit.coaching.models import Agreement, CoachingSession, MatchRun, ProposedMatch
from tests.coaching.helpers import make_coach, make_coachee


def _coach(org_a, owner_a):
    return make_coach(org_a, owner_a, name="ORGA-SECRET Coach").pk


def _coachee(org_a, owner_a):
    return make_coachee(
        org_a, owner_a, name="ORGA-SECRET Coachee", profile={"de_escalation": 1.0}
    ).pk


def _run(org_a, owner_a):
    return MatchRun.objects.create(organization=org_a, status=MatchRun.Status.DONE).pk


def _match(org_a, owner_a):
    run = MatchRun.objects.create(organization=org_a, status=MatchRun.Status.DONE)
    coach = make_coach(org_a, owner_a, name="ORGA-SECRET Match Coach")
    coachee = make_coachee(org_a, owner_a, name="ORGA-SECRET Match Coachee")
    return ProposedMatch.objects.create(
        run=run, coach=coach, coachee=coachee, fit=0.8, reason="ORGA-SECRET reason",
        status=ProposedMatch.Status.CONFIRMED,
    ).pk  # fmt: skip


def _agreement(org_a, owner_a):
    coach = make_coach(org_a, owner_a, name="ORGA-SECRET Agreement Coach")
    coachee = make_coachee(org_a, owner_a, name="ORGA-SECRET Agreement Coachee")
    return Agreement.objects.create(
        organization=org_a, coach=coach, coachee=coachee, goals=["ORGA-SECRET goal"],
        cadence="monthly", start_date=date(2026, 1, 1), end_date=date(2026, 5, 1),
        status=Agreement.Status.ACTIVE,
    ).pk  # fmt: skip


def _session(org_a, owner_a):
    agreement = Agreement.objects.get(pk=_agreement(org_a, owner_a))
    return CoachingSession.objects.create(
        agreement=agreement, date=date(2026, 1, 10), duration_minutes=60, format="video",
        private_notes="ORGA-SECRET private note", submission_key="walk",
    ).pk  # fmt: skip


KWARG_FACTORIES = {
    "coach_id": _coach,
    "coachee_id": _coachee,
    "match_run_id": _run,
    "proposed_match_id": _match,
    "agreement_id": _agreement,
    "coaching_session_id": _session,
    "assessment_token": lambda org_a, owner_a: "not-a-real-token",
    "agreement_token": lambda org_a, owner_a: "not-a-real-token",
}
