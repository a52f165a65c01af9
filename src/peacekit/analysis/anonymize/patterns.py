"""Rule detectors for identifiers with a recognisable shape: contacts, numbers, codes, dates."""

from __future__ import annotations

import re

from .base import Detector
from .types import (
    AGE,
    CARD_NUMBER,
    CASE_NUMBER,
    DATE,
    DATE_OF_BIRTH,
    EMAIL,
    HANDLE,
    ID_NUMBER,
    IP_ADDRESS,
    PHONE,
    PLATE,
    QUANTITY,
    SSN,
    URL,
    Level,
    Span,
    make_span,
)

_TRAILING_PUNCT = ".,;:!?)]}'\"’”"


def _rstrip_punct(text: str, start: int, end: int) -> int:
    """End offset with trailing sentence punctuation removed."""
    while end > start and text[end - 1] in _TRAILING_PUNCT:
        if text[end - 1] == ")" and text.count("(", start, end) == text.count(")", start, end):
            break  # a closing bracket of the value itself ("205,000 liras (TRY)")
        end -= 1
    return end


class RegexDetector(Detector):
    """Base for detectors driven by one compiled pattern; group 'id' marks the span if present."""

    name = "regex"
    entity_type = "ID NUMBER"
    score = 0.8
    reason = "matches a pattern"
    pattern: re.Pattern[str] = re.compile(r"(?!x)x")

    def detect(self, text: str) -> list[Span]:
        """Spans for every match that accept() keeps."""
        spans = []
        for match in self.pattern.finditer(text):
            group = "id" if "id" in self.pattern.groupindex and match.group("id") else 0
            start, end = match.span(group)
            end = _rstrip_punct(text, start, end)
            if end > start and self.accept(text, match, start, end):
                spans.append(
                    make_span(start, end, self.entity_type, self.score, self.name, self.reason)
                )
        return spans

    def accept(self, text: str, match: re.Match[str], start: int, end: int) -> bool:
        """Hook for validation beyond the pattern (checksums, ranges)."""
        return True


class EmailDetector(RegexDetector):
    """Email addresses."""

    name = "email"
    entity_type = EMAIL
    score = 0.99
    reason = "email address"
    pattern = re.compile(r"(?<![\w.+-])[\w.+'-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,24}\b")


_TLDS = (
    "com|org|net|edu|gov|mil|int|io|co|us|info|biz|me|ly|app|dev|tv|de|uk|es|mx|fr|it|nl|ru|br"
    "|ca|au|at|ch|be|se|no|dk|fi|pl|cz|hu|gr|pt|ie|in|jp|cn|tr|ar|cl|pe|ve|eu|xyz|online|site"
)


class UrlDetector(RegexDetector):
    """Web addresses, with or without a scheme."""

    name = "url"
    entity_type = URL
    score = 0.95
    reason = "web address"
    pattern = re.compile(
        r"(?<![@\w.-])(?:(?:https?|ftp)://[^\s<>\"']+|www\.[^\s<>\"']+"
        rf"|(?:[A-Za-z0-9-]+\.)+(?:{_TLDS})(?:/[^\s<>\"']*)?(?![\w@-]))",
        re.IGNORECASE,
    )

    def accept(self, text: str, match: re.Match[str], start: int, end: int) -> bool:
        """Reject sentence-final words glued to a TLD-like abbreviation ("e.g.", "No.")."""
        value = text[start:end]
        return "." in value.strip(".") and not re.fullmatch(r"[A-Za-z]\.[A-Za-z]", value)


class HandleDetector(RegexDetector):
    """Social media handles (@name) and usernames introduced as such."""

    name = "handle"
    entity_type = HANDLE
    score = 0.9
    reason = "social media handle"
    pattern = re.compile(
        r"(?<![\w@.])@[A-Za-z_][A-Za-z0-9_.]{1,29}[A-Za-z0-9_]"
        r"|(?:(?:instagram|insta|ig|twitter|tiktok|snapchat|snap|facebook|fb|username|user name"
        r"|handle|gamertag|usuario)\s*(?:is|es|:|-)\s*)(?P<id>@?[A-Za-z0-9_.]{3,30})\b",
        re.IGNORECASE,
    )


