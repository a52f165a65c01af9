"""The bridge to `peacekit.analysis.anonymize`: one engine per policy, loaded once per process.

Services call `propose_spans(texts, policy=...)` (batched: the NER model runs once over all
texts) and `render_redacted(text, spans)`. Nothing here logs or stores text.
"""

from __future__ import annotations

import logging
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
    initiative's own terms (`services.initiative_anonymizer_terms`): the engine's allow-list
    cuts any span around a readable term."""
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
    return [
        [
            ProposedSpan(s.start, s.end, str(s.type), str(s.detector)[:40], float(s.score))
            for s in spans
        ]
        for spans in found
    ]


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
