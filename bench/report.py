"""The Peace Initiative report end to end: analysis + HTML + PDF on a synthetic initiative.

    .venv/bin/python bench/report.py [--statements 10000] [--communities 50] [--votes 100000]
                                     [--embedder tfidf|minilm]

Builds (bulk inserts, not timed) an initiative with published statements spread over
micro-communities and votes by participants (one in eight marked as an officer), then times
the analysis job body (embeddings, themes, stance, factors, opinion groups and their
statistics, all persisted), the report context, the HTML and the PDF (WeasyPrint). Prints
each step, the total and the peak memory (max RSS). Goal: ≤ 120 s in all, PDF ≤ 30 s,
≤ 2 GB. Uses its own SQLite database under /tmp (PEACEKIT_DATA_DIR).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
DATA_DIR = "/tmp/pk-bench-report"
os.environ.setdefault("PEACEKIT_DATA_DIR", DATA_DIR)
os.environ.setdefault("PEACEKIT_DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peacekit.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

TOPICS = [
    ("foot patrol", ["officers walking the block", "knowing neighbors by name", "bike patrols"]),
    ("response time", ["waited an hour after calling", "nobody came", "slow emergency response"]),
    ("youth programs", ["the youth center closed", "summer jobs for teens", "after school"]),
    ("traffic safety", ["speeding on our street", "crosswalks near the school", "red lights"]),
    ("mental health", ["a counselor should come", "crisis calls", "not everything is a crime"]),
    ("respect", ["officers were rude", "treated my son with respect", "explain the stop"]),
    ("housing", ["rent is too high", "homeless neighbors need shelter", "vacant houses"]),
    ("lighting", ["dark streets at night", "broken street lights", "the park after dark"]),
    ("drugs", ["open dealing on the corner", "treatment not jail", "needles in the park"]),
    ("trust", ["I trust the officers here", "we do not trust the police", "more transparency"]),
]
OPENERS = ["I think", "We need", "Please", "In my neighborhood", "Honestly,", "My family feels"]
CLOSERS = ["and that matters to all of us.", "every week.", "since last year.", "for the kids.",
           "it would help a lot.", "the city should act."]  # fmt: skip
SENTIMENT = ["thank you to the officers", "this is terrible", "", "", "good work but too slow"]


def build(n_statements: int, n_communities: int, n_votes: int, seed: int = 0):
    """The synthetic initiative (not timed)."""
    from peacekit.core.models import Organization, User
    from peacekit.listening.models import Initiative, MicroCommunity, Statement, Vote

    rng = np.random.default_rng(seed)
    org = Organization.objects.create(name="Bench PD", kind=Organization.Kind.POLICE)
    user = User.objects.create(email="bench@example.org", full_name="Bench Analyst")
    initiative = Initiative.objects.create(organization=org, name="Bench initiative",
                                           jurisdiction="Bench County")  # fmt: skip
    communities = MicroCommunity.objects.bulk_create(
        [MicroCommunity(initiative=initiative, name=f"Neighborhood {i + 1}",
                        kind=MicroCommunity.Kind.NEIGHBORHOOD, population_share=100 / n_communities,
                        under_represented=i % 7 == 0) for i in range(n_communities)]
    )  # fmt: skip
    now = timezone.now()
    statements = []
    for i in range(n_statements):
        topic, phrases = TOPICS[int(rng.integers(len(TOPICS)))]
        text = " ".join(
            filter(None, [OPENERS[int(rng.integers(len(OPENERS)))], topic, "—",
                          phrases[int(rng.integers(3))], SENTIMENT[int(rng.integers(5))],
                          CLOSERS[int(rng.integers(len(CLOSERS)))]])
        )  # fmt: skip
        statements.append(
            Statement(initiative=initiative, redacted_text=text, status=Statement.Status.PUBLISHED,
                      source=Statement.Source.IMPORT, submission_key=f"bench-{i}",
                      micro_community=communities[i % n_communities], published_at=now)
        )  # fmt: skip
    Statement.objects.bulk_create(statements, batch_size=2000)
    ids = list(initiative.statements.values_list("pk", flat=True))
    n_participants = max(50, n_votes // 40)
    camp = rng.integers(0, 3, n_participants)
    pairs = set()
    votes = []
    while len(votes) < n_votes:
        p = int(rng.integers(n_participants))
        s = int(rng.integers(len(ids)))
        if (p, s) in pairs:
            continue
        pairs.add((p, s))
        lean = (s % 3 == camp[p]) * 0.6 - 0.3
        value = 1 if rng.random() < 0.5 + lean else (-1 if rng.random() < 0.7 else 0)
        votes.append(Vote(statement_id=ids[s], participant_hash=f"p{p}", value=value,
                          participant_role="officer" if p % 8 == 3 else "resident"))  # fmt: skip
    Vote.objects.bulk_create(votes, batch_size=5000)
    return initiative, user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=10_000)
    parser.add_argument("--communities", type=int, default=50)
    parser.add_argument("--votes", type=int, default=100_000)
    parser.add_argument("--embedder", default="tfidf", choices=["tfidf", "minilm", "auto"])
    args = parser.parse_args()

    shutil.rmtree(DATA_DIR, ignore_errors=True)
    os.makedirs(DATA_DIR, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    t0 = time.perf_counter()
    initiative, user = build(args.statements, args.communities, args.votes)
    print(f"setup (not timed): {time.perf_counter() - t0:.1f} s — {args.statements} statements, "
          f"{args.communities} micro-communities, {args.votes} votes")  # fmt: skip

    from peacekit.listening import insight
    from peacekit.reports import selectors
    from peacekit.reports.rendering import render_report_html, render_report_pdf_counted
    from peacekit.reports.services import TEMPLATE, pdf_context

    steps: dict[str, float] = {}
    start = time.perf_counter()
    run = insight.analysis_run(initiative=initiative, actor=user, backend=args.embedder, seed=0)
    steps["analysis"] = time.perf_counter() - start
    t = time.perf_counter()
    context = selectors.report_context(initiative)
    steps["report context"] = time.perf_counter() - t
    t = time.perf_counter()
    html = render_report_html(None, TEMPLATE, {**context, "pdf": True})
    steps["HTML"] = time.perf_counter() - t
    t = time.perf_counter()
    pdf, pages = render_report_pdf_counted(TEMPLATE, pdf_context(context))
    steps["PDF"] = time.perf_counter() - t
    total = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores")
    print(f"analysis: embedder {run.embedder}, {run.summary.get('themes')} themes, "
          f"{run.summary.get('participants')} participants, {run.summary.get('groups')} groups; "
          f"steps {run.timings}")  # fmt: skip
    for name, seconds in steps.items():
        print(f"{name:>15}: {seconds:7.1f} s")
    print(f"{'total':>15}: {total:7.1f} s   (goal ≤ 120 s; PDF goal ≤ 30 s)")
    print(f"{'peak memory':>15}: {peak_mb:7.0f} MB (goal ≤ 2048 MB)")
    print(f"{'output':>15}: HTML {len(html) / 1e6:.1f} MB, PDF {len(pdf) / 1e6:.1f} MB, "
          f"{pages} pages")  # fmt: skip


if __name__ == "__main__":
    main()
