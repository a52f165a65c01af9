"""Community listening statements (US cities, English and Spanish): punctuation stays outside
placeholders, abbreviated streets are addresses, named businesses are masked consistently
under direct_quasi and never under direct, and civic words stay readable."""

from __future__ import annotations

import pytest

from peacekit.analysis.anonymize import AddressDetector, AllowList, Anonymizer, Policy
from tests.analysis.anonymize_engines import warm_engine

PUNCTUATION = ".!?…"


@pytest.fixture(scope="module")
def quasi() -> Anonymizer:
    return warm_engine("direct_quasi", ["Bowling Green", "Eastside"])


@pytest.fixture(scope="module")
def direct() -> Anonymizer:
    return Anonymizer(policy=Policy.DIRECT, allow_list=AllowList(["Bowling Green", "Eastside"]))


def masked(engine: Anonymizer, text: str) -> dict[str, str]:
    """Masked surface -> type."""
    return {text[s.start : s.end]: s.type for s in engine.analyze(text)}


# -- 1. sentence punctuation is not part of a name ------------------------------------------


def test_spanish_statement_keeps_its_final_period(quasi: Anonymizer) -> None:
    text = "Mi vecina Rocío vive en la calle Main 402 y trabaja en Walmart."
    result = quasi.redact(text)
    assert result.text.endswith("trabaja en [ORGANIZATION 1].")
    assert "Rocío" not in result.text and "Main 402" not in result.text


@pytest.mark.parametrize(
    "text",
    [
        "Mi vecina Rocío vive en la calle Main 402 y trabaja en Walmart.",
        "My cousin works at Kroger!",
        "Have you seen the lot behind the Costco?",
        "He moved here from Honduras.",
        "I told Officer Ramirez to call Maria Gonzalez...",
        "Vivo en la calle Main 402.",
    ],
)
def test_no_span_ends_with_sentence_punctuation(quasi: Anonymizer, text: str) -> None:
    spans = quasi.analyze(text)
    assert spans
    for span in spans:
        assert text[span.end - 1] not in PUNCTUATION, text[span.start : span.end]
    assert quasi.redact(text).text[-1] == text[-1]


def test_abbreviation_periods_stay_with_the_name(quasi: Anonymizer) -> None:
    text = "She works for Acme Inc. and lives on Elm St. near the park."
    found = masked(quasi, text)
    assert "Acme Inc." in found
    assert "Elm St." in found


def test_abbreviation_that_ends_the_sentence_keeps_the_full_stop(quasi: Anonymizer) -> None:
    result = quasi.redact("The lights are out on Elm St. Nobody fixed them.")
    assert result.text == "The lights are out on [ADDRESS 1]. Nobody fixed them."
    result = quasi.redact("I live at 45 Main St. The lights are out.")
    assert result.text == "I live at [ADDRESS 1]. The lights are out."


# -- 2. abbreviated street suffixes are addresses --------------------------------------------


def test_abbreviated_street_is_an_address_not_a_business(quasi: Anonymizer) -> None:
    result = quasi.redact("The Costco on Elrod Rd needs more lighting in the parking lot.")
    assert result.text == (
        "The [ORGANIZATION 1] on [ADDRESS 1] needs more lighting in the parking lot."
    )
    assert [s.type for s in result.spans] == ["ORGANIZATION", "ADDRESS"]


@pytest.mark.parametrize(
    "street",
    [
        "Elrod Rd",
        "Russellville Rd.",
        "Campbell Ln",
        "Fairview Ave",
        "Lover's Ln",
        "Cemetery Rd",
        "Ashley Cir",
        "Lovers Lane Blvd",
        "Smallhouse Pkwy",
        "Greenwood Ct",
        "Morgantown Hwy",
        "Old Barren River Rd",
        "Chestnut St",
        "Magnolia Dr",
    ],
)
def test_streets_with_abbreviated_suffix_are_addresses(quasi: Anonymizer, street: str) -> None:
    text = f"Cars speed on {street} every night and nobody stops them."
    found = masked(quasi, text)
    assert found.get(street) == "ADDRESS", found


