"""The Django-side entry to small-cell suppression: the one configured threshold.

Every breakdown by group in a page, report or export calls `suppress_breakdown` (or
`suppress_table`), which applies `analysis.suppression.suppress` with the site's
PEACEKIT_MIN_CELL_SIZE. Never compare counts to a threshold anywhere else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.conf import settings

from peacekit.analysis.suppression import SuppressedTable, SuppressionPolicy, suppress


def site_policy() -> SuppressionPolicy:
    """The configured minimum cell size (default 5)."""
    return SuppressionPolicy(threshold=settings.PEACEKIT_MIN_CELL_SIZE)


def suppress_breakdown(counts: Mapping[str, int], *, with_total: bool = True) -> SuppressedTable:
    """A 1-D breakdown (label → count) with its total, after suppression."""
    return suppress(dict(counts), policy=site_policy(), totals=with_total)


def suppress_table(
    counts: Sequence[Sequence[int]],
    *,
    rows: Sequence[str],
    columns: Sequence[str],
    with_totals: bool = True,
) -> SuppressedTable:
    """A 2-D table with row, column and grand totals, after suppression."""
    return suppress(counts, rows=rows, columns=columns, policy=site_policy(), totals=with_totals)
