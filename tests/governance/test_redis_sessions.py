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
    assert settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"


@pytest.fixture
def private_redis_cache(settings):
    server = RedisServer().start()
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": server.url()}
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
