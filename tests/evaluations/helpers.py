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


def pdf_text(pdf: bytes) -> str:
    """The text drawn in a WeasyPrint PDF (glyphs mapped back through the fonts' ToUnicode maps).

    Enough for tests: one line per text-showing operator, fonts' maps merged (every font in
    a 360 report is Public Sans, whose weights share glyph ids).
    """
    import re
    import zlib

    streams = []
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            streams.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue
    glyphs: dict[str, str] = {}
    for stream in streams:
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
            for gid, code in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                glyphs[gid.decode().lower()] = bytes.fromhex(code.decode()).decode("utf-16-be")
    shows = re.compile(rb"\[((?:<[0-9a-fA-F]*>|[-\d.\s])*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj")
    lines = []
    for stream in streams:
        if b"begincmap" in stream:
            continue
        for shown in shows.findall(stream):
            hexes = re.findall(rb"<([0-9a-fA-F]*)>", shown[0]) if shown[0] else [shown[1]]
            text = "".join(
                glyphs.get(h[i : i + 4].decode().lower(), "")
                for h in hexes
                for i in range(0, len(h), 4)
            )
            lines.append(text)
    return "\n".join(lines)
