"""Writes for Peace Initiatives: plan, sessions, statement capture, redaction review, votes.

Every statement passes the anonymization gate in `statements_submit`: its raw text is stored
encrypted in StatementRaw, the anonymizer proposes spans, and only the redacted text is ever
shown outside the review queue. Audit metadata holds ids and counts, never text.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from peacekit.core.models import Organization, User
from peacekit.core.services import (
    JobError,
    audit_record,
    jobrun_enqueue,
    jobrun_enqueue_per_organization,
)
from peacekit.core.sql import insert_objects
from peacekit.listening import anonymizer, importers, selectors
from peacekit.listening.models import (
    ImportBatch,
    Initiative,
    InitiativeTeamMember,
    ListeningSession,
    MicroCommunity,
    RedactionSpan,
    Registration,
    Statement,
    StatementRaw,
    Vote,
)

#: Imports with more rows than this run as a background job with progress.
INLINE_IMPORT_ROWS = 200


def hash_participant(token: str) -> str:
    """Participants are known only by the hash of their anonymous cookie token."""
    return hashlib.sha256(f"listening:{token}".encode()).hexdigest()


def new_submission_key() -> str:
    return uuid.uuid4().hex


# ----------------------------------------------------------------------------- plan
@transaction.atomic
def initiative_create(
    *, actor: User | None, organization: Organization, name: str, jurisdiction: str, **fields: Any
) -> Initiative:
    initiative = Initiative.objects.create(
        organization=organization, name=name, jurisdiction=jurisdiction, **fields
    )
    if initiative.ends_on <= initiative.starts_on:
        raise ValidationError({"ends_on": _("The end date must be after the start date.")})
    audit_record(actor=actor, action="initiative.create", obj=initiative)
    return initiative


@transaction.atomic
def initiative_update(*, actor: User, initiative: Initiative, **fields: Any) -> Initiative:
    for key, value in fields.items():
        setattr(initiative, key, value)
    if initiative.ends_on <= initiative.starts_on:
        raise ValidationError({"ends_on": _("The end date must be after the start date.")})
    initiative.save()
    audit_record(
        actor=actor, action="initiative.update", obj=initiative, metadata={"fields": sorted(fields)}
    )
    return initiative


@transaction.atomic
def team_member_set(
    *, actor: User, initiative: Initiative, user: User, role: str, training_status: str
) -> InitiativeTeamMember:
    if not user.memberships.filter(organization=initiative.organization).exists():
        raise ValidationError(_("Team members must belong to the lead organization."))
    member, _created = InitiativeTeamMember.objects.update_or_create(
        initiative=initiative, user=user,
        defaults={"role": role, "training_status": training_status},
    )  # fmt: skip
    audit_record(
        actor=actor, action="initiative.team_set", obj=initiative,
        metadata={"user_id": user.pk, "role": role, "training_status": training_status},
    )  # fmt: skip
    return member


@transaction.atomic
def micro_community_create(
    *, actor: User | None, initiative: Initiative, name: str, kind: str, **fields: Any
) -> MicroCommunity:
    if MicroCommunity.objects.filter(initiative=initiative, name__iexact=name).exists():
        raise ValidationError({"name": _("This initiative already has a group with that name.")})
    community = MicroCommunity.objects.create(initiative=initiative, name=name, kind=kind, **fields)
    audit_record(
        actor=actor, action="micro_community.create", obj=community,
        organization=initiative.organization,
    )  # fmt: skip
    return community


@transaction.atomic
def micro_community_import(
    *, actor: User, initiative: Initiative, filename: str, data: bytes
) -> list[MicroCommunity]:
    """Micro-communities from a census-style table: name, kind, population, share,
    under_represented. All rows or none; errors name their rows."""
    try:
        header, rows = importers.read_table(filename, data)
    except ValueError as exc:
        raise ValidationError([f"{_('Row')} 1: {exc}"]) from exc
    if "name" not in header:
        raise ValidationError([_("Row 1: the header row needs a “name” column.")])
    kinds = set(MicroCommunity.Kind.values)
    errors, parsed, seen = (
        [],
        [],
        set(n.lower() for n in initiative.micro_communities.values_list("name", flat=True)),
    )
    for number, cells in rows:
        values = dict(zip(header, cells, strict=False))
        name = values.get("name", "").strip()[:200]
        kind = values.get("kind", "").strip().lower() or MicroCommunity.Kind.NEIGHBORHOOD
        if not name:
            errors.append(_("Row %(n)s: the name is empty.") % {"n": number})
            continue
        if name.lower() in seen:
            errors.append(_("Row %(n)s: the name is already used.") % {"n": number})
            continue
        if kind not in kinds:
            errors.append(_("Row %(n)s: unknown kind.") % {"n": number})
            continue
        try:
            population = int(float(values["population"])) if values.get("population") else None
            share = float(values["share"]) if values.get("share") else None
        except ValueError:
            errors.append(_("Row %(n)s: population and share must be numbers.") % {"n": number})
            continue
        if share is not None and not 0 <= share <= 100:
            errors.append(_("Row %(n)s: the share must be between 0 and 100.") % {"n": number})
            continue
        flag = values.get("under_represented", "").strip().lower() in ("1", "yes", "true", "y")
        seen.add(name.lower())
        parsed.append(dict(name=name, kind=kind, population=population,
                           population_share=share, under_represented=flag))  # fmt: skip
    if errors:
        raise ValidationError(errors)
    created = [MicroCommunity.objects.create(initiative=initiative, **p) for p in parsed]
    audit_record(
        actor=actor, action="micro_community.import", obj=initiative,
        metadata={"created": len(created)},
    )  # fmt: skip
    return created


# ----------------------------------------------------------------------------- sessions
@transaction.atomic
def session_create(
    *, actor: User | None, initiative: Initiative, title: str, starts_at, facilitators=(), **fields
) -> ListeningSession:
    community = fields.get("micro_community")
    if community is not None and community.initiative_id != initiative.pk:
        raise ValidationError({"micro_community": _("Choose a group of this initiative.")})
    session = ListeningSession.objects.create(
        initiative=initiative, title=title, starts_at=starts_at, **fields
    )
    if facilitators:
        session.facilitators.set(facilitators)
    audit_record(
        actor=actor, action="session.create", obj=session, organization=initiative.organization
    )
    return session


@transaction.atomic
def session_update(*, actor: User, session: ListeningSession, facilitators=None, **fields):
    for key, value in fields.items():
        setattr(session, key, value)
    session.save()
    if facilitators is not None:
        session.facilitators.set(facilitators)
    audit_record(
        actor=actor, action="session.update", obj=session,
        organization=session.initiative.organization, metadata={"fields": sorted(fields)},
    )  # fmt: skip
    return session


@transaction.atomic
def session_mark_held(*, actor: User | None, session: ListeningSession) -> ListeningSession:
    if session.status != ListeningSession.Status.PLANNED:
        raise ValidationError(_("Only a planned session can be marked as held."))
    session.status = ListeningSession.Status.HELD
    session.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="session.held", obj=session,
                 organization=session.initiative.organization)  # fmt: skip
    return session


@transaction.atomic
def session_close(
    *, actor: User | None, session: ListeningSession, attendee_count: int, notes: str = ""
) -> ListeningSession:
    """Close a session: record attendance, notes and how many statements it produced."""
    if session.status == ListeningSession.Status.CLOSED:
        raise ValidationError(_("This session is already closed."))
    if attendee_count < 0:
        raise ValidationError({"attendee_count": _("Attendance cannot be negative.")})
    session.status = ListeningSession.Status.CLOSED
    session.attendee_count = attendee_count
    session.notes = notes
    session.statement_count = session.statements.count()
    session.save()
    audit_record(
        actor=actor, action="session.close", obj=session,
        organization=session.initiative.organization,
        metadata={"attendees": attendee_count, "statements": session.statement_count},
    )  # fmt: skip
    return session


def registration_submit(
    *, session: ListeningSession, first_name: str, contact: str, needs: str, submission_key: str
) -> Registration:
    """Register for a session (or join its waitlist); a retried POST returns the same row."""
    existing = Registration.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return existing
    if not session.registration_open or session.status != ListeningSession.Status.PLANNED:
        raise ValidationError(_("Registration for this session is closed."))
    try:
        with transaction.atomic():
            taken = (
                ListeningSession.objects.select_for_update().filter(pk=session.pk).first()
                and session.registrations.filter(status=Registration.Status.REGISTERED).count()
            )
            status = (
                Registration.Status.REGISTERED
                if taken < session.capacity
                else Registration.Status.WAITLISTED
            )
            registration = Registration.objects.create(
                session=session, first_name=first_name[:100], contact=contact, needs=needs,
                status=status, submission_key=submission_key[:64],
            )  # fmt: skip
            audit_record(
                actor=None, action="session.registration", obj=session,
                organization=session.initiative.organization, metadata={"status": status},
            )  # fmt: skip
    except IntegrityError:
        return Registration.objects.get(submission_key=submission_key)
    return registration


# ----------------------------------------------------------------------------- statements
def initiative_anonymizer_terms(initiative: Initiative) -> tuple[list[str], list[str]]:
    """(terms to keep readable, names to mask) for an initiative's statements: its own lists
    plus the jurisdiction (whole, and the place before a comma), the organization and the
    micro-community names, which reports need."""
    allow = [t.strip() for t in initiative.anonymizer_allow_terms.splitlines() if t.strip()]
    jurisdiction = initiative.jurisdiction.strip()
    allow += [jurisdiction, jurisdiction.split(",")[0].strip(), initiative.organization.name]
    allow += list(initiative.micro_communities.values_list("name", flat=True))
    masked = initiative.anonymizer_mask_terms or ""
    mask = [t.strip() for t in masked.splitlines() if t.strip()]
    return sorted({t for t in allow if len(t) > 1}), sorted(set(mask))


def _spans_for_redaction(spans) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.entity_type) for s in spans]


def statements_submit(
    *,
    actor: User | None,
    initiative: Initiative,
    items: list[dict],
    source: str,
    session: ListeningSession | None = None,
    progress=None,
    defer_anonymization: bool = False,
) -> list[Statement]:
    """Capture statements through the anonymization gate, in one transaction.

    Each item: text, submission_key (optional; a repeated key returns the existing statement),
    micro_community, session, age_band, speaker_role, language, external_ref. The anonymizer
    runs once over all texts (batched). With `defer_anonymization` (the public page) only the
    encrypted raw text is stored; `statements_anonymize` proposes the redactions in the
    background job, and nothing is shown until a reviewer publishes it either way.
    """
    if not items:
        return []
    keys = [item.get("submission_key") or new_submission_key() for item in items]
    existing = {s.submission_key: s for s in Statement.objects.filter(submission_key__in=keys)}
    todo = [(k, item) for k, item in zip(keys, items, strict=True) if k not in existing]
    for _k, item in todo:
        text = (item.get("text") or "").strip()
        if not text:
            raise ValidationError(_("A statement cannot be empty."))
        if len(text) > importers.MAX_STATEMENT_CHARS:
            raise ValidationError(_("A statement is longer than the limit."))
        item["text"] = text
    if defer_anonymization:
        proposals = [None] * len(todo)
    else:
        allow, mask = initiative_anonymizer_terms(initiative)
        proposals = anonymizer.propose_spans(
            [item["text"] for _k, item in todo], policy=initiative.anonymization_policy,
            allow=allow, mask=mask,
        )  # fmt: skip
    now = timezone.now()
    statements = [
        _new_statement(
            initiative,
            item,
            key=key,
            session=item.get("session") or session,
            spans=spans,
            source=source,
            actor=actor,
            now=now,
        )  # fmt: skip
        for (key, item), spans in zip(todo, proposals, strict=True)
    ]
    created: list[Statement] = []
    with transaction.atomic():
        # In batches, so an import's progress moves while its rows are written.
        for start in range(0, len(statements), STATEMENT_WRITE_BATCH):
            part = statements[start : start + STATEMENT_WRITE_BATCH]
            insert_objects(part)
            texts = [item["text"] for _key, item in todo[start : start + STATEMENT_WRITE_BATCH]]
            insert_objects(
                [StatementRaw(statement=s, text=t) for s, t in zip(part, texts, strict=True)]
            )
            spans = [
                row
                for statement, spans in zip(part, proposals[start : start + len(part)], strict=True)
                for row in _span_rows(statement, spans or [])
            ]
            insert_objects(spans)
            created += part
            if progress is not None:
                progress(len(created))
        if created:
            audit_record(
                actor=actor, action="statement.submit", obj=initiative,
                metadata={"count": len(created), "source": source,
                          "session_id": session.pk if session else None},
            )  # fmt: skip
    by_key = {s.submission_key: s for s in created} | existing
    return [by_key[k] for k in keys]


STATEMENT_WRITE_BATCH = 200


def _new_statement(
    initiative: Initiative, item: dict, *, key: str, session: ListeningSession | None, spans,
    source: str, actor: User | None, now,
) -> Statement:  # fmt: skip
    """An unsaved statement for `item` (see statements_submit); the session's micro-community
    when none is given."""
    community = item.get("micro_community") or (
        session.micro_community if session is not None else None
    )
    return Statement(
        initiative=initiative, session=session, micro_community=community,
        redacted_text=(
            "" if spans is None
            else anonymizer.render_redacted(item["text"], _spans_for_redaction(spans))
        ),
        anonymized_at=None if spans is None else now,
        source=source, language=item.get("language") or "en",
        age_band=item.get("age_band") or "", speaker_role=item.get("speaker_role") or "",
        submission_key=key, external_ref=item.get("external_ref") or "",
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )  # fmt: skip


def statement_submit_public(
    *, initiative_token: str, text: str, submission_key: str,
    session: ListeningSession | None = None, micro_community: MicroCommunity | None = None,
    age_band: str = "", speaker_role: str = "", language: str = "en",
) -> bool:  # fmt: skip
    """The public page's statement: stored with its encrypted raw text for the anonymizer job
    (as `statements_submit(..., defer_anonymization=True)`), in one short transaction.

    Returns False, writing nothing, when no open initiative has `initiative_token`. A repeated
    `submission_key` writes nothing and returns True (the first submission was stored). The
    initiative is read with one plain query and the rows are written with `insert_objects`
    (no ORM compilation): this is the busiest write of a listening campaign.
    """
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("A statement cannot be empty."))
    if len(text) > importers.MAX_STATEMENT_CHARS:
        raise ValidationError(_("A statement is longer than the limit."))
    initiative = selectors.open_initiative_by_token(initiative_token)
    if initiative is None or (session is not None and session.initiative_id != initiative.pk):
        return False
    item = {"text": text, "micro_community": micro_community, "age_band": age_band,
            "speaker_role": speaker_role, "language": language}  # fmt: skip
    statement = _new_statement(
        initiative, item, key=submission_key or new_submission_key(), session=session,
        spans=None, source=Statement.Source.PUBLIC, actor=None, now=timezone.now(),
    )  # fmt: skip
    with transaction.atomic():
        if insert_objects([statement], conflict=["submission_key"]):
            insert_objects([StatementRaw(statement=statement, text=text)])
            audit_record(
                actor=None, action="statement.submit", obj=initiative,
                metadata={"count": 1, "source": Statement.Source.PUBLIC,
                          "session_id": session.pk if session else None},
            )  # fmt: skip
    return True


def statement_submit(
    *, actor: User | None, initiative: Initiative, text: str, source: str,
    submission_key: str = "", defer_anonymization: bool = False, **fields: Any,
) -> Statement:  # fmt: skip
    """Capture one statement (see statements_submit); idempotent by submission_key."""
    item = {"text": text, "submission_key": submission_key, **fields}
    return statements_submit(
        actor=actor, initiative=initiative, items=[item], source=source,
        defer_anonymization=defer_anonymization,
    )[0]  # fmt: skip


def _span_rows(statement: Statement, spans) -> list[RedactionSpan]:
    return [
        RedactionSpan(
            statement=statement,
            start=s.start,
            end=s.end,
            entity_type=s.entity_type[:40],
            detector=s.detector,
            score=s.score,
        )  # fmt: skip
        for s in spans
    ]


def statements_awaiting_anonymizer() -> QuerySet[Statement]:
    """Statements whose raw text is stored but whose redactions are not proposed yet."""
    return Statement.objects.filter(anonymized_at__isnull=True, raw_purged_at__isnull=True)


def statements_anonymize(
    *,
    organization_id: int | None = None,
    statement_ids: Sequence[int] | None = None,
    batch: int = 64,
    progress=None,
) -> int:
    """Propose redactions for statements stored without them (public submissions).

    Batched (the NER model runs once per batch) and safe to run twice at once: a statement is
    claimed by a conditional UPDATE, so its spans are written exactly once. Returns how many
    this call anonymized.
    """
    pending = statements_awaiting_anonymizer().order_by("pk")
    if statement_ids is not None:
        pending = pending.filter(pk__in=list(statement_ids))
    if organization_id is not None:
        pending = pending.filter(initiative__organization_id=organization_id)
    ids = list(pending.values_list("pk", flat=True))
    done = 0
    for offset in range(0, len(ids), batch):
        chunk_ids = ids[offset : offset + batch]
        chunk = (
            Statement.objects.filter(pk__in=chunk_ids, anonymized_at__isnull=True)
            .select_related("initiative__organization", "raw")
            .order_by("pk")
        )
        by_initiative: dict[int, list[Statement]] = {}
        for statement in chunk:
            if getattr(statement, "raw", None) is not None:
                by_initiative.setdefault(statement.initiative_id, []).append(statement)
        for statements in by_initiative.values():
            initiative = statements[0].initiative
            allow, mask = initiative_anonymizer_terms(initiative)
            proposals = anonymizer.propose_spans(
                [s.raw.text for s in statements], policy=initiative.anonymization_policy,
                allow=allow, mask=mask,
            )  # fmt: skip
            for statement, spans in zip(statements, proposals, strict=True):
                with transaction.atomic():
                    claimed = Statement.objects.filter(
                        pk=statement.pk, anonymized_at__isnull=True
                    ).update(
                        anonymized_at=timezone.now(),
                        redacted_text=anonymizer.render_redacted(
                            statement.raw.text, _spans_for_redaction(spans)
                        ),
                    )  # fmt: skip
                    if claimed:
                        RedactionSpan.objects.bulk_create(_span_rows(statement, spans))
                        done += claimed
        if progress is not None:
            progress(min(len(ids), offset + batch), len(ids))
    return done


def anonymization_sweep() -> list[int]:
    """Queue one anonymization job per organization with statements waiting and none queued.

    Called by every worker every few seconds (see `core.jobs.periodic`); a second worker doing
    the same at the same moment at worst queues a job that finds nothing left to do.
    """
    waiting = set(
        statements_awaiting_anonymizer()
        .values_list("initiative__organization_id", flat=True)
        .distinct()
    )
    return jobrun_enqueue_per_organization(
        kind="listening.anonymize_statements", organization_ids=waiting,
        label=_("Anonymize new public statements"),
    )  # fmt: skip


def raw_text_for_review(*, actor: User, statement: Statement) -> str | None:
    """The raw text, for the review queue only; every view is audited."""
    raw = StatementRaw.objects.filter(statement=statement).first()
    if raw is None:
        return None
    audit_record(
        actor=actor, action="statement.raw_view", obj=statement,
        organization=statement.initiative.organization,
    )  # fmt: skip
    return raw.text


@transaction.atomic
def statement_review(
    *,
    actor: User,
    statement: Statement,
    keep_span_ids: list[int],
    add_phrases: list[tuple[str, str]] = (),
    publish: bool = False,
) -> Statement:
    """Apply a reviewer's decisions: keep some proposed spans, mask extra phrases (every
    occurrence), re-render the redacted text, and optionally publish."""
    if statement.status != Statement.Status.PENDING:
        raise ValidationError(_("This statement has already been reviewed."))
    if statement.anonymized_at is None:
        raise ValidationError(_("The anonymizer has not proposed redactions yet; try again."))
    raw = StatementRaw.objects.filter(statement=statement).first()
    if raw is None:
        raise ValidationError(_("The raw text has been purged; this statement cannot be reviewed."))
    text = raw.text
    keep = set(keep_span_ids)
    spans = list(statement.spans.all())
    for span in spans:
        span.status = (
            RedactionSpan.Status.ACCEPTED if span.pk in keep else RedactionSpan.Status.REJECTED
        )
    RedactionSpan.objects.bulk_update(spans, ["status"])
    added = 0
    lowered = text.casefold()
    for phrase, kind in add_phrases:
        phrase = phrase.strip()
        if len(phrase) < 2:
            continue
        start = lowered.find(phrase.casefold())
        if start < 0:
            raise ValidationError(_("A phrase to mask was not found in the statement."))
        while start >= 0:
            RedactionSpan.objects.create(
                statement=statement, start=start, end=start + len(phrase),
                entity_type=(kind or "REDACTED")[:40], detector="reviewer",
                status=RedactionSpan.Status.ACCEPTED,
            )  # fmt: skip
            added += 1
            start = lowered.find(phrase.casefold(), start + len(phrase))
    accepted = statement.spans.filter(status=RedactionSpan.Status.ACCEPTED)
    statement.redacted_text = anonymizer.render_redacted(text, _spans_for_redaction(accepted))
    fields = ["redacted_text", "updated_at"]
    if publish:
        statement.status = Statement.Status.PUBLISHED
        statement.published_at = timezone.now()
        statement.published_by = actor
        fields += ["status", "published_at", "published_by"]
    statement.save(update_fields=fields)
    kept = len(keep & {s.pk for s in spans})
    audit_record(
        actor=actor, action="statement.publish" if publish else "statement.review",
        obj=statement, organization=statement.initiative.organization,
        metadata={"kept": kept, "removed": len(spans) - kept, "added": added},
    )  # fmt: skip
    return statement


@transaction.atomic
def statement_publish_as_proposed(*, actor: User | None, statements: list[Statement]) -> int:
    """Publish statements with every proposed span accepted (bulk review; used by the demo)."""
    ids = [s.pk for s in statements if s.status == Statement.Status.PENDING]
    statements_anonymize(statement_ids=ids)
    ids = list(
        Statement.objects.filter(pk__in=ids, anonymized_at__isnull=False).values_list(
            "pk", flat=True
        )
    )
    RedactionSpan.objects.filter(statement_id__in=ids).update(status=RedactionSpan.Status.ACCEPTED)
    now = timezone.now()
    Statement.objects.filter(pk__in=ids).update(
        status=Statement.Status.PUBLISHED, published_at=now, published_by=actor
    )
    if ids:
        audit_record(
            actor=actor, action="statement.publish_bulk", obj=statements[0].initiative,
            metadata={"count": len(ids)},
        )  # fmt: skip
    return len(ids)


@transaction.atomic
def statement_hide(*, actor: User, statement: Statement, reason: str) -> Statement:
    """A moderator hides an off-topic or abusive statement (reason is a fixed label)."""
    statement.status = Statement.Status.HIDDEN
    statement.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor, action="statement.hide", obj=statement,
        organization=statement.initiative.organization, metadata={"reason": reason[:40]},
    )  # fmt: skip
    return statement


def purge_raw_text(*, actor: User | None = None, now=None) -> dict[str, int]:
    """Delete raw text of reviewed statements older than their initiative's retention."""
    now = now or timezone.now()
    purged = 0
    initiatives = Initiative.objects.filter(statements__raw__isnull=False).distinct()
    for initiative in initiatives:
        cutoff = now - timedelta(days=initiative.retention_days)
        with transaction.atomic():
            raws = StatementRaw.objects.filter(
                statement__initiative=initiative,
                created_at__lt=cutoff,
                statement__status__in=[Statement.Status.PUBLISHED, Statement.Status.HIDDEN],
            )
            ids = list(raws.values_list("statement_id", flat=True))
            if not ids:
                continue
            StatementRaw.objects.filter(statement_id__in=ids).delete()
            Statement.objects.filter(pk__in=ids).update(raw_purged_at=now)
            purged += len(ids)
            audit_record(
                actor=actor, action="statement.raw_purge", obj=initiative,
                metadata={"count": len(ids), "retention_days": initiative.retention_days},
            )  # fmt: skip
    return {"purged": purged}


