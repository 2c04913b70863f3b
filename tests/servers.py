"""Real servers for the tests that need them: a private ``redis-server`` (which a
test can also freeze: SIGSTOP, the port still accepting), an SMTP server (aiosmtpd)
standing for the officers' mail, and a Celery worker subprocess; and ``deadline``,
which turns a hang into a failure.

Never the machine's shared Redis, and never a fixed port: each server takes a port
the kernel hands out and proves it owns it, so tests running in parallel
(``pytest -n``, or other people's suites on the same machine) never share one. The
fixtures over these live in tests/conftest.py.
"""

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

from aiosmtpd.controller import Controller

REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"
ATTEMPTS = 5


def free_port() -> int:
    """A port nobody listens on now (the kernel's choice); a server started on it
    must still check it won the port, as another process may take it first."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout=30.0, step=0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def _redis_command(port: int, command: bytes, timeout=0.5) -> bytes:
    """One command's reply: a status line, or a bulk string's content."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.settimeout(timeout)
        sock.sendall(command)
        with sock.makefile("rb") as reply:
            first = reply.readline()
            if first.startswith(b"$"):
                return reply.read(int(first[1:]) + 2)
            return first


class RedisServer:
    """A throwaway redis-server that a test can stop and start again on its port."""

    def __init__(self):
        self.port: int | None = None
        self.dir = tempfile.mkdtemp(prefix="redis-")
        self.proc: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> "RedisServer":
        """Start on a free port, or on the same port again after ``stop()`` (the
        workers reconnect to the URL they were given)."""
        for _ in range(ATTEMPTS):
            port = self.port or free_port()
            proc = self._launch(port)
            if proc is not None:
                self.port, self.proc = port, proc
                return self
            time.sleep(0.5)  # the port was taken: another one, or the same later
        raise RuntimeError(f"redis-server did not start (port {self.port or '?'})")

    def _launch(self, port: int) -> subprocess.Popen | None:
        proc = subprocess.Popen(  # noqa: S603 - a fixed local binary
            [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", self.dir],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: proc.poll() is not None or self._serves(port, proc), 10)
        if proc.poll() is None and self._serves(port, proc):
            return proc
        proc.kill()
        proc.wait(timeout=10)
        return None

    @staticmethod
    def _serves(port: int, proc: subprocess.Popen) -> bool:
        """Our process answers on the port (not another test's server on it)."""
        try:
            info = _redis_command(port, b"INFO server\r\n")
        except OSError:
            return False
        return f"process_id:{proc.pid}\r\n".encode() in info

    def up(self) -> bool:
        try:
            return _redis_command(self.port, b"PING\r\n").startswith(b"+PONG")
        except OSError:
            return False

    def freeze(self) -> None:
        """SIGSTOP: the kernel still accepts connections, Redis answers nothing."""
        os.kill(self.proc.pid, signal.SIGSTOP)
        self.frozen = True

    def thaw(self) -> None:
        os.kill(self.proc.pid, signal.SIGCONT)
        self.frozen = False

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            if getattr(self, "frozen", False):
                self.thaw()
            self.proc.kill()
            self.proc.wait(timeout=10)
        assert wait_for(lambda: not self.up(), timeout=10)

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class Mailbox:
    """The officers' mail server (aiosmtpd on 127.0.0.1). ``messages`` holds each
    message as (recipients, raw content) and ``delivered`` every recipient.
    ``hold_from``: from that message on the server does not answer DATA (a stalled
    server), so the sender is stuck mid-dispatch; such a message is not delivered,
    as SMTP delivers only on the server's 250 reply."""

    def __init__(self):
        self.messages: list[tuple[list[str], bytes]] = []
        self.delivered: list[str] = []
        self.hold_from: int | None = None
        self.held = 0
        self.port: int | None = None
        self.controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        if self.hold_from is not None and len(self.delivered) >= self.hold_from:
            self.held += 1
            await asyncio.sleep(3600)
        self.messages.append((envelope.rcpt_tos, envelope.content))
        self.delivered.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"

    def start(self) -> "Mailbox":
        for _ in range(ATTEMPTS):
            port = free_port()
            controller = Controller(self, hostname="127.0.0.1", port=port)
            try:
                controller.start()
            except (OSError, RuntimeError, TimeoutError):
                continue  # the port was taken after free_port() chose it
            self.port, self.controller = port, controller
            return self
        raise RuntimeError("the SMTP server did not start")

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()


class CeleryWorker:
    """``celery -A config worker`` in a subprocess: on the given Redis, the test's
    database (``database_url``, so it sees the test's committed rows) and, with
    ``smtp_port``, sending mail over SMTP to 127.0.0.1."""

    def __init__(self, *, redis_url: str, database_url=None, smtp_port=None, **env):
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "REDIS_URL": redis_url,
            **env,
        }
        if database_url:
            self.env["DATABASE_URL"] = database_url
        if smtp_port is not None:
            self.env |= {
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(smtp_port),
            }
        self.proc: subprocess.Popen | None = None

    def start(self) -> "CeleryWorker":
        self.proc = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "celery", "-A", "config", "worker"]
            + ["--pool=solo", "--loglevel=WARNING", "--without-gossip"]
            + ["--without-mingle", "--without-heartbeat"],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return self

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@contextlib.contextmanager
def deadline(seconds: int, what: str):
    """Fail (TimeoutError) instead of hanging if the block runs past ``seconds``:
    SIGALRM interrupts a blocking socket read in this (the main) thread."""

    def expired(signum, frame):
        raise TimeoutError(f"{what} still waiting after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
