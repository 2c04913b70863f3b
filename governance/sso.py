"""Single sign-on with OpenID Connect (issue 15), by mozilla-django-oidc.

Councils and NHS bodies sign in with their own identity provider (Microsoft Entra ID,
NHS mail). The rule chosen:

- the provider's e-mail claim is matched, without case, to a person already on
  record: nobody is created by signing in;
- the address must be verified by the provider (``email_verified``), unless
  ``OIDC_TRUST_EMAIL=1`` says the provider only issues addresses it controls (an Entra
  tenant's own domain);
- the person must be active and invited: an accepted invitation, a password from
  before invitations, or a pending invitation, which signing in accepts (the provider
  has just proved the address);
- the ID token's audience must be this client and, when ``OIDC_OP_ISSUER`` is set, its
  issuer that provider (the library leaves both unchecked);
- privileged people still pass this product's second factor after signing in.

Password sign-in stays for partners without single sign-on. Switched on by setting
``OIDC_RP_CLIENT_ID`` (see docs/operations.md).
"""

import logging
from functools import wraps

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from .services.invitations import (
    has_been_invited,
    invitation_accept,
    pending_invitation,
)

log = logging.getLogger(__name__)


def sso_enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


def only_if_sso(view):
    """The sign-in routes answer 404 until single sign-on is configured."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not sso_enabled():
            raise Http404("Single sign-on is not set up.")
        return view(request, *args, **kwargs)

    return wrapped


class InvitedPersonBackend(OIDCAuthenticationBackend):
    """Signs in an invited, active person whose verified e-mail the provider sends."""

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token issued for another client")
        issuer = getattr(settings, "OIDC_OP_ISSUER", "")
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("ID token from another issuer")
        return payload

    def verify_claims(self, claims):
        if not claims.get("email"):
            return False
        return claims.get("email_verified") is True or settings.OIDC_TRUST_EMAIL

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(
            email__iexact=claims["email"].strip(), merged_into__isnull=True
        )

    def create_user(self, claims):
        return None

    def update_user(self, user, claims):
        if not user.is_active:
            log.info("single sign-on refused: %s is deactivated", user.pk)
            return None
        invitation = pending_invitation(user)
        if invitation is not None:
            invitation_accept(invitation=invitation, via_sso=True)
            return user
        if not has_been_invited(user):
            log.info("single sign-on refused: %s was never invited", user.pk)
            return None
        return user

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


class CallbackView(OIDCAuthenticationCallbackView):
    """After signing in, a person goes where they asked to, else to the board or
    fund of the role their invitation gave (their own board, on a first sign-in)."""

    @property
    def success_url(self):
        from .services.invitations import landing_url

        asked = self.request.session.get("oidc_login_next")
        return asked or landing_url(self.user)
