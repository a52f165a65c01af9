"""Opinion groups: peacekit vs red-dwarf 0.4.0 on Polis conversations, plus a synthetic scale run.

    .venv/bin/python bench/opinions.py --data ../shared/data

Prints, per conversation and tool: groups found, ARI against Polis's exported group-id,
stability (mean pairwise ARI over 5 runs, each with its own seed and vote order), time
from vote rows to groups and statistics (after imports), and peak memory. Then checks
peacekit's group statistics against red-dwarf's on the same group assignment, and times
peacekit on 100,000 participants × 2,000 statements × 5,000,000 votes. Single-threaded.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import itertools  # noqa: E402
import sys  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.metrics import adjusted_rand_score  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import measure  # noqa: E402

from peacekit.analysis import opinions  # noqa: E402

CONVERSATIONS = [
    "london.youth.policing",
    "15-per-hour-seattle",
    "vtaiwan.uberx",
    "american-assembly.bowling-green",
]


def load(folder: Path) -> dict:
    """Latest-vote rows, moderated-out ids and Polis's group-id for one conversation."""
    comments = pd.read_csv(folder / "comments.csv")
    pv = pd.read_csv(folder / "participants-votes.csv")
    if (folder / "votes.csv").exists():
        votes = pd.read_csv(folder / "votes.csv")
        votes = votes.rename(columns={"voter-id": "participant", "comment-id": "statement"})
        votes = votes[["timestamp", "participant", "statement", "vote"]]
    else:
        # Bowling Green ships no votes.csv: one column per comment id, latest vote only.
        first = list(pv.columns).index("n-disagree") + 1
        wide = pv.set_index("participant").iloc[:, first - 1 :]
        long = wide.stack().dropna().reset_index()
        long.columns = ["participant", "statement", "vote"]
        long["statement"] = long["statement"].astype(int)
        long["timestamp"] = np.arange(len(long))
        votes = long[["timestamp", "participant", "statement", "vote"]]
    votes = votes.astype({"participant": np.int64, "statement": np.int64, "vote": np.int64})
    moderated = comments.loc[comments["moderated"] == -1, "comment-id"].astype(int).tolist()
    groups = pv.set_index("participant")["group-id"].dropna().astype(int)
    return {"votes": votes, "moderated": moderated, "polis_groups": groups}


def latest(votes: pd.DataFrame) -> pd.DataFrame:
    """One row per (participant, statement): the latest vote."""
    ordered = votes.sort_values("timestamp", kind="stable")
    return ordered.drop_duplicates(["participant", "statement"], keep="last")


def run_peacekit(votes: pd.DataFrame, moderated: list[int], seed: int) -> dict:
    """Vote rows → vote matrix → groups → statistics, as the product runs it."""
    matrix = opinions.build_vote_matrix(
        votes["participant"].to_numpy(),
        votes["statement"].to_numpy(),
        votes["vote"].to_numpy(),
        timestamps=votes["timestamp"].to_numpy(),
        moderated_statement_ids=moderated,
    )
    report = opinions.analyze_votes(matrix, random_state=seed)
    clustered = report.group_labels >= 0
    return {
        "participants": report.participant_ids[clustered],
        "labels": report.group_labels[clustered],
        "n_groups": report.n_groups,
    }


def reddwarf_records(votes: pd.DataFrame) -> list[dict]:
    """Vote rows in red-dwarf's input shape."""
    renamed = votes.rename(
        columns={
            "participant": "participant_id",
            "statement": "statement_id",
            "timestamp": "modified",
        }
    )
    return renamed[["participant_id", "statement_id", "vote", "modified"]].to_dict("records")


def run_reddwarf(records: list[dict], moderated: list[int], seed: int) -> dict:
    """red-dwarf's full Polis pipeline (matrix, PCA, k-means, repness, consensus)."""
    from reddwarf.implementations.polis import run_pipeline

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = run_pipeline(votes=records, mod_out_statement_ids=moderated, random_state=seed)
    df = result.participants_df
    clustered = df[df["to_cluster"]]
    return {
        "participants": clustered.index.to_numpy(),
        "labels": clustered["cluster_id"].astype(int).to_numpy(),
        "n_groups": int(clustered["cluster_id"].nunique()),
    }


def ari_vs_polis(run: dict, polis: pd.Series) -> tuple[float, int]:
    """ARI against Polis's group-id over participants both clustered."""
    ours = pd.Series(run["labels"], index=run["participants"])
    common = ours.index.intersection(polis.index)
    return adjusted_rand_score(polis.loc[common], ours.loc[common]), len(common)


def stability(runs: list[dict]) -> float:
    """Mean pairwise ARI between runs, over participants clustered in both."""
    scores = []
    for a, b in itertools.combinations(runs, 2):
        sa = pd.Series(a["labels"], index=a["participants"])
        sb = pd.Series(b["labels"], index=b["participants"])
        common = sa.index.intersection(sb.index)
        scores.append(adjusted_rand_score(sa.loc[common], sb.loc[common]))
    return float(np.mean(scores)) if scores else float("nan")


