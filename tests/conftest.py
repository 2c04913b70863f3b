"""Shared fixtures. Tests marked ``postgres``, ``redis`` or ``browser`` need those
services (or Debian's chromium) and are skipped without them on a laptop; ``.ci/run``
provides all three and fails on any skip.

Every fixture is safe under ``pytest -n`` (pytest-xdist): pytest-django gives each
worker its own test database, and the real servers (tests/servers.py) take ports of
their own."""

import os
import shutil

import pytest
from rest_framework.test import APIClient

from governance.models import Role
from tests.governance.factories import UserFactory
from tests.servers import REDIS, CeleryWorker, Mailbox, RedisServer

pytest_plugins = ["tests.oidc_provider.fixtures"]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
HAS_CHROMIUM = bool(shutil.which("chromium") or os.path.exists("/usr/bin/chromium"))


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "postgres" in item.keywords and not DATABASE_URL.startswith("postgres"):
            item.add_marker(pytest.mark.skip(reason="needs DATABASE_URL=postgres://…"))
        if "redis" in item.keywords and not REDIS_URL:
            item.add_marker(pytest.mark.skip(reason="needs REDIS_URL"))
        if "redis" in item.keywords and not os.path.exists(REDIS):
            item.add_marker(pytest.mark.skip(reason="needs redis-server"))
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


@pytest.fixture(scope="session", autouse=True)
def _rule_codes_are_documented():
    """Every refusal raised anywhere in the suite names a rule code of the documented
    enum (governance/rule_codes.py), however the code was built; an undocumented
    one fails the test that raised it."""
    from governance.exceptions import RuleViolation
    from governance.rule_codes import RuleCode

    original = RuleViolation.__init__

    def checked(self, message, *, rule=""):
        assert rule in RuleCode.values, f"rule code {rule!r} is not in RuleCode"
        original(self, message, rule=rule)

    RuleViolation.__init__ = checked
    yield
    RuleViolation.__init__ = original


@pytest.fixture(autouse=True)
def _media_and_mail(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.AXES_ENABLED = False
    from config.celery import app

    app.conf.task_always_eager = True
    yield
    from governance.outbox import kicks_wait

    kicks_wait(timeout=10)  # no publish left running into the next test
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


# --- real servers: a private Redis, an SMTP server, Celery workers ------------------


@pytest.fixture(autouse=True)
def _local_cache_empty():
    """Every test starts with this process's page memory empty
    (meetings/page_cache.py): on SQLite a rolled-back test's meeting numbers and
    versions come again in the next test, with other content."""
    from django.core.cache import caches

    caches["local"].clear()


@pytest.fixture(autouse=True)
def _redis_breaker_closed():
    """Every test starts with the cache's circuit breaker closed (governance/cache.py):
    one test's frozen Redis must not make the next one skip the cache."""
    from governance.cache import breaker

    breaker.settle()
    breaker.reset()
    yield
    breaker.settle()
    breaker.reset()


@pytest.fixture
def redis_server():
    """A private redis-server for this test (never the shared one, whose queue other
    test processes' workers would read)."""
    server = RedisServer().start()
    yield server
    server.close()


@pytest.fixture
def mailbox():
    """An SMTP server on 127.0.0.1 that keeps what it receives (tests/servers.py)."""
    box = Mailbox().start()
    yield box
    box.stop()


@pytest.fixture
def celery_app(redis_server, monkeypatch):
    """This process's Celery app publishing to the private Redis, not eager."""
    from config.celery import app
    from governance import outbox

    saved = app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager
    app.conf.broker_url = app.conf.result_backend = redis_server.url()
    app.conf.task_always_eager = False
    _reconnect(app)
    monkeypatch.setattr(outbox, "_broker_down_until", 0.0)
    yield app
    app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager = saved
    _reconnect(app)


def _reconnect(app):
    """Drop the app's broker connections and result backend: the next use connects
    to what ``app.conf`` says now."""
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


@pytest.fixture
def celery_worker(redis_server, celery_app, django_db_setup):
    """``celery_worker(mailbox=..., **env)``: a Celery worker subprocess (not yet
    started: call ``.start()``) on the private Redis and this test's database,
    sending mail to ``mailbox``. Every worker made is stopped after the test; the
    rows it must see have to be committed (``transaction=True`` tests)."""
    from django.db import connection

    db = connection.settings_dict
    database_url = None  # SQLite: the worker gets this process's DATABASE_URL
    if connection.vendor == "postgresql":
        database_url = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
    made = []

    def make(*, mailbox=None, **env) -> CeleryWorker:
        worker = CeleryWorker(
            redis_url=redis_server.url(),
            database_url=database_url,
            smtp_port=mailbox.port if mailbox else None,
            **env,
        )
        made.append(worker)
        return worker

    yield make
    for worker in made:
        worker.stop()


@pytest.fixture(scope="session")
def live_server():
    """pytest-django's live server, started with a MEDIA_URL that serves nothing:
    the product has no public media URL (papers are streamed by permission-checking
    views), but Django's test server needs a string to build its media handler."""
    from django.test import override_settings
    from pytest_django.live_server_helper import LiveServer

    with override_settings(MEDIA_URL="/media-is-never-served/"):
        server = LiveServer("localhost")
    yield server
    server.stop()
