"""Engines shared by the anonymizer test modules."""

from __future__ import annotations

from collections.abc import Iterable

from peacekit.analysis.anonymize import AllowList, Anonymizer


def warm_engine(policy: str, allow: Iterable[str] = ()) -> Anonymizer:
    """An engine with these readable terms, its NER model already loaded."""
    engine = Anonymizer(policy=policy, allow_list=AllowList(list(allow)))
    engine.analyze("warm up the model, Officer Smith")
    return engine
