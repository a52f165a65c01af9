"""Listening API: submit statements (facilitators, token or session auth), list published ones.

Raw text is accepted but never returned: responses carry only redacted text and status.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from peacekit.listening import selectors, services
from peacekit.listening.access import PLAN_ROLES, access_initiative
from peacekit.listening.importers import MAX_STATEMENT_CHARS
from peacekit.listening.models import AgeBand, SpeakerRole, Statement

router = Router(tags=["listening"])


class StatementIn(Schema):
    text: str = Field(..., min_length=1, max_length=MAX_STATEMENT_CHARS)
    submission_key: str = Field(..., min_length=8, max_length=64)
    session_id: int | None = None
    age_band: str = ""
    speaker_role: str = ""
    language: str = "en"


class StatementOut(Schema):
    id: int
    status: str
    redacted_text: str | None
    session_id: int | None
    source: str
    created_at: datetime


class PublishedOut(Schema):
    id: int
    text: str
    session: str | None
    age_band: str
    speaker_role: str
    agree: int
    disagree: int
    passed: int
    published_at: datetime | None


def _initiative(request, initiative_id: int, roles=None):
    try:
        return access_initiative(request.user, initiative_id, roles=roles)
    except PermissionDenied as exc:
        raise HttpError(403, "Your role does not allow this.") from exc


@router.post(
    "/initiatives/{initiative_id}/statements",
    response={201: StatementOut},
    summary="Submit a statement (idempotent by submission_key); it waits for redaction review",
)
def submit_statement(request, initiative_id: int, payload: StatementIn):
    initiative = _initiative(request, initiative_id, roles=PLAN_ROLES)
    session = None
    if payload.session_id is not None:
        session = initiative.sessions.filter(pk=payload.session_id).first()
        if session is None:
            raise HttpError(422, "Unknown session for this initiative.")
    if payload.age_band and payload.age_band not in AgeBand.values:
        raise HttpError(422, "Unknown age band.")
    if payload.speaker_role and payload.speaker_role not in SpeakerRole.values:
        raise HttpError(422, "Unknown speaker role.")
    try:
        statement = services.statement_submit(
            actor=request.user, initiative=initiative, text=payload.text,
            source=Statement.Source.API, submission_key=f"api-{payload.submission_key}",
            session=session, age_band=payload.age_band, speaker_role=payload.speaker_role,
            language=payload.language[:10],
        )  # fmt: skip
    except ValidationError as exc:
        raise HttpError(422, "The statement was not accepted.") from exc
    if statement.initiative_id != initiative.pk:
        raise HttpError(409, "This submission key was used elsewhere.")
    return 201, _out(statement)


def _out(statement: Statement) -> StatementOut:
    published = statement.status == Statement.Status.PUBLISHED
    return StatementOut(
        id=statement.pk, status=statement.status,
        redacted_text=statement.redacted_text if published else None,
        session_id=statement.session_id, source=statement.source, created_at=statement.created_at,
    )  # fmt: skip


@router.get(
    "/initiatives/{initiative_id}/statements",
    response=list[PublishedOut],
    summary="Published (redacted) statements of an initiative, with vote counts",
)
@paginate
def published_statements(request, initiative_id: int):
    initiative = _initiative(request, initiative_id)
    return [
        PublishedOut(
            id=s.pk,
            text=s.redacted_text,
            session=s.session.title if s.session else None,
            age_band=s.age_band,
            speaker_role=s.speaker_role,
            agree=s.agree,
            disagree=s.disagree,
            passed=s.passed,
            published_at=s.published_at,
        )  # fmt: skip
        for s in selectors.published_statements(initiative=initiative)
    ]
