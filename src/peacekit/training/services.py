"""Training writes: catalog, licences, rosters, enrollments, certificates and certification.

Every service is keyword-only, atomic and audited; audit metadata carries ids and labels only.
"""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from peacekit.core.models import Membership, Organization, User
from peacekit.core.services import audit_record, email_send, hash_token
from peacekit.training.models import (
    REMINDER_DAYS,
    AgencyCertification,
    Certificate,
    CertificationRequirement,
    Course,
    CourseModule,
    Enrollment,
    Learner,
    LearnerCategory,
    LicencePool,
    Offering,
    PolicyAttestation,
    QuizAttempt,
    QuizQuestion,
    Seat,
    certification_expiry,
    plaque_due,
)

ALERT_THRESHOLDS = (75, 100)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud


def _agency_admin_emails(organization: Organization) -> list[str]:
    return list(
        Membership.objects.filter(
            organization=organization, role=Membership.Role.AGENCY_ADMIN, user__is_active=True
        ).values_list("user__email", flat=True)
    )


def _mail_on_commit(
    subject: str, body: str, recipients: list[str], organization: Organization | None = None
) -> None:
    """Send once the transaction commits; a down mail server queues a retry job instead."""
    if recipients:
        email_send(
            subject=str(subject), body=str(body), to=list(recipients), organization=organization
        )


# ----------------------------------------------------------------------------- catalog
COURSE_FIELDS = (
    "title",
    "summary",
    "modality",
    "contact_hours",
    "ce_credits",
    "topics",
    "learning_objectives",
    "lesson_plan",
    "assessment",
    "instructor_qualifications",
    "is_flagship",
    "is_train_the_trainer",
    "passing_score",
    "is_published",
)


