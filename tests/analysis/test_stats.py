"""Survey statistics agree with scipy/statsmodels and behave as an evaluator expects."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as sps

from peacekit.analysis import stats

NAN = math.nan


def _mcnemar():
    """statsmodels' McNemar (a test-only reference; skipped where statsmodels is absent)."""
    return pytest.importorskip("statsmodels.stats.contingency_tables").mcnemar


def _multipletests():
    """statsmodels' multipletests (a test-only reference)."""
    return pytest.importorskip("statsmodels.stats.multitest").multipletests


@pytest.fixture
def rng():
    return np.random.default_rng(20240607)


def _pre_post(rng, n=40, shift=0.5):
    pre = np.round(rng.normal(5, 2, n))
    post = np.round(pre + rng.normal(shift, 1.5, n))
    return pre, post


# --- scale scores ---------------------------------------------------------------------


def test_scale_scores_need_at_least_half_the_items():
    items = [
        [4, 5, 3, 4],  # all answered
        [4, NAN, 2, NAN],  # half answered: scored
        [5, NAN, NAN, NAN],  # a quarter answered: not scored
    ]
    scores, answered = stats.scale_scores(items, return_counts=True)
    assert scores[0] == pytest.approx(4.0)
    assert scores[1] == pytest.approx(3.0)
    assert math.isnan(scores[2])
    assert answered.tolist() == [4, 2, 1]


def test_scale_scores_two_item_trust_scale_scores_with_one_answer():
    assert stats.scale_scores([[NAN, 7]])[0] == 7


def test_to_index_maps_scale_ends_to_0_and_100():
    assert stats.to_index([1, 3, 5], low=1, high=5).tolist() == [0, 50, 100]
    assert stats.to_index([0, 10], low=0, high=10).tolist() == [0, 100]


# --- reliability ----------------------------------------------------------------------


def test_cronbach_alpha_matches_covariance_formula(rng):
    latent = rng.normal(size=(200, 1))
    items = latent + rng.normal(scale=0.8, size=(200, 5))
    cov = np.cov(items, rowvar=False)
    k = items.shape[1]
    expected = k / (k - 1) * (1 - np.trace(cov) / cov.sum())
    result = stats.reliability(items)
    assert result.method == "cronbach_alpha"
    assert result.estimate == pytest.approx(expected, rel=1e-12)
    assert result.n == 200 and result.k == 5
    assert result.ci_low < result.estimate < result.ci_high


def test_reliability_two_item_scale_uses_spearman_brown(rng):
    latent = rng.normal(size=300)
    items = np.column_stack([latent + rng.normal(size=300), latent + rng.normal(size=300)])
    r = np.corrcoef(items.T)[0, 1]
    result = stats.reliability(items)
    assert result.method == "spearman_brown"
    assert result.inter_item_r == pytest.approx(r)
    assert result.estimate == pytest.approx(2 * r / (1 + r))


def test_reliability_drops_incomplete_cases_and_reports_n():
    items = np.array([[1, 2, 3], [2, 3, 4], [3, 3, 5], [4, NAN, 4], [5, 5, 5.0]])
    assert stats.reliability(items).n == 4


# --- matched pairs --------------------------------------------------------------------


def test_paired_comparison_matches_scipy_ttest_rel_and_wilcoxon_pratt(rng):
    pre, post = _pre_post(rng)
    result = stats.paired_comparison(pre, post)
    t_ref = sps.ttest_rel(post, pre)
    w_ref = sps.wilcoxon(post - pre, zero_method="pratt")
    assert result.n == 40 and result.df == 39
    assert result.t == pytest.approx(t_ref.statistic)
    assert result.p_t == pytest.approx(t_ref.pvalue)
    ci = t_ref.confidence_interval(0.95)
    assert (result.change_ci_low, result.change_ci_high) == pytest.approx((ci.low, ci.high))
    assert result.wilcoxon_statistic == pytest.approx(w_ref.statistic)
    assert result.p_wilcoxon == pytest.approx(w_ref.pvalue)


