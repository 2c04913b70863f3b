"""A task really goes through Redis and a worker (not eager mode). Needs REDIS_URL;
required in CI."""

import os
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.redis


@pytest.fixture
def worker():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield proc
    proc.terminate()
    proc.wait(timeout=20)


def test_a_task_round_trips_through_redis_and_a_worker(worker):
    from config.celery import app
    from governance.tasks import ping

    app.conf.task_always_eager = False
    token = str(time.time())
    result = ping.delay(token)
    assert result.get(timeout=30) == f"pong:{token}"
    assert app.conf.broker_url.startswith("redis://")
