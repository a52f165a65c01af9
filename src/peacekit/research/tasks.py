"""Research jobs: thin wrappers that call services."""

from __future__ import annotations

from django.urls import reverse

from peacekit.core.jobs import Progress, job_handler
from peacekit.core.models import JobRun
from peacekit.research.models import ImportRun
from peacekit.research.services import import_run_execute


@job_handler("research.import", label="Import statute sections")
def import_statutes(job: JobRun, progress: Progress) -> dict:
    """Write a validated upload (all or nothing) and reclassify; re-runnable."""
    run = ImportRun.objects.get(pk=job.parameters["import_run_id"])
    progress(5, "Writing sections")
    run = import_run_execute(import_run=run, progress=progress)
    return {
        "sections": run.section_count,
        "result_url": reverse("research:review", args=[run.corpus_id]),
    }
