from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Organizations, people, roles, audit events and job runs."""

    name = "peacekit.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from peacekit.core import jobs

        jobs.autodiscover()
