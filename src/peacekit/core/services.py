"""Core writes: organizations, people, roles, invitations, tokens, audit events and job runs.

Every service is keyword-only, atomic where it writes more than one row, and records an audit
event. Views, forms, API handlers and tasks call these; they hold no business logic themselves.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import secrets
import smtplib
import traceback
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection, send_mail
from django.db import models, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from peacekit.core.models import (
    ApiToken,
    AuditEvent,
    Invitation,
    JobRun,
    Membership,
    Organization,
    TwoFactorDevice,
    User,
)
from peacekit.core.sql import insert_objects

logger = logging.getLogger(__name__)


class JobError(Exception):
    """A job failure whose message is safe to show (written by us, never user text)."""


def hash_token(raw: str) -> str:
    """SHA-256 of a random token: tokens are stored only as hashes."""
    return hashlib.sha256(raw.encode()).hexdigest()


# ----------------------------------------------------------------------------- audit
def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    organization: Organization | None = None,
    metadata: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an audit event. `metadata` must hold ids and labels, never user-written text.

    The organization is `organization`, else `obj` itself or its `organization`; an `obj`
    with an ``organization_id`` gives it without loading the organization. Written with one
    cached INSERT (`core.sql.insert_objects`): audit events are append-only.
    """
    organization_id = organization.pk if organization is not None else None
    if organization is None and obj is not None:
        if isinstance(obj, Organization):
            organization_id = obj.pk
        else:
            organization_id = getattr(obj, "organization_id", None)
            if organization_id is None and hasattr(obj, "organization"):
                organization_id = getattr(obj.organization, "pk", None)
    event = AuditEvent(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=(actor.email if actor is not None and actor.is_authenticated else "system"),
        organization_id=organization_id,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=str(obj)[:200] if obj is not None else "",
        metadata=metadata or {},
    )
    insert_objects([event])
    return event


# ----------------------------------------------------------------------------- organizations
ORGANIZATION_FIELDS = (
    "name",
    "kind",
    "state",
    "county",
    "city",
    "ori_code",
    "email",
    "phone",
    "website",
    "address",
    "email_domain",
)


def _unique_slug(name: str) -> str:
    base = slugify(name)[:200] or "organization"
    slug, n = base, 2
    while Organization.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organization_create(*, actor: User | None, name: str, kind: str, **fields: Any) -> Organization:
    """Create an organization (program staff only, checked by the caller's access helper)."""
    unknown = set(fields) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown organization fields: {sorted(unknown)}")
    organization = Organization(name=name, kind=kind, slug=_unique_slug(name), **fields)
    organization.full_clean()
    organization.save()
    audit_record(actor=actor, action="organization.create", obj=organization)
    return organization


@transaction.atomic
def organization_update(*, actor: User, organization: Organization, **fields: Any) -> Organization:
    """Update an organization's details; records which fields changed."""
    changed = []
    for name, value in fields.items():
        if name not in ORGANIZATION_FIELDS:
            raise TypeError(f"Unknown organization field: {name}")
        if getattr(organization, name) != value:
            setattr(organization, name, value)
            changed.append(name)
    organization.full_clean()
    organization.save()
    audit_record(
        actor=actor, action="organization.update", obj=organization, metadata={"fields": changed}
    )
    return organization


# ----------------------------------------------------------------------------- people
@transaction.atomic
def user_create(
    *, email: str, password: str | None = None, full_name: str = "", actor: User | None = None
) -> User:
    """Create a user who signs in with this email (unusable password if none given)."""
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "A user with this email already exists."})
    user = User.objects.create_user(email=email, password=password, full_name=full_name)
    audit_record(actor=actor, action="user.create", obj=user)
    return user


@transaction.atomic
def membership_set(
    *, actor: User | None, organization: Organization, user: User, role: str
) -> Membership:
    """Give a user a role in an organization (creating or changing the membership)."""
    membership = Membership.objects.filter(organization=organization, user=user).first()
    previous = membership.role if membership else None
    if membership is None:
        membership = Membership(organization=organization, user=user, role=role)
    membership.role = role
    membership.full_clean()
    membership.save()
    audit_record(
        actor=actor,
        action="membership.set",
        obj=membership,
        organization=organization,
        metadata={"user_id": user.pk, "role": role, "previous_role": previous},
    )
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    """Remove a user from an organization; the last agency admin cannot remove themselves."""
    admins = Membership.objects.filter(
        organization=membership.organization, role=membership.role
    ).count()
    if (
        membership.user_id == actor.pk
        and membership.role in {Membership.Role.AGENCY_ADMIN, Membership.Role.PROGRAM_ADMIN}
        and admins <= 1
    ):
        raise ValidationError("You are the last administrator of this organization.")
    audit_record(
        actor=actor,
        action="membership.remove",
        obj=membership,
        organization=membership.organization,
        metadata={"user_id": membership.user_id, "role": membership.role},
    )
    membership.delete()


