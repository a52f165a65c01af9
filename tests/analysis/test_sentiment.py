"""Stance toward police: accuracy on the hand-labelled gold set and the rules behind it."""

import csv
from pathlib import Path

import pytest

from peacekit.analysis.sentiment import (
    StanceClassifier,
    aggregate_by_group,
    stance,
    summarize_stances,
)

GOLD = Path(__file__).parent / "data" / "sentiment_gold.csv"


def gold():
    with open(GOLD, newline="") as handle:
        return list(csv.DictReader(handle))


def test_stance_accuracy_on_gold_set_at_least_measured_level():
    rows = gold()
    predicted = StanceClassifier().fit().predict([r["text"] for r in rows])
    accuracy = sum(p == r["label"] for p, r in zip(predicted, rows, strict=True)) / len(rows)
    # Measured 61/64 = 0.953 when written; the threshold leaves one statement of slack.
    assert accuracy >= 0.93


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("The officers were not rude at all.", "positive"),
        ("I don't feel heard by the police.", "negative"),
        ("The police never show up.", "negative"),
        ("Officers are friendly, but at stops they are hostile.", "mixed"),
        ("When is the next listening session?", "neutral"),
        ("I trust our beat officer.", "positive"),
    ],
)
def test_stance_rules(text, label):
    assert stance(text).label == label


def test_stance_score_is_bounded_and_signed():
    assert -1 < stance("rude rude rude abusive").score < -0.5
    assert 0.5 < stance("kind helpful respectful fair").score < 1
    assert stance("The meeting is on Tuesday.").score == 0


def test_stance_aggregation_per_group():
    texts = ["Officers were kind", "Officers were rude", "Meeting on Tuesday", "They listened"]
    stances = StanceClassifier().fit().score(texts)
    summary = summarize_stances(stances)
    assert summary.count == 4
    assert summary.counts == {"positive": 2, "negative": 1, "neutral": 1, "mixed": 0}
    assert summary.net == pytest.approx(0.25)
    by_group = aggregate_by_group(stances, ["a", "a", "b", "b"])
    assert by_group["a"].counts["negative"] == 1 and by_group["b"].counts["positive"] == 1
    assert summarize_stances([]).count == 0
