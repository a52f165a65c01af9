"""360 scoring: anonymity rules hold in every figure, and the scores are the ones HR expects."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from peacekit.analysis.scoring360 import (
    PromotabilityFormula,
    Scorer360,
    adverse_impact,
    icc_oneway,
    pack_responses,
    percentile_ranks,
    rwg_j,
)
from peacekit.analysis.suppression import Rater360Policy

COMPETENCIES = ["communication", "de_escalation"]
ITEMS = ["c1", "c2", "d1", "d2"]
ITEM_COMPETENCY = [0, 0, 1, 1]


def _rows(candidate, raters):
    """raters: {rater_id: (group, [answers with None])} → rows for pack_responses."""
    for rater, (group, answers) in raters.items():
        for item, value in zip(ITEMS, answers, strict=True):
            yield candidate, rater, group, item, value


def _score(candidates, **kw):
    rows = [row for cand, raters in candidates.items() for row in _rows(cand, raters)]
    packed = pack_responses(rows, items=ITEMS)
    scorer = Scorer360(
        competencies=COMPETENCIES, item_competency=ITEM_COMPETENCY, items=ITEMS, **kw
    )
    return scorer.fit(packed.responses, packed.rater_group).result_


BASE = {
    "self": ("self", [5, 5, 5, 5]),
    "boss": ("supervisor", [4, 4, 3, 3]),
    "p1": ("peer", [4, 4, 2, 2]),
    "p2": ("peer", [3, 3, 2, 2]),
    "p3": ("peer", [5, 5, 3, 3]),
    "d1": ("direct_report", [2, 2, 1, 1]),
    "d2": ("direct_report", [2, 2, 1, 1]),  # only two direct reports: omitted
}


def test_group_of_two_direct_reports_is_omitted_with_its_comments():
    rows = list(_rows("cand", BASE))
    packed = pack_responses(rows, items=ITEMS)
    scorer = Scorer360(competencies=COMPETENCIES, item_competency=ITEM_COMPETENCY, items=ITEMS)
    comments = np.array([[1, 1, 3, 2, 0, 0]])  # direct reports both commented
    result = scorer.fit(packed.responses, packed.rater_group, comment_counts=comments).result_
    report = result.candidate_report(0)
    assert report.omitted_groups == ["direct_report"]
    assert "direct_report" not in report.shown_groups
    assert not report.comments_shown["direct_report"]
    assert report.comments_shown["peer"]
    for row in report.competency_scores:
        assert "direct_report" not in row["by_group"]
    assert np.all(np.isnan(result.group_competency[0, 3]))
    assert np.all(np.isnan(result.group_item[0, 3]))


def test_others_never_contains_an_omitted_group_so_it_cannot_be_differenced():
    result = _score({"cand": BASE})
    report = result.candidate_report(0)
    assert not report.all_raters_included
    for row in report.competency_scores:
        shown = [v for g, v in row["by_group"].items() if g != "self"]
        n_shown = sum(v["n"] for v in shown)
        # "Others" is exactly the shown groups pooled: nothing left over to difference out.
        assert row["others_n"] == n_shown == 4
        pooled = sum(v["score"] * v["n"] for v in shown) / n_shown
        assert row["others"] == pytest.approx(pooled, abs=1e-4)
    # communication: supervisor 4, peers 4, 3, 5 → (4 + 12) / 4; direct reports' 2s left out
    assert report.competency_scores[0]["others"] == pytest.approx(4.0)


def test_all_raters_included_when_every_group_meets_its_minimum():
    raters = dict(BASE, d3=("direct_report", [3, 3, 2, 2]))
    result = _score({"cand": raters})
    assert result.candidate_report(0).all_raters_included
    assert result.others_competency_n[0].tolist() == [7, 7]


def test_supervisor_of_one_is_shown_and_attributed():
    report = _score({"cand": BASE}).candidate_report(0)
    boss = report.competency_scores[0]["by_group"]["supervisor"]
    assert boss == {"score": 4.0, "n": 1}


def test_fewer_than_four_other_raters_hides_the_others_score():
    raters = {k: v for k, v in BASE.items() if k in ("self", "p1", "p2", "p3")}
    result = _score({"cand": raters})
    assert result.candidate_report(0).shown_groups == ["self", "peer"]
    assert np.all(np.isnan(result.others_competency[0]))
    assert np.all(np.isnan(result.gap[0]))


def test_item_answered_by_only_two_peers_is_hidden_for_peers_and_left_out_of_others():
    raters = dict(BASE)
    raters["p3"] = ("peer", [5, None, 3, 3])  # "not observed" on c2
    result = _score({"cand": raters})
    c2 = ITEMS.index("c2")
    assert math.isnan(result.group_item[0, 2, c2])  # peers on c2: 2 answers, hidden
    assert result.group_item[0, 2, 0] == pytest.approx(4.0)  # peers on c1: 3 answers
    # Others on c2 may only pool shown cells: supervisor (1) is too few → hidden.
    assert math.isnan(result.others_item[0, c2])


def test_competency_score_is_mean_of_item_means_and_self_other_gap_is_flagged():
    result = _score({"cand": BASE})
    report = result.candidate_report(0)
    dee = report.competency_scores[1]
    # de-escalation: supervisor 3, peers 2, 2, 3 → 10/4 = 2.5; self 5 → gap −2.5, flagged
    assert dee["others"] == pytest.approx(2.5)
    assert dee["self"] == 5 and dee["gap"] == pytest.approx(-2.5) and dee["gap_flagged"]
    comm = report.competency_scores[0]
    assert comm["gap"] == pytest.approx(-1.0) and comm["gap_flagged"]  # |gap| ≥ 1.0


def test_hidden_strengths_and_blind_spots():
    items = [f"i{k}" for k in range(10)]
    own = [1, 1, 2, 2, 3, 5, 5, 5, 4, 4]
    others = [5, 4, 5, 3, 3, 2, 1, 5, 4, 2]
    x = np.full((1, 5, 10), np.nan)
    x[0, 0] = own
    x[0, 1:] = others
    groups = np.array([[0, 2, 2, 2, 1]])
    result = (
        Scorer360(competencies=["all"], item_competency=[0] * 10, items=items)
        .fit(x, groups)
        .result_
    )
    report = result.candidate_report(0)
    strengths = [s["item"] for s in report.hidden_strengths]
    blind = [s["item"] for s in report.blind_spots]
    # Others rate these high (≥ their median), self rates them lower, biggest gap first.
    assert strengths == ["i0", "i2", "i1"]
    # Self rates these high (≥ own median), others lower, biggest gap first.
    assert blind == ["i6", "i5", "i9"]
    assert len(result.hidden_strengths[0]) == 5 and result.hidden_strengths[0, 3] == -1


def test_rwg_perfect_agreement_is_one_and_matches_the_formula():
    assert rwg_j([0.0], [4])[0] == pytest.approx(1.0)
    assert rwg_j([2.0], [4])[0] == pytest.approx(0.0)  # variance of the uniform null
    s2, j = 0.5, 3
    expected = j * (1 - s2 / 2) / (j * (1 - s2 / 2) + s2 / 2)
    assert rwg_j([s2], [j])[0] == pytest.approx(expected)
    raters = dict(BASE, d3=("direct_report", [2, 2, 1, 1]))
    raters = {k: (g, [4, 4, 4, 4] if g != "self" else a) for k, (g, a) in raters.items()}
    assert _score({"cand": raters}).rwg[0].tolist() == pytest.approx([1.0, 1.0])


def test_icc_oneway_matches_anova_f_from_scipy():
    rng = np.random.default_rng(1)
    targets = rng.normal(size=(12, 1)) + rng.normal(scale=0.8, size=(12, 5))
    targets[rng.random(targets.shape) < 0.15] = np.nan
    groups = [row[~np.isnan(row)] for row in targets]
    f = sps.f_oneway(*groups).statistic
    icc1, icc2, used, k0 = icc_oneway(targets)
    n_i = np.array([len(g) for g in groups])
    expected_k0 = (n_i.sum() - (n_i**2).sum() / n_i.sum()) / (len(groups) - 1)
    assert used == 12 and k0 == pytest.approx(expected_k0)
    assert icc2 == pytest.approx(1 - 1 / f)
    assert icc1 == pytest.approx((f - 1) / (f + k0 - 1))


def _cycle(n_candidates=40, seed=0):
    rng = np.random.default_rng(seed)
    groups = np.tile([0, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5], (n_candidates, 1))
    level = rng.normal(3.5, 0.5, (n_candidates, 1, 1))
    x = np.clip(np.rint(level + rng.normal(0, 0.8, (n_candidates, 12, 4))), 1, 5)
    x[rng.random(x.shape) < 0.05] = np.nan
    return x, groups


def test_promotability_index_follows_the_published_formula_and_ignores_self():
    x, groups = _cycle()
    formula = PromotabilityFormula(
        competency_weights={"communication": 3, "de_escalation": 1},
        group_weights={"self": 0, "supervisor": 2},
    )
    scorer = Scorer360(competencies=COMPETENCIES, item_competency=ITEM_COMPETENCY, formula=formula)
    result = scorer.fit(x, groups).result_
    gc, shown = result.group_competency[0], result.group_competency_n[0] > 0
    v = np.array([0, 2, 1, 1, 1, 1.0])
    comp = [np.sum(v[shown[:, k]] * gc[shown[:, k], k]) / np.sum(v[shown[:, k]]) for k in range(2)]
    expected = ((3 * comp[0] + comp[1]) / 4 - 1) * 25
    assert result.promotability[0] == pytest.approx(expected)
    assert "communication 75%" in result.formula and "not counted: self" in result.formula
    x2 = x.copy()
    x2[:, 0, :] = 1  # every candidate now rates themselves 1
    again = (
        Scorer360(competencies=COMPETENCIES, item_competency=ITEM_COMPETENCY, formula=formula)
        .fit(x2, groups)
        .result_
    )
    assert again.promotability == pytest.approx(result.promotability)


def test_promotability_uncertainty_is_seeded_and_zero_when_raters_agree():
    x, groups = _cycle()
    kw = {"competencies": COMPETENCIES, "item_competency": ITEM_COMPETENCY, "random_state": 7}
    a = Scorer360(**kw).fit(x, groups).result_
    b = Scorer360(**kw).fit(x, groups).result_
    assert np.array_equal(a.promotability_se, b.promotability_se)
    assert np.all(a.promotability_se > 0)
    assert np.all(a.promotability_ci[:, 0] <= a.promotability)
    assert np.all(a.promotability_ci[:, 1] >= a.promotability)
    same = np.full_like(x, 4.0)
    c = Scorer360(**kw).fit(same, groups).result_
    assert c.promotability_se == pytest.approx(0.0) and c.promotability == pytest.approx(75.0)


def test_percentiles_within_cycle_and_against_past_cycles():
    assert percentile_ranks([10, 20, 30, 40]).tolist() == [12.5, 37.5, 62.5, 87.5]
    assert percentile_ranks([50], reference=[10, 20, 50, 90]).tolist() == [62.5]
    x, groups = _cycle()
    scorer = Scorer360(competencies=COMPETENCIES, item_competency=ITEM_COMPETENCY)
    result = scorer.fit(x, groups, past_indices=[0.0, 100.0]).result_
    assert np.all(result.percentile_vs_past == 50.0)
    top = int(np.argmax(result.promotability))
    assert result.percentile[top] == pytest.approx(100 * (39 + 0.5) / 40)


def test_icc_reported_per_competency_for_a_cycle():
    x, groups = _cycle()
    result = (
        Scorer360(competencies=COMPETENCIES, item_competency=ITEM_COMPETENCY).fit(x, groups).result_
    )
    icc1, icc2 = result.icc["communication"]
    assert 0 < icc1 < icc2 < 1


def test_icc_not_reported_for_a_tiny_pilot():
    x, groups = _cycle(n_candidates=3)
    result = (
        Scorer360(competencies=COMPETENCIES, item_competency=ITEM_COMPETENCY).fit(x, groups).result_
    )
    assert all(math.isnan(a) and math.isnan(b) for a, b in result.icc.values())


def test_policy_minimums_are_configurable():
    policy = Rater360Policy(minimums={"peer": 4})
    result = _score({"cand": BASE}, policy=policy)
    assert "peer" in result.candidate_report(0).omitted_groups


def test_scorer_rejects_answers_outside_the_scale():
    x = np.full((1, 2, 4), 3.0)
    x[0, 0, 0] = 6
    with pytest.raises(ValueError, match="within 1–5"):
        Scorer360(competencies=COMPETENCIES, item_competency=ITEM_COMPETENCY).fit(
            x, np.array([[0, 1]])
        )
    with pytest.raises(ValueError, match="outside 1–5"):
        pack_responses([("c", "r", "peer", "c1", 0)], items=ITEMS)


# --- fairness -------------------------------------------------------------------------


def test_adverse_impact_four_fifths_rule_in_aggregate():
    index = [90, 85, 80, 75, 70, 65, 60, 55, 50, 45] * 2
    membership = ["A"] * 10 + ["B"] * 10
    index = index[:10] + [x - 20 for x in index[10:]]  # group B scores lower
    result = adverse_impact(index, membership, cutoff=70)
    assert result.n == (10, 10) and result.selected == (5, 1)
    assert result.reference_group == "A"
    assert result.impact_ratio == pytest.approx((1.0, 0.2))
    assert result.flagged == (False, True)


def test_adverse_impact_hides_groups_too_small_to_show():
    index = list(range(30))
    membership = ["A"] * 13 + ["B"] * 13 + ["C"] * 2 + [None] * 2
    result = adverse_impact(index, membership, top_fraction=0.5)
    hidden = [g for g, n in zip(result.groups, result.n, strict=True) if n is None]
    assert "C" in hidden and len(hidden) >= 2  # complement hidden too
    assert result.rate[result.groups.index("C")] is None


# --- no differencing: a property over random cycles -----------------------------------

PER_CANDIDATE_FIELDS = [
    "group_competency", "group_competency_n", "group_item", "others_competency",
    "others_competency_n", "others_item", "self_competency", "self_item", "gap", "gap_flag",
    "hidden_strengths", "blind_spots", "rwg", "promotability", "promotability_se",
    "promotability_ci", "percentile",
]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(0.0, 0.4))
def test_answers_of_hidden_raters_change_nothing_in_any_report(seed, not_observed):
    """Whatever an omitted group (or a hidden item cell) answered, every figure stays the same."""
    rng = np.random.default_rng(seed)
    n_c = 6
    groups = rng.integers(-1, 6, size=(n_c, 9))
    groups[:, 0] = 0  # everyone rates themselves
    x = rng.integers(1, 6, size=(n_c, 9, 4)).astype(float)
    x[rng.random(x.shape) < not_observed] = np.nan
    scorer = Scorer360(competencies=COMPETENCIES, item_competency=ITEM_COMPETENCY, n_bootstrap=30)
    before = scorer.fit(x, groups).result_
    # Re-draw every answer that sits in a hidden cell (omitted group, or item cell under minimum).
    hidden_cell = ~np.isin(groups, [0]) & (groups >= 0)
    visible = before.group_item  # (C, G, I), NaN where hidden
    y = x.copy()
    for c in range(n_c):
        for r in range(groups.shape[1]):
            g = groups[c, r]
            if g < 0 or not hidden_cell[c, r]:
                continue
            for i in range(4):
                if np.isnan(visible[c, g, i]) and not np.isnan(x[c, r, i]):
                    y[c, r, i] = rng.integers(1, 6)
    after = (
        Scorer360(competencies=COMPETENCIES, item_competency=ITEM_COMPETENCY, n_bootstrap=30)
        .fit(y, groups)
        .result_
    )
    for name in PER_CANDIDATE_FIELDS:
        a, b = getattr(before, name), getattr(after, name)
        assert np.allclose(a, b, equal_nan=True), f"{name} moved when hidden answers changed"
    for c in range(n_c):
        report = before.candidate_report(c)
        for row in report.competency_scores:
            for g, cell in row["by_group"].items():
                floor = Rater360Policy().minimum(g)
                assert cell["score"] is None or cell["n"] >= floor
