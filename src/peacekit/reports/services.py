"""Writes for reports: generate a report run (job), share it by signed expiring link, audit
downloads, build the open-data export."""

from __future__ import annotations

import csv
import io
import json
import os
import time
import zipfile
from datetime import timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from peacekit.core.models import JobRun, User
from peacekit.core.services import JobError, audit_record, jobrun_checkpoint, jobrun_enqueue
from peacekit.listening.models import Initiative, MicroCommunity, Statement, StatementTheme, Vote
from peacekit.reports import selectors
from peacekit.reports.models import ReportRun, ReportShare
from peacekit.reports.rendering import render_report_html, render_report_pdf_counted
from peacekit.reports.suppression import suppress_breakdown

TEMPLATE = "reports/initiative_report.html"
SHARE_SALT = "peacekit.reports.share"
#: The PDF lists at most this many statements in its appendix (WeasyPrint lays out about
#: four pages a second here); the web page and the open-data export always list all of them.
PDF_APPENDIX_MAX = int(os.environ.get("PEACEKIT_REPORT_PDF_APPENDIX_MAX", "1500"))
MAX_SHARE_DAYS = 90


# ----------------------------------------------------------------------------- report runs
@transaction.atomic
def report_enqueue(
    *, actor: User, initiative: Initiative, community: MicroCommunity | None = None
) -> JobRun:
    if community is not None and community.initiative_id != initiative.pk:
        raise ValidationError(_("The group belongs to another initiative."))
    job = jobrun_enqueue(
        kind="reports.generate", actor=actor, organization=initiative.organization,
        parameters={"initiative_id": initiative.pk,
                    "community_id": community.pk if community else None},
    )  # fmt: skip
    audit_record(actor=actor, action="report.enqueue", obj=initiative, metadata={"job": job.pk})
    return job


def report_generate_job(job: JobRun, progress) -> dict:
    params = job.parameters
    initiative = (
        Initiative.objects.select_related("organization", "partner_organization")
        .filter(pk=params.get("initiative_id"))
        .first()
    )
    if initiative is None:
        raise JobError("The initiative no longer exists.")
    community = None
    if params.get("community_id"):
        community = initiative.micro_communities.filter(pk=params["community_id"]).first()
        if community is None:
            raise JobError("The group no longer exists.")
    run = None
    if job.result.get("report_id"):
        run = ReportRun.objects.filter(pk=job.result["report_id"]).first()
    run = report_generate(
        initiative=initiative, community=community, actor=job.created_by, job=job, run=run,
        progress=progress,
    )  # fmt: skip
    from django.urls import reverse

    return {"report_id": run.pk, "result_url": reverse("reports:run_detail", args=[run.pk])}


def report_generate(
    *,
    initiative: Initiative,
    community: MicroCommunity | None = None,
    actor: User | None = None,
    job: JobRun | None = None,
    run: ReportRun | None = None,
    progress=None,
) -> ReportRun:
    """Build the context, render HTML and PDF from the one template, store them as a version."""
    say = progress or (lambda *_a, **_k: None)
    if run is None:
        with transaction.atomic():
            Initiative.objects.select_for_update().filter(pk=initiative.pk).first()
            version = (initiative.report_runs.aggregate(v=Max("version"))["v"] or 0) + 1
            run = ReportRun.objects.create(
                initiative=initiative, micro_community=community, version=version, job=job,
                created_by=actor if actor and actor.is_authenticated else None,
                parameters={"community_id": community.pk if community else None,
                            "template": TEMPLATE},
            )  # fmt: skip
        if job is not None:
            jobrun_checkpoint(job=job, report_id=run.pk)
    timings = {}
    say(10, "Collecting the analysis and statements")
    t0 = time.perf_counter()
    context = selectors.report_context(initiative, community)
    context["version"] = run.version
    timings["context"] = round(time.perf_counter() - t0, 3)
    say(40, "Rendering the web page")
    t0 = time.perf_counter()
    html = render_report_html(None, TEMPLATE, {**context, "pdf": True})
    timings["html"] = round(time.perf_counter() - t0, 3)
    say(60, "Rendering the PDF")
    t0 = time.perf_counter()
    pdf, pages = render_report_pdf_counted(TEMPLATE, pdf_context(context))
    timings["pdf"] = round(time.perf_counter() - t0, 3)
    run.html, run.pdf, run.pdf_pages = html, pdf, pages
    run.analysis_run = context["run"]
    run.analysis_version = context["run"].version if context["run"] else None
    run.summary = context["summary"]
    run.timings = timings
    run.status = ReportRun.Status.DONE
    run.save()
    say(100, "Done")
    audit_record(actor=actor, action="report.generate", obj=initiative,
                 metadata={"report": run.pk, "version": run.version})  # fmt: skip
    return run


