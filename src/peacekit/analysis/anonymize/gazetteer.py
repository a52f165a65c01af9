"""Per-initiative term lists: gazetteers of names to mask and allow-lists of names to keep."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .base import Detector
from .lexicon import AMBIGUOUS_NAME_WORDS, GENERIC_CAPITALIZED, STOP_WORDS_EN_ES
from .types import ENTITY_TYPES, LOCATION, PERSON, Level, Span, make_span

_TOKEN = re.compile(r"[\w'’.-]+")


def normalize_term(term: str) -> str:
    """Case- and spacing-insensitive key of a term."""
    return " ".join(t.strip(".'’").casefold() for t in _TOKEN.findall(term) if t.strip(".'’"))


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One uploaded term (an officer, a street, a business) with its aliases."""

    term: str
    type: str = PERSON
    aliases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.type not in ENTITY_TYPES:
            raise ValueError(f"unknown entity type {self.type!r}; use one of {ENTITY_TYPES}")


@dataclass(slots=True)
class Gazetteer:
    """An organization's uploaded terms, looked up by token n-grams (scales to large rosters)."""

    entries: list[GazetteerEntry] = field(default_factory=list)
    match_surnames: bool = True
    _index: dict[str, tuple[str, str]] = field(default_factory=dict, init=False, repr=False)
    _max_tokens: int = field(default=0, init=False, repr=False)

    @classmethod
    def from_terms(cls, terms: Iterable[str | tuple[str, str] | GazetteerEntry]) -> Gazetteer:
        """Build from plain strings (people), (term, type) pairs, or entries."""
        entries = []
        for term in terms:
            if isinstance(term, GazetteerEntry):
                entries.append(term)
            elif isinstance(term, tuple):
                entries.append(GazetteerEntry(term[0], term[1]))
            else:
                entries.append(GazetteerEntry(term))
        return cls(entries)

    def __post_init__(self) -> None:
        for entry in self.entries:
            self.add(entry)

    def add(self, entry: GazetteerEntry) -> None:
        """Index an entry, its aliases and (for people) its surname."""
        canonical = normalize_term(entry.term)
        if not canonical:
            return
        if entry not in self.entries:
            self.entries.append(entry)
        keys = {canonical, *(normalize_term(a) for a in entry.aliases)}
        if self.match_surnames and entry.type == PERSON and len(canonical.split()) > 1:
            surname = canonical.split()[-1]
            if surname not in STOP_WORDS_EN_ES and len(surname) > 2:
                keys.add(surname)
        for key in keys:
            if key:
                self._index.setdefault(key, (canonical, entry.type))
                self._max_tokens = max(self._max_tokens, len(key.split()))

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, key: str) -> tuple[str, str] | None:
        """(canonical term, type) for a normalized key, if listed."""
        return self._index.get(key)

    def find(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, end, canonical, type) of every listed term in text, longest match first."""
        if not self._index:
            return []
        tokens = [
            (m.start(), m.end(), m.group(0).strip(".'’").casefold()) for m in _TOKEN.finditer(text)
        ]
        found = []
        i = 0
        while i < len(tokens):
            for n in range(min(self._max_tokens, len(tokens) - i), 0, -1):
                key = " ".join(t[2] for t in tokens[i : i + n])
                hit = self._index.get(key)
                if hit is None:
                    continue
                start, end = tokens[i][0], tokens[i + n - 1][1]
                while end > start and text[end - 1] in ".'’":
                    end -= 1
                surface = text[start:end]
                # A surname alone must look like a name (capitalised) to avoid "the smith".
                if (
                    n == 1
                    and hit[0] != key
                    and not surface[:1].isupper()
                    and (key in AMBIGUOUS_NAME_WORDS or key in STOP_WORDS_EN_ES or len(key) < 4)
                ):
                    continue
                found.append((start, end, hit[0], hit[1]))
                i += n - 1
                break
            i += 1
        return found


class GazetteerDetector(Detector):
    """Masks every listed term of an organization's gazetteer (roster, streets, businesses)."""

    name = "gazetteer"

    def __init__(self, gazetteer: Gazetteer | None = None, score: float = 0.98) -> None:
        self.gazetteer = gazetteer
        self.score = score

    def detect(self, text: str) -> list[Span]:
        """Spans of listed terms with the entry's type."""
        if not self.gazetteer:
            return []
        return [
            # Uploaded terms are masked under every policy: the organization asked for it.
            make_span(
                start, end, kind, self.score, self.name, "listed in the gazetteer", Level.DIRECT
            )
            for start, end, _canonical, kind in self.gazetteer.find(text)
        ]


