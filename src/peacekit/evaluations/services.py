"""Policing Performance 360 writes: frameworks, cycles, imports, invitations, answers, reports.

Every service is keyword-only and records an audit event whose metadata holds ids and labels,
never text a person wrote. Answers are stored apart from the rater who gave them.
"""

from __future__ import annotations

import csv
import io
import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from peacekit.core.models import JobRun, Organization, User
from peacekit.core.services import (
    audit_record,
    email_send_many,
    hash_token,
    jobrun_enqueue,
    jobrun_enqueue_per_organization,
)
from peacekit.core.sql import insert_objects
from peacekit.evaluations import default_framework, selectors
from peacekit.evaluations.anonymizer import anonymize_texts
from peacekit.evaluations.models import (
    GROUP_ORDER,
    Candidate,
    CandidateGroup,
    Comment,
    Competency,
    Cycle,
    Framework,
    Item,
    ItemScore,
    Rater,
    RaterGroup,
    RatingResponse,
    Report,
)

PILOT_MAX_CANDIDATES = 10
LINK_DAYS = 21
REMINDER_EVERY_DAYS = 3
MAX_REMINDERS = 3
MAX_COMMENT_CHARS = 2000
CSV_MAX_ROWS = 20000


# ----------------------------------------------------------------------------- frameworks
@transaction.atomic
def framework_install_default(*, actor: User | None = None) -> Framework:
    """Install (once) the shipped peace-officer leadership framework; returns it."""
    framework = Framework.objects.filter(
        organization__isnull=True, slug=default_framework.DEFAULT_FRAMEWORK_SLUG
    ).first()
    if framework is not None:
        return framework
    framework = Framework.objects.create(
        organization=None,
        slug=default_framework.DEFAULT_FRAMEWORK_SLUG,
        name=default_framework.DEFAULT_FRAMEWORK_NAME,
        description=default_framework.DEFAULT_FRAMEWORK_DESCRIPTION,
    )
    for order, (key, name, name_es, topic, items) in enumerate(default_framework.COMPETENCIES):
        competency = Competency.objects.create(
            framework=framework,
            key=key,
            name=name,
            name_es=name_es,
            course_topic=topic,
            order=order,
        )
        Item.objects.bulk_create(
            Item(competency=competency, text=text, text_es=text_es, order=i)
            for i, (text, text_es) in enumerate(items)
        )
    audit_record(actor=actor, action="evaluation_framework.install", obj=framework)
    return framework


# ----------------------------------------------------------------------------- cycles
@transaction.atomic
def cycle_create(
    *,
    actor: User,
    organization: Organization,
    name: str,
    rank_target: str = "",
    is_pilot: bool = False,
    deadline=None,
    framework: Framework | None = None,
    promotability_cutoff: float = 60.0,
) -> Cycle:
    """Create a draft cycle on the given framework (the shipped default if none)."""
    framework = framework or framework_install_default(actor=actor)
    cycle = Cycle(
        organization=organization,
        framework=framework,
        name=name.strip(),
        rank_target=rank_target.strip(),
        is_pilot=is_pilot,
        deadline=deadline,
        promotability_cutoff=promotability_cutoff,
        created_by=actor,
    )
    cycle.full_clean()
    cycle.save()
    audit_record(
        actor=actor, action="evaluation_cycle.create", obj=cycle, metadata={"pilot": is_pilot}
    )
    return cycle


def _require_status(cycle: Cycle, *allowed: str) -> None:
    if cycle.status not in allowed:
        raise ValidationError(
            _("This cannot be done while the cycle is %(status)s.")
            % {"status": cycle.get_status_display().lower()}
        )


def _check_pilot(cycle: Cycle, adding: int) -> None:
    if cycle.is_pilot and cycle.candidates.count() + adding > PILOT_MAX_CANDIDATES:
        raise ValidationError(
            _("A pilot cycle takes at most %(n)s candidates.") % {"n": PILOT_MAX_CANDIDATES}
        )


@transaction.atomic
def candidate_add(
    *,
    actor: User,
    cycle: Cycle,
    name: str,
    email: str,
    employee_id: str = "",
    current_rank: str = "",
) -> Candidate:
    """Add a candidate to a draft or open cycle, with a self-rating slot for them."""
    _require_status(cycle, Cycle.Status.DRAFT, Cycle.Status.OPEN)
    _check_pilot(cycle, 1)
    email = email.strip().lower()
    if cycle.candidates.filter(email=email).exists():
        raise ValidationError({"email": _("This candidate is already in the cycle.")})
    candidate = Candidate(
        cycle=cycle,
        organization=cycle.organization,
        name=name.strip(),
        email=email,
        employee_id=employee_id.strip(),
        current_rank=current_rank.strip(),
    )
    candidate.full_clean()
    candidate.save()
    Rater.objects.create(
        candidate=candidate,
        cycle=cycle,
        organization=cycle.organization,
        group=RaterGroup.SELF,
        name=candidate.name,
        email=email,
        status=Rater.Status.APPROVED,
    )
    audit_record(actor=actor, action="evaluation_candidate.add", obj=candidate)
    return candidate


