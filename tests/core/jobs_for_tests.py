"""A slow, step-wise job used by the worker tests (loaded via PEACEKIT_EXTRA_JOB_MODULES)."""

import time

from peacekit.core.jobs import job_handler
from peacekit.core.models import AuditEvent


@job_handler("tests.slow_steps", label="Slow test job")
def slow_steps(job, progress):
    """Each step leaves one effect, written idempotently, so a re-run never doubles it."""
    steps = int(job.parameters.get("steps", 10))
    for i in range(steps):
        AuditEvent.objects.get_or_create(
            action="tests.step", object_type="tests.step", object_id=f"{job.pk}:{i}"
        )
        progress(100 * (i + 1) / steps, f"Step {i + 1} of {steps}")
        time.sleep(float(job.parameters.get("delay", 0.3)))
    return {"steps": steps}