def pdf_context(context: dict) -> dict:
    """The report context for the PDF: the appendix capped at PDF_APPENDIX_MAX statements."""
    if len(context["appendix"]) <= PDF_APPENDIX_MAX:
        return context
    return {**context, "appendix": context["appendix"][:PDF_APPENDIX_MAX], "appendix_capped": True}


def report_compare(a: ReportRun, b: ReportRun) -> dict:
    """Side by side key figures of two versions, with the change."""
    sa, sb = a.summary or {}, b.summary or {}
    rows = []
    for key, label in (
        ("statements", _("Published statements")), ("sessions_held", _("Sessions held")),
        ("participants", _("Participants who voted")), ("groups", _("Opinion groups")),
    ):  # fmt: skip
        va, vb = sa.get(key, 0), sb.get(key, 0)
        rows.append({"label": label, "a": va, "b": vb, "change": vb - va})
    themes = []
    for name in sorted(set(sa.get("themes", {})) | set(sb.get("themes", {}))):
        va, vb = sa.get("themes", {}).get(name), sb.get("themes", {}).get(name)
        themes.append({"label": name, "a": va, "b": vb,
                       "change": None if va is None or vb is None else vb - va})  # fmt: skip
    stance = []
    for name in ("positive", "negative", "neutral", "mixed"):
        va, vb = sa.get("stance", {}).get(name, 0), sb.get("stance", {}).get(name, 0)
        stance.append({"label": name, "a": va, "b": vb, "change": vb - va})
    recs = []
    for name in sorted(set(sa.get("recommendations", {})) | set(sb.get("recommendations", {}))):
        va, vb = (
            sa.get("recommendations", {}).get(name, 0),
            sb.get("recommendations", {}).get(name, 0),
        )
        recs.append({"label": name, "a": va, "b": vb, "change": vb - va})
    ca, cb = set(sa.get("consensus", [])), set(sb.get("consensus", []))
    return {
        "figures": rows,
        "themes": themes,
        "stance": stance,
        "recommendations": recs,
        "consensus_added": sorted(cb - ca),
        "consensus_dropped": sorted(ca - cb),
    }


# ----------------------------------------------------------------------------- sharing
def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SHARE_SALT)


@transaction.atomic
def share_create(
    *, actor: User, run: ReportRun, days: int, label: str = ""
) -> tuple[ReportShare, str]:
    """A share that works without an account until it expires; returns it and its token."""
    if not 1 <= int(days) <= MAX_SHARE_DAYS:
        raise ValidationError(_("Choose between 1 and %(n)s days.") % {"n": MAX_SHARE_DAYS})
    if run.status != ReportRun.Status.DONE:
        raise ValidationError(_("The report is not ready yet."))
    share = ReportShare.objects.create(
        run=run, label=label[:200], created_by=actor,
        expires_at=timezone.now() + timedelta(days=int(days)),
    )  # fmt: skip
    audit_record(actor=actor, action="report.share", obj=run.initiative,
                 metadata={"report": run.pk, "share": share.pk, "days": int(days)})  # fmt: skip
    return share, share_token(share)


def share_token(share: ReportShare) -> str:
    return _signer().sign(str(share.pk))


def share_resolve(token: str) -> ReportShare | None:
    """The share a token names, if its signature holds and it has not expired or been revoked."""
    try:
        share_id = _signer().unsign(token, max_age=timedelta(days=MAX_SHARE_DAYS))
    except signing.BadSignature:  # includes SignatureExpired
        return None
    share = (
        ReportShare.objects.select_related(
            "run", "run__initiative", "run__initiative__organization"
        )
        .filter(pk=share_id)
        .first()
    )
    if share is None or not share.active or share.run.status != ReportRun.Status.DONE:
        return None
    return share


@transaction.atomic
def share_revoke(*, actor: User, share: ReportShare) -> None:
    share.revoked = True
    share.save(update_fields=["revoked"])
    audit_record(actor=actor, action="report.share_revoke", obj=share.run.initiative,
                 metadata={"share": share.pk})  # fmt: skip


def download_record(*, actor: User | None, run: ReportRun, kind: str, share=None) -> None:
    """Every download is audited: who (or which share), which version, which format."""
    audit_record(
        actor=actor, action="report.download", obj=run.initiative,
        metadata={"report": run.pk, "version": run.version, "format": kind,
                  "share": share.pk if share else None},
    )  # fmt: skip


