"""Set up and verify the second factor (see ``governance.two_factor`` for the rule),
and the recovery codes that stand in for a lost authenticator."""

import secrets

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
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


class CodeOrRecoveryForm(CodeForm):
    """The verify page takes a six-digit code, or one of the recovery codes."""

    code = forms.CharField(
        label="Six-digit code from your authenticator app, or a recovery code",
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "class": "form-control",
                "autofocus": True,
            }
        ),
    )


RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


def _normalise(code: str) -> str:
    return "".join(c for c in code.lower() if c.isalnum())


def recovery_codes_issue(user) -> list[str]:
    """Ten new single-use recovery codes; earlier ones stop working. Stored as
    django-otp static tokens; shown to the person once, as xxxxx-xxxxx."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="Recovery codes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
        for _ in range(RECOVERY_CODES)
    ]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=code) for code in codes
    )
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def _recovery_device(user, code: str) -> StaticDevice | None:
    """The recovery-code device if ``code`` is one of its unused codes (it is then
    used up)."""
    code = _normalise(code)
    if len(code) != 10:
        return None
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(code):
            return device
    return None


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
        return _show_recovery_codes(request, recovery_codes_issue(request.user))
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
    form = CodeOrRecoveryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if code.isdigit() and len(code) == 6 and device.verify_token(code):
            otp_login(request, device)
            return redirect(_next_url(request))
        recovery = _recovery_device(request.user, code)
        if recovery is not None:
            otp_login(request, recovery)
            left = recovery.token_set.count()
            messages.warning(
                request,
                f"You used a recovery code; {left} left. If you lost your "
                "authenticator, ask an administrator to reset it, and make new "
                "recovery codes from your account.",
            )
            return redirect(_next_url(request))
        form.add_error(
            "code", "That code is not right or has expired. Try the next one."
        )
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": _next_url(request)},
    )


def _show_recovery_codes(request, codes: list[str]):
    return render(
        request,
        "registration/recovery_codes.html",
        {"codes": codes, "next": _next_url(request)},
    )


@never_cache
def recovery_codes(request):
    """Make a new set of recovery codes (the old ones stop working). Only in a
    session that passed the second factor."""
    if not request.user.is_authenticated:
        return redirect("login")
    if not request.user.is_verified():
        return redirect(f"{reverse('two_factor_verify')}?next={request.path}")
    if request.method == "POST":
        return _show_recovery_codes(request, recovery_codes_issue(request.user))
    left = sum(
        d.token_set.count()
        for d in StaticDevice.objects.filter(user=request.user, confirmed=True)
    )
    return render(request, "registration/recovery_codes.html", {"left": left})
