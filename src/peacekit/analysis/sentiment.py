"""Stance toward police per statement: positive, negative, neutral or mixed, with a score.

Method (docs/decisions/0005-sentiment-lexicon-rules.md): a lexicon written for policing
talk (trust, respect, listening, response; abuse, profiling, force, neglect), matched on
words and short phrases, with rules that matter in this domain:

- negation ("not", "never", "n't", "nobody", "no one", "rarely", …) flips the polarity
  of sentiment words up to three words later within the clause, and a flipped positive
  counts as a clear negative ("never show up") while a flipped negative counts as a mild
  positive ("never had a bad experience");
- intensifiers ("very", "really", "so") weigh the next word 1.5×;
- clauses joined by "but", "although", "yet", "however" are scored separately, and a
  statement with clear evidence on both sides is "mixed" rather than averaged away.

score = (positive - negative) / (positive + negative + 1), in (-1, 1). "mixed" needs at
least 0.75 of evidence on each side (more than one weak word); otherwise a score beyond
±0.2 gives "positive" or "negative", and no evidence gives "neutral". Accuracy is
measured on tests/analysis/data/sentiment_gold.csv.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

LABELS = ("positive", "negative", "neutral", "mixed")


def _words(text: str) -> list[str]:
    """Whitespace-separated words of a lexicon block."""
    return text.split()


# Weights: 1.0 clear stance, 0.5 weak (mostly meaningful when negated, "nobody answered").
POSITIVE = {
    **dict.fromkeys(
        _words(
            """
        listen listens listened listening respect respectful respectfully respected
        helpful helped help helps kind kindness trust trusted trustworthy safe safer
        safety fair fairly honest professional professionally patient calm calmly
        compassion compassionate dignity grateful thank thanks thankful appreciate
        appreciated appreciative great good excellent better improved improving
        encouraging friendly caring courteous polite supportive protect protected
        protecting reassuring responsive proud heroes hero wonderful amazing awesome
        nice positive welcoming transparent accountable understanding empathy empathetic
        de-escalated deescalated happy pleased glad impressed reliable dependable
        commend commendable
        """
        ),
        1.0,
    ),
    **dict.fromkeys(
        _words(
            """
        answered answer answers explain explained explains informed heard responded
        respond responds seriously accountability relationships relationship support
        supported repaired resolved fixed changed improve present visible
        """
        ),
        0.5,
    ),
}
NEGATIVE = dict.fromkeys(
    _words(
        """
        disrespect disrespected disrespectful rude rudely abuse abused abusive abusing
        harass harassed harassing harassment profile profiled profiling brutal brutality
        threatened threaten threatening threats afraid fear fearful scared unsafe
        aggressive aggressively hostile dismissive dismissed ignored ignore ignores
        ignoring lie lied lies lying misconduct corrupt corruption racist racism biased
        bias discriminate discriminated discrimination falsely laughed mocked insulted
        humiliated intimidate intimidated intimidating violent violence beat beaten
        tased choked slammed killed shot unfair unfairly distrust mistrust terrible
        awful horrible worst bad worse angry frustrated frustrating disappointed
        disappointing tired excessive useless incompetent lazy neglect neglected
        careless damaged damage overpoliced overpolicing stereotyped targeted arrogant
        cold slow late unprofessional unprofessionally wrongly wrongful
        """
    ),
    1.0,
)
PHRASES_POSITIVE = {
    "show up": 0.5,
    "showed up": 0.5,
    "shows up": 0.5,
    "follow up": 0.5,
    "followed up": 0.5,
    "kept their promise": 1.0,
    "kept his promise": 1.0,
    "kept her promise": 1.0,
    "right thing": 1.0,
    "checks on": 0.5,
    "check on": 0.5,
    "look out for": 1.0,
    "looks out for": 1.0,
    "went above and beyond": 1.5,
}
PHRASES_NEGATIVE = {
    "excessive force": 1.5,
    "racial profiling": 1.5,
    "war zone": 1.5,
    "cover up": 1.5,
    "covers up": 1.5,
    "covered up": 1.5,
    "for no reason": 1.0,
    "like suspects": 1.0,
    "like criminals": 1.0,
    "too long": 1.0,
    "nothing has changed": 1.0,
    "nothing changed": 1.0,
    "nothing changes": 1.0,
    "police brutality": 1.5,
    "no respect": 1.0,
}
# Domain terms that contain a lexicon word but carry no stance ("beat officer").
PHRASES_NEUTRAL = frozenset(
    {
        "listening session",
        "listening sessions",
        "beat officer",
        "beat officers",
        "beat cop",
        "beat cops",
        "on the beat",
        "safety plan",
        "public safety",
        "help desk",
    }
)
NEGATORS = frozenset(
    _words(
        """
        not no never nobody nothing none neither nor without hardly rarely barely cannot
        cant dont doesnt didnt isnt arent wasnt werent wont wouldnt couldnt shouldnt
        havent hasnt hadnt aint
        """
    )
)
INTENSIFIERS = frozenset(
    _words(
        """
        very really so extremely truly deeply incredibly totally
        """
    )
)
CONTRAST = frozenset(
    _words(
        """
        but although though however yet whereas while
        """
    )
)
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
_CLAUSE_BREAK = re.compile(r"[.;:!?]+")
NEGATION_WINDOW = 3
MIXED_MIN = 0.75
EVIDENCE_MIN = 0.5
POLAR_MIN = 0.2


@dataclass
class Stance:
    """Stance of one statement toward police."""

    label: str
    score: float
    positive: float
    negative: float


def _tokens(clause: str) -> list[str]:
    """Lower-case words with apostrophes folded ("don't" → "dont")."""
    text = clause.lower().replace("’", "'").replace("'", "")
    return _WORD.findall(text)


def _clauses(text: str) -> list[list[str]]:
    """Token lists per clause: split at sentence punctuation and at contrast words."""
    clauses: list[list[str]] = []
    for part in _CLAUSE_BREAK.split(text):
        current: list[str] = []
        for token in _tokens(part):
            if token in CONTRAST and current:
                clauses.append(current)
                current = []
                continue
            current.append(token)
        if current:
            clauses.append(current)
    return clauses


def _score_clause(tokens: list[str]) -> tuple[float, float]:
    """Positive and negative evidence of one clause."""
    positive = negative = 0.0
    negated_until = -1
    boost = 1.0
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in NEGATORS or (token == "no" and i + 1 < len(tokens)):
            negated_until = i + NEGATION_WINDOW
            i += 1
            continue
        if token in INTENSIFIERS:
            boost = 1.5
            i += 1
            continue
        weight, polarity, width = _match(tokens, i)
        if weight:
            weight *= boost
            negated = i <= negated_until
            if negated and polarity > 0:
                negative += max(weight, 1.0)  # "never show up", "nobody answered"
            elif negated and polarity < 0:
                positive += 0.5 * weight  # "never had a bad experience"
            elif polarity > 0:
                positive += weight
            else:
                negative += weight
            boost = 1.0
        i += width
    return positive, negative


def _match(tokens: list[str], i: int) -> tuple[float, int, int]:
    """(weight, polarity, tokens consumed) of the lexicon entry starting at token i."""
    for length in (4, 3, 2):
        phrase = " ".join(tokens[i : i + length])
        if phrase in PHRASES_NEUTRAL:
            return 0.0, 0, length
        if phrase in PHRASES_NEGATIVE:
            return PHRASES_NEGATIVE[phrase], -1, length
        if phrase in PHRASES_POSITIVE:
            return PHRASES_POSITIVE[phrase], 1, length
    token = tokens[i]
    if token in NEGATIVE:
        return NEGATIVE[token], -1, 1
    if token in POSITIVE:
        return POSITIVE[token], 1, 1
    return 0.0, 0, 1


def stance(text: str) -> Stance:
    """Stance toward police of one statement."""
    positive = negative = 0.0
    for clause in _clauses(text):
        p, n = _score_clause(clause)
        positive += p
        negative += n
    score = (positive - negative) / (positive + negative + 1.0)
    label = _label(positive, negative, score, MIXED_MIN, POLAR_MIN)
    return Stance(label, round(score, 4), round(positive, 3), round(negative, 3))


def _label(
    positive: float, negative: float, score: float, mixed_min: float, polar_min: float
) -> str:
    """Label from evidence: both sides clear → mixed; one clear side → its label."""
    if positive >= mixed_min and negative >= mixed_min:
        return "mixed"
    if score >= polar_min and positive >= EVIDENCE_MIN:
        return "positive"
    if score <= -polar_min and negative >= EVIDENCE_MIN:
        return "negative"
    return "neutral"


class StanceClassifier:
    """Lexicon-and-rules stance classifier with a scikit-learn style interface."""

    def __init__(self, mixed_min: float = MIXED_MIN, polar_min: float = POLAR_MIN) -> None:
        self.mixed_min = mixed_min
        self.polar_min = polar_min

    def fit(self, texts: Sequence[str] | None = None, labels: Sequence[str] | None = None):
        """No learning: the lexicon is fixed; kept for the estimator contract."""
        self.labels_ = LABELS
        return self

    def score(self, texts: Sequence[str]) -> list[Stance]:
        """Stance of each statement."""
        results = []
        for text in texts:
            s = stance(text)
            label = _label(s.positive, s.negative, s.score, self.mixed_min, self.polar_min)
            results.append(Stance(label, s.score, s.positive, s.negative))
        return results

    def predict(self, texts: Sequence[str]) -> list[str]:
        """Stance label of each statement."""
        return [s.label for s in self.score(texts)]


@dataclass
class StanceSummary:
    """Stance of a group of statements (a theme, a micro-community)."""

    count: int
    counts: dict[str, int]
    shares: dict[str, float]
    mean_score: float
    net: float  # share positive minus share negative


def summarize_stances(stances: Sequence[Stance]) -> StanceSummary:
    """Counts, shares, mean score and net stance of a set of statements."""
    counts = {label: 0 for label in LABELS}
    for s in stances:
        counts[s.label] += 1
    n = len(stances)
    shares = {label: round(c / n, 6) if n else 0.0 for label, c in counts.items()}
    mean = round(sum(s.score for s in stances) / n, 6) if n else 0.0
    return StanceSummary(n, counts, shares, mean, round(shares["positive"] - shares["negative"], 6))


def aggregate_by_group(
    stances: Sequence[Stance], groups: Sequence[Hashable]
) -> dict[Hashable, StanceSummary]:
    """Stance summary per group key (theme id, micro-community id, …)."""
    if len(stances) != len(groups):
        raise ValueError("stances and groups must have the same length")
    members: dict[Hashable, list[Stance]] = {}
    for s, g in zip(stances, groups, strict=True):
        members.setdefault(g, []).append(s)
    return {g: summarize_stances(items) for g, items in members.items()}
