"""Training jobs: thin wrappers that call services."""

from __future__ import annotations

from peacekit.core.jobs import Progress, job_handler
from peacekit.core.models import JobRun
from peacekit.training.services import certification_send_reminders


@job_handler("training.certification_reminders", label="Certification expiry reminders")
def certification_reminders(job: JobRun, progress: Progress) -> dict:
    """Send due 90/30-day reminders; re-runnable (each reminder is claimed once)."""
    progress(10, "Checking expiry dates")
    sent = certification_send_reminders()
    return {"sent_90": sent["90"], "sent_30": sent["30"], "expired": sent["expired"]}
