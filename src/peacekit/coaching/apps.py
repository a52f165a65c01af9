from django.apps import AppConfig


class CoachingConfig(AppConfig):
    """Coaching: needs assessments, coaches, matching, agreements, sessions."""

    name = "peacekit.coaching"
    label = "coaching"
