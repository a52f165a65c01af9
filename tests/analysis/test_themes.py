"""Theme discovery: every statement assigned, deterministic, readable labels, analyst edits."""

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from peacekit.analysis.embeddings import Embedder, transformer_available
from peacekit.analysis.summarize import FUNCTION_WORDS
from peacekit.analysis.themes import (
    ThemeModel,
    assign,
    cosine_silhouette,
    describe_themes,
    key_word_vectors,
    merge_themes,
    move_statements,
    split_theme,
    theme_centroids,
    theme_shares,
)

TOPICS = {
    "lights": [
        "The streetlights are broken and the corner is dark at night",
        "Broken streetlights make the block dark and unsafe at night",
        "Please fix the broken streetlights on the dark corner",
        "It is dark at night since the streetlights broke",
        "Nobody repairs the broken streetlights on our dark block",
        "Dark streets at night because the streetlights are broken",
        "The city should fix broken streetlights before someone gets hurt in the dark",
        "Our block is dark at night with broken streetlights",
        "Broken streetlights again, the corner stays dark all night",
        "Fix the streetlights, the park entrance is dark at night",
        "Streetlights broken for months and the alley is dark at night",
        "With the streetlights broken it is too dark to walk at night",
        "Dark corners at night since the broken streetlights were never fixed",
        "Kids walk home in the dark because streetlights are broken",
        "Report the broken streetlights, the bus stop is dark at night",
    ],
    "stops": [
        "Officers were rude during a traffic stop",
        "I was stopped and searched for no reason during a traffic stop",
        "The traffic stop was rude and nobody explained why I was stopped",
        "Rude officers at every traffic stop in this area",
        "Another rude traffic stop where officers searched my car",
        "Officers were rude and searched my son at a traffic stop",
        "A traffic stop for a broken taillight turned rude and officers searched the car",
        "Why are officers so rude at traffic stops",
        "Stopped again in traffic and officers searched us without reason",
        "Officers searched my car at the traffic stop and were rude",
        "Every traffic stop ends with officers searching the car",
        "The officers at the traffic stop were rude to my mother",
        "Traffic stops here feel rude and officers search everyone",
        "I was pulled over in a traffic stop and officers were rude",
        "Rude traffic stops by officers who search cars for nothing",
    ],
    "youth": [
        "Young people need an after school program and summer jobs",
        "There is no youth program or summer job for teenagers",
        "An after school youth program would keep kids busy",
        "Teenagers need summer jobs and a youth program",
        "Kids have nothing to do after school without a youth program",
        "Open the youth center after school and offer summer jobs",
        "A summer jobs program for teenagers would help young people",
        "After school there is no program for young people here",
        "Youth need mentors, summer jobs and an after school program",
        "The youth program closed and kids have nowhere to go after school",
        "Bring back the summer youth program and jobs for teenagers",
        "Young people want an after school program with sports",
        "Summer jobs for young people keep teenagers busy",
        "More after school programs for kids and youth",
        "Teenagers ask for summer jobs and a youth center program",
    ],
}


def corpus() -> tuple[list[str], np.ndarray]:
    """Forty-five statements on three topics, with the topic of each."""
    texts, truth = [], []
    for topic_index, sentences in enumerate(TOPICS.values()):
        texts += sentences
        truth += [topic_index] * len(sentences)
    return texts, np.array(truth)


@pytest.fixture(scope="module")
def fitted():
    texts, truth = corpus()
    vectors = Embedder(backend="tfidf").fit_transform(texts)
    return texts, truth, vectors, ThemeModel(random_state=0).fit(vectors, texts)


def test_themes_recover_topics_without_being_told_how_many(fitted):
    texts, truth, _, model = fitted
    assert model.n_themes_ == 3
    assert adjusted_rand_score(truth, model.labels_) == pytest.approx(1.0)


def test_themes_every_statement_gets_a_theme_and_confidence(fitted):
    texts, _, _, model = fitted
    assert len(model.labels_) == len(texts)
    assert (model.labels_ >= 0).all()
    assert ((model.confidence_ > 0) & (model.confidence_ <= 1)).all()
    assert sum(t.count for t in model.themes_) == len(texts)
    assert sum(t.share for t in model.themes_) == pytest.approx(1.0, abs=1e-4)


def test_themes_same_seed_same_result():
    texts, _ = corpus()
    vectors = Embedder(backend="tfidf").fit_transform(texts)
    first = ThemeModel(random_state=7).fit(vectors, texts)
    second = ThemeModel(random_state=7).fit(vectors, texts)
    assert np.array_equal(first.labels_, second.labels_)
    assert [t.label for t in first.themes_] == [t.label for t in second.themes_]


def test_themes_labels_are_key_phrases_not_stop_words(fitted):
    _, _, _, model = fitted
    for theme in model.themes_:
        assert theme.key_phrases
        for phrase in theme.key_phrases:
            words = phrase.split()
            assert words[0] not in FUNCTION_WORDS and words[-1] not in FUNCTION_WORDS
        assert theme.description.startswith(f"{theme.count} statements")
    labels = " ".join(t.label.lower() for t in model.themes_)
    assert "streetlights" in labels or "broken" in labels
    assert "program" in labels or "youth" in labels


