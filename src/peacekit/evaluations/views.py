"""360 evaluation pages: HR cycle management, progress, reports, cohort; public rater form."""

from __future__ import annotations

from functools import lru_cache

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peacekit.core.models import JobRun
from peacekit.evaluations import pdfs, selectors, services
from peacekit.evaluations.access import (
    access_candidate,
    access_cycle,
    access_rater,
    access_report,
    can_manage_evaluations,
    cycles_visible,
)
from peacekit.evaluations.forms import (
    CandidateForm,
    CandidateGroupForm,
    CycleForm,
    ImportForm,
    RaterForm,
    RatingForm,
)
from peacekit.evaluations.models import Cycle, Rater, RaterGroup, Report, ReportPdf
from peacekit.evaluations.report_view import report_context
from peacekit.reports.rendering import pdf_response


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _report_job(cycle: Cycle, kind: str = "evaluations.generate_reports") -> JobRun | None:
    return (
        JobRun.objects.filter(kind=kind, parameters__cycle_id=cycle.pk)
        .order_by("-created_at", "-pk")
        .first()
    )


# ----------------------------------------------------------------------------- HR pages
def cycle_list(request: HttpRequest) -> HttpResponse:
    organization = request.organization
    can_create = organization is not None and can_manage_evaluations(request.user, organization.pk)
    if not can_create and not request.user.is_program_staff:
        raise PermissionDenied(_("Only agency administrators run 360 evaluations."))
    cycles = selectors.cycle_list(queryset=cycles_visible(request.user))
    return render(
        request, "evaluations/cycle_list.html", {"cycles": cycles, "can_create": can_create}
    )


def cycle_create(request: HttpRequest) -> HttpResponse:
    organization = request.organization
    if organization is None or not can_manage_evaluations(request.user, organization.pk):
        raise PermissionDenied(_("Only agency administrators run 360 evaluations."))
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cycle = services.cycle_create(
            actor=request.user, organization=organization, **form.cleaned_data
        )
        messages.success(request, _("Cycle created. Import candidates and raters next."))
        return redirect(cycle)
    return render(request, "evaluations/cycle_form.html", {"form": form})


