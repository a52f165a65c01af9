"""The bridge to `peacekit.analysis.anonymize`: one engine per policy, loaded once per process.

Services call `propose_spans(texts, policy=...)` (batched: the NER model runs once over all
texts) and `render_redacted(text, spans)`. Nothing here logs or stores text.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

logger = logging.getLogger(__name__)

#: Whether the engine may load its NER model (tests switch it off to stay fast).
USE_NER = True


@dataclass(frozen=True)
class ProposedSpan:
    """A range of the raw text to mask, as stored on RedactionSpan."""

    start: int
    end: int
    entity_type: str
    detector: str
    score: float


def get_engine(policy: str):
    """The process-wide Anonymizer for a policy (built on first use, never per request)."""
    from peacekit.analysis.anonymize import shared_anonymizer

    return shared_anonymizer(policy, use_ner=USE_NER)


def propose_spans(
    texts: Sequence[str], *, policy: str, allow: Sequence[str] = (), mask: Sequence[str] = ()
) -> list[list[ProposedSpan]]:
    """Spans to mask in each text, in one batched pass; `allow` and `mask` are the
    initiative's own terms (see `Initiative.anonymizer_terms`)."""
    if not texts:
        return []
    engine = get_engine(policy).with_terms(allow=allow, mask=mask)
    try:
        found = engine.analyze_many(list(texts))
    except Exception as exc:  # the NER model may be missing: fall back to the rule detectors
        logger.warning("anonymizer failed (%s); retrying without NER", type(exc).__name__)
        from peacekit.analysis.anonymize import Anonymizer

        fallback = Anonymizer(policy=policy, use_ner=False).with_terms(allow=allow, mask=mask)
        found = fallback.analyze_many(list(texts))
    keep = _allowed_ranges_finder(allow)
    return [
        [
            ProposedSpan(start, end, str(s.type), str(s.detector)[:40], float(s.score))
            for s in spans
            for start, end in _cut_around(text, s.start, s.end, keep(text))
        ]
        for text, spans in zip(texts, found, strict=True)
    ]


def _allowed_ranges_finder(allow: Sequence[str]):
    """A function giving the ranges of the initiative's readable terms in a text."""
    terms = sorted({t.strip() for t in allow if len(t.strip()) > 1}, key=len, reverse=True)
    if not terms:
        return lambda text: []
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(t) for t in terms) + r")(?!\w)", re.IGNORECASE
    )
    return lambda text: [(m.start(), m.end()) for m in pattern.finditer(text)]


def _cut_around(
    text: str, start: int, end: int, allowed: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The parts of [start, end) outside the readable terms that still hold a word (a span
    such as "Bowling Green the Eastside Center" keeps neither the city nor the center)."""
    pieces = [(start, end)]
    for a, b in allowed:
        pieces = [
            part for s, e in pieces for part in ((s, min(e, a)), (max(s, b), e)) if s < b and a < e
        ] + [(s, e) for s, e in pieces if not (s < b and a < e)]
    out = []
    for s, e in sorted(pieces):
        piece = text[s:e]
        words = re.findall(r"\w+", piece)
        if e > s and any(len(w) > 3 or w[:1].isupper() or w.isdigit() for w in words):
            lead = len(piece) - len(piece.lstrip(" ,.;:/-"))
            trail = len(piece) - len(piece.rstrip(" ,.;:/-"))
            out.append((s + lead, e - trail))
    return [(s, e) for s, e in out if e > s]


def _merge(spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Non-overlapping spans in order; an overlap keeps the earlier, longer range."""
    merged: list[tuple[int, int, str]] = []
    for start, end, kind in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if merged and start < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), last[2])
            continue
        merged.append((start, end, kind))
    return merged


def render_redacted(text: str, spans: Sequence[tuple[int, int, str]]) -> str:
    """The text with each span replaced by a numbered placeholder such as "[PERSON 1]"."""
    from peacekit.analysis.anonymize import PlaceholderRegistry

    registry = PlaceholderRegistry()
    out: list[str] = []
    position = 0
    for start, end, kind in _merge([s for s in spans if 0 <= s[0] < s[1] <= len(text)]):
        out.append(text[position:start])
        out.append(registry.placeholder(kind, text[start:end]))
        position = end
    out.append(text[position:])
    return "".join(out)


def segments(text: str, spans: Sequence[tuple[int, int, str, int]]) -> list[dict]:
    """The raw text cut into plain and highlighted pieces for the review page."""
    pieces: list[dict] = []
    position = 0
    for start, end, kind, span_id in sorted(spans):
        if start < position or end > len(text):
            continue
        if start > position:
            pieces.append({"text": text[position:start], "span": None})
        pieces.append({"text": text[start:end], "span": span_id, "type": kind})
        position = end
    if position < len(text):
        pieces.append({"text": text[position:], "span": None})
    return pieces
