"""Survey pages: list, create, detail, public answer page, paper entry, evaluation, quotas,
imports and exports, trends. Thin: forms in, services and selectors do the work."""

from __future__ import annotations

import csv
import io
from functools import lru_cache

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from peacekit.core.access import has_role
from peacekit.core.ratelimit import rate_limited
from peacekit.reports.charts import line_chart
from peacekit.reports.rendering import pdf_response, render_report_html, render_report_pdf
from peacekit.surveys import selectors, services
from peacekit.surveys.access import (
    EDIT_ROLES,
    access_survey,
    access_trend_dataset,
    access_wave,
    public_wave,
)
from peacekit.surveys.forms import (
    MarginsForm,
    ResponseCheck,
    ResponseForm,
    SurveyForm,
    TrendImportForm,
    UploadForm,
)
from peacekit.surveys.models import Response, Wave


def _can_edit(request: HttpRequest, organization_id: int) -> bool:
    return has_role(request.user, organization_id, EDIT_ROLES)


# ----------------------------------------------------------------------------- staff pages
def survey_list(request: HttpRequest) -> HttpResponse:
    surveys = selectors.survey_list(user=request.user, organization=request.organization)
    can_create = request.organization is not None and _can_edit(request, request.organization.pk)
    return render(
        request, "surveys/survey_list.html", {"surveys": surveys[:200], "can_create": can_create}
    )


def survey_create(request: HttpRequest) -> HttpResponse:
    organization = request.organization
    if organization is None or not _can_edit(request, organization.pk):
        raise PermissionDenied(_("Your role does not allow this."))
    services.library_ensure()
    instruments = selectors.instrument_list(organization=organization)
    form = SurveyForm(request.POST or None, instruments=instruments)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        survey = services.survey_create(
            actor=request.user,
            organization=organization,
            title=data["title"],
            title_es=data["title_es"],
            target_type=data["target_type"],
            target_label=data["target_label"],
            retrospective=data["retrospective"],
            instruments=data["instruments"],
            wave_kinds=data["waves"],
        )
        messages.success(request, _("Survey created. Share each wave's link or QR code."))
        return redirect(survey)
    return render(request, "surveys/survey_form.html", {"form": form})


def instrument_library(request: HttpRequest) -> HttpResponse:
    services.library_ensure()
    return render(
        request,
        "surveys/instrument_library.html",
        {"instruments": selectors.instrument_list(organization=request.organization)},
    )


