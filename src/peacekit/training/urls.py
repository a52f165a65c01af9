"""Training: courses, offerings, licences, enrollments, certificates, agency certification."""

from django.urls import path

from peacekit.training import views

app_name = "training"

urlpatterns = [
    # catalog
    path("", views.course_list, name="course_list"),
    path("courses/new/", views.course_create, name="course_create"),
    path("courses/<int:course_id>/", views.course_detail, name="course_detail"),
    path("courses/<int:course_id>/edit/", views.course_edit, name="course_edit"),
    path("courses/<int:course_id>/modules/new/", views.module_add, name="module_add"),
    path("courses/<int:course_id>/questions/new/", views.question_add, name="question_add"),
    path("courses/<int:course_id>/offerings/new/", views.offering_create, name="offering_create"),
    path("offerings/<int:offering_id>/", views.offering_detail, name="offering_detail"),
    path(
        "offerings/<int:offering_id>/evaluation/",
        views.offering_evaluation,
        name="offering_evaluation",
    ),
    path("offerings/<int:offering_id>/enroll/", views.offering_enroll, name="offering_enroll"),
    path(
        "enrollments/<int:enrollment_id>/attendance/",
        views.enrollment_attendance,
        name="enrollment_attendance",
    ),
    # licences and rosters
    path("licences/", views.my_licences, name="my_licences"),
    path("organizations/<int:organization_id>/licences/", views.licences, name="licences"),
    path("learners/", views.my_learners, name="my_learners"),
    path("organizations/<int:organization_id>/learners/", views.learner_list, name="learner_list"),
    path(
        "organizations/<int:organization_id>/learners/import/",
        views.roster_import,
        name="roster_import",
    ),
    path(
        "organizations/<int:organization_id>/completions.csv",
        views.completions_export,
        name="completions_export",
    ),
    path("learners/<int:learner_id>/", views.learner_detail, name="learner_detail"),
    path("learners/<int:learner_id>/assign/", views.learner_assign, name="learner_assign"),
    path("learners/<int:learner_id>/send-link/", views.learner_send_link, name="learner_send_link"),
    path(
        "learners/<int:learner_id>/transcript.csv",
        views.learner_transcript_csv,
        name="learner_transcript_csv",
    ),
    path("seats/<int:seat_id>/revoke/", views.seat_revoke, name="seat_revoke"),
    # certificates
    path("certificates/<int:certificate_id>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path(
        "certificates/<int:certificate_id>/revoke/",
        views.certificate_revoke,
        name="certificate_revoke",
    ),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify_code, name="verify_code"),
    # learning: personal link (no account) or signed in
    path("learn/<str:token>/", views.learn_home, name="learn_home"),
    path("learn/<str:token>/courses/<int:course_id>/", views.learn_course, name="learn_course"),
    path("learn/<str:token>/courses/<int:course_id>/quiz/", views.learn_quiz, name="learn_quiz"),
    path(
        "learn/<str:token>/certificates/<int:certificate_id>/pdf/",
        views.learn_certificate,
        name="learn_certificate",
    ),
    path("my/", views.my_home, name="my_home"),
    path("my/courses/<int:course_id>/", views.my_course, name="my_course"),
    path("my/courses/<int:course_id>/quiz/", views.my_quiz, name="my_quiz"),
    path("my/certificates/<int:certificate_id>/pdf/", views.my_certificate, name="my_certificate"),
    # agency certification
    path("certification/", views.certification_admin, name="certification_admin"),
    path("certification/requirements/new/", views.requirement_edit, name="requirement_create"),
    path(
        "certification/requirements/<int:requirement_id>/edit/",
        views.requirement_edit,
        name="requirement_edit",
    ),
    path("certification/mine/", views.my_certification, name="my_certification"),
    path(
        "organizations/<int:organization_id>/certification/",
        views.certification_agency,
        name="certification_agency",
    ),
    path(
        "organizations/<int:organization_id>/certification/policy/",
        views.policy_attest,
        name="policy_attest",
    ),
    path(
        "organizations/<int:organization_id>/certification/grant/",
        views.certification_grant,
        name="certification_grant",
    ),
    path(
        "certifications/<int:certification_id>/renew/",
        views.certification_renew,
        name="certification_renew",
    ),
    path(
        "certifications/<int:certification_id>/plaque/",
        views.plaque_mailed,
        name="plaque_mailed",
    ),
]
