"""Training reads: catalog, licence use, rosters, transcripts, exports and the certification
checklist evaluated from live data."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from peacekit.core.models import Organization, User
from peacekit.training.access import course_queryset
from peacekit.training.models import (
    AgencyCertification,
    Certificate,
    CertificationRequirement,
    Course,
    Enrollment,
    Learner,
    LearnerCategory,
    LicencePool,
    Offering,
    PolicyAttestation,
    Seat,
)


# ----------------------------------------------------------------------------- catalog
def course_list(*, user: User, topic: str = "", modality: str = "") -> QuerySet[Course]:
    """The catalog this user sees (published courses and their own drafts)."""
    qs = course_queryset(user).annotate(
        module_count=Count("modules", distinct=True),
        question_count=Count("questions", distinct=True),
    )
    if modality:
        qs = qs.filter(modality=modality)
    courses = qs.order_by("-is_flagship", "title")
    if topic:
        # JSON containment is not portable to SQLite: filter the (small) catalog in Python.
        return [c for c in courses if topic in c.topics]
    return courses


def offering_list(*, course: Course, user: User) -> QuerySet[Offering]:
    """The course's offerings hosted by organizations the user can see."""
    from peacekit.core.access import scope_queryset

    return scope_queryset(
        course.offerings.select_related("organization").annotate(enrolled=Count("enrollments")),
        user,
    )


def offering_evaluations(*, offering: Offering) -> list | None:
    """Level-1/level-2 evaluation surveys of an offering; None when the surveys app is absent."""
    from django.apps import apps
    from django.core.exceptions import FieldError

    try:
        model = apps.get_model("surveys", "Survey")
        return list(
            model.objects.filter(
                organization=offering.organization,
                target_type="training_offering",
                target_object_id=offering.pk,
            ).prefetch_related("waves")
        )
    except (LookupError, FieldError):
        return None


def learner_courses(*, learner: Learner) -> list[dict[str, Any]]:
    """Published online courses with this learner's enrollment (if any) and certificate."""
    enrollments = {
        e.course_id: e
        for e in Enrollment.objects.filter(learner=learner, offering__isnull=True).select_related(
            "certificate"
        )
    }
    courses = Course.objects.filter(is_published=True, modality=Course.Modality.ONLINE).order_by(
        "-is_flagship", "title"
    )
    return [{"course": c, "enrollment": enrollments.get(c.pk)} for c in courses]


def learner_for_user(*, user: User) -> Learner | None:
    """The roster entry of a signed-in person: linked to the account, or with its email."""
    if not user.is_authenticated:
        return None
    return (
        Learner.objects.select_related("organization")
        .filter(Q(user=user) | Q(user__isnull=True, email__iexact=user.email))
        .order_by(F("user_id").desc(nulls_last=True), "pk")
        .first()
    )


def learner_seat(*, learner: Learner) -> Seat | None:
    return Seat.objects.filter(learner=learner, status__in=Seat.IN_USE).first()


# ----------------------------------------------------------------------------- licences
@dataclass
class PoolUsage:
    pool: LicencePool
    used: int
    activated: int
    revoked: int

    @property
    def free(self) -> int:
        return max(self.pool.size - self.used, 0)

    @property
    def percent(self) -> int:
        return round(100 * self.used / self.pool.size) if self.pool.size else 0

    @property
    def level(self) -> int:
        if self.pool.size and self.used >= self.pool.size:
            return 100
        return 75 if self.pool.size and self.used * 100 >= 75 * self.pool.size else 0


def licence_usage(*, organization: Organization) -> list[PoolUsage]:
    """Each licence pool of the agency with its seats in use (one query)."""
    pools = LicencePool.objects.filter(organization=organization).annotate(
        used=Count("seats", filter=Q(seats__status__in=Seat.IN_USE)),
        activated=Count("seats", filter=Q(seats__status=Seat.Status.ACTIVATED)),
        revoked=Count("seats", filter=Q(seats__status=Seat.Status.REVOKED)),
    )
    order = {code: i for i, code in enumerate(LearnerCategory.values)}
    usage = [PoolUsage(p, p.used, p.activated, p.revoked) for p in pools]
    return sorted(usage, key=lambda u: order.get(u.pool.category, 99))


def learner_list(
    *, organization: Organization, search: str = "", category: str = "", seat: str = ""
) -> QuerySet[Learner]:
    """An agency's roster with each person's seat and completions (constant query count)."""
    qs = (
        Learner.objects.filter(organization=organization)
        .prefetch_related(
            Prefetch(
                "seats",
                queryset=Seat.objects.filter(status__in=Seat.IN_USE).select_related("pool"),
                to_attr="active_seats",
            )
        )
        .annotate(
            completed=Count(
                "enrollments", filter=Q(enrollments__status=Enrollment.Status.COMPLETED)
            )
        )
    )
    if search:
        qs = qs.filter(Q(full_name__icontains=search) | Q(email__icontains=search))
    if category:
        qs = qs.filter(category=category)
    if seat == "none":
        qs = qs.exclude(seats__status__in=Seat.IN_USE)
    elif seat in Seat.Status.values:
        qs = qs.filter(seats__status=seat)
    return qs.order_by("full_name", "pk")


