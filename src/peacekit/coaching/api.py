"""Coaching API: your agreements (never private notes) and, for program staff, match runs."""

from __future__ import annotations

from datetime import date

from ninja import Router, Schema

from peacekit.coaching import selectors
from peacekit.coaching.access import access_agreement, access_match_run, agreement_queryset

router = Router(tags=["coaching"])


class AgreementOut(Schema):
    id: int
    coach: str
    coachee: str
    organization: str
    status: str
    cadence: str
    start_date: date
    end_date: date
    goals: list[str]
    sessions: int
    minutes: int


class MatchOut(Schema):
    id: int
    coachee_id: int
    coachee: str
    coach_id: int
    coach: str
    fit: float
    reason: str
    status: str


class UnmatchedOut(Schema):
    coachee_id: int
    reason: str


class MatchRunOut(Schema):
    id: int
    status: str
    total_fit: float
    matches: list[MatchOut]
    unmatched: list[UnmatchedOut]


def _agreement_out(a) -> dict:
    sessions = list(a.sessions.values_list("duration_minutes", flat=True))
    return {
        "id": a.pk, "coach": a.coach.name, "coachee": a.coachee.name,
        "organization": a.organization.name, "status": a.status, "cadence": a.cadence,
        "start_date": a.start_date, "end_date": a.end_date, "goals": a.goals,
        "sessions": len(sessions), "minutes": sum(sessions),
    }  # fmt: skip


@router.get("/agreements", response=list[AgreementOut], summary="Coaching agreements you can see")
def agreements(request):
    return [_agreement_out(a) for a in agreement_queryset(request.user)[:200]]


@router.get("/agreements/{agreement_id}", response=AgreementOut, summary="One agreement (no notes)")
def agreement(request, agreement_id: int):
    return _agreement_out(access_agreement(request.user, agreement_id))


@router.get(
    "/match-runs/{match_run_id}",
    response=MatchRunOut,
    summary="A match run's proposals and unmatched coachees (program staff)",
)
def match_run(request, match_run_id: int):
    run = access_match_run(request.user, match_run_id)
    return {
        "id": run.pk, "status": run.status, "total_fit": run.total_fit,
        "matches": [
            {"id": m.pk, "coachee_id": m.coachee_id, "coachee": m.coachee.name,
             "coach_id": m.coach_id, "coach": m.coach.name, "fit": m.fit, "reason": m.reason,
             "status": m.status}
            for m in selectors.match_run_matches(run=run)
        ],
        "unmatched": [{"coachee_id": u["coachee_id"], "reason": u["reason"]}
                      for u in run.unmatched],
    }  # fmt: skip
