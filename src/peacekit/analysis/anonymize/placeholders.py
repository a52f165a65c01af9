"""Typed, numbered placeholders that stay consistent within a statement and across a session."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import TITLES, canonical_first_name
from .types import PERSON

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def _person_tokens(surface: str) -> tuple[str, ...]:
    """Name tokens without titles or initials, first names in canonical form."""
    words = [w.casefold() for w in _WORD.findall(surface)]
    words = [w for w in words if w not in TITLES and len(w) > 1]
    if words:
        words[0] = canonical_first_name(words[0])
    return tuple(words)


def _key(entity_type: str, surface: str) -> tuple[str, ...]:
    if entity_type == PERSON:
        return _person_tokens(surface)
    return tuple(w.casefold() for w in _WORD.findall(surface))


@dataclass
class PlaceholderRegistry:
    """Numbers each distinct entity per type; pass one per session to keep numbers stable.

    Holds surface forms in memory only for the life of the session; it never writes them
    anywhere and is not a reversible code: the placeholder carries only a type and a number.
    """

    _numbers: dict[tuple[str, tuple[str, ...]], int] = field(default_factory=dict)
    _counts: dict[str, int] = field(default_factory=dict)
    _people: list[tuple[tuple[str, ...], int]] = field(default_factory=list)

    def number_for(self, entity_type: str, surface: str) -> int:
        """The number of this entity, assigning the next free one on first sight."""
        key = _key(entity_type, surface)
        if not key:
            key = (surface.casefold().strip(),)
        found = self._numbers.get((entity_type, key))
        if found is not None:
            return found
        if entity_type == PERSON:
            found = self._match_person(key)
        if found is None:
            found = self._counts.get(entity_type, 0) + 1
            self._counts[entity_type] = found
        self._numbers[(entity_type, key)] = found
        if entity_type == PERSON:
            self._people.append((key, found))
        return found

    def _match_person(self, key: tuple[str, ...]) -> int | None:
        """A known person whose name contains this one ("Smith" after "John Smith")."""
        wanted = set(key)
        for known, number in reversed(self._people):
            known_set = set(known)
            if wanted <= known_set or (known_set <= wanted and len(known_set) > 0):
                return number
        return None

    def placeholder(self, entity_type: str, surface: str) -> str:
        """The placeholder text, e.g. "[PERSON 2]"."""
        return f"[{entity_type} {self.number_for(entity_type, surface)}]"

    def known_people(self) -> list[tuple[str, ...]]:
        """Normalized name tokens of people seen so far in this session."""
        return [key for key, _ in self._people]

    def __len__(self) -> int:
        return len(self._numbers)
