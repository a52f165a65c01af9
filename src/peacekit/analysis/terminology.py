"""Find "peace officer" and its alternative terms in statute text, and classify a jurisdiction.

Pure Python, no Django. The research app passes plain section texts in and stores what comes
back. Offsets always point into the text as given: normalization maps characters one to one
(curly quotes to straight ones, any whitespace to a space), so a match's span highlights the
original text.

The four classes, from the statute-terminology survey:

- ``defined``: the statutes define "peace officer" and the definition covers police officers
  generally (sheriffs, deputies, municipal or state police).
- ``general``: the term is used for police officers generally, without a definition found.
- ``limited``: the term is used only for some law-enforcement roles (game wardens,
  correctional officers, park rangers …) or explicitly excludes police.
- ``not_used``: the term does not appear.

"Uses the term for police officers" is ``defined`` + ``general``; "uses it in some
law-enforcement capacity" adds ``limited``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

VERSION = "terminology-1"

DEFINED = "defined"
GENERAL = "general"
LIMITED = "limited"
NOT_USED = "not_used"
CLASSES = (DEFINED, GENERAL, LIMITED, NOT_USED)

PEACE_OFFICER = "peace officer"
# In matching order: a span taken by an earlier term is not counted again by a later one.
TERMS: dict[str, str] = {
    PEACE_OFFICER: r"peace[\s-]+officers?(?:'s|s')?",
    "sworn officer": r"sworn[\s-]+(?:police[\s-]+|law[\s-]+enforcement[\s-]+)?officers?",
    "law enforcement officer": r"law[\s-]+enforcement[\s-]+officers?(?:'s|s')?",
    "police officer": r"police[\s-]+officers?(?:'s|s')?",
}
ALTERNATIVE_TERMS = tuple(t for t in TERMS if t != PEACE_OFFICER)

_TERM_RES = {term: re.compile(rf"\b{pattern}\b", re.IGNORECASE) for term, pattern in TERMS.items()}

_PO = r"peace[\s-]+officers?"
_Q = r"[\"']?"
# A sentence that defines the term.
_DEFINITION_RES = [
    # "peace officer" means / includes / shall mean / refers to
    re.compile(
        rf"(?:\bthe\s+(?:term|words?|phrase)\s+)?{_Q}\b{_PO}{_Q}\s*,?\s*"
        rf"(?:(?:as\s+used\s+in\s+this\s+\w+|when\s+used\s+in\s+this\s+\w+)\s*,?\s*)?"
        rf"(?:means|includes|shall\s+(?:mean|include)|refers\s+to|is\s+defined\s+as)\b",
        re.IGNORECASE,
    ),
    # the following persons are (hereby declared to be) peace officers
    re.compile(
        rf"\bthe\s+following\s+(?:\w+\s+){{0,3}}(?:are|shall\s+be|is|may\s+be)\s+"
        rf"(?:\w+\s+){{0,4}}?{_PO}\b",
        re.IGNORECASE,
    ),
    # any sheriff, ... is a peace officer / are peace officers (enumerating definition)
    re.compile(
        r"\b(?:sheriffs?|police|deput(?:y|ies)|officers?|wardens?|rangers?|members?|agents?|"
        r"investigators?|employees?|troopers?|marshals?|constables?)\b"
        # …but not "an officer who assaults a person who is a peace officer".
        r"(?:(?!\b(?:who|whom|whose|if|when|whether|victim|against|assaults?)\b)[\w\s,()-]){0,60}?"
        rf"\b(?:is|are)\s+(?:hereby\s+)?(?:declared\s+to\s+be\s+)?(?:a\s+)?{_PO}\b",
        re.IGNORECASE,
    ),
    # have the powers / status of peace officers
    re.compile(
        rf"\b(?:have|has|possess)\s+the\s+(?:powers|authority|status)\s+of\s+(?:a\s+)?{_PO}",
        re.IGNORECASE,
    ),  # fmt: skip
]
# A reference to a definition elsewhere: "peace officer, as defined in section 830.1".
_CROSS_REFERENCE_RE = re.compile(
    rf"\b{_PO}\s*,?\s*(?:as\s+(?:that\s+term\s+is\s+)?defined\s+(?:in|by|under)|"
    rf"within\s+the\s+meaning\s+of|described\s+in)\b",
    re.IGNORECASE,
)
# Clauses that take police out of the term's scope.
_EXCLUSION_RE = re.compile(
    r"\b(?:other\s+than|except(?:ing)?(?:\s+for)?|excluding|but\s+not|"
    r"(?:does|shall)\s+not\s+include|not\s+including)\s+"
    r"(?:an?\s+|any\s+|the\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:police|sheriffs?|deputy|deputies|troopers?|constables?|marshals?)[\w\s,-]{0,60}",
    re.IGNORECASE,
)
_POLICE_RES = re.compile(
    r"\b(?:police(?:\s+officers?|\s+departments?|\s+force|men|man)?|sheriffs?|"
    r"deputy\s+sheriffs?|deputies|state\s+troopers?|troopers?|highway\s+patrol|"
    r"state\s+patrol|constables?|city\s+marshals?|town\s+marshals?|"
    r"municipal\s+(?:police|law\s+enforcement)|county\s+police)\b",
    re.IGNORECASE,
)
_LIMITED_ROLES_RE = re.compile(
    r"\b(?:game\s+wardens?|wildlife\s+officers?|conservation\s+officers?|fish\s+and\s+game|"
    r"correctional\s+officers?|corrections?\s+officers?|jailers?|detention\s+officers?|"
    r"park\s+rangers?|forest\s+rangers?|rangers?|probation\s+officers?|parole\s+officers?|"
    r"fire\s+marshals?|arson\s+investigators?|investigators?|marine\s+patrol|"
    r"harbor\s+(?:police|officers?)|campus\s+security|security\s+officers?|"
    r"alcoholic\s+beverage|agents?|inspectors?|bailiffs?|court\s+officers?)\b",
    re.IGNORECASE,
)
_NEXT_DEFINITION_RE = re.compile(r"[\"'][A-Z][\w\s-]{1,40}[\"']\s+(?:means|includes)\b")
_SENTENCE_END_RE = re.compile(r"(?<=[.;!?])\s+(?=[\"'(A-Z0-9])|\n\s*\n")

_TRANSLATE = {
    ord("\u2018"): "'", ord("\u2019"): "'", ord("\u201a"): "'", ord("\u201b"): "'",
    ord("\u201c"): '"', ord("\u201d"): '"', ord("\u201e"): '"', ord("\u201f"): '"',
    ord("\u00ab"): '"', ord("\u00bb"): '"', ord("\u2032"): "'", ord("\u2033"): '"',
    ord("\u00a0"): " ", ord("\u2007"): " ", ord("\u202f"): " ", ord("\u2009"): " ",
    ord("\u00ad"): "-", ord("\u2010"): "-", ord("\u2011"): "-", ord("\u2012"): "-",
    ord("\u2013"): "-", ord("\u2014"): "-", ord("\t"): " ", ord("\r"): " ",
    ord("\u000b"): " ", ord("\u000c"): " ",
}  # fmt: skip

SNIPPET_RADIUS = 120


def normalize(text: str) -> str:
    """Same-length normalization: straight quotes, plain hyphens and spaces (offsets survive)."""
    return text.translate(_TRANSLATE)


@dataclass(frozen=True)
class TermMatch:
    """One use of a term: which term, where in the text, and the text around it."""

    term: str
    start: int
    end: int
    snippet: str
    snippet_start: int


@dataclass(frozen=True)
class Section:
    """A statute section as plain data: a caller's key, its citation and its text."""

    key: object
    citation: str
    text: str


