"""Routes for 360 evaluations (mounted at /evaluations/)."""

from django.urls import path

from peacekit.evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("", views.cycle_list, name="cycle_list"),
    path("cycles/new/", views.cycle_create, name="cycle_create"),
    path("cycles/<int:cycle_id>/", views.cycle_detail, name="cycle_detail"),
    path("cycles/<int:cycle_id>/import/", views.cycle_import, name="cycle_import"),
    path("cycles/<int:cycle_id>/candidates/add/", views.candidate_add, name="candidate_add"),
    path("cycles/<int:cycle_id>/open/", views.cycle_open, name="cycle_open"),
    path("cycles/<int:cycle_id>/invite/", views.cycle_invite, name="cycle_invite"),
    path("cycles/<int:cycle_id>/remind/", views.cycle_remind, name="cycle_remind"),
    path("cycles/<int:cycle_id>/close/", views.cycle_close, name="cycle_close"),
    path("cycles/<int:cycle_id>/regenerate/", views.cycle_regenerate, name="cycle_regenerate"),
    path("cycles/<int:cycle_id>/pdfs/", views.cycle_prepare_pdfs, name="cycle_prepare_pdfs"),
    path("cycles/<int:cycle_id>/approve/", views.raters_approve, name="raters_approve"),
    path("cycles/<int:cycle_id>/progress/", views.cycle_progress, name="cycle_progress"),
    path("cycles/<int:cycle_id>/cohort/", views.cycle_cohort, name="cycle_cohort"),
    path("candidates/<int:candidate_id>/", views.candidate_detail, name="candidate_detail"),
    path("candidates/<int:candidate_id>/raters/add/", views.rater_add, name="rater_add"),
    path(
        "candidates/<int:candidate_id>/nomination-link/",
        views.candidate_nomination,
        name="candidate_nomination",
    ),
    path("candidates/<int:candidate_id>/report/", views.candidate_report, name="candidate_report"),
    path("candidates/<int:candidate_id>/group/", views.candidate_group, name="candidate_group"),
    path("raters/<int:rater_id>/remove/", views.rater_remove, name="rater_remove"),
    path("reports/<int:report_id>/", views.report_detail, name="report_detail"),
    path("reports/<int:report_id>/pdf/", views.report_pdf, name="report_pdf"),
    path("rate/thanks/", views.rate_thanks, name="rate_thanks"),
    path("rate/<str:token>/", views.rate, name="rate"),
    path("rate/<str:token>/decline/", views.rate_decline, name="rate_decline"),
    path("nominate/<str:token>/", views.nominate, name="nominate"),
]
