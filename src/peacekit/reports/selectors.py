"""Reads for the Peace Initiative report: one context for the web page and the PDF.

Built from listening's selectors (coverage, insight) and its published, redacted statements
only. Every count by group passes `reports.suppression` (the one suppression function).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from peacekit.analysis.sentiment import LABELS
from peacekit.listening import insight_selectors as insight
from peacekit.listening import selectors as listening
from peacekit.listening.models import (
    Initiative,
    MicroCommunity,
    Statement,
    StatementFinding,
    StatementTheme,
)
from peacekit.reports.charts import Bar, hbar_chart, stacked_bar
from peacekit.reports.suppression import suppress_breakdown, suppress_table

LIMITS = [
    "Listening sessions are not a representative sample. People chose to come and to speak; "
    "the statements show what was said and how often, not what share of all residents think it.",
    "Statements were anonymized before publication: names, addresses, phone numbers and other "
    "identifying details are replaced by tags such as [PERSON 1]. Raw text is never reported.",
    "Themes and stance toward police are computed automatically and checked by analysts; a "
    "statement can touch several themes but is counted once, in the theme it fits best.",
    "Opinion groups come from votes on statements (Polis method). Participants who cast few "
    "votes are placed on the map but not grouped.",
    "Counts under the minimum cell size, and counts that would reveal them, are shown as —.",
]


def _published(initiative: Initiative, community: MicroCommunity | None):
    qs = initiative.statements.filter(status=Statement.Status.PUBLISHED)
    if community is not None:
        qs = qs.filter(micro_community=community)
    return qs


def methodology(initiative: Initiative, community: MicroCommunity | None) -> dict:
    sessions = initiative.sessions.select_related("micro_community").prefetch_related(
        "facilitators"
    )
    if community is not None:
        sessions = sessions.filter(micro_community=community)
    sessions = list(sessions.order_by("starts_at"))
    held = [s for s in sessions if s.status in listening.DONE]
    modality = Counter(s.get_modality_display() for s in held)
    facilitators = sorted(
        {f.full_name or f.email for s in held for f in s.facilitators.all()}, key=str.lower
    )
    cov = listening.coverage(initiative=initiative)
    rows = [r for r in cov["rows"] if community is None or r.community.pk == community.pk]
    return {
        "sessions": sessions,
        "held": held,
        "modality": dict(modality),
        "facilitators": facilitators,
        "first": held[0].starts_at if held else None,
        "last": held[-1].starts_at if held else None,
        "coverage": rows,
        "coverage_note": cov["note"],
        "under_represented": [r.community.name for r in rows if r.community.under_represented],
        "under_covered": [r.community.name for r in rows if r.under_covered],
    }


def themes_in_scope(initiative: Initiative, community: MicroCommunity | None) -> list[dict]:
    published = _published(initiative, community)
    counts = dict(
        published.filter(theme_link__isnull=False)
        .values_list("theme_link__theme_id")
        .annotate(n=Count("pk"))
    )
    stance: dict[int, Counter] = defaultdict(Counter)
    for theme_id, label in published.filter(
        theme_link__isnull=False, sentiment__isnull=False
    ).values_list("theme_link__theme_id", "sentiment__label"):
        stance[theme_id][label] += 1
    total = sum(counts.values()) or 1
    out = []
    for theme in initiative.themes.all():
        n = counts.get(theme.pk, 0)
        if not n:
            continue
        if community is None:
            quote_ids = theme.representative_ids
        else:
            quote_ids = list(
                StatementTheme.objects.filter(theme=theme, statement__in=published)
                .order_by("-confidence", "statement_id")
                .values_list("statement_id", flat=True)[:3]
            )
        quotes = list(published.filter(pk__in=quote_ids))
        out.append({"theme": theme, "count": n, "share": n / total, "quotes": quotes,
                    "stance": dict(stance[theme.pk])})  # fmt: skip
    out.sort(key=lambda d: (-d["count"], d["theme"].pk))
    return out


def by_community_table(initiative: Initiative) -> dict:
    """Statements per theme and micro-community (rows: groups), suppressed with margins."""
    communities = list(initiative.micro_communities.order_by("kind", "name"))
    themes = list(initiative.themes.all())
    if not communities or not themes:
        return {"rows": []}
    counts = defaultdict(int)
    for mc, theme in (
        initiative.statements.filter(status=Statement.Status.PUBLISHED, theme_link__isnull=False)
        .exclude(micro_community=None)
        .values_list("micro_community_id", "theme_link__theme_id")
    ):
        counts[(mc, theme)] += 1
    table = suppress_table(
        [[counts[(c.pk, t.pk)] for t in themes] for c in communities],
        rows=[c.name for c in communities], columns=[t.label for t in themes],
    )  # fmt: skip
    return {
        "columns": [t.label for t in themes],
        "rows": [
            {
                "name": c.name,
                "kind": c.get_kind_display(),
                "cells": [x.display for x in cells],
                "total": total.display,
            }
            for c, cells, total in zip(communities, table.cells, table.row_totals, strict=True)
        ],  # fmt: skip
        "totals": [x.display for x in table.column_totals],
        "grand_total": table.grand_total.display if table.grand_total else "",
        "note": table.note if table.n_suppressed else "",
    }


def report_context(
    initiative: Initiative, community: MicroCommunity | None = None, *, appendix: bool | int = True
) -> dict:
    """Everything the report template shows; `appendix` True (all statements), False, or a cap."""
    run = insight.latest_run(initiative)
    published = _published(initiative, community)
    n_statements = published.count()
    themes = themes_in_scope(initiative, community)
    stance = Counter(published.filter(sentiment__isnull=False).values_list("sentiment__label",
                                                                           flat=True))  # fmt: skip
    stance_counts = {label: stance.get(label, 0) for label in LABELS}
    stance_total = sum(stance_counts.values())
    method = methodology(initiative, community)
    recs = list(insight.recommendations(initiative, public_only=False))
    rec_status = Counter(r.get_status_display() for r in recs)
    consensus = insight.findings(run, StatementFinding.Kind.CONSENSUS) if run else []
    divisive = insight.findings(run, StatementFinding.Kind.DIVISIVE) if run else []
    both = insight.findings(run, StatementFinding.Kind.COMMON_GROUND) if run else []
    theme_chart = hbar_chart(
        [Bar(d["theme"].label, round(100 * d["share"], 1), f"{100 * d['share']:.0f}%")
         for d in themes[:15]],
        title=_("Share of statements by theme"), unit="%", label_width=240,
    )  # fmt: skip
    stance_chart = (
        stacked_bar(
            [(str(insight.STANCE_NAMES[label]), stance_counts[label]) for label in LABELS],
            title=_("Stance toward police"),
            colors=insight.STANCE_COLORS,
        )
        if stance_total
        else ""
    )
    for d in themes:
        d["chart"] = (
            stacked_bar(
                [(str(insight.STANCE_NAMES[label]), d["stance"].get(label, 0)) for label in LABELS],
                title=_("Stance in %(theme)s") % {"theme": d["theme"].label},
                width=600,
                colors=insight.STANCE_COLORS,
            )  # fmt: skip
            if d["stance"]
            else ""
        )
    sessions_by_community = suppress_breakdown(
        {r.community.name: int(r.held) for r in method["coverage"]}
    )
    appendix_rows = []
    appendix_limit = None if appendix is True else int(appendix or 0)
    if appendix:
        labels = dict(
            StatementTheme.objects.filter(statement__in=published).values_list(
                "statement_id", "theme__label"
            )
        )
        appendix_rows = [
            {"pk": pk, "text": text, "community": mc or "", "theme": labels.get(pk, "")}
            for pk, text, mc in published.order_by("pk").values_list(
                "pk", "redacted_text", "micro_community__name"
            )[:appendix_limit]
        ]
    top = themes[:3]
    summary = {
        "statements": n_statements,
        "sessions_held": len(method["held"]),
        "themes": {d["theme"].label: round(d["share"], 4) for d in themes},
        "stance": stance_counts,
        "participants": run.summary.get("participants", 0) if run else 0,
        "groups": run.summary.get("groups", 0) if run else 0,
        "consensus": [f.statement_id for f in consensus],
        "recommendations": dict(rec_status),
    }
    return {
        "initiative": initiative,
        "community": community,
        "generated_at": timezone.now(),
        "run": run,
        "n_statements": n_statements,
        "top_themes": top,
        "themes": themes,
        "theme_chart": theme_chart,
        "stance": stance_counts,
        "stance_total": stance_total,
        "stance_share": {
            k: (100 * v / stance_total if stance_total else 0) for k, v in stance_counts.items()
        },  # fmt: skip
        "stance_chart": stance_chart,
        "method": method,
        "sessions_note": sessions_by_community.note if sessions_by_community.n_suppressed else "",
        "map": insight.opinion_map(run) if run and community is None else "",
        "groups": insight.group_views(run) if run and community is None else [],
        "consensus": consensus,
        "divisive": divisive,
        "common_ground": both,
        "roles_known": bool(run and run.summary.get("roles_known")),
        "by_community": by_community_table(initiative) if community is None else {"rows": []},
        "stance_by_community": insight.stance_by_community(initiative)
        if community is None
        else {"rows": []},
        "factors": [d for d in insight.factors_view(initiative) if d["matched"]],
        "recommendations": recs,
        "rec_status": dict(rec_status),
        "appendix": appendix_rows,
        "appendix_total": n_statements,
        "limits": LIMITS,
        "summary": summary,
    }
