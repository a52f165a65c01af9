"""Small-cell suppression: the one function every peacekit breakdown passes through.

Two families of rules live here.

* ``suppress`` hides counts under a threshold (primary suppression, default 5) and then
  hides just enough further cells (complementary suppression) that no hidden cell can be
  worked out from the totals that stay on the page: for a 1-D breakdown with its total,
  and for a 2-D table with its row, column and grand totals. A hidden cell is "worked
  out" when the published equations (each row and column adds up to its total) together
  with the fact that counts are never negative pin it to one value; the function checks
  that with linear algebra and a small linear programme, and keeps adding complements
  until it holds.
* ``suppress_360`` applies the stricter rater-group rules of a 360 evaluation: per-group
  minimums, an attributed supervisor, comments only from groups of three or more, a group
  under its minimum omitted entirely (never folded into "others"), and the all-raters total
  withheld whenever it would let a reader difference out an omitted group.

Results are plain data; callers render a hidden cell with ``Cell.display`` ("—") and
explain it with ``SuppressedTable.note``. Public output must not say *why* a particular
cell is hidden: telling primary from complementary cells narrows their ranges.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.linalg import null_space
from scipy.optimize import linprog

__all__ = [
    "HIDDEN",
    "Reason",
    "SuppressionPolicy",
    "Cell",
    "SuppressedTable",
    "suppress",
    "disclosed_cells",
    "DEFAULT_RATER_MINIMUMS",
    "Rater360Policy",
    "GroupDecision",
    "Suppressed360",
    "suppress_360",
    "rater_group_visibility",
]

HIDDEN = "—"
_TOLERANCE = 1e-7
# Above this many hidden cells the interval (linear programme) audit is skipped; the exact
# algebraic audit still runs. Report tables are far smaller than this.
_LP_AUDIT_LIMIT = 400


class Reason(StrEnum):
    """Why a cell is shown or hidden (internal and audit use; never printed per cell)."""

    SHOWN = "shown"
    PRIMARY = "primary"
    COMPLEMENTARY = "complementary"


@dataclass(frozen=True)
class SuppressionPolicy:
    """Minimum cell size and how zero cells are treated."""

    threshold: int = 5
    zero_is_safe: bool = False

    def __post_init__(self) -> None:
        """Reject thresholds that would hide nothing or everything by accident."""
        if self.threshold < 1:
            raise ValueError("threshold must be at least 1")

    @property
    def lower_bound(self) -> int:
        """What a reader may assume about any hidden cell: at least 1 when zeros are shown."""
        return 1 if self.zero_is_safe else 0

    def is_small(self, count: NDArray[np.int64]) -> NDArray[np.bool_]:
        """Cells that primary suppression hides."""
        small = count < self.threshold
        if self.zero_is_safe:
            small &= count != 0
        return small


@dataclass(frozen=True)
class Cell:
    """One published figure: its count, or ``None`` with the reason when hidden."""

    row: str | None
    column: str | None
    count: int | None
    suppressed: bool
    reason: Reason

    @property
    def display(self) -> str:
        """The text a page or export shows: the count, or an em dash when hidden."""
        return HIDDEN if self.suppressed else str(self.count)


@dataclass(frozen=True)
class SuppressedTable:
    """A breakdown after suppression; interior cells plus margins, all as plain data.

    For a 1-D breakdown ``rows`` holds the labels, ``columns`` is empty, ``cells`` has one
    row and the single margin is ``grand_total``.
    """

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...]
    column_totals: tuple[Cell, ...]
    grand_total: Cell | None
    policy: SuppressionPolicy
    ndim: int

    @property
    def note(self) -> str:
        """Footnote for any page or export that shows this table."""
        return (
            f"{HIDDEN} hidden to protect privacy: counts under {self.policy.threshold}, "
            "and other counts that would reveal them, are not shown."
        )

    @property
    def n_suppressed(self) -> int:
        """Number of hidden figures, margins included."""
        return sum(c.suppressed for c in self.all_cells())

    def all_cells(self) -> list[Cell]:
        """Every figure in the table: interior cells, then margins."""
        out = [c for row in self.cells for c in row]
        out += list(self.row_totals) + list(self.column_totals)
        if self.grand_total is not None:
            out.append(self.grand_total)
        return out

    def series(self) -> dict[str, Cell]:
        """A 1-D breakdown as label → cell (margins excluded)."""
        if self.ndim != 1:
            raise ValueError("series() is for 1-D breakdowns")
        return dict(zip(self.rows, self.cells[0], strict=True))

    def mask(self) -> NDArray[np.bool_]:
        """Boolean array of hidden interior cells, shaped like the input counts."""
        m = np.array([[c.suppressed for c in row] for row in self.cells], dtype=bool)
        return m[0] if self.ndim == 1 else m


# --------------------------------------------------------------------------------------
# The engine: published figures as a flat vector, additive relations over it.
# --------------------------------------------------------------------------------------


@dataclass
class _System:
    """Flat figures, which are margins, and the equations ``sum(members) == total``."""

    values: NDArray[np.int64]
    is_margin: NDArray[np.bool_]
    relations: list[tuple[NDArray[np.intp], int]] = field(default_factory=list)

    def equation_matrix(self) -> NDArray[np.float64]:
        """One row per relation: +1 on members, -1 on the total."""
        a = np.zeros((len(self.relations), self.values.size))
        for k, (members, total) in enumerate(self.relations):
            a[k, members] = 1.0
            a[k, total] = -1.0
        return a


def _one_dimensional(counts: NDArray[np.int64], with_total: bool) -> _System:
    """Cells then the total; one relation when the total is published."""
    values = np.append(counts, counts.sum()) if with_total else counts.copy()
    is_margin = np.zeros(values.size, dtype=bool)
    system = _System(values=values, is_margin=is_margin)
    if with_total:
        is_margin[-1] = True
        system.relations.append((np.arange(counts.size), counts.size))
    return system


def _two_dimensional(counts: NDArray[np.int64], with_totals: bool) -> _System:
    """Extended (r+1)×(c+1) grid in row-major order; every row and column is a relation."""
    r, c = counts.shape
    if not with_totals:
        flat = counts.ravel().copy()
        return _System(values=flat, is_margin=np.zeros(flat.size, dtype=bool))
    grid = np.zeros((r + 1, c + 1), dtype=np.int64)
    grid[:r, :c] = counts
    grid[:r, c] = counts.sum(axis=1)
    grid[r, :c] = counts.sum(axis=0)
    grid[r, c] = counts.sum()
    index = np.arange(grid.size).reshape(grid.shape)
    is_margin = np.zeros(grid.shape, dtype=bool)
    is_margin[r, :] = True
    is_margin[:, c] = True
    system = _System(values=grid.ravel(), is_margin=is_margin.ravel())
    for i in range(r + 1):
        system.relations.append((index[i, :c], int(index[i, c])))
    for j in range(c + 1):
        system.relations.append((index[:r, j], int(index[r, j])))
    return system


def _relation_index(system: _System) -> list[list[NDArray[np.intp]]]:
    """For each figure, the relations (member+total index arrays) it takes part in."""
    by_figure: list[list[NDArray[np.intp]]] = [[] for _ in range(system.values.size)]
    for members, total in system.relations:
        everyone = np.append(members, total)
        for k in everyone:
            by_figure[int(k)].append(everyone)
    return by_figure


def _add_complement(
    system: _System,
    hidden: NDArray[np.bool_],
    everyone: NDArray[np.intp],
    lower: int,
    by_figure: list[list[NDArray[np.intp]]],
) -> bool:
    """Hide the best visible figure of a relation; True if one was hidden.

    Preference, in order: an interior cell over a total; a cell whose other relation
    already has exactly one hidden figure (one complement then protects two relations);
    a cell whose other relation has nothing hidden yet (avoids a new exposed relation);
    a count above ``lower``; the smallest count.
    """
    visible = everyone[~hidden[everyone]]
    if visible.size == 0:
        return False
    best_key: tuple[float, ...] | None = None
    best = -1
    for k in visible:
        fixes = creates = 0
        for other in by_figure[int(k)]:
            if other is everyone or np.array_equal(other, everyone):
                continue
            n_hidden = int(hidden[other].sum())
            fixes += n_hidden == 1
            creates += n_hidden == 0
        value = int(system.values[k])
        key = (int(system.is_margin[k]), -fixes, creates, int(value <= lower), value)
        if best_key is None or key < best_key:
            best_key, best = key, int(k)
    hidden[best] = True
    return True


def _local_pass(
    system: _System,
    hidden: NDArray[np.bool_],
    lower: int,
    by_figure: list[list[NDArray[np.intp]]],
) -> bool:
    """Fix relations with one hidden figure, or whose hidden figures all sit at ``lower``."""
    changed = False
    for members, total in system.relations:
        everyone = np.append(members, total)
        hidden_here = everyone[hidden[everyone]]
        if hidden_here.size == 0:
            continue
        exposed = hidden_here.size == 1 or bool(np.all(system.values[hidden_here] <= lower))
        if exposed and _add_complement(system, hidden, everyone, lower, by_figure):
            changed = True
    return changed


def _determined_by_equations(system: _System, hidden: NDArray[np.bool_]) -> NDArray[np.intp]:
    """Hidden figures whose value the published equations fix exactly (linear algebra)."""
    unknown = np.flatnonzero(hidden)
    if unknown.size == 0:
        return unknown
    if not system.relations:
        return np.empty(0, dtype=np.intp)
    a = system.equation_matrix()[:, unknown]
    a = a[np.any(a != 0, axis=1)]
    if a.shape[0] == 0:
        return np.empty(0, dtype=np.intp)
    basis = null_space(a)
    if basis.shape[1] == 0:
        return unknown
    free = np.any(np.abs(basis) > _TOLERANCE, axis=1)
    return unknown[~free]


def _pinned_by_bounds(system: _System, hidden: NDArray[np.bool_], lower: int) -> NDArray[np.intp]:
    """Hidden figures that equations plus ``x >= lower`` pin to one value (linear programme)."""
    unknown = np.flatnonzero(hidden)
    if unknown.size == 0 or not system.relations or unknown.size > _LP_AUDIT_LIMIT:
        return np.empty(0, dtype=np.intp)
    a_full = system.equation_matrix()
    a = a_full[:, unknown]
    keep = np.any(a != 0, axis=1)
    a = a[keep]
    known = ~hidden
    b = -(a_full[keep][:, known] @ system.values[known].astype(float))
    if _interior_exists(a, b, lower):
        return np.empty(0, dtype=np.intp)
    pinned = []
    for k in range(unknown.size):
        objective = np.zeros(unknown.size)
        span = []
        for sign in (1.0, -1.0):
            objective[k] = sign
            res = linprog(
                objective, A_eq=a, b_eq=b, bounds=[(lower, None)] * unknown.size, method="highs"
            )
            span.append(sign * res.fun if res.status == 0 else np.inf * -sign)
        if span[1] - span[0] < 0.5:  # integer counts: a range narrower than 1 is one value
            pinned.append(unknown[k])
    return np.asarray(pinned, dtype=np.intp)


def _interior_exists(a: NDArray[np.float64], b: NDArray[np.float64], lower: int) -> bool:
    """One LP: can every hidden figure sit strictly above ``lower`` at once?

    If so, and no figure is fixed by the equations alone, each figure can move both ways
    along the solution space from that point, so none is pinned by the bounds.
    """
    n = a.shape[1]
    objective = np.zeros(n + 1)
    objective[-1] = -1.0  # maximise the slack t
    a_eq = np.hstack([a, np.zeros((a.shape[0], 1))])
    a_ub = np.hstack([-np.eye(n), np.ones((n, 1))])  # t - x_k <= -lower
    res = linprog(
        objective,
        A_ub=a_ub,
        b_ub=np.full(n, -float(lower)),
        A_eq=a_eq,
        b_eq=b,
        bounds=[(None, None)] * n + [(None, 1.0)],
        method="highs",
    )
    return res.status == 0 and -res.fun > _TOLERANCE


def _protect(system: _System, primary: NDArray[np.bool_], lower: int) -> NDArray[np.bool_]:
    """Grow the hidden set from ``primary`` until no hidden figure can be worked out."""
    hidden = primary.copy()
    if not system.relations:
        return hidden
    by_figure = _relation_index(system)
    for _ in range(system.values.size + 1):
        while _local_pass(system, hidden, lower, by_figure):
            pass
        exposed = _determined_by_equations(system, hidden)
        if exposed.size == 0:
            exposed = _pinned_by_bounds(system, hidden, lower)
        if exposed.size == 0:
            return hidden
        progressed = False
        for figure in exposed:
            for everyone in by_figure[int(figure)]:
                if _add_complement(system, hidden, everyone, lower, by_figure):
                    progressed = True
                    break
        if not progressed:  # nothing left to hide in those relations: hide everything
            hidden[:] = True
            return hidden
    hidden[:] = True
    return hidden


def _labels(given: Sequence[str] | None, n: int, prefix: str) -> tuple[str, ...]:
    """Caller's labels, or generated ones when none were given."""
    if given is None:
        return tuple(f"{prefix}{i}" for i in range(n))
    if len(given) != n:
        raise ValueError(f"expected {n} labels, got {len(given)}")
    return tuple(str(g) for g in given)


