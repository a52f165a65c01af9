"""Coaching writes: coaches, coachees, needs assessments, matching, agreements, sessions.

Every service is keyword-only and atomic and records an audit event whose metadata holds ids and
labels only: goals, notes and answers written by people never reach audit metadata or logs.
These services are the only bridge between the ORM and `analysis.matching`.
"""

from __future__ import annotations

import calendar
import re
import secrets
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from peacekit.analysis.matching import Coach as CoachData
from peacekit.analysis.matching import Coachee as CoacheeData
from peacekit.analysis.matching import CoachMatcher, MatchWeights
from peacekit.coaching.defaults import EXPERTISE_AREAS
from peacekit.coaching.models import (
    AgencyType,
    Agreement,
    Coach,
    Coachee,
    CoachingSession,
    ExpertiseArea,
    GoalCheckIn,
    MatchRun,
    NeedsAssessment,
    ProposedMatch,
    Role,
    language_names,
)
from peacekit.core.models import Organization, User
from peacekit.core.services import audit_record, email_send, hash_token, jobrun_enqueue

ANSWER_SCALE = 4  # questionnaire answers run 0 (not a need) … 4 (top need)
PRIORITY_BONUS = 0.25
REMINDER_DAYS = 14
OPEN_AGREEMENT = (Agreement.Status.PENDING, Agreement.Status.ACTIVE)
DECIDED = (ProposedMatch.Status.CONFIRMED, ProposedMatch.Status.OVERRIDDEN)


# ----------------------------------------------------------------------------- expertise areas
def expertise_areas_ensure() -> list[ExpertiseArea]:
    """Make sure the shipped expertise areas exist (migration 0002 normally loads them)."""
    for order, (slug, name, name_es, question, question_es) in enumerate(EXPERTISE_AREAS):
        ExpertiseArea.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "name_es": name_es, "question": question,
                      "question_es": question_es, "order": order},
        )  # fmt: skip
    return list(ExpertiseArea.objects.filter(is_active=True))


def _area_slugs() -> list[str]:
    return list(ExpertiseArea.objects.filter(is_active=True).values_list("slug", flat=True))


def _clean_weights(values: Mapping[str, Any], field: str) -> dict[str, float]:
    """Area → weight in [0, 1] for known areas; anything else is a clear error."""
    known = set(_area_slugs())
    out: dict[str, float] = {}
    for slug, value in values.items():
        if slug not in known:
            raise ValidationError({field: _("Unknown expertise area.")})
        try:
            number = float(value)
        except (TypeError, ValueError) as exc:
            raise ValidationError({field: _("Each weight must be a number.")}) from exc
        if not 0 <= number <= 1:
            raise ValidationError({field: _("Each weight must be between 0 and 1.")})
        if number > 0:
            out[slug] = round(number, 3)
    return out


def _account_for(email: str) -> User | None:
    """The peacekit account with this email, linked so the person can sign in to their agreement."""
    return User.objects.filter(email__iexact=email).first() if email else None


# ----------------------------------------------------------------------------- coaches
COACH_FIELDS = (
    "name", "email", "ranks_held", "years_experience", "agency_types", "expertise", "languages",
    "region", "virtual", "capacity", "is_active", "user",
)  # fmt: skip


@transaction.atomic
def coach_save(
    *,
    actor: User,
    organization: Organization,
    coach: Coach | None = None,
    conflicts: list[Organization] | None = None,
    **fields: Any,
) -> Coach:
    """Create or update a coach of the program; expertise weights are validated (0..1)."""
    unknown = set(fields) - set(COACH_FIELDS)
    if unknown:
        raise TypeError(f"Unknown coach fields: {sorted(unknown)}")
    if "expertise" in fields:
        fields["expertise"] = _clean_weights(fields["expertise"] or {}, "expertise")
    creating = coach is None
    coach = coach or Coach(organization=organization)
    for name, value in fields.items():
        setattr(coach, name, value)
    if not coach.languages:
        coach.languages = ["en"]
    if "user" not in fields and coach.user_id is None:
        coach.user = _account_for(coach.email)
    coach.full_clean()
    coach.save()
    if conflicts is not None:
        coach.conflicts.set(conflicts)
    audit_record(
        actor=actor,
        action="coach.create" if creating else "coach.update",
        obj=coach,
        metadata={"fields": sorted(fields), "conflicts": len(conflicts or [])},
    )
    return coach


