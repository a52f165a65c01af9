"""Demo coaching data: 8 coaches, 15 coachees with needs assessments, a match run, and one
confirmed match with an accepted agreement and logged sessions (all through the services).

Names and agencies are invented for peacekit's demo.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from peacekit.coaching import services
from peacekit.coaching.models import ExpertiseArea, NeedsAssessment, ProposedMatch
from peacekit.core.models import Organization
from peacekit.core.services import organization_create

# name, email, roles, years, agency types, expertise, languages, region, virtual, capacity,
# conflict organization keys
COACHES = [
    ("Cal Coach", "coach@demo.peacekit.org", ["chief", "deputy_chief"], 28,
     ["municipal_police"], {"community_engagement": 0.9, "organizational_change": 0.8,
                             "procedural_justice": 0.6}, ["en"], "southeast", True, 2, []),
    ("Renée Delgado", "r.delgado@coaches.demo.peacekit.org", ["chief", "commander"], 31,
     ["municipal_police", "campus_police"], {"de_escalation": 0.9, "procedural_justice": 0.8,
                                             "youth_engagement": 0.6}, ["en", "es"], "west",
     True, 2, ["riverside_so"]),
    ("Marcus Bell", "m.bell@coaches.demo.peacekit.org", ["sheriff", "deputy_chief"], 26,
     ["sheriff_office", "county_police"], {"crisis_leadership": 0.9, "media_public_trust": 0.8,
                                            "officer_wellness": 0.5}, ["en"], "midwest", True, 2,
     []),
    ("Joan Whitaker", "j.whitaker@coaches.demo.peacekit.org", ["city_manager"], 22,
     ["city_government", "county_government"], {"budget_operations": 0.9,
                                                 "elected_officials": 0.9,
                                                 "organizational_change": 0.5}, ["en"],
     "southeast", True, 2, ["metro_city"]),
    ("Luis Ortega", "l.ortega@coaches.demo.peacekit.org", ["chief", "sergeant"], 19,
     ["municipal_police"], {"community_engagement": 0.8, "youth_engagement": 0.9,
                             "recruiting_retention": 0.6}, ["en", "es"], "southwest", True, 2,
     []),
    ("Dr. Alicia Grant", "a.grant@coaches.demo.peacekit.org", ["deputy_chief", "commander"], 24,
     ["state_police", "municipal_police"], {"officer_wellness": 1.0, "recruiting_retention": 0.7,
                                             "de_escalation": 0.4}, ["en"], "northeast", True, 2,
     []),
    ("Tom Redcloud", "t.redcloud@coaches.demo.peacekit.org", ["chief"], 30,
     ["tribal_police", "sheriff_office"], {"accountability_oversight": 0.8,
                                            "community_engagement": 0.7,
                                            "crisis_leadership": 0.6}, ["en"], "west", False, 1,
     []),
    ("Evelyn Park", "e.park@coaches.demo.peacekit.org", ["county_manager", "city_manager"], 21,
     ["county_government"], {"elected_officials": 0.8, "budget_operations": 0.7,
                             "media_public_trust": 0.6}, ["en", "ko"], "west", True, 1, []),
]  # fmt: skip

EXTRA_AGENCIES = [
    ("lakeview_pd", "Lakeview Police Department", Organization.Kind.POLICE, "OH", "Lake", ""),
    ("pine_so", "Pine County Sheriff's Office", Organization.Kind.SHERIFF, "GA", "Pine", ""),
    ("harbor_falls", "City of Harbor Falls", Organization.Kind.GOVERNMENT, "OR", "", "Harbor Falls"),
    ("mesa_vista_pd", "Mesa Vista Police Department", Organization.Kind.POLICE, "AZ", "", "Mesa Vista"),
]  # fmt: skip

# name, email, org key, role, agency type, languages, region, virtual, answers (slug → 0..4),
# priority
COACHEES = [
    ("Chief Dana Rivera", "chief@metro-pd.demo.peacekit.org", "metro_pd", "chief",
     "municipal_police", ["en"], "southeast", True,
     {"community_engagement": 4, "organizational_change": 3, "procedural_justice": 2,
      "media_public_trust": 2}, "community_engagement"),
    ("Sheriff Sam Ortiz", "sheriff@riverside-so.demo.peacekit.org", "riverside_so", "sheriff",
     "sheriff_office", ["en", "es"], "west", True,
     {"crisis_leadership": 4, "media_public_trust": 3, "officer_wellness": 2}, ""),
    ("Deputy Chief Karen Holt", "k.holt@metro-pd.demo.peacekit.org", "metro_pd", "deputy_chief",
     "municipal_police", ["en"], "southeast", True,
     {"de_escalation": 4, "procedural_justice": 3, "youth_engagement": 1}, "de_escalation"),
    ("City Manager Priya Nair", "p.nair@metro-city.demo.peacekit.org", "metro_city",
     "city_manager", "city_government", ["en"], "southeast", True,
     {"elected_officials": 4, "budget_operations": 3, "organizational_change": 2}, ""),
    ("Captain Andre Mills", "a.mills@metro-pd.demo.peacekit.org", "metro_pd", "commander",
     "municipal_police", ["en"], "southeast", False,
     {"officer_wellness": 3, "recruiting_retention": 4}, "recruiting_retention"),
    ("Chief Maria Esposito", "m.esposito@lakeview.demo.peacekit.org", "lakeview_pd", "chief",
     "municipal_police", ["en"], "midwest", True,
     {"organizational_change": 4, "accountability_oversight": 3, "media_public_trust": 2}, ""),
    ("Sheriff Wade Collins", "w.collins@pine-so.demo.peacekit.org", "pine_so", "sheriff",
     "sheriff_office", ["en"], "southeast", True,
     {"crisis_leadership": 3, "community_engagement": 3, "budget_operations": 2}, ""),
    ("City Manager Grace Lee", "g.lee@harbor-falls.demo.peacekit.org", "harbor_falls",
     "city_manager", "city_government", ["en", "ko"], "west", True,
     {"elected_officials": 3, "media_public_trust": 4}, "media_public_trust"),
    ("Chief Rafael Soto", "r.soto@mesa-vista.demo.peacekit.org", "mesa_vista_pd", "chief",
     "municipal_police", ["es", "en"], "southwest", True,
     {"youth_engagement": 4, "community_engagement": 3, "de_escalation": 2}, ""),
    ("Lieutenant Bree Adams", "b.adams@lakeview.demo.peacekit.org", "lakeview_pd", "commander",
     "municipal_police", ["en"], "midwest", True,
     {"officer_wellness": 4, "de_escalation": 2}, "officer_wellness"),
    ("Undersheriff Omar Haddad", "o.haddad@riverside-so.demo.peacekit.org", "riverside_so",
     "deputy_chief", "sheriff_office", ["en", "ar"], "west", True,
     {"accountability_oversight": 4, "procedural_justice": 3}, ""),
    ("County Administrator Ruth Kim", "r.kim@pine-so.demo.peacekit.org", "pine_so",
     "county_manager", "county_government", ["en"], "southeast", True,
     {"budget_operations": 4, "elected_officials": 3}, ""),
    ("Sergeant Lena Fox", "l.fox@mesa-vista.demo.peacekit.org", "mesa_vista_pd", "sergeant",
     "municipal_police", ["en"], "southwest", True,
     {"de_escalation": 3, "officer_wellness": 3, "youth_engagement": 2}, ""),
    ("Chief Hoang Tran", "h.tran@harbor-falls.demo.peacekit.org", "harbor_falls", "chief",
     "municipal_police", ["vi"], "west", False,
     {"community_engagement": 4, "recruiting_retention": 3}, ""),
    ("Captain Nia Brooks", "n.brooks@metro-pd.demo.peacekit.org", "metro_pd", "commander",
     "municipal_police", ["en"], "southeast", True,
     {"procedural_justice": 4, "accountability_oversight": 2}, ""),
]  # fmt: skip

SESSION_NOTES = [
    "Mapped the three neighborhoods with the least trust; agreed on a first listening visit.",
    "Reviewed the draft listening tour plan; practiced the opening remarks for the town hall.",
    "Debriefed the first town hall. Next: share what changed with the neighborhood groups.",
]


@transaction.atomic
def load(context, progress=None) -> None:
    """Create coaches, coachees, assessments, a match run and one active agreement.

    `progress` is the demo command's bar; it counts whole apps, so it is not used here.
    """
    services.expertise_areas_ensure()
    slugs = set(ExpertiseArea.objects.values_list("slug", flat=True))
    staff = context.users.get("program_admin")
    program = context.organizations["program"]
    orgs = dict(context.organizations)
    for key, name, kind, state, county, city in EXTRA_AGENCIES:
        orgs[key] = organization_create(
            actor=staff, name=name, kind=kind, state=state, county=county, city=city
        )
    for (name, email, roles, years, types, expertise, langs, region, virtual, capacity,
         conflicts) in COACHES:  # fmt: skip
        services.coach_save(
            actor=staff, organization=program, name=name, email=email, ranks_held=roles,
            years_experience=years, agency_types=types,
            expertise={k: v for k, v in expertise.items() if k in slugs}, languages=langs,
            region=region, virtual=virtual, capacity=capacity,
            conflicts=[orgs[k] for k in conflicts],
        )  # fmt: skip
    coachees = {}
    for i, (name, email, org_key, role, agency_type, langs, region, virtual, answers,
            priority) in enumerate(COACHEES):  # fmt: skip
        coachee = services.coachee_save(
            actor=staff, organization=orgs[org_key], name=name, email=email, role=role,
            agency_type=agency_type, languages=langs, region=region, virtual_ok=virtual,
        )  # fmt: skip
        services.assessment_link_create(actor=staff, coachee=coachee)
        services.assessment_submit(
            coachee=coachee,
            answers={**{k: v for k, v in answers.items() if k in slugs}, "priority": priority},
            actor=staff if i % 4 == 3 else None,
            by_staff=i % 4 == 3,
        )
        coachees[name] = coachee
    # Staff adjust one profile after the intake call.
    holt = NeedsAssessment.objects.get(coachee=coachees["Deputy Chief Karen Holt"])
    services.assessment_adjust(
        actor=staff, assessment=holt, profile={**holt.profile, "officer_wellness": 0.5}
    )

    run = services.match_run_start(actor=staff, organization=program, inline=True)
    dana = coachees["Chief Dana Rivera"]
    match = ProposedMatch.objects.filter(run=run, coachee=dana).first()
    cal = program.coaches.get(email="coach@demo.peacekit.org")
    if match is None or match.coach_id != cal.pk:
        match = match or ProposedMatch.objects.create(run=run, coachee=dana, coach=cal)
        match = services.match_override(actor=staff, match=match, coach=cal)
    else:
        match = services.match_confirm(actor=staff, match=match)
    today = timezone.localdate()
    start = today - timedelta(days=42)
    agreement, _raw = services.agreement_create(
        actor=staff,
        match=match,
        goals=[
            "Run a listening tour in the three neighborhoods with the lowest trust",
            "Publish a quarterly community report with the department's response",
            "Coach two lieutenants to lead their own community meetings",
        ],
        cadence="biweekly",
        start_date=start,
        end_date=services.add_months(start, 4),
        evaluation_url="https://demo.peacekit.org/surveys/coaching-end-of-engagement",
    )
    services.agreement_accept(agreement=agreement, side="coach", actor=cal.user)
    agreement = services.agreement_accept(agreement=agreement, side="coachee", actor=dana.user)
    for n, note in enumerate(SESSION_NOTES):
        services.session_log(
            actor=cal.user, agreement=agreement, date=start + timedelta(days=14 * n),
            duration_minutes=60 if n else 90, format="video" if n % 2 else "in_person",
            private_notes=note, submission_key=f"demo-{n}",
        )  # fmt: skip
    services.checkin_record(
        actor=dana.user, agreement=agreement, goal_index=0, progress=2,
        private_note="Two of three neighborhoods visited.",
    )  # fmt: skip
    services.checkin_record(actor=cal.user, agreement=agreement, goal_index=2, progress=1)
    # A second, pending agreement waiting for the coachee's acceptance.
    other = ProposedMatch.objects.filter(run=run, status=ProposedMatch.Status.PROPOSED).exclude(
        coachee=dana
    )
    second = other.order_by("-fit").first()
    if second is not None:
        second = services.match_confirm(actor=staff, match=second)
        services.agreement_create(
            actor=staff, match=second, goals=["Build a peer-support program"],
            cadence="monthly", start_date=today, end_date=services.add_months(today, 3),
        )  # fmt: skip
