"""Production web server: gunicorn serving peacekit.wsgi (static files through WhiteNoise)."""

import os
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve peacekit with gunicorn (production). Run `peacekit collectstatic` first."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("PEACEKIT_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
        )
        parser.add_argument("--threads", type=int, default=4)

    def handle(self, *args, **options):
        argv = [
            sys.executable, "-m", "gunicorn", "peacekit.wsgi:application",
            "--bind", options["bind"],
            "--workers", str(options["workers"]),
            "--threads", str(options["threads"]),
            "--access-logfile", "-",
            "--max-requests", "2000", "--max-requests-jitter", "200",
        ]  # fmt: skip
        os.execv(sys.executable, argv)  # noqa: S606 - replace this process with gunicorn
