"""Security headers and cookie flags (OWASP ASVS 5.0 V3 and V7; issue 8).

The production check runs a fresh interpreter with ``DJANGO_ENV=production`` so it
tests the real production settings, not overrides made inside the test process."""

import json
import os
import subprocess
import sys

import pytest
from django.urls import reverse

from governance.models import Role

SECRET = "k" * 20 + "Zq9#" * 10

PROBE = r"""
import json, django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
# collectstatic has not run here; the manifest storage is beside the point.
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
c = Client(enforce_csrf_checks=True)
r = c.get("/accounts/login/", secure=True, HTTP_HOST="gov.example")
plain = c.get("/accounts/login/", HTTP_HOST="gov.example")
print(json.dumps({
    "status": r.status_code,
    "headers": dict(r.headers),
    "csrf_cookie": {k: str(v) for k, v in r.cookies["csrftoken"].items()},
    "plain_status": plain.status_code,
    "plain_location": plain.headers.get("Location", ""),
    "settings": {
        "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
        "SESSION_COOKIE_HTTPONLY": settings.SESSION_COOKIE_HTTPONLY,
        "SESSION_COOKIE_SAMESITE": settings.SESSION_COOKIE_SAMESITE,
        "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
        "OTP_REQUIRED": settings.OTP_REQUIRED,
        "AXES_ENABLED": settings.AXES_ENABLED,
        "DEBUG": settings.DEBUG,
    },
}))
"""


@pytest.fixture(scope="module")
def production():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="gov.example",
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL="sqlite:///:memory:",
    )
    for name in ("OTP_REQUIRED", "AXES_ENABLED", "SECURE_SSL_REDIRECT"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_hsts_for_a_year_with_subdomains_and_preload(production):
    assert production["status"] == 200
    hsts = production["headers"]["Strict-Transport-Security"]
    assert (
        "max-age=31536000" in hsts and "includeSubDomains" in hsts and "preload" in hsts
    )


def test_production_redirects_plain_http_to_https(production):
    assert production["plain_status"] == 301
    assert production["plain_location"].startswith("https://gov.example/")


def test_production_csp_forbids_inline_script_and_framing(production):
    csp = production["headers"]["Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2]
        for part in csp.split(";")
        if part.strip()
    )
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["default-src"] == "'self'"


def test_production_sends_nosniff_referrer_policy_and_frame_options(production):
    headers = production["headers"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_production_cookies_are_secure_httponly_and_samesite(production):
    s = production["settings"]
    assert s["SESSION_COOKIE_SECURE"] and s["SESSION_COOKIE_HTTPONLY"]
    assert s["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert s["CSRF_COOKIE_SECURE"]
    assert (
        production["csrf_cookie"]["secure"]
        and production["csrf_cookie"]["samesite"] == "Lax"
    )


def test_production_requires_two_factor_throttles_logins_and_hides_debug(production):
    s = production["settings"]
    assert s["OTP_REQUIRED"] is True
    assert s["AXES_ENABLED"] is True
    assert s["DEBUG"] is False


@pytest.mark.django_db
def test_session_cookie_is_set_secure_httponly_samesite_at_login(
    client, make_user, settings
):
    """The Set-Cookie of the session at sign-in carries Secure, HttpOnly and SameSite=Lax
    (production values applied here)."""
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    make_user(Role.MEMBER, email="cookie@x.example")
    response = client.post(
        reverse("login"),
        {"username": "cookie@x.example", "password": "correct-horse-battery"},
        secure=True,
    )
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/", "/api/v1/schema/"])
def test_every_response_carries_csp_and_nosniff(client, make_user, path):
    """Pages and API answers alike carry the CSP and nosniff headers."""
    client.force_login(make_user(Role.MEMBER))
    response = client.get(path)
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/schema/?x=%00", "/boards/?q=a%00b"])
def test_a_null_character_in_the_query_is_refused_not_a_server_error(
    client, make_user, path
):
    """PostgreSQL cannot hold NUL in text: such a query parameter is a 400, never a 500."""
    client.force_login(make_user(Role.MEMBER))
    assert client.get(path).status_code == 400
