"""Build 360 cycles with answers through the services, for tests."""

from __future__ import annotations

import random
import secrets
from datetime import timedelta

from django.utils import timezone

from peacekit.core.services import hash_token
from peacekit.evaluations import services
from peacekit.evaluations.models import Rater

COUNTS = {"supervisor": 1, "peer": 3, "direct_report": 3, "community": 3}


def issue_tokens(cycle) -> dict[int, str]:
    """Invite every approved rater with a known raw token (tests only); rater id → token."""
    tokens = {}
    for rater in Rater.objects.filter(cycle=cycle, status=Rater.Status.APPROVED):
        raw = secrets.token_urlsafe(32)
        rater.token_hash = hash_token(raw)
        rater.status = Rater.Status.INVITED
        rater.invited_at = timezone.now()
        rater.expires_at = timezone.now() + timedelta(days=7)
        rater.save()
        tokens[rater.pk] = raw
    return tokens


def build_cycle(org, admin, *, counts=None, candidates=1, respond=True, seed=1, comments=True):
    """A cycle with candidates, raters per group, opened; everyone answers if `respond`."""
    counts = counts or COUNTS
    cycle = services.cycle_create(
        actor=admin, organization=org, name="Sergeant list 2026", rank_target="Sergeant"
    )
    for c in range(candidates):
        candidate = services.candidate_add(
            actor=admin, cycle=cycle, name=f"Candidate {c}", email=f"cand{c}@example.org"
        )
        for group, n in counts.items():
            for i in range(n):
                services.rater_add(
                    actor=admin,
                    candidate=candidate,
                    group=group,
                    name=f"{group} {i}",
                    email=f"{group}{i}.c{c}@example.org",
                )
    services.cycle_open(actor=admin, cycle=cycle)
    tokens = issue_tokens(cycle)
    if respond:
        rng = random.Random(seed)
        items = services.items_for(cycle)
        for rater_id, raw in tokens.items():
            rater = Rater.objects.get(pk=rater_id)
            answers = {item.pk: rng.choice([2, 3, 4, 5, 5, None]) for item in items}
            services.response_submit(
                token=raw,
                answers=answers,
                strengths=f"Calm under pressure and listens well ({rater.group})."
                if comments
                else "",
                develop="Could delegate more to the team." if comments else "",
            )
    return cycle, tokens
