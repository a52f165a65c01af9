"""Quasi-identifiers by rule: schools, employers, landmarks, personal demographic descriptors."""

from __future__ import annotations

import re
from functools import lru_cache

from .base import Detector
from .lexicon import GENERIC_CAPITALIZED, businesses, is_demonym, is_public_place
from .types import DEMOGRAPHIC, LOCATION, ORGANIZATION, SCHOOL, Span, make_span

_CAPW = r"[A-ZÀ-ÖØ-Þ][\w'’&.-]*"
_CAP_RUN = rf"{_CAPW}(?:[ \t]+(?:of|de|del|the|and|&|for|la|los|las|y)?[ \t]*{_CAPW}){{0,4}}"

_SCHOOL = re.compile(
    rf"(?<![\w])(?:{_CAP_RUN}[ \t]+(?:High|Middle|Elementary|Primary|Secondary|Junior High"
    r"|Charter|Prep|Preparatory|Grammar|Catholic|Christian|Public|Community)?[ \t]*"
    r"(?:School|Schools|Academy|College|University|Institute|Seminary|Kindergarten|Preschool)"
    rf"(?:[ \t]+of[ \t]+{_CAP_RUN})?"
    rf"|(?:University|College|Institute|Academy|Escuela|Colegio|Universidad|Instituto|Liceo"
    rf"|Preparatoria|Secundaria|Primaria)[ \t]+(?:of|de|del|for)?[ \t]*{_CAP_RUN})"
)
_ORG_SUFFIX = re.compile(
    rf"(?<![\w]){_CAP_RUN},?[ \t]+(?:Inc\.?|LLC|L\.L\.C\.|Ltd\.?|Limited|Corp\.?|Corporation"
    r"|Co\.|Company|Group|Holdings|Partners|Associates|Foundation|Bank|Hospital|Clinic"
    r"|Church|Mosque|Synagogue|Temple|Ministries|Restaurant|Cafe|Café|Bar|Grill|Store|Market"
    r"|Supermarket|Pharmacy|Motors|Auto|Services|Solutions|Industries|Enterprises|GmbH|AG|S\.A\."
    r"|SA|S\.L\.|AS|A/S|AB|Oy|BV|NV|plc|PLC)(?![\w])"
)
_LANDMARK = re.compile(
    rf"(?<![\w]){_CAP_RUN}[ \t]+(?:Park|Playground|Mall|Plaza|Library|Station|Center|Centre"
    r"|Stadium|Arena|Bridge|Tower|Towers|Apartments|Homes|Houses|Projects|Courts|Gardens"
    r"|Terrace|Manor|Village|Shelter|Cemetery|Beach|Lake|River|Square|Market|Building|Hall"
    r"|Hotel|Motel|Inn|Airport|Terminal|Prison|Jail|Penitentiary|Camp|Base)(?![\w])"
)
_EMPLOYER = re.compile(
    rf"\b(?:work(?:s|ed|ing)?|employed|job|hired|intern(?:ed|ing)?|volunteer(?:s|ed)?)"
    rf"[ \t]+(?:at|for|with|by)[ \t]+(?:the[ \t]+)?(?P<org>{_CAP_RUN})"
    rf"|\b(?:trabaj[oa]|trabajaba|trabajé)[ \t]+(?:en|para)[ \t]+(?:el[ \t]+|la[ \t]+)?"
    rf"(?P<org_es>{_CAP_RUN})"
)