# ----------------------------------------------------------------------------- coachees
COACHEE_FIELDS = (
    "name", "email", "role", "agency_type", "languages", "region", "virtual_ok", "is_active",
    "user",
)  # fmt: skip


@transaction.atomic
def coachee_save(
    *, actor: User, organization: Organization, coachee: Coachee | None = None, **fields: Any
) -> Coachee:
    """Create or update a coachee (a police leader or city/county manager of an agency)."""
    unknown = set(fields) - set(COACHEE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown coachee fields: {sorted(unknown)}")
    creating = coachee is None
    coachee = coachee or Coachee()
    coachee.organization = organization
    for name, value in fields.items():
        setattr(coachee, name, value)
    if not coachee.languages:
        coachee.languages = ["en"]
    if "user" not in fields and coachee.user_id is None:
        coachee.user = _account_for(coachee.email)
    coachee.full_clean()
    coachee.save()
    audit_record(
        actor=actor,
        action="coachee.create" if creating else "coachee.update",
        obj=coachee,
        metadata={"fields": sorted(fields)},
    )
    return coachee


# ----------------------------------------------------------------------------- needs assessment
def needs_profile_from_answers(answers: Mapping[str, Any], areas: list[str]) -> dict[str, float]:
    """Needs profile (area → 0..1) from answers 0..4 per area and an optional top priority."""
    profile: dict[str, float] = {}
    for slug in areas:
        raw = answers.get(slug, 0)
        try:
            value = int(raw)
        except (TypeError, ValueError) as exc:
            raise ValidationError(_("Every answer must be one of the offered choices.")) from exc
        if not 0 <= value <= ANSWER_SCALE:
            raise ValidationError(_("Every answer must be one of the offered choices."))
        profile[slug] = value / ANSWER_SCALE
    priority = answers.get("priority") or ""
    if priority:
        if priority not in profile:
            raise ValidationError(_("The top priority must be one of the listed areas."))
        profile[priority] = min(1.0, profile[priority] + PRIORITY_BONUS)
    return {slug: round(v, 3) for slug, v in profile.items() if v > 0}


@transaction.atomic
def assessment_link_create(*, actor: User, coachee: Coachee) -> tuple[NeedsAssessment, str]:
    """Issue (or reissue) the questionnaire link for a coachee; returns the raw token once."""
    raw = secrets.token_urlsafe(24)
    assessment, _created = NeedsAssessment.objects.get_or_create(coachee=coachee)
    assessment.token_hash = hash_token(raw)
    assessment.save(update_fields=["token_hash", "updated_at"])
    audit_record(actor=actor, action="needs_assessment.link", obj=assessment)
    return assessment, raw


def assessment_link_url(raw: str) -> str:
    """The public link for a raw questionnaire token."""
    return settings.SITE_URL + reverse("coaching:assessment_public", args=[raw])


def assessment_get_by_token(*, token: str) -> NeedsAssessment | None:
    """The assessment behind a questionnaire token, or None."""
    if not token:
        return None
    return (
        NeedsAssessment.objects.select_related("coachee__organization")
        .filter(token_hash=hash_token(token), coachee__is_active=True)
        .first()
    )


@transaction.atomic
def assessment_submit(
    *,
    coachee: Coachee,
    answers: Mapping[str, Any],
    actor: User | None = None,
    by_staff: bool = False,
) -> NeedsAssessment:
    """Record questionnaire answers and compute the needs profile.

    Idempotent for the public link: once the coachee has submitted, a retried POST changes
    nothing. Staff may enter or re-enter answers; staff adjustments are then replaced.
    """
    assessment, _created = NeedsAssessment.objects.select_for_update().get_or_create(
        coachee=coachee
    )
    if assessment.status == NeedsAssessment.Status.SUBMITTED and not by_staff:
        return assessment
    areas = _area_slugs()
    clean = {slug: int(answers.get(slug, 0) or 0) for slug in areas}
    profile = needs_profile_from_answers({**clean, "priority": answers.get("priority", "")}, areas)
    if not profile:
        raise ValidationError(_("Choose at least one area where coaching would help."))
    assessment.answers = {**clean, "priority": answers.get("priority", "") or ""}
    assessment.computed_profile = profile
    assessment.profile = dict(profile)
    assessment.status = NeedsAssessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.submitted_by_staff = by_staff
    assessment.adjusted_at = None
    assessment.adjusted_by = None
    assessment.save()
    audit_record(
        actor=actor,
        action="needs_assessment.submit",
        obj=assessment,
        organization=coachee.organization,
        metadata={"coachee_id": coachee.pk, "by_staff": by_staff, "areas": len(profile)},
    )
    return assessment


@transaction.atomic
def assessment_adjust(
    *, actor: User, assessment: NeedsAssessment, profile: Mapping[str, Any]
) -> NeedsAssessment:
    """Staff adjust a needs profile (area → 0..1); the computed profile is kept for comparison."""
    clean = _clean_weights(profile, "profile")
    if not clean:
        raise ValidationError(_("A needs profile needs at least one area above zero."))
    assessment = NeedsAssessment.objects.select_for_update().get(pk=assessment.pk)
    changed = sorted(
        slug
        for slug in set(clean) | set(assessment.profile)
        if clean.get(slug, 0) != assessment.profile.get(slug, 0)
    )
    assessment.profile = clean
    assessment.status = NeedsAssessment.Status.SUBMITTED
    assessment.submitted_at = assessment.submitted_at or timezone.now()
    assessment.adjusted_at = timezone.now()
    assessment.adjusted_by = actor
    assessment.save(
        update_fields=["profile", "status", "submitted_at", "adjusted_at", "adjusted_by",
                       "updated_at"]
    )  # fmt: skip
    audit_record(
        actor=actor,
        action="needs_assessment.adjust",
        obj=assessment,
        organization=assessment.coachee.organization,
        metadata={"areas_changed": changed},
    )
    return assessment


# ----------------------------------------------------------------------------- matching
def coach_load(*, coach: Coach, run: MatchRun | None = None, exclude: ProposedMatch | None = None):
    """Coachees a coach already carries: open agreements plus staff-decided pairs of a run."""
    load = Agreement.objects.filter(coach=coach, status__in=OPEN_AGREEMENT).count()
    if run is not None:
        decided = ProposedMatch.objects.filter(run=run, coach=coach, status__in=DECIDED)
        if exclude is not None:
            decided = decided.exclude(pk=exclude.pk)
        load += decided.count()
    return load


def _coach_data(coach: Coach, capacity: int) -> CoachData:
    return CoachData(
        id=coach.pk,
        expertise=dict(coach.expertise),
        roles=frozenset(coach.ranks_held),
        agency_types=frozenset(coach.agency_types),
        languages=frozenset(coach.languages or ["en"]),
        region=coach.region or None,
        virtual=coach.virtual,
        capacity=max(capacity, 0),
        conflicts=frozenset(str(pk) for pk in coach.conflict_ids),
        name=coach.name,
    )


def _coachee_data(coachee: Coachee, profile: Mapping[str, float]) -> CoacheeData:
    return CoacheeData(
        id=coachee.pk,
        needs=dict(profile),
        role=coachee.role,
        agency_type=coachee.agency_type,
        agency=str(coachee.organization_id),
        languages=frozenset(coachee.languages or ["en"]),
        region=coachee.region or None,
        virtual_ok=coachee.virtual_ok,
        name=coachee.name,
    )


def _humanize(reason: str) -> str:
    """Show area and role names instead of slugs in the matcher's sentence (one pass)."""
    names = {slug.replace("_", " "): name.lower() for slug, name, *_rest in EXPERTISE_AREAS}
    names.update({c.value.replace("_", " "): str(c.label).lower() for c in Role})
    names.update({"knows " + c.value.replace("_", " ") + " agencies":
                  "has worked in a " + str(c.label).lower() for c in AgencyType})  # fmt: skip
    pattern = re.compile(
        r"\b(" + "|".join(re.escape(k) for k in sorted(names, key=len, reverse=True)) + r")\b"
    )
    reason = pattern.sub(lambda m: names[m.group(1)], reason)
    return re.sub(
        r"\b(speaks?) ([a-z]{2}(?:, [a-z]{2})*)\b",
        lambda m: f"{m.group(1)} {language_names(m.group(2).split(', '))}",
        reason,
    )


def matching_pool(*, organization: Organization):
    """Coaches (with remaining capacity) and coachees (with a profile, no open agreement)."""
    coaches = list(
        Coach.objects.filter(organization=organization, is_active=True)
        .annotate(
            open_agreements=Count("agreements", filter=Q(agreements__status__in=OPEN_AGREEMENT))
        )
        .prefetch_related("conflicts")
    )
    coachees = list(
        Coachee.objects.filter(
            is_active=True,
            assessment__status=NeedsAssessment.Status.SUBMITTED,
        )
        .exclude(agreements__status__in=OPEN_AGREEMENT)
        .select_related("assessment", "organization")
        .distinct()
    )
    return coaches, coachees


@transaction.atomic
def match_run_start(
    *,
    actor: User | None,
    organization: Organization,
    parameters: Mapping[str, Any] | None = None,
    inline: bool = False,
) -> MatchRun:
    """Create a match run and queue the job that computes it (keeps staff-confirmed pairs).

    With ``inline=True`` (demo data, scripts) the run is computed at once instead.
    """
    params = {"language": "hard", "location": "hard", **(parameters or {})}
    for key in ("language", "location"):
        if params[key] not in ("hard", "soft"):
            raise ValidationError(_("Language and location must be required or preferred."))
    run = MatchRun.objects.create(organization=organization, created_by=actor, parameters=params)
    audit_record(actor=actor, action="match_run.start", obj=run, metadata={"parameters": params})
    if inline:
        return match_run_execute(run=run)
    run.job = jobrun_enqueue(
        kind="coaching.match",
        actor=actor,
        organization=organization,
        parameters={"match_run_id": run.pk},
        label=_("Coach matching"),
    )
    run.save(update_fields=["job", "updated_at"])
    return run


def _fixed_pairs(coachees: list[Coachee], coaches: list[Coach]) -> dict[int, int]:
    """Staff-decided pairs from earlier runs, for coachees still waiting, that remain valid."""
    coach_ids = {c.pk: c for c in coaches}
    latest: dict[int, int] = {}
    decided = (
        ProposedMatch.objects.filter(coachee__in=coachees, status__in=DECIDED)
        .order_by("decided_at", "pk")
        .values_list("coachee_id", "coach_id")
    )
    for coachee_id, coach_id in decided:
        latest[coachee_id] = coach_id
    by_id = {p.pk: p for p in coachees}
    return {
        p: q
        for p, q in latest.items()
        if q in coach_ids and by_id[p].organization_id not in coach_ids[q].conflict_ids
    }


def match_run_execute(*, run: MatchRun, progress: Callable[[float, str], None] | None = None):
    """Compute a run's proposals with `analysis.matching`; re-running replaces its proposals."""
    progress = progress or (lambda percent, message="": None)
    coaches, coachees = matching_pool(organization=run.organization)
    for coach in coaches:
        coach.conflict_ids = {o.pk for o in coach.conflicts.all()}
    progress(20, "Loaded coaches and coachees")
    fixed = _fixed_pairs(coachees, coaches)
    params = run.parameters
    matcher = CoachMatcher(
        weights=MatchWeights(**params.get("weights", {})),
        language=params.get("language", "hard"),
        location=params.get("location", "hard"),
        areas=_area_slugs(),
    )
    matcher.fit(
        [_coachee_data(p, p.assessment.profile) for p in coachees],
        [_coach_data(q, q.capacity - q.open_agreements) for q in coaches],
        fixed=fixed,
    )
    result = matcher.result_
    progress(70, "Saving proposals")
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().get(pk=run.pk)
        run.matches.all().delete()
        decided = {}
        if fixed:
            for m in ProposedMatch.objects.filter(
                coachee_id__in=fixed, status__in=DECIDED
            ).order_by("decided_at", "pk"):
                decided[m.coachee_id] = m
        ProposedMatch.objects.bulk_create(
            ProposedMatch(
                run=run,
                coachee_id=m.coachee_id,
                coach_id=m.coach_id,
                fit=round(m.fit, 4),
                contributions={k: round(v, 4) for k, v in m.contributions.items()},
                reason=_humanize(m.reason)[:400],
                fixed=m.fixed,
                status=decided[m.coachee_id].status if m.fixed else ProposedMatch.Status.PROPOSED,
                decided_by_id=decided[m.coachee_id].decided_by_id if m.fixed else None,
                decided_at=decided[m.coachee_id].decided_at if m.fixed else None,
            )
            for m in result.matches
        )
        run.unmatched = [
            {
                "coachee_id": u.coachee_id,
                "reason": _humanize(u.reason),
                "compatible": u.compatible_coaches,
            }
            for u in result.unmatched
        ]
        run.total_fit = round(result.total_fit, 4)
        run.n_coachees = result.n_coachees
        run.n_coaches = result.n_coaches
        run.seconds = round(result.seconds, 4)
        run.status = MatchRun.Status.DONE
        run.finished_at = timezone.now()
        run.save()
        audit_record(
            actor=None,
            action="match_run.finish",
            obj=run,
            metadata={"matches": len(result.matches), "unmatched": len(result.unmatched),
                      "fixed": len(fixed)},
        )  # fmt: skip
    return run


def _check_assignable(*, match: ProposedMatch, coach: Coach) -> None:
    """A coach may take this coachee: no conflict with their agency, room in their capacity."""
    if coach.organization_id != match.run.organization_id or not coach.is_active:
        raise ValidationError(_("That coach is not an active coach of this program."))
    if coach.conflicts.filter(pk=match.coachee.organization_id).exists():
        raise ValidationError(
            _("%(coach)s has a conflict of interest with %(agency)s and cannot coach this person.")
            % {"coach": coach.name, "agency": match.coachee.organization.name}
        )
    load = coach_load(coach=coach, run=match.run, exclude=match)
    if load >= coach.capacity:
        raise ValidationError(
            _("%(coach)s is at capacity (%(load)d of %(capacity)d coachees).")
            % {"coach": coach.name, "load": load, "capacity": coach.capacity}
        )


@transaction.atomic
def match_confirm(*, actor: User, match: ProposedMatch) -> ProposedMatch:
    """Staff confirm a proposed pair; it is kept fixed in later runs."""
    match = ProposedMatch.objects.select_for_update().get(pk=match.pk)
    if match.status == ProposedMatch.Status.PROPOSED:
        _check_assignable(match=match, coach=match.coach)
        match.status = ProposedMatch.Status.CONFIRMED
        match.decided_by = actor
        match.decided_at = timezone.now()
        match.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        audit_record(
            actor=actor, action="match.confirm", obj=match, organization=match.run.organization,
            metadata={"coach_id": match.coach_id, "coachee_id": match.coachee_id},
        )  # fmt: skip
    return match


@transaction.atomic
def match_override(*, actor: User, match: ProposedMatch, coach: Coach) -> ProposedMatch:
    """Staff pick another coach for a coachee, within conflicts and capacity; fit is recomputed."""
    match = (
        ProposedMatch.objects.select_for_update().select_related("run", "coachee").get(pk=match.pk)
    )
    if hasattr(match, "agreement"):
        raise ValidationError(_("This pair already has an agreement."))
    _check_assignable(match=match, coach=coach)
    coachee = match.coachee
    profile = getattr(getattr(coachee, "assessment", None), "profile", None) or {}
    coach.conflict_ids = set(coach.conflicts.values_list("pk", flat=True))
    matcher = CoachMatcher(language="soft", location="soft", areas=_area_slugs()).fit(
        [_coachee_data(coachee, profile)], [_coach_data(coach, 1)], fixed={coachee.pk: coach.pk}
    )
    found = matcher.result_.matches[0]
    previous = match.coach_id
    match.coach = coach
    match.fit = round(found.fit, 4)
    match.contributions = {k: round(v, 4) for k, v in found.contributions.items()}
    match.reason = _humanize(found.reason.replace("Kept as confirmed by staff", "Chosen by staff"))
    match.status = ProposedMatch.Status.OVERRIDDEN
    match.decided_by = actor
    match.decided_at = timezone.now()
    match.save()
    audit_record(
        actor=actor, action="match.override", obj=match, organization=match.run.organization,
        metadata={"previous_coach_id": previous, "coach_id": coach.pk,
                  "coachee_id": coachee.pk},
    )  # fmt: skip
    return match


# ----------------------------------------------------------------------------- agreements
def add_months(day: date, months: int) -> date:
    """The same day `months` later (clamped to the month's last day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _check_term(start: date, end: date) -> None:
    if end < add_months(start, 3) or end > add_months(start, 6):
        raise ValidationError(
            {"end_date": _("An agreement runs 3 to 6 months: end between %(a)s and %(b)s.")
             % {"a": add_months(start, 3).isoformat(), "b": add_months(start, 6).isoformat()}}
        )  # fmt: skip


def _clean_goals(goals: list[str]) -> list[str]:
    clean = [g.strip()[:300] for g in goals if g and g.strip()]
    if not 1 <= len(clean) <= 6:
        raise ValidationError({"goals": _("Write one to six goals, one per line.")})
    return clean


@transaction.atomic
def agreement_create(
    *,
    actor: User,
    match: ProposedMatch,
    goals: list[str],
    cadence: str,
    start_date: date,
    end_date: date,
    evaluation_url: str = "",
) -> tuple[Agreement, str]:
    """Draft an agreement from a confirmed pair; returns it and the coachee's acceptance token."""
    match = (
        ProposedMatch.objects.select_for_update()
        .select_related("coachee", "coach")
        .get(pk=match.pk)
    )
    if match.status not in DECIDED:
        raise ValidationError(_("Confirm the match before drafting an agreement."))
    if Agreement.objects.filter(match=match).exists():
        raise ValidationError(_("This pair already has an agreement."))
    if Agreement.objects.filter(coachee=match.coachee, status__in=OPEN_AGREEMENT).exists():
        raise ValidationError(_("This coachee already has an open agreement."))
    _check_term(start_date, end_date)
    raw = secrets.token_urlsafe(24)
    agreement = Agreement(
        organization=match.coachee.organization,
        coach=match.coach,
        coachee=match.coachee,
        match=match,
        goals=_clean_goals(goals),
        cadence=cadence,
        start_date=start_date,
        end_date=end_date,
        evaluation_url=evaluation_url,
        coachee_token_hash=hash_token(raw),
        created_by=actor,
    )
    agreement.full_clean()
    agreement.save()
    audit_record(
        actor=actor, action="agreement.create", obj=agreement,
        metadata={"match_id": match.pk, "coach_id": match.coach_id, "goals": len(agreement.goals),
                  "start": start_date.isoformat(), "end": end_date.isoformat()},
    )  # fmt: skip
    return agreement, raw


@transaction.atomic
def agreement_coachee_link(*, actor: User, agreement: Agreement) -> str:
    """Issue a fresh acceptance link for the coachee (the old one stops working)."""
    raw = secrets.token_urlsafe(24)
    agreement.coachee_token_hash = hash_token(raw)
    agreement.save(update_fields=["coachee_token_hash", "updated_at"])
    audit_record(actor=actor, action="agreement.link", obj=agreement)
    return raw


def agreement_link_url(raw: str) -> str:
    """The public acceptance link for a raw token."""
    return settings.SITE_URL + reverse("coaching:agreement_public", args=[raw])


def agreement_get_by_token(*, token: str) -> Agreement | None:
    """The agreement behind a coachee acceptance token, or None."""
    if not token:
        return None
    return (
        Agreement.objects.select_related("coach", "coachee", "organization")
        .filter(coachee_token_hash=hash_token(token))
        .first()
    )


@transaction.atomic
def agreement_accept(*, agreement: Agreement, side: str, actor: User | None = None) -> Agreement:
    """Record the coach's or coachee's acceptance (once); active when both have accepted."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status not in OPEN_AGREEMENT:
        raise ValidationError(_("This agreement can no longer be accepted."))
    field = {"coach": "coach_accepted_at", "coachee": "coachee_accepted_at"}.get(side)
    if field is None:
        raise ValueError("side must be 'coach' or 'coachee'")
    if getattr(agreement, field) is None:
        setattr(agreement, field, timezone.now())
        if agreement.coach_accepted_at and agreement.coachee_accepted_at:
            agreement.status = Agreement.Status.ACTIVE
        agreement.save()
        audit_record(
            actor=actor, action=f"agreement.accept_{side}", obj=agreement,
            metadata={"status": agreement.status},
        )  # fmt: skip
    return agreement


@transaction.atomic
def agreement_finish(*, actor: User, agreement: Agreement, status: str) -> Agreement:
    """Close an agreement as completed or cancelled."""
    if status not in (Agreement.Status.COMPLETED, Agreement.Status.CANCELLED):
        raise ValidationError(_("Choose completed or cancelled."))
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status not in OPEN_AGREEMENT:
        raise ValidationError(_("This agreement is already closed."))
    agreement.status = status
    agreement.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="agreement.finish", obj=agreement, metadata={"status": status})
    return agreement


@transaction.atomic
def agreement_set_evaluation(*, actor: User, agreement: Agreement, url: str) -> Agreement:
    """Store the end-of-engagement evaluation link (a survey from the surveys app)."""
    agreement.evaluation_url = url
    agreement.full_clean()
    agreement.save(update_fields=["evaluation_url", "updated_at"])
    audit_record(actor=actor, action="agreement.evaluation_link", obj=agreement)
    return agreement


def _require_party(agreement: Agreement, actor: User) -> str:
    """'coach' or 'coachee' if the actor is a party to the agreement, else PermissionError."""
    if actor.pk and agreement.coach.user_id == actor.pk:
        return "coach"
    if actor.pk and agreement.coachee.user_id == actor.pk:
        return "coachee"
    raise PermissionError("Only the coach and the coachee can do this.")


@transaction.atomic
def session_log(
    *,
    actor: User,
    agreement: Agreement,
    date: date,
    duration_minutes: int,
    format: str,
    private_notes: str = "",
    submission_key: str,
) -> CoachingSession:
    """Log a session (coach or coachee only); a retried submission is recorded once."""
    _require_party(agreement, actor)
    if agreement.status != Agreement.Status.ACTIVE:
        raise ValidationError(_("Sessions are logged once both sides have accepted."))
    existing = CoachingSession.objects.filter(
        agreement=agreement, submission_key=submission_key
    ).first()
    if existing is not None:
        return existing
    session = CoachingSession(
        agreement=agreement,
        date=date,
        duration_minutes=duration_minutes,
        format=format,
        private_notes=private_notes,
        logged_by=actor,
        submission_key=submission_key[:64],
    )
    session.full_clean()
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError:
        return CoachingSession.objects.get(agreement=agreement, submission_key=submission_key)
    audit_record(
        actor=actor, action="coaching_session.log", obj=session,
        organization=agreement.organization,
        metadata={"agreement_id": agreement.pk, "minutes": duration_minutes,
                  "has_notes": bool(private_notes)},
    )  # fmt: skip
    return session


@transaction.atomic
def checkin_record(
    *, actor: User, agreement: Agreement, goal_index: int, progress: int, private_note: str = ""
) -> GoalCheckIn:
    """Record progress on one goal (coach or coachee only)."""
    _require_party(agreement, actor)
    if not 0 <= goal_index < len(agreement.goals):
        raise ValidationError({"goal_index": _("Choose one of the agreement's goals.")})
    checkin = GoalCheckIn(
        agreement=agreement,
        goal_index=goal_index,
        progress=progress,
        private_note=private_note,
        recorded_by=actor,
    )
    checkin.full_clean()
    checkin.save()
    audit_record(
        actor=actor, action="goal_checkin.record", obj=checkin,
        organization=agreement.organization,
        metadata={"agreement_id": agreement.pk, "goal": goal_index, "progress": progress},
    )  # fmt: skip
    return checkin


def agreement_reminders_send(*, today: date | None = None) -> int:
    """Email coach and coachee once when an active agreement ends within REMINDER_DAYS.

    Idempotent: each agreement is claimed with one conditional UPDATE, so running twice (or in
    two workers at once) sends one reminder. `today` makes the clock controllable in tests.
    """
    today = today or timezone.localdate()
    due = Agreement.objects.filter(
        status=Agreement.Status.ACTIVE,
        reminder_sent_at__isnull=True,
        end_date__gte=today,
        end_date__lte=today + timedelta(days=REMINDER_DAYS),
    ).select_related("coach", "coachee", "organization")
    sent = 0
    for agreement in due:
        claimed = Agreement.objects.filter(pk=agreement.pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=timezone.now()
        )
        if not claimed:
            continue
        days = (agreement.end_date - today).days
        body = _(
            "Your coaching agreement ends on %(end)s (in %(days)d days). Plan your closing "
            "session and the end-of-engagement evaluation.\n\n%(link)s"
        ) % {
            "end": agreement.end_date.isoformat(),
            "days": days,
            "link": settings.SITE_URL + agreement.get_absolute_url(),
        }
        recipients = [e for e in (agreement.coach.email, agreement.coachee.email) if e]
        if recipients:
            # Sent on commit; a down mail server queues a `core.send_email` retry job instead
            # of failing the run after this agreement was already claimed.
            email_send(
                subject=_("Your coaching agreement ends soon"),
                body=body,
                to=recipients,
                organization=agreement.organization,
            )
        audit_record(
            actor=None, action="agreement.reminder", obj=agreement,
            metadata={"days_left": days, "recipients": len(recipients)},
        )  # fmt: skip
        sent += 1
    return sent