@dataclass(frozen=True)
class Evidence:
    """A sentence that supports the classification, with the term's span inside the section."""

    section_key: object
    citation: str
    # definition, cross_reference, general_use, limited_use, exclusion, bare_use, alternative
    kind: str
    start: int
    end: int
    snippet: str
    reason: str


@dataclass
class Classification:
    """A jurisdiction's proposed class, its confidence (0–1) and the evidence for it."""

    label: str
    confidence: float
    evidence: list[Evidence] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    explanation: str = ""
    version: str = VERSION


def snippet_around(
    text: str, start: int, end: int, radius: int = SNIPPET_RADIUS
) -> tuple[str, int]:
    """The text around a span, cut at word boundaries, and where it starts."""
    lo, hi = max(0, start - radius), min(len(text), end + radius)
    if lo > 0:
        space = text.find(" ", lo, start)
        lo = space + 1 if space != -1 else lo
    if hi < len(text):
        space = text.rfind(" ", end, hi)
        hi = space if space != -1 else hi
    return text[lo:hi], lo


def find_terms(text: str, terms: Iterable[str] | None = None) -> list[TermMatch]:
    """Every use of the terms (all of them by default), in text order."""
    normalized = normalize(text)
    wanted = list(terms) if terms is not None else list(TERMS)
    matches: list[TermMatch] = []
    taken: list[tuple[int, int]] = []
    for term in wanted:
        for m in _TERM_RES[term].finditer(normalized):
            # "sworn police officer" counts once, as the more specific "sworn officer".
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            snippet, snippet_start = snippet_around(text, m.start(), m.end())
            matches.append(TermMatch(term, m.start(), m.end(), snippet, snippet_start))
        taken.extend((t.start, t.end) for t in matches if t.term == term)
    return sorted(matches, key=lambda t: (t.start, t.term))


