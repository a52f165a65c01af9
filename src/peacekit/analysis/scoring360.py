"""Policing Performance 360 scoring (issue 8): a whole cycle scored at once, vectorized.

Input is one array per cycle: ``responses[candidate, rater_slot, item]`` on 1–5 with NaN for
"not observed" (and for empty rater slots), ``rater_group[candidate, rater_slot]`` as codes
into ``groups`` (−1 for an empty slot), and ``item_competency[item]`` as codes into
``competencies``. ``pack_responses`` builds these arrays from plain rows.

Anonymity (``suppression.Rater360Policy``) is applied before anything leaves this module:
a rater group under its minimum is omitted with its comments; a group's score on a
competency or item is shown only if enough of its raters answered it; the pooled "others"
score uses only shown cells (an omitted group is never folded into it, and so cannot be
recovered by differencing) and needs ``all_raters_minimum`` raters. Hidden figures are NaN.

Group membership for the adverse-impact check is a separate input to a separate function;
it never enters any score.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from peacekit.analysis.suppression import (
    Rater360Policy,
    SuppressionPolicy,
    rater_group_visibility,
    suppress,
)

__all__ = [
    "DEFAULT_GROUPS",
    "PackedResponses",
    "pack_responses",
    "PromotabilityFormula",
    "Cycle360",
    "CandidateReport",
    "Scorer360",
    "rwg_j",
    "icc_oneway",
    "percentile_ranks",
    "AdverseImpact",
    "adverse_impact",
]

DEFAULT_GROUPS = ("self", "supervisor", "peer", "direct_report", "community", "other")
FloatArray = NDArray[np.float64]


# --------------------------------------------------------------------------------------
# Packing plain rows into arrays
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PackedResponses:
    """A cycle's answers as arrays, with the ids behind each axis."""

    responses: FloatArray
    rater_group: NDArray[np.int64]
    candidates: tuple[Hashable, ...]
    raters: tuple[tuple[Hashable, ...], ...]
    items: tuple[Hashable, ...]


def pack_responses(
    rows: Iterable[tuple[Hashable, Hashable, str, Hashable, float | None]],
    *,
    items: Sequence[Hashable],
    groups: Sequence[str] = DEFAULT_GROUPS,
    candidates: Sequence[Hashable] | None = None,
) -> PackedResponses:
    """Rows of (candidate, rater, group, item, value or None for "not observed") → arrays."""
    item_pos = {item: k for k, item in enumerate(items)}
    group_pos = {g: k for k, g in enumerate(groups)}
    by_candidate: dict[Hashable, dict[Hashable, tuple[int, dict[int, float]]]] = {}
    for cand, rater, group, item, value in rows:
        if group not in group_pos:
            raise ValueError(f"unknown rater group {group!r}")
        if item not in item_pos:
            raise ValueError(f"unknown item {item!r}")
        if value is not None and not (1 <= float(value) <= 5):
            raise ValueError(f"answer {value!r} for item {item!r} is outside 1–5")
        slots = by_candidate.setdefault(cand, {})
        code, answers = slots.setdefault(rater, (group_pos[group], {}))
        if code != group_pos[group]:
            raise ValueError(f"rater {rater!r} appears in two groups for {cand!r}")
        answers[item_pos[item]] = math.nan if value is None else float(value)
    order = list(candidates) if candidates is not None else list(by_candidate)
    width = max((len(v) for v in by_candidate.values()), default=0)
    responses = np.full((len(order), width, len(items)), np.nan)
    rater_group = np.full((len(order), width), -1, dtype=np.int64)
    rater_ids: list[tuple[Hashable, ...]] = []
    for c, cand in enumerate(order):
        slots = by_candidate.get(cand, {})
        rater_ids.append(tuple(slots))
        for r, (code, answers) in enumerate(slots.values()):
            rater_group[c, r] = code
            for k, v in answers.items():
                responses[c, r, k] = v
    return PackedResponses(responses, rater_group, tuple(order), tuple(rater_ids), tuple(items))


# --------------------------------------------------------------------------------------
# Agreement statistics
# --------------------------------------------------------------------------------------