def survey_detail(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = access_survey(request.user, survey_id)
    waves = selectors.wave_counts(survey=survey)
    for item in waves:
        item["url"] = request.build_absolute_uri(item["wave"].public_path())
    return render(
        request,
        "surveys/survey_detail.html",
        {
            "survey": survey,
            "waves": waves,
            "instruments": survey.instruments.all(),
            "can_edit": _can_edit(request, survey.organization_id),
        },
    )


def wave_qr(request: HttpRequest, wave_id: int) -> HttpResponse:
    wave = access_wave(request.user, wave_id)
    url = request.build_absolute_uri(wave.public_path())
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    buffer = io.BytesIO()
    image.save(buffer)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@require_POST
def wave_toggle(request: HttpRequest, wave_id: int) -> HttpResponse:
    wave = access_wave(request.user, wave_id, edit=True)
    services.wave_set_open(actor=request.user, wave=wave, is_open=not wave.is_open)
    return redirect(wave.survey)


def paper_entry(request: HttpRequest, wave_id: int) -> HttpResponse:
    wave = access_wave(request.user, wave_id, edit=True)
    survey = wave.survey
    form = _response_form(request, wave)
    if request.method == "POST" and form.is_valid():
        created = _submit(request, wave, form, source=Response.Source.PAPER)
        if created is not None:
            if created:
                messages.success(request, _("Paper response saved. Enter the next one."))
            else:
                messages.info(request, _("That response was already saved."))
            return redirect("surveys:paper_entry", wave_id=wave.pk)
    return render(
        request, "surveys/paper_entry.html", {"wave": wave, "survey": survey, "form": form}
    )


def evaluation(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = access_survey(request.user, survey_id)
    context = _evaluation_context(survey)
    if request.GET.get("format") == "pdf":
        pdf = render_report_pdf("surveys/evaluation_report.html", context)
        return pdf_response(pdf, f"survey-{survey.pk}-evaluation.pdf")
    return HttpResponse(render_report_html(request, "surveys/evaluation_report.html", context))


def _evaluation_context(survey) -> dict:
    waves = selectors.wave_counts(survey=survey)
    has_follow_up = any(w["wave"].kind == Wave.Kind.FOLLOW_UP and w["n"] for w in waves)
    return {
        "survey": survey,
        "evaluation": selectors.survey_evaluation(survey=survey),
        "follow_up": selectors.survey_evaluation(survey=survey, compare_to=Wave.Kind.FOLLOW_UP)
        if has_follow_up
        else None,
        "waves": waves,
    }


def margins(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = access_survey(request.user, survey_id)
    form = MarginsForm()
    errors = []
    if request.method == "POST":
        if not _can_edit(request, survey.organization_id):
            raise PermissionDenied(_("Your role does not allow this."))
        form = MarginsForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                n = services.margins_import_csv(
                    actor=request.user, survey=survey, data=form.csv_bytes()
                )
            except services.ImportRejected as exc:
                errors = exc.errors
            else:
                messages.success(request, _("%(n)s target margins saved.") % {"n": n})
                return redirect("surveys:margins", survey_id=survey.pk)
    pre = survey.waves.filter(kind=Wave.Kind.PRE).first() or survey.waves.first()
    return render(
        request,
        "surveys/margins.html",
        {
            "survey": survey,
            "quotas": selectors.quota_status(survey=survey),
            "weights": selectors.survey_weights(survey=survey, wave=pre) if pre else None,
            "form": form,
            "errors": errors,
            "can_edit": _can_edit(request, survey.organization_id),
        },
    )


def responses_import(request: HttpRequest, wave_id: int) -> HttpResponse:
    wave = access_wave(request.user, wave_id, edit=True)
    form = UploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            n = services.responses_import(
                actor=request.user, wave=wave, data=upload.read(), filename=upload.name
            )
        except services.ImportRejected as exc:
            errors = exc.errors
        else:
            messages.success(request, _("%(n)s responses imported.") % {"n": n})
            return redirect(wave.survey)
    questions = services.survey_questions(wave.survey)
    return render(
        request,
        "surveys/responses_import.html",
        {"wave": wave, "survey": wave.survey, "form": form, "errors": errors,
         "questions": questions},
    )  # fmt: skip


def responses_export(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = access_survey(request.user, survey_id, edit=True)
    header, rows = selectors.response_export_rows(survey=survey)
    if request.GET.get("format") == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("responses")
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}.xlsx"'
        return response
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


# ----------------------------------------------------------------------------- trends
def trend_list(request: HttpRequest) -> HttpResponse:
    datasets = selectors.trend_dataset_list(user=request.user)
    organization = request.organization
    can_import = organization is not None and _can_edit(request, organization.pk)
    form = TrendImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST":
        if not can_import:
            raise PermissionDenied(_("Your role does not allow this."))
        if form.is_valid():
            try:
                dataset = services.trend_import_csv(
                    actor=request.user,
                    organization=organization,
                    name=form.cleaned_data["name"],
                    source=form.cleaned_data["source"],
                    data=form.cleaned_data["file"].read(),
                )
            except services.ImportRejected as exc:
                errors = exc.errors
            else:
                messages.success(
                    request,
                    _("Imported. %(d)s exact duplicate rows were dropped.")
                    % {"d": dataset.duplicates_dropped},
                )
                return redirect(dataset)
    return render(
        request,
        "surveys/trend_list.html",
        {"datasets": datasets, "form": form, "errors": errors, "can_import": can_import},
    )


def trend_detail(request: HttpRequest, dataset_id: int) -> HttpResponse:
    dataset = access_trend_dataset(request.user, dataset_id)
    areas = selectors.trend_areas(dataset=dataset)
    chosen = (
        [a for a in request.GET.getlist("area") if a in areas][:6]
        or [a for a in areas if a in ("City", "District 4", "District 11", "District 19")]
        or areas[:3]
    )
    charts = []
    table_series = {}
    for measure in ("trust", "safety"):
        series = selectors.trend_series(dataset=dataset, areas=chosen, measure=measure)
        table_series[measure] = series
        title = _("%(m)s score by month (0–100)") % {"m": _(selectors.TREND_MEASURES[measure])}
        charts.append(
            {"title": title, "svg": line_chart(series, title=title, y_min=0, y_max=100, width=900)}
        )
    months = sorted({m for s in table_series["trust"].values() for m, _v in s})
    table = []
    for month in months[-12:]:
        row = {"month": month, "cells": []}
        for area in chosen:
            trust = dict(table_series["trust"].get(area, [])).get(month)
            safety = dict(table_series["safety"].get(area, [])).get(month)
            row["cells"].append((trust, safety))
        table.append(row)
    return render(
        request,
        "surveys/trend_detail.html",
        {"dataset": dataset, "areas": areas, "chosen": chosen, "charts": charts,
         "table": table},
    )  # fmt: skip


# ----------------------------------------------------------------------------- public
def _neighborhoods(wave: Wave) -> list[str]:
    return list(wave.survey.margins.filter(variable="neighborhood").values_list("level", flat=True))


def _response_form(request: HttpRequest, wave: Wave, *, cached: bool = False) -> ResponseForm:
    if cached:
        questions, neighborhoods = services.public_form_parts(wave)
    else:
        questions = services.survey_questions(wave.survey, wave_kind=wave.kind)
        neighborhoods = _neighborhoods(wave)
    return ResponseForm(
        request.POST or None,
        questions=questions,
        retrospective=wave.survey.retrospective and wave.kind == Wave.Kind.POST,
        neighborhoods=neighborhoods,
    )


ANSWER_INVALID = _lazy("One of the answers is not valid. Please check and try again.")


def _submit(
    request: HttpRequest, wave: Wave, form: ResponseForm | ResponseCheck, *, source: str
) -> bool | None:
    """Save the form through the service; None (with a form error) if an answer is invalid."""
    try:
        _response, created = services.response_submit(
            wave=wave,
            submission_key=form.cleaned_data["submission_key"],
            answers=form.answers(),
            retrospective_answers=form.retrospective_answers(),
            linking_code=form.linking_code(),
            demographics=form.demographics(),
            language=translation.get_language() or "en",
            source=source,
            actor=request.user if request.user.is_authenticated else None,
            questions=form.questions,
        )
    except services.AnswerInvalid:
        form.add_error(None, ANSWER_INVALID)
        return None
    return created


PUBLIC_POSTS_PER_WINDOW = 100  # per client address and 10 minutes


@lru_cache(maxsize=1024)
def _thanks_path(script_prefix: str, token: str) -> str:
    """The thanks page of a wave (reversed once per process, script prefix and token)."""
    return reverse("surveys:public_thanks", args=[token])


@login_not_required
def public_survey(request: HttpRequest, wave_token: str) -> HttpResponse:
    posted = request.method == "POST"
    # A post needs only a few columns of the wave and its survey; pages load them whole.
    wave = selectors.public_wave_for_answer(wave_token) if posted else public_wave(wave_token)
    language = request.GET.get("lang") or request.POST.get("lang")
    if language in ("en", "es"):
        translation.activate(language)
        request.LANGUAGE_CODE = language
    if not wave.is_open:
        return render(request, "surveys/public_closed.html", {"wave": wave}, status=410)
    # A public form: answers per client address are limited (a whole room on one Wi-Fi fits).
    if posted and rate_limited(
        request, scope="surveys.response", limit=PUBLIC_POSTS_PER_WINDOW, window=600
    ):
        return render(request, "surveys/public_limited.html", {"wave": wave}, status=429)
    answer_error = False
    if posted:
        questions, neighborhoods = services.public_form_parts(wave)
        check = ResponseCheck(
            request.POST,
            questions=questions,
            retrospective=wave.survey.retrospective and wave.kind == Wave.Kind.POST,
            neighborhoods=neighborhoods,
        )
        if check.is_valid():
            if _submit(request, wave, check, source=Response.Source.WEB) is not None:
                url = _thanks_path(get_script_prefix(), wave.token)
                # A plain redirect: `redirect()` would first try the URL as a view name.
                return HttpResponseRedirect(f"{url}?lang={translation.get_language()}")
            answer_error = True
        wave = public_wave(wave_token)  # the page shows the survey and its organization
    form = _response_form(request, wave, cached=True)
    if answer_error and form.is_valid():
        form.add_error(None, ANSWER_INVALID)
    return render(
        request,
        "surveys/public_survey.html",
        {"wave": wave, "survey": wave.survey, "form": form,
         "language": translation.get_language()},
    )  # fmt: skip


@login_not_required
def public_thanks(request: HttpRequest, wave_token: str) -> HttpResponse:
    wave = public_wave(wave_token)
    if request.GET.get("lang") in ("en", "es"):
        translation.activate(request.GET["lang"])
    return render(request, "surveys/public_thanks.html", {"wave": wave})
