"""Word lists the rule detectors share: names, titles, places that are public, generic words."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

# Honorifics and police/civic ranks that precede a name. The title stays visible in the
# redacted text ("Officer [PERSON 2]"): it tells the reader a role, not who.
HONORIFICS = (
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "judge",
    "justice",
    "pastor",
    "rev",
    "reverend",
    "father",
    "councilman",
    "councilwoman",
    "councilmember",
    "alderman",
    "alderwoman",
    "mayor",
    "senator",
    "rep",
    "commissioner",
    "superintendent",
    "principal",
    "coach",
    "nurse",
    "señor",
    "señora",
    "señorita",
    "sr",
    "sra",
    "srta",
    "doña",
    "dona",
    "don",
    "licenciado",
    "lic",
)
RANKS = (
    "officer",
    "ofc",
    "off",
    "patrolman",
    "patrolwoman",
    "deputy",
    "dep",
    "detective",
    "det",
    "sergeant",
    "sgt",
    "sarge",
    "lieutenant",
    "lt",
    "captain",
    "capt",
    "cpt",
    "commander",
    "cmdr",
    "chief",
    "inspector",
    "insp",
    "corporal",
    "cpl",
    "trooper",
    "tpr",
    "agent",
    "sheriff",
    "marshal",
    "constable",
    "investigator",
    "oficial",
    "agente",
    "sargento",
    "teniente",
    "capitán",
    "capitan",
    "comandante",
    "jefe",
    "detective",
)
TITLES = frozenset(HONORIFICS + RANKS)

# Capitalised words that are not names on their own: months, days, pronouns, and the
# vocabulary of institutions, law and policing. Used to decide where the NER model must look.
GENERIC_CAPITALIZED = frozenset(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo", "i", "i'm", "i've", "i'd", "i'll", "im", "he", "she", "they", "we", "you", "it", "his", "her", "their", "our", "my", "your", "its", "this", "that", "these", "those", "there", "here", "the", "a", "an", "in", "on", "at", "for", "of", "and", "or", "but", "if", "when", "while", "after", "before", "as", "by", "with", "from", "to", "into", "not", "no", "yes", "so", "then", "also", "however", "although", "because", "since", "until", "during", "article", "articles", "court", "courts", "convention", "government", "commission", "chamber", "grand", "protocol", "rule", "rules", "section", "sections", "paragraph", "code", "act", "acts", "law", "laws", "constitution", "constitutional", "republic", "president", "vice", "registrar", "deputy", "judge", "judges", "justice", "ministry", "minister", "department", "office", "council", "parliament", "assembly", "state", "states", "federal", "national", "supreme", "appeal", "appeals", "criminal", "civil", "administrative", "public", "prosecutor", "prosecutors", "prosecution", "general", "police", "officer", "officers", "agent", "applicant", "applicants", "european", "human", "rights", "fundamental", "freedoms", "regional", "district", "city", "municipal", "county", "high", "higher", "cassation", "procedure", "penal", "committee", "union", "international", "treaty", "charter", "decree", "regulation", "regulations", "order", "division", "chief", "sergeant", "lieutenant", "captain", "detective", "commander", "mr", "mrs", "ms", "dr", "sir", "madam", "community", "communities", "mayor", "city's", "police's", "department's", "court's", "government's", "neighborhood", "neighbourhood", "station", "precinct", "ward", "beat", "sector", "unit", "squad", "team", "task", "force", "internal", "affairs", "review", "board", "inspector", "general", "safety", "security", "peace", "project", "initiative", "program", "programme", "session", "sessions", "listening", "statement", "statements", "report", "reports", "promise", "pledge", "training", "survey", "foreign", "commonwealth", "interior", "finance", "education", "health", "defence", "defense", "affairs", "revenue", "income", "benefits", "benefit", "social", "military", "martial", "tribunal", "magistrates", "magistrates'", "compensation", "joint", "chambers", "commercial", "labour", "labor", "employment", "immigration", "asylum", "customs", "tax", "treasury", "home", "registry", "directorate", "fund", "agency", "inspectorate", "ombudsman", "cabinet", "senate", "congress", "house", "lords", "commons", "secretary", "ministers", "prime", "attorney", "solicitor", "counsel", "barrister", "bar", "association", "directive", "directives", "facts", "circumstances", "relevant", "domestic", "alleged", "violation", "application", "just", "satisfaction"]
)

# Words that are common names but far more often ordinary English words; a lowercase hit on
# these is never taken as a name without other evidence.
AMBIGUOUS_NAME_WORDS = frozenset(
    ["will", "may", "june", "april", "august", "mark", "bill", "grant", "rose", "hope", "joy", "faith", "summer", "autumn", "dawn", "crystal", "amber", "ruby", "pearl", "ivy", "iris", "daisy", "violet", "holly", "penny", "candy", "sandy", "angel", "jewel", "gay", "young", "long", "white", "black", "brown", "green", "gray", "grey", "king", "hill", "hall", "wood", "woods", "price", "rice", "bell", "cook", "ward", "reed", "west", "east", "north", "south", "hunt", "fox", "ray", "lane", "stone", "mills", "hart", "frank", "art", "chase", "chance", "guy", "don", "rich", "sharp", "love", "major", "cash", "bush", "best", "bond", "golden", "moody", "early", "little", "small", "short", "strong", "rush", "sky", "storm", "star", "sunny", "page", "hunter", "porter", "baker", "carter", "miller", "mason", "taylor", "turner", "tucker", "walker", "weaver", "fisher", "gardner", "butler", "cooper", "parker", "cole", "page", "glass", "case", "hope", "joy", "lee", "long", "park", "pat", "sue", "jack", "bob", "rob", "pete", "chuck", "dick", "rod", "nick", "sam", "bud", "buck", "rusty", "clay", "dale", "glen", "carol", "lily", "sage", "bay", "berry", "lake", "ford", "banks", "field", "fields", "may", "bishop", "dean", "pope", "judge", "sargent", "deputy", "officer", "chief", "major", "law", "house", "street", "bridges", "brooks", "church", "cross", "day", "english", "french", "german", "irish", "holiday", "hurt", "justice", "key", "knight", "lord", "marshall", "moon", "moore", "morning", "noble", "olive", "page", "pool", "rivers", "rock", "rose", "sell", "service", "shepherd", "snow", "spring", "stamp", "summers", "swan", "tower", "trip", "wall", "wells", "will", "winter", "wise", "worth", "young", "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "had", "her", "was", "one", "our", "out", "day", "get", "has", "him", "his", "how", "man", "new", "now", "old", "see", "two", "way", "who", "boy", "did", "its", "let", "put", "say", "she", "too", "use"]
)

# Head words of named places and institutions: "Lincoln Park", "Jefferson High School".
PLACE_HEAD_WORDS = frozenset(
    """
