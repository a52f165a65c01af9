"""Pledges pages: public sign-on, registry and get-involved forms; the agency's promise,
checklist, toolkit, documentary and symbol orders; program staff's verification and queues.

Views are thin: forms validate, access helpers fetch, services write, selectors read.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peacekit.core.access import (
    MANAGER_ROLES,
    access_organization,
    has_role,
    require_program_staff,
)
from peacekit.core.models import US_STATES
from peacekit.core.ratelimit import rate_limited
from peacekit.pledges import documents, selectors, services
from peacekit.pledges.access import (
    EDIT_ROLES,
    access_checklist_item,
    access_documentary,
    access_evidence,
    access_footage_upload,
    access_involvement,
    access_promise,
    access_promise_event,
    access_step_template,
    access_symbol_order,
    access_toolkit_template,
)
from peacekit.pledges.forms import (
    ChecklistItemForm,
    DocumentaryForm,
    DocumentaryStatusForm,
    EventForm,
    EvidenceForm,
    InvolvementForm,
    InvolvementStatusForm,
    PromiseTemplateForm,
    SignOnForm,
    StepTemplateForm,
    SymbolOrderForm,
    SymbolOrderStatusForm,
    ToolkitTemplateForm,
)
from peacekit.pledges.map import tile_map
from peacekit.pledges.models import (
    ChecklistItem,
    DocumentaryRequest,
    InvolvementRequest,
    Promise,
    PromiseEvent,
    SymbolOrder,
    ToolkitTemplate,
)

SESSION_SIGNON = "pledges_signon_id"


def _paginate(request: HttpRequest, queryset, per_page: int = 50):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError onto the form, next to the field it names."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for item in errors:
                form.add_error(field if field in form.fields else None, item)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _flash(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


PUBLIC_POSTS_PER_HOUR = 30


def _rate_limited(request: HttpRequest, scope: str) -> bool:
    """True once one address has sent too many public forms this hour (a spam brake)."""
    return rate_limited(request, scope=f"pledges.{scope}", limit=PUBLIC_POSTS_PER_HOUR, window=3600)


def _active_organization(request: HttpRequest):
    organization = request.organization
    if organization is None:
        raise Http404(_("You are not a member of any organization."))
    return organization


# ----------------------------------------------------------------------------- public
@login_not_required
def registry(request: HttpRequest) -> HttpResponse:
    """Every organization that made the Promise, with a map shaded by state."""
    state = request.GET.get("state", "")
    if state not in dict(US_STATES):
        state = ""
    search = request.GET.get("q", "").strip()[:100]
    promises = selectors.registry_list(search=search, state=state)
    counts = selectors.registry_state_counts()
    return render(
        request,
        "pledges/registry.html",
        {
            "page": _paginate(request, promises),
            "q": search,
            "state": state,
            "states": US_STATES,
            "map": tile_map(counts, selected=state),
            "total": sum(counts.values()),
            "querystring": urlencode({k: v for k, v in (("q", search), ("state", state)) if v}),
        },
    )


@login_not_required
def sign_on(request: HttpRequest) -> HttpResponse:
    """The public sign-on form for an agency or community."""
    form = SignOnForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and _rate_limited(request, "sign_on"):
        form.full_clean()
        form.add_error(None, _("Too many sign-ons from your network. Try again in an hour."))
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            promise, _created = services.promise_sign_on(**data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            request.session[SESSION_SIGNON] = promise.pk
            return redirect("pledges:sign_on_done")
    return render(
        request,
        "pledges/sign_on.html",
        {
            "form": form,
            "example": selectors.promise_template_current().render(_("[your organization]")),
        },
    )


@login_not_required
def sign_on_done(request: HttpRequest) -> HttpResponse:
    promise_id = request.session.get(SESSION_SIGNON)
    promise = Promise.objects.filter(pk=promise_id).first() if promise_id else None
    if promise is None:
        return redirect("pledges:sign_on")
    return render(request, "pledges/sign_on_done.html", {"promise": promise})


@login_not_required
def documentary_guide(request: HttpRequest) -> HttpResponse:
    return render(request, "pledges/documentary_guide.html")


@login_not_required
def get_involved(request: HttpRequest) -> HttpResponse:
    form = InvolvementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and _rate_limited(request, "get_involved"):
        form.full_clean()
        form.add_error(None, _("Too many requests from your network. Try again in an hour."))
    elif request.method == "POST" and form.is_valid():
        try:
            services.involvement_submit(**form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return redirect("pledges:get_involved_done")
    return render(request, "pledges/get_involved.html", {"form": form})


@login_not_required
def get_involved_done(request: HttpRequest) -> HttpResponse:
    return render(request, "pledges/get_involved_done.html")


# ----------------------------------------------------------------------------- the promise
def overview(request: HttpRequest) -> HttpResponse:
    """The active organization's Promise: status, text, event, and what to do next."""
    organization = request.organization
    promise = (
        selectors.promise_for_organization(organization=organization) if organization else None
    )
    progress = selectors.checklist_progress(organization=organization) if organization else 0
    summary = selectors.program_summary() if request.user.is_program_staff else {}
    return render(
        request,
        "pledges/overview.html",
        {
            "organization": organization,
            "promise": promise,
            "progress": progress,
            "summary": summary,
        },
    )