def cycle_detail(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access_cycle(request.user, cycle_id)
    candidates = list(cycle.candidates.all())
    nominated = list(
        Rater.objects.filter(cycle=cycle, status=Rater.Status.NOMINATED).select_related("candidate")
    )
    reports = dict(Report.objects.filter(cycle=cycle).values_list("candidate_id", "pk"))
    for candidate in candidates:
        candidate.report_id = reports.get(candidate.pk)
    return render(
        request,
        "evaluations/cycle_detail.html",
        {
            "cycle": cycle,
            "candidates": candidates,
            "nominated": nominated,
            "import_form": ImportForm(),
            "candidate_form": CandidateForm(),
            "approved_count": Rater.objects.filter(
                cycle=cycle, status=Rater.Status.APPROVED
            ).count(),
            "job": _report_job(cycle),
            "pdf_job": _report_job(cycle, "evaluations.prepare_pdfs"),
            "pdf_count": ReportPdf.objects.filter(report__cycle=cycle).count(),
            "report_count": len(reports),
            "competencies": cycle.framework.competencies.prefetch_related("items"),
        },
    )


@require_POST
def cycle_import(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access_cycle(request.user, cycle_id)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV file to import."))
        return redirect(cycle)
    upload = form.cleaned_data["file"]
    if upload.size > 5 * 1024 * 1024:
        messages.error(request, _("The file is larger than 5 MB."))
        return redirect(cycle)
    try:
        result = services.cycle_import_csv(actor=request.user, cycle=cycle, data=upload.read())
    except ValidationError as error:
        _errors(request, error)
        return redirect(cycle)
    if result.errors:
        messages.error(request, _("Nothing was imported. Fix these rows and upload again:"))
        for line in result.errors[:50]:
            messages.error(request, line)
    else:
        messages.success(
            request,
            _("Imported %(c)s candidates and %(r)s raters.")
            % {"c": result.candidates, "r": result.raters},
        )
    return redirect(cycle)


@require_POST
def candidate_add(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access_cycle(request.user, cycle_id)
    form = CandidateForm(request.POST)
    if form.is_valid():
        try:
            services.candidate_add(actor=request.user, cycle=cycle, **form.cleaned_data)
            messages.success(request, _("Candidate added."))
        except ValidationError as error:
            _errors(request, error)
    else:
        messages.error(request, _("Give the candidate's name and a valid email."))
    return redirect(cycle)


def _cycle_action(request, cycle_id, action, success):
    cycle = access_cycle(request.user, cycle_id)
    try:
        outcome = action(cycle)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, success(outcome) if callable(success) else success)
    return redirect(cycle)


@require_POST
def cycle_open(request: HttpRequest, cycle_id: int) -> HttpResponse:
    return _cycle_action(
        request,
        cycle_id,
        lambda c: services.cycle_open(actor=request.user, cycle=c),
        _("The cycle is open. Send the invitations when the rater list is approved."),
    )


@require_POST
def cycle_invite(request: HttpRequest, cycle_id: int) -> HttpResponse:
    return _cycle_action(
        request,
        cycle_id,
        lambda c: services.invitations_send(actor=request.user, cycle=c),
        lambda n: _("%(n)s invitations sent.") % {"n": n},
    )


@require_POST
def cycle_remind(request: HttpRequest, cycle_id: int) -> HttpResponse:
    return _cycle_action(
        request,
        cycle_id,
        lambda c: services.reminders_enqueue(actor=request.user, cycle=c),
        _("Reminders are being sent to raters who have not answered."),
    )


@require_POST
def cycle_close(request: HttpRequest, cycle_id: int) -> HttpResponse:
    return _cycle_action(
        request,
        cycle_id,
        lambda c: services.cycle_close(actor=request.user, cycle=c),
        _("The cycle is closed. Reports are being generated."),
    )


@require_POST
def cycle_regenerate(request: HttpRequest, cycle_id: int) -> HttpResponse:
    return _cycle_action(
        request,
        cycle_id,
        lambda c: services.reports_enqueue(actor=request.user, cycle=c),
        _("Reports are being generated again."),
    )


@require_POST
def cycle_prepare_pdfs(request: HttpRequest, cycle_id: int) -> HttpResponse:
    return _cycle_action(
        request,
        cycle_id,
        lambda c: services.pdfs_enqueue(actor=request.user, cycle=c),
        _("Every candidate's PDF is being prepared."),
    )


@require_POST
def raters_approve(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access_cycle(request.user, cycle_id)
    ids = [int(x) for x in request.POST.getlist("rater") if x.isdigit()] or None
    count = services.raters_approve(actor=request.user, cycle=cycle, rater_ids=ids)
    messages.success(request, _("%(n)s nominations approved.") % {"n": count})
    return redirect(cycle)


def cycle_progress(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access_cycle(request.user, cycle_id)
    return render(
        request,
        "evaluations/progress.html",
        {
            "cycle": cycle,
            "progress": selectors.cycle_progress(cycle=cycle),
            "job": _report_job(cycle),
        },
    )


def cycle_cohort(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access_cycle(request.user, cycle_id)
    return render(
        request,
        "evaluations/cohort.html",
        {
            "cycle": cycle,
            "rows": selectors.cohort(cycle=cycle),
            "fairness": selectors.fairness_check(cycle=cycle),
            "job": _report_job(cycle),
        },
    )


def candidate_detail(request: HttpRequest, candidate_id: int) -> HttpResponse:
    candidate = access_candidate(request.user, candidate_id)
    raters = list(candidate.raters.all())
    report = Report.objects.filter(candidate=candidate).only("pk").first()
    return render(
        request,
        "evaluations/candidate_detail.html",
        {
            "candidate": candidate,
            "cycle": candidate.cycle,
            "raters": raters,
            "rater_form": RaterForm(),
            "group_form": CandidateGroupForm(),
            "groups": candidate.groups.all(),
            "report": report,
            "nomination_link": request.session.pop(f"eval-nominate-{candidate.pk}", None),
        },
    )


@require_POST
def rater_add(request: HttpRequest, candidate_id: int) -> HttpResponse:
    candidate = access_candidate(request.user, candidate_id)
    form = RaterForm(request.POST)
    if form.is_valid():
        try:
            services.rater_add(actor=request.user, candidate=candidate, **form.cleaned_data)
            messages.success(request, _("Rater added."))
        except ValidationError as error:
            _errors(request, error)
    else:
        messages.error(request, _("Give the rater's group, name and a valid email."))
    return redirect("evaluations:candidate_detail", candidate.pk)


@require_POST
def rater_remove(request: HttpRequest, rater_id: int) -> HttpResponse:
    rater = access_rater(request.user, rater_id)
    try:
        services.rater_remove(actor=request.user, rater=rater)
        messages.success(request, _("Rater removed."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("evaluations:candidate_detail", rater.candidate_id)


@require_POST
def candidate_nomination(request: HttpRequest, candidate_id: int) -> HttpResponse:
    candidate = access_candidate(request.user, candidate_id)
    try:
        link = services.candidate_nomination_link(actor=request.user, candidate=candidate)
    except ValidationError as error:
        _errors(request, error)
    else:
        # Shown once on the next page, never stored in clear.
        request.session[f"eval-nominate-{candidate.pk}"] = link
    return redirect("evaluations:candidate_detail", candidate.pk)


@require_POST
def candidate_group(request: HttpRequest, candidate_id: int) -> HttpResponse:
    candidate = access_candidate(request.user, candidate_id)
    form = CandidateGroupForm(request.POST)
    if form.is_valid():
        services.candidate_group_set(actor=request.user, candidate=candidate, **form.cleaned_data)
        messages.success(request, _("Group saved. It is used only for the four-fifths check."))
    else:
        messages.error(request, _("Give a category."))
    return redirect("evaluations:candidate_detail", candidate.pk)


def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = access_report(request.user, report_id)
    services.report_open(actor=request.user, report=report, fmt="html")
    return render(request, "evaluations/report.html", {**report_context(report), "pdf": False})


def candidate_report(request: HttpRequest, candidate_id: int) -> HttpResponse:
    candidate = access_candidate(request.user, candidate_id)
    report = services.report_for_candidate(candidate=candidate)
    if report is None:
        messages.info(request, _("The report is generated when the cycle closes."))
        return redirect("evaluations:candidate_detail", candidate.pk)
    services.report_open(actor=request.user, report=report, fmt="html")
    return render(request, "evaluations/report.html", {**report_context(report), "pdf": False})


def report_pdf(request: HttpRequest, report_id: int) -> HttpResponse:
    report = access_report(request.user, report_id)
    services.report_open(actor=request.user, report=report, fmt="pdf")
    pdf = pdfs.report_pdf_bytes(report)  # the stored file when current, else made now
    return pdf_response(pdf, f"360-report-{report.candidate_id}.pdf")


# ----------------------------------------------------------------------------- public pages
def _language(request: HttpRequest, default: str = "en") -> str:
    lang = request.GET.get("lang") or request.POST.get("lang") or default
    lang = lang if lang in ("en", "es") else "en"
    translation.activate(lang)
    request.LANGUAGE_CODE = lang
    return lang


STATE_MESSAGES = {
    services.LinkState.USED: "used",
    services.LinkState.EXPIRED: "expired",
    services.LinkState.DECLINED: "declined",
    services.LinkState.CLOSED: "closed",
    services.LinkState.UNKNOWN: "unknown",
}


@lru_cache(maxsize=8)
def _thanks_path(script_prefix: str) -> str:
    """The thanks page's address (reversed once per process and script prefix)."""
    return reverse("evaluations:rate_thanks")


@login_not_required
def rate_thanks(request: HttpRequest) -> HttpResponse:
    """Where a rater lands after answering (Post/Redirect/Get: reloading it sends nothing)."""
    lang = _language(request)
    return render(request, "evaluations/rate_state.html", {"state": "thanks", "lang": lang})


@login_not_required
def rate(request: HttpRequest, token: str) -> HttpResponse:
    rater, state = services.rater_by_token(token=token)
    lang = _language(request, rater.language if rater else "en")
    if state != services.LinkState.OPEN:
        status = 404 if state == services.LinkState.UNKNOWN else 410
        return render(
            request,
            "evaluations/rate_state.html",
            {"state": STATE_MESSAGES[state], "lang": lang},
            status=status,
        )
    items = services.form_items(rater.cycle)
    spanish = lang == "es"
    form = None
    if request.method == "POST":
        # A valid submission is read without building the 40-field form; anything else
        # binds the form, which gives the errors to show.
        submitted = RatingForm.valid_submission(request.POST, items)
        if submitted is None:
            form = RatingForm(request.POST or None, items=items, spanish=spanish)
            if form.is_valid():
                submitted = (
                    form.answers(), form.cleaned_data["strengths"], form.cleaned_data["develop"]
                )  # fmt: skip
        if submitted is not None:
            answers, strengths, develop = submitted
            try:
                services.response_submit(
                    token=token,
                    answers=answers,
                    strengths=strengths,
                    develop=develop,
                    loaded=(rater, items),
                )
            except ValidationError as error:
                if form is None:
                    form = RatingForm(request.POST, items=items, spanish=spanish)
                    form.is_valid()
                form.add_error(None, error)
            else:
                return HttpResponseRedirect(f"{_thanks_path(get_script_prefix())}?lang={lang}")
    if form is None:
        form = RatingForm(items=items, spanish=spanish)
    return render(
        request,
        "evaluations/rate_form.html",
        {
            "form": form,
            "rater": rater,
            "candidate": rater.candidate,
            "lang": lang,
            "is_self": rater.group == RaterGroup.SELF,
            "token": token,
            "other_lang": "es" if lang == "en" else "en",
        },
    )


@login_not_required
@require_POST
def rate_decline(request: HttpRequest, token: str) -> HttpResponse:
    rater, _state = services.rater_by_token(token=token)
    lang = _language(request, rater.language if rater else "en")
    if rater is None:
        raise Http404
    services.rater_decline(token=token)
    return render(request, "evaluations/rate_state.html", {"state": "declined", "lang": lang})


@login_not_required
def nominate(request: HttpRequest, token: str) -> HttpResponse:
    lang = _language(request)
    candidate = services.candidate_by_nomination_token(token=token)
    if candidate is None:
        return render(
            request, "evaluations/rate_state.html", {"state": "unknown", "lang": lang}, status=404
        )
    form = RaterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rater_nominate(token=token, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. HR will review your nomination."))
            return redirect(reverse("evaluations:nominate", args=[token]) + f"?lang={lang}")
    nominated = candidate.raters.exclude(group=RaterGroup.SELF).order_by("group", "name")
    return render(
        request,
        "evaluations/nominate.html",
        {
            "form": form,
            "candidate": candidate,
            "nominated": nominated,
            "lang": lang,
            "other_lang": "es" if lang == "en" else "en",
            "token": token,
        },
    )
