"""Reads for 360 evaluations: progress by group (counts only), cohort, fairness check."""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Count

from peacekit.analysis.scoring360 import adverse_impact
from peacekit.evaluations.models import (
    GROUP_ORDER,
    Candidate,
    CandidateGroup,
    Cycle,
    Framework,
    Rater,
    RaterGroup,
    Report,
)
from peacekit.reports.suppression import site_policy

GROUP_LABELS = dict(RaterGroup.choices)
ASKED = (Rater.Status.INVITED, Rater.Status.COMPLETED, Rater.Status.DECLINED)


def cycle_list(*, queryset):
    """Cycles with their candidate counts, newest first."""
    return queryset.annotate(n_candidates=Count("candidates", distinct=True)).order_by(
        "-created_at", "-pk"
    )


@dataclass
class GroupProgress:
    """Response figures for one rater group: counts, never names."""

    group: str
    label: str
    asked: int = 0
    completed: int = 0
    declined: int = 0
    waiting_approval: int = 0

    @property
    def rate(self) -> float | None:
        return self.completed / self.asked if self.asked else None


def cycle_progress(*, cycle: Cycle) -> dict:
    """Response rates by group for the cycle and per candidate (counts only)."""
    rows = (
        Rater.objects.filter(cycle=cycle)
        .values("candidate_id", "group", "status")
        .annotate(n=Count("pk"))
    )
    overall = {g: GroupProgress(g, str(GROUP_LABELS[g])) for g in GROUP_ORDER}
    per: dict[int, dict[str, GroupProgress]] = defaultdict(
        lambda: {g: GroupProgress(g, str(GROUP_LABELS[g])) for g in GROUP_ORDER}
    )
    for row in rows:
        for target in (overall[row["group"]], per[row["candidate_id"]][row["group"]]):
            if row["status"] in ASKED:
                target.asked += row["n"]
            if row["status"] == Rater.Status.COMPLETED:
                target.completed += row["n"]
            elif row["status"] == Rater.Status.DECLINED:
                target.declined += row["n"]
            elif row["status"] == Rater.Status.NOMINATED:
                target.waiting_approval += row["n"]
    candidates = list(Candidate.objects.filter(cycle=cycle).order_by("name", "pk"))
    asked = sum(p.asked for p in overall.values())
    done = sum(p.completed for p in overall.values())
    return {
        "overall": list(overall.values()),
        "candidates": [(c, list(per[c.pk].values())) for c in candidates],
        "asked": asked,
        "completed": done,
        "rate": done / asked if asked else None,
    }


def cohort(*, cycle: Cycle) -> list[dict]:
    """Candidates with their index, uncertainty and percentiles, best first."""
    reports = Report.objects.filter(cycle=cycle).select_related("candidate")
    rows = []
    for report in reports:
        p = report.data.get("promotability", {})
        rows.append({"report": report, "candidate": report.candidate, **p})
    rows.sort(key=lambda r: (-(r.get("index") or -1), r["candidate"].name))
    return rows


def fairness_check(*, cycle: Cycle) -> list[dict]:
    """Four-fifths check per category HR supplied, aggregate only (small groups hidden)."""
    reports = {r.candidate_id: r.promotability_index for r in Report.objects.filter(cycle=cycle)}
    if not reports:
        return []
    memberships: dict[str, dict[int, str]] = defaultdict(dict)
    for candidate_id, category, group in CandidateGroup.objects.filter(
        candidate__cycle=cycle
    ).values_list("candidate_id", "category", "group"):
        memberships[category][candidate_id] = group
    out = []
    ids = sorted(reports)
    index = [reports[i] if reports[i] is not None else float("nan") for i in ids]
    for category in sorted(memberships):
        result = adverse_impact(
            index,
            [memberships[category].get(i) for i in ids],
            cutoff=cycle.promotability_cutoff,
            policy=site_policy(),
        )
        rows = [
            {"group": g, "n": n, "selected": s, "rate": r, "ratio": q, "flagged": f}
            for g, n, s, r, q, f in zip(
                result.groups,
                result.n,
                result.selected,
                result.rate,
                result.impact_ratio,
                result.flagged,
                strict=True,
            )
        ]
        out.append(
            {
                "category": category,
                "rows": rows,
                "rule": result.rule,
                "note": result.note,
                "reference": result.reference_group,
            }
        )
    return out


# ----------------------------------------------------------------------------- answer links
# (alias on the join, model, FK from an earlier model that points at it)
_LINK_JOINS = (
    ("r", Rater, None),
    ("c", Candidate, ("r", Rater.candidate.field)),
    ("y", Cycle, ("r", Rater.cycle.field)),
    ("f", Framework, ("y", Cycle.framework.field)),
)


_link_plans = threading.local()  # per thread: its connection, and the plan built for it


def _link_plan(connection) -> tuple[str, list]:
    """The rater-by-token SELECT and, per model, its column positions, field names and
    converters. Kept per thread for that thread's connection: the converters are bound to
    the connection, and nothing kept outlives the thread."""
    kept = getattr(_link_plans, "kept", None)
    if kept is None or kept[0] is not connection:
        kept = _link_plans.kept = (connection, _link_plan_build(connection))
    return kept[1]


def _link_plan_build(connection) -> tuple[str, list]:
    q = connection.ops.quote_name
    columns, joins, models = [], [], []
    for alias, model, via in _LINK_JOINS:
        fields = model._meta.concrete_fields
        start = len(columns)
        converters = []
        for position, field in enumerate(fields, start):
            columns.append(f"{q(alias)}.{q(field.column)}")
            col = field.get_col(alias)
            found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if found:
                converters.append((position, found, col))
        models.append((model, [f.attname for f in fields], start, len(columns), converters))
        if via is None:
            joins.append(f"{q(model._meta.db_table)} {q(alias)}")
        else:
            from_alias, fk = via
            joins.append(
                f"INNER JOIN {q(model._meta.db_table)} {q(alias)} ON "
                f"{q(alias)}.{q(model._meta.pk.column)} = {q(from_alias)}.{q(fk.column)}"
            )
    sql = (
        f"SELECT {', '.join(columns)} FROM {' '.join(joins)} "  # noqa: S608
        f"WHERE {q('r')}.{q(Rater._meta.get_field('token_hash').column)} = %s LIMIT 1"
    )
    return sql, models


def rater_by_token_hash(token_hash: str) -> Rater | None:
    """The rater with this token hash, with its candidate, cycle and the cycle's framework —
    what `Rater.objects.select_related("candidate", "cycle", "cycle__framework")` loads, in
    one plain query (no ORM compiler: this is the public answer page's first read)."""
    connection = connections[DEFAULT_DB_ALIAS]
    sql, models = _link_plan(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [token_hash])
        row = cursor.fetchone()
    if row is None:
        return None
    row = list(row)
    loaded = []
    for model, names, start, end, converters in models:
        for position, found, col in converters:
            value = row[position]
            for converter in found:
                value = converter(value, col, connection)
            row[position] = value
        loaded.append(model.from_db(connection.alias, names, row[start:end]))
    rater, candidate, cycle, framework = loaded
    Rater.candidate.field.set_cached_value(rater, candidate)
    Rater.cycle.field.set_cached_value(rater, cycle)
    Cycle.framework.field.set_cached_value(cycle, framework)
    return rater
