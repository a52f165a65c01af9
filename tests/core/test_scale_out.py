"""Scale-out on PostgreSQL: two web processes and three workers; every job runs exactly once."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import urllib.parse
import urllib.request

import pytest
from django.db import connection

from peacekit.core.models import JobRun
from tests.core.test_jobs_worker import ROOT, _database_url, start_worker, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_web(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "peacekit.settings",
        "PEACEKIT_TESTING": "1",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "peacekit.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


class Browser:
    """A tiny cookie-keeping HTTP client that signs in and posts forms with CSRF tokens."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def post(self, path: str, data: dict) -> str:
        page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path}
        )
        with self.opener.open(request, timeout=30) as response:
            return response.geturl()


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="scale-out needs PostgreSQL")
def test_two_web_processes_three_workers_every_job_runs_once(program_admin):
    assert connection.vendor == "postgresql"
    ports = [free_port(), free_port()]
    webs = [start_web(port) for port in ports]
    workers = [start_worker("--worker-id", f"w{i}") for i in range(3)]
    try:
        for port in ports:
            assert wait_for(lambda p=port: _up(p), timeout=60), "web process did not start"
        browsers = [Browser(f"http://127.0.0.1:{port}") for port in ports]
        for browser in browsers:
            browser.post("/accounts/login/", {"username": program_admin.email,
                                              "password": "correct horse battery"})  # fmt: skip
        for i in range(18):
            browsers[i % 2].post("/audit/", {})
        assert wait_for(
            lambda: JobRun.objects.filter(status=JobRun.Status.SUCCEEDED).count() == 18,
            timeout=120,
        )
    finally:
        for process in webs + workers:
            process.terminate()
        for process in webs + workers:
            process.wait(timeout=20)
    jobs = list(JobRun.objects.all())
    assert len(jobs) == 18
    assert all(job.attempts == 1 for job in jobs), "a job ran twice"
    used = {job.worker_id for job in jobs}
    assert len(used) >= 2, f"jobs were not spread across workers: {used}"


def _up(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False