# ----------------------------------------------------------------------------- transcripts
def transcript(*, learner: Learner) -> dict[str, Any]:
    """A person's completed courses with CE credits, contact hours and certificate codes."""
    completed = list(
        Enrollment.objects.filter(learner=learner, status=Enrollment.Status.COMPLETED)
        .select_related("course", "offering", "certificate")
        .order_by("completed_at")
    )
    open_ = list(
        Enrollment.objects.filter(learner=learner)
        .exclude(status=Enrollment.Status.COMPLETED)
        .select_related("course", "offering")
    )
    return {
        "completed": completed,
        "open": open_,
        "total_ce": sum((e.ce_credits for e in completed), Decimal("0")),
        "total_hours": sum((e.course.contact_hours for e in completed), Decimal("0")),
    }


EXPORT_HEADER = [
    "agency",
    "agency_ori",
    "state",
    "learner_name",
    "learner_email",
    "rank",
    "category",
    "course_title",
    "modality",
    "contact_hours",
    "ce_credits",
    "completed_on",
    "quiz_score",
    "attended",
    "certificate_code",
]


def completion_rows(*, organization: Organization):
    """Rows for the state POST / IADLEST NCP completion export (header first)."""
    yield EXPORT_HEADER
    enrollments = (
        Enrollment.objects.filter(organization=organization, status=Enrollment.Status.COMPLETED)
        .select_related("learner", "course", "certificate")
        .order_by("completed_at", "pk")
    )
    for e in enrollments.iterator(chunk_size=1000):
        certificate = getattr(e, "certificate", None)
        yield [
            organization.name,
            organization.ori_code,
            organization.state,
            e.learner.full_name,
            e.learner.email,
            e.learner.rank,
            e.learner.get_category_display(),
            e.course.title,
            e.course.get_modality_display(),
            e.course.contact_hours,
            e.ce_credits,
            timezone.localdate(e.completed_at).isoformat() if e.completed_at else "",
            "" if e.best_score is None else e.best_score,
            "yes" if e.attended else "",
            certificate.code if certificate and certificate.is_valid else "",
        ]