# ----------------------------------------------------------------------------- votes
def vote_cast(*, statement: Statement, participant_token: str, value: int) -> Vote:
    """One vote per participant per published statement; a later vote replaces the earlier."""
    if value not in (-1, 0, 1):
        raise ValidationError(_("Choose agree, disagree or pass."))
    if statement.status != Statement.Status.PUBLISHED:
        raise ValidationError(_("This statement is not open for votes."))
    participant = hash_participant(participant_token)
    # One INSERT … ON CONFLICT DO UPDATE: a double click or a retried POST updates the same row.
    (vote,) = Vote.objects.bulk_create(
        [Vote(statement=statement, participant_hash=participant, value=value)],
        update_conflicts=True, unique_fields=["statement", "participant_hash"],
        update_fields=["value", "updated_at"],
    )  # fmt: skip
    return vote


def vote_cast_public(
    *, initiative_token: str, statement_id: int, participant_token: str, value: int
) -> bool:
    """The public page's vote in one statement: insert (or replace) the participant's vote on a
    published statement of the open initiative behind `initiative_token`.

    Returns False when no such statement exists (then nothing is written). The same rules as
    `vote_cast`; one INSERT … SELECT … ON CONFLICT DO UPDATE (SQLite ≥ 3.24 and PostgreSQL), so
    a vote costs one round trip instead of a look-up and an upsert.
    """
    if value not in (-1, 0, 1):
        raise ValidationError(_("Choose agree, disagree or pass."))
    from django.db import connection

    q = connection.ops.quote_name
    vote, statement, initiative = Vote._meta, Statement._meta, Initiative._meta
    now = timezone.now()
    # Identifiers come from the models' metadata (quoted); every value is a parameter.
    sql = (
        f"INSERT INTO {q(vote.db_table)} ({q('statement_id')}, {q('participant_hash')}, "  # noqa: S608
        f"{q('value')}, {q('participant_role')}, {q('created_at')}, {q('updated_at')}) "
        f"SELECT s.{q('id')}, %s, %s, '', %s, %s FROM {q(statement.db_table)} s "
        f"JOIN {q(initiative.db_table)} i ON i.{q('id')} = s.{q('initiative_id')} "
        f"WHERE s.{q('id')} = %s AND s.{q('status')} = %s AND i.{q('public_token')} = %s "
        f"AND i.{q('status')} <> %s "
        f"ON CONFLICT ({q('statement_id')}, {q('participant_hash')}) DO UPDATE SET "
        f"{q('value')} = excluded.{q('value')}, {q('updated_at')} = excluded.{q('updated_at')}"
    )
    params = [
        hash_participant(participant_token), value, now, now, statement_id,
        Statement.Status.PUBLISHED, initiative_token, Initiative.Status.CLOSED,
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount > 0


# ----------------------------------------------------------------------------- imports
@transaction.atomic
def import_create(
    *, actor: User, initiative: Initiative, kind: str, filename: str, data: bytes,
    session: ListeningSession | None = None, inline: bool = False,
) -> ImportBatch:  # fmt: skip
    """Store an upload (encrypted) and process it now, or as a job when it is large
    (`inline=True` always processes now: the demo loader and command-line use)."""
    batch = ImportBatch.objects.create(
        initiative=initiative, session=session, kind=kind, filename=filename[:200],
        payload=base64.b64encode(data).decode("ascii"), created_by=actor,
    )  # fmt: skip
    audit_record(
        actor=actor, action="statement.import_upload", obj=batch,
        organization=initiative.organization, metadata={"kind": kind},
    )  # fmt: skip
    rows = _parse(batch, data)
    if len(rows.rows) > INLINE_IMPORT_ROWS and not rows.errors and not inline:
        batch.job = jobrun_enqueue(
            kind="listening.import_statements", actor=actor,
            organization=initiative.organization, parameters={"import_id": batch.pk},
        )  # fmt: skip
        batch.save(update_fields=["job"])
        return batch
    import_process(batch=batch, parsed=rows)
    return batch


def _parse(batch: ImportBatch, data: bytes) -> importers.ParseResult:
    if batch.kind == ImportBatch.Kind.TRANSCRIPT:
        return importers.parse_transcript(batch.filename, data)
    if batch.kind == ImportBatch.Kind.VOTES:
        return importers.parse_votes(batch.filename, data)
    return importers.parse_statement_table(batch.filename, data)


def import_process(*, batch: ImportBatch, parsed=None, progress=None) -> ImportBatch:
    """All rows or none: validate every row, then create everything in one transaction."""
    if batch.status != ImportBatch.Status.WAITING:
        return batch  # re-run after a crash: already done
    if parsed is None:
        parsed = _parse(batch, base64.b64decode(batch.payload))
    errors = list(parsed.errors)
    items: list[dict] = []
    initiative = batch.initiative
    if batch.kind == ImportBatch.Kind.VOTES:
        return _import_votes(batch=batch, parsed=parsed)
    sessions = {
        s.title.casefold(): s for s in initiative.sessions.select_related("micro_community")
    }
    communities = {c.name.casefold(): c for c in initiative.micro_communities.all()}
    for row in parsed.rows:
        item = dict(row)
        number = item.pop("row")
        session_name = item.pop("session", "")
        community_name = item.pop("micro_community", "")
        if session_name:
            item["session"] = sessions.get(session_name.casefold())
            if item["session"] is None:
                errors.append({"row": number, "message": _("Unknown session title.")})
                continue
        if community_name:
            item["micro_community"] = communities.get(community_name.casefold())
            if item["micro_community"] is None:
                errors.append({"row": number, "message": _("Unknown micro-community name.")})
                continue
        item["submission_key"] = f"import-{batch.pk}-{number}"
        items.append(item)
    if errors:
        return _import_failed(batch, errors)
    report = progress.steps(len(items), _("Importing statements")) if progress else None
    with transaction.atomic():
        created = statements_submit(
            actor=batch.created_by, initiative=initiative, items=items,
            source="import", session=batch.session, progress=report,
        )  # fmt: skip
        batch.status = ImportBatch.Status.DONE
        batch.created_count = len(created)
        batch.payload = ""
        batch.save(update_fields=["status", "created_count", "payload", "updated_at"])
        audit_record(
            actor=batch.created_by, action="statement.import", obj=batch,
            organization=initiative.organization, metadata={"created": len(created)},
        )  # fmt: skip
    return batch


def _import_failed(batch: ImportBatch, errors: list[dict]) -> ImportBatch:
    batch.status = ImportBatch.Status.FAILED
    batch.errors = sorted(errors, key=lambda e: e["row"])[:500]
    batch.payload = ""
    batch.save(update_fields=["status", "errors", "payload", "updated_at"])
    audit_record(
        actor=batch.created_by, action="statement.import_rejected", obj=batch,
        organization=batch.initiative.organization, metadata={"errors": len(errors)},
    )  # fmt: skip
    return batch


def _import_votes(*, batch: ImportBatch, parsed) -> ImportBatch:
    errors = list(parsed.errors)
    statements = dict(
        batch.initiative.statements.filter(status=Statement.Status.PUBLISHED)
        .exclude(external_ref="")
        .values_list("external_ref", "pk")
    )
    votes: dict[tuple[int, str], int] = {}
    roles: dict[str, str] = {}
    for row in parsed.rows:
        statement_id = statements.get(row["statement"])
        if statement_id is None:
            errors.append({"row": row["row"], "message": _("No published statement has this id.")})
            continue
        participant = hash_participant(f"import-{batch.initiative_id}-{row['participant']}")
        votes[(statement_id, participant)] = row["value"]  # a later row replaces an earlier
        if row.get("role"):
            roles[participant] = row["role"]
    if errors:
        return _import_failed(batch, errors)
    with transaction.atomic():
        existing = {
            (v.statement_id, v.participant_hash): v
            for v in Vote.objects.filter(statement_id__in=set(s for s, _p in votes))
        }
        new, changed = [], []
        for (statement_id, participant), value in votes.items():
            vote = existing.get((statement_id, participant))
            if vote is None:
                new.append(
                    Vote(statement_id=statement_id, participant_hash=participant, value=value,
                         participant_role=roles.get(participant, ""))
                )  # fmt: skip
            elif vote.value != value or roles.get(participant, vote.participant_role) != (
                vote.participant_role
            ):
                vote.value = value
                vote.participant_role = roles.get(participant, vote.participant_role)
                changed.append(vote)
        Vote.objects.bulk_create(new, batch_size=1000)
        Vote.objects.bulk_update(changed, ["value", "participant_role"], batch_size=1000)
        batch.status = ImportBatch.Status.DONE
        batch.created_count = len(new)
        batch.payload = ""
        batch.save(update_fields=["status", "created_count", "payload", "updated_at"])
        audit_record(
            actor=batch.created_by, action="vote.import", obj=batch,
            organization=batch.initiative.organization, metadata={"created": len(new)},
        )  # fmt: skip
    return batch


def import_run_job(*, import_id: int, progress=None) -> dict:
    batch = (
        ImportBatch.objects.select_related("initiative", "session", "created_by")
        .filter(pk=import_id)
        .first()
    )
    if batch is None:
        raise JobError("The import no longer exists.")
    batch = import_process(batch=batch, progress=progress)
    if batch.status == ImportBatch.Status.FAILED:
        raise JobError(f"The file was rejected: {len(batch.errors)} row(s) have problems.")
    return {"created": batch.created_count, "result_url": batch.initiative.get_absolute_url()}


def statement_counts(initiative: Initiative) -> dict[str, int]:
    return initiative.statements.aggregate(
        pending=Count("pk", filter=Q(status=Statement.Status.PENDING)),
        published=Count("pk", filter=Q(status=Statement.Status.PUBLISHED)),
        hidden=Count("pk", filter=Q(status=Statement.Status.HIDDEN)),
    )


def new_participant_token() -> str:
    return secrets.token_urlsafe(18)
