"""Opinion groups and common ground from agree/disagree/pass votes, following Polis's math.

Read from `math/src/polismath/` of compdemocracy/polis (see shared/data/README.md):

- the vote matrix keeps the latest vote per (participant, statement); 1 agree, -1 disagree,
  0 pass; missing votes are imputed with the statement's mean for PCA, which after
  centring makes them exact zeros, so the centred matrix stays sparse;
- two principal components (randomized power iteration on the sparse centred matrix);
  participants are projected and scaled by sqrt(n_statements / n_votes_cast);
- only participants with at least min(7, n_statements) votes are clustered: 100 base
  clusters by k-means, then group clusters by weighted k-means on the base centres with
  k in 2..5 chosen by silhouette (weighted by base-cluster size); peacekit then refines
  the chosen groups with k-means on the participants, started from the group centres,
  which makes the groups far less dependent on the seed than the base clusters are;
- per group and statement: pa = (agree + 1) / (seen + 2), pd likewise, one-proportion
  z-tests (pat, pdt), ratio to the rest of the participants (ra, rd) and two-proportion
  z-tests (rat, rdt); representative statements need both tests above 1.2816 (90%,
  one-sided); group-informed consensus is the product over groups of pa (or pd).

Everything is deterministic for a given `random_state`; memory stays O(votes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

Z_90 = 1.2816


@dataclass
class VoteMatrix:
    """Latest votes as a participants × statements CSR matrix plus the ids of its axes.

    `matrix` stores 1 (agree), -1 (disagree) and explicit 0 (pass) for every vote cast; a
    missing entry means the participant did not vote on the statement. `moderated` marks
    statements moderated out: kept for counts, ignored by PCA (Polis zeroes them out).
    """

    participant_ids: np.ndarray
    statement_ids: np.ndarray
    matrix: sparse.csr_matrix
    moderated: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    @property
    def shape(self) -> tuple[int, int]:
        """(participants, statements)."""
        return self.matrix.shape

    def masks(self) -> tuple[sparse.csr_matrix, sparse.csr_matrix, sparse.csr_matrix]:
        """Indicator matrices (float32) of agree, disagree and any vote (seen)."""
        m = self.matrix
        seen = sparse.csr_matrix(
            (np.ones(m.nnz, dtype=np.float32), m.indices, m.indptr), shape=m.shape
        )
        agree = sparse.csr_matrix(
            ((m.data == 1).astype(np.float32), m.indices, m.indptr), shape=m.shape
        )
        disagree = sparse.csr_matrix(
            ((m.data == -1).astype(np.float32), m.indices, m.indptr), shape=m.shape
        )
        return agree, disagree, seen

    def votes_per_participant(self) -> np.ndarray:
        """Number of votes each participant cast."""
        return np.diff(self.matrix.indptr)


def build_vote_matrix(
    participant_ids: Sequence[Any] | np.ndarray,
    statement_ids: Sequence[Any] | np.ndarray,
    votes: Sequence[int] | np.ndarray,
    timestamps: Sequence[float] | np.ndarray | None = None,
    all_statement_ids: Sequence[Any] | np.ndarray | None = None,
    moderated_statement_ids: Sequence[Any] | np.ndarray = (),
) -> VoteMatrix:
    """Vote matrix from vote rows; the latest vote per (participant, statement) counts.

    Without `timestamps` the rows are taken to be in the order they were cast. Votes must
    be 1, -1 or 0. `all_statement_ids` adds statements nobody voted on yet.
    """
    pids = np.asarray(participant_ids)
    sids = np.asarray(statement_ids)
    values = np.asarray(votes)
    if not (len(pids) == len(sids) == len(values)):
        raise ValueError("participant_ids, statement_ids and votes must have the same length")
    if values.size and not np.isin(values, (-1, 0, 1)).all():
        raise ValueError("votes must be 1 (agree), -1 (disagree) or 0 (pass)")
    if timestamps is not None:
        stamps = np.asarray(timestamps)
        if len(stamps) != len(values):
            raise ValueError("timestamps must have one entry per vote")
        if len(stamps) > 1 and not bool(np.all(stamps[1:] >= stamps[:-1])):
            order = np.argsort(stamps, kind="stable")
            pids, sids, values = pids[order], sids[order], values[order]
    participants, p_index = _index(pids)
    if all_statement_ids is not None:
        statements = np.unique(np.concatenate([np.asarray(all_statement_ids), sids]))
        s_index = np.searchsorted(statements, sids)
    else:
        statements, s_index = _index(sids)
    n_p, n_s = len(participants), len(statements)
    key = p_index.astype(np.int64) * n_s + s_index.astype(np.int64)
    # Sort by (participant, statement), keeping the cast order within a pair; the last
    # row of each run of equal keys is the latest vote.
    order = np.argsort(key, kind="stable")
    sorted_keys = key[order]
    last = np.ones(len(order), dtype=bool)
    last[:-1] = sorted_keys[1:] != sorted_keys[:-1]
    unique_keys = sorted_keys[last]
    kept = values[order[last]].astype(np.int8)
    rows = unique_keys // n_s
    cols = (unique_keys % n_s).astype(np.int32)
    # Keys are sorted by (row, col): build CSR directly so explicit 0 (pass) stays.
    indptr = np.zeros(n_p + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_p), out=indptr[1:])
    matrix = sparse.csr_matrix((kept, cols, indptr), shape=(n_p, n_s))
    moderated = np.isin(statements, np.asarray(moderated_statement_ids))
    return VoteMatrix(participants, statements, matrix, moderated)


def _index(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct ids and each row's position among them.

    Small non-negative integer ids (the usual database keys) take an O(n) path through a
    presence table; anything else falls back to a sort.
    """
    if ids.dtype.kind in "iu" and len(ids) and ids.min() >= 0 and ids.max() < 4 * len(ids) + 1024:
        present = np.zeros(int(ids.max()) + 1, dtype=bool)
        present[ids] = True
        rank = np.cumsum(present) - 1
        return np.flatnonzero(present).astype(ids.dtype), rank[ids]
    return np.unique(ids, return_inverse=True)