def _rater_create(
    *,
    candidate: Candidate,
    group: str,
    name: str,
    email: str,
    language: str,
    status: str,
    nominated: bool,
) -> Rater:
    rater = Rater(
        candidate=candidate,
        cycle=candidate.cycle,
        organization=candidate.organization,
        group=group,
        name=name.strip(),
        email=email.strip().lower(),
        language=language or "en",
        status=status,
        nominated_by_candidate=nominated,
    )
    rater.full_clean(exclude=["candidate", "cycle", "organization"])
    try:
        with transaction.atomic():
            rater.save()
    except IntegrityError as exc:
        raise ValidationError({"email": _("This person already rates this candidate.")}) from exc
    return rater


@transaction.atomic
def rater_add(
    *, actor: User, candidate: Candidate, group: str, name: str, email: str, language: str = "en"
) -> Rater:
    """HR adds an (approved) rater for a candidate."""
    _require_status(candidate.cycle, Cycle.Status.DRAFT, Cycle.Status.OPEN)
    if group == RaterGroup.SELF:
        raise ValidationError({"group": _("The self rating is added with the candidate.")})
    rater = _rater_create(
        candidate=candidate,
        group=group,
        name=name,
        email=email,
        language=language,
        status=Rater.Status.APPROVED,
        nominated=False,
    )
    audit_record(
        actor=actor,
        action="evaluation_rater.add",
        obj=rater,
        metadata={"candidate_id": candidate.pk, "group": group},
    )
    return rater


# ----------------------------------------------------------------------------- CSV import
CSV_COLUMNS = ("candidate_email", "candidate_name")
CSV_OPTIONAL = (
    "employee_id",
    "current_rank",
    "rater_name",
    "rater_email",
    "rater_group",
    "language",
)
GROUP_PREFIX = "group:"


@dataclass
class ImportResult:
    """What an import did, or the row-numbered errors that stopped it."""

    candidates: int = 0
    raters: int = 0
    errors: list[str] | None = None


def _group_code(value: str) -> str | None:
    value = value.strip().lower().replace(" ", "_").replace("-", "_")
    aliases = {
        "peers": "peer",
        "direct_reports": "direct_report",
        "report": "direct_report",
        "community_partner": "community",
        "supervisors": "supervisor",
        "others": "other",
        "manager": "supervisor",
    }
    value = aliases.get(value, value)
    return value if value in GROUP_ORDER else None


