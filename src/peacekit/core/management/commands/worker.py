"""Run a background-job worker: claims queued jobs (SKIP LOCKED on PostgreSQL) and runs them."""

import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from peacekit.core.jobs import periodic_checks
from peacekit.core.services import jobrun_recover_stale

logger = logging.getLogger(__name__)


def run_periodic_checks(stop: threading.Event, tick: float = 0.5) -> None:
    """Run each registered periodic check when it is due, until `stop` is set."""
    due: dict[str, float] = {}
    while not stop.wait(tick):
        for check in periodic_checks():
            now = time.monotonic()
            if now < due.get(check.name, 0.0):
                continue
            due[check.name] = now + check.every_seconds
            try:
                check.func()
            except Exception:  # a failing check must not stop the worker; it runs again
                logger.exception("periodic check %s failed", check.name)
            finally:
                close_old_connections()


class Command(BaseCommand):
    help = "Run a peacekit worker. Start any number, on any number of machines (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")
        parser.add_argument("--batch", action="store_true", help="Run queued jobs, then exit.")
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--worker-id", default=None)
        parser.add_argument(
            "--stale-seconds",
            type=int,
            default=None,
            help="Re-queue running jobs without a heartbeat for this long (default from settings).",
        )

    def handle(self, *args, **options):
        stale = options["stale_seconds"] or settings.PEACEKIT_JOB_STALE_SECONDS
        recovered = jobrun_recover_stale(older_than_seconds=stale)
        if recovered:
            self.stdout.write(f"Re-queued {len(recovered)} interrupted job(s): {recovered}")
        stop = threading.Event()

        def watchdog():
            while not stop.wait(max(5, stale / 2)):
                try:
                    jobrun_recover_stale(older_than_seconds=stale)
                finally:
                    close_old_connections()

        threading.Thread(target=watchdog, name="peacekit-stale-jobs", daemon=True).start()
        threading.Thread(
            target=run_periodic_checks, args=(stop,), name="peacekit-periodic", daemon=True
        ).start()
        kwargs = {"interval": options["interval"], "reload": False, "startup_delay": False}
        if options["batch"]:
            kwargs["batch"] = True
        if options["max_tasks"]:
            kwargs["max_tasks"] = options["max_tasks"]
        worker_id = options["worker_id"] or f"{socket.gethostname()}-{os.getpid()}"
        kwargs["worker_id"] = worker_id[:64]
        # jobrun_execute records which worker ran a job (scale-out checks, debugging).
        os.environ["PEACEKIT_WORKER_ID"] = worker_id[:64]
        self.stdout.write(self.style.SUCCESS("peacekit worker started; Ctrl+C to stop."))
        try:
            call_command("db_worker", verbosity=options["verbosity"], **kwargs)
        finally:
            stop.set()
