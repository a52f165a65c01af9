"""Community insight: the analysis run (themes, stance, opinion groups, factors) and the
analyst's edits (themes, recommendations).

The only bridge between the ORM and `peacekit.analysis`. Everything works on published,
redacted text; raw text is never read here. Audit metadata holds ids and counts only.

Themes belong to the initiative, not to a run, so an analyst's renames, merges, splits and
moves survive the next run: a normal run assigns only statements that have no theme yet to the
existing themes (nearest centroid); re-discovery (`rediscover=True`) is an explicit action that
replaces the themes. Opinion groups and statement statistics are stored per run (versioned).
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from peacekit.analysis import factors as factor_lib
from peacekit.analysis import opinions, sentiment, themes
from peacekit.analysis.embeddings import Embedder
from peacekit.core.models import JobRun, User
from peacekit.core.services import JobError, audit_record, jobrun_checkpoint, jobrun_enqueue
from peacekit.listening.models import (
    AnalysisRun,
    Initiative,
    OpinionGroup,
    Recommendation,
    RecommendationNote,
    SpeakerRole,
    Statement,
    StatementFinding,
    StatementGroupStat,
    StatementSentiment,
    StatementTheme,
    Theme,
    Vote,
)

#: Bumped when the analysis pipeline changes in a way that changes results.
ANALYSIS_VERSION = "insight-1"
#: Voters counted as "residents" when finding what residents and officers both agree on.
RESIDENT_ROLES = frozenset(
    {SpeakerRole.RESIDENT, SpeakerRole.YOUTH, SpeakerRole.BUSINESS, SpeakerRole.FAITH,
     SpeakerRole.ADVOCATE}
)  # fmt: skip
OFFICER_ROLES = frozenset({SpeakerRole.OFFICER})
_MAGIC = {"minilm": b"m", "tfidf-svd": b"t"}


def embedder_backend() -> str:
    """The configured embedder: PEACEKIT_EMBEDDER = auto (default), minilm or tfidf."""
    value = os.environ.get("PEACEKIT_EMBEDDER", "auto").strip().lower()
    return value if value in ("auto", "minilm", "tfidf") else "auto"


# ----------------------------------------------------------------------------- the job
@transaction.atomic
def analysis_enqueue(
    *, actor: User, initiative: Initiative, rediscover: bool = False, seed: int = 0
) -> JobRun:
    """Queue the analysis job for an initiative."""
    if not initiative.statements.filter(status=Statement.Status.PUBLISHED).exists():
        raise ValidationError(_("Publish some statements before running the analysis."))
    job = jobrun_enqueue(
        kind="listening.initiative_analyze", actor=actor, organization=initiative.organization,
        parameters={"initiative_id": initiative.pk, "rediscover": bool(rediscover),
                    "seed": int(seed), "backend": embedder_backend()},
    )  # fmt: skip
    audit_record(
        actor=actor, action="analysis.enqueue", obj=initiative,
        metadata={"job": job.pk, "rediscover": bool(rediscover)},
    )  # fmt: skip
    return job


def analysis_run_job(job: JobRun, progress) -> dict:
    """Job handler body; re-runnable: a re-queued job continues the run it started."""
    params = job.parameters
    initiative = Initiative.objects.filter(pk=params.get("initiative_id")).first()
    if initiative is None:
        raise JobError("The initiative no longer exists.")
    run = None
    if job.result.get("run_id"):
        run = AnalysisRun.objects.filter(pk=job.result["run_id"]).first()
    run = analysis_run(
        initiative=initiative, actor=job.created_by, rediscover=params.get("rediscover", False),
        seed=params.get("seed", 0), backend=params.get("backend", "auto"), progress=progress,
        job=job, run=run,
    )  # fmt: skip
    from django.urls import reverse

    return {
        "run_id": run.pk,
        "version": run.version,
        "result_url": reverse("listening:insights", args=[initiative.pk]),
    }


def _new_run(*, initiative, actor, rediscover, seed, backend, job) -> AnalysisRun:
    with transaction.atomic():
        Initiative.objects.select_for_update().filter(pk=initiative.pk).first()
        version = (initiative.analysis_runs.aggregate(v=Max("version"))["v"] or 0) + 1
        return AnalysisRun.objects.create(
            initiative=initiative, version=version, rediscover=rediscover, seed=seed,
            parameters={"backend": backend, "analysis_version": ANALYSIS_VERSION,
                        "rediscover": rediscover},
            job=job, created_by=actor if actor and actor.is_authenticated else None,
        )  # fmt: skip


def analysis_run(
    *,
    initiative: Initiative,
    actor: User | None = None,
    rediscover: bool = False,
    seed: int = 0,
    backend: str = "auto",
    progress=None,
    job: JobRun | None = None,
    run: AnalysisRun | None = None,
) -> AnalysisRun:
    """Run the whole analysis and persist it; deterministic for a given seed."""
    say = progress or (lambda *_a, **_k: None)
    if run is None:
        run = _new_run(initiative=initiative, actor=actor, rediscover=rediscover, seed=seed,
                       backend=backend, job=job)  # fmt: skip
        if job is not None:
            jobrun_checkpoint(job=job, run_id=run.pk)
    run.status = AnalysisRun.Status.RUNNING
    run.save(update_fields=["status", "updated_at"])
    timings: dict[str, float] = {}
    try:
        statements = list(
            initiative.statements.filter(status=Statement.Status.PUBLISHED)
            .order_by("pk")
            .values("pk", "redacted_text", "micro_community_id", "embedding")
        )
        if not statements:
            raise JobError("There are no published statements to analyse.")
        ids = [s["pk"] for s in statements]
        texts = [s["redacted_text"] or "" for s in statements]

        say(5, "Embedding statements")
        t0 = time.perf_counter()
        embedder, vectors, computed = _embeddings(statements, texts, backend, seed)
        timings["embeddings"] = round(time.perf_counter() - t0, 3)
        run.embedder = embedder.model_name_

        say(30, "Finding themes")
        t0 = time.perf_counter()
        theme_summary = _themes(initiative, ids, texts, vectors, rediscover, seed)
        timings["themes"] = round(time.perf_counter() - t0, 3)

        say(50, "Reading stance toward police")
        t0 = time.perf_counter()
        stance_counts = _sentiment(ids, texts)
        timings["sentiment"] = round(time.perf_counter() - t0, 3)

        say(60, "Mapping risk and protective factors")
        t0 = time.perf_counter()
        _factors(initiative, ids, texts, vectors, embedder)
        timings["factors"] = round(time.perf_counter() - t0, 3)

        say(70, "Finding opinion groups from votes")
        t0 = time.perf_counter()
        vote_summary = _opinions(run, ids, seed)
        timings["opinions"] = round(time.perf_counter() - t0, 3)
    except JobError:
        run.status = AnalysisRun.Status.FAILED
        run.save(update_fields=["status", "updated_at"])
        raise
    run.timings = timings
    run.summary = {
        "statements": len(ids), "embedded_now": computed, **theme_summary,
        "stance": stance_counts, **vote_summary,
    }  # fmt: skip
    run.status = AnalysisRun.Status.DONE
    run.finished_at = timezone.now()
    run.save()
    say(100, "Done")
    audit_record(
        actor=actor, action="analysis.run", obj=initiative,
        metadata={"run": run.pk, "version": run.version, "statements": len(ids),
                  "themes": theme_summary.get("themes", 0)},
    )  # fmt: skip
    return run


# ----------------------------------------------------------------------------- steps
def _embeddings(statements, texts, backend, seed) -> tuple[Embedder, np.ndarray, int]:
    """Vectors for every statement; transformer vectors are computed once and stored.

    The TF-IDF fallback learns its space from the corpus, so its vectors are recomputed per
    run (and stored tagged as such, never mixed with transformer vectors).
    """
    embedder = Embedder(backend=backend, random_state=seed).fit(texts)
    magic = _MAGIC.get(embedder.model_name_, b"?")
    if embedder.backend_ == "minilm":
        vectors: list[np.ndarray | None] = []
        missing = []
        for i, s in enumerate(statements):
            blob = bytes(s["embedding"]) if s["embedding"] is not None else b""
            if blob[:1] == magic and len(blob) == 1 + 4 * embedder.dimensions_:
                vectors.append(np.frombuffer(blob[1:], dtype=np.float32))
            else:
                vectors.append(None)
                missing.append(i)
        if missing:
            fresh = embedder.transform([texts[i] for i in missing])
            for row, i in zip(fresh, missing, strict=True):
                vectors[i] = row
            _store_embeddings([statements[i]["pk"] for i in missing], fresh, magic)
        return embedder, np.vstack(vectors).astype(np.float32), len(missing)
    matrix = embedder.transform(texts)
    _store_embeddings([s["pk"] for s in statements], matrix, magic)
    return embedder, matrix, len(statements)


def _store_embeddings(ids: list[int], matrix: np.ndarray, magic: bytes) -> None:
    """One executemany UPDATE (bulk_update's CASE expressions are slow on large batches)."""
    from django.db import connection

    table = connection.ops.quote_name(Statement._meta.db_table)
    rows = [
        (magic + np.asarray(v, dtype=np.float32).tobytes(), pk)
        for pk, v in zip(ids, matrix, strict=True)
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET embedding = %s WHERE id = %s", rows)  # noqa: S608


@transaction.atomic
def _themes(initiative, ids, texts, vectors, rediscover: bool, seed: int) -> dict[str, Any]:
    index = {pk: i for i, pk in enumerate(ids)}
    existing = list(initiative.themes.all())
    links = {
        link.statement_id: link
        for link in StatementTheme.objects.filter(statement_id__in=ids).select_related("theme")
    }
    # Links of statements no longer published are dropped with them (hidden statements).
    StatementTheme.objects.filter(theme__initiative=initiative).exclude(
        statement_id__in=ids
    ).delete()
    if rediscover or not existing or not links:
        initiative.themes.all().delete()
        n = len(ids)
        model = themes.ThemeModel(random_state=seed).fit(vectors, texts)
        created = []
        for t in model.themes_:
            created.append(
                Theme.objects.create(
                    initiative=initiative,
                    label=t.label[:200],
                    position=t.theme_id,
                    description=t.description[:400],
                    key_phrases=t.key_phrases,
                    count=t.count,
                    share=t.share,
                    mean_confidence=t.mean_confidence,
                    representative_ids=[ids[i] for i in t.representative_indices],
                )  # fmt: skip
            )
        by_id = {t.theme_id: theme for t, theme in zip(model.themes_, created, strict=True)}
        StatementTheme.objects.bulk_create(
            [
                StatementTheme(
                    statement_id=ids[i],
                    theme=by_id[int(label)],
                    confidence=float(model.confidence_[i]),
                )
                for i, label in enumerate(model.labels_)
            ],  # fmt: skip
            batch_size=1000,
        )
        return {"themes": len(created), "assigned_new": n, "rediscovered": True}
    # Keep the analyst's themes: assign only statements without a theme.
    theme_pks = sorted({link.theme_id for link in links.values()})
    labels = np.array([links[pk].theme_id if pk in links else -1 for pk in ids])
    known = labels >= 0
    cent_ids, cents = themes.theme_centroids(vectors[known], labels[known])
    new_rows = np.flatnonzero(~known)
    if len(new_rows):
        assigned, confidence = themes.assign(vectors[new_rows], cents, cent_ids)
        StatementTheme.objects.bulk_create(
            [
                StatementTheme(statement_id=ids[i], theme_id=int(t), confidence=float(c))
                for i, t, c in zip(new_rows, assigned, confidence, strict=True)
            ],
            batch_size=1000,
        )
        labels[new_rows] = assigned
    _refresh_theme_stats(initiative, ids, texts, vectors, labels, index)
    return {"themes": len(theme_pks), "assigned_new": int(len(new_rows)), "rediscovered": False}


def _refresh_theme_stats(initiative, ids, texts, vectors, labels, index=None) -> None:
    """Counts, shares, confidence and quotes of every theme from the current labelling."""
    described = {t.theme_id: t for t in themes.describe_themes(vectors, labels, texts)}
    confidence = dict(
        StatementTheme.objects.filter(statement_id__in=ids).values_list(
            "statement_id", "confidence"
        )
    )
    conf = np.array([confidence.get(pk, 0.0) for pk in ids])
    for theme in initiative.themes.all():
        d = described.get(theme.pk)
        if d is None:
            if not theme.recommendations.exists():
                theme.delete()  # emptied by a merge or moves
            else:
                theme.count, theme.share = 0, 0.0
                theme.save(update_fields=["count", "share", "updated_at"])
            continue
        members = labels == theme.pk
        theme.count, theme.share = d.count, d.share
        theme.mean_confidence = round(float(conf[members].mean()), 6) if members.any() else 0.0
        theme.representative_ids = [ids[i] for i in d.representative_indices]
        if not theme.edited:
            theme.label = d.label[:200]
            theme.key_phrases = d.key_phrases
            theme.description = d.description[:400]
        theme.save()
    order = sorted(initiative.themes.all(), key=lambda t: (-t.count, t.pk))
    for position, theme in enumerate(order):
        if theme.position != position:
            Theme.objects.filter(pk=theme.pk).update(position=position)


@transaction.atomic
def _sentiment(ids, texts) -> dict[str, int]:
    scored = sentiment.StanceClassifier().fit().score(texts)
    StatementSentiment.objects.filter(statement_id__in=ids).delete()
    StatementSentiment.objects.bulk_create(
        [StatementSentiment(statement_id=pk, label=s.label, score=s.score)
         for pk, s in zip(ids, scored, strict=True)],
        batch_size=1000,
    )  # fmt: skip
    counts = {label: 0 for label in sentiment.LABELS}
    for s in scored:
        counts[s.label] += 1
    return counts


def _factors(initiative, ids, texts, vectors, embedder) -> None:
    """Map each theme (label, key phrases, quotes) to the default factor framework."""
    theme_list = list(initiative.themes.all())
    if not theme_list:
        return
    position = {pk: i for i, pk in enumerate(ids)}
    theme_texts = []
    for t in theme_list:
        quotes = [texts[position[pk]] for pk in t.representative_ids if pk in position]
        theme_texts.append(factor_lib.theme_text(t.label, t.key_phrases, quotes))
    mapper = factor_lib.FactorMapper(embedder=embedder).fit()
    matches = mapper.map(theme_texts)
    with transaction.atomic():
        for t, found in zip(theme_list, matches, strict=True):
            t.factors = [
                {"factor_id": m.factor_id, "score": round(m.score, 3),
                 "keywords": m.matched_keywords[:5]}
                for m in found
            ]  # fmt: skip
            Theme.objects.filter(pk=t.pk).update(factors=t.factors)


def _opinions(run: AnalysisRun, statement_ids: list[int], seed: int) -> dict[str, Any]:
    """Opinion groups, group statistics and findings from the votes on published statements."""
    with transaction.atomic():
        run.groups.all().delete()  # a re-run after a crash starts this step over
        run.findings.all().delete()
    rows = list(
        Vote.objects.filter(statement_id__in=statement_ids)
        .order_by("updated_at", "pk")
        .values_list("participant_hash", "statement_id", "value", "participant_role")
    )
    summary: dict[str, Any] = {"votes": len(rows), "participants": 0, "groups": 0,
                               "roles_known": False}  # fmt: skip
    if not rows:
        return summary
    pids = np.array([r[0] for r in rows])
    sids = np.array([r[1] for r in rows], dtype=np.int64)
    values = np.array([r[2] for r in rows], dtype=np.int8)
    matrix = opinions.build_vote_matrix(pids, sids, values)
    summary["participants"] = int(matrix.shape[0])
    if matrix.shape[0] < 2:
        return summary
    report = opinions.analyze_votes(matrix, random_state=seed)
    labels = report.group_labels
    summary.update(
        groups=int(report.n_groups), clustered=int((labels >= 0).sum()),
        silhouette={str(k): round(v, 4) for k, v in report.silhouette_scores.items()},
    )  # fmt: skip
    sid_list = [int(s) for s in matrix.statement_ids]
    with transaction.atomic():
        groups = {}
        for gi, gid in enumerate(report.stats.group_ids):
            members = np.flatnonzero(labels == gid)
            points = np.round(report.projection[members], 3).tolist()
            groups[int(gid)] = OpinionGroup.objects.create(
                run=run, index=gi, size=len(members), points=points
            )
        unclustered = np.round(report.projection[labels < 0], 3).tolist()
        summary["unclustered_points"] = unclustered[:2000]
        rep = {
            (gid, f.statement_id): f for gid, found in report.representative.items() for f in found
        }
        st = report.stats
        stats = []
        for gi, gid in enumerate(st.group_ids):
            for c, sid in enumerate(sid_list):
                f = rep.get((int(gid), sid))
                stats.append(
                    StatementGroupStat(
                        run=run,
                        statement_id=sid,
                        group=groups[int(gid)],
                        n_agree=int(st.n_agree[gi, c]),
                        n_disagree=int(st.n_disagree[gi, c]),
                        n_seen=int(st.n_seen[gi, c]),
                        p_agree=round(float(st.p_agree[gi, c]), 4),
                        p_disagree=round(float(st.p_disagree[gi, c]), 4),
                        representative=f is not None,
                        direction=f.direction if f else "",
                        repness=round(float(f.repness), 4) if f else 0.0,
                    )  # fmt: skip
                )
        StatementGroupStat.objects.bulk_create(stats, batch_size=2000)
        findings = []
        for direction, found in report.consensus.items():
            for rank, f in enumerate(found):
                findings.append(_finding(run, StatementFinding.Kind.CONSENSUS, f, rank, direction))
        for rank, f in enumerate(report.divisive):
            findings.append(_finding(run, StatementFinding.Kind.DIVISIVE, f, rank, "split"))
        roles = _participant_roles(matrix, rows)
        first = np.array([r in RESIDENT_ROLES for r in roles])
        second = np.array([r in OFFICER_ROLES for r in roles])
        summary["roles_known"] = bool(first.any() and second.any())
        summary["role_counts"] = {"residents": int(first.sum()), "officers": int(second.sum())}
        if summary["roles_known"]:
            both = opinions.common_ground(matrix, first, second)
            for rank, f in enumerate(both[:10]):
                findings.append(
                    _finding(run, StatementFinding.Kind.COMMON_GROUND, f, rank, f.direction)
                )
        StatementFinding.objects.bulk_create(findings)
    return summary


def _finding(run, kind, f, rank, direction) -> StatementFinding:
    detail = {k: v for k, v in f.detail.items() if k != "best_agree"}
    return StatementFinding(
        run=run, statement_id=int(f.statement_id), kind=kind, direction=direction,
        score=round(float(f.score), 6), rank=rank, detail=detail,
    )  # fmt: skip


def _participant_roles(matrix, rows) -> list[str]:
    latest: dict[str, str] = {}
    for pid, _sid, _value, role in rows:
        if role:
            latest[pid] = role
    return [latest.get(str(p), "") for p in matrix.participant_ids]


# ----------------------------------------------------------------------------- theme edits
def _statement_matrix(initiative: Initiative):
    """(ids, texts, vectors, labels) of published statements from stored embeddings."""
    rows = list(
        initiative.statements.filter(status=Statement.Status.PUBLISHED, theme_link__isnull=False)
        .order_by("pk")
        .values_list("pk", "redacted_text", "embedding", "theme_link__theme_id")
    )
    ids = [r[0] for r in rows]
    texts = [r[1] or "" for r in rows]
    blobs = [bytes(r[2]) if r[2] is not None else b"" for r in rows]
    dims = {len(b) for b in blobs}
    if not rows or len(dims) != 1 or 0 in dims:
        vectors = Embedder(backend="tfidf").fit_transform(texts) if texts else np.zeros((0, 2))
    else:
        vectors = np.vstack([np.frombuffer(b[1:], dtype=np.float32) for b in blobs])
    labels = np.array([r[3] for r in rows], dtype=np.int64)
    return ids, texts, vectors, labels


def _after_edit(initiative: Initiative) -> None:
    ids, texts, vectors, labels = _statement_matrix(initiative)
    if ids:
        _refresh_theme_stats(initiative, ids, texts, vectors, labels)


@transaction.atomic
def theme_update(*, actor: User, theme: Theme, label: str, description: str = "") -> Theme:
    label = (label or "").strip()
    if not label:
        raise ValidationError({"label": _("Give the theme a label.")})
    theme.label, theme.description, theme.edited = label[:200], description[:400], True
    theme.save()
    audit_record(actor=actor, action="theme.rename", obj=theme.initiative,
                 metadata={"theme": theme.pk})  # fmt: skip
    return theme


@transaction.atomic
def theme_merge(*, actor: User, target: Theme, others: list[Theme]) -> Theme:
    others = [t for t in others if t.pk != target.pk and t.initiative_id == target.initiative_id]
    if not others:
        raise ValidationError(_("Choose at least one other theme to merge."))
    StatementTheme.objects.filter(theme__in=others).update(theme=target)
    for t in others:
        for rec in t.recommendations.all():
            rec.themes.add(target)
    merged = [t.pk for t in others]
    Theme.objects.filter(pk__in=merged).delete()
    target.edited = True
    target.save(update_fields=["edited", "updated_at"])
    _after_edit(target.initiative)
    audit_record(actor=actor, action="theme.merge", obj=target.initiative,
                 metadata={"theme": target.pk, "merged": merged})  # fmt: skip
    return target


@transaction.atomic
def theme_split(*, actor: User, theme: Theme, parts: int = 2, seed: int = 0) -> list[Theme]:
    initiative = theme.initiative
    ids, texts, vectors, labels = _statement_matrix(initiative)
    members = np.flatnonzero(labels == theme.pk)
    if len(members) < max(2, parts):
        raise ValidationError(_("This theme has too few statements to split."))
    new_labels = themes.split_theme(vectors, labels, theme.pk, n_parts=parts, random_state=seed)
    created = [theme]
    for new_id in sorted(set(new_labels[members].tolist()) - {theme.pk}):
        rows = members[new_labels[members] == new_id]
        part = Theme.objects.create(
            initiative=initiative, label=f"{theme.label} ({len(created) + 1})"[:200],
            edited=False, position=theme.position,
        )  # fmt: skip
        StatementTheme.objects.filter(statement_id__in=[ids[i] for i in rows]).update(theme=part)
        created.append(part)
    Theme.objects.filter(pk=theme.pk).update(edited=True)
    _after_edit(initiative)
    audit_record(actor=actor, action="theme.split", obj=initiative,
                 metadata={"theme": theme.pk, "parts": [t.pk for t in created]})  # fmt: skip
    return created


@transaction.atomic
def statement_move(*, actor: User, statement: Statement, theme: Theme) -> StatementTheme:
    if statement.initiative_id != theme.initiative_id:
        raise ValidationError(_("The theme belongs to another initiative."))
    if statement.status != Statement.Status.PUBLISHED:
        raise ValidationError(_("Only published statements have themes."))
    link, _created = StatementTheme.objects.update_or_create(
        statement=statement, defaults={"theme": theme, "pinned": True, "confidence": 1.0}
    )
    Theme.objects.filter(pk=theme.pk).update(edited=True)
    _after_edit(theme.initiative)
    audit_record(actor=actor, action="theme.move_statement", obj=theme.initiative,
                 metadata={"statement": statement.pk, "theme": theme.pk})  # fmt: skip
    return link


@transaction.atomic
def theme_suggest_label(*, actor: User, theme: Theme) -> str:
    """Ask the configured language model for a label, from redacted quotes only."""
    from peacekit.listening import llm

    quotes = list(
        Statement.objects.filter(
            pk__in=theme.representative_ids, status=Statement.Status.PUBLISHED
        ).values_list("redacted_text", flat=True)
    )
    suggestion = llm.draft_theme_label(quotes=quotes, key_phrases=theme.key_phrases)
    if not suggestion:
        raise ValidationError(_("The language model gave no suggestion."))
    theme.suggested_label = suggestion[:200]
    theme.save(update_fields=["suggested_label", "updated_at"])
    audit_record(actor=actor, action="theme.suggest_label", obj=theme.initiative,
                 metadata={"theme": theme.pk})  # fmt: skip
    return theme.suggested_label


# ----------------------------------------------------------------------------- recommendations
@transaction.atomic
def recommendation_save(
    *,
    actor: User,
    initiative: Initiative,
    recommendation: Recommendation | None = None,
    themes: list[Theme] = (),
    evidence: list[Statement] = (),
    factor_ids: list[str] = (),
    **fields: Any,
) -> Recommendation:
    if not (fields.get("title") or "").strip():
        raise ValidationError({"title": _("Give the recommendation a title.")})
    known = {f.factor_id for f in factor_lib.DEFAULT_FRAMEWORK.factors}
    if set(factor_ids) - known:
        raise ValidationError(_("Unknown factor."))
    for t in themes:
        if t.initiative_id != initiative.pk:
            raise ValidationError(_("The theme belongs to another initiative."))
    for s in evidence:
        if s.initiative_id != initiative.pk or s.status != Statement.Status.PUBLISHED:
            raise ValidationError(_("Evidence must be published statements of this initiative."))
    creating = recommendation is None
    if creating:
        recommendation = Recommendation(initiative=initiative, created_by=actor)
    old_status = None if creating else recommendation.status
    for key, value in fields.items():
        setattr(recommendation, key, value)
    recommendation.factor_ids = list(factor_ids)
    recommendation.save()
    recommendation.themes.set(themes)
    recommendation.evidence.set(evidence)
    if not creating and old_status != recommendation.status:
        status_label = recommendation.get_status_display()
        RecommendationNote.objects.create(
            recommendation=recommendation, status=recommendation.status, created_by=actor,
            body=_("Status changed to %(status)s.") % {"status": status_label},
        )  # fmt: skip
    audit_record(
        actor=actor, action="recommendation.create" if creating else "recommendation.update",
        obj=initiative, metadata={"recommendation": recommendation.pk,
                                  "status": recommendation.status},
    )  # fmt: skip
    return recommendation


@transaction.atomic
def recommendation_note_add(
    *, actor: User, recommendation: Recommendation, body: str, status: str
) -> RecommendationNote:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write what has happened.")})
    if status not in Recommendation.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    note = RecommendationNote.objects.create(
        recommendation=recommendation, body=body, status=status, created_by=actor
    )
    if recommendation.status != status:
        recommendation.status = status
        recommendation.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="recommendation.note", obj=recommendation.initiative,
                 metadata={"recommendation": recommendation.pk, "status": status})  # fmt: skip
    return note


def theme_labels_by_statement(ids: list[int]) -> dict[int, str]:
    out: dict[int, str] = defaultdict(str)
    for sid, label in StatementTheme.objects.filter(statement_id__in=ids).values_list(
        "statement_id", "theme__label"
    ):
        out[sid] = label
    return out
