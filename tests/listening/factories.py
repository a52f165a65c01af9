"""Builders for listening objects, made through the services users go through."""

from datetime import timedelta

from django.utils import timezone

from peacekit.listening import services
from peacekit.listening.models import MicroCommunity

RAW_SECRET = "My neighbor Johnathan Quigley at 4471 Elm Street told me to call 270-555-0199."


def initiative(org, actor=None, **fields):
    fields.setdefault("name", "ORGA-SECRET Listening initiative")
    fields.setdefault("jurisdiction", "Bowling Green, KY")
    return services.initiative_create(actor=actor, organization=org, **fields)


def community(init, name="ORGA-SECRET Eastside", kind=MicroCommunity.Kind.NEIGHBORHOOD, **f):
    return services.micro_community_create(actor=None, initiative=init, name=name, kind=kind, **f)


def session(init, title="ORGA-SECRET Eastside evening", **fields):
    fields.setdefault("starts_at", timezone.now() + timedelta(days=3))
    fields.setdefault("place", "Community center")
    return services.session_create(actor=None, initiative=init, title=title, **fields)


def statement(init, text=RAW_SECRET, key=None, **fields):
    return services.statement_submit(
        actor=None, initiative=init, text=text, source="facilitator",
        submission_key=key or services.new_submission_key(), **fields,
    )  # fmt: skip


def published(init, text="Patrols should walk the neighborhood more often.", **fields):
    s = statement(init, text=text, **fields)
    services.statement_publish_as_proposed(actor=None, statements=[s])
    s.refresh_from_db()
    return s