def promise_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in Promise.Status.values:
        status = ""
    if not status and request.user.is_program_staff and "status" not in request.GET:
        status = Promise.Status.PENDING
    return render(
        request,
        "pledges/promise_list.html",
        {
            "page": _paginate(request, selectors.promise_list(user=request.user, status=status)),
            "status": status,
            "statuses": Promise.Status.choices,
            "querystring": f"status={status}" if status else "",
        },
    )


def promise_detail(request: HttpRequest, promise_id: int) -> HttpResponse:
    promise = access_promise(request.user, promise_id)
    can_manage = promise.organization_id is not None and has_role(
        request.user, promise.organization_id, MANAGER_ROLES
    )
    return render(
        request,
        "pledges/promise_detail.html",
        {
            "promise": promise,
            "events": selectors.promise_events(promise=promise),
            "event_form": EventForm(),
            "can_manage": can_manage,
            "rendered": promise.promise_text
            or selectors.promise_template_current().render(promise.display_name),
            "toolkit": selectors.toolkit_templates() if promise.organization_id else [],
        },
    )


@require_POST
def promise_verify(request: HttpRequest, promise_id: int) -> HttpResponse:
    require_program_staff(request.user)
    promise = access_promise(request.user, promise_id)
    try:
        services.promise_verify(actor=request.user, promise=promise)
        messages.success(request, _("Sign-on verified; the organization is in the registry."))
    except ValidationError as error:
        _flash(request, error)
    return redirect(promise)


@require_POST
def promise_reject(request: HttpRequest, promise_id: int) -> HttpResponse:
    require_program_staff(request.user)
    promise = access_promise(request.user, promise_id)
    try:
        services.promise_reject(actor=request.user, promise=promise)
        messages.info(request, _("Sign-on marked as not verified."))
    except ValidationError as error:
        _flash(request, error)
    return redirect(promise)


@require_POST
def event_schedule(request: HttpRequest, promise_id: int) -> HttpResponse:
    promise = access_promise(request.user, promise_id, roles=MANAGER_ROLES)
    form = EventForm(request.POST)
    if form.is_valid():
        try:
            services.promise_event_schedule(
                actor=request.user, promise=promise, **form.cleaned_data
            )
            messages.success(request, _("Event scheduled."))
        except ValidationError as error:
            _flash(request, error)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(promise)


