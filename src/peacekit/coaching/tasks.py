"""Coaching jobs: thin wrappers that load ids and call services."""

from __future__ import annotations

from peacekit.coaching import services
from peacekit.coaching.models import MatchRun
from peacekit.core.jobs import job_handler
from peacekit.core.services import JobError


@job_handler("coaching.match", label="Coach matching")
def match(job, progress) -> dict:
    """Compute a match run's proposals (re-runnable: a second run replaces the first)."""
    run = MatchRun.objects.filter(pk=job.parameters.get("match_run_id")).first()
    if run is None:
        raise JobError("The match run no longer exists.")
    try:
        run = services.match_run_execute(run=run, progress=progress)
    except ValueError as exc:
        MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.FAILED)
        raise JobError("Matching could not run with these settings.") from exc
    return {
        "result_url": run.get_absolute_url(),
        "matches": run.matches.count(),
        "unmatched": len(run.unmatched),
    }


@job_handler("coaching.agreement_reminders", label="Coaching agreement reminders")
def agreement_reminders(job, progress) -> dict:
    """Send end-of-agreement reminders that are due (each agreement reminded once)."""
    return {"sent": services.agreement_reminders_send()}