def _cell(row: str | None, column: str | None, value: int, hidden: bool, primary: bool) -> Cell:
    """Build a cell with its reason."""
    reason = Reason.SHOWN
    if hidden:
        reason = Reason.PRIMARY if primary else Reason.COMPLEMENTARY
    return Cell(
        row=row,
        column=column,
        count=None if hidden else int(value),
        suppressed=bool(hidden),
        reason=reason,
    )


def suppress(
    counts: ArrayLike | Mapping[str, int],
    *,
    rows: Sequence[str] | None = None,
    columns: Sequence[str] | None = None,
    policy: SuppressionPolicy | None = None,
    threshold: int | None = None,
    totals: bool = True,
) -> SuppressedTable:
    """Hide small counts and whatever would reveal them; 1-D (with total) or 2-D (with margins).

    ``counts`` is a mapping label → count, a 1-D sequence, or a 2-D array. ``totals`` says
    whether the caller publishes the total (1-D) or the row/column/grand totals (2-D);
    without published totals only primary suppression is needed.
    """
    policy = policy or SuppressionPolicy()
    if threshold is not None:
        policy = SuppressionPolicy(threshold=threshold, zero_is_safe=policy.zero_is_safe)
    if isinstance(counts, Mapping):
        rows = list(counts.keys()) if rows is None else rows
        counts = list(counts.values())
    array = np.asarray(counts)
    if array.size and (not np.all(np.isfinite(array)) or np.any(array < 0)):
        raise ValueError("counts must be non-negative integers")
    if array.size and np.any(array != np.round(array)):
        raise ValueError("counts must be whole numbers")
    array = array.astype(np.int64)
    lower = policy.lower_bound
    if array.ndim == 1:
        system = _one_dimensional(array, totals)
        hidden = _protect(system, policy.is_small(system.values), lower)
        primary = policy.is_small(system.values)
        labels = _labels(rows, array.size, "cell ")
        cells = tuple(
            _cell(labels[i], None, array[i], hidden[i], primary[i]) for i in range(array.size)
        )
        grand = None
        if totals:
            grand = _cell(None, None, system.values[-1], hidden[-1], primary[-1])
        return SuppressedTable(
            rows=labels,
            columns=(),
            cells=(cells,),
            row_totals=(),
            column_totals=(),
            grand_total=grand,
            policy=policy,
            ndim=1,
        )
    if array.ndim != 2:
        raise ValueError("suppress() takes a 1-D breakdown or a 2-D table")
    r, c = array.shape
    system = _two_dimensional(array, totals)
    primary = policy.is_small(system.values)
    hidden = _protect(system, primary, lower)
    row_labels = _labels(rows, r, "row ")
    col_labels = _labels(columns, c, "column ")
    width = c + 1 if totals else c

    def at(i: int, j: int, row: str | None, col: str | None) -> Cell:
        k = i * width + j
        return _cell(row, col, system.values[k], hidden[k], primary[k])

    cells = tuple(tuple(at(i, j, row_labels[i], col_labels[j]) for j in range(c)) for i in range(r))
    if totals:
        row_totals = tuple(at(i, c, row_labels[i], None) for i in range(r))
        column_totals = tuple(at(r, j, None, col_labels[j]) for j in range(c))
        grand: Cell | None = at(r, c, None, None)
    else:
        row_totals, column_totals, grand = (), (), None
    return SuppressedTable(
        rows=row_labels,
        columns=col_labels,
        cells=cells,
        row_totals=row_totals,
        column_totals=column_totals,
        grand_total=grand,
        policy=policy,
        ndim=2,
    )


