"""Person names found by rules: titles and ranks, introductions, nicknames, name lists."""

from __future__ import annotations

import re

from .base import Detector
from .lexicon import (
    AMBIGUOUS_NAME_WORDS,
    GENERIC_CAPITALIZED,
    HONORIFICS,
    PLACE_HEAD_WORDS,
    RANKS,
    ROLE_NOUNS,
    STOP_WORDS_EN_ES,
    TITLES,
    first_names,
    is_public_place,
    surnames,
)
from .types import PERSON, Span, make_span

_UPPER = "A-ZÀ-ÖØ-ÞĀ-ſ"
_WORD = r"[\w'’-]"
_CAP_TOKEN = rf"(?:[{_UPPER}]{_WORD}*|[{_UPPER}]\.(?:\s?[{_UPPER}]\.)*)"
_PARTICLE = r"(?:de|del|de la|van|von|der|den|da|di|du|le|la|al|el|bin|ibn|y|dos|das|st\.?)"
_CAP_NAME = rf"{_CAP_TOKEN}(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{_CAP_TOKEN}){{0,3}}"
_ANY_TOKEN = rf"[^\W\d_]{_WORD}*"

_TITLE_RE = "|".join(sorted({re.escape(t) for t in HONORIFICS + RANKS}, key=len, reverse=True))

# A title or rank, optionally with its full rank phrase, then a name ("Sgt. Lee",
# "Police Officer Juan Pérez", "officer smith").
_TITLED = re.compile(
    rf"(?<![\w.])(?P<title>(?:{_TITLE_RE})\.?)(?:[ \t]+(?:and|&|y)[ \t]+(?:{_TITLE_RE})\.?)?"
    rf"[ \t]+(?P<name>{_CAP_NAME}|{_ANY_TOKEN}(?:[ \t]+{_ANY_TOKEN})?)",
    re.IGNORECASE,
)

# Introductions: "my name is X", "call me X", "me llamo X", "named X".
_INTRO = re.compile(
    r"\b(?:my\s+name\s+is|name\s+is|names?\s*:|call(?:s|ed)?\s+me|known\s+as|a\.k\.a\.?|aka"
    r"|named|called|signed,?|regards,|sincerely,|me\s+llamo|mi\s+nombre\s+es|se\s+llama"
    r"|nombre\s*:|me\s+dicen|le\s+dicen|follow\s+up\s+with|ask\s+for|speak\s+(?:to|with)"
    r"|talk\s+to|heard|meet|met\s+with|change\s+it\s+to|account\s+is\s+in"
    r"|(?:directed|written|produced|created|authored|painted|composed|edited|illustrated"
    r"|photographed|narrated|hosted|presented)\s+by\s*:?)"
    rf"[ \t]*[:,]?[ \t]*(?P<name>\"[^\"\n]{{2,40}}\"|“[^”\n]{{2,40}}”|{_CAP_NAME}"
    rf"|{_ANY_TOKEN}(?:[ \t]+(?:[a-z]\.?[ \t]+)?{_ANY_TOKEN}){{0,2}})",
    re.IGNORECASE,
)

# A quoted nickname between two name parts or after a name: John "Big Mike" Smith.
_QUOTED_NICK = re.compile(
    rf"(?P<name>{_CAP_TOKEN}[ \t]+[\"“'](?P<nick>[^\"”'\n]{{2,25}})[\"”'][ \t]+{_CAP_TOKEN})"
)

