from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from . import views, views_two_factor

api_v1 = [
    path("", include("boards.api.urls")),
    path("", include("meetings.api.urls")),
    path("", include("pooled_funds.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
]

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path(
        "accounts/two-factor/setup/",
        views_two_factor.two_factor_setup,
        name="two_factor_setup",
    ),
    path(
        "accounts/two-factor/verify/",
        views_two_factor.two_factor_verify,
        name="two_factor_verify",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("audit/", include(([path("", views.audit_history, name="history")], "audit"))),
    path("boards/", include("boards.urls")),
    path("meetings/", include("meetings.urls")),
    path("funds/", include("pooled_funds.urls")),
    path("api/v1/", include(api_v1)),
]