def disclosed_cells(table: SuppressedTable, counts: ArrayLike) -> list[tuple[int, ...]]:
    """Audit: positions of hidden interior cells a reader could still work out exactly."""
    array = np.asarray(counts, dtype=np.int64)
    totals = table.grand_total is not None
    if array.ndim == 1:
        system = _one_dimensional(array, totals)
        hidden = np.array([c.suppressed for c in table.all_cells()], dtype=bool)
        shape: tuple[int, ...] = (array.size + (1 if totals else 0),)
    else:
        system = _two_dimensional(array, totals)
        grid = np.zeros((array.shape[0] + totals, array.shape[1] + totals), dtype=bool)
        grid[: array.shape[0], : array.shape[1]] = table.mask()
        if totals:
            grid[: array.shape[0], -1] = [c.suppressed for c in table.row_totals]
            grid[-1, : array.shape[1]] = [c.suppressed for c in table.column_totals]
            grid[-1, -1] = table.grand_total.suppressed  # type: ignore[union-attr]
        hidden = grid.ravel()
        shape = grid.shape
    lower = table.policy.lower_bound
    found = set(_determined_by_equations(system, hidden).tolist())
    found |= set(_pinned_by_bounds(system, hidden, lower).tolist())
    positions = [np.unravel_index(k, shape) for k in sorted(found)]
    return [tuple(int(x) for x in p) for p in positions]


