"""Coach matching (issue 11): optimal assignment of coachees to coaches, with reasons.

Fit between a coachee and a coach is a weighted average, in [0, 1], of five factors:

* ``needs``        cosine similarity of the coachee's needs profile and the coach's expertise
* ``role``         1 if the coach has held the coachee's role (e.g. "lieutenant", "city manager")
* ``agency_type``  1 if the coach has worked in the coachee's kind of agency
* ``language``     1 if they share a language (a hard requirement by default)
* ``location``     1 in the same region, ``virtual_score`` if both can meet virtually

Forbidden pairs (a coach's conflict agencies, staff-entered exclusions) are never proposed.
The optimal assignment expands each coach into ``capacity`` identical slots and solves the
rectangular assignment problem with ``scipy.optimize.linear_sum_assignment``; by default it
first matches as many coachees as possible, then maximizes total fit. A greedy baseline
(best remaining pair first) is provided for comparison. Every match carries a sentence
naming its strongest factors; every unmatched coachee carries the reason.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

__all__ = [
    "FACTORS",
    "Coach",
    "Coachee",
    "MatchWeights",
    "Match",
    "Unmatched",
    "MatchResult",
    "CoachMatcher",
    "fit_matrix",
]

FACTORS = ("needs", "role", "agency_type", "language", "location")


@dataclass(frozen=True)
class Coach:
    """A coach: experience, expertise (area → 0..1), languages, where and how they coach."""

    id: Hashable
    expertise: Mapping[str, float]
    roles: frozenset[str] = frozenset()
    agency_types: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset({"en"})
    region: str | None = None
    virtual: bool = True
    capacity: int = 1
    conflicts: frozenset[str] = frozenset()
    name: str = ""


@dataclass(frozen=True)
class Coachee:
    """A police leader or city/county manager with a needs profile (area → 0..1)."""

    id: Hashable
    needs: Mapping[str, float]
    role: str = ""
    agency_type: str = ""
    agency: str = ""
    languages: frozenset[str] = frozenset({"en"})
    region: str | None = None
    virtual_ok: bool = True
    name: str = ""


@dataclass(frozen=True)
class MatchWeights:
    """Relative weight of each fit factor (normalized to sum to 1)."""

    needs: float = 0.5
    role: float = 0.15
    agency_type: float = 0.1
    language: float = 0.1
    location: float = 0.15

    def vector(self) -> NDArray[np.float64]:
        """Weights in ``FACTORS`` order, summing to 1."""
        w = np.array([getattr(self, f) for f in FACTORS], dtype=np.float64)
        if np.any(w < 0) or w.sum() <= 0:
            raise ValueError("weights must be non-negative and not all zero")
        return w / w.sum()


@dataclass(frozen=True)
class Match:
    """One proposed (or staff-fixed) coachee–coach pair with its fit and reason."""

    coachee_id: Hashable
    coach_id: Hashable
    fit: float
    contributions: Mapping[str, float]
    reason: str
    fixed: bool = False


@dataclass(frozen=True)
class Unmatched:
    """A coachee left without a coach, and why."""

    coachee_id: Hashable
    reason: str
    compatible_coaches: int


@dataclass(frozen=True)
class MatchResult:
    """Proposed matches, unmatched coachees, totals and timing."""

    method: str
    matches: tuple[Match, ...]
    unmatched: tuple[Unmatched, ...]
    total_fit: float
    seconds: float
    n_coachees: int
    n_coaches: int
    capacity: int

    @property
    def mean_fit(self) -> float:
        """Average fit over matched coachees."""
        return self.total_fit / len(self.matches) if self.matches else 0.0

    def by_coachee(self) -> dict[Hashable, Match]:
        """Matches keyed by coachee id."""
        return {m.coachee_id: m for m in self.matches}


@dataclass
class _Factors:
    """Per-factor score matrices (coachees × coaches) and the feasibility mask."""

    scores: NDArray[np.float64]  # (n_factors, m, c)
    feasible: NDArray[np.bool_]
    areas: list[str]
    need_matrix: NDArray[np.float64]
    expertise_matrix: NDArray[np.float64]
    blocked_by: dict[str, NDArray[np.bool_]] = field(default_factory=dict)


def _vocabulary(values: Sequence[str]) -> dict[str, int]:
    """Stable code for each distinct string."""
    return {v: i for i, v in enumerate(dict.fromkeys(values))}


def _multi_hot(sets: Sequence[Collection[str]], vocab: dict[str, int]) -> NDArray[np.bool_]:
    """Rows of membership flags over a vocabulary."""
    out = np.zeros((len(sets), len(vocab)), dtype=bool)
    for i, s in enumerate(sets):
        for v in s:
            if v in vocab:
                out[i, vocab[v]] = True
    return out


def _factors(
    coachees: Sequence[Coachee],
    coaches: Sequence[Coach],
    *,
    areas: Sequence[str] | None,
    language: str,
    location: str,
    virtual_score: float,
    forbidden: Collection[tuple[Hashable, Hashable]],
) -> _Factors:
    """Vectorized factor scores for every pair."""
    m, c = len(coachees), len(coaches)
    if areas is None:
        keys: list[str] = []
        for p in coachees:
            keys.extend(p.needs)
        for q in coaches:
            keys.extend(q.expertise)
        areas = list(dict.fromkeys(keys))
    areas = list(areas)
    a_index = {a: i for i, a in enumerate(areas)}
    need = np.zeros((m, len(areas)))
    for i, p in enumerate(coachees):
        for a, v in p.needs.items():
            need[i, a_index[a]] = v
    expertise = np.zeros((c, len(areas)))
    for j, q in enumerate(coaches):
        for a, v in q.expertise.items():
            if a in a_index:
                expertise[j, a_index[a]] = v
    with np.errstate(invalid="ignore", divide="ignore"):
        nn = need / np.linalg.norm(need, axis=1, keepdims=True)
        ee = expertise / np.linalg.norm(expertise, axis=1, keepdims=True)
    needs_score = np.nan_to_num(nn) @ np.nan_to_num(ee).T

    role_vocab = _vocabulary([p.role for p in coachees])
    role_hot = _multi_hot([q.roles for q in coaches], role_vocab)
    role_score = role_hot[:, [role_vocab[p.role] for p in coachees]].T.astype(np.float64)

    type_vocab = _vocabulary([p.agency_type for p in coachees])
    type_hot = _multi_hot([q.agency_types for q in coaches], type_vocab)
    type_score = type_hot[:, [type_vocab[p.agency_type] for p in coachees]].T.astype(np.float64)

    lang_vocab = _vocabulary([lang for p in coachees for lang in p.languages])
    shared_language = (
        _multi_hot([p.languages for p in coachees], lang_vocab).astype(np.float32)
        @ _multi_hot([q.languages for q in coaches], lang_vocab).T.astype(np.float32)
    ) > 0
    language_score = shared_language.astype(np.float64)

    region_vocab = _vocabulary(
        [p.region or "" for p in coachees] + [q.region or "" for q in coaches]
    )
    p_region = np.array([region_vocab[p.region] if p.region else -1 for p in coachees])
    q_region = np.array([region_vocab[q.region] if q.region else -2 for q in coaches])
    same_region = p_region[:, None] == q_region[None, :]
    virtual = (
        np.array([p.virtual_ok for p in coachees])[:, None]
        & np.array([q.virtual for q in coaches])[None, :]
    )
    location_score = np.where(same_region, 1.0, np.where(virtual, virtual_score, 0.0))

    agency_vocab = _vocabulary([p.agency for p in coachees])
    conflict_hot = _multi_hot([q.conflicts for q in coaches], agency_vocab)
    conflict = conflict_hot[:, [agency_vocab[p.agency] for p in coachees]].T
    conflict = conflict & np.array([bool(p.agency) for p in coachees])[:, None]
    if forbidden:
        p_pos = {p.id: i for i, p in enumerate(coachees)}
        q_pos = {q.id: j for j, q in enumerate(coaches)}
        for pid, qid in forbidden:
            if pid in p_pos and qid in q_pos:
                conflict[p_pos[pid], q_pos[qid]] = True

    blocked = {"conflict": conflict}
    if language == "hard":
        blocked["language"] = ~shared_language
    if location == "hard":
        blocked["location"] = location_score <= 0
    feasible = np.ones((m, c), dtype=bool)
    for mask in blocked.values():
        feasible &= ~mask
    scores = np.stack([needs_score, role_score, type_score, language_score, location_score])
    return _Factors(scores, feasible, areas, need, expertise, blocked)


def fit_matrix(
    coachees: Sequence[Coachee],
    coaches: Sequence[Coach],
    weights: MatchWeights | None = None,
    **options: object,
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Fit (coachees × coaches, in [0, 1]) and the feasibility mask, for inspection or reuse."""
    matcher = CoachMatcher(weights=weights or MatchWeights(), **options)  # type: ignore[arg-type]
    factors = matcher._compute(coachees, coaches, forbidden=())
    return np.tensordot(matcher.weights.vector(), factors.scores, axes=1), factors.feasible


