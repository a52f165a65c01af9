from django.apps import AppConfig


class ListeningConfig(AppConfig):
    """Peace Initiatives: listening sessions from plan to published statements."""

    name = "peacekit.listening"
    label = "listening"