# --------------------------------------------------------------------------------------
# 360 evaluations: rater-group anonymity rules.
# --------------------------------------------------------------------------------------


# Center for Creative Leadership practice: self and supervisor are attributed, the
# anonymous groups need three.
DEFAULT_RATER_MINIMUMS: Mapping[str, int] = {
    "self": 1,
    "supervisor": 1,
    "peer": 3,
    "direct_report": 3,
    "community": 3,
    "other": 3,
}


@dataclass(frozen=True)
class Rater360Policy:
    """Anonymity rules for a 360 report; ``minimums`` overrides ``DEFAULT_RATER_MINIMUMS``."""

    minimums: Mapping[str, int] = field(default_factory=dict)
    all_raters_minimum: int = 4
    comment_minimum: int = 3
    attributed: frozenset[str] = frozenset({"self", "supervisor"})
    self_group: str = "self"
    default_minimum: int = 3

    def minimum(self, group: str) -> int:
        """Minimum raters for a group (unknown groups get the default)."""
        if group in self.minimums:
            return int(self.minimums[group])
        return int(DEFAULT_RATER_MINIMUMS.get(group, self.default_minimum))

    def comment_floor(self, group: str) -> int:
        """Minimum commenters for a group's comments to be shown (self is exempt)."""
        return 1 if group == self.self_group else self.comment_minimum


