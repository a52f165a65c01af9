"""The bridge from the ORM to `analysis.scoring360`: a whole cycle's reports in one pass.

Loads every answer of a cycle with one query, packs them into arrays, scores all candidates
at once (anonymity rules applied inside the scorer), then adds comments, themes, an
extractive summary and development suggestions. Everything returned is already suppressed:
templates only print it.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from typing import Any

import numpy as np
from django.db import connection

from peacekit.analysis.scoring360 import PromotabilityFormula, Scorer360
from peacekit.analysis.summarize import FUNCTION_WORDS, extractive_summary, key_phrases, words
from peacekit.analysis.suppression import Rater360Policy, rater_group_visibility
from peacekit.evaluations.models import (
    GROUP_ORDER,
    Comment,
    Cycle,
    ItemScore,
    RaterGroup,
    RatingResponse,
    Report,
)

GROUP_LABELS = dict(RaterGroup.choices)
N_BOOTSTRAP = 200


def rater_policy() -> Rater360Policy:
    """The 360 anonymity rules (Center for Creative Leadership practice)."""
    return Rater360Policy()


def _round(x: float | None, digits: int = 2) -> float | None:
    return None if x is None else round(float(x), digits)


def _tfidf(texts: list[str]) -> np.ndarray:
    """Small TF-IDF rows for a candidate's few comments (no model, microseconds)."""
    docs = [
        Counter(w for run in words(t) for w in run if w not in FUNCTION_WORDS and len(w) > 2)
        for t in texts
    ]
    vocab = {w: k for k, w in enumerate(sorted(set().union(*docs)))}
    matrix = np.zeros((len(texts), max(1, len(vocab))))
    for row, doc in enumerate(docs):
        for w, n in doc.items():
            matrix[row, vocab[w]] = 1 + np.log(n)
    df = (matrix > 0).sum(axis=0)
    return matrix * (np.log((1 + len(texts)) / (1 + df)) + 1)


def _icc1(icc: dict, key: str) -> float | None:
    value = icc.get(key, (np.nan, np.nan))[0]
    return None if value is None or np.isnan(value) else round(float(value), 2)


