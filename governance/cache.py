"""The cache on Redis with a circuit breaker (issue 14: a frozen Redis).

django-redis with ``IGNORE_EXCEPTIONS`` turns a failed or timed-out call into a
miss, but every call still waits its socket timeout: a signed-in request reads the
session from the cache and writes it back on a miss, so each request paid two
timeouts while Redis was frozen (the process stopped, its port still accepting).
Here the first call that fails opens the breaker: every cache call in this process
is then a miss at once, without touching Redis; every ``REDIS_BREAKER_SECONDS``
(settings) a side thread pings Redis, and the breaker closes when it answers. So a
process waits on a failed Redis once per outage (one socket timeout,
``SOCKET_TIMEOUT``, a quarter of a second), whatever its requests read or write.

``database_id`` names the database in cache keys whose values come from it.
"""

import logging
import threading
import time

from django.conf import settings
from django.db import connection
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError

log = logging.getLogger(__name__)


class Breaker:
    """Open (calls skipped) after a failure; one process's view. Once
    ``REDIS_BREAKER_SECONDS`` have passed, the next call starts a probe (a PING) in
    a side thread and is still skipped; the breaker closes when a probe answers and
    stays open for another period when it does not. So a request waits on a failed
    Redis once per outage, in the call that found it failed, never to find out
    whether it came back."""

    def __init__(self):
        self._lock = threading.Lock()
        self.open_until = 0.0
        self.is_open = False
        self.probing = False

    def closed(self, probe=None) -> bool:
        """Whether a call may go to Redis; ``probe`` (a callable that raises when
        Redis does not answer) is started in a side thread when it is time to try
        again."""
        with self._lock:
            if not self.is_open:
                return True
            if self.probing or time.monotonic() < self.open_until or probe is None:
                return False
            self.probing = True
        threading.Thread(
            target=self._probe, args=(probe,), name="redis-breaker-probe", daemon=True
        ).start()
        return False

    def _probe(self, probe) -> None:
        try:
            probe()
        except Exception:  # noqa: BLE001 - any failure keeps the breaker open
            self.trip(settings.REDIS_BREAKER_SECONDS)
        else:
            self.reset()
            log.warning("Redis cache answers again")
        finally:
            with self._lock:
                self.probing = False

    def settle(self, timeout: float = 2.0) -> None:
        """Until no probe is running (tests)."""
        deadline = time.monotonic() + timeout
        while self.probing and time.monotonic() < deadline:
            time.sleep(0.01)

    def trip(self, seconds: float) -> None:
        with self._lock:
            was_open = self.is_open
            self.is_open = True
            self.open_until = time.monotonic() + seconds
        if not was_open:
            log.warning("Redis cache unavailable: calls skipped for %.1f s", seconds)

    def reset(self) -> None:
        with self._lock:
            self.is_open = False
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
            if not breaker.closed(probe=self._ping):
                raise ConnectionInterrupted(connection=None) from RedisConnectionError(
                    "Redis calls paused after a failure (circuit open)"
                )
            try:
                return attribute(*args, **kwargs)
            except ConnectionInterrupted:
                breaker.trip(settings.REDIS_BREAKER_SECONDS)
                raise

        return guarded

    def _ping(self) -> None:
        self._client.get_client(write=True).ping()


class BreakerRedisCache(RedisCache):
    """``django_redis.cache.RedisCache`` behind the process's breaker."""

    @property
    def client(self):
        if self._client is None:
            self._client = _GuardedClient(
                self._client_cls(self._server, self._params, self)
            )
        return self._client


_database_id: str | None = None


def database_id() -> str:
    """The database's identity (its OID on PostgreSQL), read once per process."""
    global _database_id
    if _database_id is None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT oid FROM pg_database WHERE datname = current_database()"
                )
                _database_id = str(cursor.fetchone()[0])
        else:
            _database_id = connection.settings_dict["NAME"]
    return _database_id
