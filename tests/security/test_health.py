"""Health checks a load balancer can use (issue 14, finding 7; issue 20): over
plain HTTP, with whatever Host header the balancer sends (often an address not in
ALLOWED_HOSTS), production settings answer 200, never the 301 to HTTPS that every
other page gets. The checks run in a fresh interpreter with ``DJANGO_ENV=production``
so they test the real production settings."""

import json
import os
import subprocess
import sys

import pytest

SECRET = "k" * 20 + "Zq9#" * 10

PROBE = r"""
import json, sys, django
django.setup()
from django.test import Client
c = Client()
out = {}
for n, (path, host) in enumerate(json.loads(sys.argv[1])):
    if path == "!migrate":
        from django.core.management import call_command
        # What /readyz reads is the migration record, so recording them (as the
        # one-off job does when it finishes) is enough, and far quicker.
        call_command("migrate", fake=True, verbosity=0)
        continue
    r = c.get(path, HTTP_HOST=host)
    try:
        body = json.loads(r.content) if r["Content-Type"].startswith("application/json") else None
    except Exception:
        body = None
    out[f"{n} {path} {host}"] = {"status": r.status_code, "body": body,
                             "location": r.headers.get("Location", "")}
print(json.dumps(out))
"""


def probe(requests, **env_overrides) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="gov.example",
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL="sqlite:///:memory:",
        LOG_LEVEL="CRITICAL",
    )
    for name in ("OTP_REQUIRED", "AXES_ENABLED", "SECURE_SSL_REDIRECT"):
        env.pop(name, None)
    env.update(env_overrides)
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(requests)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def production():
    return probe(
        [
            ["/healthz", "gov.example"],
            ["/healthz", "10.0.3.7:8000"],
            ["/accounts/login/", "gov.example"],
        ]
    )


def test_healthz_answers_200_over_plain_http_in_production(production):
    answer = production["0 /healthz gov.example"]
    assert answer["status"] == 200, answer
    assert answer["body"] == {"status": "ok"}


def test_healthz_answers_a_balancer_that_calls_by_address(production):
    """The balancer's Host is the node's address, not an allowed host name."""
    assert production["1 /healthz 10.0.3.7:8000"]["status"] == 200


def test_other_pages_still_redirect_plain_http_to_https(production):
    answer = production["2 /accounts/login/ gov.example"]
    assert answer["status"] == 301
    assert answer["location"].startswith("https://")


@pytest.mark.django_db
def test_healthz_needs_no_session_database_or_login(client, django_assert_num_queries):
    """Liveness depends on nothing but the process: no query, no cookie set."""
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert not response.cookies


# --- /readyz -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def unreachable():
    """Production processes whose PostgreSQL, or whose Redis, is down (nothing
    listens on port 1)."""
    postgres_down = probe(
        [["/readyz", "10.0.3.7:8000"]],
        DATABASE_URL="postgres://postgres@127.0.0.1:1/governance",
        REDIS_URL="",
    )["0 /readyz 10.0.3.7:8000"]
    redis_down = probe(
        [["/readyz", "10.0.3.7:8000"]], REDIS_URL="redis://127.0.0.1:1/0"
    )["0 /readyz 10.0.3.7:8000"]
    return postgres_down, redis_down


def test_readyz_answers_503_when_postgresql_is_down(unreachable):
    answer = unreachable[0]
    assert answer["status"] == 503
    assert answer["body"]["status"] == "unavailable"
    assert answer["body"]["checks"]["database"].startswith("failed")


def test_readyz_answers_503_when_redis_is_down(unreachable):
    answer = unreachable[1]
    assert answer["status"] == 503
    assert answer["body"]["checks"]["redis"].startswith("failed")


def test_readyz_answers_503_until_every_migration_is_applied():
    """Migrations run as a one-off job; until it has run, a new process is not
    ready (an empty database here), and then it is, over plain HTTP."""
    answers = probe(
        [["/readyz", "10.0.3.7:8000"], ["!migrate", ""], ["/readyz", "10.0.3.7:8000"]],
        REDIS_URL="",
    )
    before, after = (
        answers["0 /readyz 10.0.3.7:8000"],
        answers["2 /readyz 10.0.3.7:8000"],
    )
    assert before["status"] == 503
    assert before["body"]["checks"]["migrations"].startswith("failed")
    assert after["status"] == 200, after
    assert after["body"] == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "storage": "ok"},
    }
