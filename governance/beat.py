"""Exactly one beat, however many are started (issue 20).

``SingleBeatScheduler`` is django-celery-beat's database scheduler that sends due
tasks only while it holds a lock in Redis (``LOCK``, expiring after ``LOCK_TTL``
seconds and renewed on every tick). A second beat, on this machine or another,
waits as a standby and takes over within ``LOCK_TTL`` seconds of the first dying.
Without ``REDIS_URL`` (one machine, ``make run``) there is no lock to take and the
scheduler is django-celery-beat's own.

Two layers: should two beats ever both send (a frozen leader waking after its lock
expired), every reminder is still sent once, because each is an outbox row with an
idempotent key (``governance.outbox.outbox_enqueue``).
"""

import logging
import uuid

from django.conf import settings
from django_celery_beat.schedulers import DatabaseScheduler

log = logging.getLogger(__name__)

LOCK = "governance:beat-leader"
LOCK_TTL = 30  # seconds
STANDBY_TICK = 5.0  # seconds between a standby's attempts to take the lock


class SingleBeatScheduler(DatabaseScheduler):
    #: Ticks at least this often, so the leader renews its lock well within LOCK_TTL.
    max_interval = 5

    def __init__(self, *args, **kwargs):
        self.token = uuid.uuid4().hex
        self.leading = False
        self._redis = None
        super().__init__(*args, **kwargs)

    def _client(self):
        if self._redis is None:
            import redis

            self._redis = redis.Redis.from_url(
                settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2
            )
        return self._redis

    def lead(self) -> bool:
        """Take or renew the lock; True while this beat is the one that sends."""
        if not settings.REDIS_URL:
            return True
        client = self._client()
        try:
            if self.leading:
                renewed = client.eval(
                    "if redis.call('get', KEYS[1]) == ARGV[1] then "
                    "return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end",
                    1,
                    LOCK,
                    self.token,
                    LOCK_TTL * 1000,
                )
                self.leading = bool(renewed)
            else:
                self.leading = bool(
                    client.set(LOCK, self.token, nx=True, px=LOCK_TTL * 1000)
                )
                if self.leading:
                    log.warning(
                        "beat %s leads: it sends the periodic tasks", self.token
                    )
        except Exception as exc:  # noqa: BLE001 - Redis down: nothing to send to
            log.warning("beat lock unavailable (%s); standing by", exc)
            self.leading = False
        return self.leading

    def tick(self, *args, **kwargs):
        if not self.lead():
            return STANDBY_TICK
        return super().tick(*args, **kwargs)

    def close(self):
        if self.leading and self._redis is not None:
            try:
                self._redis.eval(
                    "if redis.call('get', KEYS[1]) == ARGV[1] then "
                    "return redis.call('del', KEYS[1]) else return 0 end",
                    1,
                    LOCK,
                    self.token,
                )
            except Exception:  # noqa: BLE001, S110 - it expires by itself
                pass
        super().close()
