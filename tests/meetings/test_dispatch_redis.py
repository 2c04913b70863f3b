"""Dispatch through the real broker: a Celery worker subprocess on Redis relays the
outbox after circulation and the officers' SMTP server (aiosmtpd) receives one
message each, even when the relay task is delivered again. Needs REDIS_URL and a
PostgreSQL DATABASE_URL (the worker must see the test database); required in CI."""

import os
import subprocess
import sys
import time

import pytest
from django.db import connection

from meetings.models import Delivery
from tests.meetings.minutes_scenario import approved_version, build_scenario
from tests.meetings.test_dispatch import Collect, free_port

pytestmark = [pytest.mark.redis, pytest.mark.postgres]


@pytest.fixture
def smtp():
    from aiosmtpd.controller import Controller

    handler = Collect()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def worker(smtp):
    _, port = smtp
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": url,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
    }
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter and module
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


def wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


@pytest.mark.django_db(transaction=True)
def test_circulation_reaches_every_officer_through_redis_and_a_worker(smtp, worker):
    """Circulating publishes the relay to Redis after commit; the worker sends one
    message per officer with the PDF; duplicated relay tasks send nothing more."""
    from config.celery import app
    from governance.tasks import outbox_relay
    from meetings.services import minutes as services

    handler, _ = smtp
    app.conf.task_always_eager = False
    try:
        assert app.conf.broker_url.startswith("redis://")
        s = build_scenario()
        version = approved_version(s)
        services.minutes_circulate(version=version, by=s.secretary)  # commits: nudge
        expected = len(s.officers)
        assert wait_for(lambda: len(handler.messages) >= expected), handler.messages
        for _ in range(3):  # the same task delivered again
            outbox_relay.delay()
        assert wait_for(
            lambda: all(
                d.outcome == "sent" for d in Delivery.objects.select_related("outbox")
            )
        )
        time.sleep(3)
        recipients = sorted(r for rcpts, _ in handler.messages for r in rcpts)
        assert recipients == sorted(o.email for o in s.officers)
        assert all(b"application/pdf" in content for _, content in handler.messages)
    finally:
        app.conf.task_always_eager = True