def test_street_named_like_a_person_is_still_a_street(quasi: Anonymizer) -> None:
    result = quasi.redact("We went to Papa John's on Campbell Ln.")
    assert result.text == "We went to [ORGANIZATION 1] on [ADDRESS 1]."


def test_saint_and_doctor_before_a_name_are_not_streets() -> None:
    detector = AddressDetector()
    for text in ("The family moved from St Louis last year.", "Ask Professor Dr. Lee."):
        assert not detector.detect(text), text


def test_full_and_abbreviated_street_names_get_the_same_type(quasi: Anonymizer) -> None:
    full = masked(quasi, "Officers stop people on Scottsville Road all the time.")
    short = masked(quasi, "Officers stop people on Scottsville Rd all the time.")
    assert full == {"Scottsville Road": "ADDRESS"}
    assert short == {"Scottsville Rd": "ADDRESS"}


# -- 3. named businesses: masked consistently under direct_quasi, never under direct --------


@pytest.mark.parametrize(
    ("text", "business"),
    [
        ("My neighbor works at the Kroger and says it is unsafe.", "Kroger"),
        ("Officers at the Walmart on Scottsville Road were respectful.", "Walmart"),
        ("Officers at Walmart were respectful.", "Walmart"),
        ("There was a shooting at the McDonald's on 31-W last week.", "McDonald's"),
        ("The Dollar General parking lot has no lights.", "Dollar General"),
        ("Kids hang out behind the Dollar Tree after school.", "Dollar Tree"),
        ("She shops at Target every Sunday.", "Target"),
        ("The Shell station on the corner sells to minors.", "Shell"),
        ("We met at Wendy's and waited for an hour.", "Wendy's"),
        ("Mi esposo trabaja en Walmart y yo en la tienda Soriana.", "Soriana"),
        ("Robaron el Oxxo de la esquina otra vez.", "Oxxo"),
        ("i work at walmart and the cops come every night", "walmart"),
        ("The Houchens parking lot is dark at night.", "Houchens"),
    ],
)
def test_named_businesses_are_masked_under_direct_quasi(
    quasi: Anonymizer, direct: Anonymizer, text: str, business: str
) -> None:
    found = masked(quasi, text)
    assert found.get(business) == "ORGANIZATION", found
    assert business not in quasi.redact(text).text
    # Businesses are quasi-identifiers: the direct policy leaves them readable.
    assert business in direct.redact(text).text


def test_same_business_gets_one_placeholder(quasi: Anonymizer) -> None:
    result = quasi.redact(
        "The Walmart on Scottsville Road is fine but the Walmart downtown is not."
    )
    assert result.text.count("[ORGANIZATION 1]") == 2


def test_unlisted_business_named_as_a_store_is_masked(quasi: Anonymizer) -> None:
    found = masked(quasi, "Somebody got jumped outside the Riverside Liquors store last night.")
    assert found.get("Riverside Liquors") == "ORGANIZATION"


def test_everyday_words_that_are_also_chains_stay_readable(quasi: Anonymizer) -> None:
    for text in (
        "Target practice at the range is too loud.",
        "The subway was late and my target is to get a job.",
        "We took the best buy we could find.",
        "I put chipotle sauce on everything.",
        "Wendy's mom says the cops never come.",
    ):
        found = masked(quasi, text)
        assert "ORGANIZATION" not in found.values(), (text, found)


def test_business_with_a_first_name_stays_readable_under_direct(direct: Anonymizer) -> None:
    for text in ("We met at Wendy's and waited.", "They ordered from Papa John's again."):
        assert direct.redact(text).text == text


# -- 4. civic words, allow-listed neighborhoods and sentence-initial nouns stay ---------------


