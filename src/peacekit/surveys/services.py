"""Survey writes: library install, surveys and waves, responses, margins, imports.

Every service is keyword-only and atomic and records an audit event whose metadata holds ids
and counts only. Open answers pass through `analysis.anonymize` before anything is stored; the
raw text is never kept, logged or audited.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import logging
import math
import secrets
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction

from peacekit.core.models import Organization, User
from peacekit.core.services import audit_record
from peacekit.core.sql import insert_objects
from peacekit.surveys import library
from peacekit.surveys.models import (
    DEMOGRAPHIC_VARIABLES,
    Answer,
    Instrument,
    Question,
    Response,
    Survey,
    TargetMargin,
    TrendDataset,
    TrendPoint,
    Wave,
)

logger = logging.getLogger(__name__)

MAX_OPEN_ANSWER = 2000
MAX_IMPORT_ROWS = 50_000


@dataclass(frozen=True)
class RowError:
    """One rejected row of an import: its 1-based line number (header = 1) and why."""

    row: int
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}: {self.message}"


class ImportRejected(Exception):
    """An import that wrote nothing because some rows were bad; `errors` says which and why."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} row(s) rejected")
        self.errors = errors


class AnswerInvalid(ValueError):
    """A submitted answer that does not fit its question (message names the question code)."""


# ----------------------------------------------------------------------------- library
@transaction.atomic
def surveys_library_install(*, actor: User | None = None) -> int:
    """Install or update the shipped instruments; idempotent. Returns instruments created."""
    created = 0
    for spec in library.LIBRARY:
        instrument, was_created = Instrument.objects.get_or_create(
            organization=None,
            key=spec["key"],
            defaults={"kind": spec["kind"], "name": spec["name"], "is_library": True},
        )
        if not was_created and instrument.version >= library.LIBRARY_VERSION:
            continue
        instrument.kind = spec["kind"]
        instrument.name = spec["name"]
        instrument.name_es = spec["name_es"]
        instrument.description = spec["description"]
        instrument.version = library.LIBRARY_VERSION
        instrument.save()
        for position, q in enumerate(spec["questions"]):
            Question.objects.update_or_create(
                instrument=instrument,
                code=q["code"],
                defaults={
                    "position": position,
                    "text": q["text"],
                    "text_es": q["text_es"],
                    "format": q["format"],
                    "scale": q.get("scale", ""),
                    "choices": library.choice_dicts(q.get("choices", [])),
                    "correct_value": q.get("correct", ""),
                },
            )
        created += was_created
    if created:
        audit_record(actor=actor, action="survey_library.install", metadata={"created": created})
    return created


def library_ensure() -> None:
    """Install the library on first use (cheap check once it is there)."""
    if not Instrument.objects.filter(organization=None, is_library=True).exists():
        surveys_library_install(actor=None)


# ----------------------------------------------------------------------------- surveys
def _new_token() -> str:
    return secrets.token_urlsafe(12)