def vote_matrix_from_dense(
    dense: np.ndarray,
    participant_ids: Sequence[Any] | None = None,
    statement_ids: Sequence[Any] | None = None,
    moderated_statement_ids: Sequence[Any] = (),
) -> VoteMatrix:
    """Vote matrix from a dense array with NaN for missing votes (small data and tests)."""
    dense = np.asarray(dense, dtype=np.float64)
    rows, cols = np.nonzero(~np.isnan(dense))
    pids = np.arange(dense.shape[0]) if participant_ids is None else np.asarray(participant_ids)
    sids = np.arange(dense.shape[1]) if statement_ids is None else np.asarray(statement_ids)
    return build_vote_matrix(
        pids[rows],
        sids[cols],
        dense[rows, cols].astype(np.int8),
        all_statement_ids=sids,
        moderated_statement_ids=moderated_statement_ids,
    )


def _weighted_silhouette(points: np.ndarray, weights: np.ndarray, labels: np.ndarray) -> float:
    """Silhouette of participants collapsed onto their base-cluster centres.

    Each centre stands for `weight` participants at the same spot, so this is the exact
    participant-level silhouette of that collapsed picture, at O(base²) cost.
    """
    distances = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(-1))
    groups = np.unique(labels)
    if len(groups) < 2:
        return -1.0
    weighted = distances * weights[None, :]
    totals = np.stack([weighted[:, labels == g].sum(axis=1) for g in groups], axis=1)
    sizes = np.array([weights[labels == g].sum() for g in groups])
    own = np.searchsorted(groups, labels)
    rows = np.arange(len(points))
    own_size = sizes[own]
    with np.errstate(divide="ignore", invalid="ignore"):
        a = totals[rows, own] / (own_size - 1.0)
        other = totals / sizes[None, :]
    other[rows, own] = np.inf
    b = other.min(axis=1)
    s = np.where(own_size > 1, (b - a) / np.maximum(np.maximum(a, b), 1e-12), 0.0)
    return float(np.sum(s * weights) / np.sum(weights))


