"""Jobs run in a separate worker process: enqueued from the web, survivable when a worker dies."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from peacekit.core.models import AuditEvent, JobRun
from peacekit.core.services import jobrun_enqueue
from tests.core import jobs_for_tests  # noqa: F401 - registers tests.slow_steps here too

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings.get("USER") or "postgres"
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{settings['NAME']}"


def start_worker(*extra: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "peacekit.settings",
        "PEACEKIT_TESTING": "1",
        "PEACEKIT_EXTRA_JOB_MODULES": "tests.core.jobs_for_tests",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "peacekit.cli", "worker", "--interval", "0.1", *extra],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def wait_for(predicate, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_job_enqueued_from_the_web_runs_in_a_worker_process(client, program_admin):
    client.force_login(program_admin)
    response = client.post("/audit/", {"action": "organization"})
    job = JobRun.objects.get(kind="core.audit_export")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == JobRun.Status.QUEUED

    worker = start_worker("--batch")
    output, _ = worker.communicate(timeout=120)
    assert worker.returncode == 0, output.decode(errors="replace")[-2000:]

    job.refresh_from_db()
    assert job.status == JobRun.Status.SUCCEEDED, job.error_summary
    assert job.progress == 100 and job.attempts == 1
    page = client.get(f"/jobs/{job.pk}/progress/")
    assert b"Succeeded" in page.content and b"Download result" in page.content
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200
    assert b"time,actor,organization,action" in b"".join(download.streaming_content)


def test_job_killed_mid_way_completes_once_after_restart(program_admin):
    job = jobrun_enqueue(
        kind="tests.slow_steps",
        actor=program_admin,
        organization=None,
        parameters={"steps": 12, "delay": 0.25},
    )
    first = start_worker()
    try:
        assert wait_for(lambda: JobRun.objects.get(pk=job.pk).progress >= 25, timeout=90)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    job.refresh_from_db()
    assert job.status == JobRun.Status.RUNNING and job.progress < 100

    time.sleep(1.5)  # let the heartbeat go stale
    second = start_worker("--batch", "--stale-seconds", "1")
    output, _ = second.communicate(timeout=120)
    assert second.returncode == 0, output.decode(errors="replace")[-2000:]

    job.refresh_from_db()
    assert job.status == JobRun.Status.SUCCEEDED
    assert job.attempts == 2
    steps = AuditEvent.objects.filter(action="tests.step", object_id__startswith=f"{job.pk}:")
    assert steps.count() == 12
    assert steps.values("object_id").distinct().count() == 12
