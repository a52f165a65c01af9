"""Small builders for coaching tests (through the services, as users would)."""

from __future__ import annotations

from datetime import date

from peacekit.coaching import services
from peacekit.coaching.models import Coach, Coachee, ProposedMatch
from peacekit.core.models import Membership, Organization
from tests.factories import member


def make_coach(program: Organization, actor=None, **fields) -> Coach:
    conflicts = fields.pop("conflicts", [])
    defaults = {
        "name": "Coach",
        "email": "",
        "ranks_held": ["chief"],
        "years_experience": 20,
        "agency_types": ["municipal_police"],
        "expertise": {"community_engagement": 0.9, "de_escalation": 0.5},
        "languages": ["en"],
        "region": "southeast",
        "virtual": True,
        "capacity": 2,
    }
    defaults.update(fields)
    return services.coach_save(actor=actor, organization=program, conflicts=conflicts, **defaults)


def make_coachee(org: Organization, actor=None, profile=None, **fields) -> Coachee:
    defaults = {
        "name": "Coachee",
        "email": f"coachee{Coachee.objects.count()}@example.org",
        "role": "chief",
        "agency_type": "municipal_police",
        "languages": ["en"],
        "region": "southeast",
        "virtual_ok": True,
    }
    defaults.update(fields)
    coachee = services.coachee_save(actor=actor, organization=org, **defaults)
    if profile is not None:
        answers = {slug: round(v * 4) for slug, v in profile.items()}
        services.assessment_submit(coachee=coachee, answers=answers, actor=actor, by_staff=True)
    return coachee


def run_matching(actor, program, **params):
    from tests.conftest import run_queued_jobs

    run = services.match_run_start(actor=actor, organization=program, parameters=params)
    run_queued_jobs()
    run.refresh_from_db()
    return run


def coach_user(program, name="Coach User"):
    return member(program, Membership.Role.COACH, full_name=name)


def active_agreement(program, agency, actor):
    """A coach and coachee (both with accounts), matched, agreed and accepted by both."""
    coach_account = coach_user(program)
    coachee_account = member(agency, Membership.Role.VIEWER, full_name="Coachee Person")
    coach = make_coach(program, actor, name="Cora Coach", email=coach_account.email)
    coachee = make_coachee(
        agency, actor, name="Lee Leader", email=coachee_account.email,
        profile={"community_engagement": 1.0},
    )  # fmt: skip
    run = run_matching(actor, program)
    match = ProposedMatch.objects.get(run=run, coachee=coachee)
    services.match_confirm(actor=actor, match=match)
    agreement, raw = services.agreement_create(
        actor=actor, match=match, goals=["Lead a listening tour", "Rebuild trust"],
        cadence="biweekly", start_date=date(2026, 1, 5), end_date=date(2026, 6, 5),
    )  # fmt: skip
    services.agreement_accept(agreement=agreement, side="coach", actor=coach_account)
    agreement = services.agreement_accept(agreement=agreement, side="coachee")
    assert coach.user == coach_account
    return agreement, coach_account, coachee_account, raw
