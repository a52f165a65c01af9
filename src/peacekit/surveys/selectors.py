"""Survey reads: lists, the pre/post evaluation (via analysis.stats), quotas, trends, exports.

All statistics come from `peacekit.analysis.stats`; every breakdown by group passes the site's
suppression policy. Figures resting on fewer people than the minimum cell size are hidden.
"""

from __future__ import annotations

import math
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from django.db import connections
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from peacekit.analysis import stats
from peacekit.core.access import scope_queryset
from peacekit.core.models import Organization, User
from peacekit.reports.suppression import site_policy, suppress_breakdown
from peacekit.surveys.models import (
    DEMOGRAPHIC_VARIABLES,
    Answer,
    Instrument,
    Question,
    Response,
    Survey,
    TrendDataset,
    TrendPoint,
    Wave,
)
from peacekit.surveys.services import survey_questions
from peacekit.surveys.templatetags.surveys_tags import format_p


def survey_list(*, user: User, organization: Organization | None = None) -> QuerySet[Survey]:
    """Surveys the user may see (the active organization's, or all for program staff)."""
    qs = scope_queryset(Survey.objects.select_related("organization"), user)
    if organization is not None and not user.is_program_staff:
        qs = qs.filter(organization=organization)
    return qs.annotate(n_responses=Count("waves__responses")).order_by("-created_at")


# The columns a public answer needs: the wave, and of its survey what the form and the write use.
_ANSWER_WAVE_FIELDS = {"id", "kind", "token", "is_open", "survey_id"}
_ANSWER_SURVEY_FIELDS = {"id", "organization_id", "updated_at", "retrospective"}


def _in_model_order(model, names: set[str]) -> tuple[str, ...]:
    return tuple(f.attname for f in model._meta.concrete_fields if f.attname in names)


@lru_cache(maxsize=16)
def _public_wave_plan(connection):
    """The compiled look-up of a wave by token and its result converters, per connection.

    Compiled once (the ORM's SQL compiler was a large share of a public answer's cost); the
    rows go through the same converters the ORM applies, so the values have their model types.
    """
    wave_fields = _in_model_order(Wave, _ANSWER_WAVE_FIELDS)
    survey_fields = _in_model_order(Survey, _ANSWER_SURVEY_FIELDS)
    columns = [*wave_fields, *(f"survey__{name}" for name in survey_fields)]
    qs = Wave.objects.using(connection.alias).filter(token="-").values_list(*columns)  # noqa: S106
    compiler = qs.query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    if list(params) != ["-"]:  # the token must be the only parameter
        raise RuntimeError("unexpected parameters in the public wave look-up")
    converters = compiler.get_converters([col for col, _sql, _alias in compiler.select])
    return compiler, sql, converters, wave_fields, survey_fields


def public_wave_for_answer(token: str) -> Wave:
    """The wave behind a public link, for storing an answer: one compiled query, no join to
    the organization. Its survey holds only `organization_id`, `updated_at` and
    `retrospective` (other fields load on first use). 404 for unknown or malformed tokens."""
    token = str(token)
    if not token or len(token) > 32 or not all(c.isalnum() or c in "-_" for c in token):
        raise Http404("Not found.")
    connection = connections[Wave.objects.db]
    compiler, sql, converters, wave_fields, survey_fields = _public_wave_plan(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [token])
        row = cursor.fetchone()
    if row is None:
        raise Http404("Not found.")
    if converters:
        row = next(compiler.apply_converters([row], converters))
    n = len(wave_fields)
    wave = Wave.from_db(connection.alias, wave_fields, row[:n])
    survey = Survey.from_db(connection.alias, survey_fields, row[n:])
    Wave.survey.field.set_cached_value(wave, survey)
    return wave


def instrument_list(*, organization: Organization | None) -> QuerySet[Instrument]:
    """The shared library and the organization's own instruments, with their questions."""
    qs = Instrument.objects.filter(Q(organization=None) | Q(organization=organization))
    return qs.prefetch_related(
        Prefetch("questions", queryset=Question.objects.order_by("position"))
    )


