"""Reports: the Peace Initiative report (versions, sharing) and open data."""

from django.urls import path

from peacekit.reports import views

app_name = "reports"

urlpatterns = [
    path("initiatives/<int:initiative_id>/", views.initiative_reports, name="initiative_reports"),
    path("initiatives/<int:initiative_id>/generate/", views.generate, name="generate"),
    path("initiatives/<int:initiative_id>/preview/", views.preview, name="preview"),
    path("initiatives/<int:initiative_id>/open-data.zip", views.open_data, name="open_data"),
    path("runs/<int:run_id>/", views.run_detail, name="run_detail"),
    path("runs/<int:run_id>/report.html", views.run_html, name="run_html"),
    path("runs/<int:run_id>/report.pdf", views.run_pdf, name="run_pdf"),
    path("runs/<int:run_id>/share/", views.share, name="share"),
    path("shares/<int:share_id>/revoke/", views.share_revoke, name="share_revoke"),
    path("shared/<str:share_token>/", views.shared, name="shared"),
]