def cycle_import_csv(*, actor: User, cycle: Cycle, data: bytes | str) -> ImportResult:
    """Import candidates and raters from CSV, all or nothing, with row-numbered errors.

    Columns: candidate_email, candidate_name (required); employee_id, current_rank,
    rater_name, rater_email, rater_group, language; and any `group:<category>` column for
    the adverse-impact check (never used in scoring). One row per rater; a row without
    rater fields adds only the candidate.
    """
    _require_status(cycle, Cycle.Status.DRAFT, Cycle.Status.OPEN)
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return ImportResult(errors=[_("The file is not UTF-8 text. Save it as CSV UTF-8.")])
    reader = csv.DictReader(io.StringIO(data))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        return ImportResult(
            errors=[_("Missing column(s): %(cols)s.") % {"cols": ", ".join(missing)}]
        )
    reader.fieldnames = header
    errors: list[str] = []
    candidates: dict[str, dict[str, Any]] = {}
    raters: list[tuple[int, str, dict[str, str]]] = []
    existing = set(cycle.candidates.values_list("email", flat=True))
    seen_pairs: set[tuple[str, str]] = set(
        Rater.objects.filter(cycle=cycle).values_list("candidate__email", "email")
    )
    for number, row in enumerate(reader, start=2):
        if number > CSV_MAX_ROWS:
            errors.append(_("The file has more than %(n)s rows.") % {"n": CSV_MAX_ROWS})
            break
        row = {k: (v or "").strip() for k, v in row.items() if k}
        email = row.get("candidate_email", "").lower()
        try:
            validate_email(email)
        except ValidationError:
            errors.append(_("Row %(row)s: candidate_email is not a valid email.") % {"row": number})
            continue
        if not row.get("candidate_name"):
            errors.append(_("Row %(row)s: candidate_name is empty.") % {"row": number})
            continue
        entry = candidates.setdefault(
            email,
            {
                "name": row["candidate_name"],
                "employee_id": row.get("employee_id", ""),
                "current_rank": row.get("current_rank", ""),
                "groups": {},
            },
        )
        for key, value in row.items():
            if key.startswith(GROUP_PREFIX) and value:
                entry["groups"][key[len(GROUP_PREFIX) :].strip()[:60]] = value[:80]
        rater_email = row.get("rater_email", "").lower()
        if not (rater_email or row.get("rater_name") or row.get("rater_group")):
            continue
        group = _group_code(row.get("rater_group", ""))
        if group is None:
            errors.append(
                _("Row %(row)s: rater_group must be one of %(groups)s.")
                % {"row": number, "groups": ", ".join(GROUP_ORDER[1:])}
            )
            continue
        if group == RaterGroup.SELF:
            errors.append(
                _("Row %(row)s: the self rating is added automatically; remove this row.")
                % {"row": number}
            )
            continue
        try:
            validate_email(rater_email)
        except ValidationError:
            errors.append(_("Row %(row)s: rater_email is not a valid email.") % {"row": number})
            continue
        if not row.get("rater_name"):
            errors.append(_("Row %(row)s: rater_name is empty.") % {"row": number})
            continue
        if (email, rater_email) in seen_pairs:
            errors.append(
                _("Row %(row)s: this rater is already listed for this candidate.") % {"row": number}
            )
            continue
        if rater_email == email:
            errors.append(
                _("Row %(row)s: a candidate cannot be their own rater.") % {"row": number}
            )
            continue
        language = row.get("language", "en").lower()[:2] or "en"
        if language not in ("en", "es"):
            errors.append(_("Row %(row)s: language must be en or es.") % {"row": number})
            continue
        seen_pairs.add((email, rater_email))
        raters.append(
            (
                number,
                email,
                {
                    "name": row["rater_name"],
                    "email": rater_email,
                    "group": group,
                    "language": language,
                },
            )
        )
    new = [e for e in candidates if e not in existing]
    if cycle.is_pilot and cycle.candidates.count() + len(new) > PILOT_MAX_CANDIDATES:
        errors.append(
            _("A pilot cycle takes at most %(n)s candidates; this file would make %(m)s.")
            % {"n": PILOT_MAX_CANDIDATES, "m": cycle.candidates.count() + len(new)}
        )
    if not candidates and not errors:
        errors.append(_("The file has no rows."))
    if errors:
        return ImportResult(errors=errors)
    with transaction.atomic():
        by_email = {c.email: c for c in cycle.candidates.all()}
        for email in new:
            info = candidates[email]
            by_email[email] = candidate_add(
                actor=actor,
                cycle=cycle,
                name=info["name"],
                email=email,
                employee_id=info["employee_id"],
                current_rank=info["current_rank"],
            )
        for email, info in candidates.items():
            for category, group in info["groups"].items():
                CandidateGroup.objects.update_or_create(
                    candidate=by_email[email], category=category, defaults={"group": group}
                )
        for _number, email, info in raters:
            _rater_create(
                candidate=by_email[email], status=Rater.Status.APPROVED, nominated=False, **info
            )
        audit_record(
            actor=actor,
            action="evaluation_cycle.import",
            obj=cycle,
            metadata={"candidates": len(new), "raters": len(raters)},
        )
    return ImportResult(candidates=len(new), raters=len(raters))


# ----------------------------------------------------------------------------- nominations
@transaction.atomic
def candidate_nomination_link(*, actor: User, candidate: Candidate) -> str:
    """A fresh link for the candidate to nominate raters (older links stop working)."""
    _require_status(candidate.cycle, Cycle.Status.DRAFT, Cycle.Status.OPEN)
    raw = secrets.token_urlsafe(32)
    candidate.nomination_token_hash = hash_token(raw)
    candidate.nomination_expires_at = timezone.now() + timedelta(days=LINK_DAYS)
    candidate.save(update_fields=["nomination_token_hash", "nomination_expires_at", "updated_at"])
    audit_record(actor=actor, action="evaluation_candidate.nomination_link", obj=candidate)
    return settings.SITE_URL + reverse("evaluations:nominate", args=[raw])