def certificate_verify(*, code: str) -> Certificate | None:
    """The certificate with this code (spaces, case and dashes forgiven), or None."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    if len(cleaned) != 12:
        return None
    formatted = f"{cleaned[:4]}-{cleaned[4:8]}-{cleaned[8:]}"
    return (
        Certificate.objects.select_related("organization", "enrollment__course")
        .filter(code=formatted)
        .first()
    )


# ----------------------------------------------------------------------------- certification
@dataclass
class RequirementStatus:
    """One line of the certification checklist: met, not met, or not available (None)."""

    requirement: CertificationRequirement
    met: bool | None
    detail: str
    missing: str = ""

    @property
    def label(self) -> str:
        return self.requirement.label


def _flagship_completion(organization: Organization, threshold: int) -> tuple[bool, str, str]:
    sworn = Learner.objects.filter(organization=organization, category=LearnerCategory.SWORN)
    total = sworn.count()
    done = (
        sworn.filter(
            enrollments__course__is_flagship=True,
            enrollments__status=Enrollment.Status.COMPLETED,
        )
        .distinct()
        .count()
    )
    if total == 0:
        return False, _("No sworn officers on the roster."), _("Import the sworn roster.")
    percent = 100 * done / total
    detail = _(
        "%(done)s of %(total)s sworn officers (%(pct)s%%) completed the flagship course."
    ) % {
        "done": done,
        "total": total,
        "pct": round(percent),
    }
    needed = -(-threshold * total // 100)  # ceiling
    missing = (
        ""
        if percent >= threshold
        else _("%(n)s more sworn officers must complete it.") % {"n": needed - done}
    )
    return percent >= threshold, detail, missing


def _promise_made(organization: Organization) -> tuple[bool | None, str, str]:
    try:
        from peacekit.pledges.selectors import promise_made
    except ImportError:
        return None, _("Not available (the Promise module is not installed)."), ""
    try:
        made = promise_made(organization=organization)
    except Exception:  # noqa: BLE001 - a neighbouring app's failure must not break this page
        return None, _("Not available."), ""
    made = bool(made)
    return (
        made,
        _("The Promise was made.") if made else _("No Promise recorded."),
        "" if made else _("Hold a public Promise event and record it."),
    )


def _checklist_percent(value: Any) -> float | None:
    """Accept what the Promise module gives: a percent, a fraction, or a dict with counts."""
    if value is None:
        return None
    if isinstance(value, dict):
        if "percent" in value:
            return float(value["percent"])
        done = value.get("done", value.get("completed"))
        total = value.get("total")
        if done is not None and total:
            return 100 * float(done) / float(total)
        return None
    if isinstance(value, tuple | list) and len(value) == 2 and value[1]:
        return 100 * float(value[0]) / float(value[1])
    number = float(value)
    return number * 100 if isinstance(value, float) and number <= 1 else number


def _checklist(organization: Organization, threshold: int) -> tuple[bool | None, str, str]:
    try:
        from peacekit.pledges.selectors import checklist_progress
    except ImportError:
        return None, _("Not available (the Promise module is not installed)."), ""
    try:
        percent = _checklist_percent(checklist_progress(organization=organization))
    except Exception:  # noqa: BLE001
        percent = None
    if percent is None:
        return None, _("Not available."), ""
    met = percent >= threshold
    return (
        met,
        _("The implementation checklist is %(pct)s%% complete.") % {"pct": round(percent)},
        "" if met else _("Reach %(t)s%% on the checklist.") % {"t": threshold},
    )


def _listening_session(organization: Organization) -> tuple[bool | None, str, str]:
    from django.apps import apps
    from django.core.exceptions import FieldError

    try:
        model = apps.get_model("listening", "ListeningSession")
    except LookupError:
        return None, _("Not available (the listening module is not installed)."), ""
    held = None
    for lookup in ("initiative__organization", "organization"):
        try:
            held = model.objects.filter(
                **{lookup: organization}, status__in=["held", "closed"]
            ).exists()
            break
        except (FieldError, ValueError):
            continue
        except Exception:  # noqa: BLE001 - e.g. a table not migrated yet
            return None, _("Not available."), ""
    if held is None:
        return None, _("Not available."), ""
    return (
        held,
        _("A listening session was held.") if held else _("No listening session held yet."),
        "" if held else _("Hold a community listening session."),
    )


def _policy(organization: Organization) -> tuple[bool, str, str]:
    attestation = PolicyAttestation.objects.filter(organization=organization).first()
    if attestation is None:
        return False, _("No policy attested."), _("Attest the adopted policy with evidence.")
    return (
        True,
        _("Policy adopted on %(date)s, attested with evidence.")
        % {"date": attestation.adopted_on.isoformat()},
        "",
    )


def certification_checklist(*, organization: Organization) -> list[RequirementStatus]:
    """Evaluate every active requirement against the agency's live data."""
    Kind = CertificationRequirement.Kind
    results = []
    for requirement in CertificationRequirement.objects.filter(is_active=True):
        if requirement.kind == Kind.FLAGSHIP_COMPLETION:
            met, detail, missing = _flagship_completion(organization, requirement.threshold)
        elif requirement.kind == Kind.PROMISE_MADE:
            met, detail, missing = _promise_made(organization)
        elif requirement.kind == Kind.CHECKLIST_PERCENT:
            met, detail, missing = _checklist(organization, requirement.threshold)
        elif requirement.kind == Kind.LISTENING_SESSION:
            met, detail, missing = _listening_session(organization)
        else:
            met, detail, missing = _policy(organization)
        results.append(RequirementStatus(requirement, met, detail, missing))
    return results


def certification_current(*, organization: Organization) -> AgencyCertification | None:
    """The agency's newest certification (active, renewed or expired)."""
    return (
        AgencyCertification.objects.filter(organization=organization)
        .order_by("-certified_on", "-pk")
        .first()
    )


def certification_overview(*, today=None) -> QuerySet[AgencyCertification]:
    """All active certifications for program staff, soonest expiry first."""
    return (
        AgencyCertification.objects.filter(status=AgencyCertification.Status.ACTIVE)
        .select_related("organization")
        .order_by("expires_on")
    )


def plaques_overdue(*, today=None) -> QuerySet[AgencyCertification]:
    """Certifications whose plaque was not mailed within the two-week commitment."""
    today = today or timezone.localdate()
    return AgencyCertification.objects.filter(
        plaque_mailed_on__isnull=True, plaque_due_on__lt=today
    ).select_related("organization")


def training_stats(*, organization: Organization) -> dict[str, Any]:
    """Dashboard figures for one agency."""
    seats = Seat.objects.filter(organization=organization).aggregate(
        total=Count("pk"), used=Count("pk", filter=Q(status__in=Seat.IN_USE))
    )
    credits = Enrollment.objects.filter(
        organization=organization, status=Enrollment.Status.COMPLETED
    ).aggregate(n=Count("pk"), ce=Sum("ce_credits"))
    return {"seats": seats, "completions": credits["n"], "ce": credits["ce"] or 0}
