from django.apps import AppConfig


class SurveysConfig(AppConfig):
    """Perception surveys: instruments, waves, responses, evaluation results."""

    name = "peacekit.surveys"
    label = "surveys"
