"""Street addresses: US parsing (usaddress) plus rules for other formats and Spanish."""

from __future__ import annotations

import re

from .base import Detector
from .lexicon import (
    GENERIC_CAPITALIZED,
    STOP_WORDS_EN_ES,
    TITLES,
    US_STATE_ABBREVIATIONS,
    is_public_place,
)
from .types import ADDRESS, Level, Span, make_span

_SUFFIXES = (
    r"Street|St|Str|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl"
    r"|Way|Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Route|Rte|Square|Sq|Trail|Trl"
    r"|Plaza|Plz|Alley|Aly|Crescent|Cres|Close|Row|Walk|Loop|Pike|Expressway|Expy|Freeway"
    r"|Fwy|Turnpike|Tpke|Path|Point|Crossing|Xing|Grove|Heights|Hts|Gardens|Gdns|Mews|Green"
    r"|Forks|Estates|Junction|Jct|Landing|Park|Ridge|Hill|Hills|View|Village|Commons|Bypass"
)
_INTL_MARKERS = (
    r"(?:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm|ufer|steig|katu|tie|kuja|polku"
    r"|vej|gade|gatan|vägen|väg|gata|veien|vegen|gate|laan|straat|plein|gracht|kade|dreef"
    r"|singel|utca|út|tér|ulica|ulice|náměstí|trg|cesta|odos|gasse|sokak|caddesi|bulvarı)"
)
_INTL_PREFIX = (
    r"(?:rue|avenue|boulevard|bd|chemin|impasse|place|allée|quai|route|via|viale|piazza|corso"
    r"|vicolo|largo|calle|c/|avenida|avda\.?|av\.|paseo|plaza|camino|carrera|cra\.?|carretera"
    r"|privada|callejón|callejon|andador|calzada|rua|rúa|travessa|praça|praca|alameda|estrada"
    r"|rodovia|ul\.|ulica|aleja|str\.|strada|bulevardul|odos|leoforos|leoforos|trg)"
)
_NUM = r"\d{1,6}[A-Za-z]?(?:[-/]\d{1,5}[A-Za-z]?)?"
_DIR = r"(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West|Norte|Sur|Oriente|Poniente)\.?"
_CAPW = r"[A-ZÀ-ÖØ-Þ0-9][\w'’.-]*"
_ANYW = r"[\w'’.-]+"
_UNIT = (
    r"(?:Apt|Apartment|Suite|Ste|Unit|Flat|Fl|Floor|Room|Rm|Bldg|Building|Apto|Depto"
    r"|Departamento|Piso|Interior|Int|Dpto|Lot|Space|Spc)\.?\s*#?\s*[\w-]{1,6}|#\s?\d{1,6}[A-Za-z]?"
)

# Street words are capitalised ("1234 W Madison Street"); in all-lower-case text only the
# unambiguous street words count ("55 elm st"), never "court" or "place".
_US_STREET = re.compile(
    rf"(?<![\w/.-]){_NUM}(?:[ \t]+\d{{1,6}}(?=[ \t]+[A-Z]))?(?:[ \t]+{_DIR})?"
    rf"(?:[ \t]+(?:[A-Z][\w'’.-]*|\d+(?:st|nd|rd|th))){{1,4}}?"
    rf"[ \t]+(?:{_SUFFIXES})\.?(?![\w])(?:[ \t]+{_DIR}(?![\w]))?"
    rf"|(?<![\w/.-])\d{{1,6}}(?:[ \t]+[a-z][\w'’-]*){{1,3}}?[ \t]+(?:street|st|avenue|ave|road|rd"
    rf"|boulevard|blvd|drive|lane|ln|parkway|pkwy|highway|hwy)\.?(?![\w])",
)
# International streets are found from a street word outward: a suffix word ("Koskikatu",
# "Friedhofstrasse") or a prefix word ("Rue", "Calle", "Via"), then a house number.
# Found from the street word itself (a prefix word, or a suffix at a word's end), then
# widened back to the word's start: much cheaper than trying every word's every suffix.
_INTL_ANCHOR = re.compile(
    rf"(?<![\w])(?:{_INTL_PREFIX})(?![\w])|{_INTL_MARKERS}(?![\w])", re.IGNORECASE
)
_WORD_CHARS = re.compile(r"[\wÀ-ÿ'’-]")
_INTL_SUFFIX_STREET = re.compile(rf"(?:{_NUM}[ \t]+)?(?:{_CAPW}[ \t]+){{0,2}}$")
_INTL_AFTER_ANCHOR = re.compile(
    rf"(?:[ \t]+(?:(?:de|del|de la|di|da|do|dos|das|des|du|la|le|von|van)[ \t]+)?"
    rf"{_CAPW}(?:[ \t]+(?:de|del|la|di|da|{_CAPW})){{0,3}})?"
    rf"[ \t,]*(?:#|n[º°o]\.?|número|numero|num\.?|no\.?)?[ \t]*{_NUM}(?![\w])",
    re.IGNORECASE,
)
_INTL_AFTER_SUFFIX = re.compile(
    rf"(?:[ \t]+{_CAPW}){{0,2}}?[ \t,]*(?:#|n[º°o]\.?|no\.?)?[ \t]*{_NUM}(?![\w])",
)
_INTL_PREFIX_ONLY = re.compile(rf"^{_INTL_PREFIX}$", re.IGNORECASE)


