"""Root URLs. Every page requires sign-in unless its view is marked @login_not_required."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import set_language

from peacekit.api import api


def _api_patterns():
    """The API authenticates each request itself (session or token) and answers 401, not 302."""

    def mark(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                mark(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                pattern.callback.login_required = False
        return patterns

    return mark(api.urls[0]), api.urls[1], api.urls[2]


admin.site.site_header = "peacekit administration"
admin.site.site_title = "peacekit"

urlpatterns = [
    path("", include("peacekit.core.urls")),
    path("listening/", include("peacekit.listening.urls")),
    path("surveys/", include("peacekit.surveys.urls")),
    path("evaluations/", include("peacekit.evaluations.urls")),
    path("promise/", include("peacekit.pledges.urls")),
    path("training/", include("peacekit.training.urls")),
    path("coaching/", include("peacekit.coaching.urls")),
    path("research/", include("peacekit.research.urls")),
    path("reports/", include("peacekit.reports.urls")),
    path("api/", _api_patterns()),
    path("admin/", admin.site.urls),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password-reset/",
        auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "accounts/password-change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password-change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
]
