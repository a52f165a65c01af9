"""Listening tests: the anonymizer runs without its NER model (fast), and a fresh cache."""

import pytest
from django.core.cache import cache

from peacekit.listening import anonymizer


@pytest.fixture(autouse=True)
def _fast_anonymizer(monkeypatch):
    monkeypatch.setattr(anonymizer, "USE_NER", False)
    cache.clear()
    yield
    cache.clear()