class OpinionGroups:
    """PCA map and opinion groups of participants (Polis's method, scikit-learn style)."""

    def __init__(
        self,
        n_components: int = 2,
        min_votes: int = 7,
        n_base_clusters: int = 100,
        base_sample: int = 20_000,
        min_groups: int = 2,
        max_groups: int = 5,
        n_init: int = 10,
        power_iterations: int = 7,
        random_state: int | None = 0,
    ) -> None:
        self.n_components = n_components
        self.min_votes = min_votes
        self.n_base_clusters = n_base_clusters
        self.base_sample = base_sample
        self.min_groups = min_groups
        self.max_groups = max_groups
        self.n_init = n_init
        self.power_iterations = power_iterations
        self.random_state = random_state

    def fit(self, votes: VoteMatrix) -> OpinionGroups:
        """Project participants and find opinion groups."""
        n_p, n_s = votes.shape
        if n_p == 0 or n_s == 0:
            raise ValueError("the vote matrix is empty")
        self._fit_pca(votes)
        n_votes = votes.votes_per_participant()
        self.in_conversation_ = n_votes >= min(self.min_votes, n_s)
        self.labels_ = np.full(n_p, -1, dtype=np.int64)
        self.silhouette_scores_: dict[int, float] = {}
        clustered = np.flatnonzero(self.in_conversation_)
        if len(clustered) < 2:
            self.n_groups_ = 0
            self.base_labels_ = np.full(n_p, -1, dtype=np.int64)
            self.base_centers_ = np.zeros((0, self.n_components))
            return self
        self._fit_groups(clustered)
        return self

    def _fit_pca(self, votes: VoteMatrix) -> None:
        """Mean-imputed PCA of the vote matrix, computed on its sparse centred form."""
        m = votes.matrix
        n_p, n_s = m.shape
        active = ~votes.moderated if len(votes.moderated) == n_s else np.ones(n_s, dtype=bool)
        data = m.data.astype(np.float64)
        counts = np.bincount(m.indices, minlength=n_s)
        sums = np.bincount(m.indices, weights=data, minlength=n_s)
        means = np.divide(sums, counts, out=np.zeros(n_s), where=counts > 0)
        means[~active] = 0.0
        centred_data = (data - means[m.indices]) * active[m.indices]
        centred = sparse.csr_matrix((centred_data, m.indices, m.indptr), shape=m.shape)
        k = min(self.n_components, n_p, n_s)
        components = self._top_components(centred, k)
        # Deterministic orientation: the largest loading of each component is positive.
        signs = np.sign(components[np.arange(k), np.argmax(np.abs(components), axis=1)])
        components *= np.where(signs == 0, 1.0, signs)[:, None]
        projection = np.asarray(centred @ components.T)
        # Polis counts moderated statements as cast (zeroed) votes in this scaling.
        n_cast = np.diff(m.indptr).astype(np.float64)
        if not active.all():
            n_cast -= np.asarray(m[:, ~active].getnnz(axis=1)).ravel()
            n_cast += float((~active).sum())
        scale = np.sqrt(n_s / np.maximum(n_cast, 1.0))
        self.statement_means_ = means
        self.components_ = components
        self.projection_ = projection * scale[:, None]
        total = float(np.dot(centred.data, centred.data))
        explained = np.square(np.linalg.norm(projection, axis=0))
        self.explained_variance_ratio_ = explained / total if total > 0 else explained * 0

    def _top_components(self, centred: sparse.csr_matrix, k: int) -> np.ndarray:
        """Top-k right singular vectors by randomized subspace (power) iteration."""
        from sklearn.utils.extmath import randomized_svd

        if min(centred.shape) <= k + 1 or centred.nnz == 0:
            dense = centred.toarray()
            _, _, vt = np.linalg.svd(dense, full_matrices=False)
            out = np.zeros((k, centred.shape[1]))
            out[: min(k, vt.shape[0])] = vt[:k]
            return out
        _, _, vt = randomized_svd(
            centred,
            k,
            n_oversamples=10,
            n_iter=self.power_iterations,
            power_iteration_normalizer="QR",
            random_state=self.random_state,
        )
        return vt

    def _fit_groups(self, clustered: np.ndarray) -> None:
        """Base k-means on the map, then weighted group k-means with k by silhouette."""
        from sklearn.cluster import KMeans

        points = self.projection_[clustered]
        n_distinct = len(np.unique(points.round(12), axis=0))
        n_base = max(1, min(self.n_base_clusters, n_distinct))
        base = KMeans(n_base, n_init=1, random_state=self.random_state)
        if len(points) > self.base_sample:
            # Base clusters only summarise the map: fit them on a seeded sample and place
            # everyone else, which keeps 100,000 participants cheap.
            rng = np.random.default_rng(self.random_state)
            sample = np.sort(rng.choice(len(points), self.base_sample, replace=False))
            base_labels = base.fit(points[sample]).predict(points)
        else:
            base_labels = base.fit(points).labels_
        centers = base.cluster_centers_
        weights = np.bincount(base_labels, minlength=n_base).astype(np.float64)
        keep = weights > 0
        remap = np.cumsum(keep) - 1
        centers, weights, base_labels = centers[keep], weights[keep], remap[base_labels]
        best: tuple[float, np.ndarray] | None = None
        upper = min(self.max_groups, len(centers) - 1)
        for k in range(self.min_groups, upper + 1):
            model = KMeans(k, n_init=self.n_init, random_state=self.random_state)
            labels = model.fit(centers, sample_weight=weights).labels_
            score = _weighted_silhouette(centers, weights, labels)
            self.silhouette_scores_[k] = round(score, 6)
            if best is None or score > best[0] + 1e-12:
                best = (score, labels)
        group_of_base = best[1] if best is not None else np.zeros(len(centers), dtype=np.int64)
        participant_groups = group_of_base[base_labels]
        k = int(group_of_base.max()) + 1
        if k > 1:
            # Refine on the participants themselves from the group centres: the base
            # clusters move with the seed, the participant-level optimum much less.
            start = np.stack([points[participant_groups == g].mean(axis=0) for g in range(k)])
            refined = KMeans(k, init=start, n_init=1, tol=0.0, random_state=self.random_state)
            refined.fit(points)
            # Also try k-means++ starts on the participants; keep the lowest inertia, so the
            # result is the same optimum whatever the seed or the base clusters were.
            fresh = KMeans(k, n_init=self.n_init, tol=0.0, random_state=self.random_state)
            fresh.fit(points)
            better = fresh if fresh.inertia_ < refined.inertia_ * (1 - 1e-9) else refined
            participant_groups = better.labels_
        # Number groups by size (largest first), ties by position on the map.
        ids = np.unique(participant_groups)
        sizes = np.array([(participant_groups == g).sum() for g in ids])
        xs = np.array([points[participant_groups == g, 0].mean() for g in ids])
        order = sorted(range(len(ids)), key=lambda i: (-sizes[i], xs[i]))
        relabel = np.empty(ids.max() + 1, dtype=np.int64)
        relabel[ids[order]] = np.arange(len(ids))
        self.labels_[clustered] = relabel[participant_groups]
        self.base_labels_ = np.full(len(self.projection_), -1, dtype=np.int64)
        self.base_labels_[clustered] = base_labels
        self.base_centers_ = centers
        self.n_groups_ = len(ids)