# A first name, a middle initial and a surname ("Mohmad R. Vizirov", "Martim A Pereira"):
# the shape itself says "person", whatever the name lists say.
_INITIAL_NAME = re.compile(
    rf"(?<![\w'’.-])(?P<name>[{_UPPER}][^\W\d_]{{1,}}[ \t]+[{_UPPER}]\.?[ \t]+"
    rf"[{_UPPER}][^\W\d_][\w'’-]*)(?![\w'’-])"
)
# Coordinated capitalised words ("Kadiev and Adams", "Eklund, Michael and Hodge"): when at
# least half are listed names and none is a generic word or a public place, all are people.
_CAPITAL_ONE = rf"[{_UPPER}][^\W\d_][\w'’-]*"
_COORDINATED = re.compile(
    rf"(?<![\w'’.-]){_CAPITAL_ONE}(?:[ \t]*,[ \t]*{_CAPITAL_ONE}){{0,4}},?"
    rf"[ \t]+(?:and|or|&|y)[ \t]+{_CAPITAL_ONE}(?![\w'’-])"
)
# Verbs of speaking to someone, then a capitalised word ("I told Zuzana", "we asked Kuba"),
# or a capitalised word, then such a verb and a pronoun ("Zuzana told me").
_SPEECH_VERBS = r"(?:told|asked|thanked|texted|emailed|messaged|warned|begged|reminded)"
_AFTER_VERB = re.compile(
    rf"\b{_SPEECH_VERBS}[ \t]+(?P<name>{_CAPITAL_ONE}(?:[ \t]+{_CAPITAL_ONE})?)(?![\w'’-])"
    rf"|(?<![\w'’.-])(?P<subject>{_CAPITAL_ONE}(?:[ \t]+{_CAPITAL_ONE})?)[ \t]+"
    rf"(?:{_SPEECH_VERBS}|said[ \t]+to|told)[ \t]+(?:me|us|him|her|them|my|our)\b"
)
# A name-shaped word: a capital, then lower-case letters (any alphabet), 2-20 letters.
_NAME_SHAPE = rf"[{_UPPER}][^\W\d_A-Z]{{1,19}}"
# A speaker label at the start of a line of a transcript ("Maria: I think...", "José: yes").
_SPEAKER = re.compile(
    rf"(?m)^[^\w\n]{{0,4}}(?P<name>{_NAME_SHAPE}(?:[ \t]+{_NAME_SHAPE})?)[ \t]*:[ \t]*(?=[\"“'\w])"
)
_SPEAKER_LABELS = frozenset(
    [
        "name",
        "names",
        "address",
        "addresses",
        "phone",
        "mobile",
        "desk",
        "fax",
        "email",
        "e-mail",
        "website",
        "web",
        "personal",
        "info",
        "note",
        "notes",
        "subject",
        "re",
        "date",
        "time",
        "user",
        "bot",
        "question",
        "answer",
        "comment",
        "comments",
        "response",
        "location",
        "city",
        "state",
        "zip",
        "country",
        "title",
        "company",
        "occupation",
        "tel",
        "cell",
        "home",
        "work",
        "office",
        "status",
        "source",
        "summary",
        "update",
        "reply",
        "from",
        "to",
        "cc",
        "sent",
        "facilitator",
        "moderator",
        "participant",
        "participants",
        "speaker",
        "officer",
        "resident",
        "interviewer",
        "interviewee",
        "chair",
        "member",
        "staff",
        "police",
        "community",
        "attendee",
        "host",
        "translator",
        "interpreter",
        "customer",
        "agent",
        "client",
        "caller",
        "operator",
        "support",
        "admin",
        "system",
        "assistant",
        "teacher",
        "student",
        "doctor",
        "nurse",
        "witness",
        "victim",
        "complainant",
        "applicant",
        "respondent",
        "judge",
        "court",
        "topic",
        "theme",
        "issue",
        "concern",
        "concerns",
        "suggestion",
        "suggestions",
        "idea",
        "ideas",
        "feedback",
        "action",
        "actions",
        "goal",
        "goals",
        "recommendation",
        "recommendations",
        "result",
        "results",
        "outcome",
        "example",
        "warning",
        "important",
        "attention",
        "reminder",
        "hint",
        "tip",
        "tips",
        "step",
        "steps",
        "part",
        "section",
        "chapter",
        "item",
        "items",
        "total",
        "price",
        "cost",
        "amount",
        "mom",
        "dad",
    ]
)
# The first line of a contact block or signature, only a first name and a surname
# ("Rosa Velasquez" above address and phone lines).
_HEAD_LINE = re.compile(
    rf"^[^\w\n]{{0,3}}(?P<name>{_NAME_SHAPE}[ \t]+{_NAME_SHAPE}(?:[ \t]+{_NAME_SHAPE})?)[ \t]*\n"
)
_CONTACT_LINE = re.compile(
    r"(?im)^[^\w\n]{0,3}(?:\d{1,6}[ \t]+\w|(?:phone|mobile|tel|fax|e-?mail|address|desk|cell)"
    r"\b|[\w.+-]+@[\w-]+\.|\+?\(?\d{2,4}\)?[ \t.-]?\d{2,4}[ \t.-]?\d{2,4})"
)
# Words that start a sentence before a comma without being anyone's name.
_NOT_VOCATIVE = frozenset(
    [
        "thanks",
        "thank",
        "hello",
        "hi",
        "hey",
        "yes",
        "no",
        "well",
        "so",
        "okay",
        "ok",
        "sorry",
        "please",
        "look",
        "listen",
        "honestly",
        "seriously",
        "now",
        "also",
        "again",
        "sir",
        "madam",
        "folks",
        "guys",
        "everyone",
        "everybody",
        "friends",
        "neighbors",
        "neighbours",
        "people",
        "plus",
        "however",
        "first",
        "second",
        "third",
        "finally",
        "lastly",
        "overall",
        "meanwhile",
        "anyway",
        "actually",
        "basically",
        "obviously",
        "really",
        "oh",
        "wow",
        "ah",
        "um",
        "uh",
        "yeah",
        "yep",
        "nope",
        "sure",
        "right",
        "great",
        "cool",
        "fine",
        "true",
        "because",
        "maybe",
        "perhaps",
        "then",
        "still",
        "yet",
        "otherwise",
        "instead",
        "besides",
        "today",
        "tonight",
        "yesterday",
        "tomorrow",
        "unfortunately",
        "fortunately",
        "luckily",
        "sadly",
        "personally",
        "frankly",
        "typically",
        "usually",
        "sometimes",
        "often",
        "gracias",
        "hola",
        "bueno",
        "pues",
        "sí",
        "oye",
        "mira",
        "señor",
        "señora",
        "amigos",
        "vecinos",
        "además",
        "entonces",
        "también",
        "hoy",
        "ayer",
        "mañana",
    ]
)
# A name addressed at the start of a sentence: "Dolores, can you tell them what you saw?"
_VOCATIVE = re.compile(
    rf"(?:^|(?<=[\n.!?\"“>])[ \t]*)(?P<name>{_NAME_SHAPE})[ \t]*,[ \t]+"
    r"(?:can|could|would|will|please|do|did|are|is|have|what|why|how|where|when|i|you|we"
    r"|thank|thanks|listen|look|come|tell|puedes|puede|por favor|gracias|dime|mira|oye)\b"
)
# A person's predicate after a sentence-initial name: "Yesenia lives on Via Roma",
# "Dario is from Juárez", "Ana vive en la calle Sol", "said Tavi to Marcus".
_PERSON_PREDICATE = re.compile(
    rf"(?:^|(?<=[\n.!?\"“>])[ \t]*)(?P<subject>{_NAME_SHAPE}(?:[ \t]+{_NAME_SHAPE})?)[ \t]+"
    r"(?:lives?[ \t]+(?:on|at|in|near|with|next)|lived[ \t]+(?:on|at|in|near|with)|is[ \t]+from"
    r"|was[ \t]+born|works?[ \t]+(?:at|for|as)|shouted|whispered|replied|answered|vive[ \t]+en"
    r"|trabaja[ \t]+en|naci[óo][ \t]+en)\b"
    rf"|\b(?:said|asked|shouted|replied|dijo)[ \t]+(?P<speaker>{_NAME_SHAPE})[ \t]+(?:to|a)\b"
)
# A relative or neighbour named right after "my": "my kid Tavi", "mi vecina Rocío".
_MY_RELATION = re.compile(
    r"\b(?i:(?:my|our|mi|mis|nuestr[oa])[ \t]+(?:neighbou?r|son|daughter|kid|child|brother|sister"
    r"|husband|wife|friend|cousin|uncle|aunt|nephew|niece|boyfriend|girlfriend|roommate"
    r"|co-?worker|partner|grandson|granddaughter|grandma|grandpa|mom|dad|mother|father"
    r"|vecin[oa]|hij[oa]|herman[oa]|espos[oa]|amig[oa]|prim[oa]|t[íi][oa]|sobrin[oa]|novi[oa]"
    r"|compañer[oa]|niet[oa]|abuel[oa]|mamá|papá|madre|padre|pareja))"
    rf"[ \t]+(?P<name>{_NAME_SHAPE}(?:[ \t]+{_NAME_SHAPE})?)(?![\w'’-])"
)