def test_paired_comparison_effect_sizes(rng):
    pre, post = _pre_post(rng, n=25, shift=0.8)
    result = stats.paired_comparison(pre, post)
    d = post - pre
    assert result.cohens_dz.estimate == pytest.approx(d.mean() / d.std(ddof=1))
    assert result.cohens_dz.estimate == pytest.approx(result.t / math.sqrt(25))
    # The noncentral-t interval: the observed t sits at the 97.5th and 2.5th percentiles.
    lo, hi = result.cohens_dz.ci_low * 5, result.cohens_dz.ci_high * 5
    assert sps.nct.cdf(result.t, 24, lo) == pytest.approx(0.975, abs=1e-6)
    assert sps.nct.cdf(result.t, 24, hi) == pytest.approx(0.025, abs=1e-6)
    s_av = math.sqrt((pre.var(ddof=1) + post.var(ddof=1)) / 2)
    j = 1 - 3 / (4 * 24 - 1)
    assert result.hedges_g.estimate == pytest.approx(j * d.mean() / s_av)
    assert result.hedges_g.ci_low < result.hedges_g.estimate < result.hedges_g.ci_high
    assert result.hedges_g.n == result.cohens_dz.n == 25


def test_paired_comparison_hedges_g_interval_covers_the_truth_about_95_percent():
    rng = np.random.default_rng(3)
    true = 0.5 / math.sqrt((1 + 1.5**2) / 2)
    cov = [[1, 0.6 * 1.5], [0.6 * 1.5, 1.5**2]]
    hits = 0
    for _ in range(250):
        x = rng.multivariate_normal([0, 0.5], cov, size=30)
        g = stats.paired_comparison(x[:, 0], x[:, 1]).hedges_g
        hits += g.ci_low <= true <= g.ci_high
    assert 0.90 <= hits / 250 <= 0.99


def test_paired_comparison_drops_incomplete_pairs_and_survives_no_change():
    result = stats.paired_comparison([1, 2, NAN, 4], [1, 2, 3, 4])
    assert result.n == 3 and result.mean_change == 0
    assert math.isnan(result.p_wilcoxon)


def test_paired_comparison_large_sample_uses_normal_dz_interval(rng):
    pre = rng.normal(size=5000)
    result = stats.paired_comparison(pre, pre + rng.normal(0.2, 1, 5000))
    assert result.cohens_dz.ci_low < result.cohens_dz.estimate < result.cohens_dz.ci_high


# --- attrition and partially paired samples -------------------------------------------


def test_attrition_counts_and_baseline_difference():
    pre_ids = list("abcdefghij")
    post_ids = list("abcdefg") + ["z"]
    pre_scores = [5, 4, 5, 5, 5, 5, 5, 1, 1, 2]
    result = stats.attrition(pre_ids, post_ids, pre_scores)
    assert (result.n_pre, result.n_post, result.n_matched, result.n_dropped) == (10, 8, 7, 3)
    assert result.rate == pytest.approx(0.3)
    assert result.baseline_difference == pytest.approx(34 / 7 - 4 / 3)


def test_partially_overlapping_t_reduces_to_paired_t_when_everyone_pairs(rng):
    pre, post = _pre_post(rng)
    result = stats.partially_overlapping_t([], [], pre, post)
    ref = sps.ttest_rel(post, pre)
    assert result.t == pytest.approx(ref.statistic)
    assert result.df == pytest.approx(39)
    assert result.p == pytest.approx(ref.pvalue)


def test_partially_overlapping_t_reduces_to_welch_when_nobody_pairs(rng):
    a, b = rng.normal(5, 1, 20), rng.normal(5.8, 2, 15)
    result = stats.partially_overlapping_t(a, b, [], [])
    ref = sps.ttest_ind(b, a, equal_var=False)
    assert result.t == pytest.approx(ref.statistic)
    assert result.df == pytest.approx(ref.df)
    assert result.p == pytest.approx(ref.pvalue)
    equal = stats.partially_overlapping_t(a, b, [], [], equal_var=True)
    assert equal.t == pytest.approx(sps.ttest_ind(b, a).statistic)
    assert equal.df == pytest.approx(33)


