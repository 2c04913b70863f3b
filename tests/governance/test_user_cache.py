"""The signed-in person is read from the shared cache, not the database, on each
request (governance/user_cache.py), and every change to the person reaches the
next request: a new password or security stamp ends other sessions at once, a
deactivated person is signed out, a new role or name shows."""

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance import user_cache
from governance.models import Role
from governance.services.sessions import sign_out_everywhere

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_cache(settings, tmp_path):
    """The shared cache: Redis when REDIS_URL is set (CI), else a cache on disk,
    which every process shares as Redis would."""
    if isinstance(caches["default"], LocMemCache):
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(tmp_path),
            },
        }
    return caches["default"]


def _user_reads(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "governance_user"' in q["sql"]
    ]


def _get(client, url="/"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, queries


def test_signing_in_keeps_the_person_for_the_next_requests(
    client, make_user, shared_cache
):
    person = make_user(Role.MEMBER)
    client.force_login(person)
    first, queries = _get(client)
    assert first.status_code == 200
    assert first.wsgi_request.user.pk == person.pk
    assert not _user_reads(queries)


def test_a_person_not_in_the_cache_is_read_once_then_kept(
    client, make_user, shared_cache
):
    person = make_user(Role.MEMBER)
    client.force_login(person)
    shared_cache.delete(user_cache._key(person.pk))  # expired, or Redis restarted
    _, queries = _get(client)
    assert _user_reads(queries)
    second, queries = _get(client)
    assert second.wsgi_request.user.pk == person.pk
    assert not _user_reads(queries)


def test_a_new_password_ends_other_sessions_at_once(client, make_user, shared_cache):
    person = make_user(Role.MEMBER)
    client.force_login(person)
    assert _get(client)[0].status_code == 200  # cached now
    person.set_password("a brand new passphrase 2026")
    person.save()
    response, _ = _get(client)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_signing_out_everywhere_ends_the_session_though_it_sends_no_signal(
    client, make_user, shared_cache
):
    person = make_user(Role.MEMBER)
    client.force_login(person)
    assert _get(client)[0].status_code == 200
    sign_out_everywhere(person)
    response, _ = _get(client)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_deactivated_person_is_signed_out_at_once(client, make_user, shared_cache):
    person = make_user(Role.MEMBER)
    client.force_login(person)
    assert _get(client)[0].status_code == 200
    person.is_active = False
    person.save()
    response, _ = _get(client)
    assert response.status_code == 302


def test_a_new_role_and_name_show_on_the_next_request(client, make_user, shared_cache):
    person = make_user(Role.MEMBER, name="Ann Before")
    client.force_login(person)
    assert "Ann Before" in _get(client)[0].content.decode()
    person.name = "Ann After"
    person.role = Role.AUDITOR
    person.save()
    response, queries = _get(client)
    assert "Ann After" in response.content.decode()
    assert response.wsgi_request.user.role == Role.AUDITOR
    assert _user_reads(queries)


def test_a_copy_read_before_the_commit_is_dropped_at_the_commit(
    client, make_user, shared_cache, django_capture_on_commit_callbacks
):
    """The copy is dropped at the change and again at its commit: a request that
    read the old row in between cannot keep it."""
    person = make_user(Role.MEMBER)
    client.force_login(person)
    assert _get(client)[0].status_code == 200
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        person.set_password("another new passphrase 2026")
        person.save()
        # A request in another process reads the old row before the commit...
        stale = type(person).objects.get(pk=person.pk)
        stale.password = "old"
        shared_cache.set(user_cache._key(person.pk), stale, 300)
    assert callbacks  # ...and the commit drops it.
    assert shared_cache.get(user_cache._key(person.pk)) is None


def test_a_session_for_someone_else_is_never_given_the_cached_person(
    client, make_user, shared_cache
):
    one, other = make_user(Role.MEMBER), make_user(Role.MEMBER)
    client.force_login(one)
    _get(client)
    # The entry under one's key holds somebody else (a corrupted cache): refused.
    shared_cache.set(user_cache._key(one.pk), other, 300)
    response, queries = _get(client)
    assert response.wsgi_request.user.pk == one.pk
    assert _user_reads(queries)


def test_without_a_shared_cache_the_database_is_read_each_time(
    client, make_user, settings
):
    """Each process's own memory (no REDIS_URL) cannot hear of another process's
    change: the person is read from the database on every request."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    person = make_user(Role.MEMBER)
    client.force_login(person)
    _get(client)
    _, queries = _get(client)
    assert _user_reads(queries)
