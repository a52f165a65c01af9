"""A small published initiative with three topics and two camps of voters (fast to analyse)."""

from __future__ import annotations

import random

from django.utils import timezone

from peacekit.listening.models import MicroCommunity, Statement, Vote

TOPICS = {
    "patrol": [
        "Officers should walk the neighborhood on foot patrol and talk to neighbors",
        "Foot patrol downtown would help officers know the neighbors",
        "We want officers walking the neighborhood, not just driving through",
        "More foot patrol in the park in the evening please",
        "Bike and foot patrol make officers part of the neighborhood",
        "Foot patrol officers who know the neighbors by name build trust",
    ],
    "youth": [
        "The youth center closed and kids have nowhere to go after school",
        "Kids need after school programs and summer jobs",
        "Open the youth center again so teenagers have a safe place after school",
        "Summer jobs for teenagers keep kids out of trouble",
        "After school mentoring for kids would prevent violence",
        "Teenagers need a safe youth center and summer programs",
    ],
    "response": [
        "Nobody answered when I called about the break in and response time was terrible",
        "Response time to emergency calls is too slow in our area",
        "When we call nobody comes for an hour, response times are too long",
        "The police never show up when we report a break in",
        "Emergency response time must improve on the east side",
        "Calls about break ins get a slow response or none at all",
    ],
}


def build(initiative, *, voters: int = 30, officers: int = 8, seed: int = 1):
    """Published statements across two micro-communities, plus votes with roles."""
    rng = random.Random(seed)
    east = MicroCommunity.objects.create(
        initiative=initiative, name="Eastside", kind="neighborhood"
    )
    west = MicroCommunity.objects.create(
        initiative=initiative, name="Westside", kind="neighborhood"
    )
    statements = []
    for topic, texts in TOPICS.items():
        for i, text in enumerate(texts):
            statements.append(
                Statement.objects.create(
                    initiative=initiative,
                    redacted_text=text,
                    status=Statement.Status.PUBLISHED,
                    source=Statement.Source.FACILITATOR,
                    submission_key=f"{topic}-{i}-{rng.random()}",
                    micro_community=east if i % 2 else west,
                    published_at=timezone.now(),
                )  # fmt: skip
            )
    votes = []
    for p in range(voters + officers):
        role = "officer" if p >= voters else "resident"
        camp = p % 2
        for s in statements:
            topic = s.submission_key.split("-")[0]
            if rng.random() < 0.2:
                continue
            if topic == "patrol":
                value = 1  # everyone agrees
            elif topic == "youth":
                value = 1 if camp == 0 else -1
            else:
                value = -1 if camp == 0 else rng.choice([1, 0])
            votes.append(Vote(statement=s, participant_hash=f"p{p}", value=value,
                              participant_role=role))  # fmt: skip
    Vote.objects.bulk_create(votes)
    return statements
