"""`peacekit restore ARCHIVE`: load a `peacekit backup` archive into an empty database."""

import json
import shutil
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from peacekit.core.models import Organization, User


class Command(BaseCommand):
    help = "Restore a backup archive made by `peacekit backup` (all-or-nothing)."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--force", action="store_true", help="Restore even if the database has data."
        )

    def handle(self, *args, **options):
        archive_path = Path(options["archive"])
        if not archive_path.is_file():
            raise CommandError(f"No such backup archive: {archive_path}")
        call_command("migrate", interactive=False, verbosity=0)
        if not options["force"] and (User.objects.exists() or Organization.objects.exists()):
            raise CommandError("The database is not empty; use --force to restore over it.")
        with tempfile.TemporaryDirectory() as tmp:
            with tarfile.open(archive_path, "r:gz") as archive:
                archive.extractall(tmp, filter="data")
            manifest = json.loads((Path(tmp) / "manifest.json").read_text())
            if manifest.get("peacekit_backup") != 1:
                raise CommandError("This file is not a peacekit backup.")
            with transaction.atomic():
                call_command("loaddata", str(Path(tmp) / "data.json"), verbosity=0)
            media = Path(tmp) / "media"
            if media.exists():
                shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
        self.stdout.write(
            self.style.SUCCESS(f"Restored {manifest['objects']} objects from {archive_path}")
        )
