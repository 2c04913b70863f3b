"""What a signed-in request costs before the page's own queries, for tests that pin
query counts: the session is read from the cache when sessions are ``cached_db`` on
Redis (REDIS_URL set, as in CI and production), from the database otherwise."""

from django.conf import settings

SESSION_QUERIES = 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1
