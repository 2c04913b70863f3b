"""Reliability of the minutes dispatch (issue 8; SPEC s.5 "never send the same
version twice to the same officer"):

- a Celery worker killed (SIGKILL) in the middle of a minutes dispatch: after a
  restart every authorised officer has exactly one mail;
- Redis stopped while minutes are circulated: the request still answers, and the
  outbox delivers once Redis is back.

Each test runs its own throwaway ``redis-server`` (never the machine's shared
Redis), real worker subprocesses on it, and an SMTP server (aiosmtpd) standing for
the officers' mail: the fixtures of tests/conftest.py. The worker must see the
test's rows, so these need PostgreSQL (transactional test database).
"""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from governance import outbox
from governance.models import OutboxMessage
from meetings.models import Delivery
from tests.meetings.minutes_scenario import approved_version, build_scenario
from tests.servers import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def outcomes() -> list[str]:
    return sorted(
        Delivery.objects.select_related("outbox").values_list(
            "outbox__state", flat=True
        )
    )


def test_a_worker_killed_mid_dispatch_leaves_every_officer_exactly_one_mail(
    celery_app, mailbox, celery_worker
):
    """Seven officers; the mail server stalls on the third message and the worker is
    SIGKILLed while stuck there. Restarted, the worker takes back at once what the
    dead process had claimed (issue 14: it used to wait 15 minutes for a stale
    claim) and sends the rest within a minute: every officer has one mail, none
    two, and every delivery reads sent."""
    from governance.tasks import outbox_relay
    from meetings.services import minutes as services

    s = build_scenario(officers_per_partner=(4, 3))
    officers = sorted(o.email for o in s.officers)
    assert len(officers) == 7
    mailbox.hold_from = 2
    first = celery_worker(mailbox=mailbox, EMAIL_TIMEOUT="3600")
    first.start()
    version = approved_version(s)
    services.minutes_circulate(version=version, by=s.secretary)  # commit: kick

    assert wait_for(lambda: mailbox.held >= 1, timeout=60), (
        "the dispatch never got under way"
    )
    first.kill()  # mid-dispatch: two sent, one stuck in DATA (claimed), four pending
    killed_at = time.monotonic()
    assert len(mailbox.delivered) == 2
    states = list(OutboxMessage.objects.values_list("state", flat=True))
    assert states.count("sent") == 2 and states.count("sending") == 1

    mailbox.hold_from = None
    second = celery_worker(mailbox=mailbox, EMAIL_TIMEOUT="3600")
    second.start()  # relays as it starts; no beat, no clock tricks
    assert wait_for(lambda: outcomes() == ["sent"] * 7, timeout=60), outcomes()
    assert time.monotonic() - killed_at < 60
    for _ in range(2):  # and running it again changes nothing
        outbox_relay.delay()
    time.sleep(3)
    assert sorted(mailbox.delivered) == officers, "exactly one mail per officer"


def test_the_outbox_delivers_after_redis_returns(
    celery_app, redis_server, mailbox, celery_worker
):
    """Redis stops; circulating still answers at once (the job's publish fails
    quietly) and the mails wait, held, in the outbox; Redis returns, the worker
    reconnects, beat's sweep publishes the job again (its PDFs rendered, the mails
    released) and the relay delivers one mail to each officer."""
    from governance.tasks import outbox_relay
    from meetings.services import minutes as services

    s = build_scenario()
    worker = celery_worker(mailbox=mailbox, EMAIL_TIMEOUT="3600")
    worker.start()
    time.sleep(2)
    redis_server.stop()

    version = approved_version(s)
    started = time.monotonic()
    services.minutes_circulate(version=version, by=s.secretary)
    assert time.monotonic() - started < 15, "circulation waited on the dead broker"
    assert outcomes() == ["held"] * len(s.officers)
    assert mailbox.delivered == []

    redis_server.start()
    outbox._broker_down_until = 0.0  # beat is its own process, with no back-off
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    # Beat's jobs sweep, a little later: the circulation's job is published again.
    from meetings.services.minutes_jobs import jobs_sweep

    assert jobs_sweep(now=timezone.now() + timedelta(minutes=1)) >= 1
    outbox_relay.delay()  # beat's periodic relay, now that Redis is back
    expected = sorted(o.email for o in s.officers)
    assert wait_for(lambda: sorted(mailbox.delivered) == expected, timeout=90), (
        mailbox.delivered
    )
    # The worker records "sent" once the server's 250 reply reaches it, a moment
    # after the mailbox has the message.
    assert wait_for(lambda: outcomes() == ["sent"] * len(s.officers), timeout=30), (
        outcomes()
    )