@transaction.atomic
def course_create(*, actor: User | None, organization: Organization, **fields: Any) -> Course:
    """Add a course to the catalog, owned by the providing organization."""
    unknown = set(fields) - set(COURSE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown course fields: {sorted(unknown)}")
    course = Course(organization=organization, **fields)
    course.full_clean()
    course.save()
    audit_record(actor=actor, action="course.create", obj=course)
    return course


@transaction.atomic
def course_update(*, actor: User, course: Course, **fields: Any) -> Course:
    """Change a course's catalog entry; records which fields changed."""
    changed = []
    for name, value in fields.items():
        if name not in COURSE_FIELDS:
            raise TypeError(f"Unknown course field: {name}")
        if getattr(course, name) != value:
            setattr(course, name, value)
            changed.append(name)
    course.full_clean()
    course.save()
    audit_record(actor=actor, action="course.update", obj=course, metadata={"fields": changed})
    return course


@transaction.atomic
def module_add(
    *, actor: User | None, course: Course, title: str, body: str = "", video_url: str = ""
) -> CourseModule:
    """Append a page (text and optional video link) to an online course."""
    last = course.modules.aggregate(m=Max("position"))["m"] or 0
    module = CourseModule(
        course=course, position=last + 1, title=title, body=body, video_url=video_url
    )
    module.full_clean()
    module.save()
    audit_record(
        actor=actor,
        action="course.module_add",
        obj=course,
        metadata={"module_id": module.pk},
    )
    return module


@transaction.atomic
def question_add(
    *, actor: User | None, course: Course, prompt: str, choices: list[str], correct_index: int
) -> QuizQuestion:
    """Add a multiple-choice question (correct_index counts from 1) to a course's check."""
    choices = [c.strip() for c in choices if c and c.strip()]
    if len(choices) < 2:
        raise ValidationError({"choices": _("Give at least two choices.")})
    if not 1 <= correct_index <= len(choices):
        raise ValidationError(
            {"correct_index": _("The correct choice must be between 1 and %(n)s.")
             % {"n": len(choices)}}
        )  # fmt: skip
    last = course.questions.aggregate(m=Max("position"))["m"] or 0
    question = QuizQuestion.objects.create(
        course=course,
        position=last + 1,
        prompt=prompt,
        choices=choices,
        correct_index=correct_index,
    )
    audit_record(
        actor=actor,
        action="course.question_add",
        obj=course,
        metadata={"question_id": question.pk},
    )
    return question


@transaction.atomic
def offering_create(
    *,
    actor: User | None,
    course: Course,
    organization: Organization,
    starts_on: date,
    ends_on: date,
    capacity: int,
    location: str = "",
    instructors: str = "",
) -> Offering:
    """Schedule a delivery of a course for a host organization."""
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date is before the start date.")})
    offering = Offering(
        course=course,
        organization=organization,
        starts_on=starts_on,
        ends_on=ends_on,
        capacity=capacity,
        location=location,
        instructors=instructors,
    )
    offering.full_clean()
    offering.save()
    audit_record(
        actor=actor, action="offering.create", obj=offering, metadata={"course_id": course.pk}
    )
    return offering


@transaction.atomic
def offering_enroll(*, actor: User | None, offering: Offering, learner: Learner) -> Enrollment:
    """Put a learner of the host organization on an offering's roster (capacity enforced)."""
    offering = Offering.objects.select_for_update().get(pk=offering.pk)
    if learner.organization_id != offering.organization_id:
        raise ValidationError(_("This person is not on the host agency's roster."))
    existing = Enrollment.objects.filter(offering=offering, learner=learner).first()
    if existing is not None:
        return existing
    if offering.enrollments.count() >= offering.capacity:
        raise ValidationError(_("This offering is full."))
    enrollment = Enrollment.objects.create(
        learner=learner,
        organization=learner.organization,
        course=offering.course,
        offering=offering,
    )
    audit_record(
        actor=actor,
        action="enrollment.create",
        obj=enrollment,
        metadata={"offering_id": offering.pk, "learner_id": learner.pk},
    )
    return enrollment


@transaction.atomic
def attendance_record(*, actor: User, enrollment: Enrollment, attended: bool) -> Enrollment:
    """Mark attendance at an offering; attending an offering without a quiz completes it."""
    enrollment.attended = attended
    enrollment.save(update_fields=["attended", "updated_at"])
    audit_record(
        actor=actor, action="enrollment.attendance", obj=enrollment, metadata={"attended": attended}
    )
    if attended and not enrollment.course.questions.exists():
        enrollment_complete(actor=actor, enrollment=enrollment)
    return enrollment


class EvaluationUnavailable(Exception):
    """The surveys app (level-1/level-2 evaluation) is not installed."""


@transaction.atomic
def offering_evaluation_create(*, actor: User, offering: Offering):
    """Create the offering's level-1 (reaction) and level-2 (knowledge) survey, pre and post,
    in the surveys app when it is installed; returns the existing one if already made."""
    try:
        from peacekit.surveys.models import Instrument, Survey
        from peacekit.surveys.services import library_ensure, survey_create
    except ImportError as exc:
        raise EvaluationUnavailable from exc
    existing = Survey.objects.filter(
        organization=offering.organization,
        target_type="training_offering",
        target_object_id=offering.pk,
    ).first()
    if existing is not None:
        return existing
    library_ensure()
    instruments = list(
        Instrument.objects.filter(
            organization__isnull=True, is_library=True, kind__in=["feedback", "knowledge"]
        )
    )
    if not instruments:
        raise EvaluationUnavailable
    survey = survey_create(
        actor=actor,
        organization=offering.organization,
        title=_("Evaluation: %(course)s, %(date)s")
        % {"course": offering.course.title[:120], "date": offering.starts_on.isoformat()},
        target_type="training_offering",
        target_label=str(offering)[:200],
        target_object_id=offering.pk,
        instruments=instruments,
    )
    audit_record(
        actor=actor,
        action="offering.evaluation_create",
        obj=offering,
        metadata={"survey_id": survey.pk},
    )
    return survey


# ----------------------------------------------------------------------------- learners
@transaction.atomic
def learner_create(
    *,
    actor: User | None,
    organization: Organization,
    full_name: str,
    email: str,
    category: str,
    rank: str = "",
) -> Learner:
    """Add a person to an agency's training roster."""
    learner = Learner(
        organization=organization,
        full_name=full_name.strip(),
        email=email.strip().lower(),
        rank=rank.strip(),
        category=category,
    )
    learner.user = User.objects.filter(email__iexact=learner.email).first()
    learner.full_clean()
    learner.save()
    audit_record(actor=actor, action="learner.create", obj=learner)
    return learner


class RosterImportError(ValidationError):
    """A roster file with errors: nothing was imported; `row_errors` says where and why."""

    def __init__(self, row_errors: list[str]):
        self.row_errors = row_errors
        super().__init__(row_errors)


@dataclass
class RosterImportResult:
    created: int
    updated: int
    seats_assigned: int


ROSTER_COLUMNS = ("name", "email", "rank", "category")
MAX_ROSTER_ROWS = 5000


def _category_from_text(value: str) -> str | None:
    text = value.strip().lower()
    for code, label in LearnerCategory.choices:
        if text in {code, str(label).lower()}:
            return code
    aliases = {
        "sworn officer": "sworn",
        "officer": "sworn",
        "police leader": "leader",
        "leader": "leader",
        "associate": "associate",
        "representative": "associate",
        "police associates/representatives": "associate",
        "elected official": "elected",
        "civilian": "civilian",
    }
    return aliases.get(text)


@transaction.atomic
def roster_import(
    *, actor: User, organization: Organization, content: bytes, assign_seats: bool = False
) -> RosterImportResult:
    """Import a CSV roster (name, email, rank, category): all rows or none, errors by row."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RosterImportError([_("The file is not UTF-8 text (save it as CSV UTF-8).")]) from exc
    reader = csv.DictReader(io.StringIO(text))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("name", "email", "category") if c not in headers]
    if missing:
        raise RosterImportError(
            [_("Missing column(s): %(cols)s. Expected: name, email, rank, category.")
             % {"cols": ", ".join(missing)}]
        )  # fmt: skip
    errors: list[str] = []
    rows: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(reader, start=2):  # row 1 is the header
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        if not any(row.values()):
            continue
        if len(rows) >= MAX_ROSTER_ROWS:
            errors.append(_("More than %(n)s rows: split the file.") % {"n": MAX_ROSTER_ROWS})
            break
        email = row.get("email", "").lower()
        problems = []
        if not row.get("name"):
            problems.append(_("name is empty"))
        elif len(row["name"]) > 200:
            problems.append(_("name is longer than 200 characters"))
        try:
            validate_email(email)
        except ValidationError:
            problems.append(_("email is not a valid address"))
        category = _category_from_text(row.get("category", ""))
        if category is None:
            problems.append(
                _("category must be one of: %(choices)s")
                % {"choices": ", ".join(code for code, _label in LearnerCategory.choices)}
            )
        if len(row.get("rank", "")) > 100:
            problems.append(_("rank is longer than 100 characters"))
        if email and email in seen:
            problems.append(_("email repeats row %(row)s") % {"row": seen[email]})
        if problems:
            errors.append(
                _("Row %(row)s: %(problems)s.") % {"row": number, "problems": "; ".join(problems)}
            )
        else:
            seen[email] = number
            rows.append({**row, "email": email, "category": category})
    if not errors and not rows:
        errors.append(_("The file has no rows."))
    if errors:
        raise RosterImportError(errors)

    existing = {
        learner.email: learner
        for learner in Learner.objects.filter(organization=organization, email__in=list(seen))
    }
    users = {u.email.lower(): u for u in User.objects.filter(email__in=list(seen))}
    created = updated = 0
    to_create = []
    for row in rows:
        learner = existing.get(row["email"])
        if learner is None:
            to_create.append(
                Learner(
                    organization=organization,
                    full_name=row["name"],
                    email=row["email"],
                    rank=row.get("rank", ""),
                    category=row["category"],
                    user=users.get(row["email"]),
                )
            )
            created += 1
        elif (learner.full_name, learner.rank, learner.category) != (
            row["name"], row.get("rank", ""), row["category"]
        ):  # fmt: skip
            learner.full_name, learner.rank, learner.category = (
                row["name"], row.get("rank", ""), row["category"]
            )  # fmt: skip
            learner.save(update_fields=["full_name", "rank", "category", "updated_at"])
            updated += 1
    Learner.objects.bulk_create(to_create)
    seats_assigned = 0
    if assign_seats:
        learners = Learner.objects.filter(organization=organization, email__in=list(seen))
        seats_assigned = _assign_many(actor=actor, organization=organization, learners=learners)
    audit_record(
        actor=actor,
        action="learner.import",
        obj=organization,
        metadata={"created": created, "updated": updated, "seats_assigned": seats_assigned},
    )
    return RosterImportResult(created=created, updated=updated, seats_assigned=seats_assigned)


def _assign_many(*, actor: User, organization: Organization, learners) -> int:
    """Give a seat to every learner without one; fails (rolls back) if a pool runs short."""
    holders = set(
        Seat.objects.filter(organization=organization, status__in=Seat.IN_USE).values_list(
            "learner_id", flat=True
        )
    )
    needing: dict[str, list[Learner]] = {}
    for learner in learners:
        if learner.pk not in holders:
            needing.setdefault(learner.category, []).append(learner)
    errors = []
    plans = []
    for category, people in needing.items():
        pool = LicencePool.objects.filter(organization=organization, category=category).first()
        free = (
            list(
                pool.seats.filter(status__in=[Seat.Status.UNASSIGNED, Seat.Status.REVOKED])
                .select_for_update()
                .order_by("number")[: len(people)]
            )
            if pool
            else []
        )
        if len(free) < len(people):
            errors.append(
                _("%(category)s: %(need)s people need a seat but %(free)s seats are free.")
                % {
                    "category": LearnerCategory(category).label,
                    "need": len(people),
                    "free": len(free),
                }
            )
            continue
        plans.append((pool, free, people))
    if errors:
        raise RosterImportError(errors)
    now = timezone.now()
    count = 0
    for pool, free, people in plans:
        for seat, learner in zip(free, people, strict=False):
            seat.learner, seat.status, seat.assigned_at = learner, Seat.Status.ASSIGNED, now
            seat.activated_at = seat.revoked_at = None
        Seat.objects.bulk_update(
            free, ["learner", "status", "assigned_at", "activated_at", "revoked_at"]
        )
        count += len(free)
        _pool_check_alerts(pool=pool)
    return count


@transaction.atomic
def learner_send_link(*, actor: User | None, learner: Learner) -> str:
    """Email the learner a personal course link (a new one: any older link stops working)."""
    raw = secrets.token_urlsafe(24)
    learner.link_token_hash = hash_token(raw)
    learner.link_sent_at = timezone.now()
    learner.save(update_fields=["link_token_hash", "link_sent_at", "updated_at"])
    link = settings.SITE_URL + reverse("training:learn_home", args=[raw])
    body = _(
        "Hello %(name)s,\n\n%(org)s has given you access to Peace Officer online training.\n"
        "Your personal course link (do not share it):\n%(link)s\n\n"
        "If you have a peacekit account you can also sign in and open My training."
    ) % {"name": learner.full_name, "org": learner.organization.name, "link": link}
    _mail_on_commit(
        _("Your Peace Officer training link"), body, [learner.email], learner.organization
    )
    audit_record(actor=actor, action="learner.send_link", obj=learner)
    return raw


def learner_from_token(*, token: str) -> Learner | None:
    """The learner whose personal course link carries this token, or None."""
    if not token or len(token) > 100:
        return None
    return (
        Learner.objects.select_related("organization")
        .filter(link_token_hash=hash_token(token))
        .first()
    )


# ----------------------------------------------------------------------------- licences
def _pool_used(pool: LicencePool) -> int:
    return pool.seats.filter(status__in=Seat.IN_USE).count()


def _level(used: int, size: int) -> int:
    if size and used >= size:
        return 100
    if size and used * 100 >= 75 * size:
        return 75
    return 0


def _pool_check_alerts(*, pool: LicencePool) -> int:
    """Alert agency admins once per upward threshold crossing; re-arm when use drops below."""
    pool = LicencePool.objects.select_for_update().get(pk=pool.pk)
    used = _pool_used(pool)
    level = _level(used, pool.size)
    crossed = [t for t in ALERT_THRESHOLDS if pool.alert_level < t <= level]
    if level != pool.alert_level:
        LicencePool.objects.filter(pk=pool.pk).update(alert_level=level)
    for threshold in crossed:
        subject = _("%(org)s: %(category)s licences %(pct)s%% used") % {
            "org": pool.organization.name,
            "category": pool.get_category_display(),
            "pct": threshold,
        }
        body = _(
            "%(used)s of %(size)s %(category)s seats are now assigned (%(pct)s%% threshold).\n"
            "Manage licences: %(link)s"
        ) % {
            "used": used,
            "size": pool.size,
            "category": pool.get_category_display(),
            "pct": threshold,
            "link": settings.SITE_URL + reverse("training:licences", args=[pool.organization_id]),
        }
        _mail_on_commit(subject, body, _agency_admin_emails(pool.organization), pool.organization)
        audit_record(
            actor=None,
            action="licence.alert",
            obj=pool,
            metadata={"threshold": threshold, "used": used, "size": pool.size},
        )
    return level


@transaction.atomic
def licence_pool_set(
    *, actor: User | None, organization: Organization, category: str, size: int
) -> LicencePool:
    """Buy or resize an agency's seats in one category (never below the seats in use)."""
    if category not in LearnerCategory.values:
        raise ValidationError({"category": _("Unknown category.")})
    if size < 0:
        raise ValidationError({"size": _("Seats cannot be negative.")})
    pool, created = LicencePool.objects.get_or_create(
        organization=organization, category=category, defaults={"size": 0}
    )
    pool = LicencePool.objects.select_for_update().get(pk=pool.pk)
    current = pool.seats.count()
    if size < current:
        removable = pool.seats.filter(
            status__in=[Seat.Status.UNASSIGNED, Seat.Status.REVOKED]
        ).order_by("-number")
        surplus = current - size
        if removable.count() < surplus:
            in_use = current - removable.count()
            raise ValidationError(
                {"size": _("%(used)s seats are in use; cannot shrink to %(size)s.")
                 % {"used": in_use, "size": size}}
            )  # fmt: skip
        Seat.objects.filter(pk__in=list(removable.values_list("pk", flat=True)[:surplus])).delete()
    elif size > current:
        top = pool.seats.aggregate(m=Max("number"))["m"] or 0
        Seat.objects.bulk_create(
            Seat(pool=pool, organization=organization, number=top + i + 1)
            for i in range(size - current)
        )
    previous = pool.size
    pool.size = size
    pool.save(update_fields=["size", "updated_at"])
    _pool_check_alerts(pool=pool)
    audit_record(
        actor=actor,
        action="licence.pool_set",
        obj=pool,
        metadata={"category": category, "size": size, "previous": 0 if created else previous},
    )
    return pool


@transaction.atomic
def licence_assign(*, actor: User | None, learner: Learner) -> Seat:
    """Give a learner a seat from their category's pool (a free or revoked seat)."""
    held = Seat.objects.filter(learner=learner, status__in=Seat.IN_USE).first()
    if held is not None:
        return held
    pool = LicencePool.objects.filter(
        organization=learner.organization, category=learner.category
    ).first()
    if pool is None:
        raise ValidationError(
            _("The agency has no %(category)s licences.")
            % {"category": learner.get_category_display()}
        )
    seat = (
        pool.seats.select_for_update()
        .filter(status__in=[Seat.Status.UNASSIGNED, Seat.Status.REVOKED])
        .order_by("number")
        .first()
    )
    if seat is None:
        raise ValidationError(
            _("All %(size)s %(category)s seats are in use: revoke one or buy more.")
            % {"size": pool.size, "category": pool.get_category_display()}
        )
    seat.learner, seat.status, seat.assigned_at = learner, Seat.Status.ASSIGNED, timezone.now()
    seat.activated_at = seat.revoked_at = None
    seat.save()
    audit_record(
        actor=actor, action="licence.assign", obj=seat, metadata={"learner_id": learner.pk}
    )
    _pool_check_alerts(pool=pool)
    return seat


@transaction.atomic
def licence_revoke(*, actor: User, seat: Seat) -> Seat:
    """Take a seat back; it can then be assigned to someone else."""
    if seat.status not in Seat.IN_USE:
        raise ValidationError(_("Only an assigned or activated seat can be revoked."))
    learner_id = seat.learner_id
    seat.status, seat.revoked_at, seat.learner = Seat.Status.REVOKED, timezone.now(), None
    seat.save()
    audit_record(
        actor=actor, action="licence.revoke", obj=seat, metadata={"learner_id": learner_id}
    )
    _pool_check_alerts(pool=seat.pool)
    return seat


def _seat_activate(*, learner: Learner) -> Seat | None:
    seat = Seat.objects.filter(learner=learner, status__in=Seat.IN_USE).first()
    if seat is not None and seat.status == Seat.Status.ASSIGNED:
        seat.status, seat.activated_at = Seat.Status.ACTIVATED, timezone.now()
        seat.save(update_fields=["status", "activated_at", "updated_at"])
        audit_record(
            actor=None, action="licence.activate", obj=seat, metadata={"learner_id": learner.pk}
        )
    return seat


# ----------------------------------------------------------------------------- online learning
@transaction.atomic
def enrollment_start(*, learner: Learner, course: Course) -> Enrollment:
    """Open an online course for a learner holding a seat (activates the seat)."""
    if not (course.is_online and course.is_published):
        raise ValidationError(_("This course is not available online."))
    seat = _seat_activate(learner=learner)
    if seat is None:
        raise ValidationError(_("You need a licence seat from your agency to take this course."))
    enrollment, created = Enrollment.objects.get_or_create(
        learner=learner,
        course=course,
        offering=None,
        defaults={"organization": learner.organization, "status": Enrollment.Status.IN_PROGRESS},
    )
    if created:
        audit_record(
            actor=None,
            action="enrollment.start",
            obj=enrollment,
            metadata={"course_id": course.pk, "learner_id": learner.pk},
        )
    return enrollment


@transaction.atomic
def module_view(*, enrollment: Enrollment, module: CourseModule) -> None:
    """Record that the learner opened a module page (once per module)."""
    if module.course_id != enrollment.course_id:
        raise ValidationError(_("This page belongs to another course."))
    if module.pk not in enrollment.modules_viewed:
        enrollment.modules_viewed = [*enrollment.modules_viewed, module.pk]
        enrollment.save(update_fields=["modules_viewed", "updated_at"])
        audit_record(
            actor=None,
            action="enrollment.module_view",
            obj=enrollment,
            metadata={"module_id": module.pk},
        )


@transaction.atomic
def quiz_submit(
    *, enrollment: Enrollment, answers: dict[int, int], submission_key: str
) -> QuizAttempt:
    """Score a knowledge check; passing completes the course. A retried POST counts once."""
    if not submission_key or len(submission_key) > 64:
        raise ValidationError(_("The form expired; open the knowledge check again."))
    existing = QuizAttempt.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        if existing.enrollment_id != enrollment.pk:
            raise ValidationError(_("The form expired; open the knowledge check again."))
        return existing
    questions = list(enrollment.course.questions.all())
    if not questions:
        raise ValidationError(_("This course has no knowledge check."))
    unanswered = [q for q in questions if q.pk not in answers]
    if unanswered:
        raise ValidationError(
            _("Answer every question (%(n)s unanswered).") % {"n": len(unanswered)}
        )
    correct = sum(1 for q in questions if answers[q.pk] == q.correct_index)
    score = round(100 * correct / len(questions))
    passed = score >= enrollment.course.passing_score
    try:
        with transaction.atomic():
            attempt = QuizAttempt.objects.create(
                enrollment=enrollment,
                submission_key=submission_key,
                score=score,
                passed=passed,
                answers={str(k): v for k, v in answers.items()},
            )
    except IntegrityError:  # a concurrent duplicate of the same submission
        return QuizAttempt.objects.get(submission_key=submission_key)
    if enrollment.best_score is None or score > enrollment.best_score:
        enrollment.best_score = score
        enrollment.save(update_fields=["best_score", "updated_at"])
    audit_record(
        actor=None,
        action="enrollment.quiz",
        obj=enrollment,
        metadata={"score": score, "passed": passed},
    )
    if passed and enrollment.status != Enrollment.Status.COMPLETED:
        enrollment_complete(actor=None, enrollment=enrollment)
    return attempt


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


@transaction.atomic
def enrollment_complete(
    *, actor: User | None, enrollment: Enrollment, when: datetime | None = None
) -> Certificate:
    """Complete an enrollment: award CE credits and issue a certificate (once)."""
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    course = enrollment.course
    if enrollment.status != Enrollment.Status.COMPLETED:
        enrollment.status = Enrollment.Status.COMPLETED
        enrollment.completed_at = when or timezone.now()
        enrollment.ce_credits = course.ce_credits
        enrollment.save(update_fields=["status", "completed_at", "ce_credits", "updated_at"])
        audit_record(
            actor=actor,
            action="enrollment.complete",
            obj=enrollment,
            metadata={"course_id": course.pk, "ce_credits": str(course.ce_credits)},
        )
        if course.is_train_the_trainer:
            Learner.objects.filter(pk=enrollment.learner_id).update(is_trainer=True)
    certificate = Certificate.objects.filter(enrollment=enrollment).first()
    if certificate is None:
        code = _new_code()
        while Certificate.objects.filter(code=code).exists():
            code = _new_code()
        certificate = Certificate.objects.create(
            enrollment=enrollment,
            organization=enrollment.organization,
            code=code,
            learner_name=enrollment.learner.full_name,
            course_title=course.title,
            contact_hours=course.contact_hours,
            ce_credits=course.ce_credits,
            issued_at=enrollment.completed_at,
        )
        audit_record(actor=actor, action="certificate.issue", obj=certificate)
    return certificate


@transaction.atomic
def certificate_revoke(*, actor: User, certificate: Certificate) -> Certificate:
    """Withdraw a certificate issued in error; the verification page then says so."""
    certificate.revoked_at = timezone.now()
    certificate.save(update_fields=["revoked_at", "updated_at"])
    audit_record(actor=actor, action="certificate.revoke", obj=certificate)
    return certificate


# ----------------------------------------------------------------------------- certification
REQUIREMENT_FIELDS = ("kind", "label", "threshold", "position", "is_active")


@transaction.atomic
def requirement_save(
    *, actor: User, requirement: CertificationRequirement | None = None, **fields: Any
) -> CertificationRequirement:
    """Create or change a certification requirement (program staff)."""
    requirement = requirement or CertificationRequirement()
    for name, value in fields.items():
        if name not in REQUIREMENT_FIELDS:
            raise TypeError(f"Unknown requirement field: {name}")
        setattr(requirement, name, value)
    requirement.full_clean()
    requirement.save()
    audit_record(
        actor=actor,
        action="certification.requirement_save",
        obj=requirement,
        metadata={"kind": requirement.kind, "threshold": requirement.threshold},
    )
    return requirement


@transaction.atomic
def policy_attest(
    *,
    actor: User,
    organization: Organization,
    policy_title: str,
    adopted_on: date,
    evidence_url: str = "",
    evidence_file=None,
) -> PolicyAttestation:
    """Attest that the agency adopted a policy; evidence (a link or a document) is required."""
    if not evidence_url and not evidence_file:
        raise ValidationError(_("Attach the adopted policy or link to it as evidence."))
    if adopted_on > timezone.localdate():
        raise ValidationError({"adopted_on": _("The adoption date is in the future.")})
    attestation = PolicyAttestation(
        organization=organization,
        policy_title=policy_title,
        adopted_on=adopted_on,
        evidence_url=evidence_url,
        attested_by=actor,
    )
    if evidence_file:
        attestation.evidence_file = evidence_file
    attestation.full_clean()
    attestation.save()
    audit_record(actor=actor, action="certification.policy_attest", obj=attestation)
    return attestation


def _require_met(organization: Organization) -> None:
    from peacekit.training.selectors import certification_checklist

    checklist = certification_checklist(organization=organization)
    missing = [item for item in checklist if not item.met]
    if not checklist:
        raise ValidationError(_("No certification requirements are configured."))
    if missing:
        raise ValidationError(
            _("Requirements not met: %(list)s.")
            % {"list": "; ".join(str(i.label) for i in missing)}
        )


@transaction.atomic
def certification_grant(
    *, actor: User, organization: Organization, today: date | None = None
) -> AgencyCertification:
    """Certify an agency for two years once every requirement is met; orders its plaque."""
    today = today or timezone.localdate()
    if AgencyCertification.objects.filter(
        organization=organization, status=AgencyCertification.Status.ACTIVE, expires_on__gte=today
    ).exists():
        raise ValidationError(_("This agency already holds an active certification: renew it."))
    _require_met(organization)
    certification = AgencyCertification.objects.create(
        organization=organization,
        certified_on=today,
        expires_on=certification_expiry(today),
        certified_by=actor,
        plaque_due_on=plaque_due(today),
    )
    audit_record(actor=actor, action="certification.grant", obj=certification)
    _mail_on_commit(
        _("%(org)s is a certified Peace Officer agency") % {"org": organization.name},
        _("Congratulations. The certification runs until %(date)s; your plaque will be mailed "
          "by %(due)s.") % {"date": certification.expires_on, "due": certification.plaque_due_on},
        _agency_admin_emails(organization),
        organization,
    )  # fmt: skip
    return certification


@transaction.atomic
def certification_renew(
    *, actor: User, certification: AgencyCertification, today: date | None = None
) -> AgencyCertification:
    """Renew for two more years (from the old expiry if still valid); a new plaque is sent."""
    today = today or timezone.localdate()
    certification = AgencyCertification.objects.select_for_update().get(pk=certification.pk)
    if certification.status == AgencyCertification.Status.RENEWED:
        raise ValidationError(_("This certification was already renewed."))
    _require_met(certification.organization)
    start = max(today, certification.expires_on) if certification.expires_on >= today else today
    renewal = AgencyCertification.objects.create(
        organization=certification.organization,
        certified_on=start,
        expires_on=certification_expiry(start),
        certified_by=actor,
        renewal_of=certification,
        plaque_due_on=plaque_due(today),
    )
    certification.status = AgencyCertification.Status.RENEWED
    certification.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="certification.renew",
        obj=renewal,
        metadata={"renewal_of": certification.pk},
    )
    return renewal


