"""pytest fixtures for the test OpenID provider (registered in tests/conftest.py)."""

import pytest

from .server import start

PASSWORD = "provider-password"  # noqa: S105 - the test provider's accounts
# The provider's accounts: e-mail, password, last name ("unverified": an address the
# provider does not vouch for).
ACCOUNTS = [
    ("invited@council.example", PASSWORD, ""),
    ("stranger@council.example", PASSWORD, ""),
    ("gone@council.example", PASSWORD, ""),
    ("unverified@council.example", PASSWORD, "unverified"),
    ("never@council.example", PASSWORD, ""),
    ("member@council.example", PASSWORD, ""),
    ("journey@council.example", PASSWORD, ""),
]


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    """django-oauth-toolkit's OpenID provider in its own process, for this session,
    with the live server's callback registered."""
    provider = start(
        redirect_uri=f"{live_server.url}/accounts/oidc/callback/",
        accounts=ACCOUNTS,
        workdir=tmp_path_factory.mktemp("oidc-provider"),
    )
    yield provider
    provider.stop()


@pytest.fixture
def sso(settings, oidc_provider):
    """The product signs in with the test provider (settings as in production)."""
    for name, value in oidc_provider.settings().items():
        setattr(settings, name, value)
    return oidc_provider