@pytest.mark.parametrize(
    "text",
    [
        "My neighbor says the 24th District is understaffed.",
        "The police chief should come to the Eastside meeting.",
        "Landlord keeps calling the police on tenants.",
        "Grandma is scared to walk to church at night.",
        "Teacher told us the school resource officer is great.",
        "Mom, can you call the non-emergency line?",
        "Neighbors in Bowling Green want more patrols.",
        "Teacher said the school resource officer was helpful.",
    ],
)
def test_civic_words_and_allowed_places_stay_readable(
    quasi: Anonymizer, direct: Anonymizer, text: str
) -> None:
    assert quasi.redact(text).text == text
    assert direct.redact(text).text == text


def test_landlord_at_sentence_start_is_not_a_person(quasi: Anonymizer) -> None:
    spans = quasi.analyze("Landlord keeps calling the police on tenants.")
    assert all(s.type != "PERSON" for s in spans)


def test_street_named_after_a_person_is_a_street(direct: Anonymizer, quasi: Anonymizer) -> None:
    text = "The buses never stop on Martin Luther King Jr Blvd at night."
    assert masked(quasi, text) == {"Martin Luther King Jr Blvd": "ADDRESS"}
    assert direct.redact(text).text == text


def test_street_address_stops_at_the_end_of_its_sentence(quasi: Anonymizer) -> None:
    result = quasi.redact("They beat him at 1200 Morgantown Rd. Nobody came to help.")
    assert result.text == "They beat him at [ADDRESS 1]. Nobody came to help."


def test_longest_listed_business_name_wins(quasi: Anonymizer) -> None:
    found = masked(quasi, "The Walmart Supercenter and the Wal-Mart downtown both call the cops.")
    assert found == {"Walmart Supercenter": "ORGANIZATION", "Wal-Mart": "ORGANIZATION"}


def test_kind_of_store_is_not_a_business_name() -> None:
    from peacekit.analysis.anonymize import QuasiIdentifierDetector

    detector = QuasiIdentifierDetector()
    text = "Kids wait at the Corner store, the Halloween store and a Black-owned grocery store."
    assert not [s for s in detector.detect(text) if s.type == "ORGANIZATION"]


def test_listed_business_is_not_a_person_unless_a_title_says_so(
    quasi: Anonymizer, direct: Anonymizer
) -> None:
    text = "We shop at Aldi and Save A Lot because Kroger is too expensive."
    assert set(masked(quasi, text).values()) == {"ORGANIZATION"}
    assert direct.redact(text).text == text
    titled = "Mr Meijer and Officer Tyson came to the meeting."
    assert masked(direct, titled) == {"Meijer": "PERSON", "Tyson": "PERSON"}


def test_relation_after_a_title_is_still_a_name(direct: Anonymizer) -> None:
    result = direct.redact("Mr Cousin and Officer Boss came to the meeting.")
    assert result.text == "Mr [PERSON 1] and Officer [PERSON 2] came to the meeting."


# -- 5. a first name before "'s" is a person, even when a restaurant shares it ----------------


@pytest.mark.parametrize(
    "text, name",
    [
        ("We met at Maria's house after the meeting.", "Maria"),
        ("We met at Wendy's house after the meeting.", "Wendy"),
        ("The party was at Denny's place on Friday.", "Denny"),
    ],
)
def test_a_name_before_a_possessive_is_masked_under_both_policies(
    quasi: Anonymizer, direct: Anonymizer, text: str, name: str
) -> None:
    for engine in (direct, quasi):
        result = engine.redact(text)
        assert name not in result.text and "[PERSON 1]'s" in result.text


def test_the_restaurant_itself_stays_a_business(quasi: Anonymizer, direct: Anonymizer) -> None:
    text = "We ate at Wendy's on Main Street."
    assert masked(quasi, text).get("Wendy's") == "ORGANIZATION"
    assert "Wendy's" in direct.redact(text).text  # a business is not a direct identifier
