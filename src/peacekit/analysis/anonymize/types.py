"""Plain data types of the anonymization engine: spans, redactions, policies, entity types."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum


class Level(StrEnum):
    """How strongly a span identifies a person (TAB's identifier types)."""

    DIRECT = "direct"
    QUASI = "quasi"


class Policy(StrEnum):
    """What an initiative masks: direct identifiers only, or direct and quasi-identifiers."""

    DIRECT = "direct"
    DIRECT_QUASI = "direct_quasi"

    def allows(self, level: Level) -> bool:
        """Whether a span of this level is masked under this policy."""
        return level is Level.DIRECT or self is Policy.DIRECT_QUASI


# Entity types: the placeholder label a reviewer sees, and the default level of each.
PERSON = "PERSON"
ADDRESS = "ADDRESS"
PHONE = "PHONE"
EMAIL = "EMAIL"
URL = "URL"
HANDLE = "HANDLE"
SSN = "SSN"
ID_NUMBER = "ID NUMBER"
CASE_NUMBER = "CASE NUMBER"
PLATE = "PLATE"
CARD_NUMBER = "CARD NUMBER"
IP_ADDRESS = "IP ADDRESS"
DATE_OF_BIRTH = "DATE OF BIRTH"
DATE = "DATE"
AGE = "AGE"
LOCATION = "PLACE"
ORGANIZATION = "ORGANIZATION"
SCHOOL = "SCHOOL"
DEMOGRAPHIC = "DEMOGRAPHIC"
QUANTITY = "QUANTITY"
EVENT = "EVENT"

DEFAULT_LEVEL: dict[str, Level] = {
    PERSON: Level.DIRECT,
    ADDRESS: Level.DIRECT,
    PHONE: Level.DIRECT,
    EMAIL: Level.DIRECT,
    URL: Level.DIRECT,
    HANDLE: Level.DIRECT,
    SSN: Level.DIRECT,
    ID_NUMBER: Level.DIRECT,
    CASE_NUMBER: Level.DIRECT,
    PLATE: Level.DIRECT,
    CARD_NUMBER: Level.DIRECT,
    IP_ADDRESS: Level.DIRECT,
    DATE_OF_BIRTH: Level.DIRECT,
    DATE: Level.QUASI,
    AGE: Level.QUASI,
    LOCATION: Level.QUASI,
    ORGANIZATION: Level.QUASI,
    SCHOOL: Level.QUASI,
    DEMOGRAPHIC: Level.QUASI,
    QUANTITY: Level.QUASI,
    EVENT: Level.QUASI,
}

ENTITY_TYPES: tuple[str, ...] = tuple(DEFAULT_LEVEL)


@dataclass(frozen=True, slots=True)
class Span:
    """A character range [start, end) that a detector proposes to mask, with its evidence."""

    start: int
    end: int
    type: str
    score: float
    detector: str
    reason: str
    level: Level = Level.DIRECT

    def __post_init__(self) -> None:
        if self.start < 0 or self.end <= self.start:
            raise ValueError(f"invalid span offsets [{self.start}, {self.end})")

    @property
    def length(self) -> int:
        """Number of characters covered."""
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        """Whether two spans share at least one character."""
        return self.start < other.end and other.start < self.end

    def shifted(self, offset: int) -> Span:
        """The same span moved by offset characters (used when joining chunks)."""
        return Span(
            self.start + offset,
            self.end + offset,
            self.type,
            self.score,
            self.detector,
            self.reason,
            self.level,
        )

    def with_bounds(self, start: int, end: int) -> Span:
        """The same evidence over other bounds."""
        return Span(start, end, self.type, self.score, self.detector, self.reason, self.level)


def make_span(
    start: int,
    end: int,
    entity_type: str,
    score: float,
    detector: str,
    reason: str,
    level: Level | None = None,
) -> Span:
    """Build a span whose level defaults to its type's usual level."""
    return Span(
        start, end, entity_type, score, detector, reason, level or DEFAULT_LEVEL[entity_type]
    )


@dataclass(frozen=True, slots=True)
class Replacement:
    """One masked span of a redaction and the placeholder that replaced it."""

    span: Span
    placeholder: str


@dataclass(slots=True)
class Redaction:
    """A redacted text with the spans behind it; original text is never kept here."""

    text: str
    replacements: list[Replacement] = field(default_factory=list)

    @property
    def spans(self) -> list[Span]:
        """The masked spans, in the offsets of the original text."""
        return [r.span for r in self.replacements]

    def counts(self) -> Counter[str]:
        """How many spans of each type were masked."""
        return Counter(r.span.type for r in self.replacements)