def rwg_j(variance: ArrayLike, n_items: ArrayLike, *, options: int = 5) -> FloatArray:
    """James, Demaree & Wolf rwg(J) from mean item variance, uniform null; clipped to [0, 1].

    ``variance`` is the mean across the J items of the between-rater variance.
    """
    null = (options**2 - 1) / 12
    ratio = np.asarray(variance, dtype=np.float64) / null
    j = np.asarray(n_items, dtype=np.float64)
    agreement = np.clip(1 - ratio, 0.0, None)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = j * agreement / (j * agreement + ratio)
    return np.where(np.isnan(ratio), np.nan, np.clip(out, 0.0, 1.0))


def icc_oneway(
    scores: ArrayLike, valid: ArrayLike | None = None
) -> tuple[float, float, int, float]:
    """ICC(1) and ICC(2) (Bliese 2000) with targets as rows and raters nested in them.

    ``scores`` is targets × raters (NaN or ``valid`` False where absent). Returns
    (ICC1, ICC2, number of targets used, average raters per target k0). Targets with fewer
    than two raters are left out.
    """
    x = np.asarray(scores, dtype=np.float64)
    ok = ~np.isnan(x) if valid is None else (np.asarray(valid, bool) & ~np.isnan(x))
    n_i = ok.sum(axis=1)
    use = n_i >= 2
    x, ok, n_i = x[use], ok[use], n_i[use]
    a = int(x.shape[0])
    if a < 2:
        return math.nan, math.nan, a, math.nan
    xs = np.where(ok, x, 0.0)
    total_n = int(n_i.sum())
    means = xs.sum(axis=1) / n_i
    grand = xs.sum() / total_n
    ss_between = float(np.sum(n_i * (means - grand) ** 2))
    ss_within = float(np.sum(np.where(ok, (x - means[:, None]) ** 2, 0.0)))
    ms_between = ss_between / (a - 1)
    ms_within = ss_within / (total_n - a)
    k0 = (total_n - float(np.sum(n_i**2)) / total_n) / (a - 1)
    if ms_between <= 0:
        return math.nan, math.nan, a, k0
    icc1 = (ms_between - ms_within) / (ms_between + (k0 - 1) * ms_within)
    icc2 = (ms_between - ms_within) / ms_between
    return float(icc1), float(icc2), a, float(k0)


def percentile_ranks(values: ArrayLike, reference: ArrayLike | None = None) -> FloatArray:
    """Mean-rank percentile (0–100) of each value within ``reference`` (default: itself)."""
    v = np.asarray(values, dtype=np.float64)
    ref = v if reference is None else np.asarray(reference, dtype=np.float64)
    ref = np.sort(ref[~np.isnan(ref)])
    out = np.full(v.shape, np.nan)
    if ref.size == 0:
        return out
    ok = ~np.isnan(v)
    below = np.searchsorted(ref, v[ok], side="left")
    at_or_below = np.searchsorted(ref, v[ok], side="right")
    out[ok] = 100.0 * (below + at_or_below) / (2 * ref.size)
    return out


# --------------------------------------------------------------------------------------
# Promotability formula
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PromotabilityFormula:
    """Index = Σ_k w_k · S_k / Σ_k w_k on 0–100, S_k = Σ_g v_g · score_gk / Σ_g v_g.

    Only shown group scores enter (the weights renormalize over what is shown); self is
    excluded by default. Missing weights mean 1 for competencies and 1 for groups.
    """

    competency_weights: Mapping[str, float] = field(default_factory=dict)
    group_weights: Mapping[str, float] = field(default_factory=lambda: {"self": 0.0})

    def vectors(
        self, competencies: Sequence[str], groups: Sequence[str]
    ) -> tuple[FloatArray, FloatArray]:
        """Weights as arrays aligned with ``competencies`` and ``groups``."""
        w = np.array([self.competency_weights.get(k, 1.0) for k in competencies], float)
        v = np.array([self.group_weights.get(g, 1.0) for g in groups], float)
        if np.any(w < 0) or np.any(v < 0) or w.sum() <= 0 or v.sum() <= 0:
            raise ValueError("promotability weights must be non-negative and not all zero")
        return w, v

    def describe(self, competencies: Sequence[str], groups: Sequence[str]) -> str:
        """The formula in words, with its weights, for the report's method note."""
        w, v = self.vectors(competencies, groups)
        comp = ", ".join(f"{k} {x / w.sum():.0%}" for k, x in zip(competencies, w, strict=True))
        grp = ", ".join(f"{g} ×{x:g}" for g, x in zip(groups, v, strict=True) if x > 0)
        left_out = [g for g, x in zip(groups, v, strict=True) if x == 0]
        text = (
            "Promotability index (0–100) = weighted mean of competency scores "
            f"({comp}); each competency score = weighted mean of shown rater-group means "
            f"({grp})"
        )
        if left_out:
            text += f"; not counted: {', '.join(left_out)}"
        return text + ". Groups omitted for anonymity do not count."


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CandidateReport:
    """One candidate's figures as plain Python values, ready for a template."""

    candidate: int
    competency_scores: list[dict[str, object]]
    shown_groups: list[str]
    omitted_groups: list[str]
    comments_shown: dict[str, bool]
    hidden_strengths: list[dict[str, object]]
    blind_spots: list[dict[str, object]]
    promotability: dict[str, float | int | None]
    formula: str
    all_raters_included: bool