@dataclass
class GroupStatementStats:
    """Polis's per-group statement statistics; arrays are (groups × statements)."""

    group_ids: np.ndarray
    n_agree: np.ndarray
    n_disagree: np.ndarray
    n_seen: np.ndarray
    p_agree: np.ndarray
    p_disagree: np.ndarray
    p_agree_test: np.ndarray
    p_disagree_test: np.ndarray
    r_agree: np.ndarray
    r_disagree: np.ndarray
    r_agree_test: np.ndarray
    r_disagree_test: np.ndarray
    consensus_agree: np.ndarray
    consensus_disagree: np.ndarray


def one_proportion_z(successes: np.ndarray, trials: np.ndarray) -> np.ndarray:
    """Polis's one-proportion test against 1/2 with a pseudo-count of one."""
    s = np.asarray(successes, dtype=np.float64) + 1.0
    n = np.asarray(trials, dtype=np.float64) + 1.0
    return 2.0 * np.sqrt(n) * (s / n - 0.5)


def two_proportion_z(
    succ_in: np.ndarray, n_in: np.ndarray, succ_out: np.ndarray, n_out: np.ndarray
) -> np.ndarray:
    """Polis's two-proportion test (group vs rest) with pseudo-counts of one."""
    s1 = np.asarray(succ_in, dtype=np.float64) + 1.0
    s2 = np.asarray(succ_out, dtype=np.float64) + 1.0
    n1 = np.asarray(n_in, dtype=np.float64) + 1.0
    n2 = np.asarray(n_out, dtype=np.float64) + 1.0
    pooled = (s1 + s2) / (n1 + n2)
    denominator = np.sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (s1 / n1 - s2 / n2) / denominator
    return np.where(pooled >= 1.0, 0.0, np.nan_to_num(z))


