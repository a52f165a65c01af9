"""`peacekit evaluation_reminders`: queue the reminder job for every open 360 cycle.

Run it from cron (for example daily); each rater is reminded at most every 3 days, 3 times.
"""

from django.core.management.base import BaseCommand

from peacekit.core.services import jobrun_enqueue
from peacekit.evaluations.models import Cycle


class Command(BaseCommand):
    help = "Queue reminders to raters who have not answered, for every open 360 cycle."

    def handle(self, *args, **options):
        count = 0
        for cycle in Cycle.objects.filter(status=Cycle.Status.OPEN):
            jobrun_enqueue(
                kind="evaluations.send_reminders",
                actor=None,
                organization=cycle.organization,
                parameters={"cycle_id": cycle.pk},
            )
            count += 1
        self.stdout.write(f"Reminder jobs queued for {count} open cycle(s).")
