"""The Anonymizer end to end: policy, placeholders, sessions, chunking, Spanish, bad input."""

from __future__ import annotations

import pytest

from peacekit.analysis.anonymize import (
    AllowList,
    Anonymizer,
    Gazetteer,
    Level,
    PlaceholderRegistry,
    Policy,
    Span,
    resolve_overlaps,
    restore_case,
    split_chunks,
)


@pytest.fixture(scope="module")
def anonymizer() -> Anonymizer:
    """One engine (and one spaCy model load) for the module."""
    engine = Anonymizer(policy="direct_quasi", allow_list=AllowList(["Englewood"]))
    engine.analyze("warm up the model, Officer Smith")
    return engine


@pytest.fixture(scope="module")
def direct_only() -> Anonymizer:
    return Anonymizer(policy=Policy.DIRECT)


def test_redact_officer_keeps_rank_and_numbers_people(anonymizer: Anonymizer) -> None:
    result = anonymizer.redact("Officer Smith and Sgt. Lee stopped me. Smith took my phone.")
    assert (
        result.text
        == "Officer [PERSON 1] and Sgt. [PERSON 2] stopped me. [PERSON 1] took my phone."
    )


def test_full_name_and_surname_share_a_placeholder(anonymizer: Anonymizer) -> None:
    result = anonymizer.redact("Mr. Smith came first. Later John Smith came back.")
    assert result.text.count("[PERSON 1]") == 2
    assert "[PERSON 2]" not in result.text


def test_nickname_shares_a_number_across_a_session(anonymizer: Anonymizer) -> None:
    session = PlaceholderRegistry()
    first = anonymizer.redact("Robert Kowalski from the block club spoke.", session)
    second = anonymizer.redact("Bob Kowalski agreed with Maria Lopez.", session)
    assert "[PERSON 1]" in first.text
    assert "[PERSON 1]" in second.text and "[PERSON 2]" in second.text


def test_session_remembers_names_seen_earlier(anonymizer: Anonymizer) -> None:
    session = PlaceholderRegistry()
    anonymizer.redact("Officer Delgado was respectful.", session)
    later = anonymizer.redact("Delgado listened to us.", session)
    assert later.text == "[PERSON 1] listened to us."


def test_address_phone_email_and_date(anonymizer: Anonymizer) -> None:
    text = (
        "I live at 1234 W Madison Street, call (312) 555-0147 or mail ana@example.org"
        " on May 3, 2023."
    )
    result = anonymizer.redact(text)
    assert result.text == ("I live at [ADDRESS 1], call [PHONE 1] or mail [EMAIL 1] on [DATE 1].")
    assert {s.detector for s in result.spans} >= {"address", "phone", "email", "date"}
    assert all(s.reason for s in result.spans)


def test_nothing_to_mask_in_public_civic_terms(anonymizer: Anonymizer) -> None:
    text = "The police chief said the 24th District will hold more meetings in Englewood."
    result = anonymizer.redact(text)
    assert result.text == text
    assert result.spans == []


def test_general_comment_is_untouched(anonymizer: Anonymizer) -> None:
    text = "officers should get out of their cars and talk to people more"
    assert anonymizer.redact(text).text == text


def test_direct_policy_keeps_quasi_identifiers(direct_only: Anonymizer) -> None:
    text = "Officer Smith stopped my 16-year-old son near Lincoln Park High School in 2021."
    result = direct_only.redact(text)
    assert "[PERSON 1]" in result.text
    assert "16-year-old" in result.text and "2021" in result.text
    assert all(s.level is Level.DIRECT for s in result.spans)


def test_quasi_policy_masks_age_school_and_year(anonymizer: Anonymizer) -> None:
    text = "Officer Smith stopped my 16-year-old son near Lincoln Park High School in 2021."
    result = anonymizer.redact(text)
    assert {s.type for s in result.spans} >= {"PERSON", "AGE", "SCHOOL", "DATE"}


def test_gazetteer_masks_roster_names_the_model_misses(anonymizer: Anonymizer) -> None:
    engine = Anonymizer(gazetteer=["Tomasz Wrzesniewski"], use_ner=False)
    result = engine.redact("wrzesniewski is the one who helped")
    assert result.text == "[PERSON 1] is the one who helped"


def test_lowercase_statement_names_are_masked(anonymizer: Anonymizer) -> None:
    result = anonymizer.redact("officer johnson and sarah miller were at the park on friday night")
    assert "johnson" not in result.text and "sarah" not in result.text


def test_spanish_statement(anonymizer: Anonymizer) -> None:
    text = (
        "Me llamo Juan Pérez y vivo en Calle Mayor 15. "
        "El oficial García me detuvo el 3 de mayo de 2022."
    )
    result = anonymizer.redact(text)
    assert "Pérez" not in result.text and "García" not in result.text
    assert "Calle Mayor 15" not in result.text and "3 de mayo" not in result.text
    assert "oficial [PERSON" in result.text


def test_empty_and_blank_text(anonymizer: Anonymizer) -> None:
    assert anonymizer.analyze("") == []
    assert anonymizer.redact("   \n").text == "   \n"
    assert anonymizer.analyze_many([]) == []


@pytest.mark.parametrize("bad", [None, b"Officer Smith", 42])
def test_non_text_input_is_a_clear_error(anonymizer: Anonymizer, bad: object) -> None:
    with pytest.raises(TypeError, match="must be str") as error:
        anonymizer.analyze(bad)  # type: ignore[arg-type]
    assert "Smith" not in str(error.value)


