from django.apps import AppConfig


class TrainingConfig(AppConfig):
    """Training: courses, offerings, licences, enrollments, certificates, agency certification."""

    name = "peacekit.training"
    label = "training"
