"""Background jobs for reports."""

from __future__ import annotations

from peacekit.core.jobs import job_handler


@job_handler("reports.generate", label="Generate a Peace Initiative report (web page and PDF)")
def generate_report(job, progress):
    """Render the report once; a re-run after a crash finishes the same version."""
    from peacekit.reports import services

    return services.report_generate_job(job, progress)