# Named businesses (data/businesses.txt): what a resident calls "the Kroger", "the Walmart on
# Scottsville Road" or "Soriana" says where they shop or work.
LISTED_BUSINESS = "listed business"
_BUSINESS_NOUN = (
    r"(?:store|stores|supermarket|grocery|pharmacy|gas[ \t]+station|parking[ \t]+lot|restaurant"
    r"|warehouse|plant|factory|distribution[ \t]+center|fulfillment[ \t]+center|drive[ -]?thru"
    r"|drive[ -]?through|dealership|location|branch|employees|workers|staff|manager|managers"
    r"|security|cashier|cashiers|shift)"
)
_PLACE_BEFORE = re.compile(
    r"\b(?:at|from|near|outside|inside|behind|by|into|past|across[ \t]+from|in[ \t]+front[ \t]+of"
    r"|en|del|al|cerca[ \t]+de|frente[ \t]+a|afuera[ \t]+de)[ \t]+"
    r"(?:(?:the|a|an|el|la|un|una)[ \t]+)?$",
    re.IGNORECASE,
)
_ARTICLE_BEFORE = re.compile(r"\b(?:the|el|la)[ \t]+$", re.IGNORECASE)
_NOUN_AFTER = re.compile(rf"[ \t]+{_BUSINESS_NOUN}\b", re.IGNORECASE)
_POSITION_AFTER = re.compile(r"[ \t]+(?:on|off|near|by|across|next[ \t]+to|in)\b")
# An unlisted business named as one: "the Houchens parking lot", "la tienda Cárdenas".
_BUSINESS_CUE = re.compile(
    r"\b(?:the|a|at|from|near|outside|behind|by)[ \t]+"
    r"(?P<b>[A-ZÀ-ÖØ-Þ0-9][\w'’&.-]*(?:[ \t]+[A-ZÀ-ÖØ-Þ][\w'’&.-]*){0,2})"
    r"(?=[ \t]+(?:store|supermarket|grocery[ \t]+store|pharmacy|gas[ \t]+station|parking[ \t]+lot"
    r"|restaurant|warehouse|plant|factory|distribution[ \t]+center|fulfillment[ \t]+center"
    r"|drive[ -]?thru|dealership)\b)"
    r"|\b(?:la[ \t]+tienda|el[ \t]+supermercado|el[ \t]+restaurante|la[ \t]+fábrica"
    r"|la[ \t]+empresa|la[ \t]+compañía|la[ \t]+planta|la[ \t]+farmacia|la[ \t]+gasolinera)"
    r"[ \t]+(?P<b_es>[A-ZÀ-ÖØ-Þ0-9][\w'’&.-]*(?:[ \t]+(?:de[ \t]+)?[A-ZÀ-ÖØ-Þ][\w'’&.-]*){0,2})"
)


# Words that say what kind of shop it is, or when it opens, rather than whose it is ("the
# Corner store", "a Halloween store", "the Dollar store").
_STORE_KIND = frozenset(
    [
        "corner",
        "dollar",
        "grocery",
        "convenience",
        "liquor",
        "gas",
        "thrift",
        "pawn",
        "beauty",
        "barber",
        "tire",
        "auto",
        "furniture",
        "discount",
        "hardware",
        "vape",
        "smoke",
        "phone",
        "cell",
        "pet",
        "toy",
        "book",
        "shoe",
        "candy",
        "general",
        "country",
        "farm",
        "feed",
        "outlet",
        "christmas",
        "halloween",
        "easter",
        "thanksgiving",
        "holiday",
        "navidad",
        "seasonal",
        "party",
        "costume",
        "department",
        "food",
        "drug",
        "video",
    ]
)
_NAME_WORD = re.compile(r"[A-ZÀ-ÖØ-Þ0-9][A-Za-zÀ-ÿ0-9'’&.]*(?:-[A-ZÀ-ÖØ-Þ0-9][\w'’&.]*)*")


def _business_key(name: str) -> str:
    return re.sub(r"[\s'’.\-]+", "", name).casefold()