_MILITARY = re.compile(
    r"\b(?:(?:PSC|CMR|Unit|USNS|USNV|USS|USCGC)[ \t]+[\w ]{1,30}?,?[ \t]*(?:Box[ \t]+\d{1,5})?"
    r"[ \t,]*\n?[ \t]*)?(?:APO|FPO|DPO)[ \t]+(?:AA|AE|AP)[ \t]+\d{5}\b",
    re.IGNORECASE,
)
# Post-office boxes: "P.O. Box 104", "PO Box 7", "Postbox 21", "Apartado Postal 45".
_PO_BOX = re.compile(
    r"(?<![\w.])(?:P\.?[ \t]?O\.?[ \t]?Box|Post[ \t]?box|Post[ \t]+Office[ \t]+Box|Box"
    r"(?=[ \t]+\d+[ \t]*,?[ \t]*\n)|Apartado(?:[ \t]+Postal)?|Casilla(?:[ \t]+Postal)?)"
    r"[ \t]*(?:#|No\.?)?[ \t]*\d{1,6}\b",
    re.IGNORECASE,
)
# Hungarian and similar street words written in lower case after the name, then the house
# number: "Petőfi u. 8.", "Kossuth Lajos utca 3.".
_LOWER_STREET_WORD = re.compile(
    r"(?<![\w'’-])[A-ZÀ-ÖØ-Þ][\w'’-]*(?:[ \t]+[\w'’-]+){0,2}?[ \t]+(?:u\.|utca|út|útja|tér|tere"
    r"|körút|kapu|sor|köz|sétány|dűlő|lejtő|fasor|rakpart|krt\.)[ \t]+\d{1,5}[A-Za-z]?\.?(?![\w])"
)
# A street intersection: "the corner of Kedzie 3100 and Ogden Greens".
_CORNER_WHOLE = re.compile(
    r"(?:\bthe[ \t]+)?\b(?:corner|intersection|esquina|cruce)\s+(?:of|de)\s+", re.IGNORECASE
)
# A name joined to an address by "and" after an address cue ("sent to Ana and ul.
# Polna 28"): the pair names an intersection.
_JOINED_BEFORE = re.compile(
    r"(?:\b(?:to|at|on|is|of|with)[ \t]+|(?:^|[.?!:]|\n)[ \t]*)"
    r"(?P<a>[A-ZÀ-ÖØ-Þ][\w'’.-]*(?:[ \t]+[A-ZÀ-ÖØ-Þ][\w'’.-]*)?)[ \t]+(?:and|&|y)[ \t]+$"
)
_UNIT_ALONE = re.compile(rf"(?<![\w]){_UNIT}(?![\w])", re.IGNORECASE)
_ZIP_AFTER_STATE = re.compile(
    r"\b(?P<state>[A-Z]{2})[ \t]+(?P<zip>\d{5}(?:-\d{4})?)\b"
    r"|\b(?:zip|zip code|postal code|post code|postcode|código postal|codigo postal|c\.p\.)"
    r"\s*[:#]?\s*(?P<zip2>[A-Z0-9]{3,5}(?:[- ][A-Z0-9]{3,4})?)\b",
    re.IGNORECASE,
)
# Abbreviated street words with or without their period ("Elrod Rd", "Main St."). "St" and
# "Dr" also stand before a name ("St Louis", "Dr. Lee"): they end a street only when no
# capitalised word follows them ("St." with its period always does).
_STREET_ABBREVIATION = (
    r"(?:(?:Rd|Ave|Blvd|Ln|Hwy|Pkwy|Ct|Pl|Cir|Ter|Trl|Expy)\.?"
    r"|St(?:\.|(?![ \t]+[A-ZÀ-ÖØ-Þ]))|Dr(?!\.?[ \t]+[A-ZÀ-ÖØ-Þ])\.?)"
)
_STREET_NAME_ONLY = re.compile(
    rf"(?<![\w])(?:{_CAPW}[ \t]+){{0,2}}[A-ZÀ-ÖØ-Þ][\w'’-]*[ \t]+(?:Street|Avenue|Road"
    rf"|Boulevard|Lane|Drive|Parkway|Highway|Terrace|Expressway|{_STREET_ABBREVIATION})"
    r"(?![\w])"
    rf"|(?<![\w])[A-ZÀ-ÖØ-Þ][\w'’-]+(?=[ \t]+(?:street|avenue|road)\b)"
    rf"|\b(?:la\s+)?(?:calle|avenida|colonia|barrio)[ \t]+(?P<es>[A-ZÀ-ÖØ-Þ][\w'’-]*"
    rf"(?:[ \t]+(?:de|del|la|{_CAPW})){{0,3}})",
)
_CORNER = re.compile(
    rf"\b(?:corner|intersection|esquina|cruce)\s+(?:of|de)\s+(?:the\s+|la\s+)?"
    rf"(?P<a>(?:[\w'’.-]+[ \t]+){{0,4}}?[\w'’.-]+)"
    rf"[ \t]+(?:and|&|y|con)[ \t]+"
    rf"(?P<b>(?:{_CAPW}[ \t]+){{0,3}}{_CAPW}"
    rf"|(?:[\w'’.-]+[ \t]+){{0,2}}?(?:{_SUFFIXES.lower()})\b"
    rf"|(?:[\w'’.-]+[ \t]+){{0,2}}?\d{{1,5}}\b)",
)
# A country or region line with a postal code that closes an address block after a blank
# line ("\n\n Brazil 81581").
_COUNTRY_ZIP_LINE = re.compile(
    r"[ \t]*\n[ \t]*\n[^\w\n]*[^\W\d_][\w'’()-]*(?:[ \t]+[^\W\d_][\w'’()-]*){0,3}[ \t]+\d{4,6}"
    r"(?=[ \t]*(?:\n|$))"
)
# After an address cue, a number-bearing run of capitalised words is an address.
_CUE = re.compile(
    r"(?:\baddress(?:es)?\b[^.\n:]{0,40}?(?:is|:|to|with)|\blives?\s+(?:at|on|in)|\blived\s+(?:at|on|in)"
    r"|\blocated\s+at|\bis\s+at|\bmeet(?:ing)?\s+(?:me|you|us)?\s*at|\bsent\s+to|\bsend\b[^.\n]{0,30}\bto"
    r"|\breturn\s+to|\barrived\s+at|\boff\s+at|\btaxi\s+to|\bmoved\s+to|\bstop\s+at|\bon"
    r"|\bdirección\s*(?:es|:)|\bvivo\s+en|\bvive\s+en|\bdomicilio\s*(?:es|:|en)|\bUser:|:)\s*",
    re.IGNORECASE,
)
# A place word and a house number after "on" / "at" / "side of", with no street word:
# "is on Ruelle Marceau 41", "enter on Calle Mayor 9 St.", "the north side of
# Marquette 2906". Numbered things that are not streets ("on Channel 4", "at Gate 12") do not count.
_NAMED_NUMBER = re.compile(
    r"\b(?:on|at|side[ \t]+of|en|sobre)[ \t]+(?P<v>(?:[A-ZÀ-ÖØ-Þ][^\W\d_A-Z][\w'’-]*[ \t]+){1,3}"
    r"\d{1,5}[A-Za-z]?)(?![\w/:%-]|[.,]\d|[ \t]*(?:am|pm|a\.m|p\.m|percent|per\b|%))"
    r"(?:[ \t]+(?:St|Street|Ave|Avenue|Rd|Road)\b\.?)?"
)
# "return to Ana and Polna 66": a word joined to a word and a house number after a cue.
_JOINED_NUMBER = re.compile(
    r"\b(?:to|at|on|is|of)[ \t]+(?P<v>[A-ZÀ-ÖØ-Þ][\w'’-]*[ \t]+(?:and|&|y)[ \t]+"
    r"[A-ZÀ-ÖØ-Þ][^\W\d_A-Z][\w'’-]*[ \t]+\d{1,5}[A-Za-z]?)(?![\w/:%-]|[.,]\d)"
)
_NUMBERED_THINGS = frozenset(
    [
        "page",
        "pages",
        "channel",
        "flight",
        "gate",
        "level",
        "day",
        "days",
        "room",
        "annex",
        "schedule",
        "volume",
        "item",
        "bus",
        "line",
        "platform",
        "exit",
        "floor",
        "building",
        "box",
        "grade",
        "track",
        "seat",
        "row",
        "table",
        "unit",
        "lot",
        "act",
        "scene",
        "episode",
        "season",
        "part",
        "step",
        "phase",
        "week",
        "weeks",
        "year",
        "years",
        "number",
        "version",
        "model",
        "figure",
        "case",
        "file",
        "application",
        "appendix",
        "question",
        "vote",
        "district",
        "ward",
        "precinct",
        "beat",
        "zone",
        "area",
        "sector",
        "region",
        "apartment",
        "suite",
        "ticket",
        "order",
        "bed",
        "cell",
        "block",
        "bay",
        "pier",
        "terminal",
        "stage",
        "round",
        "game",
        "match",
        "chapter",
        "section",
        "article",
        "rule",
        "paragraph",
        "clause",
        "count",
        "tier",
        "class",
        "period",
        "hour",
        "hours",
        "minute",
        "minutes",
        "group",
        "team",
        "squad",
        "car",
        "truck",
        "engine",
        "ladder",
        "station",
        "post",
        "camp",
        "base",
        "wing",
        "hall",
        "court",
        "courtroom",
        "judge",
        "division",
        "department",
        "branch",
        "district",
        "lane",
        "window",
        "door",
        "desk",
        "counter",
    ]
)
_LOWER_WORD_AHEAD = re.compile(r"[ \t]+[a-zà-öø-ÿ]")
_PERIOD_THEN_WORD = re.compile(r"\.[ \t]+([\w'’]+)")
_CUE_PHRASE = re.compile(rf"(?:{_NUM}[ \t]+)?(?:{_CAPW}[ \t]+){{0,4}}{_CAPW}(?:[ \t]+{_NUM})?")
# Small words inside place names: "Villa de Álvarez", "Frankfurt am Main", "San Pedro".
_PLACE_PARTICLE = (
    r"(?:de|del|de la|la|las|los|di|da|do|dos|du|des|nad|pod|na|u|v|am|an|im|sur|en|le|les"
    r"|y|i|op|aan|bei|ob|pri)"
)
_CONTINUATION = re.compile(
    rf"(?:[ \t]*(?:,[ \t]*)?(?:\n[ \t>?*-]*)?(?:,[ \t]*)?)"
    rf"(?P<part>{_UNIT}|\d{{4,6}}(?:-\d{{3,4}})?|[A-ZÀ-ÖØ-Þ]{{2}}(?=[ \t]+\d|\s*$|\s*\n|,)"
    rf"|[A-ZÀ-ÖØ-ÞΑ-ΩА-Я(][\w'’()-]*(?:\.(?=\S))?(?:[ \t]+(?:{_PLACE_PARTICLE}[ \t]+)?"
    rf"[A-ZÀ-ÖØ-ÞΑ-ΩА-Я(][\w'’()-]*(?:\.(?=\S))?){{0,3}}"
    rf"(?:[ \t]+\d{{4,6}})?)",
)
# In a lower-case address ("410 calle luna 2 apt 5, oaxaca, mexico 68000") the
# city and country parts are lower case too; only parts after a comma or a line break count.
_LOWER_CONTINUATION = re.compile(
    rf"(?:[ \t]+(?P<unit>(?i:{_UNIT}))"
    rf"|[ \t]*(?:,[ \t]*|\n[^\w\n]*(?:,[ \t]*)?)(?P<part>(?i:{_UNIT})|\d{{4,6}}"
    rf"|[^\W\d_][\w'’()-]*(?:[ \t]+[^\W\d_][\w'’()-]*){{0,3}}(?:[ \t]+\d{{4,6}})?))"
    rf"(?=[ \t]*(?:,|\n|$|[.!?](?:\s|$)))"
)


