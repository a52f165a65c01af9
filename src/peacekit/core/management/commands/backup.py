"""`peacekit backup`: the whole database (portable JSON) and uploaded files in one archive.

Encrypted fields are written as ciphertext, so the archive is readable only with the keys.
"""

import io
import json
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "django_tasks_database",
]


class Command(BaseCommand):
    help = "Write a backup archive (database as JSON + uploaded files) for `peacekit restore`."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", default=None, help="Archive path (.tar.gz).")

    def handle(self, *args, **options):
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        default = settings.DATA_DIR / "backups" / f"peacekit-{stamp}.tar.gz"
        output = Path(options["output"] or default)
        output.parent.mkdir(parents=True, exist_ok=True)
        data = io.StringIO()
        call_command(
            "dumpdata",
            exclude=EXCLUDED,
            natural_foreign=True,
            natural_primary=False,
            stdout=data,
            verbosity=0,
        )
        payload = data.getvalue().encode()
        manifest = {
            "peacekit_backup": 1,
            "created_at": timezone.now().isoformat(),
            "database": connection.vendor,
            "objects": len(json.loads(payload)),
            "migrations": list(
                MigrationRecorder.Migration.objects.values_list("app", "name").order_by("id")
            ),
        }
        media = Path(settings.MEDIA_ROOT)
        with tarfile.open(output, "w:gz") as archive:
            for name, blob in (
                ("manifest.json", json.dumps(manifest, indent=2).encode()),
                ("data.json", payload),
            ):
                info = tarfile.TarInfo(name)
                info.size = len(blob)
                archive.addfile(info, io.BytesIO(blob))
            if media.exists():
                archive.add(media, arcname="media")
        self.stdout.write(
            self.style.SUCCESS(f"Backup written: {output} ({manifest['objects']} objects)")
        )
