"""Coaching pages: thin views over access helpers, services and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peacekit.coaching import selectors, services
from peacekit.coaching.access import (
    access_agreement,
    access_assessment,
    access_coach,
    access_coachee,
    access_match,
    access_match_run,
    access_party_agreement,
    access_session_notes,
    agreement_queryset,
    agreement_side,
    can_read_private_notes,
    manager_organization_ids,
)
from peacekit.coaching.forms import (
    AgreementForm,
    AssessmentForm,
    CheckInForm,
    CoacheeForm,
    CoachForm,
    EvaluationLinkForm,
    FinishForm,
    MatchRunForm,
    OverrideForm,
    ProfileAdjustForm,
    SessionForm,
)
from peacekit.coaching.models import Agreement, Coach, NeedsAssessment
from peacekit.core.access import require_program_staff
from peacekit.core.models import Organization
from peacekit.core.ratelimit import rate_limited


def _page(request: HttpRequest, queryset, per_page: int = 50):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _errors(error: ValidationError) -> str:
    return "; ".join(error.messages)


def _program(request: HttpRequest) -> Organization:
    """The program organization staff are working in (the active one, or the first program)."""
    organization = getattr(request, "organization", None)
    if organization is not None and organization.kind == Organization.Kind.PROGRAM:
        return organization
    program = Organization.objects.filter(kind=Organization.Kind.PROGRAM).order_by("pk").first()
    if program is None:
        raise PermissionDenied(_("There is no program organization."))
    return program


def _language() -> str:
    return "es" if (get_language() or "en").startswith("es") else "en"


# ----------------------------------------------------------------------------- home
def home(request: HttpRequest) -> HttpResponse:
    """Program staff: the program at a glance. Coaches and coachees: their agreements."""
    user = request.user
    agreements = selectors.agreement_list(queryset=agreement_queryset(user))[:50]
    context = {"agreements": agreements, "is_staff": user.is_program_staff}
    if user.is_program_staff:
        context["summary"] = selectors.coaching_summary()
        context["latest_run"] = selectors.match_run_latest(user=user)
    context["coach_profiles"] = Coach.objects.filter(user=user) if user.is_authenticated else []
    return render(request, "coaching/home.html", context)


# ----------------------------------------------------------------------------- coaches
def coach_list(request: HttpRequest) -> HttpResponse:
    require_program_staff(request.user)
    coaches = selectors.coach_list(user=request.user)
    return render(request, "coaching/coach_list.html", {"page": _page(request, coaches)})


def coach_form(request: HttpRequest, coach_id: int | None = None) -> HttpResponse:
    require_program_staff(request.user)
    coach = access_coach(request.user, coach_id, manage=True) if coach_id else None
    areas = selectors.expertise_area_list()
    initial = CoachForm.initial_for(coach) if coach else None
    form = CoachForm(request.POST or None, initial=initial, areas=areas)
    if request.method == "POST" and form.is_valid():
        try:
            coach = services.coach_save(
                actor=request.user,
                organization=coach.organization if coach else _program(request),
                coach=coach,
                conflicts=list(form.cleaned_data["conflicts"]),
                **form.service_fields(),
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("Coach saved."))
            return redirect(coach)
    return render(request, "coaching/coach_form.html", {"form": form, "coach": coach})


def coach_detail(request: HttpRequest, coach_id: int) -> HttpResponse:
    coach = access_coach(request.user, coach_id)
    areas = selectors.expertise_area_list()
    return render(
        request,
        "coaching/coach_detail.html",
        {
            "coach": coach,
            "chart": selectors.needs_chart(coach.expertise, areas, title=_("Expertise")),
            "conflicts": coach.conflicts.all(),
            "agreements": agreement_queryset(request.user).filter(coach=coach),
            "can_manage": request.user.is_program_staff,
        },
    )


# ----------------------------------------------------------------------------- coachees
def coachee_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_program_staff:
        coachees = selectors.coachee_list(user=user)
    else:
        ids = manager_organization_ids(user)
        if not ids:
            raise PermissionDenied(_("Agency administrators and program staff only."))
        coachees = selectors.coachee_list(user=user, organization_ids=ids)
    return render(
        request,
        "coaching/coachee_list.html",
        {"page": _page(request, coachees), "can_manage": user.is_program_staff},
    )


def coachee_form(request: HttpRequest, coachee_id: int | None = None) -> HttpResponse:
    require_program_staff(request.user)
    coachee = access_coachee(request.user, coachee_id, manage=True) if coachee_id else None
    initial = None
    if coachee is not None:
        initial = {
            f: getattr(coachee, f)
            for f in ("organization", "name", "email", "role", "agency_type", "languages",
                      "region", "virtual_ok")
        }  # fmt: skip
    form = CoacheeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            coachee = services.coachee_save(
                actor=request.user,
                organization=data.pop("organization"),
                coachee=coachee,
                **data,
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("Coachee saved."))
            return redirect(coachee)
    return render(request, "coaching/coachee_form.html", {"form": form, "coachee": coachee})


def coachee_detail(request: HttpRequest, coachee_id: int) -> HttpResponse:
    coachee = access_coachee(request.user, coachee_id)
    assessment = NeedsAssessment.objects.filter(coachee=coachee).first()
    areas = selectors.expertise_area_list()
    chart = computed_chart = None
    if assessment and assessment.profile:
        chart = selectors.needs_chart(assessment.profile, areas)
        if assessment.adjusted_at:
            computed_chart = selectors.needs_chart(
                assessment.computed_profile, areas, title=_("From the questionnaire")
            )
    return render(
        request,
        "coaching/coachee_detail.html",
        {
            "coachee": coachee,
            "assessment": assessment,
            "chart": chart,
            "computed_chart": computed_chart,
            "agreements": agreement_queryset(request.user).filter(coachee=coachee),
            "can_manage": request.user.is_program_staff,
        },
    )


@require_POST
def assessment_link(request: HttpRequest, coachee_id: int) -> HttpResponse:
    coachee = access_coachee(request.user, coachee_id, manage=True)
    _assessment, raw = services.assessment_link_create(actor=request.user, coachee=coachee)
    messages.success(
        request,
        _("Send this questionnaire link to %(name)s (shown once): %(link)s")
        % {"name": coachee.name, "link": services.assessment_link_url(raw)},
    )
    return redirect(coachee)


def assessment_staff(request: HttpRequest, coachee_id: int) -> HttpResponse:
    """Staff enter the questionnaire for a coachee (e.g. from a phone interview)."""
    coachee = access_coachee(request.user, coachee_id, manage=True)
    assessment = access_assessment(request.user, coachee_id)
    areas = selectors.expertise_area_list()
    initial = assessment.answers if assessment and assessment.answers else None
    form = AssessmentForm(request.POST or None, initial=initial, areas=areas)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_submit(
                coachee=coachee, answers=form.cleaned_data, actor=request.user, by_staff=True
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("Needs assessment saved."))
            return redirect(coachee)
    return render(
        request,
        "coaching/assessment_staff.html",
        {"form": form, "coachee": coachee},
    )


def assessment_adjust(request: HttpRequest, coachee_id: int) -> HttpResponse:
    coachee = access_coachee(request.user, coachee_id, manage=True)
    assessment = access_assessment(request.user, coachee_id)
    if assessment is None or assessment.status != NeedsAssessment.Status.SUBMITTED:
        messages.error(request, _("There is no submitted needs assessment to adjust yet."))
        return redirect(coachee)
    areas = selectors.expertise_area_list()
    form = ProfileAdjustForm(request.POST or None, areas=areas, profile=assessment.profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_adjust(
                actor=request.user, assessment=assessment, profile=form.profile()
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("Needs profile adjusted."))
            return redirect(coachee)
    return render(
        request,
        "coaching/assessment_adjust.html",
        {
            "form": form,
            "coachee": coachee,
            "assessment": assessment,
            "computed_chart": selectors.needs_chart(
                assessment.computed_profile, areas, title=_("From the questionnaire")
            ),
        },
    )


@login_not_required
def assessment_public(request: HttpRequest, assessment_token: str) -> HttpResponse:
    """The questionnaire a police leader or city/county manager fills in from an emailed link."""
    if request.method == "POST" and rate_limited(request, scope="coaching.assess", limit=20):
        return render(request, "coaching/public_message.html", {"kind": "busy"}, status=429)
    assessment = services.assessment_get_by_token(token=assessment_token)
    if assessment is None:
        return render(request, "coaching/public_message.html", {"kind": "invalid"}, status=404)
    if assessment.status == NeedsAssessment.Status.SUBMITTED:
        return render(request, "coaching/public_message.html", {"kind": "thanks"})
    language = _language()
    areas = selectors.expertise_area_list()
    form = AssessmentForm(request.POST or None, areas=areas, language=language)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_submit(coachee=assessment.coachee, answers=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            return redirect("coaching:assessment_public", assessment_token=assessment_token)
    return render(
        request,
        "coaching/assessment_public.html",
        {"form": form, "coachee": assessment.coachee},
    )


# ----------------------------------------------------------------------------- matching
def matching(request: HttpRequest) -> HttpResponse:
    """The latest match run, or an invitation to run one."""
    require_program_staff(request.user)
    run = selectors.match_run_latest(user=request.user)
    if run is not None:
        return redirect(run)
    return render(request, "coaching/match_run.html", {"run": None, "run_form": MatchRunForm()})


@require_POST
def match_run_start(request: HttpRequest) -> HttpResponse:
    require_program_staff(request.user)
    form = MatchRunForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether language and location are required."))
        return redirect("coaching:matching")
    run = services.match_run_start(
        actor=request.user, organization=_program(request), parameters=form.cleaned_data
    )
    messages.info(request, _("Matching started; confirmed pairs are kept."))
    return redirect(run)


def match_run_detail(request: HttpRequest, match_run_id: int) -> HttpResponse:
    run = access_match_run(request.user, match_run_id)
    matches = list(selectors.match_run_matches(run=run))
    coaches = Coach.objects.filter(organization=run.organization, is_active=True)
    return render(
        request,
        "coaching/match_run.html",
        {
            "run": run,
            "job": run.job,
            "matches": matches,
            "unmatched": selectors.match_run_unmatched(run=run),
            "coach_choices": list(coaches.values_list("pk", "name")),
            "run_form": MatchRunForm(initial=run.parameters),
            "is_latest": selectors.match_run_latest(user=request.user) == run,
        },
    )


@require_POST
def match_confirm(request: HttpRequest, proposed_match_id: int) -> HttpResponse:
    match = access_match(request.user, proposed_match_id)
    try:
        services.match_confirm(actor=request.user, match=match)
        messages.success(request, _("Match confirmed: %(pair)s.") % {"pair": match})
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect(match.run)


@require_POST
def match_override(request: HttpRequest, proposed_match_id: int) -> HttpResponse:
    match = access_match(request.user, proposed_match_id)
    form = OverrideForm(
        request.POST, coaches=Coach.objects.filter(organization=match.run.organization)
    )
    if not form.is_valid():
        messages.error(request, _("Choose a coach from the list."))
        return redirect(match.run)
    try:
        services.match_override(actor=request.user, match=match, coach=form.cleaned_data["coach"])
        messages.success(request, _("Coach changed for %(name)s.") % {"name": match.coachee.name})
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect(match.run)


# ----------------------------------------------------------------------------- agreements
def agreement_list(request: HttpRequest) -> HttpResponse:
    agreements = selectors.agreement_list(queryset=agreement_queryset(request.user))
    status = request.GET.get("status", "")
    if status in Agreement.Status.values:
        agreements = agreements.filter(status=status)
    return render(
        request,
        "coaching/agreement_list.html",
        {
            "page": _page(request, agreements),
            "status": status,
            "statuses": Agreement.Status.choices,
            "is_staff": request.user.is_program_staff,
        },
    )


def agreement_create(request: HttpRequest, proposed_match_id: int) -> HttpResponse:
    match = access_match(request.user, proposed_match_id)
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agreement, raw = services.agreement_create(
                actor=request.user,
                match=match,
                goals=form.goal_list(),
                cadence=form.cleaned_data["cadence"],
                start_date=form.cleaned_data["start_date"],
                end_date=form.cleaned_data["end_date"],
                evaluation_url=form.cleaned_data["evaluation_url"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errs in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                form.add_error(None, _errors(error))
        else:
            messages.success(
                request,
                _("Agreement drafted. Send the coachee this acceptance link (shown once): "
                  "%(link)s") % {"link": services.agreement_link_url(raw)},
            )  # fmt: skip
            return redirect(agreement)
    return render(request, "coaching/agreement_form.html", {"form": form, "match": match})


def agreement_detail(request: HttpRequest, agreement_id: int) -> HttpResponse:
    agreement = access_agreement(request.user, agreement_id)
    side = agreement_side(request.user, agreement)
    private = can_read_private_notes(request.user, agreement)
    sessions = selectors.agreement_sessions(agreement=agreement)
    checkins = agreement.checkins.defer("private_note")
    return render(
        request,
        "coaching/agreement_detail.html",
        {
            "agreement": agreement,
            "side": side,
            "private": private,
            "sessions": sessions,
            "checkins": [(c, agreement.goals[c.goal_index]) for c in checkins],
            "total_minutes": sum(s.duration_minutes for s in sessions),
            "session_form": SessionForm() if side and agreement.status == "active" else None,
            "checkin_form": CheckInForm(goals=agreement.goals)
            if side and agreement.status == "active"
            else None,
            "finish_form": FinishForm() if request.user.is_program_staff else None,
            "evaluation_form": EvaluationLinkForm(
                initial={"evaluation_url": agreement.evaluation_url}
            )
            if request.user.is_program_staff
            else None,
            "can_accept": side is not None
            and agreement.status == Agreement.Status.PENDING
            and getattr(agreement, f"{side}_accepted_at") is None,
        },
    )


@require_POST
def agreement_accept(request: HttpRequest, agreement_id: int) -> HttpResponse:
    agreement = access_party_agreement(request.user, agreement_id)
    side = agreement_side(request.user, agreement)
    try:
        services.agreement_accept(agreement=agreement, side=side, actor=request.user)
        messages.success(request, _("You accepted the agreement."))
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect(agreement)


@require_POST
def agreement_link(request: HttpRequest, agreement_id: int) -> HttpResponse:
    require_program_staff(request.user)
    agreement = access_agreement(request.user, agreement_id)
    raw = services.agreement_coachee_link(actor=request.user, agreement=agreement)
    messages.success(
        request,
        _("New acceptance link for the coachee (shown once): %(link)s")
        % {"link": services.agreement_link_url(raw)},
    )
    return redirect(agreement)


@require_POST
def agreement_finish(request: HttpRequest, agreement_id: int) -> HttpResponse:
    require_program_staff(request.user)
    agreement = access_agreement(request.user, agreement_id)
    form = FinishForm(request.POST)
    if form.is_valid():
        try:
            services.agreement_finish(
                actor=request.user, agreement=agreement, status=form.cleaned_data["status"]
            )
            messages.success(request, _("Agreement closed."))
        except ValidationError as error:
            messages.error(request, _errors(error))
    return redirect(agreement)


@require_POST
def agreement_evaluation(request: HttpRequest, agreement_id: int) -> HttpResponse:
    require_program_staff(request.user)
    agreement = access_agreement(request.user, agreement_id)
    form = EvaluationLinkForm(request.POST)
    if form.is_valid():
        services.agreement_set_evaluation(
            actor=request.user, agreement=agreement, url=form.cleaned_data["evaluation_url"]
        )
        messages.success(request, _("Evaluation link saved."))
    else:
        messages.error(request, _("Enter a full web address for the evaluation survey."))
    return redirect(agreement)


@require_POST
def reminders_run(request: HttpRequest) -> HttpResponse:
    require_program_staff(request.user)
    from peacekit.core.services import jobrun_enqueue

    job = jobrun_enqueue(
        kind="coaching.agreement_reminders",
        actor=request.user,
        organization=_program(request),
        label=_("Coaching agreement reminders"),
    )
    return redirect(job)


@login_not_required
def agreement_public(request: HttpRequest, agreement_token: str) -> HttpResponse:
    """The coachee reads and accepts the agreement from an emailed link (no account needed)."""
    if request.method == "POST" and rate_limited(request, scope="coaching.accept", limit=20):
        return render(request, "coaching/public_message.html", {"kind": "busy"}, status=429)
    agreement = services.agreement_get_by_token(token=agreement_token)
    if agreement is None:
        return render(request, "coaching/public_message.html", {"kind": "invalid"}, status=404)
    if request.method == "POST":
        try:
            services.agreement_accept(agreement=agreement, side="coachee")
        except ValidationError:
            return render(request, "coaching/public_message.html", {"kind": "closed"})
        return redirect("coaching:agreement_public", agreement_token=agreement_token)
    return render(request, "coaching/agreement_public.html", {"agreement": agreement})


@require_POST
def session_create(request: HttpRequest, agreement_id: int) -> HttpResponse:
    agreement = access_party_agreement(request.user, agreement_id)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.session_log(
                actor=request.user,
                agreement=agreement,
                date=form.cleaned_data["date"],
                duration_minutes=form.cleaned_data["duration_minutes"],
                format=form.cleaned_data["format"],
                private_notes=form.cleaned_data["private_notes"],
                submission_key=form.cleaned_data["submission_key"],
            )
            messages.success(request, _("Session logged."))
        except ValidationError as error:
            messages.error(request, _errors(error))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    return redirect(agreement)


def session_notes(request: HttpRequest, coaching_session_id: int) -> HttpResponse:
    """A session's private notes: the agreement's coach and coachee only."""
    session = access_session_notes(request.user, coaching_session_id)
    return render(
        request,
        "coaching/session_notes.html",
        {"session": session, "agreement": session.agreement},
    )


@require_POST
def checkin_create(request: HttpRequest, agreement_id: int) -> HttpResponse:
    agreement = access_party_agreement(request.user, agreement_id)
    form = CheckInForm(request.POST, goals=agreement.goals)
    if form.is_valid():
        try:
            services.checkin_record(actor=request.user, agreement=agreement, **form.cleaned_data)
            messages.success(request, _("Check-in recorded."))
        except ValidationError as error:
            messages.error(request, _errors(error))
    else:
        messages.error(request, _("Choose a goal and a progress level."))
    return redirect(agreement)


def checkin_notes(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """Check-ins with their private notes: the agreement's coach and coachee only."""
    agreement = access_party_agreement(request.user, agreement_id)
    checkins = [(c, agreement.goals[c.goal_index]) for c in agreement.checkins.all()]
    return render(
        request, "coaching/checkin_notes.html", {"agreement": agreement, "checkins": checkins}
    )