def test_partially_overlapping_t_hand_computed_formula(rng):
    xa, xb = rng.normal(5, 1, 8), rng.normal(6, 1.3, 6)
    p1 = rng.normal(5, 1, 12)
    p2 = p1 + rng.normal(0.7, 0.8, 12)
    s1, s2 = np.r_[xa, p1], np.r_[xb, p2]
    n1, n2, nc, na, nb = 20, 18, 12, 8, 6
    v1, v2 = s1.var(ddof=1), s2.var(ddof=1)
    r = np.corrcoef(p1, p2)[0, 1]
    t = (s2.mean() - s1.mean()) / math.sqrt(
        v1 / n1 + v2 / n2 - 2 * r * math.sqrt(v1 * v2) * nc / (n1 * n2)
    )
    gamma = (v1 / n1 + v2 / n2) ** 2 / ((v1 / n1) ** 2 / (n1 - 1) + (v2 / n2) ** 2 / (n2 - 1))
    df = (nc - 1) + (gamma - nc + 1) / (na + nb + 2 * nc) * (na + nb)
    result = stats.partially_overlapping_t(xa, xb, p1, p2)
    assert result.t == pytest.approx(t) and result.df == pytest.approx(df)
    assert (result.n_first, result.n_second, result.n_paired) == (20, 18, 12)


def test_compare_waves_pairs_by_linking_code_and_picks_the_test(rng):
    pre_ids = [f"id{i}" for i in range(30)]
    post_ids = [f"id{i}" for i in range(10, 45)]
    result = stats.compare_waves(pre_ids, rng.normal(size=30), post_ids, rng.normal(size=35))
    assert (result.n_pre, result.n_post, result.n_matched) == (30, 35, 20)
    assert result.test == "partially overlapping samples t-test"
    assert result.paired.n == 20 and result.overlap.n_paired == 20
    assert result.attrition.rate == pytest.approx(1 / 3)
    everyone = stats.compare_waves(pre_ids, np.zeros(30), pre_ids, np.ones(30))
    assert everyone.test == "paired t-test" and everyone.overlap is None


# --- McNemar and Holm -----------------------------------------------------------------


@pytest.mark.parametrize("shift", [0.3, 1.0])
def test_mcnemar_top_box_matches_statsmodels(rng, shift):
    pre, post = _pre_post(rng, n=120, shift=shift)
    result = stats.mcnemar_top_box(pre, post, top_box=7)
    top_pre, top_post = pre >= 7, post >= 7
    table = [
        [np.sum(top_pre & top_post), np.sum(top_pre & ~top_post)],
        [np.sum(~top_pre & top_post), np.sum(~top_pre & ~top_post)],
    ]
    ref = _mcnemar()(table, exact=result.exact, correction=True)
    assert result.p == pytest.approx(ref.pvalue)
    assert result.statistic == pytest.approx(ref.statistic)
    assert result.n == 120
    assert result.top_box_post - result.top_box_pre == pytest.approx(
        (result.gained - result.lost) / 120
    )


def test_mcnemar_top_box_is_exact_for_few_discordant_pairs():
    pre = [9, 9, 3, 3, 3, 3, 9, 9]
    post = [9, 3, 9, 9, 9, 3, 9, 9]
    result = stats.mcnemar_top_box(pre, post, top_box=8)
    assert result.exact and (result.lost, result.gained) == (1, 3)
    assert result.p == pytest.approx(_mcnemar()([[3, 1], [3, 1]], exact=True).pvalue)
    # Exact two-sided binomial by hand: 2 × P(X ≤ 1 | n = 4, p = ½) = 2 × 5/16.
    assert result.p == pytest.approx(10 / 16)


def test_mcnemar_top_box_uses_corrected_chi_square_for_many_discordant_pairs():
    pre = [9] * 30 + [3] * 10 + [9] * 5
    post = [3] * 30 + [9] * 10 + [9] * 5
    result = stats.mcnemar_top_box(pre, post, top_box=8)
    assert not result.exact and (result.lost, result.gained) == (30, 10)
    assert result.statistic == pytest.approx(19**2 / 40)
    assert result.p == pytest.approx(sps.chi2.sf(19**2 / 40, 1))


def test_holm_matches_statsmodels_multipletests(rng):
    p = rng.uniform(0, 0.2, 12)
    assert stats.holm(p) == pytest.approx(_multipletests()(p, method="holm")[1])


