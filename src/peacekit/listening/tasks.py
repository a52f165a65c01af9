"""Background jobs: the raw-text retention purge and large statement imports."""

from __future__ import annotations

from peacekit.core.jobs import job_handler, periodic
from peacekit.listening import services


@job_handler("listening.purge_raw_text", label="Purge raw statement text past retention")
def purge_raw_text(job, progress):
    """Delete raw text past each initiative's retention; safe to run again."""
    progress(10, "Purging raw text")
    result = services.purge_raw_text(actor=job.created_by)
    progress(100, "Done")
    return result


@job_handler("listening.import_statements", label="Import statements")
def import_statements(job, progress):
    """Process an uploaded import all-or-nothing; a re-run after a crash is a no-op."""
    return services.import_run_job(import_id=job.parameters["import_id"], progress=progress)


@job_handler("listening.initiative_analyze", label="Analyse an initiative (themes, stance, groups)")
def initiative_analyze(job, progress):
    """Themes, stance, factors and opinion groups; a re-run continues the same analysis run."""
    from peacekit.listening import insight

    return insight.analysis_run_job(job, progress)


@job_handler("listening.anonymize_statements", label="Anonymize new public statements")
def anonymize_statements(job, progress):
    """Propose redactions for the organization's statements that wait for them; re-runnable."""
    count = services.statements_anonymize(
        organization_id=job.organization_id, progress=progress.counts("statements")
    )
    progress(100, "Done")
    return {"anonymized": count}


@periodic(
    "listening.anonymization_sweep", setting="PEACEKIT_ANONYMIZE_SWEEP_SECONDS", default_seconds=2
)
def anonymization_sweep():
    """Every worker, every 2 s by default: queue the job for statements that wait for it."""
    return services.anonymization_sweep()