def _sentence_bounds(text: str, position: int) -> tuple[int, int]:
    start = 0
    for m in _SENTENCE_END_RE.finditer(text, 0, position):
        start = m.end()
    m = _SENTENCE_END_RE.search(text, position)
    end = m.start() if m else len(text)
    return start, end


def _definition_scope(text: str, start: int, sentence_end: int) -> int:
    """Where a definition's body ends: a list may run past its sentence, up to the next term."""
    scope_end = sentence_end
    head = text[start:sentence_end]
    if ":" in head or re.search(r"\bfollowing\b", head, re.IGNORECASE):
        scope_end = min(len(text), start + 1500)
    nxt = _NEXT_DEFINITION_RE.search(text, start + 5, scope_end)
    return nxt.start() if nxt else scope_end


def _without_exclusions(scope: str) -> tuple[str, bool]:
    cleaned, n = _EXCLUSION_RE.subn(" ", scope)
    return cleaned, n > 0


@dataclass
class _Reading:
    kind: str
    police: bool
    limited_roles: bool
    excluded: bool


def _read_use(text: str, start: int, end: int) -> _Reading:
    """What one use of "peace officer" says about the term's scope."""
    s_start, s_end = _sentence_bounds(text, start)
    sentence = text[s_start:s_end]
    local = start - s_start
    definition = any(
        m.start() - 80 <= local <= m.end() for r in _DEFINITION_RES for m in r.finditer(sentence)
    )
    cross = any(m.start() == local for m in _CROSS_REFERENCE_RE.finditer(sentence))
    if definition and not cross:
        scope = text[s_start : _definition_scope(text, s_start, s_end)]
    else:
        scope = sentence
    cleaned, excluded = _without_exclusions(scope)
    police = bool(_POLICE_RES.search(cleaned))
    limited_roles = bool(_LIMITED_ROLES_RE.search(cleaned))
    if cross:
        kind = "cross_reference"
    elif definition:
        kind = "definition"
    elif excluded and not police:
        kind = "exclusion"
    elif police:
        kind = "general_use"
    elif limited_roles:
        kind = "limited_use"
    else:
        kind = "bare_use"
    return _Reading(kind=kind, police=police, limited_roles=limited_roles, excluded=excluded)


