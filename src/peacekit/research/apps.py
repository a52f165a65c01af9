from django.apps import AppConfig


class ResearchConfig(AppConfig):
    """Research: statute terminology survey and program-effectiveness dashboard."""

    name = "peacekit.research"
    label = "research"
