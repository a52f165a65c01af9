"""Research URLs (mounted at /research/)."""

from django.urls import path

from peacekit.research import views

app_name = "research"

urlpatterns = [
    path("", views.corpus_list, name="corpus_list"),
    path("new/", views.corpus_create, name="corpus_create"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard.csv", views.dashboard_csv, name="dashboard_csv"),
    path("<int:corpus_id>/import/", views.import_upload, name="import_upload"),
    path("imports/<int:import_run_id>/", views.import_detail, name="import_detail"),
    path("<int:corpus_id>/review/", views.review, name="review"),
    path("classifications/<int:classification_id>/", views.classification_detail,
         name="classification_detail"),
    path("<int:corpus_id>/findings/", views.findings, name="findings"),
    path("<int:corpus_id>/findings.csv", views.findings_csv, name="findings_csv"),
    path("<int:corpus_id>/brief.pdf", views.findings_pdf, name="findings_pdf"),
]  # fmt: skip