def candidate_by_nomination_token(*, token: str) -> Candidate | None:
    """The candidate behind an open nomination link, or None."""
    if not token:
        return None
    candidate = (
        Candidate.objects.select_related("cycle")
        .filter(nomination_token_hash=hash_token(token))
        .first()
    )
    if (
        candidate is None
        or candidate.nomination_expires_at is None
        or candidate.nomination_expires_at <= timezone.now()
        or candidate.cycle.status == Cycle.Status.CLOSED
    ):
        return None
    return candidate


@transaction.atomic
def rater_nominate(*, token: str, group: str, name: str, email: str, language: str = "en") -> Rater:
    """A candidate nominates a rater through their link; HR approves before invitations."""
    candidate = candidate_by_nomination_token(token=token)
    if candidate is None:
        raise ValidationError(_("This nomination link is invalid or has expired."))
    if group == RaterGroup.SELF or group not in GROUP_ORDER:
        raise ValidationError({"group": _("Choose a rater group.")})
    if email.strip().lower() == candidate.email:
        raise ValidationError({"email": _("You cannot nominate yourself.")})
    rater = _rater_create(
        candidate=candidate,
        group=group,
        name=name,
        email=email,
        language=language,
        status=Rater.Status.NOMINATED,
        nominated=True,
    )
    audit_record(
        actor=None,
        action="evaluation_rater.nominate",
        obj=rater,
        metadata={"candidate_id": candidate.pk, "group": group},
    )
    return rater


@transaction.atomic
def raters_approve(*, actor: User, cycle: Cycle, rater_ids: list[int] | None = None) -> int:
    """Approve nominated raters (all nominated ones if no ids are given); returns how many."""
    qs = Rater.objects.filter(cycle=cycle, status=Rater.Status.NOMINATED)
    if rater_ids is not None:
        qs = qs.filter(pk__in=rater_ids)
    count = qs.update(status=Rater.Status.APPROVED, updated_at=timezone.now())
    audit_record(
        actor=actor, action="evaluation_rater.approve", obj=cycle, metadata={"count": count}
    )
    return count


@transaction.atomic
def rater_remove(*, actor: User, rater: Rater) -> None:
    """Remove a rater who has not answered (answers, once given, are never removed)."""
    if rater.status == Rater.Status.COMPLETED or rater.group == RaterGroup.SELF:
        raise ValidationError(_("This rater cannot be removed."))
    audit_record(
        actor=actor,
        action="evaluation_rater.remove",
        obj=rater,
        metadata={"candidate_id": rater.candidate_id, "group": rater.group},
    )
    rater.delete()


# ----------------------------------------------------------------------------- invitations
def _link_expiry(cycle: Cycle) -> datetime:
    if cycle.deadline:
        end = datetime.combine(cycle.deadline, time(23, 59), tzinfo=timezone.get_current_timezone())
        if end > timezone.now():
            return end
    return timezone.now() + timedelta(days=LINK_DAYS)


def _issue_link(rater: Rater, now: datetime) -> str:
    """Give the rater a fresh single-purpose link; only its hash is kept."""
    raw = secrets.token_urlsafe(32)
    rater.token_hash = hash_token(raw)
    rater.expires_at = _link_expiry(rater.cycle)
    return settings.SITE_URL + reverse("evaluations:rate", args=[raw])


def _message(rater: Rater, link: str, reminder: bool) -> tuple[str, str, list[str]]:
    with translation.override(rater.language):
        context = {
            "rater": rater,
            "candidate": rater.candidate,
            "cycle": rater.cycle,
            "link": link,
            "reminder": reminder,
            "self": rater.group == RaterGroup.SELF,
        }
        body = render_to_string("evaluations/email/invitation.txt", context)
        subject = (
            _("Reminder: your 360 feedback for %(name)s")
            if reminder
            else _("Your 360 feedback is requested for %(name)s")
        ) % {"name": rater.candidate.name}
    return subject, body, [rater.email]


@transaction.atomic
def cycle_open(*, actor: User, cycle: Cycle) -> Cycle:
    """Open a draft cycle for responses."""
    _require_status(cycle, Cycle.Status.DRAFT)
    if not cycle.candidates.exists():
        raise ValidationError(_("Add candidates before opening the cycle."))
    cycle.status, cycle.opened_at = Cycle.Status.OPEN, timezone.now()
    cycle.save(update_fields=["status", "opened_at", "updated_at"])
    audit_record(actor=actor, action="evaluation_cycle.open", obj=cycle)
    return cycle