def compare_stats(votes: pd.DataFrame, moderated: list[int], seed: int) -> dict:
    """Max differences between peacekit's and red-dwarf's statistics on peacekit's groups."""
    from reddwarf.utils.matrix import generate_raw_matrix
    from reddwarf.utils.stats import (
        calculate_comment_statistics,
        calculate_comment_statistics_dataframes,
        select_representative_statements,
    )

    matrix = opinions.build_vote_matrix(
        votes["participant"].to_numpy(),
        votes["statement"].to_numpy(),
        votes["vote"].to_numpy(),
        timestamps=votes["timestamp"].to_numpy(),
        moderated_statement_ids=moderated,
    )
    model = opinions.OpinionGroups(random_state=seed).fit(matrix)
    ours = opinions.group_statement_stats(matrix, model.labels_)
    ours_rep = opinions.representative_statements(matrix, ours)
    clustered = model.labels_ >= 0
    raw = generate_raw_matrix(reddwarf_records(latest(votes)))
    raw = raw.loc[matrix.participant_ids[clustered], matrix.statement_ids]
    labels = model.labels_[clustered]
    n_g_c, n_v_g_c, p_v_g_c, r_v_g_c, p_test, r_test, c_v_c = calculate_comment_statistics(
        raw, labels
    )
    grouped, _ = calculate_comment_statistics_dataframes(raw, labels)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs_rep = select_representative_statements(grouped, mod_out_statement_ids=moderated)
    pairs = {
        "n_seen": (ours.n_seen, n_g_c),
        "pa": (ours.p_agree, p_v_g_c[0]),
        "pd": (ours.p_disagree, p_v_g_c[1]),
        "pat": (ours.p_agree_test, p_test[0]),
        "ra": (ours.r_agree, r_v_g_c[0]),
        "rat": (ours.r_agree_test, r_test[0]),
        "rdt": (ours.r_disagree_test, r_test[1]),
        "consensus": (ours.consensus_agree, c_v_c[0]),
    }
    diffs = {
        k: float(np.nanmax(np.abs(np.asarray(a, float) - np.asarray(b, float))))
        for k, (a, b) in pairs.items()
    }
    same = 0
    for gid, picks in ours_rep.items():
        mine = [(int(f.statement_id), f.direction) for f in picks]
        theirs = [(int(s["tid"]), s["repful-for"]) for s in theirs_rep.get(gid, [])]
        same += mine == theirs
    diffs["repness_lists_identical"] = f"{same}/{len(ours_rep)}"
    return diffs


def synthetic_votes(n_p: int, n_s: int, n_votes: int, seed: int = 0) -> pd.DataFrame:
    """Three latent opinion groups; each participant votes on a random subset."""
    rng = np.random.default_rng(seed)
    group = rng.integers(0, 3, n_p)
    lean = rng.uniform(-0.8, 0.8, (3, n_s))
    participants = rng.integers(0, n_p, int(n_votes * 1.02))
    statements = rng.integers(0, n_s, len(participants))
    p_agree = 0.5 + 0.5 * lean[group[participants], statements]
    draw = rng.random(len(participants))
    vote = np.where(draw < p_agree * 0.85, 1, np.where(draw < 0.85, -1, 0))
    frame = pd.DataFrame(
        {
            "timestamp": np.arange(len(participants)),
            "participant": participants,
            "statement": statements,
            "vote": vote,
        }
    )
    return frame.iloc[:n_votes]


def main() -> None:
    """Run every conversation and the synthetic scale test; print tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-synthetic", action="store_true")
    parser.add_argument("--skip-reddwarf", action="store_true")
    args = parser.parse_args()
    import reddwarf.implementations.polis  # noqa: F401 - import before timing

    print(
        "conversation | tool | participants clustered | groups | ARI vs Polis | stability "
        "| seconds (median) | peak MiB (process) | peak MiB (step)"
    )
    print("--- | --- | --- | --- | --- | --- | --- | --- | ---")
    checks = {}
    for name in CONVERSATIONS:
        data = load(args.data / "polis" / name)
        votes, moderated, polis = data["votes"], data["moderated"], data["polis_groups"]
        deduped = latest(votes)
        tools = {"peacekit": None}
        if not args.skip_reddwarf:
            tools["red-dwarf 0.4.0"] = None
        for tool in tools:
            runs, seconds, peaks, deltas = [], [], [], []
            for i in range(args.runs):
                order = np.random.default_rng(100 + i).permutation(len(votes))
                shuffled = votes.iloc[order]
                if tool == "peacekit":
                    result, sec, peak, delta = measure(run_peacekit, shuffled, moderated, i)
                else:
                    records = reddwarf_records(
                        latest(shuffled).iloc[
                            np.random.default_rng(200 + i).permutation(len(deduped))
                        ]
                    )
                    result, sec, peak, delta = measure(run_reddwarf, records, moderated, i)
                runs.append(result)
                seconds.append(sec)
                peaks.append(peak)
                deltas.append(delta)
            ari, n_common = ari_vs_polis(runs[0], polis)
            groups = "/".join(str(r["n_groups"]) for r in runs)
            print(
                f"{name} | {tool} | {len(runs[0]['labels'])} ({n_common} with Polis id) | {groups} "
                f"| {ari:.3f} | {stability(runs):.3f} | {np.median(seconds):.3f} "
                f"| {max(peaks):.0f} | {max(deltas):.0f}",
                flush=True,
            )
        if not args.skip_reddwarf:
            checks[name] = compare_stats(votes, moderated, 0)
    if checks:
        print("\nGroup statistics, peacekit vs red-dwarf on peacekit's groups (max |difference|):")
        for name, diffs in checks.items():
            print(
                f"  {name}: "
                + ", ".join(
                    f"{k} {v:.2e}" if isinstance(v, float) else f"{k} {v}" for k, v in diffs.items()
                )
            )
    if not args.skip_synthetic:
        frame = synthetic_votes(100_000, 2_000, 5_000_000)
        result, sec, peak, delta = measure(run_peacekit, frame, [], 0)
        print(
            f"\nsynthetic 100,000 × 2,000 × {len(frame):,} votes | peacekit | groups "
            f"{result['n_groups']} | {sec:.2f} s | peak {peak:.0f} MiB (process), "
            f"{delta:.0f} MiB (step)"
        )


if __name__ == "__main__":
    main()