def wave_counts(*, survey: Survey) -> list[dict]:
    """Each wave with its response count."""
    return [
        {"wave": w, "n": w.n} for w in survey.waves.annotate(n=Count("responses")).order_by("pk")
    ]


def trend_dataset_list(*, user: User) -> QuerySet[TrendDataset]:
    """Trend datasets of the user's organizations."""
    return scope_queryset(TrendDataset.objects.select_related("organization"), user).annotate(
        n_points=Count("points")
    )


# ----------------------------------------------------------------------------- evaluation
@dataclass
class Measure:
    """One scale or item as answered in each wave."""

    key: str
    label: str
    low: float
    high: float
    questions: list[Question]
    top_box: float


@dataclass
class EvaluationRow:
    """One line of the standard pre/post table (None where a figure is hidden or undefined)."""

    label: str
    n_items: int
    scale: str
    comparison: stats.WaveComparison | None
    alpha_pre: stats.Reliability | None = None
    alpha_post: stats.Reliability | None = None
    p_holm: float | None = None
    mcnemar: stats.McNemarResult | None = None
    hidden: bool = False
    retrospective: stats.PairedComparison | None = None

    @property
    def post_only(self) -> bool:
        """Asked after the session only (e.g. feedback): no before/after comparison."""
        c = self.comparison
        return c is not None and c.n_pre == 0 and c.n_post > 0

    @property
    def p(self) -> float | None:
        c = self.comparison
        if c is None:
            return None
        if c.overlap is not None and c.n_matched and c.test.startswith("partially"):
            return c.overlap.p
        return c.paired.p_t if c.paired else None


@dataclass
class Evaluation:
    """The pre/post evaluation of a survey: table rows, findings and breakdowns."""

    rows: list[EvaluationRow]
    findings: list[str]
    n_pre: int
    n_post: int
    threshold: int
    by_neighborhood: list[dict] = field(default_factory=list)
    breakdown_note: str = ""
    breakdown_label: str = ""

    @property
    def has_retrospective(self) -> bool:
        return any(r.retrospective is not None for r in self.rows)


def _measures(questions: list[Question]) -> list[Measure]:
    """Scales (items sharing a scale key) and single numeric items without a scale."""
    groups: dict[str, list[Question]] = defaultdict(list)
    for q in questions:
        if q.is_numeric:
            groups[q.scale or q.code].append(q)
    measures = []
    for key, qs in groups.items():
        low, high = qs[0].scale_range
        label = qs[0].instrument.display_name if len(qs) > 1 else qs[0].display_text
        if len(qs) > 1:
            label = SCALE_LABELS.get(key, key.replace("_", " ").capitalize())
        top = 8.0 if high == 10 else 4.0
        measures.append(Measure(key, str(label), low, high, qs, top))
    return measures


SCALE_LABELS = {
    "trust": "Trust in police (listen, respect), 0–10",
    "procedural_justice": "Procedural justice, 1–5",
    "legitimacy": "Legitimacy, 1–5",
    "reaction": "Reaction to the session, 1–5",
}


def _answer_matrix(
    wave: Wave | None, questions: list[Question], *, retrospective: bool = False
) -> tuple[list[str], np.ndarray, list[Response]]:
    """(linking hashes, responses × questions matrix with NaN gaps, responses) for a wave."""
    if wave is None:
        return [], np.empty((0, len(questions))), []
    responses = list(wave.responses.only("pk", "linking_hash", "neighborhood").order_by("pk"))
    index = {r.pk: i for i, r in enumerate(responses)}
    column = {q.pk: j for j, q in enumerate(questions)}
    matrix = np.full((len(responses), len(questions)), np.nan)
    answers = Answer.objects.filter(
        response__wave=wave,
        question_id__in=list(column),
        retrospective=retrospective,
        value_number__isnull=False,
    ).values_list("response_id", "question_id", "value_number")
    for response_id, question_id, value in answers:
        matrix[index[response_id], column[question_id]] = value
    ids = [r.linking_hash or f"unlinked-{r.pk}" for r in responses]
    return ids, matrix, responses