def group_statement_stats(votes: VoteMatrix, labels: np.ndarray) -> GroupStatementStats:
    """Counts, probabilities, representativeness and consensus for each group × statement.

    Participants labelled -1 (not clustered) count neither in a group nor in "the rest".
    """
    labels = np.asarray(labels)
    in_groups = labels >= 0
    group_ids = np.unique(labels[in_groups])
    agree, disagree, seen = votes.masks()
    index = np.searchsorted(group_ids, labels[in_groups])
    rows = np.flatnonzero(in_groups)
    indicator = sparse.csr_matrix(
        (np.ones(len(rows)), (index, rows)), shape=(len(group_ids), votes.shape[0])
    )
    na = np.asarray((indicator @ agree).todense())
    nd = np.asarray((indicator @ disagree).todense())
    ns = np.asarray((indicator @ seen).todense())
    na_rest, nd_rest, ns_rest = na.sum(0) - na, nd.sum(0) - nd, ns.sum(0) - ns
    pa, pd_ = (na + 1) / (ns + 2), (nd + 1) / (ns + 2)
    pa_rest, pd_rest = (na_rest + 1) / (ns_rest + 2), (nd_rest + 1) / (ns_rest + 2)
    return GroupStatementStats(
        group_ids=group_ids,
        n_agree=na.astype(np.int64),
        n_disagree=nd.astype(np.int64),
        n_seen=ns.astype(np.int64),
        p_agree=pa,
        p_disagree=pd_,
        p_agree_test=one_proportion_z(na, ns),
        p_disagree_test=one_proportion_z(nd, ns),
        r_agree=pa / pa_rest,
        r_disagree=pd_ / pd_rest,
        r_agree_test=two_proportion_z(na, ns, na_rest, ns_rest),
        r_disagree_test=two_proportion_z(nd, ns, nd_rest, ns_rest),
        consensus_agree=pa.prod(axis=0),
        consensus_disagree=pd_.prod(axis=0),
    )


@dataclass
class StatementFinding:
    """One statement picked as representative, consensus, divisive or common ground."""

    statement_id: Any
    direction: str  # "agree" or "disagree"
    score: float
    n_success: int = 0
    n_trials: int = 0
    p_success: float = 0.0
    p_test: float = 0.0
    repness: float = 0.0
    repness_test: float = 0.0
    detail: dict = field(default_factory=dict)


def representative_statements(
    votes: VoteMatrix,
    stats: GroupStatementStats,
    pick_max: int = 5,
    z: float = Z_90,
) -> dict[int, list[StatementFinding]]:
    """Per group, the statements that set it apart (Polis's selection, agrees first).

    A statement qualifies when pa (or pd) and its ratio to the rest are both significant
    (z > 1.2816); qualifiers are ranked by ra · rat · pa · pat. Polis also heads the list with
    the group's best agreed statement so every group has at least one.
    """
    active = ~votes.moderated if len(votes.moderated) == votes.shape[1] else None
    result: dict[int, list[StatementFinding]] = {}
    for gi, gid in enumerate(stats.group_ids):

        def finding(c: int, gi: int = gi) -> StatementFinding:
            use_agree = stats.r_agree_test[gi, c] > stats.r_disagree_test[gi, c]
            if use_agree:
                parts = (
                    stats.n_agree,
                    stats.p_agree,
                    stats.p_agree_test,
                    stats.r_agree,
                    stats.r_agree_test,
                )
            else:
                parts = (
                    stats.n_disagree,
                    stats.p_disagree,
                    stats.p_disagree_test,
                    stats.r_disagree,
                    stats.r_disagree_test,
                )
            n, p, pt, r, rt = (float(a[gi, c]) for a in parts)
            return StatementFinding(
                statement_id=_plain(votes.statement_ids[c]),
                direction="agree" if use_agree else "disagree",
                score=r * rt * p * pt,
                n_success=int(n),
                n_trials=int(stats.n_seen[gi, c]),
                p_success=p,
                p_test=pt,
                repness=r,
                repness_test=rt,
            )

        candidates = np.arange(votes.shape[1])
        if active is not None:
            candidates = candidates[active]
        best_agree = _best_agree(stats, gi, candidates, z)
        agree_ok = (stats.p_agree_test[gi] > z) & (stats.r_agree_test[gi] > z)
        disagree_ok = (stats.p_disagree_test[gi] > z) & (stats.r_disagree_test[gi] > z)
        significant = [int(c) for c in candidates if agree_ok[c] or disagree_ok[c]]
        picked = sorted((finding(c) for c in significant), key=lambda f: -f.score)
        head: list[StatementFinding] = []
        if best_agree is not None:
            # As in Polis, the head is reported in whichever direction its repness test is
            # stronger, even though it was chosen as the group's best agreed statement.
            head = [finding(best_agree)]
            head[0].detail = {"best_agree": True}
        elif not picked and len(candidates):
            tests = np.maximum(stats.r_agree_test[gi], stats.r_disagree_test[gi])[candidates]
            head = [finding(int(candidates[int(np.argmax(tests))]))]
        rest = [f for f in picked if not head or f.statement_id != head[0].statement_id]
        chosen = (head + rest)[:pick_max]
        # Agrees before disagrees, stable otherwise (as Polis presents them).
        result[int(gid)] = sorted(chosen, key=lambda f: f.direction)
    return result


