"""Survey API: surveys you can see and their evaluation table (read-only)."""

from __future__ import annotations

import math

from ninja import Router, Schema

from peacekit.surveys import selectors
from peacekit.surveys.access import access_survey

router = Router(tags=["surveys"])


class SurveyOut(Schema):
    id: int
    title: str
    organization: str
    target_type: str
    target_label: str
    responses: int
    is_synthetic: bool


class MeasureOut(Schema):
    measure: str
    hidden: bool
    n_pre: int | None = None
    n_post: int | None = None
    n_matched: int | None = None
    mean_change: float | None = None
    change_ci: list[float] | None = None
    p_holm: float | None = None
    cohens_dz: float | None = None


def _num(x: float | None) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


@router.get("/", response=list[SurveyOut], summary="Surveys you can see")
def survey_list(request):
    surveys = selectors.survey_list(
        user=request.user, organization=getattr(request, "organization", None)
    )[:500]
    return [
        SurveyOut(
            id=s.pk,
            title=s.title,
            organization=s.organization.name,
            target_type=s.target_type,
            target_label=s.target_label,
            responses=s.n_responses,
            is_synthetic=s.is_synthetic,
        )  # fmt: skip
        for s in surveys
    ]


@router.get("/{survey_id}/evaluation", response=list[MeasureOut], summary="Pre/post table")
def survey_evaluation(request, survey_id: int):
    survey = access_survey(request.user, survey_id)
    out = []
    for row in selectors.survey_evaluation(survey=survey).rows:
        if row.hidden or row.comparison is None:
            out.append(MeasureOut(measure=row.label, hidden=True))
            continue
        c, pc = row.comparison, row.comparison.paired
        out.append(
            MeasureOut(
                measure=row.label,
                hidden=False,
                n_pre=c.n_pre,
                n_post=c.n_post,
                n_matched=c.n_matched,
                mean_change=_num(pc.mean_change) if pc else None,
                change_ci=[pc.change_ci_low, pc.change_ci_high] if pc else None,
                p_holm=_num(row.p_holm),
                cohens_dz=_num(pc.cohens_dz.estimate) if pc else None,
            )  # fmt: skip
        )
    return out
