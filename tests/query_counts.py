"""What a signed-in request costs before the page's own queries, for tests that pin
query counts: the session is read from the cache when sessions are ``cached_db`` on
Redis (REDIS_URL set, as in CI and production), from the database otherwise; the
signed-in person from the shared cache when there is one (Redis; stored at sign-in,
governance/user_cache.py), from the database otherwise."""

from django.conf import settings

SESSION_QUERIES = 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1
USER_QUERIES = (
    0 if not settings.CACHES["default"]["BACKEND"].endswith("LocMemCache") else 1
)
# Both, in the order Django reads them: the session, then the user.
SIGNED_IN = ["session"] * SESSION_QUERIES + ["user"] * USER_QUERIES
