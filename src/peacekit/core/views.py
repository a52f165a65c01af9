"""Core pages: dashboard, organizations and members, invitations, audit log, jobs, account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peacekit.core import selectors, services
from peacekit.core.access import (
    MANAGER_ROLES,
    access_jobrun,
    access_membership,
    access_object,
    access_organization,
    has_role,
    require_program_staff,
)
from peacekit.core.forms import (
    AcceptInvitationForm,
    ApiTokenForm,
    AuditFilterForm,
    InvitationForm,
    MembershipRoleForm,
    OrganizationForm,
)
from peacekit.core.middleware import SESSION_KEY, TWO_FACTOR_SESSION_KEY
from peacekit.core.models import Invitation, JobRun, Membership
from peacekit.core.navigation import card_groups, dashboard_cards, nav_for


def paginate(request: HttpRequest, queryset, per_page: int = 50):
    """A page of results from ?page=N (invalid numbers give the last or first page)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def form_errors_message(request: HttpRequest, form) -> None:
    """Flash each field error with its field's label, so the user knows what to fix."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


# ----------------------------------------------------------------------------- dashboard
def dashboard(request: HttpRequest) -> HttpResponse:
    organization = request.organization
    role = request.user.role_in(organization.pk) if organization else None
    summary = selectors.dashboard_summary(user=request.user, organization=organization)
    cards = [
        item
        for item in nav_for(request.user, organization.pk if organization else None)
        if item["url"] != reverse("core:dashboard")
    ]
    return render(
        request,
        "core/dashboard.html",
        {
            "summary": summary,
            "role": role,
            "role_label": dict(Membership.Role.choices).get(role, ""),
            "cards": cards,
            "card_groups": card_groups(cards),
            "dashboard_cards": dashboard_cards(request),
        },
    )


@require_POST
def switch_organization(request: HttpRequest) -> HttpResponse:
    organization = access_organization(request.user, request.POST.get("organization", ""))
    request.session[SESSION_KEY] = organization.pk
    messages.info(request, _("You are now working in %(name)s.") % {"name": organization.name})
    return redirect("core:dashboard")


# ----------------------------------------------------------------------------- organizations
def organization_list(request: HttpRequest) -> HttpResponse:
    organizations = selectors.organization_list(
        user=request.user, search=request.GET.get("q", ""), kind=request.GET.get("kind", "")
    )
    return render(
        request,
        "core/organization_list.html",
        {
            "page": paginate(request, organizations),
            "q": request.GET.get("q", ""),
            "kind": request.GET.get("kind", ""),
            "kinds": OrganizationForm.base_fields["kind"].choices,
        },
    )


def organization_create(request: HttpRequest) -> HttpResponse:
    require_program_staff(request.user)
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organization = services.organization_create(
            actor=request.user, name=data.pop("name"), kind=data.pop("kind"), **data
        )
        messages.success(request, _("Organization created."))
        return redirect(organization)
    return render(request, "core/organization_form.html", {"form": form, "creating": True})


def organization_detail(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = access_organization(request.user, organization_id)
    can_manage = has_role(request.user, organization.pk, MANAGER_ROLES)
    return render(
        request,
        "core/organization_detail.html",
        {
            "organization": organization,
            "memberships": selectors.membership_list(organization=organization),
            "invitations": selectors.invitation_list_open(organization=organization)
            if can_manage
            else [],
            "can_manage": can_manage,
            "invite_form": InvitationForm(allowed_roles=_invitable_roles(request.user)),
            "roles": Membership.Role.choices,
        },
    )


def organization_edit(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = access_organization(request.user, organization_id, roles=MANAGER_ROLES)
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        organization.refresh_from_db()
        services.organization_update(
            actor=request.user, organization=organization, **form.cleaned_data
        )
        messages.success(request, _("Organization saved."))
        return redirect(organization)
    return render(
        request, "core/organization_form.html", {"form": form, "organization": organization}
    )


def _invitable_roles(user) -> set[str]:
    roles = {choice for choice, _label in Membership.Role.choices}
    if not user.is_program_staff:
        roles.discard(Membership.Role.PROGRAM_ADMIN)
    return roles


@require_POST
def member_invite(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = access_organization(request.user, organization_id, roles=MANAGER_ROLES)
    form = InvitationForm(request.POST, allowed_roles=_invitable_roles(request.user))
    if form.is_valid():
        try:
            services.invitation_create(
                actor=request.user,
                organization=organization,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        else:
            messages.success(
                request,
                _("Invitation emailed to %(email)s.") % {"email": form.cleaned_data["email"]},
            )
    else:
        form_errors_message(request, form)
    return redirect(organization)


@require_POST
def membership_role(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = access_membership(request.user, membership_id)
    form = MembershipRoleForm(request.POST)
    if form.is_valid() and form.cleaned_data["role"] in _invitable_roles(request.user):
        try:
            services.membership_set(
                actor=request.user,
                organization=membership.organization,
                user=membership.user,
                role=form.cleaned_data["role"],
            )
            messages.success(request, _("Role changed."))
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
    else:
        messages.error(request, _("That role cannot be given here."))
    return redirect(membership.organization)


@require_POST
def membership_remove(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = access_membership(request.user, membership_id)
    organization = membership.organization
    try:
        services.membership_remove(actor=request.user, membership=membership)
        messages.success(request, _("Member removed."))
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    return redirect(organization)


@require_POST
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = access_object(
        request.user,
        Invitation.objects.select_related("organization"),
        invitation_id,
        roles=MANAGER_ROLES,
    )
    services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, _("Invitation revoked."))
    return redirect(invitation.organization)


@login_not_required
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_get_open(token=token)
    if invitation is None:
        return render(request, "core/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
            return redirect("login")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session[SESSION_KEY] = invitation.organization_id
        messages.success(
            request, _("Welcome to %(name)s.") % {"name": invitation.organization.name}
        )
        return redirect("core:dashboard")
    return render(request, "core/invitation_accept.html", {"form": form, "invitation": invitation})


# ----------------------------------------------------------------------------- audit log
def audit_log(request: HttpRequest) -> HttpResponse:
    require_program_staff(request.user)
    form = AuditFilterForm(request.GET or None)
    filters = form.filters()
    if request.method == "POST":
        job = services.jobrun_enqueue(
            kind="core.audit_export",
            actor=request.user,
            organization=request.organization,
            parameters=AuditFilterForm(request.POST).filters(),
        )
        messages.success(request, _("Export started. It will be ready to download here."))
        return redirect(job)
    return render(
        request,
        "core/audit_log.html",
        {
            "form": form,
            "page": paginate(request, selectors.auditevent_list(filters=filters)),
            "actions": selectors.auditevent_actions(),
            "querystring": request.GET.urlencode(),
        },
    )


# ----------------------------------------------------------------------------- jobs
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = selectors.jobrun_list(user=request.user, status=request.GET.get("status", ""))
    return render(
        request,
        "core/job_list.html",
        {
            "page": paginate(request, jobs),
            "statuses": JobRun.Status.choices,
            "status": request.GET.get("status", ""),
        },
    )


def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = access_jobrun(request.user, job_id)
    return render(request, "core/job_detail.html", {"job": job})


def job_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    """The progress panel alone, polled by htmx every second until the job finishes."""
    job = access_jobrun(request.user, job_id)
    if request.headers.get("Accept") == "application/json":
        return JsonResponse(
            {"status": job.status, "progress": job.progress, "message": job.message}
        )
    return render(request, "core/partials/job_progress.html", {"job": job})


@require_POST
def job_retry(request: HttpRequest, job_id: int) -> HttpResponse:
    job = access_jobrun(request.user, job_id)
    if not (job.created_by_id == request.user.pk or request.user.is_program_staff):
        raise PermissionDenied
    try:
        services.jobrun_retry(actor=request.user, job=job)
        messages.success(request, _("The job will run again."))
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    return redirect(job)


def job_download(request: HttpRequest, job_id: int) -> HttpResponse:
    job = access_jobrun(request.user, job_id)
    if not job.result_file:
        raise Http404("This job has no file.")
    services.audit_record(
        actor=request.user, action="job.download", obj=job, organization=job.organization
    )
    return FileResponse(
        job.result_file.open("rb"),
        as_attachment=True,
        filename=job.result_file.name.rsplit("/")[-1],
    )


# ----------------------------------------------------------------------------- account
def account(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = services.api_token_create(
            user=request.user,
            name=form.cleaned_data["name"],
            expires_in_days=form.cleaned_data["expires_in_days"],
        )
        form = ApiTokenForm()
    return render(
        request,
        "core/account.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": request.user.api_tokens.all(),
            "memberships": request.user.memberships.select_related("organization"),
        },
    )


@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = request.user.api_tokens.filter(pk=token_id).first()
    if token is None:
        raise Http404
    services.api_token_revoke(user=request.user, token=token)
    messages.success(request, _("Token revoked."))
    return redirect("core:account")


# ----------------------------------------------------------------------------- health
@login_not_required
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


# ----------------------------------------------------------------------------- two-factor
def _safe_next(request: HttpRequest) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or reverse("core:dashboard")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return reverse("core:dashboard")
    return target


def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Second step of sign-in: the code from the authenticator app."""
    if request.method == "POST":
        if services.two_factor_verify(user=request.user, code=request.POST.get("code", "")):
            request.session.cycle_key()
            request.session[TWO_FACTOR_SESSION_KEY] = True
            return redirect(_safe_next(request))
        messages.error(request, _("That code did not work. Enter the current 6-digit code."))
    return render(request, "core/two_factor_verify.html", {"next": _safe_next(request)})