school schools academy college university institute park playground street st avenue ave
road rd boulevard blvd lane drive way place square plaza mall center centre hospital clinic
church mosque temple synagogue station library company inc llc corp corporation bank court
courts bridge tower hall building district county city town village heights gardens homes
apartments projects market store restaurant cafe bar hotel airport prison jail high middle
elementary street's park's foundation association club team
""".split()
)

US_STATES = frozenset(
    ["alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut", "delaware", "florida", "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas", "kentucky", "louisiana", "maine", "maryland", "massachusetts", "michigan", "minnesota", "mississippi", "missouri", "montana", "nebraska", "nevada", "ohio", "oklahoma", "oregon", "pennsylvania", "tennessee", "texas", "utah", "vermont", "virginia", "washington", "wisconsin", "wyoming"]
) | frozenset(
    [
        "new hampshire",
        "new jersey",
        "new mexico",
        "new york",
        "north carolina",
        "north dakota",
        "rhode island",
        "south carolina",
        "south dakota",
        "west virginia",
        "district of columbia",
        "puerto rico",
    ]
)

US_STATE_ABBREVIATIONS = frozenset(
    ["AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC", "PR", "GU", "VI", "AS", "MP", "AA", "AE", "AP"]
)

# Nationality adjectives name populations of millions: never identifying alone.
DEMONYMS = frozenset(
    ["american", "americans", "african", "africans", "asian", "asians", "european", "europeans", "british", "english", "scottish", "welsh", "irish", "french", "german", "germans", "italian", "italians", "spanish", "portuguese", "dutch", "belgian", "swiss", "austrian", "swedish", "norwegian", "danish", "finnish", "icelandic", "polish", "czech", "slovak", "hungarian", "romanian", "bulgarian", "greek", "greeks", "turkish", "turks", "cypriot", "russian", "russians", "ukrainian", "ukrainians", "belarusian", "georgian", "armenian", "azerbaijani", "moldovan", "lithuanian", "latvian", "estonian", "croatian", "serbian", "serbs", "bosnian", "slovenian", "macedonian", "albanian", "maltese", "luxembourgish", "canadian", "canadians", "mexican", "mexicans", "cuban", "cubans", "puerto", "rican", "dominican", "salvadoran", "guatemalan", "honduran", "nicaraguan", "colombian", "venezuelan", "peruvian", "chilean", "argentine", "argentinian", "brazilian", "chinese", "japanese", "korean", "vietnamese", "filipino", "indian", "pakistani", "afghan", "iranian", "iraqi", "syrian", "lebanese", "israeli", "jordanian", "egyptian", "moroccan", "algerian", "tunisian", "libyan", "nigerian", "kenyan", "ethiopian", "somali", "ghanaian", "haitian", "jamaican", "australian"]
)

REGIONS = frozenset(
    ["europe", "africa", "asia", "america", "americas", "oceania", "antarctica", "eu", "usa", "us", "u.s.", "u.s.a.", "uk", "u.k.", "britain", "england", "scotland", "wales", "latin", "caribbean"]
)

# First-name nicknames mapped to one canonical form, so "Bob" and "Robert" share a number.
NICKNAMES: dict[str, str] = {
    "bob": "robert",
    "bobby": "robert",
    "rob": "robert",
    "robbie": "robert",
    "bill": "william",
    "billy": "william",
    "will": "william",
    "willie": "william",
    "liam": "william",
    "mike": "michael",
    "mikey": "michael",
    "mick": "michael",
    "jim": "james",
    "jimmy": "james",
    "jamie": "james",
    "joe": "joseph",
    "joey": "joseph",
    "tom": "thomas",
    "tommy": "thomas",
    "dave": "david",
    "davey": "david",
    "dan": "daniel",
    "danny": "daniel",
    "chris": "christopher",
    "matt": "matthew",
    "tony": "anthony",
    "rick": "richard",
    "rich": "richard",
    "dick": "richard",
    "ricky": "richard",
    "steve": "steven",
    "stephen": "steven",
    "ed": "edward",
    "eddie": "edward",
    "ted": "edward",
    "al": "albert",
    "alex": "alexander",
    "andy": "andrew",
    "drew": "andrew",
    "ben": "benjamin",
    "charlie": "charles",
    "chuck": "charles",
    "ken": "kenneth",
    "kenny": "kenneth",
    "larry": "lawrence",
    "jerry": "gerald",
    "greg": "gregory",
    "pat": "patrick",
    "pete": "peter",
    "sam": "samuel",
    "tim": "timothy",
    "nick": "nicholas",
    "jeff": "jeffrey",
    "jon": "jonathan",
    "johnny": "john",
    "jack": "john",
    "fred": "frederick",
    "frank": "francis",
    "ron": "ronald",
    "ronnie": "ronald",
    "don": "donald",
    "donnie": "donald",
    "ray": "raymond",
    "vince": "vincent",
    "liz": "elizabeth",
    "beth": "elizabeth",
    "betty": "elizabeth",
    "lizzie": "elizabeth",
    "kate": "katherine",
    "katie": "katherine",
    "kathy": "katherine",
    "cathy": "catherine",
    "jen": "jennifer",
    "jenny": "jennifer",
    "sue": "susan",
    "susie": "susan",
    "peggy": "margaret",
    "maggie": "margaret",
    "meg": "margaret",
    "patty": "patricia",
    "trish": "patricia",
    "debbie": "deborah",
    "deb": "deborah",
    "becky": "rebecca",
    "vicky": "victoria",
    "mandy": "amanda",
    "abby": "abigail",
    "sandy": "sandra",
    "terri": "teresa",
    "pepe": "josé",
    "paco": "francisco",
    "pancho": "francisco",
    "lupe": "guadalupe",
    "nacho": "ignacio",
    "chuy": "jesús",
    "memo": "guillermo",
    "beto": "alberto",
    "lalo": "eduardo",
    "toño": "antonio",
    "rafa": "rafael",
    "quique": "enrique",
    "chayo": "rosario",
    "lola": "dolores",
    "conchita": "concepción",
    "pili": "pilar",
}

STOP_WORDS_EN_ES = frozenset(
    ["a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "with", "would", "you", "your", "yours", "yourself", "also", "was", "were", "said", "told", "asked", "got", "went", "came", "again", "always", "never", "ever", "every", "really", "still", "yet", "even", "back", "well", "just", "like", "saw", "seen", "know", "knew", "think", "thought", "want", "wanted", "need", "needed", "said", "says", "say", "tell", "tells", "told", "asked", "ask", "el", "la", "los", "las", "un", "una", "unos", "unas", "y", "o", "pero", "de", "del", "al", "en", "con", "por", "para", "sin", "sobre", "entre", "que", "quien", "como", "cuando", "donde", "es", "son", "fue", "era", "está", "están", "estaba", "muy", "más", "menos", "mi", "mis", "tu", "tus", "su", "sus", "me", "te", "se", "le", "les", "lo", "nos", "yo", "él", "ella", "ellos", "ellas", "usted", "ustedes", "nosotros", "este", "esta", "estos", "estas", "ese", "esa"]
)

_DATA = resources.files("peacekit.analysis.anonymize") / "data"


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Lowercase US Census 1990 first names (see data/README.md for provenance)."""
    return frozenset((_DATA / "first_names.txt").read_text(encoding="utf-8").split())


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    """Lowercase most frequent 20,000 US Census 1990 surnames."""
    return frozenset((_DATA / "surnames.txt").read_text(encoding="utf-8").split())