@transaction.atomic
def invitations_send(
    *, actor: User | None, cycle: Cycle, links_out: dict[int, str] | None = None
) -> int:
    """Email a fresh, expiring link to every approved rater not yet invited; returns how many.

    With ``links_out`` (seeding synthetic demo data) the links are handed back instead of
    emailed: rater id → raw token.
    """
    _require_status(cycle, Cycle.Status.OPEN)
    now = timezone.now()
    raters = list(
        Rater.objects.select_for_update()
        .select_related("candidate", "cycle")
        .filter(cycle=cycle, status=Rater.Status.APPROVED)
    )
    messages = []
    for rater in raters:
        link = _issue_link(rater, now)
        rater.status, rater.invited_at = Rater.Status.INVITED, now
        if links_out is not None:
            links_out[rater.pk] = link.rstrip("/").rsplit("/", 1)[1]
        else:
            messages.append(_message(rater, link, reminder=False))
    Rater.objects.bulk_update(raters, ["token_hash", "expires_at", "status", "invited_at"])
    email_send_many(messages=messages, organization=cycle.organization)
    audit_record(
        actor=actor, action="evaluation_cycle.invite", obj=cycle, metadata={"count": len(raters)}
    )
    return len(raters)


def reminders_send(*, cycle: Cycle, now: datetime | None = None) -> int:
    """Remind invited raters who have not answered (every few days, at most a few times).

    Each reminder carries a fresh link, since only link hashes are stored; the older link
    stops working. Returns how many were reminded.
    """
    if cycle.status != Cycle.Status.OPEN:
        return 0
    now = now or timezone.now()
    due_before = now - timedelta(days=REMINDER_EVERY_DAYS)
    with transaction.atomic():
        raters = list(
            Rater.objects.select_for_update()
            .select_related("candidate", "cycle")
            .filter(
                cycle=cycle,
                status=Rater.Status.INVITED,
                reminders_sent__lt=MAX_REMINDERS,
                invited_at__lte=due_before,
            )
            .exclude(last_reminded_at__gt=due_before)
        )
        messages = []
        for rater in raters:
            link = _issue_link(rater, now)
            rater.reminders_sent += 1
            rater.last_reminded_at = now
            messages.append(_message(rater, link, reminder=True))
        Rater.objects.bulk_update(
            raters, ["token_hash", "expires_at", "reminders_sent", "last_reminded_at"]
        )
        email_send_many(messages=messages, organization=cycle.organization)
        audit_record(
            actor=None, action="evaluation_cycle.remind", obj=cycle, metadata={"count": len(raters)}
        )
    return len(raters)


def reminders_enqueue(*, actor: User, cycle: Cycle) -> JobRun:
    """Queue the reminder job for a cycle."""
    _require_status(cycle, Cycle.Status.OPEN)
    return jobrun_enqueue(
        kind="evaluations.send_reminders",
        actor=actor,
        organization=cycle.organization,
        parameters={"cycle_id": cycle.pk},
    )


# ----------------------------------------------------------------------------- answering
class LinkState:
    OPEN = "open"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    DECLINED = "declined"
    CLOSED = "closed"


def rater_by_token(*, token: str) -> tuple[Rater | None, str]:
    """The rater behind a link and the link's state (open, used, expired, declined, closed).

    The rater comes with its candidate, cycle and the cycle's framework loaded.
    """
    if not token or len(token) > 100:
        return None, LinkState.UNKNOWN
    rater = selectors.rater_by_token_hash(hash_token(token))
    if rater is None:
        return None, LinkState.UNKNOWN
    if rater.status == Rater.Status.COMPLETED:
        return rater, LinkState.USED
    if rater.status == Rater.Status.DECLINED:
        return rater, LinkState.DECLINED
    if rater.cycle.status != Cycle.Status.OPEN:
        return rater, LinkState.CLOSED
    if rater.status != Rater.Status.INVITED or rater.expires_at is None:
        return None, LinkState.UNKNOWN
    if rater.expires_at <= timezone.now():
        return rater, LinkState.EXPIRED
    return rater, LinkState.OPEN


def items_for(cycle: Cycle) -> list[Item]:
    """The cycle's items in form order."""
    return list(
        Item.objects.filter(competency__framework_id=cycle.framework_id).select_related(
            "competency"
        )
    )


_FORM_ITEMS: dict[tuple, tuple[Item, ...]] = {}


def form_items(cycle: Cycle) -> tuple[Item, ...]:
    """`items_for(cycle)` for the answer page, kept per process (read-only: do not change them).

    A framework's items are written once, when the framework is installed, and never edited,
    so they are looked up once per framework (keyed on its id and update time: a change to a
    framework's items must touch the framework).
    """
    framework = cycle.framework
    key = (framework.pk, framework.updated_at)
    items = _FORM_ITEMS.get(key)
    if items is None:
        items = tuple(items_for(cycle))
        if len(_FORM_ITEMS) >= 32:
            _FORM_ITEMS.clear()
        _FORM_ITEMS[key] = items
    return items


