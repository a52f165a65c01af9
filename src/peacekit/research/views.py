"""Research pages: statute collections, import, review, findings (map, CSV, brief), dashboard.

Views are thin: access helpers fetch, services write, selectors read. Program staff only.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from peacekit.core.access import require_program_staff
from peacekit.core.models import Organization
from peacekit.reports.charts import Bar, hbar_chart, line_chart
from peacekit.reports.rendering import pdf_response, render_report_pdf
from peacekit.research import selectors, services
from peacekit.research.access import access_classification, access_corpus, access_import_run
from peacekit.research.forms import CorpusForm, ImportForm, ReviewForm
from peacekit.research.models import ImportRun, TermClass
from peacekit.research.parsing import read_uploads
from peacekit.research.usmap import class_tile_map, legend

SHORT_LABELS = {
    TermClass.DEFINED: _lazy("Defined (covers police)"),
    TermClass.GENERAL: _lazy("Used for police generally"),
    TermClass.LIMITED: _lazy("Only some roles"),
    TermClass.NOT_USED: _lazy("Not used"),
}


def _organization_for(request) -> Organization:
    if request.organization is not None:
        return request.organization
    program = Organization.objects.filter(kind=Organization.Kind.PROGRAM).first()
    if program is None:
        from django.http import Http404

        raise Http404("No program organization.")
    return program


def corpus_list(request):
    """The statute collections, with how far each is reviewed."""
    require_program_staff(request.user)
    corpora = selectors.corpus_list(user=request.user)
    page = Paginator(corpora, 25).get_page(request.GET.get("page"))
    return render(request, "research/corpus_list.html", {"page": page, "corpora": page})


@require_http_methods(["GET", "POST"])
def corpus_create(request):
    """Start a statute collection, saying where its texts come from."""
    require_program_staff(request.user)
    form = CorpusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        corpus = services.corpus_create(
            actor=request.user, organization=_organization_for(request), **form.cleaned_data
        )
        messages.success(request, _("Collection created. Import its statute texts next."))
        return redirect("research:import_upload", corpus.pk)
    return render(request, "research/corpus_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def import_upload(request, corpus_id: int):
    """Upload statute files or a CSV; all-or-nothing, with every problem listed by file or row."""
    corpus = access_corpus(request.user, corpus_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        jurisdiction = form.cleaned_data["jurisdiction"]
        parsed = read_uploads(
            [(f.name, f.read()) for f in form.cleaned_data["files"]],
            jurisdiction=jurisdiction.code if jurisdiction else "",
        )
        try:
            run = services.import_run_create(actor=request.user, corpus=corpus, parsed=parsed)
        except services.ImportValidationError as exc:
            errors = exc.errors
        else:
            if run.status == ImportRun.Status.DONE:
                messages.success(
                    request,
                    _("%(n)d sections imported and classified.") % {"n": run.section_count},
                )
                return redirect("research:review", corpus.pk)
            return redirect("research:import_detail", run.pk)
    imports = corpus.imports.select_related("created_by", "job")[:20]
    return render(
        request,
        "research/import.html",
        {"corpus": corpus, "form": form, "errors": errors[:500], "n_errors": len(errors),
         "imports": imports},
    )  # fmt: skip


def import_detail(request, import_run_id: int):
    """An import's progress (large uploads run as a job)."""
    run = access_import_run(request.user, import_run_id)
    return render(request, "research/import_detail.html", {"run": run, "job": run.job})


