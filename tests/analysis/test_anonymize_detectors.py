"""Each anonymization detector on statements a facilitator would recognise (no Django)."""

from __future__ import annotations

import pytest

from peacekit.analysis.anonymize import (
    AddressDetector,
    AgeDetector,
    AllowList,
    CaseNumberDetector,
    DateDetector,
    EmailDetector,
    Gazetteer,
    GazetteerDetector,
    GazetteerEntry,
    HandleDetector,
    IdNumberDetector,
    PersonNameDetector,
    PhoneDetector,
    PlateDetector,
    QuantityDetector,
    QuasiIdentifierDetector,
    SsnDetector,
    UrlDetector,
)
from peacekit.analysis.anonymize.base import Detector, NullDetector


def found(detector: Detector, text: str) -> list[tuple[str, str]]:
    """(surface, type) of every span the detector proposes."""
    return [(text[s.start : s.end], s.type) for s in detector.detect(text)]


def surfaces(detector: Detector, text: str) -> set[str]:
    return {surface for surface, _ in found(detector, text)}


def test_base_detector_finds_nothing() -> None:
    assert Detector().detect("Officer Smith, 555-201-3344") == []
    assert NullDetector().detect_many(["a", "b"]) == [[], []]


def test_detector_params_are_stored_not_processed() -> None:
    detector = PhoneDetector(default_region="MX")
    assert detector.get_params() == {"default_region": "MX", "min_digits": 7}


def test_email_url_and_handle() -> None:
    text = "Write to ana.lopez@example.org, see www.peace-project.org/faq or DM @ana_lopez92."
    assert surfaces(EmailDetector(), text) == {"ana.lopez@example.org"}
    assert surfaces(UrlDetector(), text) == {"www.peace-project.org/faq"}
    assert surfaces(HandleDetector(), text) == {"@ana_lopez92"}


def test_url_detector_ignores_abbreviations() -> None:
    assert surfaces(UrlDetector(), "We met e.g. on Main St. at 5 p.m. in the U.S.") == set()


@pytest.mark.parametrize(
    "text,number",
    [
        ("Call me at (312) 555-0147 tonight", "(312) 555-0147"),
        ("my cell is 773.555.0199", "773.555.0199"),
        ("Tel: +44 20 7946 0958", "+44 20 7946 0958"),
        ("mi teléfono es 55 1234 5678", "55 1234 5678"),
    ],
)
def test_phone_numbers(text: str, number: str) -> None:
    assert number in surfaces(PhoneDetector(), text)


@pytest.mark.parametrize(
    "text,number",
    [
        ("please stop sending messages to 699 956 915", "699 956 915"),
        ("082 490 1693-Office,+447700 208 815-Fax", "+447700 208 815"),
        ("085 175 7641-Office,3660170548-Fax", "3660170548"),
        ("655 437 108 office", "655 437 108"),
    ],
)
def test_phone_numbers_with_labels_and_lists(text: str, number: str) -> None:
    assert number in surfaces(PhoneDetector(), text)


def test_phone_detector_skips_dates_money_and_counts() -> None:
    text = "On 12-05-1999 they paid 1 500 000 euros; 40 officers came."
    assert surfaces(PhoneDetector(), text) == set()


def test_ssn_valid_only() -> None:
    assert surfaces(SsnDetector(), "SSN 123-45-6789, not 000-12-3456") == {"123-45-6789"}


def test_badge_unit_and_employee_numbers() -> None:
    text = "His badge number is 4471, star #15022, employee ID E-20931."
    assert surfaces(IdNumberDetector(), text) == {"4471", "15022", "E-20931"}


@pytest.mark.parametrize(
    "text,number",
    [
        ("The case originated in an application (no. 12345/03) against Turkey", "12345/03"),
        ("incident report #2023-00457 was filed", "2023-00457"),
        ("RD# JB123456 and complaint no. CR-2021-0042", "JB123456"),
        ("applications nos. 4455/98 and 5566/99", "5566/99"),
    ],
)
def test_case_numbers(text: str, number: str) -> None:
    assert number in surfaces(CaseNumberDetector(), text)


def test_case_numbers_leave_periods_alone() -> None:
    assert surfaces(CaseNumberDetector(), "the 2003/04 budget and Article 6 § 1") == set()


def test_licence_plates() -> None:
    assert "7ABC123" in surfaces(PlateDetector(), "a grey sedan, plate 7ABC123, parked")
    assert "ABC-1234" in surfaces(PlateDetector(), "license plate number ABC-1234")