class CoachMatcher:
    """Propose coach assignments; scikit-learn style (parameters in ``__init__``, ``fit``).

    ``method`` is "optimal" (assignment problem) or "greedy" (best remaining pair first).
    ``coverage`` "max" first matches as many coachees as possible, then maximizes total fit;
    "fit" maximizes total fit alone. ``language`` and ``location`` are "hard" (a pair
    without a shared language / without a way to meet is never proposed) or "soft" (they
    only lower the fit). Pairs under ``min_fit`` are never proposed.
    """

    def __init__(
        self,
        *,
        weights: MatchWeights | None = None,
        method: str = "optimal",
        coverage: str = "max",
        language: str = "hard",
        location: str = "hard",
        virtual_score: float = 0.6,
        min_fit: float = 0.0,
        areas: Sequence[str] | None = None,
        reason_factors: int = 3,
    ) -> None:
        self.weights = weights or MatchWeights()
        self.method = method
        self.coverage = coverage
        self.language = language
        self.location = location
        self.virtual_score = virtual_score
        self.min_fit = min_fit
        self.areas = areas
        self.reason_factors = reason_factors

    def _compute(
        self,
        coachees: Sequence[Coachee],
        coaches: Sequence[Coach],
        forbidden: Collection[tuple[Hashable, Hashable]],
    ) -> _Factors:
        """Validate options and build factor matrices."""
        if self.method not in ("optimal", "greedy"):
            raise ValueError("method must be 'optimal' or 'greedy'")
        if self.coverage not in ("max", "fit"):
            raise ValueError("coverage must be 'max' or 'fit'")
        for name in ("language", "location"):
            if getattr(self, name) not in ("hard", "soft"):
                raise ValueError(f"{name} must be 'hard' or 'soft'")
        return _factors(
            coachees,
            coaches,
            areas=self.areas,
            language=self.language,
            location=self.location,
            virtual_score=self.virtual_score,
            forbidden=forbidden,
        )

    def fit(
        self,
        coachees: Sequence[Coachee],
        coaches: Sequence[Coach],
        *,
        forbidden: Collection[tuple[Hashable, Hashable]] = (),
        fixed: Mapping[Hashable, Hashable] | None = None,
    ) -> CoachMatcher:
        """Match ``coachees`` to ``coaches``; ``fixed`` keeps staff-confirmed pairs as they are.

        Sets ``result_`` (a ``MatchResult``), ``fit_`` (coachees × coaches) and
        ``feasible_``.
        """
        start = time.perf_counter()
        ids = [p.id for p in coachees]
        if len(set(ids)) != len(ids):
            raise ValueError("coachee ids must be unique")
        if len({q.id for q in coaches}) != len(coaches):
            raise ValueError("coach ids must be unique")
        factors = self._compute(coachees, coaches, forbidden)
        w = self.weights.vector()
        fit = np.tensordot(w, factors.scores, axes=1)
        feasible = factors.feasible & (fit >= self.min_fit)
        capacity = np.array([max(int(q.capacity), 0) for q in coaches], dtype=np.int64)

        fixed = dict(fixed or {})
        q_pos = {q.id: j for j, q in enumerate(coaches)}
        pairs: list[tuple[int, int, bool]] = []
        open_rows = np.ones(len(coachees), dtype=bool)
        for i, p in enumerate(coachees):
            if p.id in fixed:
                j = q_pos.get(fixed[p.id])
                if j is None:
                    raise ValueError(f"fixed coach {fixed[p.id]!r} for {p.id!r} is unknown")
                if factors.blocked_by["conflict"][i, j]:
                    # Staff may override fit, language or distance, never a conflict of interest.
                    raise ValueError(f"coach {fixed[p.id]!r} has a conflict with {p.id!r}")
                pairs.append((i, j, True))
                capacity[j] -= 1
                open_rows[i] = False
        capacity = np.maximum(capacity, 0)
        rows = np.flatnonzero(open_rows)
        if self.method == "optimal":
            found = self._optimal(fit[rows], feasible[rows], capacity)
        else:
            found = self._greedy(fit[rows], feasible[rows], capacity)
        pairs += [(int(rows[i]), int(j), False) for i, j in found]

        matches = [
            self._match(coachees[i], coaches[j], i, j, fit, factors, fixed_pair)
            for i, j, fixed_pair in sorted(pairs)
        ]
        matched_rows = {i for i, _, _ in pairs}
        used = np.bincount([j for _, j, _ in pairs], minlength=len(coaches))
        full = used >= np.array([max(int(q.capacity), 0) for q in coaches])
        unmatched = [
            self._why_unmatched(coachees[i], i, factors, feasible, fit, full, coaches)
            for i in range(len(coachees))
            if i not in matched_rows
        ]
        self.fit_ = fit
        self.feasible_ = feasible
        self.result_ = MatchResult(
            method=self.method,
            matches=tuple(matches),
            unmatched=tuple(unmatched),
            total_fit=float(sum(m.fit for m in matches)),
            seconds=time.perf_counter() - start,
            n_coachees=len(coachees),
            n_coaches=len(coaches),
            capacity=int(sum(max(int(q.capacity), 0) for q in coaches)),
        )
        return self

    def _optimal(
        self, fit: NDArray[np.float64], feasible: NDArray[np.bool_], capacity: NDArray[np.int64]
    ) -> list[tuple[int, int]]:
        """Assignment over capacity-expanded coach slots; infeasible slots cost nothing."""
        m = fit.shape[0]
        if m == 0 or capacity.sum() == 0:
            return []
        # Never give a coach more slots than there are coachees who could use them.
        useful = np.minimum(capacity, feasible.sum(axis=0))
        owner = np.repeat(np.arange(capacity.size), useful)
        if owner.size == 0:
            return []
        bonus = float(m + 1) if self.coverage == "max" else 0.0
        gain = np.where(feasible, fit + bonus, 0.0)
        # Drop rows with nothing feasible: they can only take a zero-gain slot.
        active = np.flatnonzero(feasible.any(axis=1))
        if active.size == 0:
            return []
        gain_slots = gain[np.ix_(active, owner)]
        r, s = linear_sum_assignment(gain_slots, maximize=True)
        ok = feasible[active[r], owner[s]]
        return [(int(active[i]), int(owner[k])) for i, k in zip(r[ok], s[ok], strict=True)]

    @staticmethod
    def _greedy(
        fit: NDArray[np.float64], feasible: NDArray[np.bool_], capacity: NDArray[np.int64]
    ) -> list[tuple[int, int]]:
        """Take the best remaining feasible pair while its coach has room."""
        rows, cols = np.nonzero(feasible)
        order = np.argsort(-fit[rows, cols], kind="stable")
        left = capacity.copy()
        taken = np.zeros(fit.shape[0], dtype=bool)
        out = []
        remaining = int(feasible.any(axis=1).sum())
        for k in order:
            i, j = rows[k], cols[k]
            if taken[i] or left[j] <= 0:
                continue
            taken[i] = True
            left[j] -= 1
            out.append((int(i), int(j)))
            remaining -= 1
            if remaining == 0:
                break
        return out

    def _match(
        self,
        coachee: Coachee,
        coach: Coach,
        i: int,
        j: int,
        fit: NDArray[np.float64],
        factors: _Factors,
        fixed_pair: bool,
    ) -> Match:
        """A match with its per-factor contributions and a sentence naming the top ones."""
        w = self.weights.vector()
        contributions = {f: float(w[k] * factors.scores[k, i, j]) for k, f in enumerate(FACTORS)}
        ranked = sorted(
            (f for f in FACTORS if contributions[f] > 1e-9), key=lambda f: -contributions[f]
        )
        phrases = [
            self._phrase(f, coachee, coach, i, j, factors) for f in ranked[: self.reason_factors]
        ]
        lead = "Kept as confirmed by staff" if fixed_pair else "Proposed"
        reason = f"{lead}; fit {fit[i, j]:.2f}: " + "; ".join(p for p in phrases if p) + "."
        if not phrases:
            reason = f"{lead}; fit {fit[i, j]:.2f}: the only coach available."
        return Match(coachee.id, coach.id, float(fit[i, j]), contributions, reason, fixed_pair)

    def _phrase(
        self, factor: str, coachee: Coachee, coach: Coach, i: int, j: int, factors: _Factors
    ) -> str:
        """Plain words for one factor of one pair."""
        if factor == "needs":
            overlap = factors.need_matrix[i] * factors.expertise_matrix[j]
            top = [factors.areas[k] for k in np.argsort(-overlap)[:2] if overlap[k] > 0]
            areas = " and ".join(a.replace("_", " ") for a in top)
            return f"expertise matches needs in {areas}" if areas else "expertise fits needs"
        if factor == "role":
            return f"has served as {coachee.role.replace('_', ' ')}"
        if factor == "agency_type":
            return f"knows {coachee.agency_type.replace('_', ' ')} agencies"
        if factor == "language":
            shared = sorted(set(coachee.languages) & set(coach.languages))
            return f"both speak {', '.join(shared)}"
        if factor == "location":
            same = coachee.region is not None and coachee.region == coach.region
            return f"same region ({coach.region})" if same else "can meet virtually"
        return factor

    def _why_unmatched(
        self,
        coachee: Coachee,
        i: int,
        factors: _Factors,
        feasible: NDArray[np.bool_],
        fit: NDArray[np.float64],
        full: NDArray[np.bool_],
        coaches: Sequence[Coach],
    ) -> Unmatched:
        """Name the constraint that left a coachee without a coach."""
        compatible = int(feasible[i].sum())
        if compatible:
            return Unmatched(
                coachee.id,
                "the one compatible coach is at capacity"
                if compatible == 1
                else f"all {compatible} compatible coaches are at capacity",
                compatible,
            )
        if not coaches:
            return Unmatched(coachee.id, "there are no coaches", 0)
        blocked = factors.blocked_by
        alive = np.ones(len(coaches), dtype=bool)
        for name, words in (
            ("language", f"no coach speaks {', '.join(sorted(coachee.languages))}"),
            ("location", f"no coach in {coachee.region or 'their region'} or available virtually"),
            ("conflict", "every otherwise suitable coach has a conflict with their agency"),
        ):
            if name in blocked:
                alive &= ~blocked[name][i]
                if not alive.any():
                    return Unmatched(coachee.id, words, 0)
        return Unmatched(
            coachee.id,
            f"no compatible coach reaches the minimum fit of {self.min_fit:.2f}",
            0,
        )
