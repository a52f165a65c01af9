"""Key phrases (class-based TF-IDF over phrase candidates) and extractive summaries (MMR).

Key phrases are contiguous word n-grams that neither start nor end with a function word,
scored per group of texts with class-based TF-IDF (the weighting BERTopic calls c-TF-IDF):
how many texts of the group use the phrase, times how rare the phrase is across all groups.
A phrase made only of function words can never be produced.

Extractive summaries pick whole texts or sentences that are central (close to the centroid
of their vectors) and diverse (maximal marginal relevance, Carbonell & Goldstein 1998).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

# Function words may sit inside a phrase ("lack of service") but never at its edges, so a
# label can never be a list of stop words.
_FUNCTION_WORDS_TEXT = """
    a about above after again against all also am an and any are aren't as at be because
    been before being below between both but by can can't cannot could couldn't did didn't
    do does doesn't doing don't down during each even ever every few for from further get
    gets got had hadn't has hasn't have haven't having he he'd he'll he's her here here's
    hers herself him himself his how how's however i i'd i'll i'm i've if in into is isn't
    it it's its itself just let's like lot lots many may me might more most much must
    mustn't my myself no nor not now of off on once one only or other ought our ours
    ourselves out over own per quite rather really said same say says shan't she she'd
    she'll she's should shouldn't so some such than that that's the their theirs them
    themselves then there there's these they they'd they'll they're they've thing things
    think this those though through thus to too under until up upon us very was wasn't we
    we'd we'll we're we've were weren't what what's when when's where where's whether which
    while who who's whom why why's will with within without won't would wouldn't yet you
    you'd you'll you're you've your yours yourself yourselves yes since still ago already
    always never often sometimes maybe perhaps etc ok okay lot well go going
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())
# Only these may appear inside a phrase ("lack of service", "verbally and physically");
# other function words break it, so "service from officers" is never a candidate.
INNER_WORDS = frozenset({"of", "and"})

DUPLICATE_SIMILARITY = 0.995

_TOKEN = re.compile(r"[a-z][a-z'\-]*[a-z]|[a-z]")
_BREAK = re.compile(r"[.,;:!?()\[\]\"“”…/]|\s-\s|\s—\s")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"'])")


def words(text: str) -> list[list[str]]:
    """Lower-cased word runs of `text`, split at punctuation so phrases never cross it."""
    runs = []
    for chunk in _BREAK.split(text.lower().replace("’", "'")):
        tokens = _TOKEN.findall(chunk)
        if tokens:
            runs.append(tokens)
    return runs


def is_content_word(word: str) -> bool:
    """Whether `word` may start or end a phrase."""
    return len(word) > 1 and word not in FUNCTION_WORDS


def phrase_candidates(text: str, max_words: int = 3) -> set[str]:
    """Distinct phrase candidates of `text`: n-grams with content words at both edges."""
    found: set[str] = set()
    for run in words(text):
        for start, first in enumerate(run):
            if not is_content_word(first):
                continue
            for length in range(1, max_words + 1):
                end = start + length
                if end > len(run):
                    break
                inner = run[start + 1 : end - 1]
                if any(w in FUNCTION_WORDS and w not in INNER_WORDS for w in inner):
                    break
                if is_content_word(run[end - 1]):
                    found.add(" ".join(run[start:end]))
    return found


def group_key_phrases(
    texts: Sequence[str],
    groups: Sequence[int] | np.ndarray,
    top_n: int = 5,
    max_words: int = 3,
    min_count: int = 2,
) -> dict[int, list[tuple[str, float]]]:
    """Top phrases per group by class-based TF-IDF over phrase candidates.

    The weight of phrase t in group c is (share of c's texts using t) × log(1 + A / f_t),
    where f_t counts all texts using t and A is the mean number of texts per group: the
    class-based TF-IDF of BERTopic, counted in texts rather than tokens because statements
    are short. A phrase is kept only if at least `min_count` texts of the group use it (one
    text when the group is that small). Longer phrases win over the shorter ones they
    contain when they score about as high, which gives labels such as "proper service"
    rather than "proper", "service".
    """
    groups = np.asarray(groups)
    if len(texts) != len(groups):
        raise ValueError("texts and groups must have the same length")
    doc_phrases = [phrase_candidates(t, max_words) for t in texts]
    group_ids = [int(g) for g in np.unique(groups)]
    per_group: dict[int, Counter[str]] = {g: Counter() for g in group_ids}
    sizes = Counter(int(g) for g in groups)
    total: Counter[str] = Counter()
    for phrases, g in zip(doc_phrases, groups, strict=True):
        per_group[int(g)].update(phrases)
        total.update(phrases)
    mean_size = len(texts) / max(len(group_ids), 1)
    result: dict[int, list[tuple[str, float]]] = {}
    for g, counts in per_group.items():
        floor = min(min_count, sizes[g])
        scored = []
        for phrase, n in counts.items():
            if n < floor:
                continue
            weight = (n / sizes[g]) * math.log(1.0 + mean_size / total[phrase])
            scored.append((phrase, weight))
        result[g] = _select_phrases(scored, top_n)
    return result