@lru_cache(maxsize=1)
def country_names() -> frozenset[str]:
    """Lowercase country names in English and Spanish (from phonenumbers' locale data)."""
    names = set((_DATA / "countries.txt").read_text(encoding="utf-8").splitlines())
    names |= {"america", "united states of america", "the united states", "holland", "russia"}
    names |= {"great britain", "united kingdom of great britain", "northern ireland"}
    return frozenset(n for n in names if n)


@lru_cache(maxsize=1)
def public_places() -> frozenset[str]:
    """Places so large that naming one never narrows down a person: countries, states."""
    return country_names() | US_STATES | REGIONS


def is_public_place(surface: str) -> bool:
    """Whether a place name is a country, a US state or a continent."""
    key = re.sub(r"^(the|el|la|los|las)\s+", "", surface.strip().lower())
    key = re.sub(r"^(republic|kingdom|state|commonwealth|federation|república|reino)\s+of\s+", "", key)
    key = re.sub(r"\s+", " ", key).strip(" .,;:'’")
    return key in public_places()


def is_demonym(surface: str) -> bool:
    """Whether a word is a nationality adjective ("Turkish", "Mexican")."""
    return surface.strip().lower() in DEMONYMS or surface.strip().lower() in public_places()


def canonical_first_name(token: str) -> str:
    """A first name in its canonical form ("bob" -> "robert")."""
    low = token.lower()
    return NICKNAMES.get(low, low)
