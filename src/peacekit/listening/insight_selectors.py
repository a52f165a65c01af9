"""Reads for community insight: the latest analysis, themes with quotes, stance breakdowns
(suppressed), the opinion map, consensus/divisive statements, factors, recommendations."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peacekit.analysis.factors import DEFAULT_FRAMEWORK
from peacekit.analysis.sentiment import LABELS
from peacekit.core.models import JobRun
from peacekit.listening.models import (
    AnalysisRun,
    Initiative,
    Recommendation,
    StanceLabel,
    Statement,
    StatementFinding,
    StatementGroupStat,
    Theme,
)
from peacekit.reports.charts import Bar, hbar_chart, scatter_chart, stacked_bar
from peacekit.reports.suppression import suppress_breakdown, suppress_table

STANCE_NAMES = dict(StanceLabel.choices)
#: positive, negative, neutral, mixed (the order of analysis.sentiment.LABELS)
STANCE_COLORS = ("#00a91c", "#b50909", "#a9aeb1", "#e5a000")
DOMAIN_NAMES = {
    "community": gettext_lazy("Community"),
    "family": gettext_lazy("Family"),
    "school": gettext_lazy("School"),
    "individual_peer": gettext_lazy("Individual and peer"),
}


def latest_run(initiative: Initiative) -> AnalysisRun | None:
    return initiative.analysis_runs.filter(status=AnalysisRun.Status.DONE).first()


def latest_job(initiative: Initiative) -> JobRun | None:
    return (
        JobRun.objects.filter(
            kind="listening.initiative_analyze", parameters__initiative_id=initiative.pk
        )
        .order_by("-created_at", "-pk")
        .first()
    )


@dataclass
class ThemeView:
    theme: Theme
    quotes: list[Statement]
    stance: dict[str, int]
    factors: list[dict] = field(default_factory=list)
    chart: str = ""


def _stance_parts(counts: dict[str, int]) -> list[tuple[str, float]]:
    return [(str(STANCE_NAMES[label]), counts.get(label, 0)) for label in LABELS]


def themes_with_quotes(initiative: Initiative) -> list[ThemeView]:
    theme_list = list(initiative.themes.all())
    quote_ids = {pk for t in theme_list for pk in t.representative_ids}
    quotes = {
        s.pk: s
        for s in Statement.objects.filter(pk__in=quote_ids, status=Statement.Status.PUBLISHED)
    }
    stance: dict[int, Counter] = defaultdict(Counter)
    for theme_id, label in Statement.objects.filter(
        initiative=initiative, status=Statement.Status.PUBLISHED, theme_link__isnull=False,
        sentiment__isnull=False,
    ).values_list("theme_link__theme_id", "sentiment__label"):  # fmt: skip
        stance[theme_id][label] += 1
    factor_names = {f.factor_id: f for f in DEFAULT_FRAMEWORK.factors}
    out = []
    for t in theme_list:
        counts = dict(stance[t.pk])
        out.append(
            ThemeView(
                theme=t,
                quotes=[quotes[pk] for pk in t.representative_ids if pk in quotes],
                stance=counts,
                factors=[
                    {**f, "factor": factor_names[f["factor_id"]]}
                    for f in t.factors
                    if f["factor_id"] in factor_names
                ],
                chart=stacked_bar(
                    _stance_parts(counts),
                    title=_("Stance in %(theme)s") % {"theme": t.label},
                    width=600,
                    colors=STANCE_COLORS,
                )
                if counts
                else "",
            )  # fmt: skip
        )
    return out


def stance_by_community(initiative: Initiative) -> dict:
    """Stance counts per micro-community, through the one suppression function."""
    rows: dict[str, Counter] = defaultdict(Counter)
    for name, label in Statement.objects.filter(
        initiative=initiative, status=Statement.Status.PUBLISHED, sentiment__isnull=False,
        micro_community__isnull=False,
    ).values_list("micro_community__name", "sentiment__label"):  # fmt: skip
        rows[name][label] += 1
    if not rows:
        return {"rows": [], "columns": [], "note": ""}
    names = sorted(rows)
    table = suppress_table(
        [[rows[n][label] for label in LABELS] for n in names],
        rows=names, columns=[str(STANCE_NAMES[label]) for label in LABELS],
    )  # fmt: skip
    out_rows = []
    for name, cells, total in zip(names, table.cells, table.row_totals, strict=True):
        out_rows.append({"name": name, "cells": [c.display for c in cells], "total": total.display})
    return {
        "rows": out_rows,
        "columns": list(table.columns),
        "totals": [c.display for c in table.column_totals],
        "grand_total": table.grand_total.display if table.grand_total else "",
        "note": table.note if table.n_suppressed else "",
    }


def overall_stance(initiative: Initiative) -> dict[str, int]:
    counts = Counter(
        Statement.objects.filter(
            initiative=initiative, status=Statement.Status.PUBLISHED, sentiment__isnull=False
        ).values_list("sentiment__label", flat=True)
    )
    return {label: counts.get(label, 0) for label in LABELS}


def findings(run: AnalysisRun, kind: str) -> list[StatementFinding]:
    return list(
        run.findings.filter(kind=kind)
        .select_related("statement")
        .filter(statement__status=Statement.Status.PUBLISHED)
        .order_by("direction", "rank")
    )


def group_views(run: AnalysisRun) -> list[dict]:
    """Each opinion group with its representative statements (agree/disagree rates)."""
    groups = list(run.groups.all())
    reps = defaultdict(list)
    for stat in (
        StatementGroupStat.objects.filter(run=run, representative=True)
        .select_related("statement")
        .filter(statement__status=Statement.Status.PUBLISHED)
        .order_by("-repness")
    ):
        reps[stat.group_id].append(stat)
    sizes = group_sizes(groups)
    return [{"group": g, "size": sizes[g.label], "representative": reps[g.pk][:3]} for g in groups]


def group_sizes(groups) -> dict[str, str]:
    """Participants per opinion group, through the one suppression function ("—" if hidden)."""
    table = suppress_breakdown({g.label: g.size for g in groups})
    return {label: cell.display for label, cell in table.series().items()}


def opinion_map(run: AnalysisRun):
    groups = list(run.groups.all())
    if not groups:
        return ""
    sizes = group_sizes(groups)
    return scatter_chart(
        [(_("Group %(label)s") % {"label": g.label}, g.points) for g in groups],
        counts=[sizes[g.label] for g in groups],
        others=run.summary.get("unclustered_points", []),
        title=_("Participant map: each dot is a participant, placed by how they voted"),
    )


def insights(initiative: Initiative) -> dict:
    """Everything the Insights page shows."""
    run = latest_run(initiative)
    if run is None:
        return {"run": None}
    theme_views = themes_with_quotes(initiative)
    chart = hbar_chart(
        [Bar(tv.theme.label, round(100 * tv.theme.share, 1), f"{100 * tv.theme.share:.0f}%")
         for tv in theme_views],
        title=_("Share of statements by theme"), unit="%", label_width=240,
    )  # fmt: skip
    overall = overall_stance(initiative)
    factor_use = factors_view(initiative)
    return {
        "run": run,
        "themes": theme_views,
        "theme_chart": chart,
        "stance": overall,
        "stance_chart": stacked_bar(
            _stance_parts(overall), title=_("Stance toward police"), colors=STANCE_COLORS
        )
        if sum(overall.values())
        else "",
        "by_community": stance_by_community(initiative),
        "map": opinion_map(run),
        "groups": group_views(run),
        "consensus": findings(run, StatementFinding.Kind.CONSENSUS),
        "divisive": findings(run, StatementFinding.Kind.DIVISIVE),
        "common_ground": findings(run, StatementFinding.Kind.COMMON_GROUND),
        "roles_known": run.summary.get("roles_known", False),
        "factors": factor_use,
    }


def factors_view(initiative: Initiative) -> list[dict]:
    """Framework domains → factors with the themes that point to them."""
    by_factor: dict[str, list[tuple[Theme, float]]] = defaultdict(list)
    for t in initiative.themes.all():
        for f in t.factors:
            by_factor[f["factor_id"]].append((t, f["score"]))
    out = []
    for domain, factor_list in DEFAULT_FRAMEWORK.by_domain().items():
        items = []
        for f in factor_list:
            items.append({"factor": f, "themes": sorted(by_factor.get(f.factor_id, []),
                                                        key=lambda x: -x[1])})  # fmt: skip
        out.append({"domain": DOMAIN_NAMES.get(domain, domain), "factors": items,
                    "matched": sum(1 for i in items if i["themes"])})  # fmt: skip
    return out


def recommendations(initiative: Initiative, *, public_only: bool = False):
    qs = initiative.recommendations.select_related("owner").prefetch_related("themes", "notes")
    if public_only:
        qs = qs.filter(public=True)
    return qs.order_by("status", "-updated_at")


def recommendation_progress(initiative: Initiative, *, public_only: bool = False) -> dict:
    qs = initiative.recommendations.all()
    if public_only:
        qs = qs.filter(public=True)
    counts = Counter(qs.values_list("status", flat=True))
    bars = [Bar(str(label), counts.get(value, 0)) for value, label in Recommendation.Status.choices]
    return {
        "counts": counts,
        "total": sum(counts.values()),
        "chart": hbar_chart(
            bars,
            title=_("Recommendations by status"),
            label_width=120 if public_only else 140,
            width=380 if public_only else 640,
        ),
    }