def _alpha(items: np.ndarray) -> stats.Reliability | None:
    if items.shape[1] < 2:
        return None
    complete = ~np.isnan(items).any(axis=1)
    if complete.sum() < 3:
        return None
    return stats.reliability(items)


def survey_evaluation(*, survey: Survey, compare_to: str = Wave.Kind.POST) -> Evaluation:
    """The standard pre/post table for every scale and numeric item, with findings.

    ``compare_to="follow_up"`` compares the pre wave with the follow-up wave instead.
    """
    questions = [q for q in survey_questions(survey) if q.is_numeric]
    waves = {w.kind: w for w in survey.waves.all()}
    pre_ids, pre_m, _ = _answer_matrix(waves.get(Wave.Kind.PRE), questions)
    post_ids, post_m, post_responses = _answer_matrix(waves.get(compare_to), questions)
    retro_ids, retro_m, _ = (
        _answer_matrix(waves.get(Wave.Kind.POST), questions, retrospective=True)
        if survey.retrospective and compare_to == Wave.Kind.POST
        else ([], np.empty((0, len(questions))), [])
    )
    threshold = site_policy().threshold
    column = {q.pk: j for j, q in enumerate(questions)}
    rows: list[EvaluationRow] = []
    for measure in _measures(questions):
        cols = [column[q.pk] for q in measure.questions]
        pre_scores = stats.scale_scores(pre_m[:, cols]) if len(pre_ids) else np.empty(0)
        post_scores = stats.scale_scores(post_m[:, cols]) if len(post_ids) else np.empty(0)
        with warnings.catch_warnings():
            # Post-only measures (feedback) have an empty first sample: means of nothing.
            warnings.simplefilter("ignore", RuntimeWarning)
            comparison = stats.compare_waves(pre_ids, pre_scores, post_ids, post_scores)
        row = EvaluationRow(
            label=measure.label,
            n_items=len(cols),
            scale=f"{measure.low:g}–{measure.high:g}",
            comparison=comparison,
            alpha_pre=_alpha(pre_m[:, cols]) if len(pre_ids) else None,
            alpha_post=_alpha(post_m[:, cols]) if len(post_ids) else None,
        )
        if comparison.paired is not None:
            pre_map = dict(zip(pre_ids, pre_scores, strict=True))
            post_map = dict(zip(post_ids, post_scores, strict=True))
            both = [k for k in pre_map if k in post_map]
            row.mcnemar = stats.mcnemar_top_box(
                [pre_map[k] for k in both], [post_map[k] for k in both], top_box=measure.top_box
            )
        if len(retro_ids):
            retro_scores = stats.scale_scores(retro_m[:, cols])
            row.retrospective = stats.paired_comparison(retro_scores, post_scores)
        # Figures on fewer people than the minimum cell size are not shown.
        counts = [n for n in (comparison.n_pre, comparison.n_post) if n]
        row.hidden = not counts or min(counts) < threshold
        rows.append(row)
    adjusted = stats.holm(
        [r.p if r.p is not None and not (r.hidden or r.post_only) else math.nan for r in rows]
    )
    for row, p in zip(rows, adjusted, strict=True):
        row.p_holm = None if math.isnan(p) else float(p)
    evaluation = Evaluation(
        rows=rows,
        findings=_findings(rows, threshold),
        n_pre=len(pre_ids),
        n_post=len(post_ids),
        threshold=threshold,
    )
    _add_breakdown(evaluation, rows, questions, column, post_m, post_responses)
    return evaluation


def _add_breakdown(evaluation, rows, questions, column, post_m, post_responses) -> None:
    """Post-wave score of the first scale by neighborhood (suppressed through the policy)."""
    if not rows or not post_responses:
        return
    measure = _measures(questions)[0]
    scores = stats.scale_scores(post_m[:, [column[q.pk] for q in measure.questions]])
    names = sorted({r.neighborhood for r in post_responses if r.neighborhood})
    if not names:
        return
    code = {name: i for i, name in enumerate(names)}
    groups = np.array([code.get(r.neighborhood, -1) for r in post_responses])
    summary = stats.group_summary(scores, groups, labels=names, policy=site_policy())
    evaluation.by_neighborhood = summary.rows()
    evaluation.breakdown_note = summary.note
    evaluation.breakdown_label = measure.label