# A postal-address street line with no street word ("20789 Allika 46", "2224 Trenerys gate
# 232", "353 Buerlia 227"): a house number, one to five words, an optional second number.
# It counts only where an address block shows around it: a unit right after it, or the
# line stands alone (after a label such as "Address:") and the next line is a unit, a city
# or a postal code.
_NAMEW = r"[^\W\d_][\w'’.-]*"
_STREET_LINE = re.compile(
    rf"(?<![\w/.,:+-])\d{{1,6}}[A-Za-z]?(?:[ \t]+\d{{1,6}}[A-Za-z]?)?"
    rf"(?:[ \t]+{_NAMEW}){{1,5}}?(?:[ \t]+\d{{1,5}}[A-Za-z]?(?:/\d{{1,4}})?\.?)?"
    rf"(?=[ \t]*(?:,|\n|$|(?i:apt|apartment|suite|ste|unit|flat|piso|depto)\b"
    rf"|(?i:st|street|rd|road|ave|avenue)\.?(?:[ \t]|$)))"
)
_UNIT_AHEAD = re.compile(rf"[ \t]*,?[ \t]*(?:\n[^\w\n]*)?(?:{_UNIT})", re.IGNORECASE)
_PLACE_LINE_AHEAD = re.compile(
    r"[ \t]*,?[ \t]*\n[^\w\n]*(?:[^\W\d_][\w'’.()-]*(?:[ \t]+[\w'’.()-]+){0,4}"
    r"|,[ \t]*[A-Z]{2}\b|\d{4,6}\b)[ \t,]*(?:\n|$|\d{4,6}\b|[A-Z]{2}\b)"
)
_LINE_LEAD = re.compile(r"(?:^|\n)[^\w\n]*(?:[A-Za-zÀ-ÿ ]{1,25}:[ \t]*)?$")
_STRONG_CUE_BEFORE = re.compile(
    r"(?:\baddress(?:es)?\b[^.\n]{0,25}?(?:\bis|:|\bto|\bat)|\blive[sd]?\s+(?:at|in)"
    r"|\bliving\s+(?:at|in)|\blocated\s+(?:at|in)|\bis\s+at|\bmeet\s+(?:me\s+|us\s+|you\s+)?at"
    r"|\boff\s+at|\bsen[dt]\b[^.\n]{0,25}?\bto|\breturn(?:ed)?\s+to|\barrived\s+at|\bmoved\s+to"
    r"|\bdeliver\w*\b[^.\n]{0,25}?\bto|\bship\w*\b[^.\n]{0,25}?\bto|\bvivo\s+en|\bvive\s+en)\s*$",
    re.IGNORECASE,
)
_NOT_STREET_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "has",
        "have",
        "had",
        "do",
        "did",
        "i",
        "you",
        "we",
        "he",
        "she",
        "they",
        "it",
        "his",
        "her",
        "their",
        "my",
        "our",
        "your",
        "this",
        "that",
        "these",
        "those",
        "in",
        "on",
        "at",
        "to",
        "for",
        "with",
        "from",
        "by",
        "of",
        "as",
        "years",
        "year",
        "months",
        "days",
        "hours",
        "people",
        "times",
        "per",
    ]
)


