"""`peacekit demo`: create the SQLite database, load demo data, start a worker, serve on :8000."""

import importlib
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings
from tqdm import tqdm

from peacekit.core import demo


class Command(BaseCommand):
    help = "Set up the demo database and data, then serve peacekit on http://127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="Load data and exit.")
        parser.add_argument("--no-worker", action="store_true", help="Do not start a worker.")

    def handle(self, *args, **options):
        self.stdout.write(f"Database: {settings.DATABASES['default']['NAME']}")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(self.style.SUCCESS("Database migrated."))
        if demo.demo_exists():
            self.stdout.write("Demo data already loaded.")
        else:
            self.load_all()
        self.print_logins(options["addrport"])
        if options["no_serve"]:
            return
        worker = None
        if not options["no_worker"]:
            worker = subprocess.Popen(  # noqa: S603 - our own CLI
                [sys.executable, "-m", "peacekit.cli", "worker", "--interval", "0.5"]
            )
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)

    def load_all(self):
        loaders = [("core", demo.load)]
        for app in settings.PEACEKIT_APPS[1:]:
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            loaders.append((app.rsplit(".", 1)[-1], module.load))
        context = demo.DemoContext()
        # Demo data sends no email (the invitations and notices it creates would otherwise
        # fill the console before the logins are printed).
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            tqdm(total=len(loaders), desc="Loading demo data", unit="part") as bar,
        ):
            for name, loader in loaders:
                bar.set_postfix_str(name)
                loader(context, progress=bar)
                bar.update(1)

    def print_logins(self, addrport: str):
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"peacekit demo: open http://{addrport}/"))
        self.stdout.write(f"Every demo login uses the password: {demo.DEMO_PASSWORD}")
        for email, name, _org, role in demo.DEMO_USERS:
            self.stdout.write(f"  {role:<14} {email:<42} {name}")
        self.stdout.write("")
