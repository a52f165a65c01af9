"""Training pages: thin views over access helpers, services and selectors."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peacekit.core.access import (
    MANAGER_ROLES,
    STAFF_ROLES,
    access_organization,
    has_role,
    require_program_staff,
    visible_organization_ids,
)
from peacekit.core.models import Organization
from peacekit.core.services import audit_record
from peacekit.reports.rendering import pdf_response, render_report_pdf
from peacekit.training import selectors, services
from peacekit.training.access import (
    access_certificate,
    access_certification,
    access_course,
    access_learner,
    access_offering,
    access_requirement,
    access_seat,
)
from peacekit.training.forms import (
    CourseForm,
    EnrollForm,
    LearnerForm,
    ModuleForm,
    OfferingForm,
    PlaqueForm,
    PolicyForm,
    PoolForm,
    QuestionForm,
    QuizForm,
    RequirementForm,
    RosterImportForm,
    VerifyForm,
)
from peacekit.training.models import (
    Certificate,
    CertificationRequirement,
    Course,
    Enrollment,
    Learner,
    LearnerCategory,
    Seat,
)


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _form_errors(request: HttpRequest, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


class _Echo:
    def write(self, value):
        return value


def _csv_response(rows, filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _active_org_redirect(request: HttpRequest, name: str) -> HttpResponse:
    if request.organization is None:
        raise Http404("No organization.")
    return redirect(name, request.organization.pk)


# ----------------------------------------------------------------------------- catalog
def course_list(request: HttpRequest) -> HttpResponse:
    modality = request.GET.get("modality", "")
    topic = request.GET.get("topic", "")
    return render(
        request,
        "training/course_list.html",
        {
            "courses": selectors.course_list(user=request.user, topic=topic, modality=modality),
            "modalities": Course.Modality.choices,
            "topics": CourseForm.base_fields["topics"].choices,
            "modality": modality,
            "topic": topic,
            "can_create": request.user.is_program_staff,
        },
    )


def course_create(request: HttpRequest) -> HttpResponse:
    require_program_staff(request.user)
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organization = request.organization
        if organization is None or organization.kind != Organization.Kind.PROGRAM:
            organization = Organization.objects.filter(kind=Organization.Kind.PROGRAM).first()
        course = services.course_create(
            actor=request.user, organization=organization or request.organization,
            **form.cleaned_data,
        )  # fmt: skip
        messages.success(request, _("Course added to the catalog."))
        return redirect(course)
    return render(request, "training/course_form.html", {"form": form})


def course_edit(request: HttpRequest, course_id: int) -> HttpResponse:
    course = access_course(request.user, course_id, manage=True)
    form = CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        course.refresh_from_db()
        services.course_update(actor=request.user, course=course, **form.cleaned_data)
        messages.success(request, _("Course saved."))
        return redirect(course)
    return render(request, "training/course_form.html", {"form": form, "course": course})


def course_detail(request: HttpRequest, course_id: int) -> HttpResponse:
    course = access_course(request.user, course_id)
    can_manage = has_role(request.user, course.organization_id, MANAGER_ROLES)
    can_schedule = request.user.is_program_staff or bool(
        request.organization and has_role(request.user, request.organization.pk, MANAGER_ROLES)
    )
    return render(
        request,
        "training/course_detail.html",
        {
            "course": course,
            "modules": course.modules.all(),
            "questions": course.questions.all() if can_manage else [],
            "question_count": course.questions.count(),
            "offerings": selectors.offering_list(course=course, user=request.user),
            "can_manage": can_manage,
            "can_schedule": can_schedule,
            "module_form": ModuleForm(),
            "question_form": QuestionForm(),
        },
    )


@require_POST
def module_add(request: HttpRequest, course_id: int) -> HttpResponse:
    course = access_course(request.user, course_id, manage=True)
    form = ModuleForm(request.POST)
    if form.is_valid():
        services.module_add(actor=request.user, course=course, **form.cleaned_data)
        messages.success(request, _("Page added."))
    else:
        _form_errors(request, form)
    return redirect(course)


@require_POST
def question_add(request: HttpRequest, course_id: int) -> HttpResponse:
    course = access_course(request.user, course_id, manage=True)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.question_add(actor=request.user, course=course, **form.cleaned_data)
            messages.success(request, _("Question added."))
        except ValidationError as error:
            _errors(request, error)
    else:
        _form_errors(request, form)
    return redirect(course)


# ----------------------------------------------------------------------------- offerings
def _schedulable_organizations(request: HttpRequest):
    ids = visible_organization_ids(request.user)
    qs = Organization.objects.filter(is_active=True)
    if ids is not None:
        managed = [oid for oid in ids if has_role(request.user, oid, MANAGER_ROLES)]
        qs = qs.filter(pk__in=managed)
    return qs.order_by("name")


def offering_create(request: HttpRequest, course_id: int) -> HttpResponse:
    course = access_course(request.user, course_id)
    organizations = _schedulable_organizations(request)
    if not organizations.exists():
        raise PermissionDenied("Your role does not allow this.")
    form = OfferingForm(
        request.POST or None,
        organizations=organizations,
        initial={"organization": request.organization},
    )
    if request.method == "POST" and form.is_valid():
        offering = services.offering_create(actor=request.user, course=course, **form.cleaned_data)
        messages.success(request, _("Offering scheduled."))
        return redirect(offering)
    return render(request, "training/offering_form.html", {"form": form, "course": course})


def offering_detail(request: HttpRequest, offering_id: int) -> HttpResponse:
    offering = access_offering(request.user, offering_id, roles=STAFF_ROLES)
    roster = offering.enrollments.select_related("learner", "certificate").order_by(
        "learner__full_name"
    )
    enrolled_ids = [e.learner_id for e in roster]
    return render(
        request,
        "training/offering_detail.html",
        {
            "offering": offering,
            "roster": roster,
            "candidates": Learner.objects.filter(organization=offering.organization)
            .exclude(pk__in=enrolled_ids)
            .order_by("full_name")[:500],
            "can_manage": has_role(request.user, offering.organization_id, MANAGER_ROLES),
            "evaluations": selectors.offering_evaluations(offering=offering),
        },
    )


@require_POST
def offering_evaluation(request: HttpRequest, offering_id: int) -> HttpResponse:
    offering = access_offering(request.user, offering_id, roles=MANAGER_ROLES)
    try:
        survey = services.offering_evaluation_create(actor=request.user, offering=offering)
    except services.EvaluationUnavailable:
        messages.error(request, _("Evaluation surveys are not available."))
        return redirect(offering)
    messages.success(request, _("Evaluation survey ready: share its before and after links."))
    return redirect(survey)


@require_POST
def offering_enroll(request: HttpRequest, offering_id: int) -> HttpResponse:
    offering = access_offering(request.user, offering_id, roles=MANAGER_ROLES)
    form = EnrollForm(request.POST)
    if form.is_valid():
        learner = Learner.objects.filter(
            organization=offering.organization, pk=form.cleaned_data["learner"]
        ).first()
        if learner is None:
            messages.error(request, _("Choose a person from the agency's roster."))
        else:
            try:
                services.offering_enroll(actor=request.user, offering=offering, learner=learner)
                messages.success(request, _("Added to the roster."))
            except ValidationError as error:
                _errors(request, error)
    return redirect(offering)


@require_POST
def enrollment_attendance(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    from peacekit.core.access import access_object

    enrollment = access_object(
        request.user,
        Enrollment.objects.select_related("course", "offering", "learner"),
        enrollment_id,
        roles=MANAGER_ROLES,
    )
    services.attendance_record(
        actor=request.user, enrollment=enrollment, attended=request.POST.get("attended") == "1"
    )
    messages.success(request, _("Attendance saved."))
    return redirect(enrollment.offering or enrollment.learner)


# ----------------------------------------------------------------------------- licences
def my_licences(request: HttpRequest) -> HttpResponse:
    return _active_org_redirect(request, "training:licences")


def licences(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = access_organization(request.user, organization_id, roles=STAFF_ROLES)
    can_manage = has_role(request.user, organization.pk, MANAGER_ROLES)
    form = PoolForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("Your role does not allow this.")
        if form.is_valid():
            try:
                services.licence_pool_set(actor=request.user, organization=organization,
                                          **form.cleaned_data)  # fmt: skip
                messages.success(request, _("Licences saved."))
                return redirect("training:licences", organization.pk)
            except ValidationError as error:
                _errors(request, error)
    usage = selectors.licence_usage(organization=organization)
    return render(
        request,
        "training/licences.html",
        {
            "organization": organization,
            "usage": usage,
            "total_size": sum(u.pool.size for u in usage),
            "total_used": sum(u.used for u in usage),
            "alerts": [u for u in usage if u.level],
            "form": form,
            "can_manage": can_manage,
        },
    )


def my_learners(request: HttpRequest) -> HttpResponse:
    return _active_org_redirect(request, "training:learner_list")


def learner_list(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = access_organization(request.user, organization_id, roles=STAFF_ROLES)
    can_manage = has_role(request.user, organization.pk, MANAGER_ROLES)
    form = LearnerForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("Your role does not allow this.")
        if form.is_valid():
            try:
                learner = services.learner_create(
                    actor=request.user, organization=organization, **form.cleaned_data
                )
                messages.success(request, _("%(name)s added.") % {"name": learner.full_name})
                return redirect(learner)
            except ValidationError as error:
                _errors(request, error)
    filters = {
        "search": request.GET.get("q", ""),
        "category": request.GET.get("category", ""),
        "seat": request.GET.get("seat", ""),
    }
    page = Paginator(selectors.learner_list(organization=organization, **filters), 50).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "training/learner_list.html",
        {
            "organization": organization,
            "page": page,
            "filters": filters,
            "querystring": query.urlencode(),
            "categories": LearnerCategory.choices,
            "seat_states": Seat.Status.choices,
            "form": form,
            "can_manage": can_manage,
        },
    )


def roster_import(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = access_organization(request.user, organization_id, roles=MANAGER_ROLES)
    form = RosterImportForm(request.POST or None, request.FILES or None)
    row_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = services.roster_import(
                actor=request.user,
                organization=organization,
                content=form.cleaned_data["file"].read(),
                assign_seats=form.cleaned_data["assign_seats"],
            )
        except services.RosterImportError as error:
            row_errors = error.row_errors
        else:
            messages.success(
                request,
                _("Roster imported: %(c)s added, %(u)s updated, %(s)s seats assigned.")
                % {"c": result.created, "u": result.updated, "s": result.seats_assigned},
            )
            return redirect("training:learner_list", organization.pk)
    return render(
        request,
        "training/roster_import.html",
        {"organization": organization, "form": form, "row_errors": row_errors},
    )


def completions_export(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = access_organization(request.user, organization_id, roles=STAFF_ROLES)
    audit_record(actor=request.user, action="training.export", obj=organization)
    stamp = timezone.localdate().isoformat()
    return _csv_response(
        selectors.completion_rows(organization=organization),
        f"completions-{organization.slug}-{stamp}.csv",
    )


def learner_detail(request: HttpRequest, learner_id: int) -> HttpResponse:
    learner = access_learner(request.user, learner_id, roles=STAFF_ROLES)
    return render(
        request,
        "training/learner_detail.html",
        {
            "learner": learner,
            "seat": selectors.learner_seat(learner=learner),
            "transcript": selectors.transcript(learner=learner),
            "can_manage": has_role(request.user, learner.organization_id, MANAGER_ROLES),
        },
    )


@require_POST
def learner_assign(request: HttpRequest, learner_id: int) -> HttpResponse:
    learner = access_learner(request.user, learner_id, roles=MANAGER_ROLES)
    try:
        seat = services.licence_assign(actor=request.user, learner=learner)
        messages.success(request, _("Seat %(seat)s assigned.") % {"seat": seat})
    except ValidationError as error:
        _errors(request, error)
    return redirect(learner)


@require_POST
def learner_send_link(request: HttpRequest, learner_id: int) -> HttpResponse:
    learner = access_learner(request.user, learner_id, roles=MANAGER_ROLES)
    services.learner_send_link(actor=request.user, learner=learner)
    messages.success(
        request, _("A personal course link was emailed to %(email)s.") % {"email": learner.email}
    )
    return redirect(learner)


def learner_transcript_csv(request: HttpRequest, learner_id: int) -> HttpResponse:
    learner = access_learner(request.user, learner_id, roles=STAFF_ROLES)
    data = selectors.transcript(learner=learner)
    rows = [["learner", "course", "completed_on", "contact_hours", "ce_credits", "certificate"]]
    for e in data["completed"]:
        certificate = getattr(e, "certificate", None)
        rows.append([
            learner.full_name, e.course.title,
            timezone.localdate(e.completed_at).isoformat() if e.completed_at else "",
            e.course.contact_hours, e.ce_credits, certificate.code if certificate else "",
        ])  # fmt: skip
    rows.append(["", _("Total"), "", data["total_hours"], data["total_ce"], ""])
    return _csv_response(rows, f"transcript-{learner.pk}.csv")


@require_POST
def seat_revoke(request: HttpRequest, seat_id: int) -> HttpResponse:
    seat = access_seat(request.user, seat_id)
    learner = seat.learner
    try:
        services.licence_revoke(actor=request.user, seat=seat)
        messages.success(request, _("Seat revoked; it can be assigned to someone else."))
    except ValidationError as error:
        _errors(request, error)
    return redirect(learner or reverse("training:licences", args=[seat.organization_id]))


# ----------------------------------------------------------------------------- certificates
def _certificate_pdf(certificate: Certificate, request: HttpRequest) -> HttpResponse:
    verify_url = request.build_absolute_uri(
        reverse("training:verify_code", args=[certificate.code])
    )
    pdf = render_report_pdf(
        "training/certificate_pdf.html",
        {"certificate": certificate, "verify_url": verify_url, "qr_svg": _qr_svg(verify_url)},
    )
    return pdf_response(pdf, f"certificate-{certificate.code}.pdf")


def _qr_svg(url: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=6, border=1)
    return image.to_string(encoding="unicode")


def certificate_pdf(request: HttpRequest, certificate_id: int) -> HttpResponse:
    certificate = access_certificate(request.user, certificate_id)
    return _certificate_pdf(certificate, request)


@require_POST
def certificate_revoke(request: HttpRequest, certificate_id: int) -> HttpResponse:
    certificate = access_certificate(request.user, certificate_id)
    if not has_role(request.user, certificate.organization_id, MANAGER_ROLES):
        raise PermissionDenied("Your role does not allow this.")
    if certificate.is_valid:
        services.certificate_revoke(actor=request.user, certificate=certificate)
        messages.success(request, _("Certificate revoked: its verification page now says so."))
    return redirect(certificate.enrollment.learner)


@login_not_required
def verify(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        return redirect("training:verify_code", form.cleaned_data["code"].strip())
    return render(request, "training/verify.html", {"form": form})


@login_not_required
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    certificate = selectors.certificate_verify(code=code)
    return render(
        request,
        "training/verify.html",
        {"form": VerifyForm(initial={"code": code}), "certificate": certificate, "code": code},
        status=200 if certificate else 404,
    )


# ----------------------------------------------------------------------------- learning
def _learner_for(request: HttpRequest, token: str | None) -> Learner:
    if token is not None:
        learner = services.learner_from_token(token=token)
    else:
        learner = selectors.learner_for_user(user=request.user)
    if learner is None:
        raise Http404("Not found.")
    return learner


def _learn_home(request: HttpRequest, token: str | None) -> HttpResponse:
    if token is None and selectors.learner_for_user(user=request.user) is None:
        return render(request, "training/learn_none.html")
    learner = _learner_for(request, token)
    return render(
        request,
        "training/learn_home.html",
        {
            "learner": learner,
            "token": token,
            "seat": selectors.learner_seat(learner=learner),
            "courses": selectors.learner_courses(learner=learner),
            "transcript": selectors.transcript(learner=learner),
        },
    )


def _learn_course(request: HttpRequest, token: str | None, course_id: int) -> HttpResponse:
    learner = _learner_for(request, token)
    course = Course.objects.filter(
        pk=course_id, is_published=True, modality=Course.Modality.ONLINE
    ).first()
    if course is None:
        raise Http404("Not found.")
    try:
        enrollment = services.enrollment_start(learner=learner, course=course)
    except ValidationError as error:
        return render(
            request,
            "training/learn_blocked.html",
            {"learner": learner, "token": token, "message": error.messages[0]},
            status=403,
        )
    modules = list(course.modules.all())
    current = None
    if modules:
        wanted = request.GET.get("page", "")
        current = next((m for m in modules if str(m.pk) == wanted), modules[0])
        services.module_view(enrollment=enrollment, module=current)
    index = modules.index(current) if current else 0
    return render(
        request,
        "training/learn_course.html",
        {
            "learner": learner,
            "token": token,
            "course": course,
            "enrollment": enrollment,
            "modules": modules,
            "current": current,
            "previous": modules[index - 1] if current and index > 0 else None,
            "next": modules[index + 1] if current and index + 1 < len(modules) else None,
            "has_quiz": course.questions.exists(),
        },
    )


def _learn_quiz(request: HttpRequest, token: str | None, course_id: int) -> HttpResponse:
    learner = _learner_for(request, token)
    enrollment = (
        Enrollment.objects.select_related("course")
        .filter(learner=learner, course_id=course_id, offering__isnull=True)
        .first()
    )
    if enrollment is None:
        raise Http404("Not found.")
    questions = list(enrollment.course.questions.all())
    form = QuizForm(request.POST or None, questions=questions)
    attempt = None
    if request.method == "POST" and form.is_valid():
        try:
            attempt = services.quiz_submit(
                enrollment=enrollment,
                answers=form.answers(),
                submission_key=form.cleaned_data["submission_key"],
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            enrollment.refresh_from_db()
            form = QuizForm(questions=questions)
    return render(
        request,
        "training/learn_quiz.html",
        {
            "learner": learner,
            "token": token,
            "course": enrollment.course,
            "enrollment": enrollment,
            "form": form,
            "attempt": attempt,
            "certificate": Certificate.objects.filter(enrollment=enrollment).first(),
        },
    )


def _learn_certificate(request: HttpRequest, token: str | None, certificate_id: int):
    learner = _learner_for(request, token)
    certificate = Certificate.objects.filter(pk=certificate_id, enrollment__learner=learner).first()
    if certificate is None:
        raise Http404("Not found.")
    return _certificate_pdf(certificate, request)


@login_not_required
def learn_home(request, token):
    return _learn_home(request, token)


@login_not_required
def learn_course(request, token, course_id):
    return _learn_course(request, token, course_id)


@login_not_required
def learn_quiz(request, token, course_id):
    return _learn_quiz(request, token, course_id)


@login_not_required
def learn_certificate(request, token, certificate_id):
    return _learn_certificate(request, token, certificate_id)


def my_home(request):
    return _learn_home(request, None)


def my_course(request, course_id):
    return _learn_course(request, None, course_id)


def my_quiz(request, course_id):
    return _learn_quiz(request, None, course_id)


def my_certificate(request, certificate_id):
    return _learn_certificate(request, None, certificate_id)


# ----------------------------------------------------------------------------- certification
def certification_admin(request: HttpRequest) -> HttpResponse:
    require_program_staff(request.user)
    if request.method == "POST":
        from peacekit.core.services import jobrun_enqueue

        job = jobrun_enqueue(
            kind="training.certification_reminders",
            actor=request.user,
            organization=request.organization,
        )
        messages.success(request, _("Reminder run started."))
        return redirect(job)
    agencies = Organization.objects.filter(
        kind__in=[Organization.Kind.POLICE, Organization.Kind.SHERIFF], is_active=True
    ).order_by("name")
    return render(
        request,
        "training/certification_admin.html",
        {
            "requirements": CertificationRequirement.objects.all(),
            "certifications": selectors.certification_overview(),
            "overdue": selectors.plaques_overdue(),
            "agencies": agencies,
            "today": timezone.localdate(),
        },
    )


def requirement_edit(request: HttpRequest, requirement_id: int | None = None) -> HttpResponse:
    requirement = (
        access_requirement(request.user, requirement_id) if requirement_id is not None else None
    )
    require_program_staff(request.user)
    form = RequirementForm(request.POST or None, instance=requirement)
    if request.method == "POST" and form.is_valid():
        if requirement is not None:
            requirement.refresh_from_db()
        services.requirement_save(actor=request.user, requirement=requirement, **form.cleaned_data)
        messages.success(request, _("Requirement saved."))
        return redirect("training:certification_admin")
    return render(
        request, "training/requirement_form.html", {"form": form, "requirement": requirement}
    )


def my_certification(request: HttpRequest) -> HttpResponse:
    return _active_org_redirect(request, "training:certification_agency")


def certification_agency(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = access_organization(request.user, organization_id)
    checklist = selectors.certification_checklist(organization=organization)
    current = selectors.certification_current(organization=organization)
    return render(
        request,
        "training/certification_agency.html",
        {
            "organization": organization,
            "checklist": checklist,
            "all_met": bool(checklist) and all(item.met for item in checklist),
            "met_count": sum(1 for item in checklist if item.met),
            "current": current,
            "history": organization.certifications.all()[:10],
            "policies": organization.policy_attestations.all()[:10],
            "policy_form": PolicyForm(),
            "plaque_form": PlaqueForm(initial={"mailed_on": timezone.localdate()}),
            "can_manage": has_role(request.user, organization.pk, MANAGER_ROLES),
            "is_staff": request.user.is_program_staff,
            "today": timezone.localdate(),
        },
    )


@require_POST
def policy_attest(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = access_organization(request.user, organization_id, roles=MANAGER_ROLES)
    form = PolicyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.policy_attest(actor=request.user, organization=organization,
                                   **form.cleaned_data)  # fmt: skip
            messages.success(request, _("Policy attestation recorded."))
        except ValidationError as error:
            _errors(request, error)
    else:
        _form_errors(request, form)
    return redirect("training:certification_agency", organization.pk)


@require_POST
def certification_grant(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = access_organization(request.user, organization_id)
    require_program_staff(request.user)
    try:
        services.certification_grant(actor=request.user, organization=organization)
        messages.success(request, _("Certified for two years. The plaque is ordered."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("training:certification_agency", organization.pk)


@require_POST
def certification_renew(request: HttpRequest, certification_id: int) -> HttpResponse:
    certification = access_certification(request.user, certification_id)
    require_program_staff(request.user)
    try:
        services.certification_renew(actor=request.user, certification=certification)
        messages.success(request, _("Certification renewed for two more years."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("training:certification_agency", certification.organization_id)


@require_POST
def plaque_mailed(request: HttpRequest, certification_id: int) -> HttpResponse:
    certification = access_certification(request.user, certification_id)
    require_program_staff(request.user)
    form = PlaqueForm(request.POST)
    if form.is_valid():
        try:
            services.plaque_mark_mailed(
                actor=request.user,
                certification=certification,
                mailed_on=form.cleaned_data["mailed_on"],
                tracking=form.cleaned_data["tracking"],
            )
            messages.success(request, _("Plaque mailing recorded."))
        except ValidationError as error:
            _errors(request, error)
    else:
        _form_errors(request, form)
    return redirect("training:certification_agency", certification.organization_id)