def response_submit(
    *,
    token: str,
    answers: dict[int, int | None],
    strengths: str = "",
    develop: str = "",
    loaded: tuple[Rater, Sequence[Item]] | None = None,
) -> tuple[bool, str]:
    """Record a rater's answers once; a retried submit is a no-op. Returns (created, state).

    `loaded` = (rater, items) from `rater_by_token` and `items_for` (or `form_items`) on an
    open link, when the caller has them (the rater's status is checked again, and the link
    claimed, under a row lock either way).
    Answers are stored against the candidate and rater group only; the rater row is just
    marked completed. Comments are stored encrypted; the anonymizer job (`comments_anonymize`,
    queued by the workers' periodic check) writes their anonymized text and erases the raw
    text, always before a report reads them.
    """
    if loaded is not None:  # the answer page has just looked both up for an open link
        rater, item_list = loaded
        state = LinkState.OPEN
    else:
        rater, state = rater_by_token(token=token)
        item_list = items_for(rater.cycle) if state == LinkState.OPEN else []
    if state == LinkState.USED:
        return False, state
    if state != LinkState.OPEN:
        raise ValidationError(_("This link can no longer be used."))
    item_ids = [item.pk for item in item_list]
    if not set(answers) <= set(item_ids):
        raise ValidationError(_("The form does not match this evaluation. Reload and try again."))
    if any(v is not None and not (1 <= int(v) <= 5) for v in answers.values()):
        raise ValidationError(_("Answers must be 1 to 5, or not observed."))
    if not any(v is not None for v in answers.values()):
        raise ValidationError(_("Rate at least one behaviour you have observed."))
    texts = [strengths[:MAX_COMMENT_CHARS].strip(), develop[:MAX_COMMENT_CHARS].strip()]
    # The rows are made before the transaction (it holds SQLite's write lock): append-only
    # rows written with one INSERT each (no signals or save() overrides on these models; the
    # comment's raw text is encrypted by its field).
    response = RatingResponse(
        cycle_id=rater.cycle_id,
        candidate_id=rater.candidate_id,
        organization_id=rater.organization_id,
        group=rater.group,
    )
    scores = [(item_id, answers.get(item_id)) for item_id in item_ids]
    comments = [
        Comment(
            response_id=response.pk,
            candidate_id=rater.candidate_id,
            group=rater.group,
            kind=kind,
            raw=text,
        )  # fmt: skip
        for kind, text in zip(("strength", "develop"), texts, strict=True)
        if text
    ]
    with transaction.atomic():
        # Claim the link: the conditional UPDATE locks the rater row until the commit, and
        # only one submit can move it from invited to completed. No completion time is kept
        # on the rater: it could be matched against the answers.
        if not _link_claim(rater.pk):
            status = Rater.objects.filter(pk=rater.pk).values_list("status", flat=True).first()
            if status == Rater.Status.COMPLETED:
                return False, LinkState.USED
            raise ValidationError(_("This link can no longer be used."))
        insert_objects([response])
        _scores_insert(response, scores)
        insert_objects(comments)
        # The audit event names the cycle and group, not the rater: no who-answered-what trail.
        audit_record(
            actor=None,
            action="evaluation_response.submit",
            obj=rater.cycle,
            metadata={"group": rater.group},
        )
    return True, LinkState.OPEN


def _link_claim(rater_id: int) -> bool:
    """Mark an invited rater completed; False if it was not invited any more. One plain
    conditional UPDATE (it takes the rater's row lock until the transaction ends)."""
    q = connection.ops.quote_name
    status = q(Rater._meta.get_field("status").column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {q(Rater._meta.db_table)} SET {status} = %s "  # noqa: S608
            f"WHERE {q(Rater._meta.pk.column)} = %s AND {status} = %s",
            [Rater.Status.COMPLETED, rater_id, Rater.Status.INVITED],
        )
        return cursor.rowcount == 1


