"""The Anonymizer: runs the detectors, resolves overlaps, applies policy, writes placeholders."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Sequence

from .address import AddressDetector
from .base import Detector
from .gazetteer import AllowList, Gazetteer, GazetteerDetector
from .lexicon import GENERIC_CAPITALIZED, STOP_WORDS_EN_ES, TITLES
from .names import PersonNameDetector
from .ner import DEFAULT_MODEL, SpacyNerDetector
from .patterns import default_pattern_detectors
from .placeholders import PlaceholderRegistry
from .public import PublicNameDetector
from .quasi import LISTED_BUSINESS, QuasiIdentifierDetector
from .text import DEFAULT_CHUNK_CHARS, restore_case, split_chunks
from .types import ADDRESS, PERSON, Level, Policy, Redaction, Replacement, Span, make_span

# When spans overlap, the one shown to the reviewer is the most specific: direct identifiers
# before quasi ones, then higher score, then longer.
_TYPE_PRIORITY = {
    "DATE OF BIRTH": 3,
    "ADDRESS": 2,
    "CASE NUMBER": 2,
    "PHONE": 2,
    "EMAIL": 2,
    "SSN": 2,
    "CARD NUMBER": 2,
    "PERSON": 1,
}


# Rule spans whose capitals still go to the model: it may find a longer name around them
# (a business the suffix rule cut short). Every other rule span spares the model.
_MODEL_EXTENDS = frozenset(["ORGANIZATION"])


def _best(cluster: list[Span]) -> Span:
    return max(
        cluster,
        key=lambda s: (
            s.level is Level.DIRECT,
            _TYPE_PRIORITY.get(s.type, 0),
            s.score,
            s.length,
        ),
    )


def resolve_overlaps(spans: Iterable[Span], text: str) -> list[Span]:
    """Merge overlapping spans into one per region (the union), typed by the best evidence."""
    ordered = sorted(spans, key=lambda s: (s.start, -s.end))
    merged: list[Span] = []
    cluster: list[Span] = []
    cluster_end = -1
    for span in ordered:
        if cluster and span.start < cluster_end:
            cluster.append(span)
            cluster_end = max(cluster_end, span.end)
            continue
        if cluster:
            merged.append(_merge_cluster(cluster, cluster_end))
        cluster, cluster_end = [span], span.end
    if cluster:
        merged.append(_merge_cluster(cluster, cluster_end))
    # "John" + " " + "Smith" found separately read better as one person.
    joined: list[Span] = []
    for span in merged:
        if (
            joined
            and joined[-1].type == span.type == PERSON
            and text[joined[-1].end : span.start].strip() == ""
            and "\n" not in text[joined[-1].end : span.start]
        ):
            joined[-1] = joined[-1].with_bounds(joined[-1].start, span.end)
        else:
            joined.append(span)
    return joined


def _merge_cluster(cluster: list[Span], end: int) -> Span:
    best = _best(cluster)
    start = min(s.start for s in cluster)
    if len(cluster) == 1:
        return best
    detectors = sorted({s.detector for s in cluster})
    reason = (
        best.reason
        if len(detectors) == 1
        else f"{best.reason} (also: {', '.join(d for d in detectors if d != best.detector)})"
    )
    return Span(start, end, best.type, best.score, best.detector, reason, best.level)


def _trim(text: str, span: Span) -> Span | None:
    """Strip surrounding whitespace and punctuation that a pattern may have included."""
    start, end = span.start, span.end
    while start < end and (
        text[start].isspace()
        or text[start] in ",;:\"“'"
        or (text[start] == "(" and ")" not in text[start:end])
    ):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ',;:)"”'):
        if text[end - 1] == ")" and text.count("(", start, end) == text.count(")", start, end):
            break  # the span's own closing bracket ("205,000 liras (TRY)")
        end -= 1
    end = _drop_sentence_end(text, start, end)
    if end <= start:
        return None
    return span if (start, end) == (span.start, span.end) else span.with_bounds(start, end)


# Abbreviations whose period belongs to the name: business forms ("Acme Inc."), street
# suffixes ("Main St."), name suffixes ("Jr."), months ("5 Jan.") and titles.
_ABBREVIATIONS = frozenset(
    [
        *TITLES,
        *("inc", "ltd", "corp", "co", "cía", "cia", "bros", "assn", "intl", "mfg", "dept"),
        *("jr", "sr", "esq", "no", "nº", "apt", "ste", "bldg", "univ", "hosp"),
        *("st", "ave", "av", "avda", "rd", "blvd", "dr", "ln", "hwy", "pkwy", "ct", "pl"),
        *("cir", "ter", "trl", "sq", "rte", "expy", "fwy", "mt", "ft", "pt", "col", "u"),
        *("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"),
        *("ene", "abr", "ago", "dic"),
    ]
)
_LAST_WORD = re.compile(r"([^\W\d_][\w'’-]*)$")


def _drop_sentence_end(text: str, start: int, end: int) -> int:
    """End before a sentence's closing punctuation that a pattern took in ("trabaja en
    Walmart." -> "Walmart"), keeping a period that belongs to the name: an abbreviation
    ("Acme Inc.", "Main St.", "Jr."), an initial ("Ana B.") or dotted letters ("U.S.")."""
    stop = end
    while stop > start and text[stop - 1] in ".!?…":
        stop -= 1
    if stop == end or stop <= start:
        return end
    if text[stop] != ".":
        return stop
    word = _LAST_WORD.search(text, start, stop)
    if word:
        token = word.group(1)
        dotted = stop - len(token) - 1 >= start and text[stop - len(token) - 1] == "."
        if (
            token.lower() in _ABBREVIATIONS
            or (len(token) == 1 and token.isupper())
            or (dotted and len(token) <= 3)
        ):
            return stop + 1
    return stop


def _drop_names_inside_businesses(text: str, spans: list[Span]) -> list[Span]:
    """A first name inside a listed business ("Wendy's", "Papa John's") is no person, nor is
    a business taken for one ("desde el Kroger", "Save A Lot"): under policy "direct" the
    business stays readable rather than becoming "[PERSON 1]'s". After a title ("Mr
    Meijer", "Officer Tyson") it stays a person."""
    listed = [(s.start, s.end) for s in spans if s.reason == LISTED_BUSINESS]
    if not listed:
        return spans
    return [
        s
        for s in spans
        if not (
            s.type == PERSON
            and s.detector != "gazetteer"
            and any(a <= s.start and s.end <= b for a, b in listed)
            and not _TITLE_BEFORE.search(text[max(0, s.start - 20) : s.start])
        )
        and not (s.detector == "ner" and _runs_over_business(text, s, listed))
    ]


_TITLE_BEFORE = re.compile(
    r"(?<![\w'’-])(?:" + "|".join(sorted(TITLES, key=len, reverse=True)) + r")\.?[ \t]+$",
    re.IGNORECASE,
)


def _runs_over_business(text: str, span: Span, listed: list[tuple[int, int]]) -> bool:
    """A model entity that holds a listed business and lower-case words around it
    ("Robaron el Oxxo": the English model reading Spanish) is the business alone."""
    for a, b in listed:
        if span.start <= a and b <= span.end and b - a < span.length:
            rest = text[span.start : a] + " " + text[b : span.end]
            if any(w[:1].islower() for w in rest.split()):
                return True
    return False


_STREET_WORD = (
    r"(?:Street|St|Road|Rd|Avenue|Ave|Boulevard|Blvd|Lane|Ln|Drive|Dr|Highway|Hwy"
    r"|Parkway|Pkwy|Court|Ct|Place|Pl|Circle|Cir|Terrace|Ter|Trail|Trl|Pike)\.?"
)
_ENDS_WITH_STREET_WORD = re.compile(rf"[ \t]{_STREET_WORD}$")
_ONLY_STREET_WORD = re.compile(rf"[ \t]+{_STREET_WORD}$")
_BEFORE_STREET = re.compile(r"(?:[ \t,]+(?:on|at|in|off|de|del|en|of|the|la|el))*[ \t,]*$")


def _drop_model_names_of_streets(text: str, spans: list[Span]) -> list[Span]:
    """The name of a street the address rules found is that street, not a person or a
    business: an entity ending in the street word ("Campbell Ln" as a person, "Elrod Rd" as
    a business), or a first name right before it ("Magnolia Dr"). A model entity that runs
    on into a street ("Walmart de Scottsville Road") ends before it."""
    streets = [
        (s.start, s.end)
        for s in spans
        if s.type == ADDRESS
        and s.detector == "address"
        and _ENDS_WITH_STREET_WORD.search(text[s.start : s.end])
    ]
    if not streets:
        return spans
    kept = []
    for span in spans:
        if span.type == ADDRESS or span.detector not in ("ner", "names"):
            kept.append(span)
            continue
        ends_in_street = bool(_ENDS_WITH_STREET_WORD.search(text[span.start : span.end]))
        for a, b in streets:
            if span.start < a < span.end <= b and (
                (ends_in_street and text[span.end : b] in ("", "."))
                or _ONLY_STREET_WORD.fullmatch(text[span.end : b])
            ):
                # "Martin Luther King Jr Blvd": the whole name is the street's.
                kept.append(
                    make_span(span.start, b, ADDRESS, 0.7, "address", "street name", Level.QUASI)
                )
                break
            if a <= span.start and span.end <= b:
                if ends_in_street or (
                    span.start == a and _ONLY_STREET_WORD.fullmatch(text[span.end : b])
                ):
                    break
            elif span.detector == "ner" and span.start < a < span.end <= b and ends_in_street:
                end = _BEFORE_STREET.search(text, span.start, a).start()
                if end > span.start:
                    kept.append(span.with_bounds(span.start, end))
                break
        else:
            kept.append(span)
    return kept


_NAME_TOKEN = re.compile(r"[^\W\d_][\w'’-]*")


def propagate_names(
    text: str, spans: list[Span], extra: Iterable[tuple[str, ...]] = ()
) -> list[Span]:
    """Mask every other mention of a detected name (and its parts) in the same text."""
    variants: set[str] = set()
    for span in spans:
        if span.type != PERSON:
            continue
        surface = text[span.start : span.end]
        tokens = [t for t in _NAME_TOKEN.findall(surface) if t.rstrip(".").lower() not in TITLES]
        if not tokens:
            continue
        variants.add(" ".join(tokens))
        variants.update(t for t in tokens if len(t) > 2)
    for key in extra:
        if key:
            variants.add(" ".join(w.capitalize() for w in key))
            if len(key[-1]) > 2:
                variants.add(key[-1].capitalize())
    variants = {
        v
        for v in variants
        if v.lower() not in STOP_WORDS_EN_ES and v.lower() not in GENERIC_CAPITALIZED
    }
    if not variants:
        return []
    lower_variants = {v for v in variants if v.islower()}
    pattern = re.compile(
        r"(?<![\w'’-])(?:"
        + "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
        + r")(?![\w-])",
        re.IGNORECASE,
    )
    covered = [(s.start, s.end) for s in spans if s.type == PERSON]
    found = []
    for match in pattern.finditer(text):
        start, end = match.span()
        value = match.group(0)
        # A lower-case repeat of a capitalised name ("Brown" then "brown") is a word.
        if not value[:1].isupper() and value not in lower_variants:
            continue
        if any(s <= start and end <= e for s, e in covered):
            continue
        found.append(
            make_span(start, end, PERSON, 0.8, "propagation", "another mention of a detected name")
        )
    return found


class Anonymizer:
    """Detects identifiers in statements and redacts them with consistent placeholders.

    Parameters are stored as given (scikit-learn style); detectors and models are built on
    first use and kept in attributes ending in "_".
    """

    def __init__(
        self,
        policy: Policy | str = Policy.DIRECT_QUASI,
        gazetteer: Gazetteer | Iterable[str] | None = None,
        allow_list: AllowList | Iterable[str] | None = None,
        detectors: Sequence[Detector] | None = None,
        use_ner: bool = True,
        ner_model: str = DEFAULT_MODEL,
        min_score: float = 0.5,
        propagate: bool = True,
        max_chunk_chars: int = DEFAULT_CHUNK_CHARS,
        batch_size: int = 64,
    ) -> None:
        self.policy = policy
        self.gazetteer = gazetteer
        self.allow_list = allow_list
        self.detectors = detectors
        self.use_ner = use_ner
        self.ner_model = ner_model
        self.min_score = min_score
        self.propagate = propagate
        self.max_chunk_chars = max_chunk_chars
        self.batch_size = batch_size

    # -- configuration -------------------------------------------------------------------
    def _setup(self) -> None:
        if hasattr(self, "detectors_"):
            return
        self.policy_ = Policy(self.policy)
        if isinstance(self.gazetteer, Gazetteer) or self.gazetteer is None:
            self.gazetteer_ = self.gazetteer
        else:
            self.gazetteer_ = Gazetteer.from_terms(self.gazetteer)
        if isinstance(self.allow_list, AllowList):
            self.allow_list_ = self.allow_list
        else:
            self.allow_list_ = AllowList(list(self.allow_list or []))
        if self.detectors is not None:
            detectors = list(self.detectors)
        else:
            detectors = [
                *default_pattern_detectors(),
                AddressDetector(),
                PersonNameDetector(),
                QuasiIdentifierDetector(),
                PublicNameDetector(),
            ]
            if self.use_ner:
                detectors.append(SpacyNerDetector(self.ner_model, batch_size=self.batch_size))
        if self.gazetteer_ is not None:
            detectors.append(GazetteerDetector(self.gazetteer_))
        self.detectors_ = detectors

    def with_terms(self, *, allow: Iterable[str] = (), mask: Iterable[str] = ()) -> Anonymizer:
        """A copy that shares this engine's detectors (and loaded NER model) and adds one
        initiative's own terms: `allow` stays readable, `mask` is always masked. Cheap enough
        to build per batch of statements."""
        self._setup()
        allow, mask = [t for t in allow if t.strip()], [t for t in mask if t.strip()]
        if not allow and not mask:
            return self
        clone = copy.copy(self)
        base_terms = list(self.allow_list_.terms)
        clone.allow_list_ = AllowList([*base_terms, *allow], builtin=self.allow_list_.builtin)
        if mask:
            clone.detectors_ = [*self.detectors_, GazetteerDetector(Gazetteer.from_terms(mask))]
        return clone

    def warm_up(self) -> Anonymizer:
        """Build the detectors and load the NER model now rather than on the first text
        that needs it (a worker calls this once at start); returns self."""
        self._setup()
        for detector in self.detectors_:
            load = getattr(detector, "load", None)
            if callable(load):
                load()
        return self

    # -- analysis ------------------------------------------------------------------------
    def analyze(self, text: str, context: PlaceholderRegistry | None = None) -> list[Span]:
        """Spans to mask in one text, merged and filtered by policy and allow-list."""
        return self.analyze_many([text], context)[0]

    def analyze_many(
        self, texts: Sequence[str], context: PlaceholderRegistry | None = None
    ) -> list[list[Span]]:
        """Spans for each text; the NER model runs once over all texts in batches."""
        self._setup()
        for index, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(
                    f"text {index} must be str, not {type(text).__name__}"
                    + (" (decode bytes as UTF-8 first)" if isinstance(text, bytes) else "")
                )
        # Chunk every text; detectors see chunks, offsets are shifted back afterwards.
        pieces: list[tuple[int, int, str, str]] = []
        for index, text in enumerate(texts):
            if not text.strip():
                continue
            for offset, chunk in split_chunks(text, self.max_chunk_chars):
                pieces.append((index, offset, chunk, restore_case(chunk) or chunk))
        raw: list[list[Span]] = [[] for _ in texts]
        # Spans per chunk so far: the NER model skips capitals the rules already explain.
        so_far: list[list[Span]] = [[] for _ in pieces]
        for detector in self.detectors_:
            sources = [
                restored if detector.wants_restored_case else chunk
                for _, _, chunk, restored in pieces
            ]
            if isinstance(detector, SpacyNerDetector):
                explained = [
                    [s for s in spans if s.score >= self.min_score and s.type not in _MODEL_EXTENDS]
                    for spans in so_far
                ]
                found = detector.detect_many(sources, explained=explained)
            else:
                found = detector.detect_many(sources)
            for k, ((index, offset, _, _), spans) in enumerate(zip(pieces, found, strict=True)):
                so_far[k].extend(spans)
                raw[index].extend(s.shifted(offset) for s in spans)
        known = context.known_people() if context is not None else []
        return [self._finish(text, spans, known) for text, spans in zip(texts, raw, strict=True)]

    def _finish(self, text: str, spans: list[Span], known: list[tuple[str, ...]]) -> list[Span]:
        spans = [s for s in spans if s.score >= self.min_score]
        spans = [t for s in spans if (t := _trim(text, s)) is not None]
        spans = _drop_names_inside_businesses(text, spans)
        spans = _drop_model_names_of_streets(text, spans)
        spans = self.allow_list_.filter(text, spans)
        if self.propagate:
            spans += self.allow_list_.filter(text, propagate_names(text, spans, known))
        spans = [s for s in spans if self.policy_.allows(s.level)]
        return resolve_overlaps(spans, text)

    # -- redaction -----------------------------------------------------------------------
    def redact(self, text: str, context: PlaceholderRegistry | None = None) -> Redaction:
        """The text with each span replaced by a typed, numbered placeholder."""
        return self.redact_many([text], context)[0]

    def redact_many(
        self, texts: Sequence[str], context: PlaceholderRegistry | None = None
    ) -> list[Redaction]:
        """Redactions for texts of one session; numbering is shared through context."""
        registry = context if context is not None else PlaceholderRegistry()
        results = []
        # Texts are analysed in order so names seen earlier in the session are recognised.
        if context is None:
            all_spans = self.analyze_many(texts)
            for text, spans in zip(texts, all_spans, strict=True):
                results.append(apply_placeholders(text, spans, registry))
            return results
        for text in texts:
            spans = self.analyze(text, registry)
            results.append(apply_placeholders(text, spans, registry))
        return results


# After a span that ends with an abbreviation's period: the end of the text or of a line, or
# a new sentence (a capital letter after a space), so the period also closed a sentence.
_SENTENCE_ENDED = re.compile(r"[ \t]*(?:$|\n)|[ \t]+[\"“(]?[A-ZÀ-ÖØ-Þ¿¡]")


def apply_placeholders(
    text: str, spans: Sequence[Span], registry: PlaceholderRegistry
) -> Redaction:
    """Replace spans (non-overlapping, any order) with placeholders from the registry."""
    ordered = sorted(spans, key=lambda s: s.start)
    people = [text[s.start : s.end] for s in ordered if s.type == PERSON]
    out: list[str] = []
    replacements: list[Replacement] = []
    position = 0
    for span in ordered:
        if span.start < position:
            continue
        surface = text[span.start : span.end]
        if span.type == PERSON:
            # Number a person by their fullest mention, so "Smith" joins "John Smith".
            registry.number_for(PERSON, _fullest(surface, people))
        placeholder = registry.placeholder(span.type, surface)
        out.append(text[position : span.start])
        out.append(placeholder)
        if surface.endswith(".") and _SENTENCE_ENDED.match(text, span.end):
            # "on Main St. The lights": the abbreviation's period also ended the sentence.
            out.append(".")
        replacements.append(Replacement(span, placeholder))
        position = span.end
    out.append(text[position:])
    return Redaction("".join(out), replacements)


def _fullest(surface: str, people: list[str]) -> str:
    """The longest mention in the statement whose name words include this one's."""
    words = {w.casefold() for w in _NAME_TOKEN.findall(surface)}
    best = surface
    for other in people:
        if len(other) > len(best) and words <= {w.casefold() for w in _NAME_TOKEN.findall(other)}:
            best = other
    return best
