"""`peacekit listening_purge`: queue the raw-text retention purge (run it daily from cron)."""

from django.core.management.base import BaseCommand

from peacekit.core.services import jobrun_enqueue


class Command(BaseCommand):
    help = "Queue the job that deletes raw statement text past each initiative's retention."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Run in this process, not the worker."
        )

    def handle(self, *args, **options):
        if options["now"]:
            from peacekit.listening.services import purge_raw_text

            result = purge_raw_text(actor=None)
            self.stdout.write(f"Purged raw text of {result['purged']} statements.")
            return
        job = jobrun_enqueue(kind="listening.purge_raw_text", actor=None, organization=None)
        self.stdout.write(f"Queued job {job.pk}.")
