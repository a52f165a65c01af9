"""Benchmark: 1,000,000 survey responses × 10 items — scoring, raking, by-district summary.

Goal (issue 7): ≤ 10 s and ≤ 2 GB peak memory on the 2-core build machine.
Anchor: pandas ``groupby().agg`` for the same by-district summary, timed in the same run on
the same data (when pandas is installed), and checked to agree with ours.

Run: ``.venv/bin/python bench/surveys.py [--n 1000000] [--seed 7]``
"""

from __future__ import annotations

import argparse
import platform
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from peacekit.analysis.stats import Raker, group_summary, scale_scores, to_index  # noqa: E402

N_ITEMS = 10
DISTRICTS = 22
MARGINS = {
    "age": dict(zip(["18-24", "25-34", "35-44", "45-54", "55-64", "65+"],
                    [0.12, 0.20, 0.18, 0.17, 0.16, 0.17], strict=True)),
    "sex": {"female": 0.52, "male": 0.48},
    "race": dict(zip(["Black", "Hispanic", "White", "Asian", "Other"],
                     [0.29, 0.29, 0.33, 0.07, 0.02], strict=True)),
    "district": {f"D{d:02d}": 1 / DISTRICTS for d in range(1, DISTRICTS + 1)},
}  # fmt: skip


def synthesize(n: int, seed: int) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Skewed sample (older, whiter, more women than the city) with 5 % items skipped."""
    rng = np.random.default_rng(seed)
    district = rng.integers(0, DISTRICTS, n)
    # Neighbourhoods differ in make-up, so the margins interact and IPF needs real sweeps.
    race_by_district = rng.dirichlet([2.2, 1.8, 4.8, 0.8, 0.4], DISTRICTS)
    cumulative = np.cumsum(race_by_district, axis=1)[district]
    race = (rng.random(n)[:, None] > cumulative).sum(axis=1).clip(0, 4)
    sex = rng.choice(2, n, p=[0.6, 0.4])
    age_p = np.array([[0.04, 0.10, 0.16, 0.20, 0.24, 0.26], [0.07, 0.15, 0.17, 0.18, 0.21, 0.22]])
    age = (rng.random(n)[:, None] > np.cumsum(age_p, axis=1)[sex]).sum(axis=1).clip(0, 5)
    demo = {
        "age": age.astype(np.int8),
        "sex": sex.astype(np.int8),
        "race": race.astype(np.int8),
        "district": district.astype(np.int8),
    }
    trust = rng.normal(0, 1, n) + 0.05 * demo["district"] - 0.2 * (demo["race"] == 0)
    items = np.clip(np.rint(3 + trust[:, None] + rng.normal(0, 0.9, (n, N_ITEMS))), 1, 5)
    items[rng.random((n, N_ITEMS)) < 0.05] = np.nan
    return items, demo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    items, demo = synthesize(args.n, args.seed)
    labels = list(MARGINS["district"])

    t0 = time.perf_counter()
    scores = scale_scores(items)
    index = to_index(scores, low=1, high=5)
    t1 = time.perf_counter()
    raker = Raker(MARGINS, trim=(0.2, 5.0)).fit(demo)
    t2 = time.perf_counter()
    summary = group_summary(index, demo["district"], labels=labels, weights=raker.weights_)
    t3 = time.perf_counter()
    total = t3 - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"command: {' '.join(['python', *sys.argv])}")
    print(f"machine: {platform.machine()}, {platform.python_version()}, numpy {np.__version__}")
    print(f"responses: {args.n:,} × {N_ITEMS} items; scored {np.sum(~np.isnan(scores)):,}")
    print(f"scoring   {t1 - t0:7.3f} s")
    print(
        f"raking    {t2 - t1:7.3f} s  ({raker.n_iter_} sweeps, {raker.trim_rounds_} trim rounds, "
        f"converged={raker.converged_}, max margin gap {raker.margin_error_:.2e}, "
        f"Kish n_eff {raker.effective_n_:,.0f}, deff {raker.design_effect_:.2f})"
    )
    print(f"summary   {t3 - t2:7.3f} s  ({DISTRICTS} districts, weighted, suppression applied)")
    print(f"total     {total:7.3f} s   goal ≤ 10 s: {'PASS' if total <= 10 else 'FAIL'}")
    print(f"peak RSS  {peak_mb:7.0f} MB  goal ≤ 2048 MB: {'PASS' if peak_mb <= 2048 else 'FAIL'}")

    try:
        import pandas as pd
    except ImportError:
        print("anchor: pandas not installed; skipped")
        return
    frame = pd.DataFrame({"district": demo["district"], "index": index, "w": raker.weights_})
    frame = frame.dropna()
    t4 = time.perf_counter()
    frame["wy"] = frame["w"] * frame["index"]
    agg = frame.groupby("district").agg(n=("index", "size"), sw=("w", "sum"), swy=("wy", "sum"))
    anchor_mean = (agg["swy"] / agg["sw"]).to_numpy()
    t5 = time.perf_counter()
    assert np.allclose(anchor_mean, summary.mean, equal_nan=True)
    print(f"anchor: pandas groupby weighted mean {t5 - t4:.3f} s vs ours {t3 - t2:.3f} s "
          "(ours also computes SD, CI, Kish n and suppression); means agree")  # fmt: skip


if __name__ == "__main__":
    main()