@transaction.atomic
def survey_create(
    *,
    actor: User | None,
    organization: Organization,
    title: str,
    target_type: str,
    target_label: str,
    instruments: Iterable[Instrument],
    title_es: str = "",
    target_object_id: int | None = None,
    retrospective: bool = False,
    wave_kinds: Iterable[str] = (Wave.Kind.PRE, Wave.Kind.POST),
    is_synthetic: bool = False,
) -> Survey:
    """Create a survey with its waves; instruments must be library or the organization's own."""
    instruments = list(instruments)
    if not instruments:
        raise ValueError("A survey needs at least one instrument.")
    for instrument in instruments:
        if instrument.organization_id not in (None, organization.pk):
            raise ValueError("Instrument belongs to another organization.")
    survey = Survey(
        organization=organization,
        title=title,
        title_es=title_es,
        target_type=target_type,
        target_label=target_label,
        target_object_id=target_object_id,
        retrospective=retrospective,
        is_synthetic=is_synthetic,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    survey.full_clean()
    survey.save()
    survey.instruments.set(instruments)
    for kind in dict.fromkeys(wave_kinds):
        Wave.objects.create(survey=survey, kind=kind, token=_new_token())
    audit_record(
        actor=actor,
        action="survey.create",
        obj=survey,
        metadata={"instruments": [i.pk for i in instruments], "waves": list(wave_kinds)},
    )
    return survey


@transaction.atomic
def wave_set_open(*, actor: User, wave: Wave, is_open: bool) -> Wave:
    """Open or close a wave's public link."""
    wave.is_open = is_open
    wave.save(update_fields=["is_open", "updated_at"])
    audit_record(
        actor=actor,
        action="survey_wave.open" if is_open else "survey_wave.close",
        obj=wave,
        organization=wave.survey.organization,
    )
    return wave


# ----------------------------------------------------------------------------- responses
def normalize_linking_code(code: str) -> str:
    """Upper-case letters and digits only, so 'ma 07 el' and 'MA07EL' pair."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def linking_hash(survey: Survey, code: str) -> str:
    """Keyed hash of a linking code, salted per survey: pairs waves, reveals nothing."""
    normalized = normalize_linking_code(code)
    if not normalized:
        return ""
    key = f"{settings.SECRET_KEY}:surveys:{survey.pk}".encode()
    return hmac.new(key, normalized.encode(), hashlib.sha256).hexdigest()


def _anonymizer():
    """The shared anonymizer (pattern, address and name detectors).

    NER is off: survey answers are short, and patterns + names + addresses catch identifiers
    without loading a language model into every web process.
    """
    from peacekit.analysis.anonymize import shared_anonymizer

    return shared_anonymizer(use_ner=False)


def anonymize_open_text(text: str) -> str:
    """The redacted form of one open answer; without an anonymizer nothing is kept."""
    text = (text or "").strip()[:MAX_OPEN_ANSWER]
    if not text:
        return ""
    return _anonymizer().redact(text).text


def _coerce_answer(question: Question, value: Any) -> dict[str, Any] | None:
    """Validate one raw answer; returns the Answer fields or None when left blank."""
    if value is None or value == "" or value == []:
        return None
    fmt = question.format
    if question.is_numeric:
        try:
            number = float(value)
        except (TypeError, ValueError) as exc:
            raise AnswerInvalid(f"{question.code}: not a number") from exc
        low, high = question.scale_range
        if math.isnan(number) or not (low <= number <= high) or number != int(number):
            raise AnswerInvalid(f"{question.code}: must be a whole number from {low} to {high}")
        return {"value_number": number}
    allowed = {c["value"] for c in question.choices}
    if fmt == Question.Format.SINGLE:
        if str(value) not in allowed:
            raise AnswerInvalid(f"{question.code}: not one of the choices")
        number = 1.0 if question.correct_value and str(value) == question.correct_value else None
        if question.correct_value and number is None:
            number = 0.0
        return {"value_choices": [str(value)], "value_number": number}
    if fmt == Question.Format.MULTIPLE:
        values = value if isinstance(value, (list, tuple)) else str(value).split("|")
        values = [str(v).strip() for v in values if str(v).strip()]
        bad = [v for v in values if v not in allowed]
        if bad:
            raise AnswerInvalid(f"{question.code}: not one of the choices")
        return {"value_choices": sorted(set(values))} if values else None
    redacted = anonymize_open_text(str(value))
    return {"text_redacted": redacted} if redacted else None


KIND_ORDER = {"trust": 0, "legitimacy": 1, "knowledge": 2, "feedback": 3, "custom": 4}


def survey_questions(survey: Survey, *, wave_kind: str | None = None) -> list[Question]:
    """The survey's questions, trust first; feedback on the session is asked after it only."""
    questions = Question.objects.filter(instrument__surveys=survey).select_related("instrument")
    if wave_kind == Wave.Kind.PRE:
        questions = questions.exclude(instrument__kind=Instrument.Kind.FEEDBACK)
    return sorted(
        questions, key=lambda q: (KIND_ORDER.get(q.instrument.kind, 9), q.instrument_id, q.position)
    )


#: Seconds a web process keeps a survey's question list and neighborhood list (public form).
FORM_CACHE_SECONDS = 60
_form_cache: dict[tuple, tuple[float, Any]] = {}


def _cached(key: tuple, build: Callable[[], Any]) -> Any:
    """A small per-process cache for the public form's fixed parts. Keys carry the survey's
    `updated_at` (new margins touch it); a library text update shows within FORM_CACHE_SECONDS."""
    now = time.monotonic()
    hit = _form_cache.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    if len(_form_cache) > 512:
        _form_cache.clear()
    value = build()
    _form_cache[key] = (now + FORM_CACHE_SECONDS, value)
    return value


def public_form_parts(wave: Wave) -> tuple[list[Question], list[str]]:
    """The questions and neighborhood choices of a wave's public form (cached per process)."""
    survey = wave.survey
    questions = _cached(
        ("questions", survey.pk, survey.updated_at, wave.kind),
        lambda: survey_questions(survey, wave_kind=wave.kind),
    )
    neighborhoods = _cached(
        ("neighborhoods", survey.pk, survey.updated_at),
        lambda: list(
            survey.margins.filter(variable="neighborhood").values_list("level", flat=True)
        ),
    )
    return questions, neighborhoods


def response_submit(
    *,
    wave: Wave,
    submission_key: str,
    answers: Mapping[int, Any],
    retrospective_answers: Mapping[int, Any] | None = None,
    linking_code: str = "",
    demographics: Mapping[str, str] | None = None,
    language: str = "en",
    source: str = Response.Source.WEB,
    actor: User | None = None,
    is_synthetic: bool = False,
    questions: list[Question] | None = None,
) -> tuple[Response, bool]:
    """Store one person's answers to a wave; a repeated submission key returns the first.

    Returns (response, created). Raises AnswerInvalid if an answer does not fit its question.
    Answers are checked (and open text anonymized) before the transaction; the response, its
    answers and the audit event are written in one.
    """
    key = (submission_key or "").strip()[:64]
    if not key:
        raise ValueError("A submission key is required.")
    # No look-up first: a repeated key is skipped by the unique insert below.
    survey = wave.survey
    if questions is None:
        questions = survey_questions(survey)
    by_id = {q.pk: q for q in questions}
    rows: list[tuple[Question, bool, dict[str, Any]]] = []
    for is_retro, source_answers in ((False, answers), (True, retrospective_answers or {})):
        if is_retro and not (survey.retrospective and wave.kind == Wave.Kind.POST):
            break
        for question_id, raw in source_answers.items():
            question = by_id.get(int(question_id))
            if question is None:
                raise AnswerInvalid("unknown question")
            if is_retro and (not question.is_numeric or question.instrument.kind == "feedback"):
                continue
            fields = _coerce_answer(question, raw)
            if fields is not None:
                rows.append((question, is_retro, fields))
    demographics = {k: (v or "")[:80] for k, v in (demographics or {}).items()}
    unknown = set(demographics) - set(DEMOGRAPHIC_VARIABLES)
    if unknown:
        raise ValueError(f"Unknown demographic fields: {sorted(unknown)}")
    response = Response(
        wave=wave,
        organization_id=survey.organization_id,
        linking_hash=linking_hash(survey, linking_code),
        submission_key=key,
        source=source,
        language=language[:8],
        is_synthetic=is_synthetic,
        **demographics,
    )
    answer_rows = [Answer(question_id=q.pk, retrospective=r, **f) for q, r, f in rows]
    # Responses and answers are append-only rows (no save() override, no signals): one cached
    # INSERT each. A repeated key (a retry, or a concurrent one that won) writes nothing and
    # returns the first response.
    with transaction.atomic():
        if not insert_objects([response], conflict=["submission_key"]):
            return Response.objects.get(submission_key=key), False
        for answer in answer_rows:
            answer.response_id = response.pk
        insert_objects(answer_rows)
        audit_record(
            actor=actor,
            action="survey_response.submit",
            obj=response,
            metadata={"wave": wave.pk, "answers": len(rows), "source": source},
        )
    return response, True


# ----------------------------------------------------------------------------- margins
MARGIN_VARIABLES = {v: v for v in DEMOGRAPHIC_VARIABLES} | {
    "age": "age_group",
    "race": "race_ethnicity",
    "ethnicity": "race_ethnicity",
}


@transaction.atomic
def margins_replace(
    *, actor: User, survey: Survey, rows: Iterable[tuple[str, str, float, int | None]]
) -> int:
    """Replace a survey's target margins with (variable, level, share, quota) rows."""
    rows = list(rows)
    errors = _margin_errors(rows, first_row=1)
    if errors:
        raise ImportRejected(errors)
    survey.margins.all().delete()
    survey.save(update_fields=["updated_at"])  # new key for the public form's cached choices
    TargetMargin.objects.bulk_create(
        [
            TargetMargin(survey=survey, variable=v, level=level, share=share, quota=quota)
            for v, level, share, quota in rows
        ]
    )
    audit_record(
        actor=actor, action="survey_margins.replace", obj=survey, metadata={"rows": len(rows)}
    )
    return len(rows)


def _margin_errors(
    rows: list[tuple[str, str, float, int | None]], first_row: int
) -> list[RowError]:
    errors: list[RowError] = []
    seen: set[tuple[str, str]] = set()
    for i, (variable, level, share, quota) in enumerate(rows, start=first_row):
        if variable not in DEMOGRAPHIC_VARIABLES:
            errors.append(RowError(i, f"unknown variable (use {', '.join(DEMOGRAPHIC_VARIABLES)})"))
        if not level:
            errors.append(RowError(i, "level is empty"))
        if not (0 <= share <= 1):
            errors.append(RowError(i, "share must be between 0 and 1"))
        if quota is not None and quota < 0:
            errors.append(RowError(i, "quota must not be negative"))
        if (variable, level) in seen:
            errors.append(RowError(i, "duplicate variable and level"))
        seen.add((variable, level))
    totals: dict[str, float] = {}
    for variable, _level, share, _quota in rows:
        totals[variable] = totals.get(variable, 0.0) + share
    for variable, total in totals.items():
        if variable in DEMOGRAPHIC_VARIABLES and abs(total - 1) > 0.02:
            errors.append(RowError(0, f"shares for {variable} add up to {total:.2f}, not 1"))
    return errors


def margins_import_csv(*, actor: User, survey: Survey, data: bytes) -> int:
    """Import margins from CSV (variable, level, share[, quota]); all rows or none.

    Shares may be fractions or percentages (a column summing to about 100 is divided by 100).
    """
    reader = csv.DictReader(_csv_source(data))
    header = {h.strip().lower() for h in reader.fieldnames or []}
    if not {"variable", "level", "share"} <= header:
        raise ImportRejected([RowError(1, "header must include variable, level, share")])
    rows: list[tuple[str, str, float, int | None]] = []
    errors: list[RowError] = []
    for line, raw in enumerate(reader, start=2):
        rec = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        variable = MARGIN_VARIABLES.get(rec.get("variable", "").lower(), rec.get("variable", ""))
        try:
            share = float(rec.get("share", "").rstrip("%"))
            quota = int(rec["quota"]) if rec.get("quota") else None
        except ValueError:
            errors.append(RowError(line, "share and quota must be numbers"))
            continue
        rows.append((variable, rec.get("level", ""), share, quota))
    by_var: dict[str, float] = {}
    for v, _l, s, _q in rows:
        by_var[v] = by_var.get(v, 0) + s
    rows = [(v, lv, s / 100 if by_var[v] > 1.5 else s, q) for v, lv, s, q in rows]
    errors += _margin_errors(rows, first_row=2)
    if errors:
        raise ImportRejected(errors)
    return margins_replace(actor=actor, survey=survey, rows=rows)


# ----------------------------------------------------------------------------- file helpers
def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected([RowError(1, "the file is not UTF-8 text")]) from exc


def _csv_source(data: bytes) -> io.StringIO:
    """Decoded CSV text for the csv module. `newline=""` lets old Mac files (a bare carriage
    return ends each row) read as rows; a file the csv module cannot read is rejected with the
    row where it stopped, before anything is imported."""
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for _row in reader:
            pass
    except csv.Error as exc:
        line = max(1, reader.line_num)
        raise ImportRejected([RowError(line, "this row is not readable CSV")]) from exc
    return io.StringIO(text, newline="")


def read_table(data: bytes, filename: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV or XLSX file, every cell as stripped text."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        except Exception as exc:  # noqa: BLE001 - any parse failure is a bad file
            raise ImportRejected([RowError(1, "the file is not a readable XLSX workbook")]) from exc
        values = [
            ["" if c is None else str(c).strip() for c in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    else:
        values = [[c.strip() for c in row] for row in csv.reader(_csv_source(data))]
    if not values:
        raise ImportRejected([RowError(1, "the file is empty")])
    header = [h.strip().lower() for h in values[0]]
    rows = [r for r in values[1:] if any(r)]
    if len(rows) > MAX_IMPORT_ROWS:
        raise ImportRejected([RowError(1, f"more than {MAX_IMPORT_ROWS} rows")])
    return header, rows


# ----------------------------------------------------------------------------- response import
@transaction.atomic
def responses_import(*, actor: User, wave: Wave, data: bytes, filename: str) -> int:
    """Import responses to a wave from CSV/XLSX (one row each); all rows or none.

    Columns: optional submission_key, linking_code, demographics (age_group, sex,
    race_ethnicity, neighborhood) and one column per question code; multiple-choice values
    are separated by "|". Rows already imported (same submission key) are skipped.
    """
    header, rows = read_table(data, filename)
    questions = survey_questions(wave.survey)
    by_code = {q.code: q for q in questions}
    retro_codes = {f"{q.code}_before": q for q in questions if q.is_numeric}
    known = {"submission_key", "linking_code", *DEMOGRAPHIC_VARIABLES, *by_code, *retro_codes}
    unknown = [h for h in header if h and h not in known]
    if unknown:
        raise ImportRejected([RowError(1, f"unknown columns: {', '.join(unknown[:10])}")])
    if not any(h in by_code for h in header):
        raise ImportRejected([RowError(1, "no question columns (use the question codes)")])
    errors: list[RowError] = []
    prepared = []
    for line, row in enumerate(rows, start=2):
        rec = dict(zip(header, row + [""] * (len(header) - len(row)), strict=False))
        answers = {by_code[c].pk: rec[c] for c in by_code if rec.get(c)}
        retro = {retro_codes[c].pk: rec[c] for c in retro_codes if rec.get(c)}
        try:
            for qid, value in answers.items():
                question = next(q for q in questions if q.pk == qid)
                if question.format != Question.Format.OPEN:
                    _coerce_answer(question, value)
        except AnswerInvalid as exc:
            errors.append(RowError(line, str(exc)))
            continue
        if not answers:
            errors.append(RowError(line, "no answers"))
            continue
        key = (
            rec.get("submission_key")
            or hashlib.sha256(f"import:{wave.pk}:{line}:{'|'.join(row)}".encode()).hexdigest()
        )
        prepared.append((key, rec, answers, retro))
    if errors:
        raise ImportRejected(errors)
    created = 0
    for key, rec, answers, retro in prepared:
        _response, was_created = response_submit(
            wave=wave,
            submission_key=key,
            answers=answers,
            retrospective_answers=retro,
            linking_code=rec.get("linking_code", ""),
            demographics={v: rec.get(v, "") for v in DEMOGRAPHIC_VARIABLES},
            source=Response.Source.IMPORT,
            actor=actor,
            questions=questions,
        )
        created += was_created
    audit_record(
        actor=actor,
        action="survey_response.import",
        obj=wave,
        organization=wave.survey.organization,
        metadata={"rows": len(prepared), "created": created},
    )
    return created


# ----------------------------------------------------------------------------- trends
TREND_COLUMNS = {"SAFETY": "safety", "TRUST": "trust", "T_LISTEN": "trust_listen",
                 "T_RESPECT": "trust_respect"}  # fmt: skip


def _parse_date(value: str) -> date:
    for fmt in ("%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError("date must be MM/DD/YYYY or YYYY-MM-DD")


@transaction.atomic
def trend_import_csv(
    *, actor: User | None, organization: Organization, name: str, data: bytes, source: str = ""
) -> TrendDataset:
    """Import a police sentiment scores file (Chicago's layout); all rows or none.

    City rows (no district) become area "City", district rows "District N"; sector rows are
    skipped. Exact duplicate rows are dropped and counted; any bad row rejects the file.
    """
    reader = csv.DictReader(_csv_source(data))
    header = set(reader.fieldnames or [])
    needed = {"DISTRICT", "START_DATE", "END_DATE", "SAFETY", "TRUST"}
    if not needed <= header:
        missing = ", ".join(sorted(needed - header))
        raise ImportRejected([RowError(1, f"missing columns: {missing}")])
    seen: set[tuple] = set()
    duplicates = 0
    read = 0
    points: list[TrendPoint] = []
    errors: list[RowError] = []
    for line, raw in enumerate(reader, start=2):
        read += 1
        signature = tuple(sorted((k, v) for k, v in raw.items() if k))
        if signature in seen:
            duplicates += 1
            continue
        seen.add(signature)
        if (raw.get("SECTOR") or "").strip():
            continue
        district = (raw.get("DISTRICT") or "").strip()
        if not district and (raw.get("AREA") or "").strip():
            continue  # area-level rows are neither city nor district
        try:
            start, end = _parse_date(raw["START_DATE"]), _parse_date(raw["END_DATE"])
            if end < start:
                raise ValueError("end date before start date")
            values = {}
            for column, field_name in TREND_COLUMNS.items():
                text = (raw.get(column) or "").strip()
                value = float(text) if text else None
                if value is not None and not (0 <= value <= 100):
                    raise ValueError(f"{column} must be between 0 and 100")
                values[field_name] = value
            area = f"District {int(float(district))}" if district else "City"
        except ValueError as exc:
            errors.append(RowError(line, str(exc)))
            continue
        points.append(TrendPoint(area=area, period_start=start, period_end=end, **values))
    if errors:
        raise ImportRejected(errors)
    if not points:
        raise ImportRejected([RowError(1, "no city or district rows")])
    dataset = TrendDataset.objects.create(
        organization=organization,
        name=name,
        source=source,
        rows_read=read,
        duplicates_dropped=duplicates,
    )
    for point in points:
        point.dataset = dataset
    TrendPoint.objects.bulk_create(points, batch_size=1000)
    audit_record(
        actor=actor,
        action="survey_trend.import",
        obj=dataset,
        metadata={"rows": read, "points": len(points), "duplicates": duplicates},
    )
    return dataset