def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code, then confirm with a code."""
    import qrcode
    import qrcode.image.svg

    from peacekit.core import totp
    from peacekit.core.models import TwoFactorDevice

    device = TwoFactorDevice.objects.filter(user=request.user).first()
    if request.method == "POST" and request.POST.get("action") == "disable":
        services.two_factor_disable(user=request.user)
        request.session.pop(TWO_FACTOR_SESSION_KEY, None)
        messages.success(request, _("Two-factor sign-in is off."))
        return redirect("core:account")
    if request.method == "POST" and device is not None:
        if services.two_factor_verify(
            user=request.user, code=request.POST.get("code", ""), confirm=True
        ):
            request.session[TWO_FACTOR_SESSION_KEY] = True
            messages.success(request, _("Two-factor sign-in is on."))
            return redirect("core:account")
        messages.error(
            request, _("That code did not work. Check the time on your phone and try again.")
        )
    if device is None or device.confirmed_at is not None and request.GET.get("reset"):
        device = services.two_factor_begin(user=request.user)
    uri = totp.provisioning_uri(device.secret, request.user.email)
    svg = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage).to_string(
        encoding="unicode"
    )
    return render(
        request,
        "core/two_factor_setup.html",
        {"device": device, "qr_svg": svg, "secret": device.secret},
    )
