"""URL parameters for the cross-organization walk: 360 objects owned by organization A."""

from peacekit.evaluations import services
from peacekit.evaluations.models import RaterGroup


def _cycle(org_a, owner_a):
    return services.cycle_create(actor=owner_a, organization=org_a, name="ORGA-SECRET cycle")


def _candidate(org_a, owner_a):
    cycle = _cycle(org_a, owner_a)
    return services.candidate_add(
        actor=owner_a, cycle=cycle, name="ORGA-SECRET candidate", email="orga-cand@example.org"
    )


def _make_candidate(org_a, owner_a):
    return _candidate(org_a, owner_a).pk


def _rater(org_a, owner_a):
    candidate = _candidate(org_a, owner_a)
    return services.rater_add(
        actor=owner_a,
        candidate=candidate,
        group=RaterGroup.PEER,
        name="ORGA-SECRET rater",
        email="orga-rater@example.org",
    ).pk


def _report(org_a, owner_a):
    from peacekit.evaluations.models import Report

    candidate = _candidate(org_a, owner_a)
    return Report.objects.create(
        candidate=candidate,
        cycle=candidate.cycle,
        organization=org_a,
        data={
            "candidate": {"name": "ORGA-SECRET candidate"},
            "groups": [],
            "competencies": [],
            "promotability": {},
        },
    ).pk


KWARG_FACTORIES = {
    "cycle_id": lambda org_a, owner_a: _cycle(org_a, owner_a).pk,
    "candidate_id": _make_candidate,
    "rater_id": _rater,
    "report_id": _report,
}
