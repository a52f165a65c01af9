"""Small-cell suppression: nothing under the threshold is shown or can be worked out."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from peacekit.analysis.suppression import (
    HIDDEN,
    Rater360Policy,
    Reason,
    SuppressionPolicy,
    disclosed_cells,
    rater_group_visibility,
    suppress,
    suppress_360,
)

# Counts skewed towards the small values where disclosure happens.
small_counts = st.one_of(st.integers(0, 6), st.integers(0, 40))
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _published_1d(table, counts):
    """Figures and visibility in the reader's order: cells, then the total."""
    values = np.append(counts, np.sum(counts))
    hidden = np.array([c.suppressed for c in table.all_cells()])
    return values, hidden, [(list(range(len(counts))), len(counts))]


def _published_2d(table, counts):
    """Figures of the extended grid (cells, row totals, column totals, grand total)."""
    counts = np.asarray(counts)
    r, c = counts.shape
    grid = np.zeros((r + 1, c + 1), dtype=int)
    grid[:r, :c] = counts
    grid[:r, c] = counts.sum(1)
    grid[r, :c] = counts.sum(0)
    grid[r, c] = counts.sum()
    hidden = np.zeros_like(grid, dtype=bool)
    hidden[:r, :c] = [[cell.suppressed for cell in row] for row in table.cells]
    hidden[:r, c] = [cell.suppressed for cell in table.row_totals]
    hidden[r, :c] = [cell.suppressed for cell in table.column_totals]
    hidden[r, c] = table.grand_total.suppressed
    idx = np.arange(grid.size).reshape(grid.shape)
    relations = [(list(idx[i, :c]), idx[i, c]) for i in range(r + 1)]
    relations += [(list(idx[:r, j]), idx[r, j]) for j in range(c + 1)]
    return grid.ravel(), hidden.ravel(), relations


def _reader_can_work_out(values, hidden, relations, lower):
    """Independent audit: hidden figures fixed by the row/column equations and x >= lower."""
    unknown = np.flatnonzero(hidden)
    if unknown.size == 0:
        return []
    a = np.zeros((len(relations), values.size))
    for k, (members, total) in enumerate(relations):
        a[k, members] = 1
        a[k, total] = -1
    b = -(a[:, ~hidden] @ values[~hidden])
    a_u = a[:, unknown]
    rank = np.linalg.matrix_rank(a_u)
    worked_out = []
    for pos, k in enumerate(unknown):
        unit = np.zeros(unknown.size)
        unit[pos] = 1
        if np.linalg.matrix_rank(np.vstack([a_u, unit])) == rank:  # equations alone fix it
            worked_out.append(int(k))
            continue
        lo = linprog(unit, A_eq=a_u, b_eq=b, bounds=[(lower, None)] * unknown.size)
        hi = linprog(-unit, A_eq=a_u, b_eq=b, bounds=[(lower, None)] * unknown.size)
        if hi.status == 0 and (-hi.fun) - lo.fun < 0.5:  # bounds squeeze it to one value
            worked_out.append(int(k))
    return worked_out


@PROPERTY
@given(st.lists(small_counts, min_size=1, max_size=10), st.integers(2, 10), st.booleans())
def test_suppress_1d_never_shows_or_reveals_a_small_cell(counts, threshold, zero_is_safe):
    policy = SuppressionPolicy(threshold=threshold, zero_is_safe=zero_is_safe)
    table = suppress(counts, policy=policy)
    for cell, value in zip(table.cells[0], counts, strict=True):
        small = value < threshold and not (zero_is_safe and value == 0)
        if small:
            assert cell.suppressed and cell.display == HIDDEN and cell.count is None
        if not cell.suppressed:
            assert cell.count == value
    values, hidden, relations = _published_1d(table, counts)
    assert _reader_can_work_out(values, hidden, relations, policy.lower_bound) == []
    assert disclosed_cells(table, counts) == []


@PROPERTY
@given(
    st.integers(1, 5).flatmap(
        lambda r: st.integers(1, 5).flatmap(
            lambda c: st.lists(
                st.lists(small_counts, min_size=c, max_size=c), min_size=r, max_size=r
            )
        )
    ),
    st.integers(2, 8),
    st.booleans(),
)
def test_suppress_2d_never_shows_or_reveals_a_small_cell(counts, threshold, zero_is_safe):
    policy = SuppressionPolicy(threshold=threshold, zero_is_safe=zero_is_safe)
    table = suppress(counts, policy=policy)
    grid_values, hidden, relations = _published_2d(table, counts)
    for value, is_hidden in zip(grid_values, hidden, strict=True):
        if value < threshold and not (zero_is_safe and value == 0):
            assert is_hidden, "a count under the threshold is on the page"
    assert _reader_can_work_out(grid_values, hidden, relations, policy.lower_bound) == []


def test_suppress_single_small_cell_hides_the_next_smallest_so_total_cannot_recover_it():
    table = suppress({"North": 3, "South": 12, "East": 9, "West": 40})
    shown = {label: cell.display for label, cell in table.series().items()}
    assert shown == {"North": HIDDEN, "South": "12", "East": HIDDEN, "West": "40"}
    assert table.grand_total.count == 64
    assert table.series()["East"].reason is Reason.COMPLEMENTARY
    # The reader's best guess from the total is only the sum of the two hidden cells.
    assert 64 - 12 - 40 == 12