@transaction.atomic
def invitation_create(
    *, actor: User, organization: Organization, email: str, role: str
) -> tuple[Invitation, str]:
    """Invite someone by email to join an organization; returns the invitation and raw token."""
    email = User.objects.normalize_email(email).lower()
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise ValidationError({"email": "This person is already a member."})
    raw = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        role=role,
        token_hash=hash_token(raw),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.PEACEKIT_INVITATION_DAYS),
    )
    link = settings.SITE_URL + reverse("core:invitation_accept", args=[raw])
    body = render_to_string(
        "core/email/invitation.txt",
        {"invitation": invitation, "link": link, "inviter": actor},
    )
    email_send(
        subject=f"You are invited to {organization.name} on peacekit",
        body=body,
        to=[email],
        organization=organization,
    )
    audit_record(
        actor=actor,
        action="invitation.create",
        obj=invitation,
        organization=organization,
        metadata={"role": role},
    )
    return invitation, raw


def invitation_get_open(*, token: str) -> Invitation | None:
    """Find the open invitation for a raw token (None if unknown, used, revoked or expired)."""
    invitation = (
        Invitation.objects.select_related("organization")
        .filter(token_hash=hash_token(token))
        .first()
    )
    return invitation if invitation is not None and invitation.is_open else None


@transaction.atomic
def invitation_accept(*, token: str, full_name: str, password: str) -> User:
    """Accept an invitation: create or reuse the user and give them the invited role."""
    invitation = invitation_get_open(token=token)
    if invitation is None:
        raise ValidationError("This invitation link is invalid, used or expired.")
    # Lock the row so a double click cannot accept twice.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError("This invitation has already been accepted.")
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        user = User.objects.create_user(
            email=invitation.email, password=password, full_name=full_name
        )
    membership_set(
        actor=user, organization=invitation.organization, user=user, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at", "updated_at"])
    audit_record(
        actor=user,
        action="invitation.accept",
        obj=invitation,
        organization=invitation.organization,
    )
    return user


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    """Revoke an open invitation so its link stops working."""
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    audit_record(actor=actor, action="invitation.revoke", obj=invitation)


# ----------------------------------------------------------------------------- API tokens
TOKEN_PREFIX = "pk_"


@transaction.atomic
def api_token_create(
    *, user: User, name: str, expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """Create a personal access token; the raw token is returned once and stored hashed."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip() or "API token",
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        token_hash=hash_token(raw),
        expires_at=(timezone.now() + timedelta(days=expires_in_days)) if expires_in_days else None,
    )
    audit_record(actor=user, action="api_token.create", obj=token, organization=None)
    return token, raw


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken) -> None:
    """Revoke a token: it stops working at once."""
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])
    audit_record(actor=user, action="api_token.revoke", obj=token, organization=None)


def api_token_authenticate(*, raw: str) -> User | None:
    """The active user behind a raw token, or None; records when it was last used."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# ----------------------------------------------------------------------------- email
# Seconds to wait before each retry of an email the mail server did not take; then give up.
EMAIL_RETRY_DELAYS = (30, 120, 600, 1800, 3600)
EMAIL_ERRORS = (OSError, smtplib.SMTPException)


def email_send(
    *, subject: str, body: str, to: list[str], organization: Organization | None = None
) -> None:
    """Send an email once the transaction commits; if the mail server is down, queue it.

    The queued `core.send_email` job retries on EMAIL_RETRY_DELAYS, so a mail outage never
    turns a saved invitation into an error page and never loses the message.
    """

    def send_now() -> None:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to, fail_silently=False)
        except EMAIL_ERRORS as exc:
            logger.warning("email not sent (%s); queued for retry", type(exc).__name__)
            email_queue(subject=subject, body=body, to=to, organization=organization)

    transaction.on_commit(send_now)


def email_send_many(
    *, messages: list[tuple[str, str, list[str]]], organization: Organization | None = None
) -> None:
    """Send many emails (subject, body, recipients) over one connection once the transaction
    commits; if the mail server fails, the ones not yet sent are queued for retry (none is
    sent twice, none is lost)."""
    messages = list(messages)

    def send_now() -> None:
        sent = 0
        try:
            with get_connection(fail_silently=False) as connection:
                for subject, body, to in messages:
                    EmailMessage(
                        subject, body, settings.DEFAULT_FROM_EMAIL, to, connection=connection
                    ).send()
                    sent += 1
        except EMAIL_ERRORS as exc:
            logger.warning(
                "%d of %d emails not sent (%s); queued for retry",
                len(messages) - sent, len(messages), type(exc).__name__,
            )  # fmt: skip
            for subject, body, to in messages[sent:]:
                email_queue(subject=subject, body=body, to=to, organization=organization)

    if messages:
        transaction.on_commit(send_now)


def email_queue(
    *, subject: str, body: str, to: list[str], organization: Organization | None = None
) -> JobRun:
    """Queue an email as a `core.send_email` job (subject, body and recipients encrypted)."""
    from peacekit.core.fields import encrypt_text

    return jobrun_enqueue(
        kind="core.send_email",
        actor=None,
        organization=organization,
        parameters={
            "subject": encrypt_text(subject),
            "body": encrypt_text(body),
            "to": encrypt_text(json.dumps(to)),
        },
    )


def email_retry_delay(attempts: int) -> int | None:
    """Seconds before the next try after `attempts` failed tries; None when it is time to stop."""
    if attempts < 1 or attempts > len(EMAIL_RETRY_DELAYS):
        return None
    return EMAIL_RETRY_DELAYS[attempts - 1]


# ----------------------------------------------------------------------------- jobs
def jobrun_enqueue(
    *,
    kind: str,
    actor: User | None,
    organization: Organization | None,
    parameters: dict[str, Any] | None = None,
    label: str = "",
) -> JobRun:
    """Create a JobRun and enqueue it once the surrounding transaction commits."""
    from peacekit.core.jobs import get_job_kind

    job_kind = get_job_kind(kind)
    with transaction.atomic():
        job = JobRun.objects.create(
            kind=kind,
            label=label or job_kind.label,
            parameters=parameters or {},
            organization=organization,
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        audit_record(actor=actor, action="job.enqueue", obj=job, organization=organization)
        transaction.on_commit(lambda: _enqueue_task(job.pk))
    return job


def jobrun_enqueue_per_organization(
    *, kind: str, organization_ids: set[int], label: str = ""
) -> list[int]:
    """Queue one `kind` job for each organization that has none queued or running yet
    (periodic checks use it; two workers doing it at once at worst queue a job that finds
    nothing to do, so handlers must be idempotent). Returns the new JobRun ids."""
    if not organization_ids:
        return []
    busy = set(
        JobRun.objects.filter(
            kind=kind, organization_id__in=organization_ids,
            status__in=[JobRun.Status.QUEUED, JobRun.Status.RUNNING],
        ).values_list("organization_id", flat=True)
    )  # fmt: skip
    return [
        jobrun_enqueue(kind=kind, actor=None, organization=org, label=label).pk
        for org in Organization.objects.filter(pk__in=organization_ids - busy)
    ]


def _enqueue_task(job_run_id: int) -> None:
    from peacekit.core.tasks import run_job

    result = run_job.enqueue(job_run_id)
    JobRun.objects.filter(pk=job_run_id).update(task_id=str(result.id)[:64])


def jobrun_report_progress(*, job: JobRun, percent: float, message: str = "") -> None:
    """Record progress and a heartbeat (a single UPDATE, so pages polling see it at once)."""
    percent = int(max(0, min(100, percent)))
    job.progress, job.message = percent, message[:200]
    JobRun.objects.filter(pk=job.pk).update(
        progress=percent, message=message[:200], heartbeat_at=timezone.now()
    )


def jobrun_execute(*, job_run_id: int, worker_id: str = "") -> str:
    """Claim a queued job and run its handler; a job already claimed or finished is skipped."""
    from peacekit.core.jobs import Progress, get_job_kind

    worker_id = worker_id or os.environ.get("PEACEKIT_WORKER_ID", "")
    now = timezone.now()
    claimed = JobRun.objects.filter(pk=job_run_id, status=JobRun.Status.QUEUED).update(
        status=JobRun.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        finished_at=None,
        attempts=F("attempts") + 1,
        worker_id=worker_id[:64],
        error_summary="",
    )
    if not claimed:
        return "skipped"
    job = JobRun.objects.get(pk=job_run_id)
    try:
        outcome = get_job_kind(job.kind).handler(job, Progress(job)) or {}
    except Exception as exc:  # noqa: BLE001 - every failure must be recorded on the row
        summary = str(exc) if isinstance(exc, JobError) else f"{type(exc).__name__}: job failed"
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            summary = "The server ran out of disk space; nothing was saved. Try again later."
        # Log the traceback's frames and the class only: exception messages may quote input.
        logger.error(
            "job %s (%s) failed with %s\n%s",
            job.pk,
            job.kind,
            type(exc).__name__,
            "".join(traceback.format_tb(exc.__traceback__)),
        )
        JobRun.objects.filter(pk=job.pk).update(
            status=JobRun.Status.FAILED,
            finished_at=timezone.now(),
            error_summary=summary[:300],
            message="Failed",
        )
        return JobRun.Status.FAILED
    result = {**job.result, **outcome}
    JobRun.objects.filter(pk=job.pk).update(
        status=JobRun.Status.SUCCEEDED,
        progress=100,
        message="Done",
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
        result=result,
        result_url=str(result.get("result_url", job.result_url))[:300],
    )
    return JobRun.Status.SUCCEEDED


def jobrun_checkpoint(*, job: JobRun, **values: Any) -> None:
    """Save resumable state in job.result so a re-run after a crash continues, not repeats."""
    job.result = {**job.result, **values}
    JobRun.objects.filter(pk=job.pk).update(result=job.result, heartbeat_at=timezone.now())


@transaction.atomic
def jobrun_retry(*, actor: User | None, job: JobRun, stale_before=None) -> JobRun:
    """Queue a failed job (or a running one whose heartbeat is older than stale_before) again."""
    runnable = Q(status=JobRun.Status.FAILED)
    if stale_before is not None:
        runnable |= Q(status=JobRun.Status.RUNNING) & (
            Q(heartbeat_at__lt=stale_before) | Q(heartbeat_at__isnull=True)
        )
    updated = (
        JobRun.objects.filter(pk=job.pk)
        .filter(runnable)
        .update(status=JobRun.Status.QUEUED, progress=0, message="Queued again")
    )
    if not updated:
        raise ValidationError("Only a failed or interrupted job can be run again.")
    audit_record(actor=actor, action="job.retry", obj=job, organization=job.organization)
    transaction.on_commit(lambda: _enqueue_task(job.pk))
    job.refresh_from_db()
    return job


def jobrun_recover_stale(*, older_than_seconds: int | None = None) -> list[int]:
    """Re-queue running jobs whose worker stopped sending heartbeats (killed or lost)."""
    seconds = older_than_seconds or settings.PEACEKIT_JOB_STALE_SECONDS
    cutoff = timezone.now() - timedelta(seconds=seconds)
    stale = list(
        JobRun.objects.filter(status=JobRun.Status.RUNNING)
        .filter(Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True))
        .values_list("pk", flat=True)
    )
    recovered = []
    for pk in stale:
        job = JobRun.objects.get(pk=pk)
        try:
            jobrun_retry(actor=None, job=job, stale_before=cutoff)
            recovered.append(pk)
        except ValidationError:
            continue
    return recovered


# ----------------------------------------------------------------------------- two-factor
def two_factor_begin(*, user: User) -> TwoFactorDevice:
    """Start (or restart) authenticator setup with a fresh secret; unconfirmed until verified."""
    from peacekit.core import totp

    device, _created = TwoFactorDevice.objects.update_or_create(
        user=user, defaults={"secret": totp.new_secret(), "confirmed_at": None, "last_counter": 0}
    )
    return device


@transaction.atomic
def two_factor_verify(*, user: User, code: str, confirm: bool = False) -> bool:
    """Check a code (each accepted once); with confirm=True a valid code turns 2FA on."""
    from peacekit.core import totp

    device = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
    if device is None:
        return False
    counter = totp.verify(device.secret, code)
    if counter is None or counter <= device.last_counter:
        audit_record(actor=user, action="two_factor.failed", obj=device, organization=None)
        return False
    device.last_counter = counter
    fields = ["last_counter", "updated_at"]
    if confirm and device.confirmed_at is None:
        device.confirmed_at = timezone.now()
        fields.append("confirmed_at")
        audit_record(actor=user, action="two_factor.enable", obj=device, organization=None)
    device.save(update_fields=fields)
    return True


@transaction.atomic
def two_factor_disable(*, user: User) -> None:
    """Turn two-factor sign-in off (staff in production must set it up again)."""
    deleted, _ = TwoFactorDevice.objects.filter(user=user).delete()
    if deleted:
        audit_record(actor=user, action="two_factor.disable", obj=user, organization=None)