def _scores_insert(response: RatingResponse, scores: list[tuple[int, int | None]]) -> None:
    """INSERT a response's item scores, (item id, score or None) each, in one statement.

    `core.sql.insert_objects` without the 40 model instances and per-value field
    preparation: the response id is prepared once, item ids and scores are plain integers
    (or NULL), which both backends take as they are. ItemScore is append-only, with no
    save() override, signals or defaults.
    """
    meta = ItemScore._meta
    q = connection.ops.quote_name
    response_field = meta.get_field("response")
    columns = ", ".join(q(meta.get_field(name).column) for name in ("response", "item", "score"))
    response_id = response_field.get_db_prep_save(response.pk, connection)
    with connection.cursor() as cursor:
        for start in range(0, len(scores), 300):  # within SQLite's 999 parameters
            chunk = scores[start : start + 300]
            params = []
            for item_id, score in chunk:
                params += [response_id, int(item_id), None if score is None else int(score)]
            values = ", ".join(["(%s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {q(meta.db_table)} ({columns}) VALUES {values}",  # noqa: S608
                params,
            )


def comments_anonymize(
    *, cycle_id: int | None = None, organization_id: int | None = None,
    candidate_ids: list[int] | None = None, batch: int = 64, progress=None,
) -> int:  # fmt: skip
    """Anonymize comments stored raw by the answer page; returns how many this call did.

    Batched through the anonymizer, and safe to run twice at once: each comment is claimed by a
    conditional UPDATE that writes the anonymized text and erases the raw text together.
    """
    pending = Comment.objects.filter(anonymized_at__isnull=True)
    if cycle_id is not None:
        pending = pending.filter(candidate__cycle_id=cycle_id)
    if organization_id is not None:
        pending = pending.filter(candidate__organization_id=organization_id)
    if candidate_ids is not None:
        pending = pending.filter(candidate_id__in=list(candidate_ids))
    ids = list(pending.order_by("pk").values_list("pk", flat=True))
    done = 0
    for offset in range(0, len(ids), batch):
        chunk = list(
            Comment.objects.filter(pk__in=ids[offset : offset + batch], anonymized_at__isnull=True)
            .only("pk", "raw")
            .order_by("pk")
        )
        with_raw = [c for c in chunk if c.raw]
        cleaned = anonymize_texts([c.raw for c in with_raw]) if with_raw else []
        now = timezone.now()
        for comment, text in zip(with_raw, cleaned, strict=True):
            done += Comment.objects.filter(pk=comment.pk, anonymized_at__isnull=True).update(
                text=text.strip(), raw="", anonymized_at=now
            )
        # No raw text (stored already anonymized, e.g. by an import): only mark it done.
        Comment.objects.filter(
            pk__in=[c.pk for c in chunk if not c.raw], anonymized_at__isnull=True
        ).update(anonymized_at=now)
        if progress is not None:
            progress(min(len(ids), offset + batch), len(ids))
    return done


def comments_sweep() -> list[int]:
    """Queue one comment-anonymizer job per organization with comments waiting and none queued
    (run by every worker every few seconds; see `core.jobs.periodic`)."""
    waiting = set(
        Comment.objects.filter(anonymized_at__isnull=True)
        .values_list("candidate__organization_id", flat=True)
        .distinct()
    )
    return jobrun_enqueue_per_organization(
        kind="evaluations.anonymize_comments", organization_ids=waiting,
        label=_("Anonymize new 360 comments"),
    )  # fmt: skip


@transaction.atomic
def rater_decline(*, token: str) -> bool:
    """A rater declines; the link stops working. Returns False if it was not open."""
    rater, state = rater_by_token(token=token)
    if state != LinkState.OPEN:
        return state == LinkState.DECLINED
    Rater.objects.filter(pk=rater.pk, status=Rater.Status.INVITED).update(
        status=Rater.Status.DECLINED, finished_at=timezone.now(), updated_at=timezone.now()
    )
    audit_record(
        actor=None,
        action="evaluation_rater.decline",
        obj=rater.cycle,
        metadata={"group": rater.group},
    )
    return True


# ----------------------------------------------------------------------------- close + reports
def cycle_close(*, actor: User, cycle: Cycle) -> JobRun:
    """Close an open cycle (links stop working) and queue every candidate's report."""
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        _require_status(cycle, Cycle.Status.OPEN)
        cycle.status, cycle.closed_at = Cycle.Status.CLOSED, timezone.now()
        cycle.save(update_fields=["status", "closed_at", "updated_at"])
        audit_record(actor=actor, action="evaluation_cycle.close", obj=cycle)
        return reports_enqueue(actor=actor, cycle=cycle)


def reports_enqueue(*, actor: User | None, cycle: Cycle) -> JobRun:
    """Queue report generation for a closed cycle."""
    _require_status(cycle, Cycle.Status.CLOSED)
    return jobrun_enqueue(
        kind="evaluations.generate_reports",
        actor=actor,
        organization=cycle.organization,
        parameters={"cycle_id": cycle.pk},
        label=f"360 reports: {cycle.name}"[:200],
    )


def reports_generate(*, cycle: Cycle, progress=None) -> int:
    """Compute and store every candidate's report for a closed cycle (re-runnable)."""
    from peacekit.evaluations.reporting import cycle_report_data

    _require_status(cycle, Cycle.Status.CLOSED)
    data_by_candidate = cycle_report_data(cycle=cycle, progress=progress)
    for attempt in range(3):
        try:
            _reports_write(cycle=cycle, data_by_candidate=data_by_candidate)
            break
        except IntegrityError:
            # A report opened right after close was written meanwhile: write again as updates.
            if attempt == 2:
                raise
    return len(data_by_candidate)


@transaction.atomic
def _reports_write(*, cycle: Cycle, data_by_candidate: dict[int, dict]) -> None:
    now = timezone.now()
    existing = {r.candidate_id: r for r in Report.objects.filter(cycle=cycle)}
    new, changed = [], []
    for candidate_id, data in data_by_candidate.items():
        index = data["promotability"].get("index")
        report = existing.get(candidate_id)
        if report is None:
            new.append(
                Report(
                    candidate_id=candidate_id,
                    cycle=cycle,
                    organization_id=cycle.organization_id,
                    data=data,
                    promotability_index=index,
                    generated_at=now,
                )
            )
        else:
            report.data, report.promotability_index, report.generated_at = data, index, now
            changed.append(report)
    Report.objects.bulk_create(new, batch_size=500)
    Report.objects.bulk_update(
        changed, ["data", "promotability_index", "generated_at"], batch_size=200
    )
    audit_record(
        actor=None,
        action="evaluation_reports.generate",
        obj=cycle,
        metadata={"reports": len(data_by_candidate)},
    )


def pdfs_enqueue(*, actor: User | None, cycle: Cycle) -> JobRun:
    """Queue the job that makes and stores every candidate's report PDF (closed cycle)."""
    _require_status(cycle, Cycle.Status.CLOSED)
    return jobrun_enqueue(
        kind="evaluations.prepare_pdfs",
        actor=actor,
        organization=cycle.organization,
        parameters={"cycle_id": cycle.pk},
        label=f"360 report PDFs: {cycle.name}"[:200],
    )


def report_for_candidate(*, candidate: Candidate) -> Report | None:
    """The candidate's report; right after close it is computed at once for them alone.

    The cycle's job writes every report (and the percentiles within the cycle) moments
    later; until then this report says its percentile is pending. None before close.
    """
    from peacekit.evaluations.reporting import cycle_report_data

    report = Report.objects.filter(candidate=candidate).select_related("cycle").first()
    cycle = Cycle.objects.select_related("framework").get(pk=candidate.cycle_id)
    if report is not None or cycle.status != Cycle.Status.CLOSED:
        return report
    data = cycle_report_data(cycle=cycle, candidate_ids=[candidate.pk])[candidate.pk]
    try:
        with transaction.atomic():
            return Report.objects.create(
                candidate=candidate,
                cycle=cycle,
                organization_id=cycle.organization_id,
                data=data,
                promotability_index=data["promotability"].get("index"),
            )
    except IntegrityError:
        return Report.objects.get(candidate=candidate)


def report_open(*, actor: User, report: Report, fmt: str = "html") -> None:
    """Record that someone opened a report (every open is audited)."""
    audit_record(
        actor=actor,
        action="evaluation_report.open",
        obj=report,
        organization=report.organization,
        metadata={"candidate_id": report.candidate_id, "format": fmt},
    )


@transaction.atomic
def candidate_group_set(*, actor: User, candidate: Candidate, category: str, group: str) -> None:
    """Record HR-supplied group membership for the four-fifths check (never scored)."""
    category, group = category.strip()[:60], group.strip()[:80]
    if not category:
        raise ValidationError({"category": _("Give a category.")})
    if group:
        CandidateGroup.objects.update_or_create(
            candidate=candidate, category=category, defaults={"group": group}
        )
    else:
        CandidateGroup.objects.filter(candidate=candidate, category=category).delete()
    audit_record(
        actor=actor,
        action="evaluation_candidate.group",
        obj=candidate,
        metadata={"category": category},
    )


def response_counts(cycle: Cycle) -> dict[int, dict[str, int]]:
    """Responses per candidate and group (counts only)."""
    out: dict[int, dict[str, int]] = defaultdict(dict)
    from django.db.models import Count

    rows = (
        RatingResponse.objects.filter(cycle=cycle)
        .values("candidate_id", "group")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        out[row["candidate_id"]][row["group"]] = row["n"]
    return out