def classify(sections: Sequence[Section]) -> Classification:
    """Classify one jurisdiction's usage of "peace officer" from its statute sections."""
    counts = {term: 0 for term in TERMS}
    evidence: list[Evidence] = []
    readings: list[tuple[_Reading, Evidence]] = []
    alternatives: list[Evidence] = []
    for section in sections:
        normalized = normalize(section.text)
        for match in find_terms(section.text):
            counts[match.term] += 1
            if match.term != PEACE_OFFICER:
                if len(alternatives) < 3:
                    alternatives.append(
                        Evidence(section.key, section.citation, "alternative", match.start,
                                 match.end, match.snippet, f'uses "{match.term}"')
                    )  # fmt: skip
                continue
            reading = _read_use(normalized, match.start, match.end)
            s_start, s_end = _sentence_bounds(normalized, match.start)
            snippet = section.text[s_start:s_end]
            if len(snippet) > 2 * SNIPPET_RADIUS + 60:
                snippet, _lo = snippet_around(section.text, match.start, match.end)
            reason = _REASONS[reading.kind]
            if reading.kind == "definition":
                reason += (
                    " covering police officers" if reading.police else " limited to some roles"
                )
            readings.append(
                (reading, Evidence(section.key, section.citation, reading.kind, match.start,
                                   match.end, snippet.strip(), reason))
            )  # fmt: skip

    if counts[PEACE_OFFICER] == 0:
        confidence = 0.9 if len(sections) >= 3 else (0.6 if sections else 0.3)
        return Classification(
            NOT_USED, confidence, alternatives, counts,
            'The term "peace officer" does not appear in the imported sections.',
        )  # fmt: skip

    def pick(*kinds: str, police: bool | None = None) -> list[Evidence]:
        return [
            e for r, e in readings
            if e.kind in kinds and (police is None or r.police == police)
        ]  # fmt: skip

    general_definitions = pick("definition", police=True)
    limited_definitions = pick("definition", police=False)
    general_uses = pick("general_use")
    limited_uses = pick("limited_use", "exclusion")
    cross_references = pick("cross_reference")
    bare_uses = pick("bare_use")

    if general_definitions:
        label = DEFINED
        confidence = 0.95 if len(general_definitions) > 1 or general_uses else 0.85
        chosen = general_definitions + general_uses
        explanation = 'A section defines "peace officer" to include police officers.'
    elif general_uses:
        if limited_definitions:
            # Defined narrowly here, but police are called peace officers elsewhere.
            label, confidence = GENERAL, 0.6
        else:
            label, confidence = GENERAL, 0.75 if len(general_uses) > 1 else 0.65
        chosen = general_uses + limited_definitions
        explanation = "The term is used alongside police officers, sheriffs or deputies."
    elif limited_definitions or limited_uses:
        label = LIMITED
        confidence = 0.85 if limited_definitions and limited_uses else 0.75
        if bare_uses or cross_references:
            confidence -= 0.1
        chosen = limited_definitions + limited_uses
        explanation = "The term is used only for some roles, or excludes police."
    elif cross_references:
        label, confidence = DEFINED, 0.55
        chosen = cross_references
        explanation = (
            "The sections refer to a statutory definition of the term that was not imported; "
            "check the referenced section for whether it covers police."
        )
    else:
        label, confidence = GENERAL, 0.5
        chosen = bare_uses
        explanation = "The term is used without saying which officers it covers."
    # Supporting references and the rest follow the deciding evidence.
    rest = [e for _r, e in readings if e not in chosen]
    evidence = chosen + rest
    return Classification(label, round(max(0.05, min(confidence, 0.99)), 2), evidence, counts,
                          explanation)  # fmt: skip


_REASONS = {
    "definition": "defines the term",
    "cross_reference": "refers to a definition elsewhere",
    "general_use": "used together with police officers, sheriffs or deputies",
    "limited_use": "used for particular roles only",
    "exclusion": "excludes police from the term",
    "bare_use": "used without naming which officers",
}