def _is_generic(word: str) -> bool:
    return word.strip(".,").lower() in GENERIC_CAPITALIZED


class AddressDetector(Detector):
    """Street addresses (US and international), units, military addresses, street names."""

    name = "address"
    wants_restored_case = True

    def __init__(self, use_usaddress: bool = True, street_names: bool = True) -> None:
        self.use_usaddress = use_usaddress
        self.street_names = street_names

    def detect(self, text: str) -> list[Span]:
        """Address spans; a full address is direct, a bare street name is quasi."""
        spans: list[Span] = []
        for match in _US_STREET.finditer(text):
            words = match.group(0).split()
            if any(_is_generic(w) for w in words[1:-1]):
                continue
            end = self._extend(text, match.end(), match.start())
            spans.append(make_span(match.start(), end, ADDRESS, 0.95, self.name, "street address"))
        spans += self._international(text)
        for match in _MILITARY.finditer(text):
            spans.append(
                make_span(*match.span(), ADDRESS, 0.95, self.name, "military postal address")
            )
        for match in _UNIT_ALONE.finditer(text):
            value = match.group(0)
            if value.startswith("#") and not re.search(
                r"(apt|suite|unit|apartment)\W*$",
                text[max(0, match.start() - 15) : match.start()],
                re.IGNORECASE,
            ):
                continue
            if not any(ch.isdigit() for ch in value):
                continue
            spans.append(make_span(*match.span(), ADDRESS, 0.8, self.name, "apartment or unit"))
        for match in _ZIP_AFTER_STATE.finditer(text):
            if match.group("zip"):
                if match.group("state").upper() not in US_STATE_ABBREVIATIONS:
                    continue
                spans.append(
                    make_span(*match.span(), ADDRESS, 0.85, self.name, "state and ZIP code")
                )
            else:
                spans.append(
                    make_span(*match.span("zip2"), ADDRESS, 0.85, self.name, "postal code")
                )
        for match in _PO_BOX.finditer(text):
            end = self._extend(text, match.end())
            spans.append(make_span(match.start(), end, ADDRESS, 0.9, self.name, "post-office box"))
        for match in _LOWER_STREET_WORD.finditer(text):
            if any(_is_generic(w) for w in match.group(0).split()[:1]):
                continue
            end = self._extend(text, match.end())
            spans.append(make_span(match.start(), end, ADDRESS, 0.85, self.name, "street address"))
        spans += self._after_cue(text)
        spans += self._named_numbers(text)
        spans += self._street_lines(text)
        if self.street_names:
            spans += self._street_names(text)
        return self._intersections(text, spans)

    def _intersections(self, text: str, spans: list[Span]) -> list[Span]:
        """Widen a numbered address to a whole intersection phrase around it."""
        out = list(spans)
        for span in spans:
            if span.level is not Level.DIRECT:
                continue
            before = text[max(0, span.start - 60) : span.start]
            joined = _JOINED_BEFORE.search(before)
            if joined:
                words = joined.group("a").split()
                if all(not _is_generic(w) and w.lower() not in _NOT_STREET_WORDS for w in words):
                    start = span.start - len(before) + joined.start("a")
                    out.append(
                        make_span(start, span.end, ADDRESS, 0.8, self.name, "street intersection")
                    )
        for match in _CORNER.finditer(text):
            a_start, a_end = match.span("a")
            b_end = match.start("b") + len(match.group("b").rstrip("."))
            if not any(
                s.start <= a_start < s.end or s.start < b_end <= s.end for s in spans
            ) and not any(ch.isdigit() for ch in text[a_start:b_end]):
                continue
            lead = _CORNER_WHOLE.search(text, max(0, match.start() - 4), a_start)
            start = lead.start() if lead else match.start()
            numbered = any(ch.isdigit() for ch in text[a_start:b_end])
            out.append(
                make_span(
                    start,
                    b_end,
                    ADDRESS,
                    0.8,
                    self.name,
                    "street intersection",
                    Level.DIRECT if numbered else Level.QUASI,
                )
            )
        return out

    def _international(self, text: str) -> list[Span]:
        """Streets named by a street word in another language, with a house number."""
        spans = []
        for anchor in _INTL_ANCHOR.finditer(text):
            word_start = anchor.start()
            while word_start > 0 and _WORD_CHARS.match(text, word_start - 1):
                word_start -= 1
            if word_start > 0 and (text[word_start - 1].isalnum() or text[word_start - 1] == "_"):
                continue
            word = text[word_start : anchor.end()]
            if _INTL_PREFIX_ONLY.match(word):
                start = word_start
                after = _INTL_AFTER_ANCHOR.match(text, anchor.end())
                if not after:
                    continue
                lead = re.search(rf"{_NUM}[ \t]+$", text[max(0, start - 12) : start])
                if lead:
                    start -= len(lead.group(0))
            else:
                if not word[:1].isupper():
                    continue
                after = _INTL_AFTER_SUFFIX.match(text, anchor.end())
                if not after:
                    continue
                before = _INTL_SUFFIX_STREET.search(text[max(0, word_start - 60) : word_start])
                if anchor.start() == word_start and not (before and before.group(0).strip()):
                    continue  # the street word alone ("at Gate 12") names no street
                start = word_start - (len(before.group(0)) if before else 0)
            end = self._extend(text, after.end(), start)
            spans.append(make_span(start, end, ADDRESS, 0.9, self.name, "street address"))
        return spans

    def _extend(self, text: str, end: int, start: int | None = None) -> int:
        """Extend an address over unit, city, state, ZIP and country parts that follow it
        (lower-case parts too when the address from `start` is all lower case)."""
        for _ in range(5):
            match = _CONTINUATION.match(text, end)
            if not match:
                break
            part = match.group("part")
            words = part.split()
            if (
                any(_is_generic(w) for w in words)
                and not re.match(_UNIT, part, re.IGNORECASE)
                and not re.fullmatch(r"[A-Z]{2}", part)
                and not (
                    words[-1].isdigit() and is_public_place(" ".join(words[:-1]).split("(")[0])
                )
            ):
                break
            if "\n" in text[end : match.start("part")] and len(part) > 40:
                break
            if (
                text[end - 1] == "."
                and not text[end : match.start("part")].strip()
                and (
                    words[0].lower() in STOP_WORDS_EN_ES
                    or _LOWER_WORD_AHEAD.match(text, match.end("part"))
                )
            ):
                break  # "1200 Morgantown Rd. Nobody came": a new sentence, not a city
            end = match.end("part")
        if start is not None and not any(ch.isupper() for ch in text[start:end]):
            for _ in range(5):
                match = _LOWER_CONTINUATION.match(text, end)
                if not match:
                    break
                part = match.group("unit") or match.group("part")
                if any(w.lower().strip(".,") in _NOT_STREET_WORDS for w in part.split()):
                    break
                end = match.end("unit") if match.group("unit") else match.end("part")
        tail = _COUNTRY_ZIP_LINE.match(text, end)
        if tail and not any(_is_generic(w) for w in tail.group(0).split()[:-1]):
            end = tail.end()
        return end

    def _after_cue(self, text: str) -> list[Span]:
        spans = []
        for cue in _CUE.finditer(text):
            match = _CUE_PHRASE.match(text, cue.end())
            if not match:
                continue
            value = match.group(0)
            for stop in _PERIOD_THEN_WORD.finditer(value):
                if stop.group(1).lower() in STOP_WORDS_EN_ES:
                    value = value[: stop.start() + 1]  # "45 Main St. The lights": a new sentence
                    break
            value_end = match.start() + len(value)
            words = value.split()
            if not any(ch.isdigit() for ch in value):
                continue
            if not any(w[:1].isupper() and not _is_generic(w) for w in words):
                continue
            if not (words[0][:1].isdigit() or words[-1][:1].isdigit()):
                continue
            if cue.group(0).strip().lower() in ("on", ":") and not self._usaddress_says_street(
                value
            ):
                continue
            end = self._extend(text, value_end, match.start())
            spans.append(
                make_span(
                    match.start(), end, ADDRESS, 0.8, self.name, "address after an address cue"
                )
            )
        return spans

    def _named_numbers(self, text: str) -> list[Span]:
        spans = []
        for match in [*_NAMED_NUMBER.finditer(text), *_JOINED_NUMBER.finditer(text)]:
            words = [w for w in match.group("v").split() if w.lower() not in ("and", "&", "y")]
            number = words[-1]
            if len(number) == 4 and number.isdigit() and 1800 <= int(number) <= 2099:
                continue  # a year ("at Christmas 2019")
            names = words[:-1]
            if any(
                _is_generic(w) or w.lower() in _NUMBERED_THINGS or w.lower() in _NOT_STREET_WORDS
                for w in names
            ):
                continue
            if is_public_place(" ".join(names)):
                continue
            end = self._extend(text, match.end())
            spans.append(
                make_span(match.start("v"), end, ADDRESS, 0.8, self.name, "place name and number")
            )
        return spans

    def _street_lines(self, text: str) -> list[Span]:
        """Number-bearing street lines of a postal address block, with no street word."""
        spans = []
        for match in _STREET_LINE.finditer(text):
            value = match.group(0)
            words = [w for w in value.split() if not w[:1].isdigit()]
            if not words or any(w.lower().strip(".,") in _NOT_STREET_WORDS for w in words):
                continue
            unit_next = _UNIT_AHEAD.match(text, match.end())
            # After "lives at" / "address is", a number-name-number phrase is an address in
            # any case ("255 hersnapvej 18").
            cued = (
                value.split()[-1][:1].isdigit() or bool(unit_next)
            ) and _STRONG_CUE_BEFORE.search(text[max(0, match.start() - 50) : match.start()])
            if not cued and not any(w[:1].isupper() and not _is_generic(w) for w in words):
                continue
            if not unit_next and not cued:
                line_start = text.rfind("\n", 0, match.start()) + 1
                alone = _LINE_LEAD.search(text[max(0, line_start - 1) : match.start()])
                if not alone or not _PLACE_LINE_AHEAD.match(text, match.end()):
                    continue
            end = self._extend(text, match.end(), match.start())
            spans.append(
                make_span(match.start(), end, ADDRESS, 0.85, self.name, "street line of an address")
            )
        return spans

    def _usaddress_says_street(self, value: str) -> bool:
        """Whether usaddress parses the phrase as a street address (number and street name)."""
        if not self.use_usaddress:
            return False
        try:
            import usaddress

            tags = {label for _, label in usaddress.parse(value)}
        except Exception:  # noqa: BLE001 - a parser failure just means "not an address"
            return False
        return "AddressNumber" in tags and bool(
            tags & {"StreetNamePostType", "OccupancyType", "ZipCode", "PlaceName"}
        )

    def _street_names(self, text: str) -> list[Span]:
        spans = []
        for match in _STREET_NAME_ONLY.finditer(text):
            start, end = match.span("es") if match.group("es") else match.span()
            words = text[start:end].split()
            while words and _is_generic(words[0]):
                start += len(words[0]) + 1
                words = words[1:]
            if not words or all(_is_generic(w) for w in words):
                continue
            if len(words) > 1 and words[-2].rstrip(".").lower() in TITLES:
                continue  # "Professor Dr." is a title, not a street
            spans.append(make_span(start, end, ADDRESS, 0.7, self.name, "street name", Level.QUASI))
        for match in _CORNER.finditer(text):
            for group in ("a", "b"):
                start, end = match.span(group)
                end = start + len(text[start:end].rstrip("."))
                words = text[start:end].split()
                if not any(w[:1].isupper() or w[:1].isdigit() for w in words):
                    continue
                if any(w.lower() in _NOT_STREET_WORDS for w in words):
                    continue
                if not _is_generic(text[start:end]):
                    spans.append(
                        make_span(
                            start, end, ADDRESS, 0.75, self.name, "street at a corner", Level.QUASI
                        )
                    )
        return spans
