"""Reads for Peace Initiatives: lists, the review queue, public statements, coverage."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum

from peacekit.core.access import scope_queryset
from peacekit.core.models import User
from peacekit.listening.models import (
    Initiative,
    ListeningSession,
    MicroCommunity,
    Statement,
    Vote,
)
from peacekit.reports.suppression import suppress_breakdown

DONE = (ListeningSession.Status.HELD, ListeningSession.Status.CLOSED)


def initiative_list(*, user: User) -> QuerySet[Initiative]:
    return (
        scope_queryset(Initiative.objects.all(), user, "organization")
        .select_related("organization", "partner_organization")
        .annotate(
            session_count=Count("sessions", distinct=True),
            held_count=Count("sessions", filter=Q(sessions__status__in=DONE), distinct=True),
        )
        .order_by("-starts_on", "name")
    )


def review_queue(*, user: User) -> QuerySet[Statement]:
    """Statements awaiting redaction review in the user's organizations."""
    return (
        scope_queryset(Statement.objects.all(), user, "initiative__organization")
        .filter(status=Statement.Status.PENDING)
        .select_related("initiative", "session")
        .annotate(span_count=Count("spans"))
        .order_by("created_at")
    )


def published_statements(*, initiative: Initiative) -> QuerySet[Statement]:
    return (
        initiative.statements.filter(status=Statement.Status.PUBLISHED)
        .select_related("session", "micro_community")
        .annotate(
            agree=Count("votes", filter=Q(votes__value=1)),
            disagree=Count("votes", filter=Q(votes__value=-1)),
            passed=Count("votes", filter=Q(votes__value=0)),
        )
        .order_by("-published_at", "-pk")
    )


def statements_to_vote(
    *, initiative: Initiative, participant_hash: str, exclude_session=None, limit: int = 10
) -> tuple[list[Statement], dict[int, int], int]:
    """Published statements for a participant: those not yet voted on first."""
    qs = initiative.statements.filter(status=Statement.Status.PUBLISHED)
    if exclude_session is not None:
        qs = qs.exclude(session=exclude_session)
    mine = dict(
        Vote.objects.filter(statement__in=qs, participant_hash=participant_hash).values_list(
            "statement_id", "value"
        )
    )
    unvoted = list(qs.exclude(pk__in=list(mine)).order_by("?")[:limit])
    return unvoted, mine, len(mine)


@dataclass
class CoverageRow:
    community: MicroCommunity
    planned: int
    held: int
    participants: int | None  # None: suppressed
    statements: int | None
    population_share: float | None
    participant_share: float | None
    under_covered: bool


def coverage(*, initiative: Initiative) -> dict:
    """Sessions held vs planned and participants vs population share, per micro-community."""
    communities = list(
        initiative.micro_communities.annotate(
            planned=Count("sessions", distinct=True),
            held=Count("sessions", filter=Q(sessions__status__in=DONE), distinct=True),
            attendees=Sum("sessions__attendee_count", filter=Q(sessions__status__in=DONE)),
        ).order_by("kind", "name")
    )
    if not communities:
        return {"rows": [], "note": "", "total_participants": 0,
                "timeline": timeline(initiative=initiative)}  # fmt: skip
    statement_counts = dict(
        initiative.statements.exclude(micro_community=None)
        .values_list("micro_community")
        .annotate(n=Count("pk"))
    )
    participants = suppress_breakdown({c.name: int(c.attendees or 0) for c in communities})
    statements = suppress_breakdown({c.name: statement_counts.get(c.pk, 0) for c in communities})
    p_cells, s_cells = participants.series(), statements.series()
    total_population = sum(c.population or 0 for c in communities)
    total_participants = sum(int(c.attendees or 0) for c in communities)
    rows = []
    for c in communities:
        if c.population_share is not None:
            pop_share = float(c.population_share)
        elif c.population and total_population:
            pop_share = 100.0 * c.population / total_population
        else:
            pop_share = None
        count = p_cells[c.name].count
        part_share = (
            100.0 * count / total_participants if count is not None and total_participants else None
        )
        # The flag uses the true count (a coarse signal); the count itself may be hidden.
        true_share = (
            100.0 * int(c.attendees or 0) / total_participants if total_participants else 0.0
        )
        under = c.held == 0 or (pop_share is not None and true_share < 0.5 * pop_share)
        rows.append(
            CoverageRow(
                community=c,
                planned=c.planned,
                held=c.held,
                participants=count,
                statements=s_cells[c.name].count,
                population_share=pop_share,
                participant_share=part_share,
                under_covered=under,
            )  # fmt: skip
        )
    return {
        "rows": rows,
        "note": participants.note if participants.n_suppressed else "",
        "total_participants": participants.grand_total.count if participants.grand_total else None,
        "timeline": timeline(initiative=initiative),
    }


def timeline(*, initiative: Initiative) -> list[dict]:
    """Sessions planned and held per month across the initiative's period."""
    months: OrderedDict[str, dict] = OrderedDict()
    cursor = date(initiative.starts_on.year, initiative.starts_on.month, 1)
    while cursor <= initiative.ends_on:
        months[cursor.strftime("%Y-%m")] = {"month": cursor, "planned": 0, "held": 0}
        cursor = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    for starts_at, status in initiative.sessions.values_list("starts_at", "status"):
        key = starts_at.strftime("%Y-%m")
        if key not in months:
            continue
        months[key]["planned"] += 1
        if status in DONE:
            months[key]["held"] += 1
    return list(months.values())


def open_initiative_by_token(token: str) -> Initiative | None:
    """The initiative behind a public link when it accepts statements (not closed), with only
    id, organization, name, status and token loaded — one plain query, for the public page's
    busiest write (`services.statement_submit_public`)."""
    from django.db import connection

    q = connection.ops.quote_name
    wanted = {"id", "organization_id", "name", "status", "public_token"}
    fields = [f for f in Initiative._meta.concrete_fields if f.attname in wanted]
    names = [f.attname for f in fields]  # from_db takes them in the model's order
    sql = (
        f"SELECT {', '.join(q(f.column) for f in fields)} FROM {q(Initiative._meta.db_table)} "  # noqa: S608
        f"WHERE {q('public_token')} = %s AND {q('status')} <> %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [str(token), Initiative.Status.CLOSED])
        row = cursor.fetchone()
    return Initiative.from_db(connection.alias, names, row) if row else None
