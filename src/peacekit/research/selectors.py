"""Research reads: corpora, classifications, findings and the program-effectiveness figures."""

from __future__ import annotations

import html
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.apps import apps
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from peacekit.core.access import scope_queryset
from peacekit.core.models import User
from peacekit.reports.suppression import suppress_breakdown
from peacekit.research.models import (
    Jurisdiction,
    JurisdictionClassification,
    StatuteCorpus,
    StatuteSection,
    TermClass,
)

logger = logging.getLogger(__name__)

REVIEWED = (
    JurisdictionClassification.Status.CONFIRMED,
    JurisdictionClassification.Status.CORRECTED,
)


def corpus_list(*, user: User) -> QuerySet[StatuteCorpus]:
    """Corpora of the user's organizations, with section and review counts."""
    return (
        scope_queryset(StatuteCorpus.objects.select_related("organization"), user)
        .annotate(
            n_sections=Count("sections", distinct=True),
            n_classified=Count("classifications", distinct=True),
            n_reviewed=Count(
                "classifications", filter=Q(classifications__status__in=REVIEWED), distinct=True
            ),
        )
        .order_by("-created_at", "-pk")
    )


def classification_list(*, corpus: StatuteCorpus) -> QuerySet[JurisdictionClassification]:
    """Every classification in a corpus, awaiting review first, then by jurisdiction."""
    return corpus.classifications.select_related("jurisdiction", "reviewed_by").order_by(
        "-status", "jurisdiction__name"
    )


def highlight(snippet: str, term_start: int | None = None, term_end: int | None = None) -> str:
    """The snippet as HTML with every "peace officer" wrapped in <mark> (text escaped)."""
    from peacekit.analysis.terminology import find_terms

    out, last = [], 0
    for match in find_terms(snippet):
        out.append(html.escape(snippet[last : match.start]))
        tag = "mark" if match.term == "peace officer" else "strong"
        out.append(f"<{tag}>{html.escape(snippet[match.start : match.end])}</{tag}>")
        last = match.end
    out.append(html.escape(snippet[last:]))
    return "".join(out)


@dataclass
class Findings:
    """The reviewed classification of every jurisdiction and the shares per class."""

    rows: list[dict]
    shares: list[dict]
    reviewed: int
    pending: int
    uses_for_police: dict
    some_capacity: dict
    by_code: dict[str, str] = field(default_factory=dict)


def _share(count: int, total: int) -> dict:
    return {
        "count": count,
        "total": total,
        "percent": round(100 * count / total) if total else None,
    }


def findings(*, corpus: StatuteCorpus) -> Findings:
    """Table and shares from reviewer-confirmed (or corrected) classifications only."""
    classifications = {
        c.jurisdiction_id: c
        for c in corpus.classifications.select_related("reviewed_by").only(
            "jurisdiction_id", "status", "final_class", "proposed_class", "confidence",
            "reviewed_at", "reviewed_by__email", "term_counts",
        )
    }  # fmt: skip
    section_counts = dict(
        StatuteSection.objects.filter(corpus=corpus)
        .values("jurisdiction_id")
        .annotate(n=Count("pk"))
        .values_list("jurisdiction_id", "n")
    )
    rows, counter, by_code = [], Counter(), {}
    pending = 0
    for jurisdiction in Jurisdiction.objects.all():
        c = classifications.get(jurisdiction.pk)
        reviewed = c is not None and c.status in REVIEWED
        if c is not None and not reviewed:
            pending += 1
        final = c.final_class if reviewed else ""
        if final:
            counter[final] += 1
            by_code[jurisdiction.code] = final
        rows.append(
            {
                "jurisdiction": jurisdiction,
                "classification": c,
                "final_class": final,
                "final_label": TermClass(final).label if final else "",
                "proposed_label": TermClass(c.proposed_class).label if c else "",
                "sections": section_counts.get(jurisdiction.pk, 0),
                "uses": (c.term_counts or {}).get("peace officer", 0) if c else 0,
            }
        )
    total = sum(counter.values())
    shares = [
        {"class": value, "label": label, **_share(counter[value], total)}
        for value, label in TermClass.choices
    ]
    police = counter[TermClass.DEFINED] + counter[TermClass.GENERAL]
    return Findings(
        rows=rows,
        shares=shares,
        reviewed=total,
        pending=pending,
        uses_for_police=_share(police, total),
        some_capacity=_share(police + counter[TermClass.LIMITED], total),
        by_code=by_code,
    )


