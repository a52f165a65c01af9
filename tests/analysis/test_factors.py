"""Risk and protective factors: the default framework and the theme → factor mapper."""

import pytest

from peacekit.analysis.embeddings import Embedder
from peacekit.analysis.factors import (
    DEFAULT_FRAMEWORK,
    DOMAINS,
    Factor,
    FactorMapper,
    Framework,
    theme_text,
)


def test_default_framework_covers_every_domain_with_risk_and_protection():
    grouped = DEFAULT_FRAMEWORK.by_domain()
    assert set(grouped) == set(DOMAINS)
    for factors in grouped.values():
        assert {f.kind for f in factors} == {"risk", "protective"}
        assert all(f.keywords and f.description for f in factors)


def test_framework_round_trips_and_validates():
    data = DEFAULT_FRAMEWORK.to_dict()
    again = Framework.from_dict(data)
    assert again.to_dict() == data
    data["factors"][0]["colour"] = "red"
    with pytest.raises(ValueError):
        Framework.from_dict(data)
    twice = Factor("x", "community", "risk", "X", "x", ("x",))
    with pytest.raises(ValueError):
        Framework("f", "1", [twice, twice])
    with pytest.raises(ValueError):
        Framework("f", "1", [Factor("y", "community", "danger", "Y", "y")])


def test_keyword_mapping_without_embeddings():
    mapper = FactorMapper(min_score=0.2).fit()
    found = mapper.map(["Drug dealers sell on the corner every night", "The weather was nice"])
    assert found[0][0].factor_id == "community-drugs"
    assert "dealer" in found[0][0].matched_keywords
    assert found[1] == []


def test_mapping_with_fallback_embeddings_ranks_the_right_factor_first():
    mapper = FactorMapper(embedder=Embedder(backend="tfidf")).fit(
        ["kids need an after school program", "they were profiled by police"]
    )
    found = mapper.map(
        [
            theme_text(
                "After school program · summer jobs",
                ["after school program", "summer jobs"],
                ["Young people need a rec center and summer jobs"],
            ),
            "Residents feel profiled and harassed by police and distrust them",
        ]
    )
    assert found[0][0].factor_id == "community-opportunity"
    assert found[1][0].factor_id == "community-distrust"
    assert all(0 <= m.score <= 1 for ms in found for m in ms)


def test_custom_framework_is_used():
    framework = Framework(
        "local",
        "2",
        [Factor("parks", "community", "protective", "Parks", "Green space", ("park",))],
    )
    mapper = FactorMapper(framework=framework, min_score=0.1).fit()
    assert mapper.map(["the park is lovely"])[0][0].factor_id == "parks"
