from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    """Policing Performance 360: frameworks, cycles, raters, reports."""

    name = "peacekit.evaluations"
    label = "evaluations"