def findings_csv_rows(*, corpus: StatuteCorpus) -> tuple[list[str], list[list]]:
    """The findings table as CSV rows: only reviewed classes are given as findings."""
    result = findings(corpus=corpus)
    header = [
        "jurisdiction_code", "jurisdiction", "kind", "reviewed_class", "proposed_class",
        "confidence", "status", "reviewed_at", "sections", "peace_officer_uses",
    ]  # fmt: skip
    out = []
    for row in result.rows:
        c = row["classification"]
        j = row["jurisdiction"]
        out.append(
            [
                j.code, j.name, j.kind, row["final_class"],
                c.proposed_class if c else "", f"{c.confidence:.2f}" if c else "",
                c.status if c else "", c.reviewed_at.isoformat() if c and c.reviewed_at else "",
                row["sections"], row["uses"],
            ]
        )  # fmt: skip
    return header, out


# ----------------------------------------------------------------------------- dashboard
# (label, app label, model, extra filter) counted by created_at month.
ACTIVITY_SOURCES = [
    (_("Listening initiatives"), "listening", "Initiative", {}),
    (_("Listening sessions"), "listening", "ListeningSession", {}),
    (_("Published statements"), "listening", "Statement", {"status": "published"}),
    (_("Survey responses"), "surveys", "Response", {}),
    (_("Training enrollments"), "training", "Enrollment", {}),
    (_("Certificates issued"), "training", "Certificate", {}),
    (_("Promises made"), "pledges", "Promise", {}),
    (_("Coaching agreements"), "coaching", "Agreement", {}),
    (_("Coaching sessions"), "coaching", "CoachingSession", {}),
    (_("360 evaluation cycles"), "evaluations", "Cycle", {}),
]


def _model(app_label: str, model_name: str):
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


def _months(end: date, n: int) -> list[date]:
    first = end.replace(day=1)
    out = []
    for _i in range(n):
        out.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return list(reversed(out))


def activity_over_time(*, months: int = 12) -> list[dict]:
    """Counts per month for each program activity the other apps record; None if unavailable."""
    window = _months(timezone.localdate(), months)
    since = timezone.make_aware(timezone.datetime.combine(window[0], timezone.datetime.min.time()))
    out = []
    for label, app_label, model_name, extra in ACTIVITY_SOURCES:
        model = _model(app_label, model_name)
        entry = {"label": str(label), "available": model is not None, "total": 0, "months": []}
        if model is not None:
            try:
                qs = model.objects.filter(**extra)
                entry["total"] = qs.count()
                per_month = dict(
                    qs.filter(created_at__gte=since)
                    .annotate(month=TruncMonth("created_at"))
                    .values("month")
                    .annotate(n=Count("pk"))
                    .values_list("month", "n")
                )
                per_month = {
                    (m.date() if hasattr(m, "date") else m).replace(day=1): n
                    for m, n in per_month.items()
                }
                entry["months"] = [(m, per_month.get(m, 0)) for m in window]
            except Exception:  # noqa: BLE001 - a sibling app mid-migration must not break this page
                logger.warning("research dashboard: %s.%s unavailable", app_label, model_name)
                entry["available"] = False
        out.append(entry)
    return out


