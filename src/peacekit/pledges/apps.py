from django.apps import AppConfig


class PledgesConfig(AppConfig):
    """Peace Officer Promise: sign-on, public registry, checklist, toolkit, symbols."""

    name = "peacekit.pledges"
    label = "pledges"