@transaction.atomic
def plaque_mark_mailed(
    *, actor: User, certification: AgencyCertification, mailed_on: date, tracking: str = ""
) -> AgencyCertification:
    """Record that the certification plaque was mailed."""
    if mailed_on < certification.certified_on:
        raise ValidationError({"mailed_on": _("The mailing date is before the certification.")})
    if mailed_on > timezone.localdate():
        raise ValidationError({"mailed_on": _("The mailing date is in the future.")})
    certification.plaque_mailed_on = mailed_on
    certification.plaque_tracking = tracking
    certification.save(update_fields=["plaque_mailed_on", "plaque_tracking", "updated_at"])
    audit_record(
        actor=actor,
        action="certification.plaque_mailed",
        obj=certification,
        metadata={"late": mailed_on > certification.plaque_due_on},
    )
    return certification


def certification_send_reminders(*, now: datetime | None = None) -> dict[str, int]:
    """Send due 90- and 30-day expiry reminders, each once; mark lapsed certifications expired.

    Safe to run any number of times: each reminder is claimed by a conditional UPDATE.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = {"90": 0, "30": 0, "expired": 0}
    with transaction.atomic():
        sent["expired"] = AgencyCertification.objects.filter(
            status=AgencyCertification.Status.ACTIVE, expires_on__lt=today
        ).update(status=AgencyCertification.Status.EXPIRED, updated_at=now)
    active = AgencyCertification.objects.filter(
        status=AgencyCertification.Status.ACTIVE, expires_on__gte=today
    ).select_related("organization")
    for certification in active:
        days_left = (certification.expires_on - today).days
        for days in sorted(REMINDER_DAYS):  # the nearest reminder first
            if days_left > days:
                continue
            field = f"reminder_{days}_sent_at"
            with transaction.atomic():
                claimed = AgencyCertification.objects.filter(
                    pk=certification.pk, **{f"{field}__isnull": True}
                ).update(**{field: now})
                if not claimed:
                    break
                # A later reminder makes the earlier ones moot: mark them, do not send them.
                for earlier in REMINDER_DAYS:
                    if earlier > days:
                        AgencyCertification.objects.filter(
                            pk=certification.pk, **{f"reminder_{earlier}_sent_at__isnull": True}
                        ).update(**{f"reminder_{earlier}_sent_at": now})
                _mail_on_commit(
                    _("Your Peace Officer agency certification expires in %(n)s days")
                    % {"n": days_left},
                    _("%(org)s's certification expires on %(date)s. Renew it here: %(link)s")
                    % {
                        "org": certification.organization.name,
                        "date": certification.expires_on,
                        "link": settings.SITE_URL
                        + reverse(
                            "training:certification_agency", args=[certification.organization_id]
                        ),
                    },
                    _agency_admin_emails(certification.organization),
                    certification.organization,
                )
                audit_record(
                    actor=None,
                    action="certification.reminder",
                    obj=certification,
                    metadata={"days": days, "days_left": days_left},
                )
                sent[str(days)] += 1
            break
    return sent
