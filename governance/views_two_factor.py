"""Set up and verify the second factor (see ``governance.two_factor`` for the rule)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .two_factor import confirmed_device, qr_svg


class CodeForm(forms.Form):
    code = forms.RegexField(
        label="Six-digit code from your authenticator app",
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": "Enter the six digits shown in your app."},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "class": "form-control",
                "autofocus": True,
            }
        ),
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip()


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def _check(device: TOTPDevice, form: CodeForm) -> bool:
    if not form.is_valid():
        return False
    if device.verify_token(form.cleaned_data["code"]):
        return True
    form.add_error("code", "That code is not right or has expired. Try the next one.")
    return False


@never_cache
@sensitive_post_parameters("code")
def two_factor_setup(request):
    """Show a new authenticator's key (``otpauth://`` text and QR code) and confirm
    it with a first code. Someone who already has a confirmed authenticator must
    verify with it instead: a stolen password alone cannot add a new device."""
    if not request.user.is_authenticated:
        return redirect("login")
    if confirmed_device(request.user):
        return redirect(f"{reverse('two_factor_verify')}?{request.GET.urlencode()}")
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and _check(device, form):
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        messages.success(request, "Two-factor sign-in is set up.")
        return redirect(_next_url(request))
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "config_url": device.config_url,
            "qr_svg": qr_svg(device.config_url),
            "next": _next_url(request),
        },
    )


@never_cache
@sensitive_post_parameters("code")
def two_factor_verify(request):
    """Ask for the current code from the person's confirmed authenticator."""
    if not request.user.is_authenticated:
        return redirect("login")
    device = confirmed_device(request.user)
    if device is None:
        return redirect(f"{reverse('two_factor_setup')}?{request.GET.urlencode()}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and _check(device, form):
        otp_login(request, device)
        return redirect(_next_url(request))
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": _next_url(request)},
    )
