"""Demo Peace Initiative for Metro City PD, built from a real public Polis conversation.

Statements and votes go through the same import service users have (`import_create`), so the
anonymizer runs over every comment (batched) before anything is published.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

from django.db.models import Count
from django.utils import timezone

from peacekit.listening import services
from peacekit.listening.models import (
    Initiative,
    InitiativeTeamMember,
    ListeningSession,
    MicroCommunity,
)

DATA = Path(__file__).parent / "demo_data"
NOTE = (
    "Demo data: the statements and votes are real comments from the public Polis conversation "
    "“Improving Bowling Green / Warren County” (2018; The Computational Democracy Project, "
    "CC BY 4.0). Their spread over the sessions and groups below, the attendance figures, "
    "which voters are officers, and the recommendations are synthetic."
)

# name, kind, population share (%), under-represented
GROUPS = [
    ("Downtown", MicroCommunity.Kind.NEIGHBORHOOD, 14, False),
    ("Eastside / Shake Rag", MicroCommunity.Kind.NEIGHBORHOOD, 12, True),
    ("Westside", MicroCommunity.Kind.NEIGHBORHOOD, 18, False),
    ("Smallhouse Road corridor", MicroCommunity.Kind.NEIGHBORHOOD, 16, False),
    ("Precinct 3", MicroCommunity.Kind.PRECINCT, 20, False),
    ("Youth and students", MicroCommunity.Kind.STAKEHOLDER, 22, True),
    ("Immigrant and refugee families", MicroCommunity.Kind.STAKEHOLDER, 9, True),
    ("Faith communities", MicroCommunity.Kind.STAKEHOLDER, 10, False),
    ("Metro City PD officers", MicroCommunity.Kind.STAKEHOLDER, 2, False),
]

# title, group index, days from the start, attendees (None: still planned), language
SESSIONS = [
    ("Downtown library evening circle", 0, 10, 18, "en"),
    ("Eastside community center listening session", 1, 17, 24, "en"),
    ("Westside church hall conversation", 2, 24, 15, "en"),
    ("Smallhouse Road neighbors' meeting", 3, 31, 12, "en"),
    ("Precinct 3 roll-call listening", 4, 38, 9, "en"),
    ("WKU students' circle", 5, 45, 21, "en"),
    ("Faith leaders' breakfast", 7, 52, 11, "en"),
    ("Officers' listening session", 8, 59, 8, "en"),
    ("High school youth circle", 5, 100, None, "en"),
    ("Sesión con familias inmigrantes", 6, 110, None, "es"),
    ("Eastside follow-up", 1, 125, None, "en"),
]

PENDING = 12  # statements left in the redaction review queue


def load(context, progress=None) -> None:
    """Create the demo initiative, its groups and sessions, then import statements and votes."""
    metro_pd = context.organizations["metro_pd"]
    facilitator = context.users.get("facilitator")
    analyst = context.users.get("analyst")
    start = timezone.localdate() - timedelta(days=70)
    initiative = services.initiative_create(
        actor=facilitator, organization=metro_pd,
        name="Metro City Listens (demo)", jurisdiction="Bowling Green and Warren County, KY",
        partner_organization=context.organizations.get("metro_city"),
        starts_on=start, ends_on=start + timedelta(days=182), status=Initiative.Status.ACTIVE,
        goals="Hear from every neighborhood and group, especially those least heard, about "
        "safety, trust and what the police department should do differently.",
        retention_days=90, demo_note=NOTE,
    )  # fmt: skip
    for user, role in ((facilitator, "facilitator"), (analyst, "moderator")):
        if user is not None:
            services.team_member_set(
                actor=facilitator, initiative=initiative, user=user, role=role,
                training_status=InitiativeTeamMember.Training.COMPLETED,
            )  # fmt: skip
    groups = [
        services.micro_community_create(
            actor=facilitator,
            initiative=initiative,
            name=name,
            kind=kind,
            population_share=share,
            under_represented=flag,
        )  # fmt: skip
        for name, kind, share, flag in GROUPS
    ]
    now = timezone.now()
    sessions: list[ListeningSession] = []
    for title, group, day, attendees, language in SESSIONS:
        starts_at = timezone.make_aware(
            timezone.datetime.combine(start + timedelta(days=day), timezone.datetime.min.time())
        ) + timedelta(hours=18)
        session = services.session_create(
            actor=facilitator, initiative=initiative, title=title, starts_at=starts_at,
            micro_community=groups[group], language=language, capacity=25,
            place=f"{groups[group].name} (demo venue)",
            facilitators=[facilitator] if facilitator else [],
        )  # fmt: skip
        sessions.append(session)
        if attendees is not None and starts_at < now:
            services.session_mark_held(actor=facilitator, session=session)
    held = [s for s in sessions if s.status == ListeningSession.Status.HELD]

    # Statements: the Polis comments, spread over the held sessions, through the import path.
    with (DATA / "comments.csv").open(encoding="utf-8") as f:
        comments = list(csv.DictReader(f))
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(["id", "text", "session"])
    for index, row in enumerate(comments):
        writer.writerow([row["comment-id"], row["comment-body"], held[index % len(held)].title])
    services.import_create(
        actor=facilitator, initiative=initiative, kind="table", filename="polis-comments.csv",
        data=table.getvalue().encode(), inline=True,
    )  # fmt: skip
    # Leave a few statements with proposed redactions in the review queue; publish the rest.
    statements = list(initiative.statements.annotate(n=Count("spans")).order_by("-n", "pk"))
    services.statement_publish_as_proposed(actor=analyst, statements=statements[PENDING:])

    # Votes, through the same import path.
    with (DATA / "votes.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    votes = io.StringIO()
    writer = csv.writer(votes)
    writer.writerow(["participant", "statement", "vote", "role"])
    published = set(
        initiative.statements.filter(status="published").values_list("external_ref", flat=True)
    )
    writer.writerows(
        (r["participant"], r["comment-id"], r["vote"], _demo_role(r["participant"]))
        for r in rows
        if r["comment-id"] in published
    )
    services.import_create(
        actor=facilitator, initiative=initiative, kind="votes", filename="polis-votes.csv",
        data=votes.getvalue().encode(), inline=True,
    )  # fmt: skip

    # Statements come from the sessions' groups.
    for session in held:
        session.statements.update(micro_community=session.micro_community)

    attendance = {title: attendees for title, _g, _d, attendees, _l in SESSIONS}
    for session in held:
        services.session_close(
            actor=facilitator, session=session, attendee_count=attendance[session.title],
            notes="Demo session.",
        )  # fmt: skip
    _insight(initiative, analyst or facilitator, context)


def _demo_role(participant: str) -> str:
    """Synthetic: about one voter in eight is an officer, the rest residents."""
    return "officer" if int(participant) % 8 == 3 else "resident"


def _insight(initiative, analyst, context) -> None:
    """Run the analysis (TF-IDF embeddings: fast and offline), edit a theme, draft actions."""
    from peacekit.listening import insight
    from peacekit.listening.models import Recommendation, RecommendationNote

    insight.analysis_run(initiative=initiative, actor=analyst, backend="tfidf", seed=0)
    themes = list(initiative.themes.all())
    if not themes:
        return
    insight.theme_update(
        actor=analyst, theme=themes[0], label=f"{themes[0].label} (reviewed)"[:200],
        description=themes[0].description,
    )  # fmt: skip
    chief = context.users.get("agency_admin") or analyst
    plans = [
        ("Walk-and-talk patrols in Eastside and Downtown", "Two officers on foot each evening, "
         "with a monthly neighborhood meeting.", "Patrol Division", Recommendation.Status.IN_PROGRESS,
         "First four walks done; residents asked for weekend times too."),
        ("Publish response times by neighborhood each quarter", "A public dashboard of 911 "
         "response times, by neighborhood.", "Chief of Police", Recommendation.Status.ACCEPTED, ""),
        ("Reopen the youth center on weekday evenings", "Partner with the Parks Department and "
         "faith communities.", "City Manager's Office", Recommendation.Status.PROPOSED, ""),
        ("Officer training on de-escalation with community co-trainers", "", "Training Unit",
         Recommendation.Status.IMPLEMENTED, "All patrol officers completed the course."),
    ]  # fmt: skip
    statements = list(initiative.statements.filter(status="published").order_by("pk")[:6])
    for i, (title, body, owner, status, note) in enumerate(plans):
        rec = insight.recommendation_save(
            actor=analyst, initiative=initiative, title=title, body=body, owner_label=owner,
            owner=chief, status=status, themes=themes[i % len(themes) : i % len(themes) + 1],
            evidence=statements[i : i + 2],
        )  # fmt: skip
        if note:
            RecommendationNote.objects.create(recommendation=rec, body=note, status=status,
                                              created_by=analyst)  # fmt: skip