def test_themes_representative_quotes_are_members_and_distinct(fitted):
    texts, _, _, model = fitted
    for theme in model.themes_:
        reps = theme.representative_indices
        assert 1 <= len(reps) <= 3
        assert len(set(reps)) == len(reps)
        assert all(model.labels_[i] == theme.theme_id for i in reps)
        # Diverse: never the same sentence twice, though each one appears three times.
        assert len({texts[i] for i in reps}) == len(reps)


def test_assign_reproduces_fit_and_places_new_statements(fitted):
    texts, _, vectors, model = fitted
    labels, confidence = assign(vectors, model.centroids_)
    assert np.array_equal(labels, model.labels_)
    new = Embedder(backend="tfidf").fit(texts).transform(["broken streetlights on my block"])
    lights_theme = model.labels_[0]
    assert model.predict(new)[0] == lights_theme
    assert model.predict_proba(new).sum() == pytest.approx(1.0)


def test_assign_to_analyst_merged_themes(fitted):
    _, truth, vectors, model = fitted
    merged = merge_themes(model.labels_, [model.labels_[0], model.labels_[20]])
    ids, centroids = theme_centroids(vectors, merged)
    assert len(ids) == 2
    labels, _ = assign(vectors, centroids, theme_ids=ids)
    assert set(labels) <= set(ids)
    assert np.array_equal(labels, merged)


def test_split_theme_separates_merged_topics(fitted):
    _, truth, vectors, model = fitted
    merged = merge_themes(model.labels_, [model.labels_[0], model.labels_[20]])
    target = merged[0]
    split = split_theme(vectors, merged, target, n_parts=2)
    assert len(np.unique(split)) == 3
    assert adjusted_rand_score(truth, split) == pytest.approx(1.0)


def test_move_statements_and_shares_per_group(fitted):
    _, _, _, model = fitted
    moved = move_statements(model.labels_, [0, 1], int(model.labels_[30]))
    assert moved[0] == moved[1] == model.labels_[30]
    groups = ["north"] * 20 + ["south"] * 25  # 45 statements
    shares = theme_shares(moved, groups)
    assert set(shares) == {"north", "south"}
    assert sum(c for c, _ in shares["north"].values()) == 20
    assert sum(s for _, s in shares["south"].values()) == pytest.approx(1.0, abs=1e-4)


def test_describe_themes_without_texts_gives_numbered_labels(fitted):
    _, _, vectors, model = fitted
    themes = describe_themes(vectors, model.labels_)
    assert [t.label for t in themes] == ["Theme 1", "Theme 2", "Theme 3"]


def test_cosine_silhouette_matches_scikit_learn(fitted):
    from sklearn.metrics import silhouette_score

    _, _, vectors, model = fitted
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    expected = silhouette_score(unit, model.labels_, metric="cosine")
    assert cosine_silhouette(unit, model.labels_) == pytest.approx(expected, abs=1e-5)


def test_themes_tiny_and_degenerate_inputs():
    one = ThemeModel().fit(np.ones((1, 4)), ["only statement here"])
    assert one.n_themes_ == 1 and one.labels_.tolist() == [0]
    same = ThemeModel().fit(np.ones((5, 4)), ["same words"] * 5)
    assert same.n_themes_ == 1
    with pytest.raises(ValueError):
        ThemeModel().fit(np.zeros((0, 4)))
    with pytest.raises(ValueError):
        ThemeModel().fit(np.ones((2, 4)), ["one text"])


def test_tfidf_fallback_embedder_returns_unit_float32():
    vectors = Embedder(backend="tfidf").fit_transform(
        ["police listened", "broken lights", "late bus"]
    )
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


@pytest.mark.skipif(not transformer_available(), reason="torch or the packaged model is absent")
def test_packaged_minilm_loads_offline_and_embeds(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = Embedder(backend="minilm").fit([])
    vectors = embedder.transform(
        ["The police listened to us", "Officers listened to residents", "The bus was late"]
    )
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_key_word_view_puts_same_topic_statements_together():
    texts, truth = corpus()
    words = key_word_vectors(texts)
    assert words.shape[0] == len(texts)
    assert np.allclose(np.linalg.norm(words, axis=1), 1.0, atol=1e-5)
    similarity = words @ words.T
    same = truth[:, None] == truth[None, :]
    assert similarity[same].mean() > 0.2 > similarity[~same].mean()
    # Too few statements, or nothing but stop words: no key-word view, embeddings alone.
    assert key_word_vectors(texts[:10]) is None
    assert key_word_vectors(["the and of it"] * 30) is None


def test_key_word_view_is_used_only_with_texts_and_weight(fitted):
    texts, truth, vectors, model = fitted
    assert model.uses_text_
    without_texts = ThemeModel(random_state=0).fit(vectors)
    weight_off = ThemeModel(random_state=0, text_weight=0.0).fit(vectors, texts)
    assert not without_texts.uses_text_ and not weight_off.uses_text_
    assert np.array_equal(without_texts.labels_, weight_off.labels_)
    # Whatever the clustering space, a statement belongs to its nearest embedding centroid.
    assert np.array_equal(assign(vectors, model.centroids_)[0], model.labels_)
    assert adjusted_rand_score(truth, without_texts.labels_) == pytest.approx(1.0)