def test_holm_leaves_missing_p_values_out_of_the_family():
    adjusted = stats.holm([0.01, NAN, 0.04])
    assert math.isnan(adjusted[1])
    assert adjusted[[0, 2]].tolist() == pytest.approx([0.02, 0.04])


# --- raking and summaries -------------------------------------------------------------


def _sample(rng, n=4000):
    age = rng.choice(3, n, p=[0.5, 0.3, 0.2])  # young people over-represented
    sex = rng.choice(2, n, p=[0.6, 0.4])
    return {"age": age, "sex": sex}


MARGINS = {
    "age": {"18-34": 0.3, "35-64": 0.5, "65+": 0.2},
    "sex": {"female": 0.52, "male": 0.48},
}


def test_raker_reproduces_census_margins(rng):
    data = _sample(rng)
    raker = stats.Raker(MARGINS, trim=None).fit(data)
    w = raker.weights_
    assert raker.converged_
    assert w.mean() == pytest.approx(1.0)
    for var, levels in MARGINS.items():
        shares = np.bincount(data[var], weights=w) / w.sum()
        assert shares == pytest.approx(list(levels.values()), abs=1e-5)
    assert raker.effective_n_ == pytest.approx(w.sum() ** 2 / (w**2).sum())
    assert raker.effective_n_ < 4000


def test_raker_accepts_labels_and_trims_extreme_weights(rng):
    n = 2000
    age = np.where(rng.random(n) < 0.02, "65+", np.where(rng.random(n) < 0.5, "18-34", "35-64"))
    sex = np.where(rng.random(n) < 0.5, "female", "male")
    untrimmed = stats.Raker(MARGINS, trim=None).fit({"age": age, "sex": sex})
    trimmed = stats.Raker(MARGINS, trim=(0.3, 3.0)).fit({"age": age, "sex": sex})
    assert untrimmed.weights_.max() > 3.0
    assert trimmed.weights_.max() <= 3.0 * trimmed.weights_.mean() + 1e-6
    assert trimmed.effective_n_ > untrimmed.effective_n_
    # 2 % of the sample cannot stand for 20 % of the city under a cap of 3: reported, not hidden.
    assert untrimmed.converged_ and not trimmed.converged_
    assert trimmed.margin_error_ > 0.01


def test_raker_rejects_a_level_nobody_answered_from(rng):
    data = _sample(rng, 100)
    data["age"] = np.where(data["age"] == 2, 1, data["age"])
    with pytest.raises(ValueError, match="no respondents"):
        stats.Raker(MARGINS).fit(data)


def test_kish_effective_n():
    assert stats.kish_effective_n([1, 1, 1, 1]) == 4
    assert stats.kish_effective_n([1, 3]) == pytest.approx(16 / 10)


def test_group_summary_matches_per_group_numpy_and_hides_small_districts(rng):
    groups = np.r_[np.zeros(3, int), rng.integers(1, 5, 400)]
    values = rng.normal(size=groups.size)
    summary = stats.group_summary(values, groups, labels=["A", "B", "C", "D", "E"])
    rows = {row["group"]: row for row in summary.rows()}
    assert rows["A"]["suppressed"] and rows["A"]["mean"] is None and rows["A"]["n"] is None
    # District A's mean cannot be recovered from the total: another district is hidden too.
    assert sum(summary.suppressed) >= 2
    for code, label in enumerate("ABCDE"):
        if rows[label]["suppressed"]:
            continue
        x = values[groups == code]
        assert rows[label]["n"] == x.size
        assert rows[label]["mean"] == pytest.approx(x.mean())
        assert rows[label]["sd"] == pytest.approx(x.std(ddof=1))
        ci = sps.ttest_1samp(x, 0).confidence_interval(0.95)
        assert (rows[label]["ci_low"], rows[label]["ci_high"]) == pytest.approx((ci.low, ci.high))


def test_group_summary_weighted_mean(rng):
    groups = rng.integers(0, 3, 600)
    values = rng.normal(size=600)
    weights = rng.uniform(0.5, 2, 600)
    summary = stats.group_summary(values, groups, weights=weights)
    for g in range(3):
        m = groups == g
        assert summary.mean[g] == pytest.approx(np.average(values[m], weights=weights[m]))
        assert summary.effective_n[g] == pytest.approx(stats.kish_effective_n(weights[m]))