def _until_possessive(tokens: list[str]) -> list[str]:
    """The tokens of a capitalised sequence up to a possessive, without its "'s": a name
    ends there ("Maria's house" → "Maria"; "Juan Pérez's car" → "Juan Pérez")."""
    for index, token in enumerate(tokens):
        if len(token) > 2 and token[-2:].lower() in ("'s", "’s"):
            return [*tokens[:index], token[:-2]]
    return tokens


_CAP_SEQ = re.compile(
    rf"(?<![\w'’-])(?P<name>[{_UPPER}][\w'’-]*(?:[ \t]+(?:[{_UPPER}]\.|[{_UPPER}][\w'’-]*))"
    rf"{{0,3}})"
)
_LOWER_SEQ = re.compile(
    r"(?<![\w'’-])([^\W\d_][\w'’-]*)(?:[ \t]+([a-z]\.?)?[ \t]*([^\W\d_][\w'’-]*))?"
)

_STRONG_CUE = re.compile(
    r"(?:my\s+name|name\s+is|names?\s*:|call|known|a\.?k\.?a|me\s+llamo|mi\s+nombre|se\s+llama"
    r"|nombre|me\s+dicen|le\s+dicen)",
    re.IGNORECASE,
)
_INTRO_STOP = STOP_WORDS_EN_ES | frozenset(
    [
        "going",
        "gonna",
        "trying",
        "here",
        "there",
        "sorry",
        "happy",
        "tired",
        "scared",
        "afraid",
        "not",
        "just",
        "from",
        "with",
        "a",
        "an",
        "the",
        "officer",
        "police",
        "cop",
        "cops",
        "you",
        "me",
        "him",
        "her",
        "them",
        "it",
        "this",
        "that",
        "what",
        "who",
    ]
)


