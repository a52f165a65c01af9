"""Coaching: needs assessments, coaches, matching, agreements, sessions."""

from django.urls import path

from peacekit.coaching import views

app_name = "coaching"

urlpatterns = [
    path("", views.home, name="home"),
    path("coaches/", views.coach_list, name="coach_list"),
    path("coaches/new/", views.coach_form, name="coach_create"),
    path("coaches/<int:coach_id>/", views.coach_detail, name="coach_detail"),
    path("coaches/<int:coach_id>/edit/", views.coach_form, name="coach_edit"),
    path("coachees/", views.coachee_list, name="coachee_list"),
    path("coachees/new/", views.coachee_form, name="coachee_create"),
    path("coachees/<int:coachee_id>/", views.coachee_detail, name="coachee_detail"),
    path("coachees/<int:coachee_id>/edit/", views.coachee_form, name="coachee_edit"),
    path(
        "coachees/<int:coachee_id>/assessment/link/",
        views.assessment_link,
        name="assessment_link",
    ),
    path("coachees/<int:coachee_id>/assessment/", views.assessment_staff, name="assessment_staff"),
    path(
        "coachees/<int:coachee_id>/assessment/adjust/",
        views.assessment_adjust,
        name="assessment_adjust",
    ),
    path("assess/<str:assessment_token>/", views.assessment_public, name="assessment_public"),
    path("matching/", views.matching, name="matching"),
    path("matching/run/", views.match_run_start, name="match_run_start"),
    path("matching/runs/<int:match_run_id>/", views.match_run_detail, name="match_run_detail"),
    path("matches/<int:proposed_match_id>/confirm/", views.match_confirm, name="match_confirm"),
    path("matches/<int:proposed_match_id>/override/", views.match_override, name="match_override"),
    path(
        "matches/<int:proposed_match_id>/agreement/",
        views.agreement_create,
        name="agreement_create",
    ),
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/reminders/", views.reminders_run, name="reminders_run"),
    path("agreements/<int:agreement_id>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:agreement_id>/accept/", views.agreement_accept, name="agreement_accept"),
    path(
        "agreements/<int:agreement_id>/evaluation/",
        views.agreement_evaluation,
        name="agreement_evaluation",
    ),
    path("agreements/<int:agreement_id>/link/", views.agreement_link, name="agreement_link"),
    path("agreements/<int:agreement_id>/finish/", views.agreement_finish, name="agreement_finish"),
    path("agreements/<int:agreement_id>/sessions/", views.session_create, name="session_create"),
    path("agreements/<int:agreement_id>/checkins/", views.checkin_create, name="checkin_create"),
    path(
        "agreements/<int:agreement_id>/checkins/notes/",
        views.checkin_notes,
        name="checkin_notes",
    ),
    path("sessions/<int:coaching_session_id>/notes/", views.session_notes, name="session_notes"),
    path("accept/<str:agreement_token>/", views.agreement_public, name="agreement_public"),
]