def test_suppress_nothing_small_changes_nothing():
    table = suppress({"a": 5, "b": 6, "c": 100})
    assert table.n_suppressed == 0
    assert [c.display for c in table.series().values()] == ["5", "6", "100"]


def test_suppress_zero_cells_are_hidden_unless_configured_safe():
    assert suppress([0, 10, 12]).series()["cell 0"].suppressed
    safe = suppress([0, 10, 12], policy=SuppressionPolicy(zero_is_safe=True))
    assert safe.n_suppressed == 0 and safe.series()["cell 0"].display == "0"


def test_suppress_two_hidden_zeros_are_not_left_as_an_obvious_zero_sum():
    # Hiding only the two zeros would tell the reader "both are 0" (hidden sum is 0).
    table = suppress([0, 0, 30, 50])
    assert table.n_suppressed == 3
    assert disclosed_cells(table, [0, 0, 30, 50]) == []


def test_suppress_threshold_is_configurable():
    assert not suppress([7, 30]).mask().any()
    assert suppress([7, 30], threshold=10).mask().all()


def test_suppress_2d_hides_a_cycle_of_four_rather_than_whole_rows():
    counts = [[3, 10, 12], [20, 30, 40], [7, 8, 2]]
    table = suppress(counts, rows=["A", "B", "C"], columns=["x", "y", "z"])
    assert table.mask().tolist() == [
        [True, False, True],
        [False, False, False],
        [True, False, True],
    ]
    assert all(not c.suppressed for c in table.row_totals + table.column_totals)
    assert table.cells[0][0].row == "A" and table.cells[0][0].column == "x"


def test_suppress_small_row_total_is_hidden_too():
    table = suppress([[1, 2], [30, 40]])
    assert table.row_totals[0].suppressed  # 3 people in row 0 is itself a small count
    assert disclosed_cells(table, [[1, 2], [30, 40]]) == []


def test_suppress_without_published_totals_is_primary_only():
    table = suppress([3, 12, 9], totals=False)
    assert table.mask().tolist() == [True, False, False]
    assert table.grand_total is None


def test_suppress_rejects_negative_or_fractional_counts():
    with pytest.raises(ValueError):
        suppress([-1, 4])
    with pytest.raises(ValueError):
        suppress([1.5, 4])


def test_suppress_note_explains_without_naming_the_reason():
    note = suppress([3, 12, 9]).note
    assert "under 5" in note and "reveal" in note


# --- 360 rules ------------------------------------------------------------------------


def test_suppress_360_group_of_two_peers_is_omitted_with_its_comments():
    result = suppress_360(
        {"self": 1, "supervisor": 1, "peer": 2, "direct_report": 4},
        comment_counts={"peer": 2, "direct_report": 3},
    )
    peer = result.decision("peer")
    assert not peer.shown and not peer.comments_shown
    assert "peer" in result.omitted_groups()
    assert "other" not in result.shown_groups()  # never folded into another group


def test_suppress_360_total_withheld_when_it_would_reveal_an_omitted_group():
    result = suppress_360({"self": 1, "supervisor": 1, "peer": 2, "direct_report": 4})
    assert not result.total_shown
    assert "reveal" in result.total_reason


def test_suppress_360_supervisor_of_one_is_shown_attributed():
    result = suppress_360({"self": 1, "supervisor": 1, "peer": 3, "direct_report": 3})
    supervisor = result.decision("supervisor")
    assert supervisor.shown and supervisor.attributed
    assert result.total_shown and result.total_n == 7


def test_suppress_360_all_raters_minimum_of_four():
    result = suppress_360({"self": 1, "supervisor": 1, "peer": 3})
    assert result.total_n == 4 and result.total_shown
    result = suppress_360({"self": 1, "peer": 3})
    assert not result.total_shown and result.shown_groups() == ["self", "peer"]


def test_suppress_360_comments_need_three_in_their_group():
    result = suppress_360({"self": 1, "peer": 5}, comment_counts={"peer": 2, "self": 1})
    assert result.decision("peer").shown and not result.decision("peer").comments_shown
    assert result.decision("self").comments_shown


def test_suppress_360_minimums_are_configurable():
    policy = Rater360Policy(minimums={"peer": 5}, all_raters_minimum=5)
    result = suppress_360({"peer": 4, "supervisor": 1}, policy=policy)
    assert result.omitted_groups() == ["peer"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=6, max_size=6))
def test_rater_group_visibility_matches_the_scalar_rule_and_blocks_differencing(counts):
    groups = ["self", "supervisor", "peer", "direct_report", "community", "other"]
    scalar = suppress_360(dict(zip(groups, counts, strict=True)))
    group_shown, total_shown = rater_group_visibility(np.array([counts]), groups)
    assert group_shown[0].tolist() == [g.shown for g in scalar.groups]
    assert bool(total_shown[0]) == scalar.total_shown
    if scalar.total_shown:
        # Total minus shown groups must leave nothing: every non-self rater is in a shown group.
        shown_n = sum(g.n_raters for g in scalar.groups if g.shown and g.group != "self")
        assert shown_n == scalar.total_n
    for g in scalar.groups:
        if g.group not in ("self", "supervisor") and g.shown:
            assert g.n_raters >= 3
