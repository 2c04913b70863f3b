"""A task really goes through Redis and a worker (not eager mode): a private
redis-server and a worker subprocess (tests/conftest.py). Required in CI."""

import time

import pytest

pytestmark = pytest.mark.redis


def test_a_task_round_trips_through_redis_and_a_worker(celery_app, celery_worker):
    from config.celery import app
    from governance.tasks import ping

    celery_worker().start()
    token = str(time.time())
    result = ping.delay(token)
    assert result.get(timeout=30) == f"pong:{token}"
    assert app.conf.broker_url.startswith("redis://")
