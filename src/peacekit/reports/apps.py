from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Reports: rendering (HTML/PDF/CSV), charts, report runs."""

    name = "peacekit.reports"
    label = "reports"