def cycle_report_data(
    *, cycle: Cycle, progress=None, candidate_ids: list[int] | None = None
) -> dict[int, dict[str, Any]]:
    """Every candidate's report data for a cycle (or only ``candidate_ids``), by candidate id.

    With ``candidate_ids`` (one report wanted at once, before the cycle's job has finished)
    the percentile within the cycle is left empty: it needs every candidate.
    """
    from peacekit.evaluations.services import comments_anonymize, items_for

    # Comments the anonymizer job has not reached yet are anonymized now: a report never
    # reads a raw comment, and never leaves one out for being late.
    comments_anonymize(cycle_id=cycle.pk, candidate_ids=candidate_ids)
    items = items_for(cycle)
    competencies = list(cycle.framework.competencies.all())
    comp_pos = {c.pk: k for k, c in enumerate(competencies)}
    item_pos = {item.pk: i for i, item in enumerate(items)}
    candidates = list(cycle.candidates.all())
    if candidate_ids is not None:
        candidates = [c for c in candidates if c.pk in set(candidate_ids)]
    cand_pos = {c.pk: k for k, c in enumerate(candidates)}
    if not candidates:
        return {}
    group_pos = {g: k for k, g in enumerate(GROUP_ORDER)}
    if progress:
        progress(5, "Loading answers")

    response_qs = RatingResponse.objects.filter(cycle=cycle)
    if candidate_ids is not None:
        response_qs = response_qs.filter(candidate_id__in=list(cand_pos))
    responses = list(response_qs.order_by("pk").values_list("pk", "candidate_id", "group"))
    # Omitted groups leave before anything is packed or scored, so nothing computed later
    # (the bootstrap's draws, the cycle-wide ICC, array sizes) carries a trace of them.
    # Every stored response rates at least one item (the submit service requires it).
    counts = np.zeros((len(candidates), len(GROUP_ORDER)), dtype=np.int64)
    for _pk, candidate_id, group in responses:
        counts[cand_pos[candidate_id], group_pos[group]] += 1
    shown, _total = rater_group_visibility(counts, GROUP_ORDER, rater_policy())
    kept = [r for r in responses if shown[cand_pos[r[1]], group_pos[r[2]]]]
    slot: dict[Any, tuple[int, int]] = {}
    width = defaultdict(int)
    for pk, candidate_id, _group in kept:
        c = cand_pos[candidate_id]
        slot[pk] = (c, width[c])
        width[c] += 1
    n_r = max(width.values(), default=0)
    x = np.full((len(candidates), n_r, len(items)), np.nan)
    rg = np.full((len(candidates), n_r), -1, dtype=np.int64)
    for pk, _candidate_id, group in kept:
        c, r = slot[pk]
        rg[c, r] = group_pos[group]
    # One plain query for every answer (240,000 rows at full size): no model instances,
    # no UUID objects; keys compared as 32-digit hex so SQLite and PostgreSQL agree.
    by_hex = {pk.hex: at for pk, at in slot.items()}
    score_table, response_table = ItemScore._meta.db_table, RatingResponse._meta.db_table
    sql = (
        f"SELECT s.response_id, s.item_id, s.score FROM {score_table} s "  # noqa: S608
        f"JOIN {response_table} r ON r.id = s.response_id "
        "WHERE r.cycle_id = %s AND s.score IS NOT NULL"
    )
    params: list[Any] = [cycle.pk]
    if candidate_ids is not None:
        sql += f" AND r.candidate_id IN ({', '.join(['%s'] * len(cand_pos))})"
        params += list(cand_pos)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = [
        (at, item_pos[i], v)
        for r, i, v in rows
        if (at := by_hex.get(r.hex if isinstance(r, uuid.UUID) else str(r).replace("-", "")))
    ]
    if found:
        cr = np.array([f[0] for f in found], dtype=np.int64)
        ii = np.array([f[1] for f in found], dtype=np.int64)
        x[cr[:, 0], cr[:, 1], ii] = np.array([f[2] for f in found], dtype=np.float64)

    comments: dict[int, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    commenters: dict[tuple[int, str], set] = defaultdict(set)
    comment_qs = Comment.objects.filter(candidate__cycle=cycle)
    if candidate_ids is not None:
        comment_qs = comment_qs.filter(candidate_id__in=list(cand_pos))
    for candidate_id, group, kind, text, response_id in comment_qs.values_list(
        "candidate_id", "group", "kind", "text", "response_id"
    ):
        comments[candidate_id][group].append((kind, text))
        commenters[(candidate_id, group)].add(response_id)
    comment_counts = np.zeros((len(candidates), len(GROUP_ORDER)), dtype=np.int64)
    for (candidate_id, group), who in commenters.items():
        comment_counts[cand_pos[candidate_id], group_pos[group]] = len(who)

    past = list(
        Report.objects.filter(organization=cycle.organization, cycle__status=Cycle.Status.CLOSED)
        .exclude(cycle=cycle)
        .exclude(promotability_index__isnull=True)
        .values_list("promotability_index", flat=True)
    )
    if progress:
        progress(25, "Scoring")
    keys = [c.key for c in competencies]
    scorer = Scorer360(
        competencies=keys,
        item_competency=[comp_pos[item.competency_id] for item in items],
        items=[str(item.pk) for item in items],
        groups=GROUP_ORDER,
        policy=rater_policy(),
        formula=PromotabilityFormula(competency_weights=cycle.competency_weights or {}),
        n_bootstrap=N_BOOTSTRAP,
    ).fit(x, rg, comment_counts=comment_counts, past_indices=past or None)
    result = scorer.result_
    if progress:
        progress(50, "Writing reports")
    step = progress.steps(len(candidates), "Writing reports", 50, 95) if progress else None
    item_by_id = {str(item.pk): item for item in items}
    comp_by_key = {c.key: c for c in competencies}
    out = {}
    for c, candidate in enumerate(candidates):
        rep = result.candidate_report(c)
        out[candidate.pk] = _candidate_data(
            candidate=candidate,
            rep=rep,
            n_raters={g: int(counts[c, k]) for k, g in enumerate(GROUP_ORDER)},
            comments=comments.get(candidate.pk, {}),
            item_by_id=item_by_id,
            comp_by_key=comp_by_key,
            icc=result.icc,
        )
        if candidate_ids is not None:
            out[candidate.pk]["promotability"]["percentile"] = None
            out[candidate.pk]["partial"] = True
        if step:
            step(c + 1)
    return out


def _candidate_data(*, candidate, rep, n_raters, comments, item_by_id, comp_by_key, icc):
    """One candidate's report as JSON-ready data (only what anonymity rules allow)."""
    policy = rater_policy()
    labels = {g: str(label) for g, label in GROUP_LABELS.items()}
    groups = []
    for g in GROUP_ORDER:
        n = n_raters[g]
        shown = g in rep.shown_groups and n >= policy.minimum(g)
        if n == 0:
            note = ""
        elif shown:
            note = "attributed" if g in policy.attributed and g != policy.self_group else ""
        else:
            note = "omitted"
        groups.append(
            {
                "key": g,
                "label": labels[g],
                "shown": shown,
                "n": n if shown else None,
                "minimum": policy.minimum(g),
                "comments_shown": bool(rep.comments_shown.get(g)),
                "note": note,
                "had_raters": n > 0,
            }
        )
    competencies = []
    for row in rep.competency_scores:
        comp = comp_by_key[row["competency"]]
        competencies.append(
            {
                "key": comp.key,
                "name": comp.name,
                "course_topic": comp.course_topic,
                "self": _round(row["self"]),
                "others": _round(row["others"]),
                "others_n": row["others_n"],
                "by_group": {g: _round(v["score"]) for g, v in row["by_group"].items()},
                "gap": _round(row["gap"]),
                "gap_flagged": row["gap_flagged"],
                "rwg": _round(row["rwg"]),
                "icc1": _icc1(icc, comp.key),
            }
        )

    def highlight(entries):
        out = []
        for e in entries:
            item = item_by_id[e["item"]]
            gap = None if e["others"] is None or e["self"] is None else e["others"] - e["self"]
            out.append(
                {
                    "item": item.text,
                    "competency": item.competency.name,
                    "self": _round(e["self"]),
                    "others": _round(e["others"]),
                    "gap": _round(gap),
                }
            )
        return out

    shown_comments = []
    others_texts = []
    for g in GROUP_ORDER:
        if not rep.comments_shown.get(g) or g not in comments:
            continue
        entries = sorted(comments[g], key=lambda e: (e[0], e[1].lower()))
        shown_comments.append(
            {
                "group": g,
                "label": labels[g],
                "strengths": [t for k, t in entries if k == "strength"],
                "develop": [t for k, t in entries if k == "develop"],
            }
        )
        if g != policy.self_group:
            others_texts += [t for _k, t in entries]
    hidden_comment_groups = [
        labels[g]
        for g in GROUP_ORDER
        if g in comments and g in rep.shown_groups and not rep.comments_shown.get(g)
    ]
    themes = [p for p, _s in key_phrases(others_texts, top_n=5)] if len(others_texts) >= 3 else []
    summary = []
    if len(others_texts) >= 3:
        texts = [t for t in others_texts if t.strip()]
        summary = extractive_summary(texts, vectors=_tfidf(texts), max_sentences=3)

    scored = [c for c in competencies if c["others"] is not None]
    development = []
    for comp in sorted(scored, key=lambda c: (c["others"], c["name"]))[:3]:
        reason = "lowest rated by others"
        if comp["gap_flagged"] and comp["gap"] is not None and comp["gap"] < 0:
            reason = "rated lower by others than by self"
        development.append(
            {
                "competency": comp["name"],
                "topic": comp["course_topic"],
                "others": comp["others"],
                "reason": reason,
            }
        )
    promotability = {k: _round(v, 1) for k, v in rep.promotability.items()}
    promotability["se"] = _round(rep.promotability.get("se"), 2)
    return {
        "version": 1,
        "candidate": {"name": candidate.name, "rank": candidate.current_rank},
        "groups": groups,
        "competencies": competencies,
        "hidden_strengths": highlight(rep.hidden_strengths),
        "blind_spots": highlight(rep.blind_spots),
        "promotability": promotability,
        "formula": rep.formula,
        "all_raters_included": rep.all_raters_included
        and not any(g["had_raters"] and not g["shown"] for g in groups),
        "comments": shown_comments,
        "hidden_comment_groups": hidden_comment_groups,
        "themes": themes,
        "summary": summary,
        "development": development,
        "policy": {
            "all_raters_minimum": policy.all_raters_minimum,
            "comment_minimum": policy.comment_minimum,
        },
    }
