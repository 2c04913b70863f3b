"""Stateless web processes (issue 20): with ``REDIS_URL`` set the cache is Redis
(django-redis) and sessions are cached there and kept in the database, so any
process reads a session another made, and a Redis that fails or freezes is a cache
miss, not an error or a hang."""

import time

import pytest
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.cache import caches
from django.urls import reverse

from governance.models import Role
from tests.servers import RedisServer

pytestmark = pytest.mark.redis


def test_with_redis_the_cache_and_sessions_are_shared(settings):
    assert settings.CACHES["default"]["BACKEND"] == "governance.cache.BreakerRedisCache"
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"


@pytest.fixture
def private_redis_cache(settings):
    server = RedisServer().start()
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "LOCATION": server.url()},
    }
    yield server  # (changing CACHES resets Django's cache handlers)
    server.close()


@pytest.mark.django_db
def test_a_session_is_read_from_redis_and_survives_its_loss(private_redis_cache):
    store = SessionStore()
    store["who"] = "secretary"
    store.create()
    assert caches["default"].get(store.cache_key) is not None
    private_redis_cache.stop()
    assert SessionStore(session_key=store.session_key)["who"] == "secretary"


@pytest.mark.django_db
def test_a_signed_in_page_answers_while_redis_is_frozen(
    private_redis_cache, client, make_user
):
    user = make_user(Role.SECRETARY)
    client.force_login(user)
    assert client.get(reverse("dashboard")).status_code == 200
    private_redis_cache.freeze()
    started = time.monotonic()
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert time.monotonic() - started < 2


@pytest.mark.django_db
def test_while_redis_is_frozen_a_process_waits_on_it_once_not_on_every_call(
    private_redis_cache, client, make_user
):
    """The circuit breaker (governance/cache.py): the first call that times out
    opens it, and the requests after it read the session from the database without
    touching Redis. Ten signed-in pages cost at most one socket timeout (0.25 s)
    between them, where each used to wait two (the session read and the write back
    on the miss)."""
    user = make_user(Role.SECRETARY)
    client.force_login(user)
    client.get(reverse("dashboard"))  # warm: templates, the session in Redis
    private_redis_cache.freeze()
    started = time.monotonic()
    for _ in range(10):
        assert client.get(reverse("dashboard")).status_code == 200
    cache_wait = time.monotonic() - started
    private_redis_cache.thaw()
    started = time.monotonic()
    for _ in range(10):
        client.get(reverse("dashboard"))
    healthy = time.monotonic() - started
    assert cache_wait - healthy < 1.0, (cache_wait, healthy)


@pytest.mark.django_db
def test_the_breaker_closes_once_a_probe_finds_redis_back(
    private_redis_cache, settings
):
    from governance.cache import breaker
    from tests.servers import wait_for

    settings.REDIS_BREAKER_SECONDS = 0.3
    cache = caches["default"]
    private_redis_cache.freeze()
    assert cache.get("k", "missed") == "missed"
    assert not breaker.closed()
    private_redis_cache.thaw()
    assert cache.set("k", "v") is None  # skipped: the breaker is open
    assert cache.get("k") is None
    time.sleep(0.4)
    assert cache.get("k") is None  # starts the probe, and is still a miss
    assert wait_for(breaker.closed, timeout=3, step=0.01)
    cache.set("k", "v")
    assert cache.get("k") == "v"


@pytest.mark.django_db
def test_while_redis_stays_frozen_no_call_after_the_first_waits_on_it(
    private_redis_cache, settings
):
    """The probes that find out whether Redis is back run in a side thread: over
    several breaker periods of a frozen Redis, only the first call waits."""
    settings.REDIS_BREAKER_SECONDS = 0.2
    cache = caches["default"]
    private_redis_cache.freeze()
    cache.get("k")  # waits the socket timeout, opens the breaker
    waits = []
    ended = time.monotonic() + 1.5
    while time.monotonic() < ended:
        started = time.monotonic()
        cache.get("k")
        cache.set("k", "v")
        waits.append(time.monotonic() - started)
        time.sleep(0.02)
    assert len(waits) > 20
    assert max(waits) < 0.1, max(waits)


@pytest.mark.django_db
def test_a_password_reset_request_answers_while_redis_is_frozen(
    private_redis_cache, client
):
    """The per-address throttle counts in the cache; a frozen Redis counts nothing
    (the request is let through, as the worker also limits mails per person) and
    never gives a 500; the mail task is kicked without waiting on the broker."""
    private_redis_cache.freeze()
    started = time.monotonic()
    response = client.post(reverse("password_reset"), {"email": "someone@example.org"})
    assert response.status_code == 302
    assert time.monotonic() - started < 2
