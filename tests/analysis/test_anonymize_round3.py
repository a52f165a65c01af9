"""Third round of issue 4: nationality and country words under the quasi policy, names and
addresses shown by their role in a sentence (English and Spanish), intersections, PO boxes."""

from __future__ import annotations

import pytest

from peacekit.analysis.anonymize import (
    AddressDetector,
    Anonymizer,
    PersonNameDetector,
    Policy,
    PublicNameDetector,
)
from tests.analysis.anonymize_engines import warm_engine


def found(detector, text: str) -> set[tuple[str, str]]:  # noqa: ANN001
    return {(text[s.start : s.end], s.type) for s in detector.detect(text)}


@pytest.fixture(scope="module")
def quasi() -> Anonymizer:
    return warm_engine("direct_quasi", ["Englewood", "Pilsen"])


@pytest.fixture(scope="module")
def direct() -> Anonymizer:
    return Anonymizer(policy=Policy.DIRECT)


def test_nationality_and_religion_are_masked_under_direct_quasi(quasi: Anonymizer) -> None:
    text = "The Somali family next door and a Kurdish man from Syria were stopped twice."
    result = quasi.redact(text)
    for word in ("Somali", "Kurdish", "Syria"):
        assert word not in result.text
    assert "[DEMOGRAPHIC 1] family" in result.text


def test_nationality_stays_readable_under_direct_policy(direct: Anonymizer) -> None:
    text = "The Somali family next door and a Kurdish man from Syria were stopped twice."
    result = direct.redact(text)
    assert "Somali" in result.text and "Kurdish" in result.text and "Syria" in result.text


def test_spanish_nationality_words_are_masked_in_lower_case(quasi: Anonymizer) -> None:
    result = quasi.redact("Mi vecino es guatemalteco y su esposa es hondureña.")
    assert "guatemalteco" not in result.text and "hondureña" not in result.text


def test_allow_listed_neighborhood_and_civic_terms_stay(quasi: Anonymizer) -> None:
    text = "The police chief said the 24th District will hold more meetings in Pilsen."
    assert quasi.redact(text).text == text


def test_own_country_continents_and_languages_stay_readable(quasi: Anonymizer) -> None:
    text = (
        "People in the United States and across Europe should be able to ask for help"
        " in Spanish, and the meeting was translated into Arabic."
    )
    assert quasi.redact(text).text == text


def test_a_country_named_throughout_a_long_account_is_its_setting() -> None:
    detector = PublicNameDetector()
    account = "In Turkey the courts ruled. Turkey appealed. The Turkish courts agreed. " * 2
    assert found(detector, account) == set()
    # Named once, the same country narrows down who wrote a short statement.
    assert found(detector, "We came from Turkey last year.") == {("Turkey", "PLACE")}


@pytest.mark.parametrize(
    "text,name",
    [
        ("María: Yo vi todo desde la ventana.\nJosé: Yo también.", "María"),
        ("Dolores, can you tell them what you saw?", "Dolores"),
        ("Yesenia lives on Via Roma 17 with her mother.", "Yesenia"),
        ("They stopped my kid Tavi outside the store.", "Tavi"),
        ("Mi vecina Rocío vio cuando se llevaron a su hijo.", "Rocío"),
        ("Ximena vive en la calle Sol 12.", "Ximena"),
    ],
)
def test_names_shown_by_their_role_in_the_sentence(text: str, name: str) -> None:
    assert (name, "PERSON") in found(PersonNameDetector(), text)


@pytest.mark.parametrize(
    "text",
    [
        "Summary: the meeting went well.",
        "Thanks, can we meet again next week?",
        "My son went to school on Monday.",
        "Police Brutality\n\nI was stopped at 5 pm by two officers.",
    ],
)
def test_headings_greetings_and_plain_words_are_not_names(text: str) -> None:
    assert not found(PersonNameDetector(), text)


@pytest.mark.parametrize(
    "text,address",
    [
        ("Mail the form to P.O. Box 3310 please.", "P.O. Box 3310"),
        ("Our house is on Ruelle Marceau 41", "Ruelle Marceau 41"),
        ("They hang out at the corner of Kedzie 3100 and Ogden Greens", None),
        ("My aunt lives at Petőfi u. 8. in Pécs", "Petőfi u. 8."),
        (
            "my address: 410 calle luna 2 apt 5, oaxaca, mexico 68000",
            "410 calle luna 2 apt 5, oaxaca, mexico 68000",
        ),
        ("psc 1234, box 567\napo ae 09012", "psc 1234, box 567\napo ae 09012"),
    ],
)
def test_addresses_without_the_usual_street_word(text: str, address: str | None) -> None:
    surfaces = {s for s, t in found(AddressDetector(), text) if t == "ADDRESS"}
    if address is None:
        assert "the corner of Kedzie 3100 and Ogden Greens" in surfaces
    else:
        assert address in surfaces


@pytest.mark.parametrize(
    "text",
    [
        "We watched it on Channel 4 at 9 pm.",
        "Please wait at Gate 12 until the bus comes.",
        "The case was decided on March 2019 by the court.",
        "i live at 55 elm st, and i like it here.",
    ],
)
def test_numbered_things_are_not_addresses(text: str) -> None:
    surfaces = {s for s, _ in found(AddressDetector(), text)}
    assert not any(("Channel" in s or "Gate" in s or "March" in s or "like" in s) for s in surfaces)


def test_spanish_statement_gets_name_and_address_masked(quasi: Anonymizer) -> None:
    result = quasi.redact("Ximena vive en la calle Sol 12 y su vecino es cubano.")
    assert "Ximena" not in result.text and "Sol 12" not in result.text
    assert "cubano" not in result.text