def trust_change() -> list[dict]:
    """Pre/post change on trust measures from each survey's evaluation (hidden rows skipped)."""
    survey_model = _model("surveys", "Survey")
    if survey_model is None:
        return []
    try:
        from peacekit.surveys.selectors import survey_evaluation
    except ImportError:
        return []
    out = []
    for survey in survey_model.objects.select_related("organization").order_by("-created_at")[:20]:
        try:
            evaluation = survey_evaluation(survey=survey)
        except Exception:  # noqa: BLE001 - one survey's bad data must not break the dashboard
            logger.warning("research dashboard: survey %s evaluation failed", survey.pk)
            continue
        for row in evaluation.rows:
            c = row.comparison
            if row.hidden or c is None or row.post_only or "trust" not in row.label.lower():
                continue
            out.append(
                {
                    "survey": survey,
                    "measure": row.label,
                    "scale": row.scale,
                    "n_pre": c.n_pre,
                    "n_post": c.n_post,
                    "mean_pre": c.mean_pre,
                    "mean_post": c.mean_post,
                    "change": c.mean_post - c.mean_pre,
                    "p": row.p_holm,
                }
            )
    return out


def coverage() -> list[dict]:
    """Who took part, by group (through the one suppression function)."""
    out = []
    statement = _model("listening", "Statement")
    if statement is not None:
        try:
            from peacekit.listening.models import SpeakerRole

            labels = dict(SpeakerRole.choices)
            counts = Counter(
                dict(
                    statement.objects.filter(status="published")
                    .exclude(speaker_role="")
                    .values("speaker_role")
                    .annotate(n=Count("pk"))
                    .values_list("speaker_role", "n")
                )
            )
            out.append(_breakdown(_("Listening statements by speaker"), counts, labels))
        except Exception:  # noqa: BLE001
            logger.warning("research dashboard: listening coverage unavailable")
    response = _model("surveys", "Response")
    if response is not None:
        try:
            for field_name, title in (
                ("race_ethnicity", _("Survey responses by race or ethnicity")),
                ("age_group", _("Survey responses by age group")),
            ):
                counts = Counter(
                    dict(
                        response.objects.exclude(**{field_name: ""})
                        .values(field_name)
                        .annotate(n=Count("pk"))
                        .values_list(field_name, "n")
                    )
                )
                out.append(_breakdown(title, counts, {}))
        except Exception:  # noqa: BLE001
            logger.warning("research dashboard: survey coverage unavailable")
    return [b for b in out if b["rows"]]


def _breakdown(title: str, counts: Counter, labels: dict) -> dict:
    table = suppress_breakdown({str(labels.get(k, k)): v for k, v in sorted(counts.items())})
    rows = [{"label": label, "cell": cell} for label, cell in table.series().items()]
    return {"title": str(title), "rows": rows, "total": table.grand_total, "note": table.note}


def certifications() -> dict | None:
    """Agency certifications active now and expiring within 90 days."""
    model = _model("training", "AgencyCertification")
    if model is None:
        return None
    try:
        today = timezone.localdate()
        active = model.objects.filter(expires_on__gte=today)
        if "status" in {f.name for f in model._meta.get_fields()}:
            active = active.filter(status="active")
        expiring = active.filter(expires_on__lte=today + timedelta(days=90))
        return {
            "active": active.values("organization").distinct().count(),
            "expiring": list(expiring.select_related("organization").order_by("expires_on")[:20]),
            "expired": model.objects.filter(expires_on__lt=today).count(),
        }
    except Exception:  # noqa: BLE001
        logger.warning("research dashboard: certifications unavailable")
        return None


def seats_by_category() -> list[dict] | None:
    """Licence seats bought and in use by learner category (for training-assistance requests)."""
    pool = _model("training", "LicencePool")
    seat = _model("training", "Seat")
    if pool is None:
        return None
    try:
        from peacekit.training.models import LearnerCategory

        labels = dict(LearnerCategory.choices)
        sizes = Counter()
        for category, size in pool.objects.values_list("category", "size"):
            sizes[category] += size
        used = Counter()
        if seat is not None and hasattr(seat, "learner"):
            used.update(
                dict(
                    seat.objects.filter(learner__isnull=False, revoked_at__isnull=True)
                    .values("pool__category")
                    .annotate(n=Count("pk"))
                    .values_list("pool__category", "n")
                )
            )
        return [
            {"category": str(labels.get(c, c)), "seats": sizes[c], "used": used.get(c, 0)}
            for c in sorted(sizes)
        ]
    except Exception:  # noqa: BLE001
        logger.warning("research dashboard: licence seats unavailable")
        return None