# ----------------------------------------------------------------------------- open data
DATA_DICTIONARY = [
    ("statements", "statement_id", "Number of the published statement (stable)."),
    ("statements", "text", "The statement after anonymization (names, places, numbers tagged)."),
    ("statements", "language", "Language code of the statement."),
    ("statements", "micro_community", "Neighborhood, precinct or stakeholder group, if known."),
    ("statements", "theme", "Theme the statement belongs to (analyst-reviewed)."),
    ("statements", "stance", "Stance toward police: positive, negative, neutral or mixed."),
    ("vote_aggregates", "statement_id", "Statement the votes are on."),
    ("vote_aggregates", "agree", "Votes to agree; — when suppressed."),
    ("vote_aggregates", "disagree", "Votes to disagree; — when suppressed."),
    ("vote_aggregates", "pass", "Votes to pass; — when suppressed."),
    ("vote_aggregates", "total", "All votes on the statement; — when suppressed."),
    ("themes", "theme", "Theme label."),
    ("themes", "description", "One-line description of the theme."),
    ("themes", "statements", "Published statements in the theme; — when suppressed."),
    ("coverage", "group", "Micro-community."),
    ("coverage", "kind", "neighborhood, precinct or stakeholder."),
    ("coverage", "under_represented", "1 if the group is historically under-represented."),
    ("coverage", "sessions_held", "Listening sessions held with the group."),
    ("coverage", "participants", "Participants in the group's sessions; — when suppressed."),
    ("coverage", "statements", "Statements from the group; — when suppressed."),
    ("coverage", "population_share_pct", "The group's share of the population (percent)."),
]


def vote_aggregate_row(statement_id: int, agree: int, disagree: int, passed: int) -> dict:
    """One statement's vote counts for open data, through the one suppression function."""
    table = suppress_breakdown({"agree": agree, "disagree": disagree, "pass": passed})
    cells = table.series()
    return {
        "statement_id": statement_id,
        "agree": cells["agree"].display,
        "disagree": cells["disagree"].display,
        "pass": cells["pass"].display,
        "total": table.grand_total.display,
    }


def _csv(rows: list[list]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def open_data_export(*, actor: User | None, initiative: Initiative) -> bytes:
    """A zip of CSV and JSON files with a data dictionary; every group count is suppressed."""
    from peacekit.listening import selectors as listening

    published = initiative.statements.filter(status=Statement.Status.PUBLISHED).order_by("pk")
    themes = dict(
        StatementTheme.objects.filter(statement__in=published).values_list(
            "statement_id", "theme__label"
        )
    )
    statements = [
        {"statement_id": pk, "text": text, "language": lang, "micro_community": mc or "",
         "theme": themes.get(pk, ""), "stance": stance or ""}
        for pk, text, lang, mc, stance in published.values_list(
            "pk", "redacted_text", "language", "micro_community__name", "sentiment__label"
        )
    ]  # fmt: skip
    agg = published.annotate(
        a=Count("votes", filter=Q(votes__value=Vote.Value.AGREE)),
        d=Count("votes", filter=Q(votes__value=Vote.Value.DISAGREE)),
        p=Count("votes", filter=Q(votes__value=Vote.Value.PASS)),
    ).values_list("pk", "a", "d", "p")
    votes = [vote_aggregate_row(pk, a, d, p) for pk, a, d, p in agg]

    theme_list = list(initiative.themes.all())
    theme_counts = suppress_breakdown({t.label: t.count for t in theme_list}).series()
    theme_rows = [{"theme": t.label, "description": t.description,
                   "statements": theme_counts[t.label].display} for t in theme_list]  # fmt: skip
    cov = listening.coverage(initiative=initiative)
    coverage = [
        {"group": r.community.name, "kind": r.community.kind,
         "under_represented": int(r.community.under_represented), "sessions_held": r.held,
         "participants": "—" if r.participants is None else r.participants,
         "statements": "—" if r.statements is None else r.statements,
         "population_share_pct": "" if r.population_share is None else round(r.population_share, 1)}
        for r in cov["rows"]
    ]  # fmt: skip
    note = (
        "— hidden to protect privacy: counts under the minimum cell size, and other counts "
        "that would reveal them, are not shown."
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, rows in (("statements", statements), ("vote_aggregates", votes),
                           ("themes", theme_rows), ("coverage", coverage)):  # fmt: skip
            header = [f for table, f, _d in DATA_DICTIONARY if table == name]
            z.writestr(f"{name}.csv", _csv([header] + [[r[h] for h in header] for r in rows]))
            z.writestr(f"{name}.json", json.dumps(rows, ensure_ascii=False, indent=1))
        z.writestr("data_dictionary.csv", _csv([["file", "column", "meaning"]]
                                               + [list(r) for r in DATA_DICTIONARY]))  # fmt: skip
        z.writestr(
            "README.txt",
            f"{initiative.name}: open data from published, anonymized listening statements.\n"
            f"Exported {timezone.now():%Y-%m-%d}.\n\n{note}\n\n"
            + "\n".join(selectors.LIMITS)
            + "\n",
        )
    audit_record(actor=actor, action="report.open_data", obj=initiative,
                 metadata={"statements": len(statements)})  # fmt: skip
    return buffer.getvalue()