def _best_agree(
    stats: GroupStatementStats, gi: int, candidates: np.ndarray, z: float
) -> int | None:
    """Polis's best-agree scan: the most representative well-agreed statement of a group."""
    best: int | None = None
    for c in candidates:
        if stats.n_agree[gi, c] == 0 and stats.n_disagree[gi, c] == 0:
            continue
        pa, pat = stats.p_agree[gi, c], stats.p_agree_test[gi, c]
        ra, rat = stats.r_agree[gi, c], stats.r_agree_test[gi, c]
        if best is None:
            if pat > z or (ra > 1.0 and pa > 0.5):
                best = int(c)
            continue
        if stats.r_agree[gi, best] > 1.0:
            metric_best = (
                stats.r_agree[gi, best]
                * stats.r_agree_test[gi, best]
                * stats.p_agree[gi, best]
                * stats.p_agree_test[gi, best]
            )
            if ra * rat * pa * pat > metric_best:
                best = int(c)
        elif pa * pat > stats.p_agree[gi, best] * stats.p_agree_test[gi, best]:
            best = int(c)
    return best


def _active_columns(votes: VoteMatrix) -> np.ndarray:
    """Indices of statements not moderated out."""
    n_s = votes.shape[1]
    if len(votes.moderated) != n_s:
        return np.arange(n_s)
    return np.flatnonzero(~votes.moderated)


def consensus_statements(
    votes: VoteMatrix, stats: GroupStatementStats, top_n: int = 5
) -> dict[str, list[StatementFinding]]:
    """Statements all groups agree (or disagree) on, by group-informed consensus."""
    out: dict[str, list[StatementFinding]] = {}
    active = _active_columns(votes)
    for direction, gac, p in (
        ("agree", stats.consensus_agree, stats.p_agree),
        ("disagree", stats.consensus_disagree, stats.p_disagree),
    ):
        # Only statements every group leans towards (p > 1/2) count as common ground.
        eligible = active[(p[:, active] > 0.5).all(axis=0)]
        order = eligible[np.lexsort((eligible, -gac[eligible]))][:top_n]
        out[direction] = [
            StatementFinding(
                statement_id=_plain(votes.statement_ids[c]),
                direction=direction,
                score=float(gac[c]),
                n_trials=int(stats.n_seen[:, c].sum()),
                detail={
                    "by_group": {int(g): float(p[i, c]) for i, g in enumerate(stats.group_ids)}
                },
            )
            for c in order
        ]
    return out


def divisive_statements(
    votes: VoteMatrix, stats: GroupStatementStats, top_n: int = 5, min_seen: int = 3
) -> list[StatementFinding]:
    """Statements that split the groups most: the widest gap in agreement between groups.

    Agreement is pa - pd per group; a statement needs `min_seen` votes in each group.
    """
    active = _active_columns(votes)
    if len(stats.group_ids) < 2:
        return []
    lean = stats.p_agree - stats.p_disagree
    enough = (stats.n_seen >= min_seen).all(axis=0)
    cols = active[enough[active]]
    gap = lean[:, cols].max(axis=0) - lean[:, cols].min(axis=0)
    order = cols[np.lexsort((cols, -gap))][:top_n]
    return [
        StatementFinding(
            statement_id=_plain(votes.statement_ids[c]),
            direction="split",
            score=float(lean[:, c].max() - lean[:, c].min()),
            n_trials=int(stats.n_seen[:, c].sum()),
            detail={
                "most_agree_group": int(stats.group_ids[int(np.argmax(lean[:, c]))]),
                "least_agree_group": int(stats.group_ids[int(np.argmin(lean[:, c]))]),
                "by_group": {int(g): float(lean[i, c]) for i, g in enumerate(stats.group_ids)},
            },
        )
        for c in order
    ]


