"""The cache on Redis with a circuit breaker (issue 14: a frozen Redis).

django-redis with ``IGNORE_EXCEPTIONS`` turns a failed or timed-out call into a
miss, but every call still waits its socket timeout: a signed-in request reads the
session from the cache and writes it back on a miss, so each request paid two
timeouts while Redis was frozen (the process stopped, its port still accepting).
Here the first call that fails opens the breaker: for ``REDIS_BREAKER_SECONDS``
(settings) every cache call in this process is a miss at once, without touching
Redis; then one call tries again, and a failure opens it for as long again. A
request therefore waits at most one socket timeout (``SOCKET_TIMEOUT``, a quarter of
a second) per breaker period, whatever it reads or writes.
"""

import logging
import threading
import time

from django.conf import settings
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError

log = logging.getLogger(__name__)


class Breaker:
    """Open (calls skipped) for ``seconds`` after a failure; one process's view."""

    def __init__(self):
        self._lock = threading.Lock()
        self.open_until = 0.0

    def closed(self) -> bool:
        return time.monotonic() >= self.open_until

    def trip(self, seconds: float) -> None:
        with self._lock:
            was_closed = self.closed()
            self.open_until = time.monotonic() + seconds
        if was_closed:
            log.warning("Redis cache unavailable: calls skipped for %.1f s", seconds)

    def reset(self) -> None:
        with self._lock:
            self.open_until = 0.0


breaker = Breaker()


class _GuardedClient:
    """The django-redis client, each call passing the breaker first."""

    def __init__(self, client):
        self._client = client

    def __getattr__(self, name):
        attribute = getattr(self._client, name)
        if not callable(attribute) or name.startswith("_"):
            return attribute

        def guarded(*args, **kwargs):
            if not breaker.closed():
                raise ConnectionInterrupted(connection=None) from RedisConnectionError(
                    "Redis calls paused after a failure (circuit open)"
                )
            try:
                return attribute(*args, **kwargs)
            except ConnectionInterrupted:
                breaker.trip(settings.REDIS_BREAKER_SECONDS)
                raise

        return guarded


class BreakerRedisCache(RedisCache):
    """``django_redis.cache.RedisCache`` behind the process's breaker."""

    @property
    def client(self):
        if self._client is None:
            self._client = _GuardedClient(
                self._client_cls(self._server, self._params, self)
            )
        return self._client
