"""Pages for the Peace Initiative report: versions, generate, compare, share, open data."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peacekit.core.models import JobRun
from peacekit.listening.access import access_initiative, can
from peacekit.reports import selectors, services
from peacekit.reports.access import REPORT_ROLES, access_report_run, access_share
from peacekit.reports.forms import GenerateForm, ShareForm
from peacekit.reports.models import ReportRun
from peacekit.reports.rendering import pdf_response, render_report_html


def initiative_reports(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = access_initiative(request.user, initiative_id)
    runs = list(
        initiative.report_runs.select_related("micro_community", "created_by").defer("html", "pdf")
    )
    job = (
        JobRun.objects.filter(kind="reports.generate", parameters__initiative_id=initiative.pk)
        .order_by("-created_at", "-pk")
        .first()
    )
    return render(
        request,
        "reports/initiative_reports.html",
        {
            "initiative": initiative, "runs": runs, "job": job,
            "can_report": can(request.user, initiative, REPORT_ROLES),
            "form": GenerateForm(initiative=initiative),
        },
    )  # fmt: skip


@require_POST
def generate(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = access_initiative(request.user, initiative_id, roles=REPORT_ROLES)
    form = GenerateForm(request.POST, initiative=initiative)
    if form.is_valid():
        services.report_enqueue(
            actor=request.user, initiative=initiative, community=form.cleaned_data["community"]
        )
        messages.success(request, _("The report is being generated; this page shows its progress."))
    else:
        messages.error(request, _("Choose a scope."))
    return redirect("reports:initiative_reports", initiative.pk)


def preview(request: HttpRequest, initiative_id: int) -> HttpResponse:
    """The report as a web page, live from the current data (what the next version will hold)."""
    initiative = access_initiative(request.user, initiative_id)
    context = selectors.report_context(initiative)
    return HttpResponse(render_report_html(request, services.TEMPLATE, context))


def open_data(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = access_initiative(request.user, initiative_id, roles=REPORT_ROLES)
    data = services.open_data_export(actor=request.user, initiative=initiative)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="open-data-{initiative.pk}.zip"'
    return response


def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access_report_run(request.user, run_id)
    others = run.initiative.report_runs.exclude(pk=run.pk).filter(status=ReportRun.Status.DONE)
    compare = None
    other_id = request.GET.get("with", "")
    if other_id.isdigit():
        other = others.filter(pk=int(other_id)).defer("html", "pdf").first()
        if other is not None:
            compare = {"other": other, "diff": services.report_compare(other, run)}
    share_link = request.session.pop("report_share_link", None)
    return render(
        request,
        "reports/run_detail.html",
        {
            "run": run, "initiative": run.initiative, "others": others.defer("html", "pdf"),
            "compare": compare, "can_report": can(request.user, run.initiative, REPORT_ROLES),
            "share_form": ShareForm(), "shares": run.shares.all(), "share_link": share_link,
        },
    )  # fmt: skip


def run_html(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access_report_run(request.user, run_id)
    services.download_record(actor=request.user, run=run, kind="html")
    return HttpResponse(run.html)


def run_pdf(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access_report_run(request.user, run_id)
    if not run.pdf:
        raise Http404("Not ready.")
    services.download_record(actor=request.user, run=run, kind="pdf")
    return pdf_response(bytes(run.pdf), f"peace-initiative-report-v{run.version}.pdf")


@require_POST
def share(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access_report_run(request.user, run_id, roles=REPORT_ROLES)
    form = ShareForm(request.POST)
    if form.is_valid():
        try:
            _share, token = services.share_create(actor=request.user, run=run, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            request.session["report_share_link"] = request.build_absolute_uri(
                reverse("reports:shared", args=[token])
            )
            messages.success(request, _("Share link created. Copy it now; it is shown once."))
    else:
        messages.error(request, _("Choose between 1 and 90 days."))
    return redirect("reports:run_detail", run.pk)


@require_POST
def share_revoke(request: HttpRequest, share_id: int) -> HttpResponse:
    share = access_share(request.user, share_id, roles=REPORT_ROLES)
    services.share_revoke(actor=request.user, share=share)
    messages.success(request, _("The link no longer works."))
    return redirect("reports:run_detail", share.run_id)


@login_not_required
def shared(request: HttpRequest, share_token: str) -> HttpResponse:
    """A shared report, without an account, until the link expires."""
    from peacekit.listening.views import _public_language

    lang = _public_language(request, None)
    share = services.share_resolve(share_token)
    if share is None:
        return render(request, "reports/shared_expired.html", status=410)
    if request.GET.get("format") == "pdf":
        services.download_record(actor=None, run=share.run, kind="pdf", share=share)
        return pdf_response(
            bytes(share.run.pdf), f"peace-initiative-report-v{share.run.version}.pdf"
        )
    if request.GET.get("format") == "html":
        services.download_record(actor=None, run=share.run, kind="html", share=share)
        return HttpResponse(share.run.html)
    return render(
        request,
        "reports/shared.html",
        {
            "share": share,
            "run": share.run,
            "lang": lang,
            "other_lang": "en" if lang == "es" else "es",
        },
    )