def _trie_regex(names: list[str]) -> str:
    """One regular expression for many names, as a character trie (fast to scan): an
    apostrophe, a period or a hyphen may be left out, spaces may be any run of blanks."""
    trie: dict = {}
    for name in names:
        node = trie
        for ch in name.casefold():
            node = node.setdefault(ch, {})
        node[""] = {}

    def char(ch: str) -> str:
        if ch in "'’":
            return "['’]?"
        if ch == "-":
            return "[ \t-]?"
        if ch == " ":
            return "[ \t]+"
        if ch == ".":
            return r"\.?"
        return re.escape(ch)

    def emit(node: dict) -> str:
        ends = "" in node
        # Letters before the optional marks, so "Walmart Supercenter" is not cut short by
        # the "Wal-Mart" branch (whose hyphen may be left out) matching "Walmart" first.
        ordered = sorted(node.items(), key=lambda item: (item[0] in "'’-.", item[0]))
        branches = [char(ch) + emit(child) for ch, child in ordered if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?"
        return body

    return emit(trie)


@lru_cache(maxsize=1)
def _business_index() -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    listed = businesses()
    index = {_business_key(name): (name, flag) for name, flag in listed.items()}
    pattern = re.compile(
        rf"(?<![\w'’&-])(?:{_trie_regex(list(listed))})(?![\w&]|-\w)", re.IGNORECASE
    )
    return pattern, index


# After a possessive, these make it a person's ("Wendy's house", "Denny's place").
_HOME_AFTER = re.compile(
    r"[ \t]+(?:house|home|place|apartment|apt|yard|porch|driveway|party|family|mom|dad|car"
    r"|room|birthday)\b",
    re.IGNORECASE,
)


def _listed_businesses(text: str) -> list[tuple[int, int]]:
    """Where listed businesses are named, written as the list says they must be."""
    pattern, index = _business_index()
    found = []
    for match in pattern.finditer(text):
        start, end = match.span()
        surface = match.group(0)
        entry = index.get(_business_key(surface))
        if entry is None:
            continue
        name, flag = entry
        if surface[-2:].lower() in ("'s", "’s") and _HOME_AFTER.match(text[end : end + 20]):
            continue  # "at Wendy's house": a person's home, not the restaurant
        words = name.split()
        capitalised = surface[:1].isupper() or surface[:1].isdigit()
        if len(words) > 1 and words[-1][:1].isupper():
            capitalised = capitalised and surface.split()[-1][:1].isupper()
        if (flag or len(words) > 1) and not capitalised:
            continue
        if flag == "~":
            before = text[max(0, start - 30) : start]
            after = text[end : end + 30]
            if not (
                _PLACE_BEFORE.search(before)
                or _NOUN_AFTER.match(after)
                or (_ARTICLE_BEFORE.search(before) and _POSITION_AFTER.match(after))
            ):
                continue
        found.append((start, end))
    return found


_PEOPLE_NOUN = (
    r"(?:man|men|woman|women|guy|guys|girl|girls|boy|boys|kid|kids|child|children|teen|teens"
    r"|teenager|teenagers|person|lady|ladies|gentleman|male|female|mother|father|mom|dad|son"
    r"|daughter|brother|sister|grandmother|grandfather|grandma|grandpa|wife|husband|partner"
    r"|student|veteran|vet|officer|cop|neighbor|neighbour|resident|individual|youth|senior"
    r"|elder|couple|family|hombre|mujer|chico|chica|niño|niña|joven|señor|señora)"
)
_DESCRIPTOR = (
    r"(?:black|white|african[- ]american|hispanic|latino|latina|latinx|asian|asian[- ]american"
    r"|native american|indigenous|arab|middle[- ]eastern|pacific islander|biracial|mixed[- ]race"
    r"|muslim|jewish|christian|catholic|sikh|hindu|buddhist|mormon|gay|lesbian|bisexual|trans"
    r"|transgender|queer|nonbinary|non-binary|deaf|blind|disabled|autistic|undocumented"
    r"|immigrant|refugee|homeless|pregnant|wheelchair[- ]bound|negro|negra|moreno|morena|güero"
    r"|güera|indígena|inmigrante|indocumentado|indocumentada|sordo|sorda|ciego|ciega)"
)
_DEMOGRAPHIC = re.compile(
    rf"\b(?P<d1>{_DESCRIPTOR}(?:[ \t,]+(?:and[ \t]+)?{_DESCRIPTOR})*)(?=[ \t]+{_PEOPLE_NOUN}\b)"
    rf"|\b(?:i[ \t]*am|i'm|im|as[ \t]+an?|soy|como)[ \t]+(?:an?[ \t]+|un[ \t]+|una[ \t]+)?"
    rf"(?P<d2>{_DESCRIPTOR}(?:[ \t,]+(?:and[ \t]+)?{_DESCRIPTOR})*)\b"
    rf"|\b(?:diagnosed[ \t]+with|suffers?[ \t]+from|suffering[ \t]+from)[ \t]+"
    rf"(?P<d3>[\w' -]{{3,40}}?)"
    rf"(?=[.,;\n]|$)",
    re.IGNORECASE,
)


# A nationality said of a person ("a Swedish national", "of Kurdish origin", "a United Kingdom
# citizen", "nationality: Mexican"); nationality adjectives alone ("Swedish courts") stay.
_NATIONALITY = re.compile(
    r"(?<![\w'’-])(?P<n1>[A-ZÀ-ÖØ-Þ][\w'’-]+(?:[ \t]+[A-ZÀ-ÖØ-Þ][\w'’-]+){0,2})[ \t]+"
    r"(?=(?:national|nationals|citizen|citizens|passport[ \t]+holder|origin|descent|extraction"
    r"|nacional|ciudadano|ciudadana|de[ \t]+origen)\b)"
    r"|\b(?:nationality|citizenship|nacionalidad)[ \t]*(?::|is|was|es)[ \t]*"
    r"(?P<n2>[A-ZÀ-ÖØ-Þ][\w'’-]+(?:[ \t]+[A-ZÀ-ÖØ-Þ][\w'’-]+)?)"
)
# Occupations said of a person: "worked as a school bus driver", "she is a nurse", "the
# applicant, a primary school teacher". A role alone ("the police chief") stays readable.
_OCCUPATION_NOUN = (
    r"(?:teacher|nurse|doctor|physician|surgeon|dentist|pharmacist|lawyer|attorney|solicitor"
    r"|barrister|accountant|engineer|architect|mechanic|electrician|plumber|carpenter|builder"
    r"|labou?rer|farmer|fisherman|driver|cashier|clerk|secretary|journalist|reporter|editor"
    r"|photographer|musician|actor|actress|singer|dancer|chef|cook|waiter|waitress|bartender"
    r"|baker|butcher|cleaner|janitor|caretaker|guard|soldier|sailor|pilot|firefighter"
    r"|paramedic|social[ \t]+worker|student|professor|lecturer|researcher|scientist"
    r"|programmer|consultant|salesman|saleswoman|shopkeeper|merchant|trader|businessman"
    r"|businesswoman|entrepreneur|contractor|miner|technician|civil[ \t]+servant|pastor|priest"
    r"|imam|rabbi|nun|monk|coach|therapist|counsell?or|psychologist|psychiatrist|midwife"
    r"|babysitter|nanny|housekeeper|housewife|homemaker|corporal|sergeant|constable"
    r"|anchorman|presenter|broadcaster|translator|interpreter|tailor|hairdresser|barber"
    r"|librarian|postman|mail[ \t]+carrier|courier|doorman|bouncer|maid|banker|broker"
    r"|economist|receptionist|apprentice|maestr[oa]|enfermer[oa]|m[ée]dic[oa]|abogad[oa]"
    r"|chofer|conductor|mec[áa]nico|albañil|cociner[oa]|mesero|mesera|estudiante)"
)
_OCCUPATION = re.compile(
    r"\b(?:works?|worked|working|employed|hired|trained|served|serving|job|career|retired"
    r"|trabaja|trabajaba|trabajo)[ \t]+(?:as|como)[ \t]+(?:an?[ \t]+|una?[ \t]+)?"
    rf"(?P<o1>(?:[\w-]+[ \t]+){{0,3}}?{_OCCUPATION_NOUN})\b"
    r"|\b(?:i[ \t]*am|i'm|he[ \t]+is|she[ \t]+is|he[ \t]+was|she[ \t]+was|i[ \t]+was"
    r"|he's|she's|soy|es|era)[ \t]+(?:an?|una?)[ \t]+"
    rf"(?P<o2>(?:[\w-]+[ \t]+){{0,3}}?{_OCCUPATION_NOUN})\b"
    rf"|,[ \t]+an?[ \t]+(?P<o3>(?:[\w-]+[ \t]+){{0,3}}?{_OCCUPATION_NOUN})\b",
    re.IGNORECASE,
)
_OCC_LEAD_STOP = frozenset(
    ["the", "a", "an", "and", "or", "of", "in", "at", "to", "who", "which", "that", "with"]
)


def _strip_generic_lead(text: str, start: int, end: int) -> int:
    """Move the start past leading generic words ("The", "In", "Last")."""
    while True:
        match = re.match(r"([\w'’]+)[ \t]+", text[start:end])
        if not match:
            return start
        word = match.group(1).lower()
        if word in ("the", "a", "an", "at", "in", "on", "to", "from", "near", "by", "el", "la"):
            start += match.end()
            continue
        return start


class QuasiIdentifierDetector(Detector):
    """Schools, employers and businesses, landmarks, and demographic descriptors of a person."""

    name = "quasi"
    wants_restored_case = True

    def __init__(self, demographics: bool = True, places: bool = True) -> None:
        self.demographics = demographics
        self.places = places

    def detect(self, text: str) -> list[Span]:
        """Quasi-identifier spans; all are QUASI level."""
        spans: list[Span] = []
        for match in _SCHOOL.finditer(text):
            start = _strip_generic_lead(text, *match.span())
            spans.append(make_span(start, match.end(), SCHOOL, 0.85, self.name, "school name"))
        for match in _ORG_SUFFIX.finditer(text):
            start = _strip_generic_lead(text, *match.span())
            spans.append(
                make_span(start, match.end(), ORGANIZATION, 0.8, self.name, "business name")
            )
        listed = _listed_businesses(text)
        for start, end in listed:
            spans.append(make_span(start, end, ORGANIZATION, 0.85, self.name, LISTED_BUSINESS))
        for match in _BUSINESS_CUE.finditer(text):
            group = "b" if match.group("b") else "b_es"
            start, end = match.span(group)
            value = text[start:end]
            words = value.split()
            if any(
                w.strip(".").lower() in GENERIC_CAPITALIZED
                or w.lower() in _STORE_KIND
                or not _NAME_WORD.fullmatch(w)
                for w in words
            ):
                continue
            if is_public_place(value) or is_demonym(words[0]) or is_demonym(value):
                continue
            spans.append(make_span(start, end, ORGANIZATION, 0.75, self.name, "named business"))
        for match in _EMPLOYER.finditer(text):
            group = "org" if match.group("org") else "org_es"
            start, end = match.span(group)
            # "trabaja en el Walmart de Scottsville Road": the business, not the street.
            end = next((b for a, b in listed if a == start and b < end), end)
            value = text[start:end]
            if all(w.lower() in GENERIC_CAPITALIZED for w in value.split()):
                continue
            if is_public_place(value):
                continue
            spans.append(make_span(start, end, ORGANIZATION, 0.8, self.name, "employer"))
        if self.places:
            for match in _LANDMARK.finditer(text):
                start = _strip_generic_lead(text, *match.span())
                words = text[start : match.end()].split()
                if all(w.lower() in GENERIC_CAPITALIZED for w in words[:-1]):
                    continue
                spans.append(
                    make_span(start, match.end(), LOCATION, 0.75, self.name, "named place")
                )
        if self.demographics:
            for match in _NATIONALITY.finditer(text):
                group = "n1" if match.group("n1") else "n2"
                start, end = match.span(group)
                words = text[start:end].split()
                # Keep the longest tail that is a nationality or a country ("a British").
                for i in range(len(words)):
                    tail = " ".join(words[i:])
                    if is_demonym(tail):
                        start = end - len(tail)
                        break
                else:
                    continue
                spans.append(
                    make_span(start, end, DEMOGRAPHIC, 0.75, self.name, "a person's nationality")
                )
            for match in _OCCUPATION.finditer(text):
                group = next(g for g in ("o1", "o2", "o3") if match.group(g))
                start, end = match.span(group)
                words = text[start:end].split()
                # The phrase must not run over a clause ("who", "and"): keep what follows it.
                while len(words) > 1 and any(w.lower() in _OCC_LEAD_STOP for w in words[:-1]):
                    start += len(words[0]) + 1
                    words = words[1:]
                spans.append(make_span(start, end, DEMOGRAPHIC, 0.7, self.name, "occupation"))
            for match in _DEMOGRAPHIC.finditer(text):
                group = next(g for g in ("d1", "d2", "d3") if match.group(g))
                start, end = match.span(group)
                spans.append(
                    make_span(
                        start, end, DEMOGRAPHIC, 0.7, self.name, "describes a person's demographics"
                    )
                )
        return spans