@require_POST
def event_status(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_promise_event(request.user, event_id, roles=MANAGER_ROLES)
    try:
        services.promise_event_set_status(
            actor=request.user, event=event, status=request.POST.get("status", "")
        )
        messages.success(request, _("Event updated."))
    except ValidationError as error:
        _flash(request, error)
    return redirect(event.promise)


@require_GET
def certificate(request: HttpRequest, promise_id: int) -> HttpResponse:
    promise = access_promise(request.user, promise_id)
    if promise.status != Promise.Status.VERIFIED:
        raise Http404(_("The certificate is ready once the sign-on is verified."))
    pdf = documents.certificate_pdf(
        promise=promise,
        events=promise.events.exclude(status=PromiseEvent.Status.CANCELLED),
    )
    return _download(pdf, "application/pdf", f"peace-officer-promise-{promise.pk}.pdf")


def promise_template(request: HttpRequest) -> HttpResponse:
    """Program staff edit the Promise wording (each save is a new version)."""
    require_program_staff(request.user)
    current = selectors.promise_template_current()
    form = PromiseTemplateForm(
        request.POST or None, initial={"title": current.title, "body": current.body}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.promise_template_save(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Promise text saved; new sign-ons use it."))
            return redirect("pledges:promise_template")
    return render(
        request,
        "pledges/promise_template.html",
        {"form": form, "current": current, "example": current.render("Anytown Police Department")},
    )


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ----------------------------------------------------------------------------- checklist
def checklist_home(request: HttpRequest) -> HttpResponse:
    organization = _active_organization(request)
    return redirect("pledges:checklist", organization_id=organization.pk)


def checklist(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = access_organization(request.user, organization_id)
    the_checklist = selectors.checklist_get(organization=organization)
    can_edit = has_role(request.user, organization.pk, EDIT_ROLES)
    if the_checklist is None and can_edit and request.method == "POST":
        services.checklist_ensure(actor=request.user, organization=organization)
        messages.success(request, _("Your checklist is ready."))
        return redirect("pledges:checklist", organization_id=organization.pk)
    items = list(selectors.checklist_items(checklist=the_checklist)) if the_checklist else []
    members = selectors.organization_members(organization=organization)
    return render(
        request,
        "pledges/checklist.html",
        {
            "organization": organization,
            "checklist": the_checklist,
            "items": items,
            "summary": selectors.checklist_summary(items),
            "can_edit": can_edit,
            "add_form": ChecklistItemForm(members=members),
            "evidence_form": EvidenceForm(),
            "max_upload_mb": _max_upload_mb(),
            "statuses": ChecklistItem.Status.choices,
        },
    )


def _max_upload_mb() -> str:
    from django.conf import settings

    return f"{settings.PEACEKIT_MAX_UPLOAD_BYTES / (1024 * 1024):.0f} MB"


@require_POST
def checklist_item_add(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = access_organization(request.user, organization_id, roles=EDIT_ROLES)
    the_checklist = services.checklist_ensure(actor=request.user, organization=organization)
    form = ChecklistItemForm(
        request.POST, members=selectors.organization_members(organization=organization)
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.checklist_item_add(
                actor=request.user,
                checklist=the_checklist,
                title=data["title"],
                description=data["description"],
                owner=data["owner"],
                due_date=data["due_date"],
            )
            messages.success(request, _("Step added."))
        except ValidationError as error:
            _flash(request, error)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("pledges:checklist", organization_id=organization.pk)


def checklist_item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_checklist_item(request.user, item_id, roles=EDIT_ROLES)
    organization = item.checklist.organization
    members = selectors.organization_members(organization=organization)
    form = ChecklistItemForm(
        request.POST or None,
        members=members,
        initial={
            "title": item.title,
            "description": item.description,
            "owner": item.owner_id,
            "due_date": item.due_date,
            "status": item.status,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.checklist_item_update(
                actor=request.user,
                item=item,
                title=data["title"],
                description=data["description"],
                owner=data["owner"],
                due_date=data["due_date"],
                status=data["status"] or item.status,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Step saved."))
            return redirect("pledges:checklist", organization_id=organization.pk)
    return render(
        request,
        "pledges/checklist_item_form.html",
        {"form": form, "item": item, "organization": organization},
    )


@require_POST
def checklist_item_status(request: HttpRequest, item_id: int) -> HttpResponse:
    """Quick status change from the checklist table."""
    item = access_checklist_item(request.user, item_id, roles=EDIT_ROLES)
    status = request.POST.get("status", "")
    if status not in ChecklistItem.Status.values:
        messages.error(request, _("Choose a status from the list."))
    else:
        services.checklist_item_update(
            actor=request.user,
            item=item,
            title=item.title,
            description=item.description,
            owner=item.owner,
            due_date=item.due_date,
            status=status,
        )
        messages.success(request, _("Status saved."))
    return redirect("pledges:checklist", organization_id=item.checklist.organization_id)


@require_POST
def checklist_item_move(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_checklist_item(request.user, item_id, roles=EDIT_ROLES)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    services.checklist_item_move(actor=request.user, item=item, direction=direction)
    return redirect("pledges:checklist", organization_id=item.checklist.organization_id)


@require_POST
def checklist_item_remove(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_checklist_item(request.user, item_id, roles=EDIT_ROLES)
    organization_id = item.checklist.organization_id
    services.checklist_item_remove(actor=request.user, item=item)
    messages.success(request, _("Step removed."))
    return redirect("pledges:checklist", organization_id=organization_id)


@require_POST
def evidence_upload(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_checklist_item(request.user, item_id, roles=EDIT_ROLES)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.checklist_evidence_add(
                actor=request.user, item=item, upload=form.cleaned_data["file"]
            )
            messages.success(request, _("Evidence attached."))
        except ValidationError as error:
            _flash(request, error)
    else:
        messages.error(request, _("Choose a file to attach."))
    return redirect("pledges:checklist", organization_id=item.checklist.organization_id)


@require_GET
def evidence_download(request: HttpRequest, evidence_id: int) -> FileResponse:
    evidence = access_evidence(request.user, evidence_id)
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name
    )


@require_POST
def evidence_remove(request: HttpRequest, evidence_id: int) -> HttpResponse:
    evidence = access_evidence(request.user, evidence_id, roles=EDIT_ROLES)
    organization_id = evidence.item.checklist.organization_id
    services.checklist_evidence_remove(actor=request.user, evidence=evidence)
    messages.success(request, _("Evidence removed."))
    return redirect("pledges:checklist", organization_id=organization_id)


@require_GET
def checklist_export(request: HttpRequest, organization_id: int, fmt: str) -> HttpResponse:
    organization = access_organization(request.user, organization_id)
    the_checklist = selectors.checklist_get(organization=organization)
    items = list(selectors.checklist_items(checklist=the_checklist)) if the_checklist else []
    name = f"promise-checklist-{slugify(organization.name)[:60]}"
    if fmt == "xlsx":
        content = documents.checklist_xlsx(organization=organization, items=items)
        return _download(content, documents.XLSX_TYPE, f"{name}.xlsx")
    if fmt == "pdf":
        content = documents.checklist_pdf(organization=organization, items=items)
        return _download(content, "application/pdf", f"{name}.pdf")
    raise Http404("Unknown format.")


def step_template_list(request: HttpRequest) -> HttpResponse:
    """Program staff maintain the checklist every new agency copy starts from."""
    require_program_staff(request.user)
    form = StepTemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.checklist_step_template_add(
            actor=request.user,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
        )
        messages.success(request, _("Step added to the template."))
        return redirect("pledges:step_template_list")
    return render(
        request,
        "pledges/step_template_list.html",
        {"steps": selectors.checklist_step_templates(), "form": form},
    )


def step_template_edit(request: HttpRequest, step_id: int) -> HttpResponse:
    step = access_step_template(request.user, step_id)
    form = StepTemplateForm(
        request.POST or None,
        initial={"title": step.title, "description": step.description, "is_active": step.is_active},
    )
    if request.method == "POST" and form.is_valid():
        services.checklist_step_template_update(actor=request.user, step=step, **form.cleaned_data)
        messages.success(request, _("Template step saved."))
        return redirect("pledges:step_template_list")
    return render(request, "pledges/step_template_form.html", {"form": form, "step": step})


@require_POST
def step_template_move(request: HttpRequest, step_id: int) -> HttpResponse:
    step = access_step_template(request.user, step_id)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    services.checklist_step_template_move(actor=request.user, step=step, direction=direction)
    return redirect("pledges:step_template_list")


# ----------------------------------------------------------------------------- toolkit
def toolkit(request: HttpRequest) -> HttpResponse:
    organization = _active_organization(request)
    return render(
        request,
        "pledges/toolkit.html",
        {"organization": organization, "templates": selectors.toolkit_templates()},
    )


@require_GET
def toolkit_download(
    request: HttpRequest, organization_id: int, kind: str, fmt: str
) -> HttpResponse:
    organization = access_organization(request.user, organization_id)
    template = ToolkitTemplate.objects.filter(kind=kind).first()
    if template is None or fmt not in {"docx", "pdf"}:
        raise Http404("Unknown document.")
    document = selectors.toolkit_document(template=template, organization=organization)
    name = f"{kind.replace('_', '-')}-{slugify(organization.name)[:60]}"
    if fmt == "docx":
        return _download(
            documents.toolkit_docx(document=document), documents.DOCX_TYPE, f"{name}.docx"
        )
    return _download(documents.toolkit_pdf(document=document), "application/pdf", f"{name}.pdf")


def toolkit_template_list(request: HttpRequest) -> HttpResponse:
    require_program_staff(request.user)
    return render(
        request, "pledges/toolkit_template_list.html", {"templates": selectors.toolkit_templates()}
    )


def toolkit_template_edit(request: HttpRequest, template_id: int) -> HttpResponse:
    template = access_toolkit_template(request.user, template_id)
    form = ToolkitTemplateForm(
        request.POST or None, initial={"title": template.title, "body": template.body}
    )
    if request.method == "POST" and form.is_valid():
        services.toolkit_template_update(actor=request.user, template=template, **form.cleaned_data)
        messages.success(request, _("Toolkit document saved."))
        return redirect("pledges:toolkit_template_list")
    return render(
        request, "pledges/toolkit_template_form.html", {"form": form, "template": template}
    )


# ----------------------------------------------------------------------------- documentary
def documentary_list(request: HttpRequest) -> HttpResponse:
    organization = request.organization
    can_request = organization is not None and has_role(
        request.user, organization.pk, MANAGER_ROLES
    )
    form = DocumentaryForm(
        request.POST or None, initial={"contact_email": request.user.email, "length_minutes": 3}
    )
    if request.method == "POST":
        if not can_request:
            raise PermissionDenied(_("Your role does not allow this."))
        if form.is_valid():
            created = services.documentary_request_create(
                actor=request.user, organization=organization, **form.cleaned_data
            )
            messages.success(request, _("Documentary requested. Follow the guide to film."))
            return redirect(created)
    return render(
        request,
        "pledges/documentary_list.html",
        {
            "page": _paginate(request, selectors.documentary_list(user=request.user)),
            "form": form,
            "can_request": can_request,
        },
    )


def documentary_detail(request: HttpRequest, documentary_id: int) -> HttpResponse:
    documentary = access_documentary(request.user, documentary_id)
    return render(
        request,
        "pledges/documentary_detail.html",
        {
            "documentary": documentary,
            "uploads": documentary.uploads.all(),
            "can_upload": has_role(request.user, documentary.organization_id, MANAGER_ROLES),
            "status_form": DocumentaryStatusForm(
                initial={"status": documentary.status, "delivery_url": documentary.delivery_url}
            ),
            "steps": DocumentaryRequest.Status.choices[:-1],
            "current_step": DocumentaryRequest.Status.values.index(documentary.status),
        },
    )


@require_POST
def documentary_status(request: HttpRequest, documentary_id: int) -> HttpResponse:
    require_program_staff(request.user)
    documentary = access_documentary(request.user, documentary_id)
    form = DocumentaryStatusForm(request.POST)
    if form.is_valid():
        try:
            services.documentary_status_set(
                actor=request.user, request=documentary, **form.cleaned_data
            )
            messages.success(request, _("Status saved."))
        except ValidationError as error:
            _flash(request, error)
    else:
        messages.error(request, _("Check the status and link."))
    return redirect(documentary)


@require_POST
def footage_start(request: HttpRequest, documentary_id: int) -> JsonResponse:
    """Begin a resumable upload: {name, size} → {id, received, url}."""
    documentary = access_documentary(request.user, documentary_id, roles=MANAGER_ROLES)
    try:
        size = int(request.POST.get("size", ""))
    except ValueError:
        return JsonResponse({"error": _("Send the file size in bytes.")}, status=400)
    try:
        upload = services.footage_upload_start(
            actor=request.user,
            request=documentary,
            original_name=request.POST.get("name", "footage")[:200],
            total_bytes=size,
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse(_upload_state(upload), status=201)


def _upload_state(upload) -> dict:
    return {
        "id": upload.pk,
        "received": upload.received_bytes,
        "total": upload.total_bytes,
        "status": upload.status,
        "chunk_url": reverse("pledges:footage_chunk", args=[upload.pk]),
    }


@require_GET
def footage_status(request: HttpRequest, upload_id: int) -> JsonResponse:
    """Where to resume: the bytes the server already holds."""
    upload = access_footage_upload(request.user, upload_id)
    return JsonResponse(_upload_state(upload))


@require_POST
def footage_chunk(request: HttpRequest, upload_id: int) -> JsonResponse:
    """Receive the raw bytes of one chunk at ?offset=N."""
    upload = access_footage_upload(request.user, upload_id, roles=MANAGER_ROLES)
    try:
        offset = int(request.GET.get("offset", ""))
    except ValueError:
        return JsonResponse({"error": _("Send the chunk's offset.")}, status=400)
    try:
        received = services.footage_upload_chunk(
            actor=request.user, upload=upload, offset=offset, data=request.body
        )
    except ValidationError as error:
        upload.refresh_from_db()
        return JsonResponse(
            {"error": " ".join(error.messages), **_upload_state(upload)}, status=409
        )
    upload.refresh_from_db()
    return JsonResponse({**_upload_state(upload), "received": received})


@require_GET
def footage_download(request: HttpRequest, upload_id: int) -> FileResponse:
    upload = access_footage_upload(request.user, upload_id)
    if not upload.file:
        raise Http404(_("The upload is not finished."))
    return FileResponse(upload.file.open("rb"), as_attachment=True, filename=upload.original_name)


# ----------------------------------------------------------------------------- symbols
def order_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in SymbolOrder.Status.values:
        status = ""
    orders = selectors.symbol_order_list(user=request.user, status=status)
    return render(
        request,
        "pledges/order_list.html",
        {
            "page": _paginate(request, orders),
            "status": status,
            "statuses": SymbolOrder.Status.choices,
            "querystring": f"status={status}" if status else "",
            "can_order": request.organization is not None
            and has_role(request.user, request.organization.pk, MANAGER_ROLES),
        },
    )


def order_create(request: HttpRequest) -> HttpResponse:
    organization = _active_organization(request)
    if not has_role(request.user, organization.pk, MANAGER_ROLES):
        raise PermissionDenied(_("Your role does not allow this."))
    form = SymbolOrderForm(
        request.POST or None,
        initial={
            "ship_to_name": organization.name,
            "city": organization.city,
            "state": organization.state,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            order, _created = services.symbol_order_create(
                actor=request.user,
                organization=organization,
                quantities=form.quantities(),
                submission_key=form.cleaned_data["submission_key"],
                **form.address(),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Order received. We will tell you when it ships."))
            return redirect(order)
    return render(request, "pledges/order_form.html", {"form": form, "organization": organization})


def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    order = access_symbol_order(request.user, order_id)
    return render(
        request,
        "pledges/order_detail.html",
        {
            "order": order,
            "lines": order.lines.all(),
            "status_form": SymbolOrderStatusForm(
                initial={"status": order.status, "tracking_number": order.tracking_number}
            ),
        },
    )


@require_POST
def order_status(request: HttpRequest, order_id: int) -> HttpResponse:
    require_program_staff(request.user)
    order = access_symbol_order(request.user, order_id)
    form = SymbolOrderStatusForm(request.POST)
    if form.is_valid():
        services.symbol_order_status_set(actor=request.user, order=order, **form.cleaned_data)
        messages.success(request, _("Order status saved."))
    else:
        messages.error(request, _("Choose a status from the list."))
    return redirect(order)


# ----------------------------------------------------------------------------- get involved
def involvement_list(request: HttpRequest) -> HttpResponse:
    require_program_staff(request.user)
    status = request.GET.get("status", "")
    if status not in InvolvementRequest.Status.values:
        status = ""
    kind = request.GET.get("kind", "")
    if kind not in InvolvementRequest.Kind.values:
        kind = ""
    return render(
        request,
        "pledges/involvement_list.html",
        {
            "page": _paginate(request, selectors.involvement_list(status=status, kind=kind)),
            "status": status,
            "kind": kind,
            "statuses": InvolvementRequest.Status.choices,
            "kinds": InvolvementRequest.Kind.choices,
            "querystring": urlencode({k: v for k, v in (("status", status), ("kind", kind)) if v}),
        },
    )


@require_POST
def involvement_status(request: HttpRequest, involvement_id: int) -> HttpResponse:
    involvement = access_involvement(request.user, involvement_id)
    form = InvolvementStatusForm(request.POST)
    if form.is_valid():
        services.involvement_status_set(
            actor=request.user, request=involvement, status=form.cleaned_data["status"]
        )
        messages.success(request, _("Status saved."))
    else:
        messages.error(request, _("Choose a status from the list."))
    return redirect("pledges:involvement_list")


# ----------------------------------------------------------------------------- exports
def registry_csv_bytes(rows: list[dict]) -> bytes:
    """The registry rows as CSV (UTF-8 with BOM so spreadsheet programs read accents)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer,
        fieldnames=["organization", "kind", "city", "state", "state_name", "promise_date", "demo"],
    )
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                key: (f"'{value}" if isinstance(value, str) and value[:1] in "=+-@" else value)
                for key, value in row.items()
            }
        )
    return ("\ufeff" + buffer.getvalue()).encode()
