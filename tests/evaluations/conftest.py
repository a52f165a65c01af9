import pytest

from peacekit.evaluations import anonymizer


@pytest.fixture(autouse=True)
def _no_ner(monkeypatch):
    """Rule-based anonymizer only: fast and no model needed in tests."""
    monkeypatch.setattr(anonymizer, "USE_NER", False)


@pytest.fixture(autouse=True)
def _pdfs_in_process(settings):
    """The PDF job renders in this process unless a test asks for the worker pool."""
    settings.PEACEKIT_EVALUATIONS_PDF_WORKERS = 1
