from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from mozilla_django_oidc import views as oidc_views

from . import health, views, views_accounts, views_people, views_two_factor
from .sso import CallbackView, only_if_sso

people_patterns = [
    path("", views_people.people_list, name="list"),
    path("invite/", views_people.invite, name="invite"),
    path("<int:pk>/", views_people.person_detail, name="detail"),
    path("<int:pk>/edit/", views_people.edit, name="edit"),
    path("<int:pk>/roles/give/", views_people.role_give, name="role_give"),
    path("<int:pk>/roles/take/", views_people.role_take, name="role_take"),
    path("<int:pk>/role/", views_people.global_role, name="global_role"),
    path("<int:pk>/deactivate/", views_people.deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", views_people.reactivate, name="reactivate"),
    path("<int:pk>/merge/", views_people.merge, name="merge"),
    path(
        "invitations/<int:pk>/resend/",
        views_people.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "invitations/<int:pk>/revoke/",
        views_people.invitation_revoke,
        name="invitation_revoke",
    ),
]

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # Answered by health.HealthCheckMiddleware; routed too, so the URL has a name.
    path("healthz", login_not_required(health.healthz), name="healthz"),
    path("readyz", login_not_required(health.readyz), name="readyz"),
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
    path(
        "accounts/two-factor/recovery-codes/",
        views_two_factor.recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path(
        "accounts/invitation/<str:token>/",
        views_accounts.invitation_accept_view,
        name="invitation_accept",
    ),
    path(
        "accounts/password_reset/",
        login_not_required(views_accounts.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        login_not_required(views_accounts.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password_change/",
        views_accounts.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/oidc/authenticate/",
        login_not_required(
            only_if_sso(oidc_views.OIDCAuthenticationRequestView.as_view())
        ),
        name="oidc_authentication_init",
    ),
    path(
        "accounts/oidc/callback/",
        login_not_required(only_if_sso(CallbackView.as_view())),
        name="oidc_authentication_callback",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("audit/", include(([path("", views.audit_history, name="history")], "audit"))),
    path("people/", include((people_patterns, "people"))),
]