# Administrative police units and civic roles that reports need: never masked.
_BUILTIN_ALLOWED = re.compile(
    r"\b(?:the\s+)?\d{1,3}(?:st|nd|rd|th)\s+(?:police\s+)?(?:District|Precinct|Ward|Division"
    r"|Area|Beat|Sector|Battalion|Zone|Distrito|Precinto)\b"
    r"|\b(?:the\s+)?(?:police|fire|deputy|assistant|county|city)?\s*(?:chief|commissioner"
    r"|superintendent|sheriff|mayor|alderman|alderwoman|council(?:man|woman|member)?"
    r"|city council|police department|police|department)(?:\s+of\s+police)?\b"
    r"|\bjefe\s+de\s+(?:la\s+)?policía\b|\bla\s+policía\b",
    re.IGNORECASE,
)


@dataclass(slots=True)
class AllowList:
    """Terms that must stay readable (neighborhoods, agencies, public titles): never masked."""

    terms: list[str] = field(default_factory=list)
    builtin: bool = True
    _gazetteer: Gazetteer = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._gazetteer = Gazetteer(
            [GazetteerEntry(t, LOCATION) for t in self.terms if t.strip()],
            match_surnames=False,
        )

    def ranges(self, text: str) -> list[tuple[int, int]]:
        """Character ranges of allowed terms in text."""
        found = [(start, end) for start, end, _, _ in self._gazetteer.find(text)]
        if self.builtin:
            for match in _BUILTIN_ALLOWED.finditer(text):
                value = match.group(0).strip()
                if value and value.lower() not in GENERIC_CAPITALIZED - {"police", "department"}:
                    start = match.start() + (len(match.group(0)) - len(match.group(0).lstrip()))
                    found.append((start, match.end()))
        return found

    def filter(self, text: str, spans: list[Span]) -> list[Span]:
        """Keep allowed terms readable: a span inside one is dropped, a span that covers one
        is cut around it, keeping each remaining piece that still holds a word ("Bowling
        Green the Eastside Center" with both names allowed keeps nothing; "Officer Smith of
        Eastside" keeps "Officer Smith")."""
        allowed = self.ranges(text)
        if not allowed:
            return spans
        out: list[Span] = []
        for span in spans:
            if not any(a < span.end and span.start < b for a, b in allowed):
                out.append(span)
                continue
            out += [
                dataclasses.replace(span, start=start, end=end)
                for start, end in _cut_around(text, span.start, span.end, allowed)
            ]
        return out


def _cut_around(
    text: str, start: int, end: int, allowed: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The parts of [start, end) outside the allowed ranges that still hold a word (one of
    more than three letters, a capitalised one or a number), from its first to its last word
    that is not a function word."""
    pieces = [(start, end)]
    for a, b in allowed:
        pieces = [
            part
            for s, e in pieces
            for part in (((s, min(e, a)), (max(s, b), e)) if s < b and a < e else ((s, e),))
        ]
    out = []
    for s, e in sorted(pieces):
        words = [
            m for m in re.finditer(r"\w+", text[s:e]) if m.group().lower() not in STOP_WORDS_EN_ES
        ]  # a piece starts and ends on a word that is not a function word ("Smith of" → "Smith")
        if any(len(w) > 3 or w[:1].isupper() or w.isdigit() for w in (m.group() for m in words)):
            out.append((s + words[0].start(), s + words[-1].end()))
    return out
