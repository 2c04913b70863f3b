"""Shared fixtures. Tests marked ``postgres``, ``redis`` or ``browser`` need those
services (or Debian's chromium) and are skipped without them on a laptop; ``.ci/run``
provides all three and fails on any skip."""

import os
import shutil

import pytest
from rest_framework.test import APIClient

from governance.models import Role
from tests.governance.factories import UserFactory

DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
HAS_CHROMIUM = bool(shutil.which("chromium") or os.path.exists("/usr/bin/chromium"))


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "postgres" in item.keywords and not DATABASE_URL.startswith("postgres"):
            item.add_marker(pytest.mark.skip(reason="needs DATABASE_URL=postgres://…"))
        if "redis" in item.keywords and not REDIS_URL:
            item.add_marker(pytest.mark.skip(reason="needs REDIS_URL"))
        if "browser" in item.keywords and not HAS_CHROMIUM:
            item.add_marker(
                pytest.mark.skip(
                    reason="needs Debian's chromium (apt-get install chromium)"
                )
            )


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Real hashing costs ~0.3 s a password; tests need no resistance to cracking."""
    from django.test import override_settings

    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    ):
        yield


@pytest.fixture(autouse=True)
def _media_and_mail(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.AXES_ENABLED = False
    from config.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def make_user(db):
    def make(role=Role.MEMBER, **kwargs):
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def auditor(make_user):
    return make_user(Role.AUDITOR)


@pytest.fixture
def administrator(make_user):
    return make_user(Role.ADMINISTRATOR, is_superuser=True, is_staff=True)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def api_as():
    def login(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return login
