from django.urls import path

from peacekit.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="survey_list"),
    path("new/", views.survey_create, name="survey_create"),
    path("library/", views.instrument_library, name="instrument_library"),
    path("<int:survey_id>/", views.survey_detail, name="survey_detail"),
    path("<int:survey_id>/evaluation/", views.evaluation, name="evaluation"),
    path("<int:survey_id>/margins/", views.margins, name="margins"),
    path("<int:survey_id>/export/", views.responses_export, name="responses_export"),
    path("waves/<int:wave_id>/qr.svg", views.wave_qr, name="wave_qr"),
    path("waves/<int:wave_id>/toggle/", views.wave_toggle, name="wave_toggle"),
    path("waves/<int:wave_id>/paper/", views.paper_entry, name="paper_entry"),
    path("waves/<int:wave_id>/import/", views.responses_import, name="responses_import"),
    path("trends/", views.trend_list, name="trend_list"),
    path("trends/<int:dataset_id>/", views.trend_detail, name="trend_detail"),
    path("r/<str:wave_token>/", views.public_survey, name="public_survey"),
    path("r/<str:wave_token>/thanks/", views.public_thanks, name="public_thanks"),
]
