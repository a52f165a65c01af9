"""Themes: peacekit vs BERTopic 0.17 (defaults, same embeddings) vs k-means k=13.

    .venv/bin/python bench/themes.py --data ../shared/data

On themes/ppd_complaints_short.csv (3,398 complaint summaries, 13 intake categories)
prints, per method: number of themes, share unassigned (outliers), NMI and ARI against
the categories, stability (mean pairwise ARI over 5 seeds), seconds after embedding
(median of the 5 runs) and peak memory. The categories are used only to score: no method
sees them. all-MiniLM-L6-v2 embeddings are computed once and cached under /tmp.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import itertools
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import measure  # noqa: E402

from peacekit.analysis.embeddings import Embedder  # noqa: E402
from peacekit.analysis.themes import ThemeModel  # noqa: E402


def load(data: Path) -> tuple[list[str], list[str]]:
    """Texts and intake categories."""
    with open(data / "themes" / "ppd_complaints_short.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [r["text"] for r in rows], [r["label"] for r in rows]


def embeddings(texts: list[str]) -> tuple[np.ndarray, float | None]:
    """MiniLM embeddings, cached in /tmp by content hash; seconds if computed now."""
    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
    cache = Path(f"/tmp/peacekit_emb_ppd_{digest}.npy")
    if cache.exists():
        return np.load(cache), None
    start = time.perf_counter()
    vectors = Embedder(backend="minilm").fit_transform(texts)
    seconds = time.perf_counter() - start
    np.save(cache, vectors)
    return vectors, seconds


def run_peacekit(vectors: np.ndarray, texts: list[str], seed: int) -> dict:
    """Theme discovery with labels, descriptions and quotes, as the product runs it."""
    model = ThemeModel(random_state=seed).fit(vectors, texts)
    return {"labels": model.labels_, "labels_text": [t.label for t in model.themes_]}


def run_peacekit_tfidf(texts: list[str], seed: int) -> dict:
    """The no-torch fallback: TF-IDF + SVD vectors (timed, they are cheap), then themes."""
    vectors = Embedder(backend="tfidf", random_state=seed).fit_transform(texts)
    return run_peacekit(vectors, texts, seed)


def run_bertopic(vectors: np.ndarray, texts: list[str], seed: int | None) -> dict:
    """BERTopic defaults on the same embeddings; a seed fixes UMAP (its default params)."""
    from bertopic import BERTopic
    from umap import UMAP

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if seed is None:
            model = BERTopic()
        else:
            umap = UMAP(
                n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed
            )
            model = BERTopic(umap_model=umap)
        topics, _ = model.fit_transform(texts, vectors)
    return {"labels": np.asarray(topics)}


def run_kmeans(vectors: np.ndarray, seed: int) -> dict:
    """Plain k-means with the true number of categories (an anchor that peeks at k)."""
    from sklearn.cluster import KMeans

    return {"labels": KMeans(13, n_init=10, random_state=seed).fit_predict(vectors)}


def stability(runs: list[np.ndarray]) -> float:
    """Mean pairwise ARI between runs."""
    pairs = list(itertools.combinations(runs, 2))
    return float(np.mean([adjusted_rand_score(a, b) for a, b in pairs]))


def main() -> None:
    """Run all methods and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--skip-bertopic", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    texts, truth = load(args.data)
    vectors, embed_seconds = embeddings(texts)
    if embed_seconds is not None:
        print(
            f"embedded {len(texts)} texts in {embed_seconds:.1f} s "
            f"({len(texts) / embed_seconds:.0f} per second)"
        )
    else:
        print(f"embeddings for {len(texts)} texts read from the /tmp cache")
    if not args.skip_bertopic:
        import bertopic  # noqa: F401 - imports are not timed
        import umap  # noqa: F401
    import sklearn.cluster  # noqa: F401

    methods = {
        "peacekit (MiniLM)": lambda s: measure(run_peacekit, vectors, texts, s),
        "peacekit (TF-IDF fallback, incl. vectors)": lambda s: measure(
            run_peacekit_tfidf, texts, s
        ),
        "k-means k=13 (MiniLM)": lambda s: measure(run_kmeans, vectors, s),
    }
    if not args.skip_bertopic:
        methods["BERTopic 0.17 defaults (MiniLM)"] = lambda s: measure(
            run_bertopic, vectors, texts, s
        )
    print(
        "\nmethod | themes | unassigned | NMI | ARI | stability (5 seeds) "
        "| seconds after embedding (median) | peak MiB (process) | peak MiB (step)"
    )
    print("--- | --- | --- | --- | --- | --- | --- | --- | ---")
    examples = None
    for name, run in methods.items():
        results = [run(seed) for seed in range(args.seeds)]
        labels = [r[0]["labels"] for r in results]
        first = labels[0]
        n_themes = len(set(first.tolist()) - {-1})
        unassigned = float(np.mean(first == -1))
        print(
            f"{name} | {n_themes} | {unassigned:.1%} "
            f"| {normalized_mutual_info_score(truth, first):.3f} "
            f"| {adjusted_rand_score(truth, first):.3f} | {stability(labels):.3f} "
            f"| {np.median([r[1] for r in results]):.2f} | {max(r[2] for r in results):.0f} "
            f"| {max(r[3] for r in results):.0f}",
            flush=True,
        )
        if name == "peacekit (MiniLM)":
            examples = results[0][0]["labels_text"]
    if not args.skip_bertopic:
        result, seconds, peak, delta = measure(run_bertopic, vectors, texts, None)
        first = result["labels"]
        n_topics = len(set(first.tolist()) - {-1})
        print(
            f"BERTopic 0.17 defaults, UMAP unseeded (parallel) | {n_topics} "
            f"| {np.mean(first == -1):.1%} | {normalized_mutual_info_score(truth, first):.3f} "
            f"| {adjusted_rand_score(truth, first):.3f} | - | {seconds:.2f} | {peak:.0f} "
            f"| {delta:.0f}"
        )
    if examples:
        print("\npeacekit theme labels (seed 0):")
        for label in examples:
            print(f"  - {label}")


if __name__ == "__main__":
    main()