def test_enormous_text_is_chunked_not_truncated() -> None:
    engine = Anonymizer(use_ner=False, max_chunk_chars=1000)
    paragraph = "We met near the school. Nothing else happened that day, honestly.\n"
    text = paragraph * 200 + "Call Officer Smith at (312) 555-0147.\n"
    result = engine.redact(text)
    assert result.text.endswith("Call Officer [PERSON 1] at [PHONE 1].\n")
    assert len(split_chunks(text, 1000)) > 10


def test_split_chunks_cover_text_exactly() -> None:
    text = ("word " * 50 + "\n") * 40 + "x" * 3000
    chunks = split_chunks(text, 500)
    assert "".join(c for _, c in chunks) == text
    assert all(text[o : o + len(c)] == c for o, c in chunks)
    assert max(len(c) for _, c in chunks) <= 500


def test_restore_case_keeps_length_and_capitalises_names() -> None:
    text = "yesterday sarah and officer garcia came by the store on main"
    restored = restore_case(text)
    assert restored is not None and len(restored) == len(text)
    assert "Sarah" in restored and "Garcia" in restored
    assert restore_case("Normal Text With Capitals, as usual.") is None


def test_overlaps_resolve_to_one_region_typed_by_best_evidence() -> None:
    text = "born March 3, 1987 here"
    spans = [
        Span(5, 18, "DATE", 0.9, "date", "calendar date", Level.QUASI),
        Span(5, 18, "DATE OF BIRTH", 0.95, "date", "date after a birth cue", Level.DIRECT),
        Span(11, 12, "QUANTITY", 0.5, "ner", "NER CARDINAL", Level.QUASI),
    ]
    merged = resolve_overlaps(spans, text)
    assert [(s.start, s.end, s.type) for s in merged] == [(5, 18, "DATE OF BIRTH")]


def test_redaction_never_contains_a_hash_or_original(anonymizer: Anonymizer) -> None:
    result = anonymizer.redact("Email jdoe@example.com")
    assert result.text == "Email [EMAIL 1]"
    assert "jdoe" not in repr(result.replacements[0].placeholder)


def test_custom_detector_list_is_used_as_given() -> None:
    engine = Anonymizer(detectors=[], use_ner=False)
    assert engine.redact("Officer Smith, 312-555-0147").text == "Officer Smith, 312-555-0147"


def test_gazetteer_object_and_policy_enum_accepted() -> None:
    engine = Anonymizer(
        policy=Policy.DIRECT,
        gazetteer=Gazetteer.from_terms([("Pulaski Deli", "ORGANIZATION")]),
        use_ner=False,
    )
    result = engine.redact("I work at Pulaski Deli")
    assert result.text == "I work at [ORGANIZATION 1]"


def test_model_reads_windows_around_unexplained_capitals_only() -> None:
    from peacekit.analysis.anonymize.ner import regions_needing_model

    filler = "and then we talked for a long while about the meeting and the patrols " * 3
    text = f"{filler}when Kadiev arrived {filler}."
    (region,) = regions_needing_model(text)
    assert "Kadiev" in text[slice(*region)]
    assert region[1] - region[0] < len(text) / 2
    # Countries, nationalities and ordinals need no model.
    assert (
        regions_needing_model("we moved here from Mexico, the Third time for a Swedish friend.")
        == []
    )
    # Multi-word public places whose words are also surnames ("Northern Ireland").
    assert regions_needing_model("she moved to Belfast in Northern Ireland") == [(0, 40)]
    assert regions_needing_model("she moved to Northern Ireland") == []
    # A capital a rule already explained ("Officer Lee") needs no model either.
    text = "yesterday Officer Lee stopped us"
    assert regions_needing_model(text) != []
    lee = text.index("Lee")
    explained = [Span(lee, lee + 3, "PERSON", 0.95, "names", "name after a title")]
    assert regions_needing_model(text, explained=explained) == []


def test_new_rules_in_one_statement(anonymizer: Anonymizer) -> None:
    text = (
        "I told Zuzana that my neighbour, a school bus driver, sent the letter to\n"
        "20789 Allika 46\nApt. 12\nRiisa\nand paid 1,200 US dollars."
    )
    result = anonymizer.redact(text)
    assert "[PERSON 1]" in result.text
    assert "Allika" not in result.text and "school bus driver" not in result.text
    assert "1,200" not in result.text
    assert "a [DEMOGRAPHIC 1]" in result.text


def test_warm_up_loads_the_model_once_and_returns_the_engine() -> None:
    from peacekit.analysis.anonymize.ner import _MODEL_CACHE, DEFAULT_MODEL

    engine = Anonymizer(policy="direct")
    assert engine.warm_up() is engine
    assert DEFAULT_MODEL in _MODEL_CACHE or len(_MODEL_CACHE) == 1


def _span(text: str, part: str):
    from peacekit.analysis.anonymize.types import make_span

    start = text.index(part)
    return make_span(start, start + len(part), "PERSON", 0.9, "test", "test span")


def test_allow_list_cuts_a_span_around_a_readable_term_and_drops_one_inside_it():
    allow = AllowList(["Eastside", "Bowling Green"], builtin=False)
    text = "Officer Smith of Eastside said Bowling Green the Eastside is safe."
    spans = [
        _span(text, "Smith of Eastside"),  # covers a readable term: cut around it
        _span(text, "Eastside"),  # inside one: dropped
        _span(text, "Bowling Green the Eastside"),  # only readable terms and "the": nothing
    ]
    kept = allow.filter(text, spans)
    assert [text[s.start : s.end] for s in kept] == ["Smith"]
    assert kept[0].type == "PERSON" and kept[0].detector == "test"