def _fmt(x: float, digits: int = 1) -> str:
    return f"{x:.{digits}f}"


def _findings(rows: list[EvaluationRow], threshold: int) -> list[str]:
    """Plain-language sentences, one per measure, each naming its n."""
    out = []
    for row in rows:
        c = row.comparison
        if row.hidden or c is None:
            out.append(
                _("%(m)s: too few answers to report (fewer than %(t)s in a wave).")
                % {"m": row.label, "t": threshold}
            )
            continue
        if row.post_only:
            out.append(
                _("%(m)s (asked after the session only): mean %(mean)s (SD %(sd)s), n = %(n)s.")
                % {"m": row.label, "mean": _fmt(c.mean_post, 2), "sd": _fmt(c.sd_post, 2),
                   "n": c.n_post}
            )  # fmt: skip
            continue
        if c.paired is None:
            out.append(
                _("%(m)s: no one answered both waves with the same linking code yet.")
                % {"m": row.label}
            )
            continue
        pc = c.paired
        direction = _("rose") if pc.mean_change > 0 else _("fell")
        significant = row.p_holm is not None and row.p_holm < 0.05
        size = abs(pc.cohens_dz.estimate)
        magnitude = (
            _("a large") if size >= 0.8 else _("a medium") if size >= 0.5
            else _("a small") if size >= 0.2 else _("a negligible")
        )  # fmt: skip
        sentence = _(
            "%(m)s %(dir)s from %(pre)s to %(post)s on average among the %(n)s people who "
            "answered both waves (change %(chg)s, 95%% CI %(lo)s to %(hi)s): %(mag)s effect"
        ) % {
            "m": row.label,
            "dir": direction,
            "pre": _fmt(pc.mean_pre),
            "post": _fmt(pc.mean_post),
            "n": pc.n,
            "chg": _fmt(pc.mean_change, 2),
            "lo": _fmt(pc.change_ci_low, 2),
            "hi": _fmt(pc.change_ci_high, 2),
            "mag": magnitude,
        }
        sentence += (
            _(", unlikely to be chance (%(p)s after Holm correction).")
            if significant
            else _(", which could be chance (%(p)s after Holm correction).")
        ) % {"p": format_p(row.p_holm)}
        if c.attrition.rate and c.attrition.rate > 0.3:
            sentence += " " + _(
                "%(pct)s of people who answered before did not answer after, so those who "
                "stayed may differ from those who left."
            ) % {"pct": f"{c.attrition.rate:.0%}"}
        out.append(sentence)
    return out


# ----------------------------------------------------------------------------- quotas
def quota_status(*, survey: Survey) -> list[dict]:
    """Per variable: each target level with its share, quota and count so far (suppressed)."""
    margins = list(survey.margins.all())
    if not margins:
        return []
    counts = {
        v: dict(
            Response.objects.filter(wave__survey=survey)
            .exclude(**{v: ""})
            .values_list(v)
            .annotate(n=Count("pk"))
            .values_list(v, "n")
        )
        for v in DEMOGRAPHIC_VARIABLES
    }
    out = []
    for variable in DEMOGRAPHIC_VARIABLES:
        levels = [m for m in margins if m.variable == variable]
        if not levels:
            continue
        table = suppress_breakdown({m.level: counts[variable].get(m.level, 0) for m in levels})
        cells = table.series()
        total = sum(counts[variable].get(m.level, 0) for m in levels)
        rows = []
        for m in levels:
            cell = cells[m.level]
            target = m.quota if m.quota is not None else round(m.share * total)
            share = (cell.count / total) if (not cell.suppressed and total) else None
            rows.append(
                {
                    "level": m.level,
                    "target_share": m.share,
                    "quota": m.quota,
                    "count": cell.display,
                    "share": share,
                    "gap": None if share is None else share - m.share,
                    "met": None if cell.suppressed else cell.count >= target,
                }
            )
        out.append(
            {
                "variable": variable,
                "label": dict(survey.margins.model._meta.get_field("variable").choices).get(
                    variable, variable
                ),
                "rows": rows,
                "total": table.grand_total.display if table.grand_total else "—",
                "note": table.note if table.n_suppressed else "",
            }
        )
    return out