def review(request, corpus_id: int):
    """Every jurisdiction's proposed class, awaiting review first."""
    corpus = access_corpus(request.user, corpus_id)
    status = request.GET.get("status", "")
    classifications = selectors.classification_list(corpus=corpus)
    if status in ("proposed", "confirmed", "corrected"):
        classifications = classifications.filter(status=status)
    page = Paginator(classifications, 60).get_page(request.GET.get("page"))
    return render(
        request,
        "research/review.html",
        {"corpus": corpus, "page": page, "status": status,
         "counts": selectors.findings(corpus=corpus)},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def classification_detail(request, classification_id: int):
    """The evidence for one jurisdiction, highlighted; the reviewer confirms or corrects."""
    classification = access_classification(request.user, classification_id)
    form = ReviewForm(request.POST or None, classification=classification)
    if request.method == "POST" and form.is_valid():
        services.classification_review(
            actor=request.user,
            classification=classification,
            final_class=form.cleaned_data["final_class"],
            note=form.cleaned_data["note"],
        )
        messages.success(
            request,
            _("%(name)s reviewed.") % {"name": classification.jurisdiction.name},
        )
        next_one = (
            classification.corpus.classifications.filter(status="proposed")
            .order_by("jurisdiction__name")
            .first()
        )
        if next_one is not None:
            return redirect("research:classification_detail", next_one.pk)
        return redirect("research:review", classification.corpus_id)
    evidence = [
        {**e, "html": mark_safe(selectors.highlight(e["snippet"]))}  # noqa: S308 - escaped
        for e in classification.evidence
    ]
    sections = classification.evidence_sections.order_by("citation")
    return render(
        request,
        "research/classification_detail.html",
        {"c": classification, "corpus": classification.corpus, "form": form,
         "evidence": evidence, "sections": sections,
         "proposed_label": TermClass(classification.proposed_class).label},
    )  # fmt: skip


def _findings_context(corpus) -> dict:
    result = selectors.findings(corpus=corpus)
    bars = [
        Bar(label=str(SHORT_LABELS[s["class"]]), value=s["percent"],
            text=f"{s['percent']}%" if s["percent"] is not None else None)
        for s in result.shares
    ]  # fmt: skip
    return {
        "corpus": corpus,
        "findings": result,
        "map": class_tile_map(
            result.by_code, title=_('How each state uses "peace officer" (reviewed classes)')
        ),
        "legend": legend(),
        "chart": hbar_chart(
            bars, title=_("Share of reviewed jurisdictions in each class"), max_value=100,
            unit="%", label_width=220,
        ),
        "generated_at": timezone.now(),
    }  # fmt: skip


def findings(request, corpus_id: int):
    """The findings: shares from reviewed classes, the map, the table; CSV and PDF links."""
    corpus = access_corpus(request.user, corpus_id)
    return render(request, "research/findings.html", _findings_context(corpus))


def findings_csv(request, corpus_id: int):
    """The findings table as CSV."""
    corpus = access_corpus(request.user, corpus_id)
    header, rows = selectors.findings_csv_rows(corpus=corpus)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statute-findings-{corpus.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


def findings_pdf(request, corpus_id: int):
    """The printable brief (same template as the page's report section)."""
    corpus = access_corpus(request.user, corpus_id)
    pdf = render_report_pdf("research/brief.html", _findings_context(corpus))
    return pdf_response(pdf, f"statute-findings-{corpus.pk}.pdf")


def dashboard(request):
    """Program effectiveness across the apps: activity, trust change, coverage, training."""
    require_program_staff(request.user)
    activity = selectors.activity_over_time(months=12)
    available = [a for a in activity if a["available"]]
    series = {
        a["label"]: [(m.strftime("%Y-%m"), n) for m, n in a["months"]]
        for a in available
        if a["total"]
    }
    top = max((n for points in series.values() for _m, n in points), default=0)
    chart = (
        line_chart(dict(list(series.items())[:6]), title=_("Program activity per month"),
                   y_max=max(top, 1))
        if series
        else None
    )  # fmt: skip
    seats = selectors.seats_by_category()
    seat_chart = (
        hbar_chart(
            [Bar(label=s["category"], value=s["seats"]) for s in seats],
            title=_("Licence seats by category"),
        )
        if seats
        else None
    )
    return render(
        request,
        "research/dashboard.html",
        {
            "activity": activity,
            "chart": chart,
            "trust": selectors.trust_change(),
            "coverage": selectors.coverage(),
            "certifications": selectors.certifications(),
            "seats": seats,
            "seat_chart": seat_chart,
        },
    )


def dashboard_csv(request):
    """The dashboard's figures as CSV for annual and grant reports (suppressed cells as —)."""
    require_program_staff(request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="program-dashboard.csv"'
    writer = csv.writer(response)
    writer.writerow(["section", "item", "group", "value"])
    for a in selectors.activity_over_time(months=12):
        if not a["available"]:
            writer.writerow(["activity", a["label"], "total", "not available"])
            continue
        writer.writerow(["activity", a["label"], "total", a["total"]])
        for month, n in a["months"]:
            writer.writerow(["activity", a["label"], month.strftime("%Y-%m"), n])
    for t in selectors.trust_change():
        writer.writerow(
            ["trust", f"{t['survey'].pk}: {t['measure']}", "before", f"{t['mean_pre']:.2f}"]
        )
        writer.writerow(
            ["trust", f"{t['survey'].pk}: {t['measure']}", "after", f"{t['mean_post']:.2f}"]
        )
    for b in selectors.coverage():
        for r in b["rows"]:
            writer.writerow(["coverage", b["title"], r["label"], r["cell"].display])
    certs = selectors.certifications()
    if certs is not None:
        writer.writerow(["certification", "agencies certified", "", certs["active"]])
        writer.writerow(["certification", "expiring within 90 days", "", len(certs["expiring"])])
    for s in selectors.seats_by_category() or []:
        writer.writerow(["licence seats", s["category"], "bought", s["seats"]])
        writer.writerow(["licence seats", s["category"], "in use", s["used"]])
    return response
