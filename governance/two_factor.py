"""Two-factor sign-in (TOTP, django-otp) for privileged roles.

OWASP ASVS 5.0 level 2 asks for multi-factor authentication for accounts that can
change or read much of the record. The rule chosen here (issue 8):

- when ``settings.OTP_REQUIRED`` is on (production by default, off in the
  ``make run`` demo), administrators, board secretaries, pooled fund managers and
  auditors must have verified a TOTP code in this session before they see any page;
  "board secretary" and "pooled fund manager" mean the usual role or actually being
  the secretary of a board or the manager of a fund (issue 15), so a member made a
  board's secretary is asked for a second factor from their next page on;
- privileged people also get ten single-use recovery codes (django-otp's static
  device) when they set up their authenticator; a recovery code is accepted on the
  verify page instead of a TOTP code, once;
- someone without a confirmed authenticator is sent to the set-up page (the
  ``otpauth://`` address as text and a QR code), someone with one to the verify page;
- the API answers 403 to a session that has not passed the second factor; token
  clients (partners' finance systems) are unaffected, since DRF authenticates them
  after this middleware and they carry no session;
- ``/accounts/`` (sign in and out, password reset, the two pages above), static files
  and the health check are always reachable.

Members and finance officers may add an authenticator, but are not made to.
"""

from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Role
from .permissions import held_roles

PRIVILEGED_ROLES = frozenset(
    {Role.ADMINISTRATOR, Role.SECRETARY, Role.FUND_MANAGER, Role.AUDITOR}
)
EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz")


def requires_second_factor(user) -> bool:
    """True when this signed-in person must pass TOTP before going further."""
    if not settings.OTP_REQUIRED or not user.is_authenticated:
        return False
    return is_privileged(user)


def is_privileged(user) -> bool:
    """Administrators, auditors, board secretaries and pooled fund managers, by usual
    role or by holding the secretary's or manager's role somewhere."""
    return user.role in PRIVILEGED_ROLES or user.is_superuser or bool(held_roles(user))


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def qr_svg(text: str) -> str:
    """An inline ``<svg>`` QR code (no script, no style attribute: fine under CSP)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string(encoding="unicode")
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


class TwoFactorRequiredMiddleware:
    """Place right after ``django_otp.middleware.OTPMiddleware``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is None
            or request.path.startswith(EXEMPT_PREFIXES)
            or not user.is_authenticated
            or user.is_verified()
            or not requires_second_factor(user)
        ):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": "Two-factor verification is required for this session."},
                status=403,
            )
        name = "two_factor_verify" if confirmed_device(user) else "two_factor_setup"
        return redirect(
            f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}"
        )