def survey_weights(*, survey: Survey, wave: Wave) -> dict | None:
    """Rake a wave's respondents to the survey's margins; None without margins or data."""
    margins: dict[str, dict[str, float]] = defaultdict(dict)
    for m in survey.margins.all():
        margins[m.variable][m.level] = m.share
    if not margins:
        return None
    responses = list(wave.responses.values(*margins.keys()))
    usable = [r for r in responses if all(r[v] in margins[v] for v in margins)]
    if len(usable) < site_policy().threshold:
        return None
    data = {v: [r[v] for r in usable] for v in margins}
    try:
        raker = stats.Raker(margins).fit(data)
    except ValueError as exc:
        return {"error": str(exc), "n": len(usable)}
    return {
        "n": len(usable),
        "effective_n": raker.effective_n_,
        "design_effect": raker.design_effect_,
        "converged": raker.converged_,
    }


# ----------------------------------------------------------------------------- trends
TREND_MEASURES = {
    "trust": "Trust",
    "safety": "Safety",
    "trust_listen": "Police listen",
    "trust_respect": "Police show respect",
}


def trend_areas(*, dataset: TrendDataset) -> list[str]:
    """Areas of a dataset, the city first, districts in number order."""
    areas = set(dataset.points.values_list("area", flat=True).distinct())

    def order(area: str) -> tuple[int, int]:
        if area == "City":
            return (0, 0)
        digits = "".join(ch for ch in area if ch.isdigit())
        return (1, int(digits) if digits else 0)

    return sorted(areas, key=order)


def trend_series(
    *, dataset: TrendDataset, areas: list[str], measure: str = "trust"
) -> dict[str, list[tuple[str, float | None]]]:
    """Monthly points (periods of 28–31 days) per area: {area: [(YYYY-MM, value)]}."""
    if measure not in TREND_MEASURES:
        raise ValueError("unknown measure")
    points = TrendPoint.objects.filter(dataset=dataset, area__in=areas).values_list(
        "area", "period_start", "period_end", measure
    )
    series: dict[str, dict[str, float | None]] = {a: {} for a in areas}
    for area, start, end, value in points:
        if 27 <= (end - start).days <= 31 and start.day == 1:
            series[area][start.strftime("%Y-%m")] = value
    return {a: sorted(values.items()) for a, values in series.items() if values}


def response_export_rows(*, survey: Survey) -> tuple[list[str], list[list]]:
    """Header and rows for exporting responses: codes as columns, no linking hash or text.

    Open answers are exported in their anonymized form; the linking code never leaves.
    """
    questions = survey_questions(survey)
    retro = [q for q in questions if q.is_numeric] if survey.retrospective else []
    header = ["wave", "submission_key", "source", "language", *DEMOGRAPHIC_VARIABLES]
    header += [q.code for q in questions] + [f"{q.code}_before" for q in retro]
    responses = (
        Response.objects.filter(wave__survey=survey)
        .select_related("wave")
        .prefetch_related("answers")
        .order_by("wave_id", "pk")
    )
    rows = []
    for r in responses:
        by_q = {(a.question_id, a.retrospective): a for a in r.answers.all()}

        def value(q: Question, retrospective: bool = False, by_q=by_q):
            a = by_q.get((q.pk, retrospective))
            if a is None:
                return ""
            if q.format == Question.Format.MULTIPLE or q.format == Question.Format.SINGLE:
                return "|".join(a.value_choices)
            if q.format == Question.Format.OPEN:
                return a.text_redacted
            return int(a.value_number) if a.value_number is not None else ""

        rows.append(
            [r.wave.kind, r.submission_key, r.source, r.language]
            + [getattr(r, v) for v in DEMOGRAPHIC_VARIABLES]
            + [value(q) for q in questions]
            + [value(q, True) for q in retro]
        )
    return header, rows
