"""Countries and nationality, ethnicity and religion words, masked under the quasi policy.

A statement that says "a Kurdish family", "the Somali shop owner" or "he moved here from
Honduras" narrows down who wrote it in a neighbourhood where few such families live, so
under `direct_quasi` these words are quasi-identifiers (issue 4; decision record
`0012-public-names-as-quasi-identifiers.md`). They stay readable under `direct`, and an
initiative keeps any of them readable by listing it in its allow-list.

What stays readable here on purpose: the initiative's own country ("the United States",
"American"), continents and their adjectives ("European", "African", "Latin America"),
US states, a supranational body ("European Court of Human Rights"), and a language named
as a language ("the meeting was in Spanish", "she speaks Arabic").
"""

from __future__ import annotations

import re
from functools import lru_cache

from .base import Detector
from .lexicon import REGIONS, country_names, demonyms, demonyms_es
from .types import DEMOGRAPHIC, LOCATION, Span, make_span

# A run of capitalised words, joined by the small words country names contain.
_RUN = re.compile(
    r"(?<![\w'’-])[A-ZÀ-ÖØ-Þ][\w'’.-]*(?:[ \t]+(?:(?:of|and|the|de|del|y|la)[ \t]+)?"
    r"[A-ZÀ-ÖØ-Þ][\w'’.-]*)*"
)
_WORD = re.compile(r"[^\s]+")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-záéíóúñü][a-záéíóúñü]{3,}(?![\w'’-])")
# Spanish statements write nationality words in lower case ("un vecino mexicano").
# The initiative's own country and continents: naming them narrows down nobody.
_NEVER = frozenset(
    [
        "united states",
        "united states of america",
        "the united states",
        "estados unidos",
        "america",
        "americas",
        "usa",
        "us",
        "u.s.",
        "u.s.a.",
        "american",
        "americans",
        "north american",
        "latin america",
        "latin american",
        "europe",
        "european",
        "europeans",
        "africa",
        "asia",
        "oceania",
        "antarctica",
        "eu",
        "estadounidense",
    ]
)
# Kingdoms and republics named in full: "the Kingdom of Sweden", "Republic of Turkey".
_STATE_PREFIX = re.compile(
    r"^(?:(?:the|el|la)[ \t]+)?(?:republic|kingdom|state|commonwealth|federation|república"
    r"|reino)[ \t]+of[ \t]+",
    re.IGNORECASE,
)
# A language named as a language: "in Spanish", "speaks Arabic", "translated into Turkish".
_LANGUAGE_BEFORE = re.compile(
    r"\b(?:speak|speaks|spoke|speaking|spoken|learn|learning|learned|read|reads|write|writes"
    r"|study|studies|studied|studying|teach|teaches|teaching|taught|translator|class|classes"
    r"|written|translate|translated|translation|interpreter|interpreting|fluent|habla|hablo"
    r"|hablan|hablamos)[ \t]+(?:in[ \t]+|into[ \t]+|to[ \t]+|from[ \t]+)?$",
    re.IGNORECASE,
)
# "in Spanish." / "into Turkish and English": a language when nothing it qualifies follows.
_IN_BEFORE = re.compile(r"\b(?:in|into|en)[ \t]+$", re.IGNORECASE)
_NOTHING_AFTER = re.compile(r"^(?:[ \t]*(?:[.,;:!?)\n]|$)|[ \t]+(?:and|or|y|too|as well)\b)")
_LANGUAGE_AFTER = re.compile(r"^[ \t]*(?:language|speakers?|speaking|classes|version)\b", re.I)
_SUPRANATIONAL_HEAD = re.compile(
    r"^[ \t]+(?:Court|Convention|Commission|Union|Parliament|Council|Community|Communities"
    r"|Economic|Social|Charter)\b"
)
_MAX_WORDS = 6
# A country is a quasi-identifier when it is someone's origin or home: "we came from
# Honduras", "born in Syria", "my family in Mexico", "soy de Guatemala". A country in any
# other role ("the courts of Sweden", "a treaty with Germany") stays readable.
_ORIGIN_BEFORE = re.compile(
    r"\b(?:from|born[ \t]+in|native[ \t]+of|citizen[ \t]+of|national[ \t]+of|fled|left"
    r"|deported[ \t]+to|sent[ \t]+back[ \t]+to|returned[ \t]+to|back[ \t]+(?:home[ \t]+)?to"
    r"|(?:lived|grew[ \t]+up|raised|family|relatives|parents|home)[ \t]+in|nacid[oa][ \t]+en"
    r"|(?:soy|somos|es|son|vengo|venimos|viene|vienen|vino|vinieron|llegó|llegamos|llegaron)"
    r"[ \t]+de|desde|familia[ \t]+en|viv[íi]a[ \t]+en|crec[íi][ \t]+en)"
    r"[ \t]+(?:the[ \t]+|el[ \t]+|la[ \t]+)?$",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    regions = {r for r in REGIONS if r not in _NEVER and r not in ("ese", "esa")}
    return frozenset((country_names() | regions) - _NEVER)


@lru_cache(maxsize=1)
def _peoples() -> frozenset[str]:
    return frozenset(demonyms() - _NEVER)


def _lookup(phrase: str) -> str | None:
    key = phrase.lower().rstrip(".")
    key = re.sub(r"['’]s$", "", key)
    if key in _peoples():
        return DEMOGRAPHIC
    if key in _places():
        return LOCATION
    stripped = _STATE_PREFIX.sub("", key)
    if stripped != key and stripped in _places():
        return LOCATION
    return None


_FAMILY_ALIASES = {
    "united kingdom": "brit",
    "uk": "brit",
    "u.k": "brit",
    "great britain": "brit",
    "united kingdom of great britain": "brit",
    "northern ireland": "brit",
    "england": "brit",
    "english": "brit",
    "scotland": "brit",
    "scottish": "brit",
    "wales": "brit",
    "welsh": "brit",
    "netherlands": "dutc",
    "holland": "dutc",
}


def _family(phrase: str) -> str:
    """A country and its people's adjective share a key ("Sweden", "Swedish" -> "swed")."""
    key = _STATE_PREFIX.sub("", phrase.lower().rstrip("."))
    key = re.sub(r"^(?:the|el|la)[ \t]+", "", key)
    key = re.sub(r"[ \t]+", " ", key)
    return _FAMILY_ALIASES.get(key, key[:4])


class PublicNameDetector(Detector):
    """Countries (PLACE) and nationality, ethnicity and religion words (DEMOGRAPHIC)."""

    name = "public"
    wants_restored_case = True

    def __init__(self, places: bool = True, peoples: bool = True, setting_min: int = 3) -> None:
        self.places = places
        self.peoples = peoples
        self.setting_min = setting_min

    def detect(self, text: str) -> list[Span]:
        """Longest listed phrase inside each run of capitalised words."""
        spans: list[Span] = []
        for run in _RUN.finditer(text):
            words = [
                (m.start() + run.start(), m.end() + run.start())
                for m in _WORD.finditer(run.group(0))
            ]
            i = 0
            while i < len(words):
                hit = None
                for j in range(min(len(words), i + _MAX_WORDS), i, -1):
                    start, end = words[i][0], words[j - 1][1]
                    phrase = text[start:end].rstrip(".,;:")
                    kind = _lookup(phrase)
                    if kind is not None and phrase[:1].isupper():
                        hit = (start, start + len(phrase), kind, j)
                        break
                if hit is None:
                    i += 1
                    continue
                start, end, kind, i = hit
                if text[end - 2 : end] in ("'s", "’s"):
                    end -= 2
                span = self._span(text, start, end, kind)
                if span is not None:
                    spans.append(span)
        if self.peoples:
            spanish = demonyms_es()
            for match in _LOWER_WORD.finditer(text):
                if match.group(0) in spanish:
                    span = self._span(text, match.start(), match.end(), DEMOGRAPHIC)
                    if span is not None:
                        spans.append(span)
        return self._without_setting(text, spans)

    def _without_setting(self, text: str, spans: list[Span]) -> list[Span]:
        """Keep the text's setting readable: the country it names most (with its people's
        adjective), when named at least `setting_min` times. A long account set in one
        country names it throughout; that narrows down nobody, like the initiative's own
        country. A short statement rarely names a country three times."""
        if not self.setting_min or len(spans) < self.setting_min:
            return spans
        counts: dict[str, int] = {}
        keys = [_family(text[s.start : s.end]) for s in spans]
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
        top, n = max(counts.items(), key=lambda kv: kv[1])
        if n < self.setting_min:
            return spans
        return [s for s, key in zip(spans, keys, strict=True) if key != top]

    def _span(self, text: str, start: int, end: int, kind: str) -> Span | None:
        if kind == DEMOGRAPHIC:
            if not self.peoples:
                return None
            before = text[max(0, start - 30) : start]
            after = text[end : end + 20]
            if _LANGUAGE_BEFORE.search(before) or _LANGUAGE_AFTER.match(after):
                return None
            if _IN_BEFORE.search(before) and _NOTHING_AFTER.match(after):
                return None
            return make_span(
                start, end, DEMOGRAPHIC, 0.7, self.name, "nationality, ethnicity or religion"
            )
        if not self.places:
            return None
        if _SUPRANATIONAL_HEAD.match(text[end : end + 16]):
            return None
        return make_span(start, end, LOCATION, 0.7, self.name, "country")
