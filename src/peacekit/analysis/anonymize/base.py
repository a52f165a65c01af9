"""The detector contract: a no-op base that every swappable component extends."""

from __future__ import annotations

from collections.abc import Sequence

from .types import Span


class Detector:
    """Finds spans to mask; this base finds nothing (scikit-learn style: init stores params)."""

    #: short name recorded on each span this detector proposes
    name: str = "none"
    #: whether detect() should see the case-restored text (all-lowercase input)
    wants_restored_case: bool = False

    def detect(self, text: str) -> list[Span]:
        """Spans found in one text; the base finds none."""
        return []

    def detect_many(self, texts: Sequence[str]) -> list[list[Span]]:
        """Spans for each text; override to batch (the NER model does)."""
        return [self.detect(text) for text in texts]

    def get_params(self) -> dict[str, object]:
        """Constructor parameters, for logging a configuration (never text)."""
        return {k: v for k, v in vars(self).items() if not k.endswith("_")}

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({params})"


class NullDetector(Detector):
    """A detector that finds nothing, to switch a component off explicitly."""

    name = "null"
