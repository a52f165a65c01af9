"""Key phrases and extractive summaries."""

import numpy as np

from peacekit.analysis.summarize import (
    FUNCTION_WORDS,
    extractive_summary,
    group_key_phrases,
    key_phrases,
    mmr,
    phrase_candidates,
    phrase_label,
    trim,
)


def test_phrase_candidates_never_start_or_end_with_function_words():
    found = phrase_candidates("They did not receive proper service from the officers of the unit.")
    assert "proper service" in found
    for phrase in found:
        words = phrase.split()
        assert words[0] not in FUNCTION_WORDS and words[-1] not in FUNCTION_WORDS


def test_group_key_phrases_prefers_distinctive_phrases():
    texts = [
        "the streetlights are broken on our block",
        "broken streetlights again near the school",
        "officers were rude at the traffic stop",
        "a rude traffic stop by two officers",
    ]
    phrases = group_key_phrases(texts, [0, 0, 1, 1], top_n=3)
    assert {p for p, _ in phrases[0]} & {"streetlights", "broken"}
    assert phrases[1][0][0] in {"traffic stop", "rude traffic stop"}
    assert not {p for p, _ in phrases[1]} & {"the", "at", "a"}


def test_key_phrases_of_function_words_only_is_empty():
    assert key_phrases(["the and of it", "and the of"]) == []
    assert phrase_label([]) == "Miscellaneous statements"


def test_mmr_is_deterministic_and_diverse():
    vectors = np.array([[1.0, 0.0], [0.99, 0.1], [0.99, 0.1], [0.0, 1.0]])
    picked = mmr(vectors, 2, diversity=0.5)
    assert picked == mmr(vectors, 2, diversity=0.5)
    assert len(set(picked)) == 2
    assert not {1, 2} <= set(picked)  # never both copies of the same point


def test_extractive_summary_keeps_reading_order():
    texts = [
        "Residents want more foot patrols. Foot patrols build trust.",
        "The streetlights are broken on Oak Avenue.",
        "Foot patrols were praised by many residents.",
    ]
    summary = extractive_summary(texts, max_sentences=2)
    assert len(summary) == 2
    flat = [s for t in texts for s in t.split(". ")]
    positions = [next(i for i, f in enumerate(flat) if s.rstrip(".") in f) for s in summary]
    assert positions == sorted(positions)


def test_trim_cuts_at_word_boundary():
    assert trim("short") == "short"
    cut = trim("word " * 50, 20)
    assert len(cut) <= 20 and cut.endswith("…") and "  " not in cut
