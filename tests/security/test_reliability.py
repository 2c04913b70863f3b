"""Reliability of the minutes dispatch (issue 8; SPEC s.5 "never send the same
version twice to the same officer"):

- a Celery worker killed (SIGKILL) in the middle of a minutes dispatch: after a
  restart every authorised officer has exactly one mail;
- Redis stopped while minutes are circulated: the request still answers, and the
  outbox delivers once Redis is back.

Each test runs its own throwaway ``redis-server`` on a free port (never the
machine's shared Redis), a real worker subprocess on it, and an SMTP server
(aiosmtpd) standing for the officers' mail. The worker must see the test's rows,
so these need PostgreSQL (transactional test database).
"""

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from governance import outbox
from governance.models import OutboxMessage
from meetings.models import Delivery
from tests.meetings.minutes_scenario import approved_version, build_scenario

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout=60.0, step=0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


class Mailbox:
    """The officers' mail server. ``hold_from``: from that message on, the server
    does not answer DATA (a slow server), so the sender is stuck mid-dispatch; such
    a message is not delivered, as SMTP delivers only on the server's 250 reply."""

    def __init__(self):
        self.delivered: list[str] = []
        self.hold_from: int | None = None
        self.held = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        if self.hold_from is not None and len(self.delivered) >= self.hold_from:
            self.held += 1
            await asyncio.sleep(3600)
        self.delivered.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


@pytest.fixture
def mailbox():
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    box.port = port
    yield box
    controller.stop()


class Redis:
    """A throwaway redis-server that the test can stop and start on one port."""

    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="redis-")
        self.proc = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.proc = subprocess.Popen(  # noqa: S603 - a fixed local binary
            [
                REDIS,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.dir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_for(self.up, timeout=10), "redis-server did not start"

    def up(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        assert wait_for(lambda: not self.up(), timeout=10)


@pytest.fixture
def redis():
    server = Redis()
    server.start()
    yield server
    server.stop()
    shutil.rmtree(server.dir, ignore_errors=True)


@pytest.fixture
def app_on(redis, monkeypatch):
    """Point this process's Celery app at the throwaway Redis, not eager."""
    from config.celery import app

    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url = redis.url
    app.conf.task_always_eager = False
    app._pool = None
    app.amqp._producer_pool = None
    monkeypatch.setattr(outbox, "_broker_down_until", 0.0)
    yield app
    app.conf.broker_url, app.conf.task_always_eager = saved
    app._pool = None
    app.amqp._producer_pool = None


class Worker:
    def __init__(self, redis_url: str, smtp_port: int):
        db = connection.settings_dict
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": (
                f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:"
                f"{db['PORT'] or 5432}/{db['NAME']}"
            ),
            "REDIS_URL": redis_url,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_TIMEOUT": "3600",
        }
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(  # noqa: S603 - our own interpreter and module
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
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def workers(redis, mailbox):
    started = []

    def make() -> Worker:
        worker = Worker(redis.url, mailbox.port)
        started.append(worker)
        return worker

    yield make
    for worker in started:
        worker.stop()


def outcomes() -> list[str]:
    return sorted(
        Delivery.objects.select_related("outbox").values_list(
            "outbox__state", flat=True
        )
    )


def test_a_worker_killed_mid_dispatch_leaves_every_officer_exactly_one_mail(
    app_on, mailbox, workers
):
    """Seven officers; the mail server stalls on the third message and the worker is
    SIGKILLed while stuck there. Restarted, and once the claim of the dead worker
    has gone stale (15 minutes, simulated) beat's relay sends the rest: every
    officer has one mail, none two, and every delivery reads sent."""
    from governance.tasks import outbox_relay
    from meetings.services import minutes as services

    s = build_scenario(officers_per_partner=(4, 3))
    officers = sorted(o.email for o in s.officers)
    assert len(officers) == 7
    mailbox.hold_from = 2
    first = workers()
    first.start()
    version = approved_version(s)
    services.minutes_circulate(version=version, by=s.secretary)  # commit: nudge

    assert wait_for(lambda: mailbox.held >= 1), "the dispatch never got under way"
    first.kill()  # mid-dispatch: two sent, one stuck in DATA, four claimed
    assert len(mailbox.delivered) == 2
    states = list(OutboxMessage.objects.values_list("state", flat=True))
    assert states.count("sent") == 2 and states.count("sending") == 5

    mailbox.hold_from = None
    second = workers()
    second.start()
    # Sixteen minutes later, for the rows the dead worker had claimed...
    OutboxMessage.objects.filter(state="sending").update(
        next_attempt_at=timezone.now() - timedelta(minutes=16)
    )
    outbox_relay.delay()  # ...beat's periodic relay (every 30 s) runs again.
    assert wait_for(lambda: outcomes() == ["sent"] * 7, timeout=90), outcomes()
    for _ in range(2):  # and running it again changes nothing
        outbox_relay.delay()
    time.sleep(3)
    assert sorted(mailbox.delivered) == officers, "exactly one mail per officer"


def test_the_outbox_delivers_after_redis_returns(app_on, redis, mailbox, workers):
    """Redis stops; circulating still answers at once (the nudge fails quietly) and
    the mails wait in the outbox; Redis returns, the worker reconnects, and beat's
    relay delivers one mail to each officer."""
    from governance.tasks import outbox_relay
    from meetings.services import minutes as services

    s = build_scenario()
    worker = workers()
    worker.start()
    time.sleep(2)
    redis.stop()

    version = approved_version(s)
    started = time.monotonic()
    services.minutes_circulate(version=version, by=s.secretary)
    assert time.monotonic() - started < 15, "circulation waited on the dead broker"
    assert outcomes() == ["pending"] * len(s.officers)
    assert mailbox.delivered == []

    redis.start()
    outbox._broker_down_until = 0.0  # beat is its own process, with no back-off
    app_on._pool = None
    app_on.amqp._producer_pool = None
    outbox_relay.delay()  # beat's periodic relay, now that Redis is back
    expected = sorted(o.email for o in s.officers)
    assert wait_for(lambda: sorted(mailbox.delivered) == expected, timeout=90), (
        mailbox.delivered
    )
    assert outcomes() == ["sent"] * len(s.officers)
