"""Property tests: open-data vote aggregates never show, or let a reader derive, a small count."""

from hypothesis import given, settings
from hypothesis import strategies as st

from peacekit.reports.services import vote_aggregate_row

THRESHOLD = 5  # PEACEKIT_MIN_CELL_SIZE default


def _value(cell):
    return None if cell == "—" else int(cell)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 40), st.integers(0, 40), st.integers(0, 40))
def test_vote_aggregate_row_no_small_cell_shown_or_derivable(agree, disagree, passed):
    row = vote_aggregate_row(1, agree, disagree, passed)
    counts = {"agree": agree, "disagree": disagree, "pass": passed}
    shown = {k: _value(row[k]) for k in counts}
    total = _value(row["total"])
    for key, count in counts.items():
        if count < THRESHOLD:  # zeros are small too (zero_is_safe is off)
            assert shown[key] is None
    for count in counts.values():
        if count < THRESHOLD:
            # Not derivable: with the total shown, at least one other cell is hidden too.
            hidden = [k for k, v in shown.items() if v is None]
            assert total is None or len(hidden) >= 2
    for key, value in shown.items():
        if value is not None:
            assert value == counts[key]
            assert value >= THRESHOLD
