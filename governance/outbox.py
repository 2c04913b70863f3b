"""The transactional outbox for e-mail.

``outbox_enqueue`` is called inside the transaction that makes the change (a
circulation, an escalation); the row commits or rolls back with it. After commit a
relay task is nudged; if the broker is down the nudge is dropped and beat's periodic
``outbox_relay`` picks the row up anyway. The relay claims rows with
``SELECT ... FOR UPDATE SKIP LOCKED`` so two workers never send the same row, and a
row moves to ``sent`` in the same transaction that records its message id.

A claim is a lease: the row records who holds it (``claimed_by``, host:pid) and
when it was taken or last renewed (``next_attempt_at``); a side thread renews it
every few seconds while the send runs, however slow the mail server. A claim is
taken back when its lease lapses (``LEASE``) or, on the claimant's own machine, as
soon as its process is gone, so a crashed worker delays mail by well under a minute
(beat relays every 10 s, and a starting worker relays at once).
"""

import logging
import os
import random
import socket
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connections, transaction
from django.utils import timezone

from .models import OutboxMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_CAP = timedelta(minutes=30)


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes
    mimetype: str = "application/pdf"


def outbox_enqueue(
    *,
    key: str,
    to: str,
    subject: str,
    body: str,
    attachment: Attachment | None = None,
    held: bool = False,
) -> OutboxMessage:
    """Queue one e-mail. Idempotent on ``key``: the same key never makes two rows,
    so "never send the same version twice to the same officer" is a key such as
    ``minutes:<version id>:officer:<officer id>``.

    ``held``: the row is written now but is not sent until ``outbox_release``
    gives it what it still lacks (its attachment, made by a worker later)."""
    message, created = OutboxMessage.objects.get_or_create(
        key=key,
        defaults={
            "to": to,
            "subject": subject,
            "body": body,
            "attachment_name": attachment.name if attachment else "",
            "attachment": attachment.content if attachment else None,
            "attachment_mimetype": attachment.mimetype if attachment else "",
            "state": (
                OutboxMessage.State.HELD if held else OutboxMessage.State.PENDING
            ),
        },
    )
    if created and not held:
        transaction.on_commit(_nudge_relay)
    return message


def outbox_release(
    message_id: int, *, subject: str, body: str, attachment: Attachment | None
) -> bool:
    """A held row, completed (subject, body, attachment) and made sendable; the
    relay is nudged after commit. Only a row still held changes, so releasing
    twice (a retried job) sends nothing twice. Call it inside the transaction
    that stores what the row waited for. True if this call released it."""
    released = OutboxMessage.objects.filter(
        id=message_id, state=OutboxMessage.State.HELD
    ).update(
        state=OutboxMessage.State.PENDING,
        subject=subject,
        body=body,
        attachment_name=attachment.name if attachment else "",
        attachment=attachment.content if attachment else None,
        attachment_mimetype=attachment.mimetype if attachment else "",
        next_attempt_at=timezone.now(),
    )
    if released:
        transaction.on_commit(_nudge_relay)
    return bool(released)


# After a failed publish, publishing is skipped for a while in this process: each
# attempt on a dead or frozen broker costs up to the socket timeouts, and beat's
# sweeps deliver whatever was not published.
BROKER_RETRY_AFTER = 30.0
_broker_down_until = 0.0


def publish_quietly(send) -> bool:
    """Call ``send()`` (a task publish) unless the broker failed in the last
    ``BROKER_RETRY_AFTER`` seconds; never raises. Beat's sweeps deliver whatever
    was not published. The publish itself is bounded by the broker's socket
    timeouts (settings ``CELERY_BROKER_TRANSPORT_OPTIONS``)."""
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        return False
    try:
        send()
    except Exception:  # noqa: BLE001 - any broker failure; the sweep covers it
        _broker_down_until = time.monotonic() + BROKER_RETRY_AFTER
        log.warning("broker unavailable; left to the beat sweep")
        return False
    return True


class _Kicker:
    """Publishes task messages from one side thread per process, so a request that
    kicks a task never waits on the broker (issue 14: a frozen Redis held
    "circulate minutes" for 30 s). Kicks of the same task with the same arguments
    are coalesced while one is pending, and at most ``LIMIT`` wait: every kicked
    task has a beat sweep behind it, so a dropped kick only delays work."""

    LIMIT = 100

    def __init__(self):
        self._reset()
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self):
        self.lock = threading.Lock()
        self.wake = threading.Condition(self.lock)
        self.pending: dict[tuple, object] = {}
        self.busy = False
        self.thread: threading.Thread | None = None

    def kick(self, key: tuple, send) -> None:
        with self.lock:
            if key in self.pending or len(self.pending) >= self.LIMIT:
                return
            self.pending[key] = send
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(
                    target=self._run, name="broker-kicker", daemon=True
                )
                self.thread.start()
            self.wake.notify()

    def _run(self) -> None:
        while True:
            with self.lock:
                while not self.pending:
                    self.busy = False
                    self.wake.notify_all()
                    self.wake.wait()
                key = next(iter(self.pending))
                send = self.pending.pop(key)
                self.busy = True
            publish_quietly(send)

    def wait(self, timeout: float) -> bool:
        """Until nothing is pending or being published (tests, shutdown)."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while self.pending or self.busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.wake.wait(left)
        return True


_kicker = _Kicker()


def kick(task, args: tuple = ()) -> None:
    """Ask a worker to run ``task(*args)`` soon, without waiting on the broker.
    Call it after commit (``transaction.on_commit``). In eager mode (tests, no
    worker) the task runs here and now, as eager mode means."""
    send = lambda: task.apply_async(args=args, retry=False)  # noqa: E731
    if task.app.conf.task_always_eager:
        publish_quietly(send)
        return
    _kicker.kick((task.name, tuple(args)), send)


def kicks_wait(timeout: float = 10.0) -> bool:
    """Wait until this process's pending kicks are published or given up."""
    return _kicker.wait(timeout)


