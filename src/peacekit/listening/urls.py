"""Peace Initiatives: initiatives, micro-communities, sessions, statements, votes,
redaction review."""

from django.urls import path

from peacekit.listening import insight_views, views

app_name = "listening"

urlpatterns = [
    path("", views.initiative_list, name="initiative_list"),
    path("new/", views.initiative_create, name="initiative_create"),
    path("initiatives/<int:initiative_id>/", views.initiative_detail, name="initiative_detail"),
    path("initiatives/<int:initiative_id>/edit/", views.initiative_edit, name="initiative_edit"),
    path("initiatives/<int:initiative_id>/team/", views.team_add, name="team_add"),
    path("initiatives/<int:initiative_id>/groups/", views.community_add, name="community_add"),
    path(
        "initiatives/<int:initiative_id>/sessions/new/",
        views.session_create,
        name="session_create",
    ),
    path("initiatives/<int:initiative_id>/import/", views.import_upload, name="import_upload"),
    path("initiatives/<int:initiative_id>/coverage/", views.coverage, name="coverage"),
    path("initiatives/<int:initiative_id>/coverage.csv", views.coverage_csv, name="coverage_csv"),
    path("initiatives/<int:initiative_id>/qr.svg", views.initiative_qr, name="initiative_qr"),
    path("initiatives/<int:initiative_id>/purge/", views.purge_now, name="purge_now"),
    path("initiatives/<int:initiative_id>/insights/", insight_views.insights, name="insights"),
    path("initiatives/<int:initiative_id>/analyze/", insight_views.analyze, name="analyze"),
    path("initiatives/<int:initiative_id>/factors/", insight_views.factors, name="factors"),
    path(
        "initiatives/<int:initiative_id>/recommendations/",
        insight_views.recommendations,
        name="recommendations",
    ),
    path(
        "recommendations/<int:recommendation_id>/",
        insight_views.recommendation_detail,
        name="recommendation_detail",
    ),
    path("themes/<int:theme_id>/", insight_views.theme_detail, name="theme_detail"),
    path("themes/<int:theme_id>/merge/", insight_views.theme_merge, name="theme_merge"),
    path("themes/<int:theme_id>/split/", insight_views.theme_split, name="theme_split"),
    path("themes/<int:theme_id>/suggest/", insight_views.theme_suggest, name="theme_suggest"),
    path(
        "statements/<int:statement_id>/move/", insight_views.statement_move, name="statement_move"
    ),
    path("sessions/<int:session_id>/", views.session_detail, name="session_detail"),
    path("sessions/<int:session_id>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:session_id>/held/", views.session_held, name="session_held"),
    path("sessions/<int:session_id>/close/", views.session_close, name="session_close"),
    path("sessions/<int:session_id>/capture/", views.capture, name="capture"),
    path("sessions/<int:session_id>/qr.svg", views.session_qr, name="session_qr"),
    path("imports/<int:import_id>/", views.import_detail, name="import_detail"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/<int:statement_id>/", views.review_statement, name="review_statement"),
    path("statements/<int:statement_id>/hide/", views.statement_hide, name="statement_hide"),
    path("p/<str:initiative_token>/", views.public_initiative, name="public_initiative"),
    path("p/<str:initiative_token>/vote/", views.public_vote, name="public_vote"),
    path(
        "p/<str:initiative_token>/accountability/",
        insight_views.public_accountability,
        name="public_accountability",
    ),
    path("s/<str:session_token>/", views.public_session, name="public_session"),
]
