"""The bridge to `peacekit.analysis.anonymize` for 360 comments: one engine per process.

The answer page stores a comment encrypted; `services.comments_anonymize` (a job, and always
before a report) replaces it with the anonymized text. The raw text is never shown or logged.
"""

from __future__ import annotations

from collections.abc import Sequence

#: Whether the engine may load its NER model (tests switch it off to stay fast).
USE_NER = True


def get_engine():
    """The process-wide Anonymizer (built on first use, never per request)."""
    from peacekit.analysis.anonymize import Policy, shared_anonymizer

    return shared_anonymizer(Policy.DIRECT_QUASI, use_ner=USE_NER)


def anonymize_texts(texts: Sequence[str]) -> list[str]:
    """Each text with names, contacts and other identifiers replaced by placeholders."""
    texts = [t.strip() for t in texts]
    if not any(texts):
        return list(texts)
    from peacekit.analysis.anonymize import ModelUnavailableError

    engine = get_engine()
    try:
        return [r.text for r in engine.redact_many(texts)]
    except ModelUnavailableError:
        # No NER model installed: fall back to the rule-based detectors, never to raw text.
        global USE_NER
        USE_NER = False
        return [r.text for r in get_engine().redact_many(texts)]