def test_dates_and_date_of_birth() -> None:
    kinds = dict(found(DateDetector(), "I was born on March 3, 1987 and stopped on 5/14/2023."))
    assert kinds["March 3, 1987"] == "DATE OF BIRTH"
    assert kinds["5/14/2023"] == "DATE"
    spanish = surfaces(DateDetector(), "Me detuvieron el 3 de mayo de 2022 por la noche")
    assert "3 de mayo de 2022" in spanish


def test_may_the_verb_is_not_a_date() -> None:
    assert surfaces(DateDetector(years=False), "You May 2 go now") == set()


def test_ages() -> None:
    text = "a 16-year-old boy, aged 42, and her son tiene 12 años"
    assert surfaces(AgeDetector(), text) == {"16-year-old", "42", "12 años"}


def test_quantities() -> None:
    text = "they took $1,200 and 375 euros, about 50 metres away"
    assert surfaces(QuantityDetector(), text) == {"$1,200", "375 euros", "50 metres"}


@pytest.mark.parametrize(
    "text,address",
    [
        (
            "He lives at 1234 W Madison Street, Chicago, IL 60601.",
            "1234 W Madison Street, Chicago, IL 60601",
        ),
        ("Meet me at 55 Elm St. Apt 4B", "55 Elm St. Apt 4B"),
        ("Vivo en Calle Mayor 15, Madrid.", "Calle Mayor 15, Madrid"),
        ("PSC 3294, Box 9168\nAPO AA 61487", "PSC 3294, Box 9168\nAPO AA 61487"),
    ],
)
def test_street_addresses(text: str, address: str) -> None:
    assert address in surfaces(AddressDetector(), text)


@pytest.mark.parametrize(
    "text,address",
    [
        # Postal blocks with no street word: the unit or the city line below shows it.
        (
            "Send it to:\nAna Lind\n2224 Trenerys gate 232\nApt. 342\nTRONDHEIM",
            "2224 Trenerys gate 232\nApt. 342\nTRONDHEIM",
        ),
        (
            "Address:   20789 Allika 46\n Riisa\n Estonia 62488",
            "20789 Allika 46\n Riisa\n Estonia 62488",
        ),
        ("He stays at 1593 Pagari 18 Suite 932 now", "1593 Pagari 18 Suite 932"),
        # After "lives at", a number-name-number phrase in lower case.
        ("eva lives at 255 hersnapvej 18, near the park", "255 hersnapvej 18"),
        # A country line with a postal code after a blank line closes the block.
        (
            "541 Avenida Pedro Ulisses 888\n Apt. 120\n Castanhal\n\n Brazil 81581",
            "541 Avenida Pedro Ulisses 888\n Apt. 120\n Castanhal\n\n Brazil 81581",
        ),
        ("the corner of ul. Jesionowa 127 and Philip Bypass", "Philip Bypass"),
        ("at 338 17 St Omers Road, Beauwelz", "338 17 St Omers Road, Beauwelz"),
    ],
)
def test_addresses_without_street_words(text: str, address: str) -> None:
    assert address in surfaces(AddressDetector(), text)


@pytest.mark.parametrize(
    "text",
    [
        "We met 3 times in 2019 and 12 people came\nThe next meeting was better",
        "In 1998 the applicant moved\nto the city",
        "Section 4 Part 2\nof the plan",
        "the corner of the store and the parking lot",
    ],
)
def test_numbers_in_ordinary_lines_are_not_addresses(text: str) -> None:
    assert surfaces(AddressDetector(), text) == set()


def test_street_name_without_number_is_quasi() -> None:
    spans = AddressDetector().detect("the shooting on Halsted Street last year")
    assert [(s.level.value, s.type) for s in spans] == [("quasi", "ADDRESS")]


@pytest.mark.parametrize(
    "text,name",
    [
        ("Officer Smith pushed him", "Smith"),
        ("Sgt. Lee was there", "Lee"),
        ("officer martinez was rude", "martinez"),
        ("OFFICER JOHNSON YELLED", "JOHNSON"),
        ("my name is lena andersson", "lena andersson"),
        ("everyone calls me Piusz", "Piusz"),
        ('John "Big Mike" Smith runs the store', 'John "Big Mike" Smith'),
        ("Me llamo Juan Pérez", "Juan Pérez"),
        ("El oficial García me detuvo", "García"),
    ],
)
def test_person_names(text: str, name: str) -> None:
    assert name in surfaces(PersonNameDetector(), text)


