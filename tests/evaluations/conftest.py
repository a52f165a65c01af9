import pytest

from peacekit.evaluations import anonymizer


@pytest.fixture(autouse=True)
def _no_ner(monkeypatch):
    """Rule-based anonymizer only: fast and no model needed in tests."""
    monkeypatch.setattr(anonymizer, "USE_NER", False)
