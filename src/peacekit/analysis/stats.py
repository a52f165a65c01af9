"""Survey statistics for perception surveys and program evaluation (issue 7).

Pure numpy/scipy; every result is a dataclass that carries the n behind each figure.
Conventions: missing answers are ``NaN``; confidence level defaults to 95 %; p-values are
two-sided. Formulas and their sources are listed in docs/decisions/0007-survey-stats.md.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize
from scipy import stats as sps

from peacekit.analysis.suppression import SuppressionPolicy, suppress

__all__ = [
    "scale_scores",
    "to_index",
    "Reliability",
    "cronbach_alpha",
    "reliability",
    "EffectSize",
    "PairedComparison",
    "paired_comparison",
    "Attrition",
    "attrition",
    "OverlapTest",
    "partially_overlapping_t",
    "WaveComparison",
    "compare_waves",
    "McNemarResult",
    "mcnemar_top_box",
    "holm",
    "kish_effective_n",
    "Raker",
    "GroupSummary",
    "group_summary",
]

FloatArray = NDArray[np.float64]


def _float_matrix(items: ArrayLike) -> FloatArray:
    """Items as a 2-D float array (respondents × items); ``None`` becomes NaN."""
    array = np.asarray(items, dtype=np.float64)
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2:
        raise ValueError("items must be respondents × items")
    return array


def _t_critical(confidence: float, df: float) -> float:
    """Two-sided critical value of Student's t."""
    return float(sps.t.ppf(0.5 + confidence / 2, df))


# --------------------------------------------------------------------------------------
# Scale scores
# --------------------------------------------------------------------------------------


def scale_scores(
    items: ArrayLike, *, min_answered: float = 0.5, return_counts: bool = False
) -> FloatArray | tuple[FloatArray, NDArray[np.int64]]:
    """Mean of answered items per respondent; NaN unless at least ``min_answered`` answered.

    ``min_answered`` is a fraction of the scale's items (default: half). With
    ``return_counts`` the number of answered items per respondent comes back too.
    """
    x = _float_matrix(items)
    k = x.shape[1]
    missing = np.isnan(x)
    answered = k - missing.sum(axis=1)
    totals = np.where(missing, 0.0, x).sum(axis=1)
    enough = answered >= min_answered * k - 1e-9
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = np.where(enough & (answered > 0), totals / answered, np.nan)
    if return_counts:
        return scores, answered.astype(np.int64)
    return scores


def to_index(scores: ArrayLike, *, low: float, high: float) -> FloatArray:
    """Rescale scores on ``[low, high]`` to a 0–100 index (NaN stays NaN)."""
    if high <= low:
        raise ValueError("high must exceed low")
    return (np.asarray(scores, dtype=np.float64) - low) * (100.0 / (high - low))


# --------------------------------------------------------------------------------------
# Reliability
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reliability:
    """Internal consistency of a scale, with the complete cases it rests on."""

    estimate: float
    method: str
    n: int
    k: int
    ci_low: float
    ci_high: float
    inter_item_r: float | None = None


def cronbach_alpha(items: ArrayLike) -> float:
    """Cronbach's α on complete cases (NaN if fewer than two cases or two items)."""
    x = _float_matrix(items)
    x = x[~np.isnan(x).any(axis=1)]
    n, k = x.shape
    if n < 2 or k < 2:
        return math.nan
    item_var = x.var(axis=0, ddof=1).sum()
    total_var = x.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return math.nan
    return float(k / (k - 1) * (1 - item_var / total_var))


