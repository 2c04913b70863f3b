from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views, views_two_factor

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
]
