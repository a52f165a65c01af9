"""Template context for a candidate's report: the same context renders the page and the PDF."""

from __future__ import annotations

from django.utils.translation import gettext as _

from peacekit.evaluations.models import Report
from peacekit.reports.charts import Bar, hbar_chart


def report_context(report: Report) -> dict:
    """Everything the report template prints; figures come from the stored (suppressed) data."""
    data = report.data
    shown = [g for g in data.get("groups", []) if g["shown"]]
    omitted = [g for g in data.get("groups", []) if g["had_raters"] and not g["shown"]]
    rows = []
    for comp in data.get("competencies", []):
        rows.append({**comp, "cells": [comp["by_group"].get(g["key"]) for g in shown]})
    bars = []
    for comp in data.get("competencies", []):
        tone = "warn" if comp["gap_flagged"] else ""
        bars.append(Bar(comp["name"], comp["others"], tone=tone))
    chart = hbar_chart(
        bars, title=_("Others' mean rating by competency (1–5)"), max_value=5, label_width=250
    )
    return {
        "report": report,
        "data": data,
        "candidate": report.candidate,
        "cycle": report.cycle,
        "shown_groups": shown,
        "omitted_groups": omitted,
        "rows": rows,
        "chart": chart,
    }