def reliability(items: ArrayLike, *, confidence: float = 0.95) -> Reliability:
    """Cronbach's α with Feldt's CI; for two-item scales the Spearman–Brown coefficient.

    Two-item scales (the trust scale) get the Spearman–Brown estimate from the inter-item
    correlation, which α understates for k = 2 (Eisinga, te Grotenhuis & Pelzer 2013).
    """
    x = _float_matrix(items)
    x = x[~np.isnan(x).any(axis=1)]
    n, k = x.shape
    if k < 2:
        raise ValueError("reliability needs at least two items")
    alpha_level = 1 - confidence
    if k == 2:
        if n < 3 or np.any(x.std(axis=0) == 0):
            return Reliability(math.nan, "spearman_brown", n, k, math.nan, math.nan, math.nan)
        r = float(np.corrcoef(x[:, 0], x[:, 1])[0, 1])
        # Fisher z interval for r, carried through Spearman–Brown (monotone in r).
        half = float(sps.norm.ppf(1 - alpha_level / 2)) / math.sqrt(n - 3) if n > 3 else math.inf
        z = math.atanh(max(min(r, 1 - 1e-12), -1 + 1e-12))
        r_lo, r_hi = math.tanh(z - half), math.tanh(z + half)

        def spearman_brown(v: float) -> float:
            return 2 * v / (1 + v)

        return Reliability(
            spearman_brown(r),
            "spearman_brown",
            n,
            k,
            spearman_brown(r_lo),
            spearman_brown(r_hi),
            r,
        )
    alpha = cronbach_alpha(x)
    if math.isnan(alpha):
        return Reliability(math.nan, "cronbach_alpha", n, k, math.nan, math.nan)
    df1, df2 = n - 1, (n - 1) * (k - 1)
    lo = 1 - (1 - alpha) * sps.f.ppf(1 - alpha_level / 2, df1, df2)
    hi = 1 - (1 - alpha) * sps.f.ppf(alpha_level / 2, df1, df2)
    return Reliability(alpha, "cronbach_alpha", n, k, float(lo), float(hi))


# --------------------------------------------------------------------------------------
# Matched pairs
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EffectSize:
    """A standardized effect with its confidence interval and n."""

    name: str
    estimate: float
    ci_low: float
    ci_high: float
    n: int


@dataclass(frozen=True)
class PairedComparison:
    """Pre/post comparison on matched respondents (change = post − pre)."""

    n: int
    mean_pre: float
    sd_pre: float
    mean_post: float
    sd_post: float
    mean_change: float
    sd_change: float
    change_ci_low: float
    change_ci_high: float
    t: float
    df: int
    p_t: float
    wilcoxon_statistic: float
    p_wilcoxon: float
    cohens_dz: EffectSize
    hedges_g: EffectSize
    confidence: float


def _ncp_interval(t: float, df: int, confidence: float) -> tuple[float, float]:
    """CI for the noncentrality parameter of a t statistic by inverting the noncentral t."""
    tail = (1 - confidence) / 2

    def solve(target: float) -> float:
        def f(ncp: float) -> float:
            return float(sps.nct.cdf(t, df, ncp)) - target

        width = 2.0 + abs(t)
        lo, hi = t - width, t + width
        for _ in range(60):
            if f(lo) > 0 > f(hi):
                break
            lo, hi = lo - width, hi + width
        return float(optimize.brentq(f, lo, hi, xtol=1e-10))

    return solve(1 - tail), solve(tail)


def _dz_interval(dz: float, n: int, confidence: float) -> tuple[float, float]:
    """CI for Cohen's d_z: exact noncentral t, normal approximation beyond 1,000 pairs."""
    if not math.isfinite(dz):
        return math.nan, math.nan
    if n > 1000:
        se = math.sqrt(1 / n + dz**2 / (2 * n))
        z = float(sps.norm.ppf(0.5 + confidence / 2))
        return dz - z * se, dz + z * se
    lo, hi = _ncp_interval(dz * math.sqrt(n), n - 1, confidence)
    return lo / math.sqrt(n), hi / math.sqrt(n)


def _hedges_correction(df: float) -> float:
    """Hedges' small-sample bias correction J(df)."""
    return 1 - 3 / (4 * df - 1) if df > 1 else math.nan


