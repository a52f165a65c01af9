"""Pages for Peace Initiatives: plan, sessions, capture, review, coverage, public pages."""

from __future__ import annotations

import csv
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peacekit.core.access import MANAGER_ROLES
from peacekit.core.ratelimit import rate_limited as core_rate_limited
from peacekit.core.services import jobrun_enqueue
from peacekit.listening import selectors, services
from peacekit.listening.access import (
    PLAN_ROLES,
    REVIEW_ROLES,
    access_import,
    access_initiative,
    access_session,
    access_statement,
    can,
)
from peacekit.listening.forms import (
    CloseSessionForm,
    HideForm,
    ImportForm,
    InitiativeForm,
    MicroCommunityForm,
    PublicStatementForm,
    RegistrationForm,
    SessionForm,
    StatementRowFormSet,
    TeamMemberForm,
    UploadForm,
)
from peacekit.listening.models import Initiative, ListeningSession, MicroCommunity, Statement
from peacekit.reports.charts import Bar, hbar_chart, line_chart


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# ----------------------------------------------------------------------------- initiatives
def initiative_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.initiative_list(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    org = request.organization
    return render(
        request,
        "listening/initiative_list.html",
        {"page": page, "can_create": org is not None and can_plan_org(request.user, org.pk)},
    )


def can_plan_org(user, organization_id) -> bool:
    from peacekit.core.access import has_role

    return has_role(user, organization_id, PLAN_ROLES)


def initiative_create(request: HttpRequest) -> HttpResponse:
    organization = request.organization
    if organization is None or not can_plan_org(request.user, organization.pk):
        raise PermissionDenied(_("Your role does not allow this."))
    form = InitiativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        initiative = services.initiative_create(
            actor=request.user, organization=organization, name=data.pop("name"),
            jurisdiction=data.pop("jurisdiction"), **data,
        )  # fmt: skip
        messages.success(request, _("Initiative created. Add micro-communities and sessions."))
        return redirect(initiative)
    return render(request, "listening/initiative_form.html", {"form": form, "creating": True})


def initiative_edit(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = access_initiative(request.user, initiative_id, roles=PLAN_ROLES)
    form = InitiativeForm(request.POST or None, instance=initiative)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.changed_data}
        try:
            services.initiative_update(actor=request.user, initiative=initiative, **data)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Initiative saved."))
            return redirect(initiative)
    return render(
        request, "listening/initiative_form.html", {"form": form, "initiative": initiative}
    )


def _public_url(request: HttpRequest, name: str, token: str) -> str:
    return request.build_absolute_uri(reverse(name, args=[token]))


def initiative_detail(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = access_initiative(request.user, initiative_id)
    can_plan = can(request.user, initiative, PLAN_ROLES)
    can_review = can(request.user, initiative, REVIEW_ROLES)
    published = Paginator(selectors.published_statements(initiative=initiative), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "listening/initiative_detail.html",
        {
            "initiative": initiative,
            "team": initiative.team.select_related("user"),
            "communities": initiative.micro_communities.all(),
            "sessions": initiative.sessions.select_related("micro_community"),
            "counts": services.statement_counts(initiative),
            "published": published,
            "can_plan": can_plan,
            "can_review": can_review,
            "can_manage": can(request.user, initiative, MANAGER_ROLES),
            "team_form": TeamMemberForm(initiative=initiative) if can_plan else None,
            "hide_form": HideForm(),
            "public_url": _public_url(
                request, "listening:public_initiative", initiative.public_token
            ),
        },
    )


@require_POST
def team_add(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = access_initiative(request.user, initiative_id, roles=PLAN_ROLES)
    form = TeamMemberForm(request.POST, initiative=initiative)
    if form.is_valid():
        try:
            services.team_member_set(actor=request.user, initiative=initiative, **form.cleaned_data)
            messages.success(request, _("Team updated."))
        except ValidationError as error:
            _errors(request, error)
    else:
        messages.error(request, _("Choose a person, a role and a training status."))
    return redirect(initiative)


def community_add(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = access_initiative(request.user, initiative_id, roles=PLAN_ROLES)
    form = MicroCommunityForm(request.POST or None, request.FILES or None)
    upload = UploadForm(prefix="import")
    if request.method == "POST" and "import-file" in request.FILES:
        upload = UploadForm(request.POST, request.FILES, prefix="import")
        form = MicroCommunityForm()
        if upload.is_valid():
            f = upload.cleaned_data["file"]
            try:
                created = services.micro_community_import(
                    actor=request.user, initiative=initiative, filename=f.name, data=f.read()
                )
            except ValidationError as error:
                _errors(request, error)
            else:
                messages.success(request, _("%(n)s groups imported.") % {"n": len(created)})
                return redirect(initiative)
    elif request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        boundary = data.pop("boundary_file", None)
        try:
            services.micro_community_create(
                actor=request.user, initiative=initiative, boundary=boundary,
                name=data.pop("name"), kind=data.pop("kind"), **data,
            )  # fmt: skip
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Group added."))
            return redirect(initiative)
    return render(
        request,
        "listening/community_form.html",
        {"initiative": initiative, "form": form, "upload": upload},
    )


# ----------------------------------------------------------------------------- sessions
def session_create(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = access_initiative(request.user, initiative_id, roles=PLAN_ROLES)
    form = SessionForm(request.POST or None, initiative=initiative)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        facilitators = data.pop("facilitators")
        session = services.session_create(
            actor=request.user, initiative=initiative, title=data.pop("title"),
            starts_at=data.pop("starts_at"), facilitators=facilitators, **data,
        )  # fmt: skip
        messages.success(request, _("Session planned."))
        return redirect(session)
    return render(request, "listening/session_form.html", {"form": form, "initiative": initiative})


def session_edit(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access_session(request.user, session_id, roles=PLAN_ROLES)
    form = SessionForm(request.POST or None, instance=session, initiative=session.initiative)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.changed_data}
        facilitators = data.pop("facilitators", None)
        services.session_update(
            actor=request.user, session=session, facilitators=facilitators, **data
        )
        messages.success(request, _("Session saved."))
        return redirect(session)
    return render(
        request,
        "listening/session_form.html",
        {"form": form, "initiative": session.initiative, "session": session},
    )


def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access_session(request.user, session_id)
    initiative = session.initiative
    return render(
        request,
        "listening/session_detail.html",
        {
            "session": session,
            "initiative": initiative,
            "facilitators": session.facilitators.all(),
            "registrations": session.registrations.all()
            if can(request.user, initiative, PLAN_ROLES)
            else [],
            "registered": session.registrations.filter(status="registered").count(),
            "waitlisted": session.registrations.filter(status="waitlisted").count(),
            "statement_total": session.statements.count(),
            "can_plan": can(request.user, initiative, PLAN_ROLES),
            "close_form": CloseSessionForm(),
            "public_url": _public_url(request, "listening:public_session", session.public_token),
        },
    )


@require_POST
def session_held(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access_session(request.user, session_id, roles=PLAN_ROLES)
    try:
        services.session_mark_held(actor=request.user, session=session)
        messages.success(request, _("Session marked as held."))
    except ValidationError as error:
        _errors(request, error)
    return redirect(session)


@require_POST
def session_close(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access_session(request.user, session_id, roles=PLAN_ROLES)
    form = CloseSessionForm(request.POST)
    if form.is_valid():
        try:
            services.session_close(actor=request.user, session=session, **form.cleaned_data)
            messages.success(request, _("Session closed."))
        except ValidationError as error:
            _errors(request, error)
    else:
        messages.error(request, _("Enter the number of attendees."))
    return redirect(session)


def capture(request: HttpRequest, session_id: int) -> HttpResponse:
    """The fast facilitator form: one statement per row, several rows at once."""
    session = access_session(request.user, session_id, roles=PLAN_ROLES)
    formset = StatementRowFormSet(request.POST or None, prefix="row")
    if request.method == "POST" and formset.is_valid():
        batch_key = request.POST.get("batch_key", "")[:40] or services.new_submission_key()
        items = [
            {**form.cleaned_data, "submission_key": f"{batch_key}-{i}"}
            for i, form in enumerate(formset.forms)
            if form.cleaned_data.get("text", "").strip()
        ]
        if not items:
            messages.error(request, _("Type at least one statement."))
        else:
            created = services.statements_submit(
                actor=request.user, initiative=session.initiative, items=items,
                source=Statement.Source.FACILITATOR, session=session,
            )  # fmt: skip
            messages.success(
                request,
                _("%(n)s statements saved; they wait for redaction review.") % {"n": len(created)},
            )
            return redirect("listening:capture", session_id=session.pk)
    return render(
        request,
        "listening/capture.html",
        {"session": session, "formset": formset, "batch_key": services.new_submission_key()},
    )


def session_qr(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access_session(request.user, session_id)
    return _qr_response(_public_url(request, "listening:public_session", session.public_token))


def initiative_qr(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = access_initiative(request.user, initiative_id)
    return _qr_response(
        _public_url(request, "listening:public_initiative", initiative.public_token)
    )


def _qr_response(url: str) -> HttpResponse:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


# ----------------------------------------------------------------------------- imports
def import_upload(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = access_initiative(request.user, initiative_id, roles=PLAN_ROLES)
    form = ImportForm(request.POST or None, request.FILES or None, initiative=initiative)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = services.import_create(
            actor=request.user, initiative=initiative, kind=form.cleaned_data["kind"],
            filename=upload.name, data=upload.read(), session=form.cleaned_data["session"],
        )  # fmt: skip
        return redirect("listening:import_detail", import_id=batch.pk)
    return render(request, "listening/import_form.html", {"initiative": initiative, "form": form})


def import_detail(request: HttpRequest, import_id: int) -> HttpResponse:
    batch = access_import(request.user, import_id, roles=PLAN_ROLES)
    return render(
        request, "listening/import_detail.html",
        {"batch": batch, "initiative": batch.initiative, "job": batch.job},
    )  # fmt: skip


# ----------------------------------------------------------------------------- review
def review_queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.review_queue(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "listening/review_queue.html", {"page": page})


def review_statement(request: HttpRequest, statement_id: int) -> HttpResponse:
    """The one page that shows raw text: proposed spans highlighted; every view is audited."""
    statement = access_statement(request.user, statement_id, roles=REVIEW_ROLES)
    if statement.status != Statement.Status.PENDING:
        messages.info(request, _("This statement has already been reviewed."))
        return redirect("listening:review_queue")
    if statement.awaiting_anonymizer:  # the background job has not reached it yet: do it now
        services.statements_anonymize(statement_ids=[statement.pk])
        statement.refresh_from_db()
    if request.method == "POST":
        keep = [int(v) for v in request.POST.getlist("keep") if v.isdigit()]
        phrases = [
            (p, request.POST.get("add_type", "REDACTED"))
            for p in request.POST.get("add_phrases", "").splitlines()
            if p.strip()
        ]
        try:
            services.statement_review(
                actor=request.user, statement=statement, keep_span_ids=keep,
                add_phrases=phrases, publish="publish" in request.POST,
            )  # fmt: skip
        except ValidationError as error:
            _errors(request, error)
        else:
            if "publish" in request.POST:
                messages.success(request, _("Statement published."))
                nxt = selectors.review_queue(user=request.user).first()
                if nxt is not None:
                    return redirect("listening:review_statement", statement_id=nxt.pk)
                return redirect("listening:review_queue")
            messages.success(request, _("Redactions updated."))
            return redirect("listening:review_statement", statement_id=statement.pk)
    raw = services.raw_text_for_review(actor=request.user, statement=statement)
    spans = list(statement.spans.exclude(status="rejected"))
    from peacekit.listening.anonymizer import segments

    pieces = segments(raw or "", [(s.start, s.end, s.entity_type, s.pk) for s in spans])
    response = render(
        request,
        "listening/review_statement.html",
        {"statement": statement, "pieces": pieces, "spans": spans, "raw_available": raw is not None,
         "span_text": {s.pk: (raw or "")[s.start:s.end] for s in spans}},
    )  # fmt: skip
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def statement_hide(request: HttpRequest, statement_id: int) -> HttpResponse:
    statement = access_statement(request.user, statement_id, roles=REVIEW_ROLES)
    form = HideForm(request.POST)
    if form.is_valid():
        services.statement_hide(
            actor=request.user, statement=statement, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Statement hidden from the public page."))
    return redirect(statement.initiative)


@require_POST
def purge_now(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = access_initiative(request.user, initiative_id, roles=MANAGER_ROLES)
    job = jobrun_enqueue(
        kind="listening.purge_raw_text", actor=request.user, organization=initiative.organization
    )
    messages.success(request, _("The retention purge has been started."))
    return redirect(job)


# ----------------------------------------------------------------------------- coverage
def coverage(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = access_initiative(request.user, initiative_id)
    data = selectors.coverage(initiative=initiative)
    bars = []
    for row in data["rows"]:
        name = row.community.name
        population = row.population_share
        share = row.participant_share
        bars.append(
            Bar(name, population, None if population is None else f"{population:.0f}%", "alt")
        )
        bars.append(
            Bar("", share, None if share is None else f"{share:.0f}%",
                "warn" if row.under_covered else "")
        )  # fmt: skip
    chart = hbar_chart(bars, title=_("Participants vs population share"), unit="%", label_width=230)
    timeline = data["timeline"]
    top = max([t["planned"] for t in timeline] + [1])
    trend = line_chart(
        {
            _("Planned"): [(t["month"].strftime("%b %Y"), t["planned"]) for t in timeline],
            _("Held"): [(t["month"].strftime("%b %Y"), t["held"]) for t in timeline],
        },
        title=_("Sessions per month"), y_max=top,
    )  # fmt: skip
    return render(
        request,
        "listening/coverage.html",
        {"initiative": initiative, "data": data, "chart": chart, "trend": trend},
    )


def coverage_csv(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = access_initiative(request.user, initiative_id)
    data = selectors.coverage(initiative=initiative)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["group", "kind", "under_represented", "sessions_planned", "sessions_held",
                     "participants", "statements", "population_share_pct",
                     "participant_share_pct", "under_covered"])  # fmt: skip
    for r in data["rows"]:
        writer.writerow([
            r.community.name, r.community.kind, int(r.community.under_represented), r.planned,
            r.held, "suppressed" if r.participants is None else r.participants,
            "suppressed" if r.statements is None else r.statements,
            "" if r.population_share is None else f"{r.population_share:.1f}",
            "" if r.participant_share is None else f"{r.participant_share:.1f}",
            int(r.under_covered),
        ])  # fmt: skip
    if data["note"]:
        writer.writerow([data["note"]])
    response = HttpResponse(out.getvalue(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="coverage-{initiative.pk}.csv"'
    return response


# ----------------------------------------------------------------------------- public pages
PARTICIPANT_COOKIE = "pk_listening"
RATE_LIMITS = {"statement": (10, 3600), "vote": (300, 3600), "register": (10, 3600)}


def rate_limited(request: HttpRequest, kind: str) -> bool:
    """The per-address limits of the public page (see core.ratelimit; scaled by
    PEACEKIT_RATE_LIMIT_SCALE like every public limit)."""
    limit, window = RATE_LIMITS[kind]
    return core_rate_limited(request, scope=f"listening.{kind}", limit=limit, window=window)


def _public_language(request: HttpRequest, initiative: Initiative | None = None) -> str:
    wanted = request.GET.get("lang") or request.POST.get("lang") or translation.get_language()
    wanted = (wanted or "en")[:2]
    if wanted not in dict(settings.LANGUAGES):
        wanted = "en"
    translation.activate(wanted)
    request.LANGUAGE_CODE = wanted
    return wanted


def _participant(request: HttpRequest) -> tuple[str, bool]:
    token = request.COOKIES.get(PARTICIPANT_COOKIE, "")
    if len(token) < 16:
        return services.new_participant_token(), True
    return token, False


def _with_cookie(response: HttpResponse, token: str, new: bool) -> HttpResponse:
    if new:
        response.set_cookie(
            PARTICIPANT_COOKIE, token, max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
            secure=request_is_secure_default(),
        )  # fmt: skip
    return response


def request_is_secure_default() -> bool:
    return bool(getattr(settings, "SESSION_COOKIE_SECURE", False))


def _public_token_ok(token: str) -> bool:
    """Public links carry URL-safe base64 tokens (`new_public_token`) of at most 32 characters;
    anything else is unknown without a query (as `surveys.access.public_wave`)."""
    token = str(token)
    return 0 < len(token) <= 32 and all(c.isascii() and (c.isalnum() or c in "-_") for c in token)


def _public_initiative(token: str) -> Initiative:
    if not _public_token_ok(token):
        raise Http404("Not found.")
    initiative = (
        Initiative.objects.select_related("organization").filter(public_token=token).first()
    )
    if initiative is None or initiative.status == Initiative.Status.CLOSED:
        raise Http404("Not found.")
    return initiative


def _statement_post(request, initiative_token: str, session=None):
    """A statement sent from a public page, before the page itself is loaded: the redirect to
    the thanks note when it is stored (or was already, same key), the limit page when the
    address sent too many; None when the page must be shown (form errors, kept on the
    request) or the link is unknown or closed (the page look-up answers 404)."""
    lang = _public_language(request)
    token, new = _participant(request)
    if rate_limited(request, "statement"):
        response = render(request, "listening/public_limited.html", {"lang": lang}, status=429)
        return _with_cookie(response, token, new)
    chosen = request.POST.get("micro_community")  # optional; its choices are read only if set
    form = PublicStatementForm(
        request.POST,
        micro_communities=(
            MicroCommunity.objects.filter(initiative__public_token=initiative_token)
            if chosen
            else MicroCommunity.objects.none()
        ),
    )
    request.statement_form = form
    if not (_public_token_ok(initiative_token) and form.is_valid()):
        return None
    data = form.cleaned_data
    stored = services.statement_submit_public(
        initiative_token=initiative_token, text=data["text"],
        submission_key=data["submission_key"], session=session,
        micro_community=data["micro_community"], age_band=data["age_band"],
        speaker_role=data["speaker_role"], language=lang,
    )  # fmt: skip
    if not stored:
        return None
    return _with_cookie(redirect(f"{request.path}?lang={lang}&thanks=statement"), token, new)


def _is_statement_post(request) -> bool:
    return request.method == "POST" and request.POST.get("action") == "statement"


def _public_page(request, initiative, session, template):
    lang = _public_language(request, initiative)
    token, new = _participant(request)
    registration_form = None  # the blank forms are built only when a page is shown
    form = getattr(request, "statement_form", None)  # a statement sent with errors
    thanks = request.GET.get("thanks", "")
    if request.method == "POST" and request.POST.get("action") == "register" and session:
        registration_form = RegistrationForm(request.POST)
        if rate_limited(request, "register"):
            return render(request, "listening/public_limited.html", {"lang": lang}, status=429)
        if registration_form.is_valid():
            try:
                registration = services.registration_submit(
                    session=session, **registration_form.cleaned_data
                )
            except ValidationError as error:
                registration_form.add_error(None, error)
            else:
                return _with_cookie(
                    redirect(f"{request.path}?lang={lang}&thanks={registration.status}"), token, new
                )
    if form is None:
        form = PublicStatementForm(
            initial={"submission_key": services.new_submission_key()},
            micro_communities=initiative.micro_communities.all(),
        )
    if registration_form is None:
        registration_form = RegistrationForm(
            initial={"submission_key": services.new_submission_key()}
        )
    statements, mine, voted = selectors.statements_to_vote(
        initiative=initiative, participant_hash=services.hash_participant(token),
        exclude_session=session,
    )  # fmt: skip
    response = render(
        request,
        template,
        {
            "initiative": initiative, "session": session, "form": form, "lang": lang,
            "registration_form": registration_form, "statements": statements, "voted": voted,
            "thanks": thanks, "other_lang": "en" if lang == "es" else "es",
        },
    )  # fmt: skip
    return _with_cookie(response, token, new)


@login_not_required
def public_initiative(request: HttpRequest, initiative_token: str) -> HttpResponse:
    """The public page of an initiative: share a statement, vote on others. No account."""
    if _is_statement_post(request):
        response = _statement_post(request, initiative_token)
        if response is not None:
            return response
    initiative = _public_initiative(initiative_token)
    return _public_page(request, initiative, None, "listening/public_page.html")


@login_not_required
def public_session(request: HttpRequest, session_token: str) -> HttpResponse:
    """The public page of a session: register (or join the waitlist), share, vote."""
    if not _public_token_ok(session_token):
        raise Http404("Not found.")
    session = (
        ListeningSession.objects.select_related("initiative", "micro_community")
        .filter(public_token=session_token)
        .first()
    )
    if session is None or session.initiative.status == Initiative.Status.CLOSED:
        raise Http404("Not found.")
    if _is_statement_post(request):
        response = _statement_post(request, session.initiative.public_token, session)
        if response is not None:
            return response
    return _public_page(request, session.initiative, session, "listening/public_page.html")


@login_not_required
@require_POST
def public_vote(request: HttpRequest, initiative_token: str) -> HttpResponse:
    # The common path (a valid vote on a published statement of an open initiative) is one
    # statement; anything else looks the initiative up (404 for an unknown or closed one).
    lang = _public_language(request, None)
    token, new = _participant(request)
    if rate_limited(request, "vote"):
        return render(request, "listening/public_limited.html", {"lang": lang}, status=429)
    statement_id = request.POST.get("statement", "")
    try:
        value = int(request.POST.get("value", ""))
    except ValueError:
        value = 99
    voted = (
        _public_token_ok(initiative_token)
        and statement_id.isdigit()
        and len(statement_id) < 18
        and value in (-1, 0, 1)
        and services.vote_cast_public(
            initiative_token=initiative_token,
            statement_id=int(statement_id),
            participant_token=token,
            value=value,
        )  # fmt: skip
    )
    if not voted:
        _public_initiative(initiative_token)  # 404 unless the initiative is open
    back = request.POST.get("next", "")
    if not back.startswith("/listening/"):
        back = reverse("listening:public_initiative", args=[initiative_token])
    return _with_cookie(redirect(f"{back}?lang={lang}"), token, new)