@pytest.mark.parametrize(
    "text,names",
    [
        ("Mohmad R. Vizirov will speak at the forum", {"Mohmad R. Vizirov"}),
        ("Name:    Martim A Pereira", {"Martim A Pereira"}),
        ("Directed By:    Johannes Varvio", {"Johannes Varvio"}),
        ("Kadiev and Adams were at the meeting", {"Kadiev", "Adams"}),
        ("our founders: Eklund, Michael and Hodge", {"Eklund", "Michael", "Hodge"}),
        ("I told Zuzana to wait outside", {"Zuzana"}),
        ("Zuzana told me the car was gone", {"Zuzana"}),
    ],
)
def test_names_without_a_title(text: str, names: set[str]) -> None:
    assert names <= surfaces(PersonNameDetector(), text)


@pytest.mark.parametrize(
    "text",
    [
        "Turkey and Greece signed the treaty",
        "The Chamber and the Court agreed",
        "I told Congress and the Council what happened",
        "We asked Police to come back",
        "Section A Part 2 covers patrols",
    ],
)
def test_no_names_in_public_bodies_and_places(text: str) -> None:
    assert surfaces(PersonNameDetector(), text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "the police chief came to the meeting",
        "The officer was polite and the sergeant listened.",
        "officers will patrol more",
    ],
)
def test_no_names_in_ordinary_police_talk(text: str) -> None:
    assert surfaces(PersonNameDetector(), text) == set()


def test_quasi_identifiers() -> None:
    text = "I'm a Black woman who works at Acme Tool Company near Lincoln Park High School."
    kinds = dict(found(QuasiIdentifierDetector(), text))
    assert kinds["Black"] == "DEMOGRAPHIC"
    assert kinds["Acme Tool Company"] == "ORGANIZATION"
    assert kinds["Lincoln Park High School"] == "SCHOOL"


@pytest.mark.parametrize(
    "text,value",
    [
        ("the complaint was filed by a British national living here", "British"),
        ("she is a United Kingdom citizen", "United Kingdom"),
        ("My neighbour, a school bus driver, saw it", "school bus driver"),
        ("he worked as a private security guard", "private security guard"),
        ("I'm a nurse at the clinic on the corner", "nurse"),
        ("mi hermano trabaja como mecánico", "mecánico"),
    ],
)
def test_nationality_and_occupation_of_a_person(text: str, value: str) -> None:
    assert (value, "DEMOGRAPHIC") in found(QuasiIdentifierDetector(), text)


@pytest.mark.parametrize(
    "text",
    [
        "the police chief came to the meeting",
        "Swedish courts were competent to decide",
        "Mexican food trucks park on our block",
        "we need more teachers and nurses in the 24th District",
    ],
)
def test_roles_and_nationality_words_alone_stay(text: str) -> None:
    assert surfaces(QuasiIdentifierDetector(), text) == set()


def test_amounts_in_named_currencies_and_ages_in_words() -> None:
    text = "a fine of 205,000 Turkish liras (TRY) and 1,200 US dollars"
    assert surfaces(QuantityDetector(), text) == {"205,000 Turkish liras (TRY)", "1,200 US dollars"}
    assert surfaces(AgeDetector(), "the man, aged sixty three, and his age is 49") == {
        "sixty three",
        "49",
    }


def test_group_statements_are_not_personal_demographics() -> None:
    assert surfaces(QuasiIdentifierDetector(), "Black residents feel less safe") == set()


def test_gazetteer_roster_and_aliases() -> None:
    roster = Gazetteer(
        [
            GazetteerEntry("Robert Kowalczyk", aliases=("Bobby K",)),
            GazetteerEntry("Pulaski Deli", "ORGANIZATION"),
        ]
    )
    text = "Bobby K and Kowalczyk went to pulaski deli; a smith fixed it"
    found_terms = found(GazetteerDetector(roster), text)
    assert ("Bobby K", "PERSON") in found_terms
    assert ("Kowalczyk", "PERSON") in found_terms
    assert ("pulaski deli", "ORGANIZATION") in found_terms


def test_gazetteer_rejects_unknown_type() -> None:
    with pytest.raises(ValueError, match="unknown entity type"):
        GazetteerEntry("x", "NICKNAME")


def test_allow_list_keeps_public_terms() -> None:
    allow = AllowList(["Englewood", "Chicago Police Department"])
    text = "The police chief of the 24th District met Englewood residents"
    ranges = allow.ranges(text)
    covered = {text[a:b] for a, b in ranges}
    assert "Englewood" in covered
    assert any("24th District" in c for c in covered)
    assert any("police chief" in c for c in covered)