@dataclass(frozen=True)
class GroupDecision:
    """Whether one rater group's scores and comments appear, and why not if they do not."""

    group: str
    n_raters: int
    shown: bool
    comments_shown: bool
    attributed: bool
    reason: str


@dataclass(frozen=True)
class Suppressed360:
    """Rater-group decisions for one candidate (or one view of a candidate's report)."""

    groups: tuple[GroupDecision, ...]
    total_shown: bool
    total_n: int
    total_reason: str

    def shown_groups(self) -> list[str]:
        """Names of groups whose scores appear."""
        return [g.group for g in self.groups if g.shown]

    def omitted_groups(self) -> list[str]:
        """Names of groups that had raters but are omitted entirely."""
        return [g.group for g in self.groups if not g.shown and g.n_raters > 0]

    def decision(self, group: str) -> GroupDecision:
        """The decision for one group."""
        for g in self.groups:
            if g.group == group:
                return g
        raise KeyError(group)


def suppress_360(
    rater_counts: Mapping[str, int],
    comment_counts: Mapping[str, int] | None = None,
    policy: Rater360Policy | None = None,
) -> Suppressed360:
    """Apply 360 anonymity rules to one candidate's rater counts (and commenter counts).

    A group under its minimum is omitted with its comments; the all-raters total (every
    rater except self) is withheld when it has fewer than ``all_raters_minimum`` raters or
    when any group was omitted, because the total minus the shown groups would reveal it.
    """
    policy = policy or Rater360Policy()
    comment_counts = comment_counts or {}
    decisions = []
    any_omitted = False
    total_n = 0
    for group, n in rater_counts.items():
        n = int(n)
        if group != policy.self_group:
            total_n += n
        floor = policy.minimum(group)
        shown = n >= floor and n > 0
        if not shown and n > 0 and group != policy.self_group:
            any_omitted = True
        commenters = int(comment_counts.get(group, 0))
        comments_shown = shown and commenters >= policy.comment_floor(group)
        if shown:
            reason = "shown"
            if commenters and not comments_shown:
                reason = f"comments hidden: fewer than {policy.comment_floor(group)} commenters"
        elif n == 0:
            reason = "no raters"
        else:
            reason = f"omitted: fewer than {floor} raters"
        decisions.append(
            GroupDecision(
                group=group,
                n_raters=n,
                shown=shown,
                comments_shown=comments_shown,
                attributed=shown and group in policy.attributed,
                reason=reason,
            )
        )
    if total_n < policy.all_raters_minimum:
        total_shown, total_reason = False, f"fewer than {policy.all_raters_minimum} raters in all"
    elif any_omitted:
        total_shown, total_reason = False, "withheld: would reveal an omitted group by difference"
    else:
        total_shown, total_reason = True, "shown"
    return Suppressed360(
        groups=tuple(decisions),
        total_shown=total_shown,
        total_n=total_n,
        total_reason=total_reason,
    )


def rater_group_visibility(
    counts: ArrayLike, groups: Sequence[str], policy: Rater360Policy | None = None
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Vectorised ``suppress_360`` over many cells: counts shaped (..., n_groups).

    Returns ``(group_shown, total_shown)``: group_shown has the shape of ``counts``;
    total_shown drops the last axis and applies the all-raters minimum and the
    no-differencing rule to each cell.
    """
    policy = policy or Rater360Policy()
    n = np.asarray(counts)
    minimums = np.array([policy.minimum(g) for g in groups])
    is_self = np.array([g == policy.self_group for g in groups])
    group_shown = (n >= minimums) & (n > 0)
    omitted = (~group_shown) & (n > 0) & ~is_self
    others = np.where(is_self, 0, n).sum(axis=-1)
    total_shown = (others >= policy.all_raters_minimum) & ~omitted.any(axis=-1)
    return group_shown, total_shown
