"""Pages for community insight: insights, theme editing, factors, recommendations, and the
public accountability page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peacekit.listening import insight, llm
from peacekit.listening import insight_selectors as sel
from peacekit.listening.access import (
    ANALYZE_ROLES,
    access_initiative,
    access_recommendation,
    access_statement,
    access_theme,
    can,
)
from peacekit.listening.forms import (
    AnalyzeForm,
    RecommendationForm,
    RecommendationNoteForm,
    StatementMoveForm,
    ThemeForm,
    ThemeMergeForm,
    ThemeSplitForm,
)
from peacekit.listening.models import Initiative, Statement


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def insights(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = access_initiative(request.user, initiative_id)
    can_analyze = can(request.user, initiative, ANALYZE_ROLES)
    data = sel.insights(initiative)
    return render(
        request,
        "listening/insights.html",
        {
            "initiative": initiative, "data": data, "can_analyze": can_analyze,
            "job": sel.latest_job(initiative), "analyze_form": AnalyzeForm(initial={"seed": 0}),
            "runs": initiative.analysis_runs.all()[:5],
        },
    )  # fmt: skip


@require_POST
def analyze(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = access_initiative(request.user, initiative_id, roles=ANALYZE_ROLES)
    form = AnalyzeForm(request.POST)
    if form.is_valid():
        try:
            insight.analysis_enqueue(
                actor=request.user, initiative=initiative,
                rediscover=form.cleaned_data["rediscover"], seed=form.cleaned_data["seed"],
            )  # fmt: skip
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("The analysis is running; this page shows its progress."))
    else:
        messages.error(request, _("Check the seed (a whole number)."))
    return redirect("listening:insights", initiative.pk)


def theme_detail(request: HttpRequest, theme_id: int) -> HttpResponse:
    theme = access_theme(request.user, theme_id)
    initiative = theme.initiative
    can_analyze = can(request.user, initiative, ANALYZE_ROLES)
    form = ThemeForm(initial={"label": theme.label, "description": theme.description})
    if request.method == "POST":
        if not can_analyze:
            theme = access_theme(request.user, theme_id, roles=ANALYZE_ROLES)
        form = ThemeForm(request.POST)
        if form.is_valid():
            insight.theme_update(actor=request.user, theme=theme, **form.cleaned_data)
            messages.success(
                request, _("Theme saved. Your label is kept when the analysis runs again.")
            )
            return redirect("listening:theme_detail", theme.pk)
    statements = Paginator(
        Statement.objects.filter(theme_link__theme=theme, status=Statement.Status.PUBLISHED)
        .select_related("theme_link", "sentiment", "micro_community")
        .order_by("-theme_link__confidence", "pk"),
        30,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "listening/theme_detail.html",
        {
            "theme": theme, "initiative": initiative, "form": form, "can_analyze": can_analyze,
            "merge_form": ThemeMergeForm(theme=theme), "split_form": ThemeSplitForm(),
            "other_themes": initiative.themes.exclude(pk=theme.pk), "statements": statements,
            "llm_enabled": llm.enabled(),
        },
    )  # fmt: skip


@require_POST
def theme_merge(request: HttpRequest, theme_id: int) -> HttpResponse:
    theme = access_theme(request.user, theme_id, roles=ANALYZE_ROLES)
    form = ThemeMergeForm(request.POST, theme=theme)
    if form.is_valid():
        try:
            insight.theme_merge(
                actor=request.user, target=theme, others=list(form.cleaned_data["others"])
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Themes merged."))
    else:
        messages.error(request, _("Choose at least one other theme to merge."))
    return redirect("listening:theme_detail", theme.pk)


@require_POST
def theme_split(request: HttpRequest, theme_id: int) -> HttpResponse:
    theme = access_theme(request.user, theme_id, roles=ANALYZE_ROLES)
    form = ThemeSplitForm(request.POST)
    if form.is_valid():
        try:
            insight.theme_split(actor=request.user, theme=theme, parts=form.cleaned_data["parts"])
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Theme split. Rename the new parts."))
    return redirect("listening:insights", theme.initiative_id)


@require_POST
def theme_suggest(request: HttpRequest, theme_id: int) -> HttpResponse:
    theme = access_theme(request.user, theme_id, roles=ANALYZE_ROLES)
    try:
        insight.theme_suggest_label(actor=request.user, theme=theme)
    except ValidationError as error:
        _errors(request, error)
    return redirect("listening:theme_detail", theme.pk)


@require_POST
def statement_move(request: HttpRequest, statement_id: int) -> HttpResponse:
    statement = access_statement(request.user, statement_id, roles=ANALYZE_ROLES)
    form = StatementMoveForm(request.POST, initiative=statement.initiative)
    back = reverse("listening:insights", args=[statement.initiative_id])
    if form.is_valid():
        try:
            insight.statement_move(
                actor=request.user, statement=statement, theme=form.cleaned_data["theme"]
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(
                request, _("Statement moved. It stays there when the analysis runs again.")
            )
            back = reverse("listening:theme_detail", args=[form.cleaned_data["theme"].pk])
    else:
        messages.error(request, _("Choose a theme."))
    return redirect(back)


def factors(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = access_initiative(request.user, initiative_id)
    return render(
        request, "listening/factors.html",
        {"initiative": initiative, "domains": sel.factors_view(initiative)},
    )  # fmt: skip


def recommendations(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = access_initiative(request.user, initiative_id)
    can_analyze = can(request.user, initiative, ANALYZE_ROLES)
    form = RecommendationForm(initiative=initiative)
    if request.method == "POST":
        initiative = access_initiative(request.user, initiative_id, roles=ANALYZE_ROLES)
        form = RecommendationForm(request.POST, initiative=initiative)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                rec = insight.recommendation_save(
                    actor=request.user, initiative=initiative, themes=list(data.pop("themes")),
                    evidence=data.pop("evidence_ids") or [], factor_ids=data.pop("factor_ids"),
                    **data,
                )  # fmt: skip
            except ValidationError as error:
                _errors(request, error)
            else:
                messages.success(request, _("Recommendation saved."))
                return redirect("listening:recommendation_detail", rec.pk)
    return render(
        request,
        "listening/recommendations.html",
        {
            "initiative": initiative, "form": form, "can_analyze": can_analyze,
            "items": sel.recommendations(initiative),
            "progress": sel.recommendation_progress(initiative),
            "public_url": request.build_absolute_uri(
                reverse("listening:public_accountability", args=[initiative.public_token])
            ),
        },
    )  # fmt: skip


def recommendation_detail(request: HttpRequest, recommendation_id: int) -> HttpResponse:
    rec = access_recommendation(request.user, recommendation_id)
    initiative = rec.initiative
    can_analyze = can(request.user, initiative, ANALYZE_ROLES)
    form = RecommendationForm(instance=rec, initiative=initiative)
    note_form = RecommendationNoteForm(initial={"status": rec.status})
    if request.method == "POST":
        rec = access_recommendation(request.user, recommendation_id, roles=ANALYZE_ROLES)
        if request.POST.get("action") == "note":
            note_form = RecommendationNoteForm(request.POST)
            if note_form.is_valid():
                insight.recommendation_note_add(actor=request.user, recommendation=rec,
                                                **note_form.cleaned_data)  # fmt: skip
                messages.success(request, _("Progress note added."))
                return redirect("listening:recommendation_detail", rec.pk)
        else:
            form = RecommendationForm(request.POST, instance=rec, initiative=initiative)
            if form.is_valid():
                data = dict(form.cleaned_data)
                try:
                    insight.recommendation_save(
                        actor=request.user, initiative=initiative, recommendation=rec,
                        themes=list(data.pop("themes")), evidence=data.pop("evidence_ids") or [],
                        factor_ids=data.pop("factor_ids"), **data,
                    )  # fmt: skip
                except ValidationError as error:
                    _errors(request, error)
                else:
                    messages.success(request, _("Recommendation saved."))
                    return redirect("listening:recommendation_detail", rec.pk)
    return render(
        request,
        "listening/recommendation_detail.html",
        {
            "rec": rec, "initiative": initiative, "form": form, "note_form": note_form,
            "can_analyze": can_analyze, "notes": rec.notes.select_related("created_by"),
            "evidence": rec.evidence.filter(status=Statement.Status.PUBLISHED),
        },
    )  # fmt: skip


@login_not_required
def public_accountability(request: HttpRequest, initiative_token: str) -> HttpResponse:
    """What the initiative heard and what is being done about it: public, English or Spanish."""
    from peacekit.listening.views import _public_language

    initiative = (
        Initiative.objects.select_related("organization")
        .filter(public_token=initiative_token)
        .first()
    )
    if initiative is None:
        raise Http404("Not found.")
    lang = _public_language(request, initiative)
    items = list(sel.recommendations(initiative, public_only=True))
    return render(
        request,
        "listening/public_accountability.html",
        {
            "initiative": initiative, "lang": lang, "other_lang": "en" if lang == "es" else "es",
            "items": items, "progress": sel.recommendation_progress(initiative, public_only=True),
            "themes": initiative.themes.order_by("position")[:8],
        },
    )  # fmt: skip
