"""Candidates' report PDFs, made ahead of time for a whole cycle so downloads are instant.

When a cycle's reports are generated (close, or "Generate reports again"), a job renders every
candidate's PDF in a pool of worker processes (`PEACEKIT_EVALUATIONS_PDF_WORKERS`, default
`os.cpu_count()`) and stores it (`ReportPdf`). Each stored PDF carries the SHA-256 of the print
markup it was made from; a download re-renders that markup (milliseconds), serves the stored file
when the fingerprint matches, and otherwise makes the PDF on demand as before (and stores it).
So a report whose data changed, a new language or a new template never gets an old file.

The parent process reads the database and renders the markup; workers only turn markup into
PDF bytes (WeasyPrint), so they never touch the database.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from peacekit.evaluations import pdf_worker
from peacekit.evaluations.models import Cycle, Report, ReportPdf
from peacekit.evaluations.report_view import report_context
from peacekit.reports.rendering import markup_to_pdf, render_report_pdf_markup

logger = logging.getLogger(__name__)

TEMPLATE = "evaluations/report.html"
# Bump when the PDF changes without the markup changing (print stylesheet, fonts): every
# stored PDF is then stale and is made again.
PDF_FORMAT = "360-pdf-1"


def pdf_workers() -> int:
    """Worker processes for a cycle's PDFs: the setting, else one per CPU."""
    configured = getattr(settings, "PEACEKIT_EVALUATIONS_PDF_WORKERS", None)
    return max(1, int(configured or os.cpu_count() or 1))


def report_markup(report: Report) -> str:
    """The print markup of a candidate's report (what the PDF is made from)."""
    return render_report_pdf_markup(TEMPLATE, report_context(report))


def fingerprint(markup: str) -> str:
    return hashlib.sha256(f"{PDF_FORMAT}\n{markup}".encode()).hexdigest()


def _store(report_id: int, pdf: bytes, digest: str) -> None:
    ReportPdf.objects.update_or_create(
        report_id=report_id,
        defaults={"pdf": pdf, "fingerprint": digest, "generated_at": timezone.now()},
    )


def report_pdf_bytes(report: Report) -> bytes:
    """The report's PDF: the stored file if it is current, else made now (and stored)."""
    markup = report_markup(report)
    digest = fingerprint(markup)
    stored = (
        ReportPdf.objects.filter(report_id=report.pk, fingerprint=digest)
        .values_list("pdf", flat=True)
        .first()
    )
    if stored is not None:
        return bytes(stored)
    pdf = markup_to_pdf(markup)
    try:
        with transaction.atomic():
            _store(report.pk, pdf, digest)
    except Exception:  # noqa: BLE001 - a failed cache write must not fail the download
        logger.warning("could not store the PDF of report %s", report.pk)
    return pdf


def _each(cycle: Cycle) -> Iterable[tuple[int, str, str, bool]]:
    """(report id, markup, fingerprint, stored PDF is current) for every report of the cycle."""
    stored = dict(
        ReportPdf.objects.filter(report__cycle=cycle).values_list("report_id", "fingerprint")
    )
    reports = Report.objects.filter(cycle=cycle).select_related(
        "candidate", "cycle", "cycle__organization"
    )
    for report in reports.iterator(chunk_size=100):
        markup = report_markup(report)
        digest = fingerprint(markup)
        yield report.pk, markup, digest, stored.get(report.pk) == digest


def cycle_pdfs_prepare(
    *,
    cycle: Cycle,
    progress: Callable[[float, str], None] | None = None,
    workers: int | None = None,
) -> dict[str, int]:
    """Make and store the PDF of every report of the cycle that has none or a stale one.

    Re-runnable: a PDF stored before a crash is current and is not made again.
    """
    workers = workers or pdf_workers()
    total = Report.objects.filter(cycle=cycle).count()
    counts = {"made": 0, "already_current": 0}

    def step(force: bool = False) -> None:
        ready = counts["made"] + counts["already_current"]
        if progress is not None and (force or ready % 5 == 0):
            progress(100 * ready / max(1, total), f"{ready} of {total} PDFs ready")

    step(force=True)
    if workers <= 1 or total <= 1:
        for report_id, markup, digest, current in _each(cycle):
            if not current:
                _store(report_id, markup_to_pdf(markup), digest)
            counts["already_current" if current else "made"] += 1
            step()
    else:
        import multiprocessing

        # Spawned (not forked) workers: a copy of a process holding database connections and
        # threads is not safe; each worker sets Django up once and then only converts markup.
        # Workers start on the first submission and convert while this process renders the
        # rest of the markup.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            max_workers=min(workers, total), mp_context=context, initializer=pdf_worker.init
        ) as pool:
            futures = {}
            for report_id, markup, digest, current in _each(cycle):
                if current:
                    counts["already_current"] += 1
                    continue
                futures[pool.submit(pdf_worker.markup_to_pdf, markup)] = (report_id, digest)
            remaining = set(futures)
            while remaining:
                finished, remaining = wait(remaining, return_when=FIRST_COMPLETED)
                for future in finished:
                    report_id, digest = futures.pop(future)
                    _store(report_id, future.result(), digest)
                    counts["made"] += 1
                    step()
    step(force=True)
    return {"pdfs": total, **counts}