def _nudge_relay() -> None:
    """Ask a worker to relay now. Never blocks a request on the broker: if it is
    down the beat sweep delivers the row later."""
    from .tasks import outbox_relay

    kick(outbox_relay)


def backoff(attempts: int) -> timedelta:
    """Exponential backoff with full jitter, capped well below the broker's
    visibility timeout."""
    ceiling = min(BACKOFF_CAP.total_seconds(), 30 * 2**attempts)
    return timedelta(seconds=random.uniform(ceiling / 2, ceiling))


LEASE = timedelta(seconds=20)
LEASE_RENEW_EVERY = 5.0  # seconds


def owner() -> str:
    """Who claims: this process, named so another process on the same machine can
    tell whether it is still alive."""
    return f"{socket.gethostname()}:{os.getpid()}"


def outbox_relay(*, now=None) -> int:
    """Send due messages, one claim at a time; returns how many were sent."""
    sent = 0
    me = owner()
    while (message_id := _claim(now=now or timezone.now(), by=me)) is not None:
        sent += _send_one(message_id, by=me)
    return sent


def _claim(*, now, by: str) -> int | None:
    """Lock: one OutboxMessage row, FOR UPDATE SKIP LOCKED, then mark it sending
    under ``by``'s lease so a parallel relay skips it."""
    with transaction.atomic():
        message_id = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(state=OutboxMessage.State.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at")
            .values_list("id", flat=True)
            .first()
        )
        if message_id is not None:
            OutboxMessage.objects.filter(id=message_id).update(
                state=OutboxMessage.State.SENDING,
                next_attempt_at=timezone.now(),
                claimed_by=by,
            )
    return message_id


class _Lease:
    """Renews a claim every ``LEASE_RENEW_EVERY`` seconds from a side thread while
    the send runs, so a slow but live send is never taken for a dead one."""

    def __init__(self, message_id: int, by: str):
        self.message_id, self.by = message_id, by
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._renew, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()

    def _renew(self) -> None:
        try:
            while not self.stop.wait(LEASE_RENEW_EVERY):
                OutboxMessage.objects.filter(
                    id=self.message_id,
                    state=OutboxMessage.State.SENDING,
                    claimed_by=self.by,
                ).update(next_attempt_at=timezone.now())
        finally:
            connections.close_all()  # this thread's own connection


def message_id_for(message: OutboxMessage) -> str:
    """One Message-ID per outbox row, the same on every attempt: SMTP cannot be
    exactly-once (a relay that dies after the server has the message but before
    its reply sends it again), and mail systems show one message per Message-ID."""
    stamp = message.created_at.strftime("%Y%m%d%H%M%S")
    return f"<outbox.{message.pk}.{stamp}@partnership-governance>"


def _send_one(message_id: int, *, by: str) -> int:
    message = OutboxMessage.objects.get(id=message_id)
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers={"Message-ID": message_id_for(message)},
    )
    if message.attachment_name:
        email.attach(
            message.attachment_name,
            bytes(message.attachment),
            message.attachment_mimetype,
        )
    message.attempts += 1
    try:
        with _Lease(message_id, by):
            email.send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - SMTP and socket errors alike
        message.last_error = f"{type(exc).__name__}: {exc}"
        if message.attempts >= MAX_ATTEMPTS:
            message.state = OutboxMessage.State.FAILED
        else:
            message.state = OutboxMessage.State.PENDING
            message.next_attempt_at = timezone.now() + backoff(message.attempts)
        message.save()
        log.warning("outbox %s failed: %s", message.key, message.last_error)
        return 0
    message.state = OutboxMessage.State.SENT
    message.sent_at = timezone.now()
    message.message_id = email.extra_headers["Message-ID"]
    message.last_error = ""
    message.save()
    return 1


def outbox_release_stale(*, now=None) -> int:
    """Claims whose lease lapsed, or whose process is gone from this machine, go
    back to pending; returns how many."""
    now = now or timezone.now()
    sending = OutboxMessage.objects.filter(state=OutboxMessage.State.SENDING)
    lapsed = sending.filter(next_attempt_at__lte=now - LEASE)
    host = socket.gethostname()
    orphaned = [
        by
        for by in sending.filter(claimed_by__startswith=f"{host}:")
        .values_list("claimed_by", flat=True)
        .distinct()
        if not _alive(by)
    ]
    released = lapsed.update(state=OutboxMessage.State.PENDING)
    if orphaned:
        released += sending.filter(claimed_by__in=orphaned).update(
            state=OutboxMessage.State.PENDING
        )
    return released


def _alive(by: str) -> bool:
    try:
        pid = int(by.rsplit(":", 1)[1])
    except (IndexError, ValueError):
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
