"""Core background tasks: the generic runner, its delayed retry, audit export and email."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from peacekit.core import selectors
from peacekit.core.jobs import Progress, job_handler
from peacekit.core.models import JobRun


@task()
def run_job(job_run_id: int) -> str:
    """Run the JobRun with this id through its registered handler (thin: all logic in services)."""
    from peacekit.core.services import jobrun_execute

    return jobrun_execute(job_run_id=job_run_id)


@task()
def retry_job(job_run_id: int) -> str:
    """Queue a failed job again (enqueued with a delay by handlers that retry, e.g. email)."""
    from peacekit.core.services import jobrun_retry

    job = JobRun.objects.filter(pk=job_run_id).first()
    if job is None:
        return "missing"
    try:
        jobrun_retry(actor=None, job=job)
    except ValidationError:
        return "skipped"
    return "queued"


@job_handler("core.send_email", label="Email")
def send_email(job: JobRun, progress: Progress) -> dict:
    """Send a queued email; if the mail server is still down, try again later (bounded)."""
    from peacekit.core.fields import decrypt_text
    from peacekit.core.services import EMAIL_ERRORS, JobError, email_retry_delay

    params = job.parameters
    recipients = json.loads(decrypt_text(params["to"]))
    try:
        send_mail(
            decrypt_text(params["subject"]),
            decrypt_text(params["body"]),
            settings.DEFAULT_FROM_EMAIL,
            recipients,
            fail_silently=False,
        )
    except EMAIL_ERRORS as exc:
        delay = email_retry_delay(job.attempts)
        if delay is None:
            raise JobError(
                f"The mail server did not take the email after {job.attempts} tries."
            ) from exc
        retry_job.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(job.pk)
        raise JobError(
            f"The mail server is unavailable ({type(exc).__name__}); trying again in {delay} s."
        ) from exc
    return {"sent_to": len(recipients)}


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
