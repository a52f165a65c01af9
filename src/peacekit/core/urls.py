from django.urls import path

from peacekit.core import views

app_name = "core"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("switch-organization/", views.switch_organization, name="switch_organization"),
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path(
        "organizations/<int:organization_id>/",
        views.organization_detail,
        name="organization_detail",
    ),
    path(
        "organizations/<int:organization_id>/edit/",
        views.organization_edit,
        name="organization_edit",
    ),
    path("organizations/<int:organization_id>/invite/", views.member_invite, name="member_invite"),
    path("memberships/<int:membership_id>/role/", views.membership_role, name="membership_role"),
    path(
        "memberships/<int:membership_id>/remove/", views.membership_remove, name="membership_remove"
    ),
    path(
        "invitations/<int:invitation_id>/revoke/", views.invitation_revoke, name="invitation_revoke"
    ),
    path("invitations/accept/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("audit/", views.audit_log, name="audit_log"),
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/<int:job_id>/", views.job_detail, name="job_detail"),
    path("jobs/<int:job_id>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<int:job_id>/retry/", views.job_retry, name="job_retry"),
    path("jobs/<int:job_id>/download/", views.job_download, name="job_download"),
    path("account/", views.account, name="account"),
    path("account/tokens/<int:token_id>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("accounts/two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("accounts/two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("healthz", views.health, name="health"),
]