def paired_comparison(
    pre: ArrayLike, post: ArrayLike, *, confidence: float = 0.95
) -> PairedComparison:
    """Mean change with CI, paired t, Wilcoxon signed-rank (Pratt), d_z and Hedges' g_av.

    Pairs with either value missing are dropped. Hedges' g standardizes the change by the
    root mean square of the pre and post SDs and is bias-corrected; its CI uses Bonett's
    (2015) variance for that standardizer.
    """
    a = np.asarray(pre, dtype=np.float64)
    b = np.asarray(post, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError("pre and post must be the same length (one row per matched person)")
    keep = ~(np.isnan(a) | np.isnan(b))
    a, b = a[keep], b[keep]
    n = int(a.size)
    nan = math.nan
    if n < 2:
        empty = EffectSize("cohens_dz", nan, nan, nan, n)
        return PairedComparison(
            n, *(nan,) * 9, 0, nan, nan, nan, empty, EffectSize("hedges_g", nan, nan, nan, n),
            confidence,
        )  # fmt: skip
    d = b - a
    mean_d = float(d.mean())
    sd_d = float(d.std(ddof=1))
    df = n - 1
    se = sd_d / math.sqrt(n)
    crit = _t_critical(confidence, df)
    if se > 0:
        t = mean_d / se
        p_t = float(2 * sps.t.sf(abs(t), df))
    else:
        t, p_t = (math.copysign(math.inf, mean_d), 0.0) if mean_d != 0 else (nan, nan)
    if np.any(d != 0):
        w = sps.wilcoxon(d, zero_method="pratt")
        w_stat, p_w = float(w.statistic), float(w.pvalue)
    else:
        w_stat, p_w = nan, nan
    dz = mean_d / sd_d if sd_d > 0 else nan
    dz_lo, dz_hi = _dz_interval(dz, n, confidence)
    sd_pre, sd_post = float(a.std(ddof=1)), float(b.std(ddof=1))
    g, g_lo, g_hi = _hedges_g_av(mean_d, sd_pre, sd_post, a, b, n, confidence)
    return PairedComparison(
        n=n,
        mean_pre=float(a.mean()),
        sd_pre=sd_pre,
        mean_post=float(b.mean()),
        sd_post=sd_post,
        mean_change=mean_d,
        sd_change=sd_d,
        change_ci_low=mean_d - crit * se,
        change_ci_high=mean_d + crit * se,
        t=float(t),
        df=df,
        p_t=p_t,
        wilcoxon_statistic=w_stat,
        p_wilcoxon=p_w,
        cohens_dz=EffectSize("cohens_dz", dz, dz_lo, dz_hi, n),
        hedges_g=EffectSize("hedges_g", g, g_lo, g_hi, n),
        confidence=confidence,
    )


def _hedges_g_av(
    mean_d: float,
    s1: float,
    s2: float,
    a: FloatArray,
    b: FloatArray,
    n: int,
    confidence: float,
) -> tuple[float, float, float]:
    """Bias-corrected change standardized by sqrt((s1² + s2²)/2), with Bonett's CI."""
    v = (s1**2 + s2**2) / 2
    if v <= 0 or n < 3:
        return math.nan, math.nan, math.nan
    r = float(np.corrcoef(a, b)[0, 1]) if s1 > 0 and s2 > 0 else 0.0
    d = mean_d / math.sqrt(v)
    var = d**2 * (s1**4 + s2**4 + 2 * r**2 * s1**2 * s2**2) / (8 * v**2 * (n - 1)) + (
        s1**2 + s2**2 - 2 * r * s1 * s2
    ) / (v * (n - 1))
    z = float(sps.norm.ppf(0.5 + confidence / 2))
    j = _hedges_correction(n - 1)
    half = z * math.sqrt(max(var, 0.0))
    return j * d, j * (d - half), j * (d + half)


# --------------------------------------------------------------------------------------
# Attrition and partially paired samples
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attrition:
    """Who answered both waves, and whether those who left differed at baseline."""

    n_pre: int
    n_post: int
    n_matched: int
    rate: float
    n_dropped: int
    baseline_difference: float | None = None
    baseline_p: float | None = None


def attrition(
    pre_ids: Sequence[Hashable],
    post_ids: Sequence[Hashable],
    pre_scores: ArrayLike | None = None,
) -> Attrition:
    """Share of pre-wave respondents with no post answer; optional baseline check (Welch).

    ``baseline_difference`` is mean pre score of completers minus that of those who left.
    """
    post = set(post_ids)
    matched = np.array([pid in post for pid in pre_ids], dtype=bool)
    n_pre = len(pre_ids)
    n_matched = int(matched.sum())
    rate = 1 - n_matched / n_pre if n_pre else math.nan
    diff = p = None
    if pre_scores is not None:
        s = np.asarray(pre_scores, dtype=np.float64)
        stay, left = s[matched & ~np.isnan(s)], s[~matched & ~np.isnan(s)]
        if stay.size >= 2 and left.size >= 2:
            diff = float(stay.mean() - left.mean())
            p = float(sps.ttest_ind(stay, left, equal_var=False).pvalue)
    return Attrition(
        n_pre=n_pre,
        n_post=len(post),
        n_matched=n_matched,
        rate=rate,
        n_dropped=n_pre - n_matched,
        baseline_difference=diff,
        baseline_p=p,
    )


@dataclass(frozen=True)
class OverlapTest:
    """Partially overlapping samples t-test (Derrick et al. 2017), difference = 2nd − 1st."""

    n_paired: int
    n_first_only: int
    n_second_only: int
    mean_first: float
    mean_second: float
    difference: float
    ci_low: float
    ci_high: float
    t: float
    df: float
    p: float
    equal_var: bool

    @property
    def n_first(self) -> int:
        """All observations in the first sample."""
        return self.n_paired + self.n_first_only

    @property
    def n_second(self) -> int:
        """All observations in the second sample."""
        return self.n_paired + self.n_second_only


def partially_overlapping_t(
    first_only: ArrayLike,
    second_only: ArrayLike,
    paired_first: ArrayLike,
    paired_second: ArrayLike,
    *,
    equal_var: bool = False,
    confidence: float = 0.95,
) -> OverlapTest:
    """T_new2 (Welch-type, default) or T_new1 of Derrick, Russ, Toher & White (2017).

    Reduces to the paired t-test when everyone pairs and to Welch's t-test when nobody does.
    """
    xa = np.asarray(first_only, dtype=np.float64)
    xb = np.asarray(second_only, dtype=np.float64)
    p1 = np.asarray(paired_first, dtype=np.float64)
    p2 = np.asarray(paired_second, dtype=np.float64)
    if p1.shape != p2.shape:
        raise ValueError("paired samples must be the same length")
    keep = ~(np.isnan(p1) | np.isnan(p2))
    p1, p2 = p1[keep], p2[keep]
    xa, xb = xa[~np.isnan(xa)], xb[~np.isnan(xb)]
    na, nb, nc = xa.size, xb.size, p1.size
    s1_all, s2_all = np.concatenate([xa, p1]), np.concatenate([xb, p2])
    n1, n2 = s1_all.size, s2_all.size
    m1, m2 = float(s1_all.mean()), float(s2_all.mean())
    diff = m2 - m1
    nan = math.nan
    if n1 < 2 or n2 < 2:
        return OverlapTest(nc, na, nb, m1, m2, diff, nan, nan, nan, nan, nan, equal_var)
    v1, v2 = float(s1_all.var(ddof=1)), float(s2_all.var(ddof=1))
    r = 0.0
    if nc >= 2 and p1.std() > 0 and p2.std() > 0:
        r = float(np.corrcoef(p1, p2)[0, 1])
    if equal_var:
        sp2 = ((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2)
        se = math.sqrt(sp2 * (1 / n1 + 1 / n2 - 2 * r * nc / (n1 * n2)))
        df = (nc - 1) + (na + nb + nc - 1) / (na + nb + 2 * nc) * (na + nb)
    else:
        se = math.sqrt(v1 / n1 + v2 / n2 - 2 * r * math.sqrt(v1 * v2) * nc / (n1 * n2))
        gamma = (v1 / n1 + v2 / n2) ** 2 / ((v1 / n1) ** 2 / (n1 - 1) + (v2 / n2) ** 2 / (n2 - 1))
        df = (nc - 1) + (gamma - nc + 1) / (na + nb + 2 * nc) * (na + nb)
    t = diff / se if se > 0 else nan
    p = float(2 * sps.t.sf(abs(t), df)) if se > 0 else nan
    crit = _t_critical(confidence, df)
    return OverlapTest(
        nc, na, nb, m1, m2, diff, diff - crit * se, diff + crit * se, float(t), float(df), p,
        equal_var,
    )  # fmt: skip


@dataclass(frozen=True)
class WaveComparison:
    """Everything the standard pre/post table needs for one measure."""

    n_pre: int
    n_post: int
    n_matched: int
    mean_pre: float
    sd_pre: float
    mean_post: float
    sd_post: float
    attrition: Attrition
    paired: PairedComparison | None
    overlap: OverlapTest | None
    test: str = field(default="")


def compare_waves(
    pre_ids: Sequence[Hashable],
    pre_scores: ArrayLike,
    post_ids: Sequence[Hashable],
    post_scores: ArrayLike,
    *,
    confidence: float = 0.95,
) -> WaveComparison:
    """Pair pre and post answers by linking code and pick the right test.

    Matched pairs get the paired comparison; if some answered only one wave, the partially
    overlapping t-test uses everyone and is the headline test.
    """
    pre = {pid: s for pid, s in zip(pre_ids, np.asarray(pre_scores, float), strict=True)}
    post = {pid: s for pid, s in zip(post_ids, np.asarray(post_scores, float), strict=True)}
    pre = {k: v for k, v in pre.items() if not math.isnan(v)}
    post = {k: v for k, v in post.items() if not math.isnan(v)}
    both = [k for k in pre if k in post]
    pre_only = np.array([v for k, v in pre.items() if k not in post])
    post_only = np.array([v for k, v in post.items() if k not in pre])
    a = np.array([pre[k] for k in both])
    b = np.array([post[k] for k in both])
    paired = paired_comparison(a, b, confidence=confidence) if len(both) >= 2 else None
    overlap = None
    test = "paired t-test" if paired else "none"
    if pre_only.size or post_only.size:
        overlap = partially_overlapping_t(pre_only, post_only, a, b, confidence=confidence)
        test = "partially overlapping samples t-test" if both else "Welch t-test"
    pre_all, post_all = np.array(list(pre.values())), np.array(list(post.values()))

    def mean_sd(x: FloatArray) -> tuple[float, float]:
        if x.size == 0:
            return math.nan, math.nan
        return float(x.mean()), float(x.std(ddof=1)) if x.size > 1 else math.nan

    m_pre, s_pre = mean_sd(pre_all)
    m_post, s_post = mean_sd(post_all)
    return WaveComparison(
        n_pre=len(pre),
        n_post=len(post),
        n_matched=len(both),
        mean_pre=m_pre,
        sd_pre=s_pre,
        mean_post=m_post,
        sd_post=s_post,
        attrition=attrition(list(pre), list(post), list(pre.values())),
        paired=paired,
        overlap=overlap,
        test=test,
    )


# --------------------------------------------------------------------------------------
# Agreement (McNemar) and multiplicity (Holm)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class McNemarResult:
    """Change in the top-box share among matched respondents."""

    n: int
    top_box_pre: float
    top_box_post: float
    lost: int
    gained: int
    statistic: float
    p: float
    exact: bool


def mcnemar_top_box(
    pre: ArrayLike,
    post: ArrayLike,
    *,
    top_box: float,
    exact: bool | None = None,
) -> McNemarResult:
    """McNemar test on "answer ≥ top_box" before and after; exact binomial when b + c < 25.

    ``lost`` (b) counts people in the top box before but not after, ``gained`` (c) the
    reverse. The asymptotic version uses the continuity-corrected chi-square.
    """
    a = np.asarray(pre, dtype=np.float64)
    b = np.asarray(post, dtype=np.float64)
    keep = ~(np.isnan(a) | np.isnan(b))
    top_a, top_b = a[keep] >= top_box, b[keep] >= top_box
    n = int(keep.sum())
    lost = int(np.sum(top_a & ~top_b))
    gained = int(np.sum(~top_a & top_b))
    discordant = lost + gained
    use_exact = discordant < 25 if exact is None else exact
    if discordant == 0:
        statistic, p = (0.0, 1.0)
    elif use_exact:
        statistic = float(min(lost, gained))
        p = float(min(1.0, 2 * sps.binom.cdf(statistic, discordant, 0.5)))
    else:
        statistic = (abs(lost - gained) - 1) ** 2 / discordant
        p = float(sps.chi2.sf(statistic, 1))
    share = lambda x: float(x.mean()) if n else math.nan  # noqa: E731
    return McNemarResult(
        n=n,
        top_box_pre=share(top_a),
        top_box_post=share(top_b),
        lost=lost,
        gained=gained,
        statistic=float(statistic),
        p=p,
        exact=bool(use_exact),
    )


def holm(pvalues: ArrayLike) -> FloatArray:
    """Holm–Bonferroni adjusted p-values (NaN entries are left out of the family)."""
    p = np.asarray(pvalues, dtype=np.float64)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    q = p[ok]
    m = q.size
    if m == 0:
        return out
    order = np.argsort(q, kind="stable")
    adjusted = np.maximum.accumulate((m - np.arange(m)) * q[order])
    result = np.empty(m)
    result[order] = np.minimum(adjusted, 1.0)
    out[ok] = result
    return out


# --------------------------------------------------------------------------------------
# Weighting: raking to census margins
# --------------------------------------------------------------------------------------


def kish_effective_n(weights: ArrayLike) -> float:
    """Kish's effective sample size (Σw)² / Σw²."""
    w = np.asarray(weights, dtype=np.float64)
    s2 = float(np.dot(w, w))
    return float(w.sum() ** 2 / s2) if s2 > 0 else 0.0


class Raker:
    """Iterative proportional fitting of respondent weights to population margins.

    ``margins`` maps a variable to ``{level: share}`` (shares or counts; normalized). Data
    passed to ``fit`` maps each variable to integer codes (positions in that variable's
    level order) or to the level labels themselves. After raking, weights are trimmed to
    ``[trim[0], trim[1]]`` × the mean weight and raked again, up to ``max_trim_rounds``.
    """

    def __init__(
        self,
        margins: Mapping[str, Mapping[Hashable, float]],
        *,
        max_iter: int = 100,
        tol: float = 1e-6,
        trim: tuple[float, float] | None = (0.2, 5.0),
        max_trim_rounds: int = 20,
    ) -> None:
        self.margins = margins
        self.max_iter = max_iter
        self.tol = tol
        self.trim = trim
        self.max_trim_rounds = max_trim_rounds

    def _codes(self, data: Mapping[str, ArrayLike]) -> list[NDArray[np.intp]]:
        """Each variable as integer codes aligned with its margin's level order."""
        codes = []
        n = None
        for var, levels in self.margins.items():
            if var not in data:
                raise ValueError(f"no data for raking variable {var!r}")
            raw = np.asarray(data[var])
            if n is None:
                n = raw.size
            elif raw.size != n:
                raise ValueError(f"{var!r} has {raw.size} values, expected {n}")
            labels = list(levels.keys())
            if np.issubdtype(raw.dtype, np.integer):
                c = raw.astype(np.intp)
                if c.size and (c.min() < 0 or c.max() >= len(labels)):
                    raise ValueError(f"{var!r} codes must lie in 0..{len(labels) - 1}")
            else:
                position = {label: i for i, label in enumerate(labels)}
                uniq, inverse = np.unique(raw, return_inverse=True)
                unknown = [u for u in uniq.tolist() if u not in position]
                if unknown:
                    raise ValueError(f"{var!r} has levels with no target share: {unknown[:5]}")
                c = np.array([position[u] for u in uniq.tolist()], dtype=np.intp)[inverse]
            codes.append(c)
        return codes

    def fit(self, data: Mapping[str, ArrayLike], base_weights: ArrayLike | None = None) -> Raker:
        """Compute ``weights_`` (mean 1) that reproduce every margin."""
        codes = self._codes(data)
        n = codes[0].size
        w = np.ones(n) if base_weights is None else np.asarray(base_weights, float).copy()
        targets = []
        for (var, levels), c in zip(self.margins.items(), codes, strict=True):
            share = np.asarray(list(levels.values()), dtype=np.float64)
            if np.any(share < 0) or share.sum() <= 0:
                raise ValueError(f"{var!r} target shares must be non-negative and not all 0")
            share = share / share.sum()
            present = np.bincount(c, minlength=share.size)
            empty = (present == 0) & (share > 0)
            if empty.any():
                missing = [list(levels.keys())[i] for i in np.flatnonzero(empty)]
                raise ValueError(f"{var!r}: no respondents in {missing}; merge levels first")
            targets.append(share * n)
        w *= n / w.sum()
        total_iter = 0
        converged = False
        rounds = 0
        for rounds in range(1, self.max_trim_rounds + 2):  # noqa: B007
            w, it, converged = self._rake(w, codes, targets)
            total_iter += it
            if self.trim is None:
                break
            if self._within_trim(w):
                break
            w = self._trimmed(w)
        w = w * (n / w.sum())
        if self.trim is not None and not self._within_trim(w):
            w = self._trimmed(w)
        self.weights_ = w
        self.n_iter_ = total_iter
        self.trim_rounds_ = rounds
        # Largest gap between a weighted level share and its target share.
        self.margin_error_ = self._max_error(self.weights_, codes, targets) / n
        self.converged_ = bool(converged and self.margin_error_ <= self.tol)
        self.effective_n_ = kish_effective_n(self.weights_)
        self.design_effect_ = n / self.effective_n_ if self.effective_n_ else math.nan
        self.n_ = n
        return self

    def _within_trim(self, w: FloatArray) -> bool:
        """Whether every weight lies within the trimming bounds relative to the mean."""
        assert self.trim is not None
        m = w.mean()
        return bool(
            w.min() >= self.trim[0] * m * (1 - 1e-9) and w.max() <= self.trim[1] * m * (1 + 1e-9)
        )

    def _trimmed(self, w: FloatArray) -> FloatArray:
        """Clip to the bounds and rescale to mean 1, repeated until the bounds hold."""
        assert self.trim is not None
        w = w / w.mean()
        for _ in range(100):
            w = np.clip(w, self.trim[0], self.trim[1])
            w /= w.mean()
            if self._within_trim(w):
                break
        return w

    def _rake(
        self, w: FloatArray, codes: list[NDArray[np.intp]], targets: list[FloatArray]
    ) -> tuple[FloatArray, int, bool]:
        """Plain IPF sweeps until every weighted margin is within ``tol`` (as a share)."""
        n = w.size
        for it in range(1, self.max_iter + 1):
            for c, target in zip(codes, targets, strict=True):
                current = np.bincount(c, weights=w, minlength=target.size)
                factor = np.divide(target, current, out=np.ones_like(target), where=current > 0)
                w *= factor[c]
            if self._max_error(w, codes, targets) <= self.tol * n:
                return w, it, True
        return w, self.max_iter, False

    @staticmethod
    def _max_error(
        w: FloatArray, codes: list[NDArray[np.intp]], targets: list[FloatArray]
    ) -> float:
        """Largest absolute gap between weighted and target level totals."""
        gaps = [
            np.abs(np.bincount(c, weights=w, minlength=t.size) - t).max()
            for c, t in zip(codes, targets, strict=True)
        ]
        return float(max(gaps))


# --------------------------------------------------------------------------------------
# By-group summaries
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupSummary:
    """Mean and CI per group; hidden groups (small cells) hold NaN in every field."""

    labels: tuple[str, ...]
    n: FloatArray
    mean: FloatArray
    sd: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray
    effective_n: FloatArray
    suppressed: NDArray[np.bool_]
    n_total: int | None
    mean_total: float
    confidence: float
    note: str

    def rows(self) -> list[dict[str, object]]:
        """One plain dict per group for templates and exports (None where hidden)."""
        out = []
        for i, label in enumerate(self.labels):
            hidden = bool(self.suppressed[i])
            out.append(
                {
                    "group": label,
                    "suppressed": hidden,
                    "n": None if hidden else int(self.n[i]),
                    "mean": None if hidden else float(self.mean[i]),
                    "sd": None if hidden else float(self.sd[i]),
                    "ci_low": None if hidden else float(self.ci_low[i]),
                    "ci_high": None if hidden else float(self.ci_high[i]),
                }
            )
        return out


def group_summary(
    values: ArrayLike,
    groups: ArrayLike,
    *,
    labels: Sequence[str] | None = None,
    weights: ArrayLike | None = None,
    confidence: float = 0.95,
    policy: SuppressionPolicy | None = None,
) -> GroupSummary:
    """Vectorised mean, SD and CI of ``values`` by integer group code (NaN values skipped).

    With ``weights`` the means are weighted and the CI uses Kish's effective n per group.
    Group counts pass through ``suppress`` (with the overall total published), and every
    figure of a hidden group is blanked, so a small group's mean never leaves this function.
    """
    y = np.asarray(values, dtype=np.float64)
    g = np.asarray(groups)
    if g.shape != y.shape:
        raise ValueError("values and groups must have the same length")
    ok = ~np.isnan(y) & (g >= 0)
    y, g = y[ok], g[ok].astype(np.intp)
    k = len(labels) if labels is not None else (int(g.max()) + 1 if g.size else 0)
    w = np.ones_like(y) if weights is None else np.asarray(weights, dtype=np.float64)[ok]
    n = np.bincount(g, minlength=k).astype(np.float64)
    sw = np.bincount(g, weights=w, minlength=k)
    swy = np.bincount(g, weights=w * y, minlength=k)
    sw2 = np.bincount(g, weights=w * w, minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = swy / sw
        resid = y - mean[g]
        ss = np.bincount(g, weights=w * resid * resid, minlength=k)
        n_eff = sw**2 / sw2
        # Reliability-weight variance: unbiased when weights are all 1.
        var = ss / (sw - sw2 / sw)
        sd = np.sqrt(var)
        df = np.maximum(n - 1, 1)
        crit = sps.t.ppf(0.5 + confidence / 2, df)
        half = crit * sd / np.sqrt(n_eff)
    half = np.where(n >= 2, half, np.nan)
    policy = policy or SuppressionPolicy()
    table = suppress(n.astype(np.int64), policy=policy)
    hidden = table.mask()
    total_hidden = table.grand_total is not None and table.grand_total.suppressed
    blank = np.where(hidden, np.nan, 1.0)
    label_tuple = tuple(labels) if labels is not None else tuple(str(i) for i in range(k))
    mean_total = float(np.dot(w, y) / w.sum()) if w.size and not total_hidden else math.nan
    return GroupSummary(
        labels=label_tuple,
        n=n * blank,
        mean=mean * blank,
        sd=sd * blank,
        ci_low=(mean - half) * blank,
        ci_high=(mean + half) * blank,
        effective_n=n_eff * blank,
        suppressed=hidden,
        n_total=None if total_hidden else int(n.sum()),
        mean_total=mean_total,
        confidence=confidence,
        note=table.note,
    )
