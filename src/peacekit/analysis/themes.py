"""Theme discovery over statement embeddings: every statement gets a theme and a confidence.

Method (see docs/decisions/0005-themes-ward-spherical-kmeans.md and
docs/decisions/0013-themes-hybrid-key-words.md):
0. When texts are given, the clustering space is the unit embedding concatenated with a
   unit LSA vector of the statement's key words (TF-IDF of word 1–2-grams, sublinear tf,
   English stop words and corpus-wide boilerplate removed), weighted `text_weight`.
   Statements that share category-like phrases then sit closer than sentence embeddings
   of templated text alone put them. Without texts (or too little vocabulary), the
   embeddings alone are used.
1. Ward linkage on the unit-length rows (on a seeded sample of at most
   `max_tree_size` statements when there are more) gives a hierarchy of candidate themes.
2. For each number of themes k in [min_themes, max_themes] the tree is cut into k groups
   and their centroids seed a spherical k-means over all statements.
3. k is the one with the highest mean silhouette (cosine distance, exact, computed from
   cluster sums in O(n·d·k)). No labels are ever used.
4. Final reassignment in the embedding space: each theme's centroid is the unit mean of
   its members' embeddings and each statement belongs to the most similar one, so
   `assign` on the same embeddings reproduces the fit and new statements (which have an
   embedding but no place in this corpus's key-word space) are placed the same way;
   confidence is the softmax of cosine similarities to all centroids at `temperature`.
5. Labels are class-based TF-IDF key phrases (summarize.group_key_phrases); quotes are
   picked by maximal marginal relevance to the centroid: central and mutually different.

There is no outlier bin: a statement far from every theme still joins its nearest one, and
its low confidence says so.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

from peacekit.analysis.summarize import group_key_phrases, mmr, phrase_label, trim

DEFAULT_TEMPERATURE = 0.05
#: Key-word view: LSA dimensions, the document share above which a term is boilerplate,
#: and the vocabulary cap (most frequent terms) that keeps the exact SVD cheap.
TEXT_DIMENSIONS = 100
TEXT_MAX_DF = 0.3
TEXT_MAX_TERMS = 2000


@dataclass
class Theme:
    """One theme: its label, description, size and representative statements."""

    theme_id: int
    label: str
    key_phrases: list[str]
    description: str
    count: int
    share: float
    mean_confidence: float
    representative_indices: list[int] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Plain-data form for storage or JSON."""
        return asdict(self)


