"""Themes: peacekit vs BERTopic 0.17 (defaults, same embeddings) vs k-means k=13.

    .venv/bin/python bench/themes.py --data ../shared/data

On themes/ppd_complaints_short.csv (3,398 complaint summaries, 13 intake categories)
prints, per method: number of themes, share unassigned (outliers), NMI and ARI against
the categories, stability (mean pairwise ARI over 5 seeds), seconds after embedding
(median of the 5 runs) and peak memory. The categories are used only to score: no method
sees them. all-MiniLM-L6-v2 embeddings are computed once and cached under /tmp.

Protocol (docs/decisions/0013-themes-hybrid-key-words.md): the rows are
split deterministically into DEV (even row index) and TEST (odd row index). Every design
decision was taken on DEV alone; TEST was scored only in the final run. Each method is
fitted separately on DEV, on TEST and on the full set (seed 0) and scored on the rows it
was fitted on; stability, themes, unassigned, time and memory are for the full set.
`--dev-only` fits and scores DEV alone (what design work may look at).

Every method runs single-threaded in BLAS (OMP/MKL/OPENBLAS = 1, as bench/opinions.py):
on the shared 2-core machine multi-threaded BLAS under other load made the same fit up
to 15× slower and the timings meaningless. UMAP's numba threads are not limited.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import csv  # noqa: E402
import hashlib  # noqa: E402
import itertools  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score  # noqa: E402

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


def run_peacekit(
    vectors: np.ndarray, texts: list[str], seed: int, text_weight: float = 1.0
) -> dict:
    """Theme discovery with labels, descriptions and quotes, as the product runs it."""
    model = ThemeModel(random_state=seed, text_weight=text_weight).fit(vectors, texts)
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


def scores(truth: np.ndarray, labels: np.ndarray) -> str:
    """NMI and ARI of one labelling, as two table cells."""
    return (
        f"{normalized_mutual_info_score(truth, labels):.3f} "
        f"| {adjusted_rand_score(truth, labels):.3f}"
    )


def main() -> None:
    """Run all methods and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--skip-bertopic", action="store_true")
    parser.add_argument(
        "--dev-only", action="store_true", help="fit and score the DEV half only (design work)"
    )
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

    truth_all = np.asarray(truth)
    splits = {"DEV": np.arange(0, len(texts), 2), "TEST": np.arange(1, len(texts), 2)}
    if args.dev_only:
        del splits["TEST"]
        keep = splits["DEV"]
        texts = [texts[i] for i in keep]
        vectors, truth_all = vectors[keep], truth_all[keep]
        splits = {"DEV": np.arange(len(texts))}
    else:
        splits["full"] = np.arange(len(texts))

    def subset(rows: np.ndarray) -> tuple[np.ndarray, list[str]]:
        return vectors[rows], [texts[i] for i in rows]

    methods = {
        "peacekit (MiniLM + key words)": lambda v, t, s: measure(run_peacekit, v, t, s),
        "peacekit, MiniLM only (text_weight=0)": lambda v, t, s: measure(
            run_peacekit, v, t, s, 0.0
        ),
        "peacekit (TF-IDF fallback, incl. vectors)": lambda v, t, s: measure(
            run_peacekit_tfidf, t, s
        ),
        "k-means k=13 (MiniLM)": lambda v, t, s: measure(run_kmeans, v, s),
    }
    if not args.skip_bertopic:
        methods["BERTopic 0.17 defaults (MiniLM)"] = lambda v, t, s: measure(run_bertopic, v, t, s)
    names = list(splits)
    print(
        "\nmethod | themes ("
        + " / ".join(names)
        + ") | unassigned | "
        + " | ".join(f"NMI {n} | ARI {n}" for n in names)
        + f" | stability ({args.seeds} seeds) | seconds after embedding (median) "
        "| peak MiB (process) | peak MiB (step)"
    )
    print(" | ".join(["---"] * (6 + 2 * len(names))))
    examples = None
    last = names[-1]
    for name, run in methods.items():
        # Stability, time and memory: the last split (full set, or DEV with --dev-only).
        rows = splits[last]
        results = [run(*subset(rows), seed) for seed in range(args.seeds)]
        labels = {last: results[0][0]["labels"]}
        for split in names[:-1]:
            labels[split] = run(*subset(splits[split]), 0)[0]["labels"]
        first = labels[last]
        themes = " / ".join(str(len(set(labels[n].tolist()) - {-1})) for n in names)
        print(
            f"{name} | {themes} | {np.mean(first == -1):.1%} | "
            + " | ".join(scores(truth_all[splits[n]], labels[n]) for n in names)
            + f" | {stability([r[0]['labels'] for r in results]):.3f} "
            f"| {np.median([r[1] for r in results]):.2f} | {max(r[2] for r in results):.0f} "
            f"| {max(r[3] for r in results):.0f}",
            flush=True,
        )
        if name.startswith("peacekit (MiniLM"):
            examples = results[0][0]["labels_text"]
    if not args.skip_bertopic:
        result, seconds, peak, delta = measure(run_bertopic, *subset(splits[last]), None)
        first = result["labels"]
        print(
            f"BERTopic 0.17 defaults, UMAP unseeded (parallel), {last} only "
            f"| {len(set(first.tolist()) - {-1})} | {np.mean(first == -1):.1%} | "
            + "- | - | "
            * (len(names) - 1)
            + f"{scores(truth_all[splits[last]], first)} | - | {seconds:.2f} | {peak:.0f} "
            f"| {delta:.0f}"
        )
    if examples:
        print(f"\npeacekit theme labels ({last}, seed 0):")
        for label in examples:
            print(f"  - {label}")


if __name__ == "__main__":
    main()
