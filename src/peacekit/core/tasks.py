"""Core background tasks: the one generic runner, and the audit log export job."""

from __future__ import annotations

import csv
import io

from django.core.files.base import ContentFile
from django_tasks import task

from peacekit.core import selectors
from peacekit.core.jobs import Progress, job_handler
from peacekit.core.models import JobRun


@task()
def run_job(job_run_id: int) -> str:
    """Run the JobRun with this id through its registered handler (thin: all logic in services)."""
    from peacekit.core.services import jobrun_execute

    return jobrun_execute(job_run_id=job_run_id)


@job_handler("core.audit_export", label="Audit log export (CSV)")
def audit_export(job: JobRun, progress: Progress) -> dict:
    """Write the filtered audit log to a CSV file attached to the job (re-runnable: overwrites)."""
    events = selectors.auditevent_list(filters=job.parameters).select_related(
        "organization", "actor"
    )
    total = events.count()
    report = progress.steps(total, "Writing rows")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["time", "actor", "organization", "action", "object_type", "object_id", "object"]
    )
    for i, event in enumerate(events.iterator(chunk_size=2000), start=1):
        writer.writerow(
            [
                event.created_at.isoformat(),
                event.actor_label,
                event.organization.name if event.organization else "",
                event.action,
                event.object_type,
                event.object_id,
                event.object_label,
            ]
        )
        report(i)
    if job.result_file:
        job.result_file.delete(save=False)
    job.result_file.save(f"audit-{job.pk}.csv", ContentFile(buffer.getvalue().encode()), save=True)
    return {"rows": total}
