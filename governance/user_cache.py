"""The signed-in person read from the shared cache instead of the database on
each request (issue 17: sessions and roles off the hot path; the user's row was
the one query every page still paid for).

``AuthenticationMiddleware`` is Django's, with ``request.user`` taken from the
shared cache (Redis in production) when the session names a person whose record
is there, and checked exactly as Django checks it: the session's auth hash
(password and security stamp, ``User.get_session_auth_hash``) must match the
cached record, or the request falls back to Django's own ``get_user``, which
ends the session. A miss reads the database as before and stores the record.

Signing in stores the record (``user_logged_in``). The record leaves the cache
whenever it changes: every save or delete of a user
(``governance/signals.py``), and the security stamp's update when a person is
signed out everywhere (``governance/services/sessions.py``), each at once and
again after the commit (so a request reading the old row while the change was
not yet committed cannot leave it behind); entries last ``USER_CACHE_SECONDS``
at most. The record is the row as the database holds it, password hash included
(Django's password change checks the old password on ``request.user``), so the
shared cache is the deployment's private Redis, reachable by the application only,
as for the sessions it already holds. Only a cache shared by every process is used: with each process's own
memory (no REDIS_URL) a change made in one process could not reach the others,
so the database is read as Django does."""

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import middleware
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from .cache import database_id


def _shared():
    cache = caches["default"]
    return None if isinstance(cache, LocMemCache) else cache


def _key(pk) -> str:
    return f"user:{database_id()}:{pk}"


def forget(pk) -> None:
    """Drop the person's cached record, now and once the transaction commits."""
    cache = _shared()
    if cache is None or pk is None:
        return
    key = _key(pk)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def remember(user) -> None:
    """Keep the person who has just signed in, for their next request."""
    cache = _shared()
    if cache is not None and user.pk is not None:
        cache.set(_key(user.pk), user, settings.USER_CACHE_SECONDS)


def get_user(request):
    """The request's user: from the shared cache when the session's person is
    there and the session's hash matches, else Django's ``get_user`` (stored
    for the next request when it finds an active person)."""
    cache = _shared()
    session = request.session
    if cache is None:
        return auth.get_user(request)
    try:
        pk = session[auth.SESSION_KEY]
        backend = session[auth.BACKEND_SESSION_KEY]
    except KeyError:
        return auth.get_user(request)
    if backend not in settings.AUTHENTICATION_BACKENDS:
        return auth.get_user(request)
    key = _key(pk)
    user = cache.get(key)
    session_hash = session.get(auth.HASH_SESSION_KEY) or ""
    if (
        user is not None
        and str(user.pk) == str(pk)
        and session_hash
        and constant_time_compare(session_hash, user.get_session_auth_hash())
    ):
        return user
    user = auth.get_user(request)
    if user.is_authenticated:
        cache.set(key, user, settings.USER_CACHE_SECONDS)
    return user


def _get_user(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = get_user(request)
    return request._cached_user


class AuthenticationMiddleware(middleware.AuthenticationMiddleware):
    """Django's, with the user from the shared cache (``get_user``)."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _get_user(request))
