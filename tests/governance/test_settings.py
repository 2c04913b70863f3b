"""Production settings pass ``check --deploy`` and refuse to start half-configured."""

import os
import subprocess
import sys

import pytest

from config import settings as s

SECRET = "k" * 20 + "Zq9#" * 10


def _manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="gov.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DJANGO_ENV="production", ALLOWED_HOSTS="gov.example")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("value, expected", [("1", True), ("off", False), ("", False)])
def test_env_bool_reads_common_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("X_FLAG", value)
    assert s.env_bool("X_FLAG") is expected


def test_env_bool_fails_loudly_on_nonsense(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("X_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured):
        s.env_bool("X_FLAG")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("https://gov.example.org", "https://gov.example.org"),
        ("https://gov.example.org/", "https://gov.example.org"),
        ("http://127.0.0.1:8120", "http://127.0.0.1:8120"),
    ],
)
def test_site_url_is_an_origin(monkeypatch, value, expected):
    monkeypatch.setenv("X_SITE", value)
    assert s.env_site_url("X_SITE", None) == expected


@pytest.mark.parametrize(
    "value", ["gov.example.org", "ftp://gov.example.org", "https://gov.example/x"]
)
def test_site_url_fails_loudly_on_a_value_that_is_not_an_origin(monkeypatch, value):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("X_SITE", value)
    with pytest.raises(ImproperlyConfigured):
        s.env_site_url("X_SITE", None)


def test_production_site_url_defaults_to_the_first_allowed_host():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SITE_URL)",
        DJANGO_ENV="production",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="gov.example,www.gov.example",
    )
    assert result.stdout.strip().endswith("https://gov.example"), result.stderr