def _unit(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length, float32 (zero rows stay zero)."""
    matrix = np.asarray(matrix, dtype=np.float32)
    if matrix.ndim != 2:
        raise ValueError("embeddings must be a 2-D array (statements × dimensions)")
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def theme_centroids(
    embeddings: np.ndarray, labels: Sequence[int] | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Theme ids (sorted) and their unit-length mean embeddings."""
    unit = _unit(embeddings)
    labels = np.asarray(labels)
    ids = np.unique(labels)
    centroids = np.stack([unit[labels == t].mean(axis=0) for t in ids]) if len(ids) else unit[:0]
    return ids, _unit(centroids)


def assign(
    new_embeddings: np.ndarray,
    centroids: np.ndarray,
    theme_ids: Sequence[int] | np.ndarray | None = None,
    temperature: float = DEFAULT_TEMPERATURE,
) -> tuple[np.ndarray, np.ndarray]:
    """Nearest theme (by cosine) for each new statement, and its confidence in [0, 1].

    `centroids` may come from a fit or from analyst-edited themes (`theme_centroids`);
    `theme_ids[j]` names the theme of row j of `centroids` (default: 0..k-1).
    """
    unit = _unit(new_embeddings)
    cents = _unit(centroids)
    if cents.shape[0] == 0:
        raise ValueError("at least one theme centroid is needed")
    ids = np.arange(cents.shape[0]) if theme_ids is None else np.asarray(theme_ids)
    if len(ids) != cents.shape[0]:
        raise ValueError("theme_ids must name every centroid row")
    if unit.shape[0] == 0:
        return ids[:0].copy(), np.zeros(0, dtype=np.float32)
    probabilities = _softmax(unit @ cents.T, temperature)
    best = np.argmax(probabilities, axis=1)
    confidence = probabilities[np.arange(len(best)), best].astype(np.float32)
    return ids[best], confidence


def _softmax(similarity: np.ndarray, temperature: float) -> np.ndarray:
    """Row-wise softmax of similarities divided by `temperature`."""
    scaled = similarity.astype(np.float64) / max(temperature, 1e-6)
    scaled -= scaled.max(axis=1, keepdims=True)
    weights = np.exp(scaled)
    return weights / weights.sum(axis=1, keepdims=True)


def spherical_kmeans(
    unit: np.ndarray, initial: np.ndarray, max_iter: int = 100
) -> tuple[np.ndarray, np.ndarray]:
    """Lloyd iterations on the unit sphere from `initial` centroids; deterministic.

    A theme that loses all its statements is re-seeded with the statement that fits its
    own theme worst, so the number of themes stays as asked.
    """
    cents = _unit(initial)
    k = cents.shape[0]
    labels = np.argmax(unit @ cents.T, axis=1)
    for _ in range(max_iter):
        counts = np.bincount(labels, minlength=k)
        for empty in np.flatnonzero(counts == 0):
            fit = (unit @ cents.T)[np.arange(len(labels)), labels]
            donors = np.flatnonzero(np.bincount(labels, minlength=k)[labels] > 1)
            worst = donors[np.argmin(fit[donors])]
            labels[worst] = empty
        cents = _unit(_cluster_sums(unit, labels, k))
        new_labels = np.argmax(unit @ cents.T, axis=1)
        if np.array_equal(new_labels, labels):
            break
        labels = new_labels
    return labels, cents


def _cluster_sums(unit: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Sum of the rows of each cluster, as a (k, d) array."""
    # A dense one-hot product is one BLAS call; k × n stays small (k ≤ a few dozen).
    indicator = np.zeros((k, unit.shape[0]), dtype=unit.dtype)
    indicator[labels, np.arange(unit.shape[0])] = 1.0
    return indicator @ unit


def cosine_silhouette(unit: np.ndarray, labels: np.ndarray) -> float:
    """Exact mean silhouette with cosine distance, in O(n·d·k) instead of O(n²).

    For unit vectors the mean cosine distance from x to a cluster C is 1 - x·sum(C)/|C|,
    so no pairwise matrix is needed; a statement's own cluster excludes itself, and
    statements alone in their theme score 0, as in scikit-learn.
    """
    ids, labels = np.unique(labels, return_inverse=True)
    k = len(ids)
    n = unit.shape[0]
    if k < 2 or k >= n:
        return -1.0
    sizes = np.bincount(labels, minlength=k).astype(np.float64)
    similarity = (unit @ _cluster_sums(unit, labels, k).T).astype(np.float64)
    rows = np.arange(n)
    own_size = sizes[labels]
    self_similarity = np.einsum("ij,ij->i", unit, unit).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = 1.0 - (similarity[rows, labels] - self_similarity) / (own_size - 1.0)
        other = 1.0 - similarity / sizes
    other[rows, labels] = np.inf
    b = other.min(axis=1)
    score = np.where(own_size > 1, (b - a) / np.maximum(np.maximum(a, b), 1e-12), 0.0)
    return float(np.mean(score))


def _condensed_euclidean(rows: np.ndarray) -> np.ndarray:
    """Pairwise Euclidean distances in condensed form, through one matrix product.

    Much faster than scipy's pdist for embedding-sized rows; Ward linkage accepts it.
    """
    from scipy.spatial.distance import squareform

    rows = np.asarray(rows, dtype=np.float32)
    squared = np.einsum("ij,ij->i", rows, rows)
    # In place, in float32: the product dominates and is twice as fast as in float64.
    d2 = rows @ rows.T
    d2 *= -2.0
    d2 += squared[:, None]
    d2 += squared[None, :]
    np.maximum(d2, 0.0, out=d2)
    np.fill_diagonal(d2, 0.0)
    np.sqrt(d2, out=d2)
    return squareform(d2, checks=False).astype(np.float64)


def key_word_vectors(texts: Sequence[str]) -> np.ndarray | None:
    """Unit LSA vectors of each text's key words, or None when the corpus has too few.

    TF-IDF of word 1–2-grams (sublinear tf, accents stripped, English stop words dropped,
    terms in fewer than 2 texts or in more than TEXT_MAX_DF of them dropped as noise or
    boilerplate; at most TEXT_MAX_TERMS, the most frequent), projected on the top
    TEXT_DIMENSIONS right singular vectors (latent semantic analysis).

    The singular vectors come from an exact eigendecomposition of the small term × term
    Gram matrix, so the result is seed-free (a sign flip of a component changes no cosine)
    and takes well under a second for a few thousand statements.
    """
    from scipy.linalg import eigh
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [t or "" for t in texts]
    if len(texts) < 20:
        return None
    vectorizer = TfidfVectorizer(
        sublinear_tf=True,
        ngram_range=(1, 2),
        stop_words="english",
        min_df=2,
        max_df=TEXT_MAX_DF,
        max_features=TEXT_MAX_TERMS,
        strip_accents="unicode",
        dtype=np.float64,
    )
    try:
        tfidf = vectorizer.fit_transform(texts)
    except ValueError:  # no term survives the filters
        return None
    n_terms = tfidf.shape[1]
    dims = min(TEXT_DIMENSIONS, tfidf.shape[0] - 1, n_terms - 1)
    if dims < 2:
        return None
    gram = (tfidf.T @ tfidf).toarray()
    _, vectors = eigh(gram, subset_by_index=[n_terms - dims, n_terms - 1])
    reduced = np.asarray(tfidf @ vectors[:, ::-1])
    return _unit(reduced)


def default_theme_range(n_statements: int) -> tuple[int, int]:
    """Readable bounds on the number of themes: up to about sqrt(n / 2) (at most 20), and at
    least a third of that, so thousands of statements are not squeezed into two themes."""
    upper = int(min(20, max(2, round(math.sqrt(n_statements / 2)))))
    return max(2, upper // 3), upper


class ThemeModel:
    """Discover themes in statement embeddings (scikit-learn style estimator)."""

    def __init__(
        self,
        n_themes: int | None = None,
        min_themes: int | None = None,
        max_themes: int | None = None,
        max_tree_size: int = 4000,
        n_representatives: int = 3,
        diversity: float = 0.3,
        n_key_phrases: int = 5,
        temperature: float = DEFAULT_TEMPERATURE,
        random_state: int | None = 0,
        text_weight: float = 1.0,
    ) -> None:
        self.n_themes = n_themes
        self.min_themes = min_themes
        self.max_themes = max_themes
        self.max_tree_size = max_tree_size
        self.n_representatives = n_representatives
        self.diversity = diversity
        self.n_key_phrases = n_key_phrases
        self.temperature = temperature
        self.random_state = random_state
        self.text_weight = text_weight

    def fit(self, embeddings: np.ndarray, texts: Sequence[str] | None = None) -> ThemeModel:
        """Find themes; `texts` (redacted, one per row) are used only for labels."""
        unit = _unit(embeddings)
        n = unit.shape[0]
        if texts is not None and len(texts) != n:
            raise ValueError("texts must have one entry per embedding row")
        if n == 0:
            raise ValueError("no statements to analyse")
        rng = np.random.default_rng(self.random_state)
        candidates = self._candidate_counts(unit)
        self.selection_scores_: dict[int, float] = {}
        self.uses_text_ = False
        if candidates == [1]:
            labels = np.zeros(n, dtype=np.int64)
        else:
            space = unit
            words = None
            if texts is not None and self.text_weight > 0:
                words = key_word_vectors(texts)
            self.uses_text_ = words is not None
            if words is not None:
                space = _unit(np.hstack([unit, np.float32(self.text_weight) * words]))
            labels, _ = self._select(space, candidates, rng)
        # Centroids in the embedding space; every statement joins its nearest one.
        _, cents = theme_centroids(unit, labels)
        labels = np.argmax(unit @ cents.T, axis=1)
        kept = np.unique(labels)
        cents = cents[kept]
        labels = np.searchsorted(kept, labels)
        # Number themes by size (largest first) so ids read naturally and are stable.
        order = sorted(range(cents.shape[0]), key=lambda t: (-int(np.sum(labels == t)), t))
        self.centroids_ = cents[order]
        self.theme_ids_ = np.arange(len(order))
        self.labels_, self.confidence_ = assign(
            unit, self.centroids_, self.theme_ids_, self.temperature
        )
        self.n_themes_ = int(self.centroids_.shape[0])
        self.themes_ = describe_themes(
            unit,
            self.labels_,
            texts,
            confidence=self.confidence_,
            n_representatives=self.n_representatives,
            diversity=self.diversity,
            n_key_phrases=self.n_key_phrases,
        )
        return self

    def _candidate_counts(self, unit: np.ndarray) -> list[int]:
        """Numbers of themes to try, bounded by the count of distinct statements."""
        rounded = np.ascontiguousarray(unit.round(5))
        # Rows as opaque byte strings: a 1-D unique, far cheaper than unique(axis=0).
        n_distinct = len(np.unique(rounded.view(np.dtype((np.void, rounded.strides[0])))))
        if n_distinct < 3:
            return [max(1, n_distinct)]
        if self.n_themes is not None:
            return [max(1, min(int(self.n_themes), n_distinct))]
        default_lower, default_upper = default_theme_range(unit.shape[0])
        upper = min(self.max_themes or default_upper, n_distinct - 1)
        lower = max(2, min(self.min_themes or default_lower, upper))
        return list(range(lower, upper + 1))

    def _select(
        self, unit: np.ndarray, candidates: list[int], rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        """Ward tree → k-means refinement for each k; keep the best silhouette."""
        from scipy.cluster.hierarchy import fcluster, linkage

        n = unit.shape[0]
        tree_rows = np.arange(n)
        if n > self.max_tree_size:
            tree_rows = np.sort(rng.choice(n, self.max_tree_size, replace=False))
        tree = linkage(_condensed_euclidean(unit[tree_rows]), method="ward")
        best: tuple[float, np.ndarray, np.ndarray] | None = None
        for k in candidates:
            cut = fcluster(tree, k, criterion="maxclust")
            _, initial = theme_centroids(unit[tree_rows], cut)
            labels, cents = spherical_kmeans(unit, initial)
            if len(candidates) == 1:
                return labels, cents
            score = cosine_silhouette(unit, labels)
            self.selection_scores_[int(cents.shape[0])] = round(score, 6)
            if best is None or score > best[0]:
                best = (score, labels, cents)
        assert best is not None
        return best[1], best[2]

    def predict(self, embeddings: np.ndarray) -> np.ndarray:
        """Theme of each new statement."""
        return assign(embeddings, self.centroids_, self.theme_ids_, self.temperature)[0]

    def predict_proba(self, embeddings: np.ndarray) -> np.ndarray:
        """Softmax weights of each new statement over all themes."""
        return _softmax(_unit(embeddings) @ self.centroids_.T, self.temperature)


def describe_themes(
    embeddings: np.ndarray,
    labels: Sequence[int] | np.ndarray,
    texts: Sequence[str] | None = None,
    confidence: Sequence[float] | np.ndarray | None = None,
    n_representatives: int = 3,
    diversity: float = 0.3,
    n_key_phrases: int = 5,
) -> list[Theme]:
    """Label, describe and count each theme of a labelling (fitted or analyst-edited)."""
    unit = _unit(embeddings)
    labels = np.asarray(labels)
    n = len(labels)
    ids, cents = theme_centroids(unit, labels)
    phrases = group_key_phrases(texts, labels, top_n=n_key_phrases) if texts else {}
    conf = np.ones(n) if confidence is None else np.asarray(confidence, dtype=np.float64)
    themes = []
    for theme_id, centroid in zip(ids, cents, strict=True):
        members = np.flatnonzero(labels == theme_id)
        picked = mmr(unit[members], n_representatives, diversity, query=centroid)
        representatives = [int(members[i]) for i in picked]
        top = [p for p, _ in phrases.get(int(theme_id), [])]
        label = phrase_label(top) if texts else f"Theme {int(theme_id) + 1}"
        count = len(members)
        description = f"{count} statements ({count / n:.0%})"
        if texts and representatives:
            description += f", typically: “{trim(texts[representatives[0]], 120)}”"
        themes.append(
            Theme(
                theme_id=int(theme_id),
                label=label,
                key_phrases=top,
                description=description,
                count=count,
                share=round(count / n, 6),
                mean_confidence=round(float(conf[members].mean()), 6),
                representative_indices=representatives,
            )
        )
    return themes


def merge_themes(
    labels: Sequence[int] | np.ndarray, theme_ids: Sequence[int], into: int | None = None
) -> np.ndarray:
    """Labels with the listed themes merged into `into` (default: the smallest id listed)."""
    labels = np.array(labels, copy=True)
    if not theme_ids:
        return labels
    target = min(theme_ids) if into is None else into
    labels[np.isin(labels, list(theme_ids))] = target
    return labels


def split_theme(
    embeddings: np.ndarray,
    labels: Sequence[int] | np.ndarray,
    theme_id: int,
    n_parts: int = 2,
    random_state: int | None = 0,
) -> np.ndarray:
    """Labels with one theme re-clustered into `n_parts`; new parts get fresh ids.

    The first part keeps `theme_id`; the others get ids above the current maximum.
    """
    labels = np.array(labels, copy=True)
    members = np.flatnonzero(labels == theme_id)
    if len(members) < n_parts or n_parts < 2:
        return labels
    model = ThemeModel(n_themes=n_parts, random_state=random_state).fit(embeddings[members])
    parts = model.labels_
    next_id = int(labels.max()) + 1
    for part in range(1, model.n_themes_):
        labels[members[parts == part]] = next_id
        next_id += 1
    return labels


def move_statements(
    labels: Sequence[int] | np.ndarray, indices: Sequence[int], theme_id: int
) -> np.ndarray:
    """Labels with the given statements moved to `theme_id` (an analyst's correction)."""
    labels = np.array(labels, copy=True)
    labels[np.asarray(indices, dtype=np.int64)] = theme_id
    return labels


def theme_shares(
    labels: Sequence[int] | np.ndarray, groups: Sequence[Hashable]
) -> dict[Hashable, dict[int, tuple[int, float]]]:
    """Per group (e.g. micro-community): theme id → (count, share of the group's statements)."""
    labels = np.asarray(labels)
    if len(labels) != len(groups):
        raise ValueError("labels and groups must have the same length")
    by_group: dict[Hashable, Counter[int]] = {}
    for label, group in zip(labels, groups, strict=True):
        by_group.setdefault(group, Counter())[int(label)] += 1
    return {
        group: {t: (c, round(c / sum(counts.values()), 6)) for t, c in sorted(counts.items())}
        for group, counts in by_group.items()
    }