class SsnDetector(RegexDetector):
    """US Social Security numbers, valid area/group/serial only."""

    name = "ssn"
    entity_type = SSN
    score = 0.95
    reason = "social security number"
    pattern = re.compile(
        r"\b(?P<id>\d{3}([- ])\d{2}\2\d{4})\b"
        r"|(?:ssn|social security(?: number| no\.?| #)?|seguro social)\s*[:#]?\s*(?P<bare>\d{9})\b",
        re.IGNORECASE,
    )

    def detect(self, text: str) -> list[Span]:
        """Valid SSNs with separators, or nine digits after an SSN keyword."""
        spans = []
        for match in self.pattern.finditer(text):
            group = "id" if match.group("id") else "bare"
            digits = re.sub(r"\D", "", match.group(group))
            area, grp, serial = digits[:3], digits[3:5], digits[5:]
            if area in ("000", "666") or area[0] == "9" or grp == "00" or serial == "0000":
                continue
            start, end = match.span(group)
            spans.append(make_span(start, end, SSN, self.score, self.name, self.reason))
        return spans


def _luhn_ok(digits: str) -> bool:
    """Luhn checksum of a card number."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


class CardNumberDetector(RegexDetector):
    """Payment card numbers (13-19 digits passing the Luhn check)."""

    name = "card"
    entity_type = CARD_NUMBER
    score = 0.9
    reason = "card number (Luhn-valid)"
    pattern = re.compile(r"(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])")

    def accept(self, text: str, match: re.Match[str], start: int, end: int) -> bool:
        """Only Luhn-valid digit strings."""
        return _luhn_ok(re.sub(r"\D", "", match.group(0)))


class IpAddressDetector(RegexDetector):
    """IPv4 addresses."""

    name = "ip"
    entity_type = IP_ADDRESS
    score = 0.9
    reason = "IP address"
    pattern = re.compile(
        r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\w.])"
    )


_PHONE_CONTEXT = re.compile(
    r"(phone|tel\b|tel\.|telephone|cell|mobile|call|text|fax|number|contact|reach|whatsapp"
    r"|answer|desk|office|dial|ring|messages?|sms|texts|signal|telegram|viber"
    r"|teléfono|telefono|celular|móvil|movil|llam|número|numero)",
    re.IGNORECASE,
)
_PHONE_CANDIDATE = re.compile(
    # A comma before is fine unless it is a thousands separator ("1,234,567").
    r"(?<![\w+/.-])(?<!\d,)"
    r"(?:(?:\+|00)\d{1,3}[ \t.-]?)?"
    r"(?:\(\d{1,5}\)[ \t.-]?|\(0\)[ \t]?)?"
    r"\d{1,12}(?:[ \t.-]\d{1,8}){0,5}"
    r"(?:\s?(?:x|ext\.?|ext)\s?\d{1,5})?"
    r"(?![\w/]|[.,]\d)"
)
_PHONE_LABEL_AFTER = re.compile(
    r"[ \t]*[-(/,]?[ \t]*(?:office|fax|mobile|cell|home|work|phone|tel|desk|landline|whatsapp"
    r"|celular|casa|trabajo)\b",
    re.IGNORECASE,
)
_DATE_LIKE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")
_THOUSANDS = re.compile(r"\d{1,3}(?: \d{3})+")


class PhoneDetector(Detector):
    """Phone numbers: validated by phonenumbers, or phone-shaped digit groups near a cue."""

    name = "phone"
    wants_restored_case = False

    def __init__(self, default_region: str = "US", min_digits: int = 7) -> None:
        self.default_region = default_region
        self.min_digits = min_digits

    def detect(self, text: str) -> list[Span]:
        """Spans of phone numbers; candidates are pre-filtered by a cheap pattern."""
        import phonenumbers

        spans = []
        for match in _PHONE_CANDIDATE.finditer(text):
            raw = match.group(0).rstrip(" .-")
            start = match.start()
            end = start + len(raw)
            digits = re.sub(r"\D", "", raw)
            if not self.min_digits <= len(digits) <= 15:
                continue
            # A label before ("Mobile: …") or right after ("… -Fax", "… (cell)") is a cue.
            cue = bool(
                _PHONE_CONTEXT.search(text[max(0, start - 40) : start])
                or _PHONE_LABEL_AFTER.match(text, end)
            )
            if _DATE_LIKE.fullmatch(raw) or (
                _THOUSANDS.fullmatch(raw) and not raw.startswith(("+", "00", "(")) and not cue
            ):
                continue
            after = text[end : end + 12].lower()
            if re.match(r"\s*(euros?|eur|usd|dollars|%|per cent|km|kg|metres|meters)\b", after):
                continue
            valid = False
            try:
                parsed = phonenumbers.parse(
                    raw, None if raw.startswith("+") else self.default_region
                )
                valid = phonenumbers.is_valid_number(parsed)
            except phonenumbers.NumberParseException:
                valid = False
            grouped = bool(re.search(r"[\s.()-]", raw)) or raw.startswith(("+", "00"))
            if valid:
                score, reason = 0.95, "valid phone number"
            elif cue and len(digits) >= self.min_digits:
                score, reason = 0.85, "phone-shaped number after a phone cue"
            elif grouped and len(re.findall(r"\d+", raw)) >= 2 and len(digits) >= 7:
                score, reason = 0.6, "phone-shaped digit groups"
            else:
                continue
            spans.append(make_span(start, end, PHONE, score, self.name, reason))
        return spans


_ID_VALUE = r"(?P<id>[A-Z]{0,4}[-‐]?\d[\dA-Z-]{0,14}\b)"
_NUMBER_WORD = r"(?:\s*(?:number|numbers|num\.?|no\.?|nos\.?|nr\.?|n[º°o]\.?|#|:)\s*)"


class IdNumberDetector(RegexDetector):
    """Badge, star, unit, employee, passport and licence numbers named as such."""

    name = "id_number"
    entity_type = ID_NUMBER
    score = 0.9
    reason = "badge/unit/employee or ID number"
    pattern = re.compile(
        r"\b(?:badge|shield|star|employee|payroll|personnel|officer|unit|squad|car|beat|radio"
        r"|id|i\.d\.|identification|passport|driver'?s?\s+licen[cs]e|licen[cs]e|dl|member"
        r"|student|inmate|prisoner|placa|credencial|identificación|pasaporte|matrícula)"
        rf"(?:\s+(?:id|number|no\.?))?{_NUMBER_WORD}?(?:\s*(?:is|was|es|era|:))?\s*{_ID_VALUE}",
        re.IGNORECASE,
    )

    def accept(self, text: str, match: re.Match[str], start: int, end: int) -> bool:
        """Require at least two digits, so "unit 1 of" or "car 2" years apart are rare."""
        value = text[start:end]
        return sum(c.isdigit() for c in value) >= 2


class CaseNumberDetector(Detector):
    """Case, report, incident, complaint and court application numbers ("no. 12345/03")."""

    name = "case_number"

    keyword = re.compile(
        r"\b(?:case|cases|report|incident|complaint|file|docket|record|reference|ref|log|rd"
        r"|cb|cr|ir|crn|claim|ticket|citation|warrant|arrest|booking|application|applications"
        r"|petition|judgment|decision|expediente|denuncia|caso|informe|queja|folio)"
        + _NUMBER_WORD
        + r"\s*(?P<id>[A-Z]{0,4}[-‐]?\d[\w/.-]{1,20}\d|[A-Z]{0,4}\d)",
        re.IGNORECASE,
    )
    numbered = re.compile(
        r"\b(?:no|nos|nr|n[º°o])\.?\s*(?P<id>\d{1,7}/\d{2,4}(?:/\d{1,4})?)", re.IGNORECASE
    )
    slash = re.compile(r"(?<![\w/.-])(?P<id>\d{3,7}/(?:\d{2}|\d{4}))(?![\w/.-]|\.\d)")
    dashed = re.compile(
        r"(?<![\w/-])(?P<id>(?:[A-Z]{1,4}-?)?(?:19|20)\d{2}-\d{3,8}|[A-Z]{1,4}-\d{4,10})(?![\w/-])"
    )
    listed = re.compile(
        r"^(?:\s*(?:,|and|&|y)\s*(?:no\.?\s*)?)(?P<id>\d{1,7}/\d{2,4})", re.IGNORECASE
    )

    def detect(self, text: str) -> list[Span]:
        """Numbers after a case keyword, ECHR-style application numbers and year-serials."""
        spans: list[Span] = []
        for pattern, score, reason in (
            (self.keyword, 0.9, "case/report/incident number"),
            (self.numbered, 0.95, "application or file number"),
            (self.slash, 0.75, "file-number shape (digits/year)"),
            (self.dashed, 0.7, "year-serial or prefixed case number"),
        ):
            for match in pattern.finditer(text):
                start, end = match.span("id")
                end = _rstrip_punct(text, start, end)
                value = text[start:end]
                if not any(c.isdigit() for c in value):
                    continue
                if pattern is self.slash and self._looks_like_years(value):
                    continue
                spans.append(make_span(start, end, CASE_NUMBER, score, self.name, reason))
                # "nos. 123/98, 456/99 and 789/00": the listed numbers share the keyword.
                pos = end
                while True:
                    more = self.listed.match(text, pos)
                    if not more:
                        break
                    spans.append(make_span(*more.span("id"), CASE_NUMBER, score, self.name, reason))
                    pos = more.end("id")
        return spans

    @staticmethod
    def _looks_like_years(value: str) -> bool:
        """ "2003/04" and "1999/2000" are periods, not file numbers."""
        left, right = value.split("/", 1)
        if len(left) == 4 and left[:2] in ("19", "20"):
            following = (int(left) + 1) % (100 if len(right) == 2 else 10000)
            return int(right) == following
        return False


class PlateDetector(RegexDetector):
    """Vehicle licence plates after a plate cue, and common US plate shapes."""

    name = "plate"
    entity_type = PLATE
    score = 0.9
    reason = "licence plate"
    pattern = re.compile(
        r"\b(?:licen[cs]e\s+plates?|plates?|plate\s+(?:number|no\.?)|tags?|registration|reg\.?"
        r"|placas?|matrícula|matricula)"
        r"(?:\s+(?:number|no\.?|#|was|is|read|reads|of|es|era|número|numero))*\s*[:#]?\s*"
        r"(?P<id>(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]{1,4}[\s-]?[A-Z0-9]{1,5})\b"
        r"|\b(?P<us>\d[A-Z]{3}\d{3}|[A-Z]{3}[- ]\d{4}|[A-Z]{2}\d[- ]?[A-Z]\d{3})\b",
        re.IGNORECASE,
    )

    def detect(self, text: str) -> list[Span]:
        """Plates after a cue (any case), or upper-case US plate shapes."""
        spans = []
        for match in self.pattern.finditer(text):
            if match.group("id"):
                start, end = match.span("id")
                value = match.group("id")
                if value.upper() != value and not re.search(r"\d", value):
                    continue
                spans.append(make_span(start, end, PLATE, self.score, self.name, self.reason))
            elif match.group("us") and match.group("us").isupper():
                start, end = match.span("us")
                spans.append(make_span(start, end, PLATE, 0.6, self.name, "plate-shaped code"))
        return spans


_MONTHS_EN = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_MONTHS_ES = (
    r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre"
    r"|noviembre|diciembre)"
)
_WEEKDAYS = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|domingo)"
)
_ORD = r"(?:st|nd|rd|th)?"
_YEAR = r"(?:1[6-9]\d{2}|20\d{2})"
_NUM_WORDS = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy"
    r"|eighty|ninety|a few|several|a couple of|dos|tres|cuatro|cinco|seis|siete|ocho|nueve"
    r"|diez|\d{1,3}(?:[.,]\d)?)"
    r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine|and a half))?"
)

_DOB_CUE = re.compile(
    r"(born|birth|dob|d\.o\.b|birthday|nacimiento|naci[óo]|nací|cumpleaños)\W{0,3}(\w+\W+){0,3}$",
    re.IGNORECASE,
)
_LEGAL_YEAR_CUE = re.compile(
    r"\b(Act|Law|Code|Decree|Regulations?|Protocol|Convention|Rules|Ordinance|Statute|Ley)\b"
    r"[^.;\n]{0,25}$"
)


class DateDetector(Detector):
    """Dates, times, years and durations; dates after a birth cue become dates of birth."""

    name = "date"

    def __init__(self, years: bool = True, durations: bool = True, times: bool = True) -> None:
        self.years = years
        self.durations = durations
        self.times = times

    full_date = re.compile(
        rf"(?:{_WEEKDAYS},?\s+(?:the\s+)?)?"
        rf"(?:\b\d{{1,2}}{_ORD}(?:\s+(?:and|&|-|–|to)\s+\d{{1,2}}{_ORD})?\s+(?:of\s+)?{_MONTHS_EN}"
        rf"(?:,?\s+{_YEAR})?"
        rf"|\b{_MONTHS_EN}\s+\d{{1,2}}{_ORD}\b(?:,?\s+{_YEAR})?"
        rf"|\b{_MONTHS_EN},?\s+{_YEAR}"
        rf"|\b\d{{1,2}}\s+de\s+{_MONTHS_ES}(?:\s+(?:de|del)\s+{_YEAR})?"
        rf"|\b{_MONTHS_ES}\s+(?:de|del)\s+{_YEAR}"
        r"|\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b"
        r"|\b\d{4}-\d{2}-\d{2}\b)",
    )
    spanish_months = re.compile(rf"\b\d{{1,2}}\s+de\s+{_MONTHS_ES}", re.IGNORECASE)
    weekday = re.compile(
        rf"\b(?:(?:on|last|next|this|that|el|este|ese)\s+)(?P<id>{_WEEKDAYS}(?:\s+(?:morning|"
        r"afternoon|evening|night|mañana|tarde|noche))?)\b",
        re.IGNORECASE,
    )
    year = re.compile(rf"(?<![\w/.-]){_YEAR}(?:s|’s|'s)?(?![\w/-]|\.\d)")
    time = re.compile(
        r"\b(?:\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?|hrs|h)?|\d{1,2}\s*(?:[ap]\.m\.|[ap]m)"
        r"|(?:at\s+)?(?:midnight|noon))(?![\w:])",
        re.IGNORECASE,
    )
    duration = re.compile(
        rf"\b{_NUM_WORDS}\s+(?:(?:more|full|whole|long|consecutive)\s+)?"
        r"(?:years?|months?|weeks?|days?|hours?|minutes?|decades?|años?|meses|mes|semanas?"
        r"|días?|horas?)\b(?!\s*(?:old|of\s+age|de\s+edad))",
        re.IGNORECASE,
    )
    season = re.compile(
        rf"\b(?:(?:the\s+)?(?:spring|summer|autumn|fall|winter)\s+(?:of\s+)?{_YEAR}"
        rf"|(?:early|mid|late)[- ]{_YEAR}s?)\b",
        re.IGNORECASE,
    )

    def detect(self, text: str) -> list[Span]:
        """Date-like spans with a type (DATE or DATE OF BIRTH) and reason."""
        spans: list[Span] = []
        taken: list[tuple[int, int]] = []

        def add(start: int, end: int, score: float, reason: str, full: bool) -> None:
            cue = _DOB_CUE.search(text[max(0, start - 40) : start])
            if cue and full:
                spans.append(
                    make_span(start, end, DATE_OF_BIRTH, 0.95, self.name, "date after a birth cue")
                )
            else:
                why = "date of birth (partial)" if cue else reason
                spans.append(make_span(start, end, DATE, score, self.name, why))
            taken.append((start, end))

        for match in self.full_date.finditer(text):
            value = match.group(0)
            start, end = match.span()
            # "May" alone is a verb far more often than a month.
            if re.fullmatch(r"May\s+\d{1,2}", value) and not re.search(r"\d{4}", value):
                prev = text[max(0, start - 12) : start].lower()
                if not re.search(r"(on|in|of|since|until|by|from)\s*$", prev):
                    continue
            full = bool(re.search(r"\d{4}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2}", value)) and bool(
                re.search(r"\d{1,2}\D+\d", value)
            )
            add(start, end, 0.9, "calendar date", full)
        for match in self.spanish_months.finditer(text):
            if not any(s <= match.start() < e for s, e in taken):
                add(*match.span(), 0.85, "calendar date", False)
        for match in self.season.finditer(text):
            if not any(s <= match.start() < e for s, e in taken):
                add(*match.span(), 0.75, "season or period", False)
        for match in self.weekday.finditer(text):
            add(*match.span("id"), 0.6, "day of the week", False)
        if self.times:
            for match in self.time.finditer(text):
                start, end = match.span()
                if text[start:end].lower().startswith("at "):
                    start += 3
                add(start, _rstrip_punct(text, start, end), 0.7, "time of day", False)
        if self.years:
            for match in self.year.finditer(text):
                start, end = match.span()
                if any(s <= start < e for s, e in taken):
                    continue
                if _LEGAL_YEAR_CUE.search(text[max(0, start - 40) : start]):
                    continue
                if re.match(
                    r"\s*(?:euros?|dollars?|%|eur|usd|km|kg|people|persons)\b",
                    text[end : end + 10],
                    re.IGNORECASE,
                ):
                    continue
                add(start, end, 0.6, "year", False)
        if self.durations:
            for match in self.duration.finditer(text):
                start, end = match.span()
                if text[start:end].lower().startswith(("a couple of ",)):
                    pass
                spans.append(make_span(start, end, DATE, 0.5, self.name, "duration"))
        return spans


_AGE_WORDS = _NUM_WORDS.replace(r"|\d{1,3}(?:[.,]\d)?", "")


class AgeDetector(RegexDetector):
    """Ages ("a 42-year-old", "aged 42", "in his forties", "tiene 42 años")."""

    name = "age"
    entity_type = AGE
    score = 0.85
    reason = "age"
    pattern = re.compile(
        rf"\b(?:\d{{1,3}}|{_AGE_WORDS})[- ](?:years?|yrs?|months?)[- ]old\b"
        rf"|\b(?:\d{{1,3}}|{_AGE_WORDS})\s+(?:years?|yrs?)\s+(?:of\s+age|old)\b"
        r"|\b(?:aged?|age:|edad:?)\s*(?P<id>\d{1,3})\b"
        rf"|\baged\s+(?P<words>{_AGE_WORDS})\b"
        r"|\b(?:(?:his|her|my|their)\s+age\s+(?:is|was|of))\s+(?P<is>\d{1,3})\b"
        r"|\b\d{1,3}\s*(?:yo|y/o|y\.o\.)(?!\w)"
        r"|\b(?:in\s+(?:his|her|their|my)\s+)(?P<decade>(?:early|mid|late)[- ]?)?"
        r"(?:teens|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties|\d0s)\b"
        r"|\b(?:tiene|tengo|tenía|tenia|de|con|cumplió|cumplio)\s+(?P<es>\d{1,3}\s+años)"
        r"(?:\s+de\s+edad)?",
        re.IGNORECASE,
    )

    def detect(self, text: str) -> list[Span]:
        """Age expressions; the cue words ("aged", "tiene") stay visible."""
        spans = []
        for match in self.pattern.finditer(text):
            group = next((g for g in ("id", "words", "is") if match.group(g)), None)
            if group:
                start, end = match.span(group)
            elif match.group("es"):
                start, end = match.span("es")
            else:
                start, end = match.span()
                lead = re.match(r"in\s+(?:his|her|their|my)\s+", text[start:end], re.IGNORECASE)
                if lead:
                    start += lead.end()
            spans.append(make_span(start, end, AGE, self.score, self.name, self.reason))
        return spans


_CURRENCY_WORDS = (
    r"(?:euros?|eur|dollars?|usd|us\$|pounds?(?:\s+sterling)?|gbp|sek|nok|dkk|chf|try|trl|ytl"
    r"|rub|pln|lira|liras|lire|marks|dem|francs?|frf|pesos?|ats|bgn|hrk|uah|roubles?|rubles?"
    r"|hryvnias?|lei|lev|levs|kunas?|zlotys?|korun[ay]?|czk|forints?|huf|drachmas?|grd|escudos?"
    r"|cents?|ron|mdl|lari|gel|amd|azn|manat|dinars?|denars?|tolars?|sit|kroon|eek|litas|ltl"
    r"|lats|lvl|bucks|kronor|krona|kronur|kroner|krone|crowns?|yen|yuan|rupees?|rand|reais"
    r"|pence|shillings?|guilders?)"
)
# "Turkish liras", "US dollars", "Swedish kronor (SEK)": a nationality before the currency
# and its code in brackets after it belong to the amount.
_CURRENCY_NAMED = (
    rf"(?:(?-i:[A-Z][a-z]+|US|U\.S\.)\s+)?{_CURRENCY_WORDS}(?:\s*\((?-i:[A-Z]{{3}})\))?"
)
_MAGNITUDE = r"(?:\s?(?:million|billion|thousand|hundred|mn|bn|k|m)\b)?"
_NUMBER = r"\d{1,3}(?:[,. ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"


class QuantityDetector(RegexDetector):
    """Money, percentages and measured quantities ("$37.5 million", "375 euros", "50 metres")."""

    name = "quantity"
    entity_type = QUANTITY
    score = 0.7
    reason = "amount or measure"
    pattern = re.compile(
        rf"(?:[$€£¥]\s?(?:{_NUMBER}){_MAGNITUDE}"
        rf"|\b(?:{_CURRENCY_WORDS})\s?(?:{_NUMBER}){_MAGNITUDE}"
        rf"|\b(?:{_NUMBER}){_MAGNITUDE}\s?(?:{_CURRENCY_NAMED})(?![\w])"
        rf"|\b(?:{_NUMBER})\s?(?:%|per\s?cent|percent|por\s+ciento)"
        rf"|\b(?:{_NUMBER})\s?(?:km|kilomet(?:re|er)s?|met(?:re|er)s?|m²|m2|sq\.?\s?m"
        r"|square\s+met(?:re|er)s?|hectares?|ha|kg|kilos?|kilograms?|grams?|g|tons?|tonnes?"
        r"|miles?|feet|ft|inch(?:es)?|cm|mm|lit(?:re|er)s?|acres?|decares?|donums?|dönüms?"
        r"|lbs?|pounds)\b)",
        re.IGNORECASE,
    )

    def accept(self, text: str, match: re.Match[str], start: int, end: int) -> bool:
        """Skip a bare "1 g"-style unit glued to a section sign or article number."""
        return not re.search(r"(§|Article|Art\.)\s*$", text[max(0, start - 12) : start])


def default_pattern_detectors() -> list[Detector]:
    """The pattern detectors on by default, in a stable order."""
    return [
        EmailDetector(),
        UrlDetector(),
        HandleDetector(),
        SsnDetector(),
        CardNumberDetector(),
        IpAddressDetector(),
        PhoneDetector(),
        IdNumberDetector(),
        CaseNumberDetector(),
        PlateDetector(),
        DateDetector(),
        AgeDetector(),
        QuantityDetector(),
    ]


__all__ = [
    "AgeDetector",
    "CardNumberDetector",
    "CaseNumberDetector",
    "DateDetector",
    "EmailDetector",
    "HandleDetector",
    "IdNumberDetector",
    "IpAddressDetector",
    "Level",
    "PhoneDetector",
    "PlateDetector",
    "QuantityDetector",
    "RegexDetector",
    "SsnDetector",
    "UrlDetector",
    "default_pattern_detectors",
]