_NOT_AFTER_RANK = frozenset(
    [
        "will",
        "may",
        "must",
        "might",
        "got",
        "said",
        "says",
        "can",
        "did",
        "had",
        "was",
    ]
)


def _name_tokens_ok(tokens: list[str], allow_lower: bool) -> bool:
    """Whether tokens look like a name: no stop words, capitalised or from a name list."""
    if not tokens:
        return False
    for index, token in enumerate(tokens):
        if index and index < len(tokens) - 1 and re.fullmatch(r"[A-Z]\.?", token):
            continue  # a middle initial ("Martim A Pereira")
        low = token.lower().strip(".'’")
        if low in _INTRO_STOP or low in GENERIC_CAPITALIZED and token[:1].isupper() is False:
            return False
        if not allow_lower and not token[:1].isupper():
            return False
    return True


def _trim_name(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop trailing possessives, punctuation and stop words from a name span."""
    value = text[start:end]
    value_stripped = re.sub(r"(?:['’]s|['’])$", "", value.rstrip('.,;:!?)"”'))
    end = start + len(value_stripped)
    words = list(re.finditer(r"\S+", text[start:end]))
    while words and words[-1].group(0).lower().strip(".,") in _INTRO_STOP:
        words.pop()
    if not words:
        return start, start
    return start, start + words[-1].end()


class PersonNameDetector(Detector):
    """Names after titles and ranks, in introductions, quoted nicknames and name-list hits."""

    name = "names"
    wants_restored_case = True

    def __init__(self, use_name_lists: bool = True, min_score: float = 0.5) -> None:
        self.use_name_lists = use_name_lists
        self.min_score = min_score

    def detect(self, text: str) -> list[Span]:
        """Person-name spans; the title itself stays unmasked."""
        spans: list[Span] = []
        spans += self._titled(text)
        spans += self._introduced(text)
        for match in _QUOTED_NICK.finditer(text):
            start, end = match.span("name")
            spans.append(make_span(start, end, PERSON, 0.85, self.name, "name with a nickname"))
        spans += self._initialled(text)
        spans += self._coordinated(text)
        spans += self._after_speech_verb(text)
        spans += self._by_role(text)
        if self.use_name_lists:
            spans += self._listed(text)
        return [s for s in spans if s.score >= self.min_score]

    def _titled(self, text: str) -> list[Span]:
        spans = []
        names_first, names_last = first_names(), surnames()
        for match in _TITLED.finditer(text):
            title = match.group("title").rstrip(".").lower()
            start, end = _trim_name(text, *match.span("name"))
            if end <= start:
                continue
            tokens = text[start:end].split()
            capitalised = tokens[0][:1].isupper()
            if capitalised:
                # "Officer Smith" / "Sgt. Lee" / "Mr Z.M. Necatigil"; stop at generic words.
                kept = []
                for token in tokens:
                    bare = token.strip(".,'’").lower()
                    if not token[:1].isupper() or (bare in GENERIC_CAPITALIZED and kept):
                        break
                    if bare in GENERIC_CAPITALIZED and not kept:
                        kept = []
                        break
                    # In SHOUTED text every word is capitalised: only listed names count.
                    shouted = len(bare) > 1 and token.isupper()
                    if shouted and bare not in names_last and bare not in names_first:
                        break
                    kept.append(token)
                if not kept:
                    continue
                end = start + len(" ".join(kept))
                end = _trim_name(text, start, end)[1]
                reason = f"name after the title '{title}'"
                score = 0.95
            else:
                # Lower-case "officer smith": only words from the name lists count.
                kept = []
                for token in tokens:
                    bare = token.strip(".,'’").lower()
                    if bare in _INTRO_STOP or bare in _NOT_AFTER_RANK:
                        break
                    if bare in names_last or bare in names_first:
                        kept.append(token)
                    else:
                        break
                if not kept:
                    continue
                end = start + len(" ".join(kept))
                reason = f"known name after the title '{title}'"
                score = 0.85
            if end > start:
                spans.append(make_span(start, end, PERSON, score, self.name, reason))
        return spans

    @staticmethod
    def _plain_word(word: str) -> bool:
        low = word.lower().strip(".'’")
        return not (
            low in GENERIC_CAPITALIZED
            or low in STOP_WORDS_EN_ES
            or low in _INTRO_STOP
            or low in TITLES
            or is_public_place(word)
            or word.isupper()
        )

    def _coordinated(self, text: str) -> list[Span]:
        spans = []
        names_first, names_last = first_names(), surnames()
        for match in _COORDINATED.finditer(text):
            words = list(re.finditer(_CAPITAL_ONE, match.group(0)))
            items = [w.group(0) for w in words if w.group(0).lower() not in ("and", "or", "y")]
            if not all(self._plain_word(w) for w in items):
                continue
            listed = sum(
                (w.lower() in names_first and w.lower() not in AMBIGUOUS_NAME_WORDS)
                or w.lower() in names_last
                for w in items
            )
            if listed * 2 < len(items):
                continue
            for word in words:
                if word.group(0).lower() in ("and", "or", "y"):
                    continue
                start = match.start() + word.start()
                spans.append(
                    make_span(
                        start,
                        start + len(word.group(0)),
                        PERSON,
                        0.7,
                        self.name,
                        "listed together with other names",
                    )
                )
        return spans

    def _after_speech_verb(self, text: str) -> list[Span]:
        spans = []
        for match in _AFTER_VERB.finditer(text):
            group = "name" if match.group("name") else "subject"
            start, end = match.span(group)
            words = text[start:end].split()
            while words and not self._plain_word(words[0]):
                start += len(words[0]) + 1
                words = words[1:]
            if not words or not all(self._plain_word(w) for w in words):
                continue
            if all(w.lower() in ROLE_NOUNS for w in words):
                continue  # "Teacher told us", "asked Grandma": a relation, not a name
            spans.append(make_span(start, end, PERSON, 0.7, self.name, "told or asked by name"))
        return spans

    def _by_role(self, text: str) -> list[Span]:
        """Names shown by their role in the sentence: a transcript's speaker labels, a name
        addressed at a sentence start, the subject of "lives on" / "is from", "my kid X"."""
        spans = []
        speakers = [
            m
            for m in _SPEAKER.finditer(text)
            if all(
                self._plain_word(w) and w.lower() not in _SPEAKER_LABELS
                for w in m.group("name").split()
            )
        ]
        # One label alone may be a heading ("Summary: ..."); two or more make a dialogue,
        # unless the label is a listed first name.
        names_first = first_names()
        for match in speakers:
            word = match.group("name").split()[0].lower()
            if len(speakers) >= 2 or (word in names_first and word not in AMBIGUOUS_NAME_WORDS):
                spans.append(
                    make_span(*match.span("name"), PERSON, 0.75, self.name, "speaker label")
                )
        head = _HEAD_LINE.match(text.lstrip("\n \t"))
        if head:
            offset = len(text) - len(text.lstrip("\n \t"))
            words = head.group("name").split()
            if (
                all(self._plain_word(w) and w.lower() not in _SPEAKER_LABELS for w in words)
                and len(_CONTACT_LINE.findall(text, offset + head.end())) >= 1
            ):
                start, end = head.span("name")
                spans.append(
                    make_span(
                        start + offset,
                        end + offset,
                        PERSON,
                        0.7,
                        self.name,
                        "name heading a contact block",
                    )
                )
        for regex, reason in (
            (_VOCATIVE, "name addressed at a sentence start"),
            (_PERSON_PREDICATE, "subject of a person's predicate"),
            (_MY_RELATION, "named relative or neighbour"),
        ):
            for match in regex.finditer(text):
                group = next(
                    g
                    for g in ("name", "subject", "speaker")
                    if g in match.re.groupindex and match.group(g)
                )
                start, end = match.span(group)
                words = text[start:end].split()
                if not words or not all(self._plain_word(w) and w[:1].isupper() for w in words):
                    continue
                if any(w.lower() in _SPEAKER_LABELS or w.lower() in _NOT_VOCATIVE for w in words):
                    continue
                if all(w.strip(",.").lower() in ROLE_NOUNS for w in words):
                    continue  # "Mom, can you…", "Grandma lives on…": a relation, not a name
                spans.append(make_span(start, end, PERSON, 0.7, self.name, reason))
        return spans

    def _initialled(self, text: str) -> list[Span]:
        spans = []
        for match in _INITIAL_NAME.finditer(text):
            first, _, last = match.group("name").split()
            if any(
                w.lower() in GENERIC_CAPITALIZED or w.lower() in STOP_WORDS_EN_ES
                for w in (first, last)
            ):
                continue
            if first.isupper() or last.isupper() or is_public_place(first) or is_public_place(last):
                continue
            spans.append(
                make_span(*match.span("name"), PERSON, 0.8, self.name, "name with a middle initial")
            )
        return spans

    def _introduced(self, text: str) -> list[Span]:
        spans = []
        for match in _INTRO.finditer(text):
            start, end = match.span("name")
            raw = text[start:end]
            cue = match.group(0)[: match.start("name") - match.start()].strip().lower()
            if raw[:1] in '"“':
                start, end = start + 1, end - 1
                tokens = text[start:end].split()
            else:
                start, end = _trim_name(text, start, end)
                tokens = text[start:end].split()
            if not tokens or end <= start:
                continue
            weak_cue = cue.split()[0] in {"heard", "meet", "met", "called", "named"}
            strong_cue = bool(_STRONG_CUE.match(cue))
            allow_lower = strong_cue and not any(t[:1].isupper() for t in text[start:end])
            if not strong_cue and not weak_cue and not tokens[0][:1].isupper():
                low = tokens[0].lower()
                if low not in first_names() or low in AMBIGUOUS_NAME_WORDS:
                    continue
            if weak_cue and not tokens[0][:1].isupper():
                continue
            if not _name_tokens_ok(tokens, allow_lower=True):
                # Keep the leading tokens that pass ("call me Piusz please").
                kept = []
                for token in tokens:
                    if not _name_tokens_ok([token], allow_lower=allow_lower):
                        break
                    kept.append(token)
                if not kept:
                    continue
                end = start + len(" ".join(kept))
            if is_public_place(text[start:end]):
                continue
            score = 0.8 if weak_cue else 0.9
            spans.append(make_span(start, end, PERSON, score, self.name, "introduced as a name"))
        return spans

    def _listed(self, text: str) -> list[Span]:
        """Capitalised sequences whose first word is a known first name ("Juan Pérez")."""
        spans = []
        names_first, names_last = first_names(), surnames()
        for match in _CAP_SEQ.finditer(text):
            tokens = _until_possessive(match.group("name").split())
            first = tokens[0].strip(".").lower()
            if first in AMBIGUOUS_NAME_WORDS or first in GENERIC_CAPITALIZED:
                continue
            if first not in names_first:
                continue
            if is_public_place(match.group("name")) or is_public_place(tokens[0]):
                continue
            if any(t.strip(".,").lower() in PLACE_HEAD_WORDS for t in tokens[1:]):
                continue
            # Sentence-initial single words are often ordinary capitalised words.
            kept = [tokens[0]]
            for token in tokens[1:]:
                bare = token.strip(".,").lower()
                if bare in GENERIC_CAPITALIZED or bare in STOP_WORDS_EN_ES:
                    break
                kept.append(token)
            start = match.start("name")
            end = _trim_name(text, start, start + len(" ".join(kept)))[1]
            if end <= start:
                continue
            if len(kept) == 1:
                line_start = text.rfind("\n", 0, start) + 1
                before = text[line_start:start].rstrip()
                sentence_initial = not before or before[-1:] in '.!?:"“'
                if sentence_initial and first in STOP_WORDS_EN_ES:
                    continue
                last_ok = True
                score = 0.6 if not sentence_initial else 0.55
                reason = "capitalised known first name"
            else:
                last = kept[-1].strip(".,'’").lower()
                last_ok = last in names_last or last not in STOP_WORDS_EN_ES
                score = 0.8 if last in names_last else 0.7
                reason = "known first name followed by a capitalised name"
            if last_ok:
                spans.append(make_span(start, end, PERSON, score, self.name, reason))
        return spans