@dataclass(frozen=True)
class Cycle360:
    """Every candidate's scores in a cycle; NaN wherever anonymity rules hide a figure.

    Shapes: C candidates, G groups, K competencies, I items.
    """

    competencies: tuple[str, ...]
    groups: tuple[str, ...]
    items: tuple[str, ...]
    n_raters: NDArray[np.int64]  # (C, G) raters who answered anything
    group_shown: NDArray[np.bool_]  # (C, G)
    comments_shown: NDArray[np.bool_]  # (C, G)
    all_raters_included: NDArray[np.bool_]  # (C,) no rater was left out of "others"
    group_competency: FloatArray  # (C, G, K)
    group_competency_n: NDArray[np.int64]  # (C, G, K), 0 where hidden
    group_item: FloatArray  # (C, G, I)
    others_competency: FloatArray  # (C, K)
    others_competency_n: NDArray[np.int64]  # (C, K)
    others_item: FloatArray  # (C, I)
    self_competency: FloatArray  # (C, K)
    self_item: FloatArray  # (C, I)
    gap: FloatArray  # (C, K) others − self
    gap_flag: NDArray[np.bool_]  # (C, K) |gap| ≥ threshold
    hidden_strengths: NDArray[np.int64]  # (C, n) item indices, −1 pad
    blind_spots: NDArray[np.int64]  # (C, n) item indices, −1 pad
    rwg: FloatArray  # (C, K)
    icc: dict[str, tuple[float, float]]  # competency → (ICC1, ICC2); NaN where not meaningful
    promotability: FloatArray  # (C,) 0–100
    promotability_se: FloatArray
    promotability_ci: FloatArray  # (C, 2)
    percentile: FloatArray  # (C,) within the cycle
    percentile_vs_past: FloatArray  # (C,) against past cycles' indices (NaN if none)
    formula: str
    gap_threshold: float

    def candidate_report(self, c: int) -> CandidateReport:
        """Plain values for candidate ``c``: only what the anonymity rules allow."""

        def num(x: float) -> float | None:
            return None if math.isnan(x) else round(float(x), 4)

        rows = []
        for k, comp in enumerate(self.competencies):
            by_group = {
                g: {"score": num(self.group_competency[c, gi, k]),
                    "n": int(self.group_competency_n[c, gi, k]) or None}
                for gi, g in enumerate(self.groups)
                if self.group_shown[c, gi]
            }  # fmt: skip
            rows.append(
                {
                    "competency": comp,
                    "self": num(self.self_competency[c, k]),
                    "others": num(self.others_competency[c, k]),
                    "others_n": int(self.others_competency_n[c, k]) or None,
                    "by_group": by_group,
                    "gap": num(self.gap[c, k]),
                    "gap_flagged": bool(self.gap_flag[c, k]),
                    "rwg": num(self.rwg[c, k]),
                }
            )

        def items(indices: NDArray[np.int64]) -> list[dict[str, object]]:
            return [
                {
                    "item": self.items[i],
                    "self": num(self.self_item[c, i]),
                    "others": num(self.others_item[c, i]),
                }
                for i in indices
                if i >= 0
            ]

        present = self.n_raters[c] > 0
        return CandidateReport(
            candidate=c,
            competency_scores=rows,
            shown_groups=[g for gi, g in enumerate(self.groups) if self.group_shown[c, gi]],
            omitted_groups=[
                g for gi, g in enumerate(self.groups) if present[gi] and not self.group_shown[c, gi]
            ],
            comments_shown={
                g: bool(self.comments_shown[c, gi]) for gi, g in enumerate(self.groups)
            },
            hidden_strengths=items(self.hidden_strengths[c]),
            blind_spots=items(self.blind_spots[c]),
            promotability={
                "index": num(self.promotability[c]),
                "se": num(self.promotability_se[c]),
                "ci_low": num(self.promotability_ci[c, 0]),
                "ci_high": num(self.promotability_ci[c, 1]),
                "percentile": num(self.percentile[c]),
                "percentile_vs_past": num(self.percentile_vs_past[c]),
            },
            formula=self.formula,
            all_raters_included=bool(self.all_raters_included[c]),
        )


