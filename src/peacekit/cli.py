"""The `peacekit` command: Django's management commands with peacekit's settings.

peacekit demo        create the SQLite database, load demo data, serve on :8000
peacekit serve       production server (gunicorn)
peacekit worker      run a background-job worker
peacekit migrate     apply database migrations
peacekit createadmin create a program administrator
peacekit check --deploy, peacekit shell, ... (every Django command)
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "demo":
        # The demo is a local development server: debug pages, console email.
        os.environ.setdefault("PEACEKIT_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peacekit.settings")
    from django.core.management import execute_from_command_line

    argv[0] = "peacekit"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
