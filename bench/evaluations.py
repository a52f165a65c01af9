"""Benchmark: Policing Performance 360 — 500 candidates × 12 raters × 40 items.

Goals (issue 8): every candidate's HTML report ≤ 60 s after the cycle closes; one
candidate's report ≤ 2 s after close; PDFs for all ≤ 5 min.
Anchor: the 360 service in seed 000 delivers "detailed promotability and personnel
assessment reports within 72 hours" (259,200 s); timed here is the whole path on the same
database the app uses: load every answer, score, write the reports, render the pages.

The cycle is built with bulk inserts (setup, not timed): answers are synthetic, seeded, 7 %
"not observed"; about one candidate in five has a group under its minimum so suppression
is exercised. PDFs, both measured in the same run:

- one at a time, as a download makes one on demand: a sample (``--pdf-sample``) rendered in
  this process, the total extrapolated (stated as such); ``--pdf-all`` renders all of them;
- the cycle's PDF job (queued by the report job), run for real: every candidate's PDF made in
  a pool of worker processes (``--workers``, default the setting, else one per CPU) and
  stored; its wall time for all of them, not extrapolated.

Run: ``.venv/bin/python bench/evaluations.py [--candidates 500] [--pdf-sample 20] [--pdf-all]
[--workers N]`` (uses its own SQLite database under /tmp/pk-bench-evaluations).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("PEACEKIT_DATA_DIR", "/tmp/pk-bench-evaluations")
os.environ.setdefault("PEACEKIT_DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peacekit.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.utils import timezone  # noqa: E402

ANCHOR_SECONDS = 72 * 3600
GROUP_PLAN = [("self", 1), ("supervisor", 1), ("peer", 4), ("direct_report", 3),
              ("community", 3)]  # fmt: skip  # 12 raters


def build(n_candidates: int, seed: int):
    """A closed cycle with every answer stored (bulk inserts; not timed)."""
    from peacekit.core.models import Organization, User
    from peacekit.evaluations import services
    from peacekit.evaluations.models import (
        Candidate,
        Comment,
        Cycle,
        ItemScore,
        Rater,
        RatingResponse,
        Report,
    )

    rng = np.random.default_rng(seed)
    org, _ = Organization.objects.get_or_create(
        slug="bench-pd", defaults={"name": "Bench Police Department", "kind": "police"}
    )
    admin = User.objects.filter(email="bench@example.org").first() or User.objects.create_user(
        email="bench@example.org", password=None
    )
    Cycle.objects.filter(organization=org).delete()
    with transaction.atomic():
        cycle = services.cycle_create(actor=admin, organization=org, name="Bench cycle")
        items = services.items_for(cycle)
        comp_of = np.array([item.competency_id for item in items])
        candidates = Candidate.objects.bulk_create(
            Candidate(
                cycle=cycle,
                organization=org,
                name=f"Candidate {i:03d}",
                email=f"c{i}@bench.example.org",
            )
            for i in range(n_candidates)
        )
        raters, responses, scores, comments = [], [], [], []
        now = timezone.now()
        for candidate in candidates:
            level = rng.normal(3.7, 0.35)
            comp_shift = {c: rng.normal(0, 0.3) for c in set(comp_of.tolist())}
            short = rng.random() < 0.2  # a group under its minimum
            for group, n in GROUP_PLAN:
                for k in range(n):
                    raters.append(
                        Rater(
                            candidate=candidate,
                            cycle=cycle,
                            organization=org,
                            group=group,
                            name=f"{group} {k}",
                            email=f"{group}{k}.{candidate.email}",
                            status=Rater.Status.COMPLETED,
                        )
                    )
                    if short and group == "community" and k >= 2:
                        continue  # invited, did not answer: community has 2 → omitted
                    response = RatingResponse(
                        cycle=cycle, candidate=candidate, organization=org, group=group
                    )
                    responses.append(response)
                    bias = 0.4 if group == "self" else 0.0
                    values = np.clip(
                        np.rint(
                            level
                            + bias
                            + np.array([comp_shift[c] for c in comp_of])
                            + rng.normal(0, 0.7, len(items))
                        ),
                        1,
                        5,
                    )
                    missing = rng.random(len(items)) < 0.07
                    for item, value, miss in zip(items, values, missing, strict=True):
                        scores.append(
                            ItemScore(
                                response=response, item=item, score=None if miss else int(value)
                            )
                        )
                    comments.append(
                        Comment(
                            response=response,
                            candidate=candidate,
                            group=group,
                            kind="strength",
                            text=f"Calm on hard calls and explains decisions "
                            f"well; supports the team ({k}).",
                            # as the worker leaves a comment seconds after it is sent
                            anonymized_at=now,
                        )
                    )
        Rater.objects.bulk_create(raters, batch_size=2000)
        RatingResponse.objects.bulk_create(responses, batch_size=2000)
        ItemScore.objects.bulk_create(scores, batch_size=5000)
        Comment.objects.bulk_create(comments, batch_size=2000)
        Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.OPEN)
    cycle.refresh_from_db()
    Report.objects.filter(cycle=cycle).delete()
    return cycle, admin, len(scores)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", type=int, default=500)
    parser.add_argument("--pdf-sample", type=int, default=20)
    parser.add_argument("--pdf-all", action="store_true")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--workers", type=int, default=None, help="PDF job worker processes")
    args = parser.parse_args()

    call_command("migrate", interactive=False, verbosity=0)
    import warnings

    from django.conf import settings

    from peacekit.core.models import JobRun
    from peacekit.core.services import jobrun_execute
    from peacekit.evaluations import (
        pdfs,
        reporting,  # noqa: F401 - a running worker has it loaded
        services,
    )
    from peacekit.evaluations.models import Cycle, Report, ReportPdf
    from peacekit.evaluations.report_view import report_context
    from peacekit.reports.rendering import render_report_pdf

    warnings.filterwarnings("ignore", message=".*csrf_token.*")
    if args.workers:
        settings.PEACEKIT_EVALUATIONS_PDF_WORKERS = args.workers
    # A running server has its URL configuration loaded and templates compiled after its
    # first request; warm this process the same way so the first timing is not start-up.
    from django.urls import reverse

    reverse("evaluations:cycle_list")
    render_to_string("evaluations/rate_state.html", {"state": "thanks"})
    t0 = time.perf_counter()
    cycle, admin, n_scores = build(args.candidates, args.seed)
    setup = time.perf_counter() - t0
    print(f"setup: {args.candidates} candidates, {n_scores:,} item answers stored in {setup:.1f} s")

    # Close, then one candidate's report as HR opens it (computed for them alone at once).
    t0 = time.perf_counter()
    job = services.cycle_close(actor=admin, cycle=cycle)
    candidate = cycle.candidates.order_by("pk").first()
    one = services.report_for_candidate(candidate=candidate)
    first = render_to_string("evaluations/report.html", {**report_context(one), "pdf": False})
    one_after_close = time.perf_counter() - t0

    # The close job: every report's data (and percentiles within the cycle) stored.
    t0 = time.perf_counter()
    jobrun_execute(job_run_id=job.pk, worker_id="bench")
    generated = time.perf_counter() - t0
    job.refresh_from_db()
    assert job.status == "succeeded", job.error_summary
    reports = list(
        Report.objects.filter(cycle=cycle).select_related(
            "candidate", "cycle", "cycle__organization"
        )
    )
    assert len(reports) == args.candidates
    omitted = sum(
        "not shown"
        in render_to_string("evaluations/report.html", {**report_context(r), "pdf": False}).split(
            "Promotability"
        )[0]
        for r in reports[:50]
    )

    # Every HTML report.
    t0 = time.perf_counter()
    total_bytes = 0
    for report in reports:
        total_bytes += len(
            render_to_string("evaluations/report.html", {**report_context(report), "pdf": False})
        )
    render_all = time.perf_counter() - t0

    # PDFs one at a time, as a download makes one on demand (a sample, in this process).
    sample = reports if args.pdf_all else reports[: args.pdf_sample]
    t0 = time.perf_counter()
    for report in sample:
        render_report_pdf("evaluations/report.html", report_context(report))
    pdf_seconds = time.perf_counter() - t0
    per_pdf = pdf_seconds / max(1, len(sample))
    pdf_all = per_pdf * len(reports)

    # The cycle's PDF job, queued by the report job: every PDF, for real, stored.
    pdf_job = JobRun.objects.get(kind="evaluations.prepare_pdfs", parameters__cycle_id=cycle.pk)
    children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    self0 = time.process_time()
    t0 = time.perf_counter()
    jobrun_execute(job_run_id=pdf_job.pk, worker_id="bench")
    batch = time.perf_counter() - t0
    children1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_fields = ("ru_utime", "ru_stime")
    worker_cpu = sum(getattr(children1, k) - getattr(children0, k) for k in cpu_fields)
    parent_cpu = time.process_time() - self0
    load = os.getloadavg()
    pdf_job.refresh_from_db()
    assert pdf_job.status == "succeeded", pdf_job.error_summary
    stored = ReportPdf.objects.filter(report__cycle=cycle)
    n_stored = stored.count()
    assert n_stored == len(reports) and pdf_job.progress == 100
    assert all(bytes(p).startswith(b"%PDF") for p in stored.values_list("pdf", flat=True))
    stored_kib = sum(len(p) for p in stored.values_list("pdf", flat=True)) / n_stored / 1024
    # A download once the job is done: check the stored file is current, serve it.
    t0 = time.perf_counter()
    served = pdfs.report_pdf_bytes(reports[-1])
    download = time.perf_counter() - t0
    assert served.startswith(b"%PDF")

    all_html = generated + render_all
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPU(s) visible, Python "
        f"{platform.python_version()}"
    )
    print(f"anchor (seed 000 service): reports within 72 h = {ANCHOR_SECONDS:,} s")
    print(
        f"report data for all {len(reports)} candidates (load, score, bootstrap, comments, "
        f"store): {generated:.2f} s"
    )
    print(
        f"one report after close (close, compute it alone, render): {one_after_close:.2f} s"
        f"  [goal ≤ 2 s] {'OK' if one_after_close <= 2 else 'MISSED'}"
    )
    print(
        f"all HTML reports after close: {all_html:.2f} s (render {render_all:.2f} s, "
        f"{total_bytes / len(reports) / 1024:.0f} KiB each)  [goal ≤ 60 s] "
        f"{'OK' if all_html <= 60 else 'MISSED'}"
    )
    label = "all" if args.pdf_all else f"sample of {len(sample)}, extrapolated"
    print(
        f"PDFs one at a time, on demand ({label}): {per_pdf:.2f} s each → {pdf_all:.0f} s "
        f"for {len(reports)}"
    )
    print(
        f"PDFs for all {n_stored} by the cycle's PDF job ({pdfs.pdf_workers()} worker "
        f"processes, measured, not extrapolated): {batch:.1f} s ({n_stored / batch:.2f} PDFs/s, "
        f"{stored_kib:.0f} KiB each)  [goal ≤ 300 s] {'OK' if batch <= 300 else 'MISSED'}"
    )
    print(
        f"  PDF job CPU: workers {worker_cpu:.1f} s ({worker_cpu / n_stored:.2f} s per PDF), "
        f"this process (markup, storing) {parent_cpu:.1f} s; load average after "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min) on {os.cpu_count()} CPUs"
    )
    print(f"a download once the job is done (stored PDF, checked current): {download:.3f} s")
    print(f"groups omitted in the first 50 reports: {omitted}; first page {len(first)} bytes")
    Cycle.objects.filter(pk=cycle.pk).delete()


if __name__ == "__main__":
    main()