# --------------------------------------------------------------------------------------
# The scorer
# --------------------------------------------------------------------------------------


def _masked_mean(total: FloatArray, count: FloatArray) -> FloatArray:
    """total / count with NaN where count is 0."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.where(count > 0, count, 1), np.nan)


class Scorer360:
    """Score a 360 cycle; scikit-learn style (parameters in ``__init__``, ``fit`` → self)."""

    def __init__(
        self,
        *,
        competencies: Sequence[str],
        item_competency: ArrayLike,
        items: Sequence[str] | None = None,
        groups: Sequence[str] = DEFAULT_GROUPS,
        policy: Rater360Policy | None = None,
        formula: PromotabilityFormula | None = None,
        gap_threshold: float = 1.0,
        n_highlights: int = 5,
        n_bootstrap: int = 200,
        confidence: float = 0.95,
        random_state: int | None = 0,
        scale: tuple[float, float] = (1.0, 5.0),
    ) -> None:
        self.competencies = competencies
        self.item_competency = item_competency
        self.items = items
        self.groups = groups
        self.policy = policy
        self.formula = formula
        self.gap_threshold = gap_threshold
        self.n_highlights = n_highlights
        self.n_bootstrap = n_bootstrap
        self.confidence = confidence
        self.random_state = random_state
        self.scale = scale

    def fit(
        self,
        responses: ArrayLike,
        rater_group: ArrayLike,
        *,
        comment_counts: ArrayLike | None = None,
        past_indices: ArrayLike | None = None,
    ) -> Scorer360:
        """Score every candidate; sets ``result_`` (a ``Cycle360``)."""
        policy = self.policy or Rater360Policy()
        formula = self.formula or PromotabilityFormula()
        groups = tuple(self.groups)
        comps = tuple(self.competencies)
        x = np.asarray(responses, dtype=np.float64)
        rg = np.asarray(rater_group, dtype=np.int64)
        if x.ndim != 3 or rg.shape != x.shape[:2]:
            raise ValueError("responses must be (candidates, raters, items); rater_group (C, R)")
        item_comp = np.asarray(self.item_competency, dtype=np.int64)
        n_c, n_r, n_i = x.shape
        n_g, n_k = len(groups), len(comps)
        if (
            item_comp.shape != (n_i,)
            or item_comp.min(initial=0) < 0
            or item_comp.max(initial=0) >= n_k
        ):
            raise ValueError("item_competency must give a competency code for every item")
        bad = ~np.isnan(x) & ((x < self.scale[0]) | (x > self.scale[1]))
        if bad.any():
            raise ValueError(f"answers must lie within {self.scale[0]:g}–{self.scale[1]:g}")
        items = tuple(self.items) if self.items is not None else tuple(str(i) for i in range(n_i))

        slot = rg >= 0
        x = np.where(slot[:, :, None], x, np.nan)
        answered = ~np.isnan(x)
        rated = slot & answered.any(axis=2)
        group_hot = (rg[:, :, None] == np.arange(n_g)) & rated[:, :, None]  # (C,R,G)
        gh = group_hot.astype(np.float64)
        comp_hot = (item_comp[:, None] == np.arange(n_k)).astype(np.float64)  # (I,K)

        xz = np.where(answered, x, 0.0)
        a = answered.astype(np.float64)
        # Rater-level competency means feed only the cohort ICC (an aggregate over candidates).
        rater_comp_n = a @ comp_hot  # (C,R,K)
        rater_comp = _masked_mean(xz @ comp_hot, rater_comp_n)
        rater_comp_ok = rater_comp_n > 0

        # Group × item means; an item cell is shown only when enough of the group answered it.
        gi_sum = np.einsum("crg,cri->cgi", gh, xz)
        gi_n = np.einsum("crg,cri->cgi", gh, a)
        n_raters = group_hot.sum(axis=1).astype(np.int64)  # (C,G)
        group_shown, total_ok = rater_group_visibility(n_raters, groups, policy)
        minimum = np.array([max(policy.minimum(g), 1) for g in groups], dtype=np.float64)
        is_self = np.array([g == policy.self_group for g in groups])
        cell_shown_i = group_shown[:, :, None] & (gi_n >= minimum[None, :, None])
        group_item = np.where(cell_shown_i, _masked_mean(gi_sum, gi_n), np.nan)

        # A competency score is the mean of its shown item means, so every figure in the
        # report is a function of shown cells only: nothing hidden can be differenced out.
        group_comp = _masked_mean(np.nan_to_num(group_item) @ comp_hot, cell_shown_i @ comp_hot)
        cell_shown_k = ~np.isnan(group_comp)
        shown_to_rater = np.einsum("crg,cgi->cri", gh, cell_shown_i.astype(np.float64)) > 0
        contributes = ((shown_to_rater & answered).astype(np.float64) @ comp_hot) > 0
        gc_n = np.einsum("crg,crk->cgk", gh, contributes.astype(np.float64))

        # "Others": shown non-self item cells pooled (an omitted group is never folded in),
        # each pooled item needing ``all_raters_minimum`` answers.
        pool_i = cell_shown_i & ~is_self[None, :, None]
        others_n_i = np.where(pool_i, gi_n, 0.0).sum(axis=1)  # (C,I)
        others_i_ok = others_n_i >= policy.all_raters_minimum
        others_i = np.where(
            others_i_ok, _masked_mean(np.where(pool_i, gi_sum, 0.0).sum(axis=1), others_n_i), np.nan
        )
        others_k = _masked_mean(np.nan_to_num(others_i) @ comp_hot, others_i_ok @ comp_hot)
        in_pool = (
            (np.einsum("crg,cgi->cri", gh, pool_i.astype(np.float64)) > 0)
            & answered
            & others_i_ok[:, None, :]
        )
        others_n_k = ((in_pool.astype(np.float64) @ comp_hot) > 0).sum(axis=1)  # (C,K)
        nonself_n_i = np.where(~is_self[None, :, None], gi_n, 0.0).sum(axis=1)
        all_included = total_ok & np.all(
            (others_n_i == nonself_n_i) & (others_i_ok | (nonself_n_i == 0)), axis=1
        )

        self_idx = np.flatnonzero(is_self)
        if self_idx.size:
            self_k = group_comp[:, self_idx[0], :]
            self_i = group_item[:, self_idx[0], :]
        else:
            self_k = np.full((n_c, n_k), np.nan)
            self_i = np.full((n_c, n_i), np.nan)
        gap = others_k - self_k
        gap_flag = np.abs(np.nan_to_num(gap)) >= self.gap_threshold - 1e-12

        strengths, blind = self._highlights(others_i, self_i)
        rwg = self._rwg(x, answered, group_hot, pool_i & others_i_ok[:, None, :], item_comp, n_k)
        icc = self._icc(rater_comp, rater_comp_ok, rated, rg, is_self, comps)

        w, v = formula.vectors(comps, groups)
        index = self._index_from(group_comp, w, v, *self.scale)
        se, ci = self._bootstrap(x, rg, rated, cell_shown_i, comp_hot, w, v, n_g)
        index_ok = ~np.isnan(index)
        percentile = percentile_ranks(np.where(index_ok, index, np.nan))
        vs_past = (
            percentile_ranks(index, past_indices)
            if past_indices is not None
            else np.full(n_c, np.nan)
        )

        comment_ok = np.zeros((n_c, n_g), dtype=bool)
        if comment_counts is not None:
            cc = np.asarray(comment_counts, dtype=np.int64)
            floor = np.array([policy.comment_floor(g) for g in groups])
            comment_ok = group_shown & (cc >= floor)

        self.result_ = Cycle360(
            competencies=comps,
            groups=groups,
            items=items,
            n_raters=n_raters,
            group_shown=group_shown,
            comments_shown=comment_ok,
            all_raters_included=all_included,
            group_competency=group_comp,
            group_competency_n=np.where(cell_shown_k, gc_n, 0).astype(np.int64),
            group_item=group_item,
            others_competency=others_k,
            others_competency_n=np.where(~np.isnan(others_k), others_n_k, 0).astype(np.int64),
            others_item=others_i,
            self_competency=self_k,
            self_item=self_i,
            gap=gap,
            gap_flag=gap_flag,
            hidden_strengths=strengths,
            blind_spots=blind,
            rwg=rwg,
            icc=icc,
            promotability=index,
            promotability_se=se,
            promotability_ci=ci,
            percentile=percentile,
            percentile_vs_past=vs_past,
            formula=formula.describe(comps, groups),
            gap_threshold=self.gap_threshold,
        )
        return self

    def _highlights(
        self, others: FloatArray, own: FloatArray
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Hidden strengths (others high, self lower) and blind spots (self high, others lower).

        High means at or above the candidate's own median across items for that source;
        items are ranked by the size of the gap (ties: the higher "high" rating first) and
        the top ``n_highlights`` kept.
        """
        n = self.n_highlights
        with warnings.catch_warnings(), np.errstate(invalid="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)  # candidates with no self rating
            others_high = others >= np.nanmedian(others, axis=1, keepdims=True)
            self_high = own >= np.nanmedian(own, axis=1, keepdims=True)
        gap = others - own
        ok = ~np.isnan(gap)
        strength_score = np.where(ok & others_high & (gap > 0), gap, -np.inf)
        blind_score = np.where(ok & self_high & (gap < 0), -gap, -np.inf)

        def top(score: FloatArray, tiebreak: FloatArray) -> NDArray[np.int64]:
            # Largest gap first; on equal gaps the higher rating of the "high" side first.
            order = np.lexsort((-np.nan_to_num(tiebreak), -score), axis=1)[:, :n]
            chosen = np.take_along_axis(score, order, axis=1)
            out = np.where(np.isfinite(chosen), order, -1)
            if out.shape[1] < n:
                out = np.pad(out, ((0, 0), (0, n - out.shape[1])), constant_values=-1)
            return out.astype(np.int64)

        return top(strength_score, others), top(blind_score, own)

    @staticmethod
    def _rwg(
        x: FloatArray,
        answered: NDArray[np.bool_],
        group_hot: NDArray[np.bool_],
        pool_i: NDArray[np.bool_],
        item_comp: NDArray[np.int64],
        n_k: int,
    ) -> FloatArray:
        """rwg(J) per candidate × competency over the raters pooled into "others"."""
        # A rater's answer counts if its group's cell for that item is shown (and not self).
        use = np.einsum("crg,cgi->cri", group_hot.astype(np.float64), pool_i.astype(np.float64))
        use = (use > 0) & answered
        n = use.sum(axis=1).astype(np.float64)  # (C,I)
        s1 = np.where(use, x, 0.0).sum(axis=1)
        s2 = np.where(use, x * x, 0.0).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            var = np.where(n >= 2, (s2 - s1 * s1 / np.where(n > 0, n, 1)) / (n - 1), np.nan)
        var = np.maximum(var, 0.0)
        comp_hot = (item_comp[:, None] == np.arange(n_k)).astype(np.float64)
        have = (~np.isnan(var)).astype(np.float64)
        mean_var = _masked_mean(np.nan_to_num(var) @ comp_hot, have @ comp_hot)
        j = have @ comp_hot
        # Agreement among fewer than three raters is not meaningful.
        enough = (n >= 3).astype(np.float64) @ comp_hot >= np.maximum(j, 1)
        return np.where(enough & (j > 0), rwg_j(mean_var, j), np.nan)

    @staticmethod
    def _icc(
        rater_comp: FloatArray,
        ok: NDArray[np.bool_],
        rated: NDArray[np.bool_],
        rg: NDArray[np.int64],
        is_self: NDArray[np.bool_],
        comps: tuple[str, ...],
    ) -> dict[str, tuple[float, float]]:
        """ICC(1)/ICC(2) per competency across candidates, non-self raters, ≥ 5 candidates."""
        nonself = rated & ~np.isin(rg, np.flatnonzero(is_self))
        out = {}
        for k, comp in enumerate(comps):
            icc1, icc2, used, _ = icc_oneway(rater_comp[:, :, k], ok[:, :, k] & nonself)
            out[comp] = (icc1, icc2) if used >= 5 else (math.nan, math.nan)
        return out

    @staticmethod
    def _index_from(
        group_comp: FloatArray, w: FloatArray, v: FloatArray, low: float, high: float
    ) -> FloatArray:
        """Promotability on 0–100 from group × competency means (NaN = not shown)."""
        use = ~np.isnan(group_comp) & (v[:, None] > 0)
        gw = np.where(use, v[:, None], 0.0)
        comp = _masked_mean((np.where(use, group_comp, 0.0) * gw).sum(axis=-2), gw.sum(axis=-2))
        have = ~np.isnan(comp)
        cw = np.where(have, w, 0.0)
        score = _masked_mean((np.where(have, comp, 0.0) * cw).sum(axis=-1), cw.sum(axis=-1))
        return (score - low) * (100.0 / (high - low))

    def _bootstrap(
        self,
        x: FloatArray,
        rg: NDArray[np.int64],
        rated: NDArray[np.bool_],
        cell_shown_i: NDArray[np.bool_],
        comp_hot: FloatArray,
        w: FloatArray,
        v: FloatArray,
        n_g: int,
    ) -> tuple[FloatArray, FloatArray]:
        """SE and percentile CI of the index by resampling raters within each group (seeded).

        Shown/hidden cells stay as in the real report; only the raters behind them vary.
        """
        n_c, n_r, n_i = x.shape
        nan_ci = np.full((n_c, 2), np.nan)
        if self.n_bootstrap <= 0 or n_r == 0:
            return np.full(n_c, np.nan), nan_ci
        key = np.where(rated, rg, n_g)  # unrated slots sort last, in a block of their own
        order = np.argsort(key, axis=1, kind="stable")
        key_s = np.take_along_axis(key, order, axis=1)
        x_s = np.take_along_axis(x, order[:, :, None], axis=1)
        counts = np.stack([(key_s == g).sum(axis=1) for g in range(n_g + 1)], axis=1)
        starts = np.cumsum(counts, axis=1) - counts
        start = np.take_along_axis(starts, key_s, axis=1)
        size = np.take_along_axis(counts, key_s, axis=1)
        ght = (key_s[:, None, :] == np.arange(n_g)[None, :, None]).astype(np.float64)  # (C,G,R)
        xz_s = np.nan_to_num(x_s)
        a_s = (~np.isnan(x_s)).astype(np.float64)
        shown = cell_shown_i.astype(np.float64)
        rng = np.random.default_rng(self.random_state)
        low, high = self.scale
        cand = np.arange(n_c)[None, :, None]
        chunk = max(1, int(8_000_000 // max(1, n_c * n_g * n_i)))
        draws = []
        for b0 in range(0, self.n_bootstrap, chunk):
            b = min(chunk, self.n_bootstrap - b0)
            pick = start[None] + (rng.random((b, n_c, n_r)) * size[None]).astype(np.int64)
            # How often each rater slot was drawn: resampled sums are count-weighted sums.
            flat = (np.arange(b)[:, None, None] * n_c + cand) * n_r + pick
            times = np.bincount(flat.ravel(), minlength=b * n_c * n_r).reshape(b, n_c, 1, n_r)
            # Candidate-major so each matmul is one (b·G × R) @ (R × I) product per candidate.
            weight = (ght[:, None] * times.transpose(1, 0, 2, 3)).reshape(n_c, b * n_g, n_r)
            gsum = np.matmul(weight, xz_s).reshape(n_c, b, n_g, n_i).transpose(1, 0, 2, 3)
            gn = np.matmul(weight, a_s).reshape(n_c, b, n_g, n_i).transpose(1, 0, 2, 3)
            item_ok = (gn > 0) * shown
            item_mean = np.where(item_ok > 0, gsum / np.where(gn > 0, gn, 1.0), 0.0)
            comp = _masked_mean(item_mean @ comp_hot, item_ok @ comp_hot)  # (b,C,G,K)
            draws.append(self._index_from(comp, w, v, low, high))
        boot = np.concatenate(draws, axis=0)  # (B,C)
        with warnings.catch_warnings(), np.errstate(invalid="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)  # candidates with no index
            se = np.nanstd(boot, axis=0, ddof=1)
            tail = (1 - self.confidence) / 2 * 100
            ci = np.nanpercentile(boot, [tail, 100 - tail], axis=0).T
        return se, ci


# --------------------------------------------------------------------------------------
# Fairness: four-fifths rule, aggregate only
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AdverseImpact:
    """Selection rates by group and the four-fifths check; small groups hidden."""

    groups: tuple[str, ...]
    n: tuple[int | None, ...]
    selected: tuple[int | None, ...]
    rate: tuple[float | None, ...]
    impact_ratio: tuple[float | None, ...]
    flagged: tuple[bool, ...]
    reference_group: str | None
    rule: str
    note: str


def adverse_impact(
    index: ArrayLike,
    membership: Sequence[str | None],
    *,
    cutoff: float | None = None,
    top_fraction: float | None = None,
    selected: ArrayLike | None = None,
    ratio_threshold: float = 0.8,
    policy: SuppressionPolicy | None = None,
) -> AdverseImpact:
    """Four-fifths rule on who would be selected by the promotability index, for HR only.

    Selection is ``index ≥ cutoff``, the top ``top_fraction`` of candidates, or an explicit
    ``selected`` mask. Group counts pass through ``suppress``; hidden groups get no rate and
    are left out of the comparison. Candidates with no group (None) count in no group.
    """
    idx = np.asarray(index, dtype=np.float64)
    if len(membership) != idx.size:
        raise ValueError("membership must list one group (or None) per candidate")
    if selected is not None:
        chosen = np.asarray(selected, dtype=bool)
        rule = "selected as given"
    elif cutoff is not None:
        chosen = idx >= cutoff
        rule = f"index ≥ {cutoff:g}"
    elif top_fraction is not None:
        k = int(math.ceil(top_fraction * np.sum(~np.isnan(idx))))
        order = np.argsort(-np.nan_to_num(idx, nan=-np.inf), kind="stable")
        chosen = np.zeros(idx.size, dtype=bool)
        chosen[order[:k]] = True
        rule = f"top {top_fraction:.0%} by index"
    else:
        raise ValueError("give cutoff, top_fraction or selected")
    labels = tuple(sorted({m for m in membership if m is not None}))
    code = np.array([labels.index(m) if m is not None else -1 for m in membership])
    valid = code >= 0
    n = np.bincount(code[valid], minlength=len(labels))
    sel = np.bincount(code[valid], weights=chosen[valid], minlength=len(labels)).astype(int)
    table = suppress(n, rows=list(labels), policy=policy or SuppressionPolicy())
    hidden = table.mask()
    rate = np.where(~hidden & (n > 0), sel / np.maximum(n, 1), np.nan)
    ref = int(np.nanargmax(rate)) if np.any(~np.isnan(rate)) else None
    best = rate[ref] if ref is not None else np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(best > 0, rate / best, np.nan)
    flagged = ~np.isnan(ratio) & (ratio < ratio_threshold)
    return AdverseImpact(
        groups=labels,
        n=tuple(None if h else int(x) for h, x in zip(hidden, n, strict=True)),
        selected=tuple(None if h else int(x) for h, x in zip(hidden, sel, strict=True)),
        rate=tuple(None if np.isnan(r) else float(r) for r in rate),
        impact_ratio=tuple(None if np.isnan(r) else float(r) for r in ratio),
        flagged=tuple(bool(f) for f in flagged),
        reference_group=labels[ref] if ref is not None else None,
        rule=rule,
        note=(
            f"A group's selection rate under {ratio_threshold:.0%} of the highest group's "
            "rate is flagged for review (four-fifths rule). Small groups are hidden and "
            "rates from few candidates are unstable; this is a screen, not a finding."
        ),
    )
