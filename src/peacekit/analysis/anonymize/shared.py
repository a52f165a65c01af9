"""One Anonymizer per (policy, NER on/off) per process: the NER model loads once, not per call.

Every app that anonymizes text (listening, surveys, evaluations) gets its engine here.
"""

from __future__ import annotations

import threading

from .engine import Anonymizer
from .types import Policy

_ENGINES: dict[tuple[str, bool], Anonymizer] = {}
_LOCK = threading.Lock()


def shared_anonymizer(
    policy: Policy | str = Policy.DIRECT_QUASI, *, use_ner: bool = True
) -> Anonymizer:
    """The process-wide engine for this policy (built on first use; thread-safe)."""
    key = (str(Policy(policy)), use_ner)
    engine = _ENGINES.get(key)
    if engine is None:
        with _LOCK:
            engine = _ENGINES.get(key)
            if engine is None:
                engine = _ENGINES[key] = Anonymizer(policy=policy, use_ner=use_ner)
    return engine
