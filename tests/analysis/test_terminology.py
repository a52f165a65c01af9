"""The statute-terminology classifier on tricky phrasing.

Every text here was written for these tests; none is quoted from a real statute.
"""

from peacekit.analysis.terminology import (
    DEFINED,
    GENERAL,
    LIMITED,
    NOT_USED,
    Section,
    classify,
    find_terms,
    normalize,
)


def _sections(*texts: str) -> list[Section]:
    return [Section(key=i, citation=f"Sec. {i}", text=t) for i, t in enumerate(texts, 1)]


# ----------------------------------------------------------------------------- find_terms
def test_find_terms_curly_quotes_hyphens_and_line_breaks_still_match():
    text = (
        "\u201cPeace\nofficer\u201d means a sheriff. A peace-officer may act. "
        "PEACE OFFICERS' duties."
    )
    found = [m for m in find_terms(text) if m.term == "peace officer"]
    assert len(found) == 3
    assert text[found[0].start : found[0].end] == "Peace\nofficer"


def test_find_terms_offsets_point_into_the_original_text():
    text = "\u2018x\u2019 A police officer\u00a0or sworn officer."
    for match in find_terms(text):
        assert normalize(text)[match.start : match.end].lower().startswith(match.term.split()[0])
    assert len(normalize(text)) == len(text)


def test_find_terms_sworn_police_officer_counts_once_as_sworn_officer():
    found = find_terms("Every sworn police officer shall train.")
    assert [m.term for m in found] == ["sworn officer"]


def test_find_terms_breach_of_the_peace_is_not_a_peace_officer():
    assert find_terms("An officer may arrest for a breach of the peace. Officer of peace.") == []


def test_find_terms_alternative_terms_are_found():
    terms = {m.term for m in find_terms("A law-enforcement officer or police officer.")}
    assert terms == {"law enforcement officer", "police officer"}


def test_find_terms_snippet_contains_the_match():
    text = "word " * 80 + "peace officer" + " word" * 80
    (match,) = find_terms(text)
    assert "peace officer" in match.snippet
    assert len(match.snippet) < 300


# ----------------------------------------------------------------------------- classify
def test_classify_means_definition_with_police_is_defined():
    result = classify(
        _sections(
            'As used in this chapter, "peace officer" means any sheriff, deputy sheriff, '
            "or police officer of a city or town."
        )
    )
    assert result.label == DEFINED
    assert result.confidence >= 0.8
    assert result.evidence[0].kind == "definition"
    assert result.evidence[0].citation == "Sec. 1"


def test_classify_following_persons_list_with_police_is_defined():
    result = classify(
        _sections(
            "The following persons are peace officers: (a) sheriffs and their deputies; "
            "(b) members of a municipal police department; (c) game wardens."
        )
    )
    assert result.label == DEFINED


def test_classify_following_persons_list_of_limited_roles_is_limited():
    result = classify(
        _sections(
            "The following persons are peace officers for the purposes of this title: "
            "game wardens, park rangers, and correctional officers of the department."
        )
    )
    assert result.label == LIMITED


def test_classify_peace_officers_other_than_police_is_limited():
    result = classify(
        _sections(
            "Peace officers other than police officers may carry a badge issued by the board.",
            "A conservation officer is a peace officer while enforcing the wildlife code.",
        )
    )
    assert result.label == LIMITED
    kinds = {e.kind for e in result.evidence}
    assert "exclusion" in kinds


def test_classify_does_not_include_police_is_limited():
    result = classify(
        _sections('"Peace officer" includes a probation officer but does not include a police '
                  "officer of a municipality.")
    )  # fmt: skip
    assert result.label == LIMITED


def test_classify_cross_reference_alone_is_defined_with_low_confidence():
    result = classify(
        _sections("A peace officer, as defined in Section 830.1, may arrest without a warrant.")
    )
    assert result.label == DEFINED
    assert result.confidence < 0.7
    assert result.evidence[0].kind == "cross_reference"


def test_classify_cross_reference_is_not_itself_a_definition():
    result = classify(
        _sections(
            "A person who is a peace officer, as defined in section 12, shall wear a badge.",
            '"Peace officer" means a game warden of the department.',
        )
    )
    assert result.label == LIMITED


def test_classify_used_alongside_police_without_definition_is_general():
    result = classify(
        _sections(
            "A sheriff, police officer, or other peace officer may serve the warrant.",
            "Any peace officer, including a deputy sheriff, may enter the premises.",
        )
    )
    assert result.label == GENERAL
    assert result.confidence >= 0.7


def test_classify_narrow_definition_but_general_use_elsewhere_is_general_with_lower_confidence():
    result = classify(
        _sections(
            '"Peace officer" includes a conservation officer.',
            "Sheriffs, police officers and other peace officers may make arrests.",
        )
    )
    assert result.label == GENERAL
    assert result.confidence <= 0.65


def test_classify_victim_is_a_peace_officer_is_not_a_definition():
    result = classify(_sections("An assault is aggravated if the victim is a peace officer."))
    assert result.label == GENERAL
    assert result.evidence[0].kind == "bare_use"
    assert result.confidence <= 0.5


def test_classify_only_alternative_terms_is_not_used_with_alternatives_as_evidence():
    result = classify(
        _sections(
            '"Law enforcement officer" means a sworn officer of a police department.',
            "A police officer may stop a vehicle.",
            "Nothing here.",
        )
    )
    assert result.label == NOT_USED
    assert result.confidence >= 0.85
    assert result.counts["peace officer"] == 0
    assert result.counts["law enforcement officer"] == 1
    assert all(e.kind == "alternative" for e in result.evidence)


def test_classify_no_sections_is_not_used_with_little_confidence():
    result = classify([])
    assert result.label == NOT_USED
    assert result.confidence < 0.5


def test_classify_definition_list_stops_at_the_next_defined_term():
    result = classify(
        _sections(
            'In this title: "Peace officer" means a game warden. "Police" includes any '
            "sheriff or municipal police officer."
        )
    )
    assert result.label == LIMITED


def test_classify_evidence_spans_highlight_the_term():
    text = "Intro. \u201cPeace officer\u201d means any sheriff or police officer."
    result = classify(_sections(text))
    first = result.evidence[0]
    assert text[first.start : first.end] == "Peace officer"
    assert "Peace officer" in first.snippet


def test_classify_relative_clause_is_a_peace_officer_is_not_a_definition():
    result = classify(
        _sections("An officer who strikes a person who is a peace officer commits a felony.")
    )
    assert result.evidence[0].kind == "bare_use"
    assert result.confidence <= 0.5


def test_classify_enumeration_is_a_peace_officer_is_a_definition():
    result = classify(_sections("Each deputy sheriff of a county is a peace officer."))
    assert result.label == DEFINED
