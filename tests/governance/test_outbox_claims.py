"""A crashed relay delays mail by under a minute, and a slow live one never has its
mail sent twice (issue 14, finding 5: after a worker was SIGKILLed mid-dispatch,
officers whose mail it had claimed waited 15-16 minutes for the stale-claim release).

A claim is a lease held by one process (``claimed_by`` = host:pid) and renewed while
its send runs; it is taken back when the lease lapses (``outbox.LEASE``, 20 s) or at
once when its process is gone from this machine; beat relays every 10 s and a worker
relays as it starts.
"""

import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from governance import outbox
from governance.models import OutboxMessage


def claimed(key: str, *, ago: timedelta, by: str = "elsewhere:1") -> OutboxMessage:
    message = outbox.outbox_enqueue(
        key=key, to=f"{key}@x.example", subject="S", body="B"
    )
    OutboxMessage.objects.filter(pk=message.pk).update(
        state=OutboxMessage.State.SENDING,
        next_attempt_at=timezone.now() - ago,
        claimed_by=by,
    )
    return message


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])  # noqa: S603
    proc.wait()
    return proc.pid


@pytest.mark.django_db
def test_the_claim_of_a_dead_relay_elsewhere_lapses_within_half_a_minute():
    """Another machine's claim not renewed for longer than the lease goes back to
    pending; a fresh one stays (its relay may be sending right now)."""
    assert outbox.LEASE <= timedelta(seconds=30)
    claimed("lapsed", ago=outbox.LEASE + timedelta(seconds=1))
    claimed("fresh", ago=timedelta(seconds=2))
    assert outbox.outbox_release_stale() == 1
    assert OutboxMessage.objects.get(key="lapsed").state == "pending"
    assert OutboxMessage.objects.get(key="fresh").state == "sending"


@pytest.mark.django_db
def test_beat_relays_often_enough_that_a_lapsed_claim_waits_under_a_minute(settings):
    every = settings.CELERY_BEAT_SCHEDULE["outbox-relay"]["schedule"]
    assert outbox.LEASE.total_seconds() + every < 60


@pytest.mark.django_db
def test_the_claim_of_a_process_gone_from_this_machine_is_released_at_once():
    """No need to wait for the lease: the process that claimed it no longer exists."""
    host = outbox.owner().rsplit(":", 1)[0]
    claimed("orphan", ago=timedelta(seconds=1), by=f"{host}:{dead_pid()}")
    claimed("alive", ago=timedelta(seconds=1), by=f"{host}:{os.getpid()}")
    assert outbox.outbox_release_stale() == 1
    assert OutboxMessage.objects.get(key="orphan").state == "pending"
    assert OutboxMessage.objects.get(key="alive").state == "sending"


@pytest.mark.django_db
def test_a_starting_worker_takes_back_and_sends_what_a_dead_process_claimed():
    """The worker_ready handler releases this machine's orphaned claims and kicks
    the relay (eager here: it sends at once)."""
    from governance.tasks import relay_on_worker_start

    host = outbox.owner().rsplit(":", 1)[0]
    claimed("orphan", ago=timedelta(seconds=1), by=f"{host}:{dead_pid()}")
    relay_on_worker_start()
    assert OutboxMessage.objects.get(key="orphan").state == "sent"
    assert [m.to for m in mail.outbox] == [["orphan@x.example"]]


@pytest.mark.django_db
def test_the_relay_claims_with_its_own_name():
    outbox.outbox_enqueue(key="mine", to="o@x.example", subject="S", body="B")
    seen = {}

    def send(self, fail_silently=False):
        row = OutboxMessage.objects.get(key="mine")
        seen["state"], seen["by"] = row.state, row.claimed_by
        return 1

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.core.mail.EmailMessage.send", send)
        assert outbox.outbox_relay() == 1
    assert seen == {"state": "sending", "by": outbox.owner()}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_slow_live_send_keeps_its_claim_past_the_lease(monkeypatch):
    """The SMTP server takes three leases to answer; meanwhile another relay's
    release finds the claim renewed and leaves it, so the mail goes once."""
    monkeypatch.setattr(outbox, "LEASE", timedelta(seconds=1))
    monkeypatch.setattr(outbox, "LEASE_RENEW_EVERY", 0.2)
    # A row as enqueued, without the eager relay that enqueueing would run here.
    OutboxMessage.objects.create(key="slow", to="o@x.example", subject="S", body="B")
    released = []

    def slow_send(self, fail_silently=False):
        for _ in range(3):
            time.sleep(1.0)
            released.append(outbox.outbox_release_stale())  # another relay's sweep
        return 1

    monkeypatch.setattr("django.core.mail.EmailMessage.send", slow_send)
    assert outbox.outbox_relay() == 1
    assert released == [0, 0, 0]
    assert OutboxMessage.objects.get(key="slow").state == "sent"


@pytest.mark.django_db
def test_a_message_sent_again_after_a_lost_reply_keeps_its_message_id(monkeypatch):
    """SMTP cannot be exactly-once: a relay that dies after the server has the
    message but before its reply sends it again. Every attempt of one outbox row
    carries the same Message-ID, so the officers' mail systems see one message."""
    OutboxMessage.objects.create(key="twice", to="o@x.example", subject="S", body="B")
    seen = []

    def reply_lost(self, fail_silently=False):
        seen.append(self.extra_headers["Message-ID"])
        if len(seen) == 1:
            raise ConnectionResetError("connection lost before the 250 reply")
        return 1

    monkeypatch.setattr("django.core.mail.EmailMessage.send", reply_lost)
    assert outbox.outbox_relay() == 0
    assert outbox.outbox_relay(now=timezone.now() + timedelta(hours=1)) == 1
    assert len(seen) == 2 and seen[0] == seen[1]
    assert OutboxMessage.objects.get(key="twice").message_id == seen[0]
