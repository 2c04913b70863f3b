"""Sign-in pages beyond Django's own: accepting an invitation, and password reset and
change that end the person's other sessions and API tokens (issue 15)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from .forms import AcceptInvitationForm
from .outbox import kick
from .services.invitations import invitation_accept, invitation_for_token, landing_url
from .services.sessions import sign_out_everywhere
from .sso import sso_enabled


@login_not_required
@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def invitation_accept_view(request, token):
    """The invitation link: set a password, then sign in and land on the board (a
    privileged role is sent on to set up its second factor by the middleware)."""
    invitation = invitation_for_token(token)
    if invitation is None:
        return render(request, "registration/invitation_invalid.html", status=404)
    person = invitation.person
    form = AcceptInvitationForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = invitation_accept(
            invitation=invitation, password=form.cleaned_data["new_password1"]
        )
        if request.user.is_authenticated:
            from django.contrib.auth import logout

            logout(request)
        login(request, person, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {person.name}. Your password is set.")
        return redirect(landing_url(person))
    return render(
        request,
        "registration/invitation_accept.html",
        {
            "form": form,
            "invitation": invitation,
            "person": person,
            "sso": sso_enabled(),
        },
    )


def _client_address(request) -> str:
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or "unknown"


class PasswordResetView(auth_views.PasswordResetView):
    """The request never looks the address up: it hands it to the worker
    (``governance.tasks.password_reset_mail``) and always answers the same page, so
    a known and an unknown address take the same time and say the same thing.
    Requests are throttled per client address (``PASSWORD_RESET_PER_ADDRESS`` an
    hour); the worker also sends at most ``PASSWORD_RESET_MAILS_PER_HOUR`` mails to
    one person an hour."""

    def form_valid(self, form):
        from .tasks import password_reset_mail

        key = f"password-reset:{_client_address(self.request)}"
        cache.add(key, 0, timeout=3600)
        try:
            count = cache.incr(key)
        except ValueError:
            count = 1
        # None: the cache (Redis) is down, nothing counted; let it through (the
        # worker still limits mails per person) rather than answer 500.
        if count is None or count <= settings.PASSWORD_RESET_PER_ADDRESS:
            kick(password_reset_mail, (form.cleaned_data["email"],))
        return redirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """After a reset, every session and API token of the person ends."""

    def form_valid(self, form):
        response = super().form_valid(form)
        sign_out_everywhere(form.user)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing one's password keeps this session and ends the others and the API
    token."""

    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        sign_out_everywhere(form.user, request=self.request)
        return response