def _select_phrases(scored: list[tuple[str, float]], top_n: int) -> list[tuple[str, float]]:
    """Keep the best phrases, dropping those contained in (or containing) a chosen one."""
    # Prefer a longer phrase when it scores at least 80% of a shorter one it contains.
    bonus = {p: s * (1.0 + 0.25 * (p.count(" "))) for p, s in scored}
    ordered = sorted(scored, key=lambda ps: (-bonus[ps[0]], ps[0]))
    chosen: list[tuple[str, float]] = []
    seen: list[set[str]] = []
    for phrase, score in ordered:
        folded = set(_singular(phrase).split())
        # Skip a phrase that repeats a chosen one in other words or another order.
        if any(folded <= c or c <= folded or len(folded & c) >= 2 for c in seen):
            continue
        seen.append(folded)
        chosen.append((phrase, round(float(score), 6)))
        if len(chosen) == top_n:
            break
    return chosen


def _singular(phrase: str) -> str:
    """Crude plural folding so "departmental policy" and "departmental policies" collide."""
    folded = []
    for word in phrase.split():
        if word.endswith("ies") and len(word) > 4:
            word = word[:-3] + "y"
        elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
            word = word[:-1]
        folded.append(word)
    return " ".join(folded)


def key_phrases(
    texts: Sequence[str],
    background: Sequence[str] = (),
    top_n: int = 5,
    max_words: int = 3,
) -> list[tuple[str, float]]:
    """Key phrases of `texts`, made distinctive against `background` texts when given."""
    texts = list(texts)
    if not texts:
        return []
    background = list(background)
    labels = [0] * len(texts) + [1] * len(background)
    min_count = 2 if len(texts) >= 4 else 1
    found = group_key_phrases(texts + background, labels, top_n, max_words, min_count)
    return found.get(0, [])


def phrase_label(phrases: Sequence[str], max_phrases: int = 3) -> str:
    """A readable label from ranked key phrases: "Proper service · district officers"."""
    picked = [p for p in phrases if p][:max_phrases]
    if not picked:
        return "Miscellaneous statements"
    label = " · ".join(picked)
    return label[0].upper() + label[1:]


def sentences(text: str) -> list[str]:
    """Split `text` into sentences on terminal punctuation."""
    parts = [s.strip() for s in _SENTENCE.split(text.strip())]
    return [s for s in parts if s]


def mmr(
    vectors: np.ndarray,
    k: int,
    diversity: float = 0.3,
    query: np.ndarray | None = None,
) -> list[int]:
    """Indices of `k` rows chosen by maximal marginal relevance to `query` (default: centroid).

    Relevance is cosine similarity to the query; each next pick maximises
    (1 - diversity) × relevance - diversity × (highest similarity to the rows already picked).
    Ties break on the lower index, so the result is deterministic. Rows at least
    `DUPLICATE_SIMILARITY` similar to a chosen row are skipped, so fewer than `k` rows come
    back when only copies remain.
    """
    vectors = np.asarray(vectors, dtype=np.float64)
    n = vectors.shape[0]
    if n == 0 or k <= 0:
        return []
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / np.where(norms == 0, 1.0, norms)
    if query is None:
        query = unit.mean(axis=0)
    query = np.asarray(query, dtype=np.float64)
    qn = np.linalg.norm(query)
    relevance = unit @ (query / qn) if qn > 0 else np.zeros(n)
    chosen = [int(np.argmax(relevance))]
    closest = unit @ unit[chosen[0]]
    while len(chosen) < min(k, n):
        score = (1.0 - diversity) * relevance - diversity * closest
        score[chosen] = -np.inf
        # A (near-)copy of a chosen row adds nothing: people often repeat each other.
        score[closest >= DUPLICATE_SIMILARITY] = -np.inf
        if not np.isfinite(score).any():
            break
        pick = int(np.argmax(score))
        chosen.append(pick)
        closest = np.maximum(closest, unit @ unit[pick])
    return chosen


def extractive_summary(
    texts: Sequence[str],
    vectors: np.ndarray | None = None,
    max_sentences: int = 3,
    diversity: float = 0.3,
    split_sentences: bool = True,
) -> list[str]:
    """The most central yet mutually different sentences of `texts`, in reading order.

    Without `vectors` the sentences are represented by TF-IDF; with `vectors` (one row per
    text) whole texts are ranked and `split_sentences` is ignored.
    """
    texts = [t for t in texts if t and t.strip()]
    if not texts:
        return []
    if vectors is not None:
        units = list(texts)
        matrix = np.asarray(vectors, dtype=np.float64)
        if matrix.shape[0] != len(units):
            raise ValueError("vectors must have one row per non-empty text")
    else:
        units = [s for t in texts for s in sentences(t)] if split_sentences else list(texts)
        matrix = _tfidf_vectors(units)
    picked = mmr(matrix, max_sentences, diversity)
    return [units[i] for i in sorted(picked)]


def _tfidf_vectors(units: Sequence[str]) -> np.ndarray:
    """Dense TF-IDF rows for a small set of sentences (no vocabulary of function words)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    pattern = r"(?u)\b[a-zA-Z]{2,}\b"
    # Stop words tokenised the same way as the text, so "don't" also drops "don".
    stop = sorted({t for w in FUNCTION_WORDS for t in re.findall(pattern, w)})
    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words=stop, token_pattern=pattern)
    try:
        return vectorizer.fit_transform(units).toarray()
    except ValueError:  # only function words everywhere: fall back to position order
        return np.eye(len(units))


def trim(text: str, limit: int = 140) -> str:
    """Shorten `text` to at most `limit` characters at a word boundary, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"
