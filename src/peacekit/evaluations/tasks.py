"""Background jobs: every candidate's report (then its PDF) when a cycle closes; reminders."""

from __future__ import annotations

from django.urls import reverse

from peacekit.core.jobs import job_handler, periodic
from peacekit.core.services import JobError
from peacekit.evaluations import services
from peacekit.evaluations.models import Cycle


def _cycle(job) -> Cycle:
    cycle = Cycle.objects.filter(pk=job.parameters.get("cycle_id")).first()
    if cycle is None:
        raise JobError("The evaluation cycle no longer exists.")
    return cycle


@job_handler("evaluations.generate_reports", label="360 reports")
def generate_reports(job, progress):
    """Generate (or regenerate) every candidate's report; safe to run again."""
    cycle = _cycle(job)
    count = services.reports_generate(cycle=cycle, progress=progress)
    # Then every PDF, in its own job (its own progress): downloads become instant, and a
    # report whose data just changed gets a new PDF.
    services.pdfs_enqueue(actor=None, cycle=cycle)
    return {"reports": count, "result_url": reverse("evaluations:cycle_cohort", args=[cycle.pk])}


@job_handler("evaluations.prepare_pdfs", label="360 report PDFs")
def prepare_pdfs(job, progress):
    """Make and store every candidate's report PDF (process pool); current ones are kept."""
    from peacekit.evaluations.pdfs import cycle_pdfs_prepare

    cycle = _cycle(job)
    outcome = cycle_pdfs_prepare(cycle=cycle, progress=progress)
    return {**outcome, "result_url": reverse("evaluations:cycle_detail", args=[cycle.pk])}


@job_handler("evaluations.send_reminders", label="360 reminders")
def send_reminders(job, progress):
    """Remind raters who have not answered; only raters due for a reminder get one."""
    cycle = _cycle(job)
    return {"reminded": services.reminders_send(cycle=cycle)}


@job_handler("evaluations.anonymize_comments", label="Anonymize new 360 comments")
def anonymize_comments(job, progress):
    """Anonymize the organization's comments stored raw by the answer page; re-runnable."""
    count = services.comments_anonymize(
        organization_id=job.organization_id, progress=progress.counts("comments")
    )
    progress(100, "Done")
    return {"anonymized": count}


@periodic(
    "evaluations.comments_sweep", setting="PEACEKIT_ANONYMIZE_SWEEP_SECONDS", default_seconds=2
)
def comments_sweep():
    """Every worker, every 2 s by default: queue the job for comments that wait for it."""
    return services.comments_sweep()