def common_ground(
    votes: VoteMatrix,
    first: np.ndarray,
    second: np.ndarray,
    z: float = Z_90,
    min_seen: int = 1,
) -> list[StatementFinding]:
    """Statements on which two participant subsets (e.g. residents and officers) both agree.

    `first` and `second` are boolean masks (or index arrays) over participants. A statement
    counts when pa > 1/2 with z > 1.2816 in both subsets; they are ranked by pa₁ · pa₂, the
    group-informed consensus of the two subsets. Statements both sides reject come back
    with direction "disagree", ranked the same way on pd.
    """
    n_p = votes.shape[0]
    labels = np.full(n_p, -1, dtype=np.int64)
    first_mask = _as_mask(first, n_p)
    second_mask = _as_mask(second, n_p)
    if (first_mask & second_mask).any():
        raise ValueError("a participant cannot be in both subsets")
    labels[first_mask], labels[second_mask] = 0, 1
    if not first_mask.any() or not second_mask.any():
        return []
    stats = group_statement_stats(votes, labels)
    active = _active_columns(votes)
    found: list[StatementFinding] = []
    for direction, p, pt, n in (
        ("agree", stats.p_agree, stats.p_agree_test, stats.n_agree),
        ("disagree", stats.p_disagree, stats.p_disagree_test, stats.n_disagree),
    ):
        ok = (p > 0.5).all(axis=0) & (pt > z).all(axis=0) & (stats.n_seen >= min_seen).all(axis=0)
        cols = active[ok[active]]
        for c in cols:
            found.append(
                StatementFinding(
                    statement_id=_plain(votes.statement_ids[c]),
                    direction=direction,
                    score=float(p[0, c] * p[1, c]),
                    n_success=int(n[:, c].sum()),
                    n_trials=int(stats.n_seen[:, c].sum()),
                    detail={
                        "first": {
                            "p": float(p[0, c]),
                            "z": float(pt[0, c]),
                            "n": int(stats.n_seen[0, c]),
                        },
                        "second": {
                            "p": float(p[1, c]),
                            "z": float(pt[1, c]),
                            "n": int(stats.n_seen[1, c]),
                        },
                    },
                )
            )
    return sorted(found, key=lambda f: (f.direction != "agree", -f.score, str(f.statement_id)))


def _plain(value: Any) -> Any:
    """A numpy scalar as the matching Python value (ids travel as plain data)."""
    return value.item() if isinstance(value, np.generic) else value


def _as_mask(selection: np.ndarray, n: int) -> np.ndarray:
    """Boolean mask from a mask or an index array."""
    selection = np.asarray(selection)
    if selection.dtype == bool:
        if len(selection) != n:
            raise ValueError("a participant mask must cover every participant")
        return selection
    mask = np.zeros(n, dtype=bool)
    mask[selection.astype(np.int64)] = True
    return mask


@dataclass
class OpinionReport:
    """Everything the common-ground page shows, as plain data."""

    participant_ids: np.ndarray
    projection: np.ndarray
    group_labels: np.ndarray
    n_groups: int
    silhouette_scores: dict[int, float]
    stats: GroupStatementStats
    representative: dict[int, list[StatementFinding]]
    consensus: dict[str, list[StatementFinding]]
    divisive: list[StatementFinding]


def analyze_votes(
    votes: VoteMatrix, random_state: int | None = 0, pick_max: int = 5, **params: Any
) -> OpinionReport:
    """Groups, representative, consensus and divisive statements in one call."""
    model = OpinionGroups(random_state=random_state, **params).fit(votes)
    stats = group_statement_stats(votes, model.labels_)
    return OpinionReport(
        participant_ids=votes.participant_ids,
        projection=model.projection_,
        group_labels=model.labels_,
        n_groups=model.n_groups_,
        silhouette_scores=model.silhouette_scores_,
        stats=stats,
        representative=representative_statements(votes, stats, pick_max=pick_max),
        consensus=consensus_statements(votes, stats, top_n=pick_max),
        divisive=divisive_statements(votes, stats, top_n=pick_max),
    )
