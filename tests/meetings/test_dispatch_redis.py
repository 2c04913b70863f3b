"""Dispatch through the real broker: a Celery worker subprocess on a private Redis
relays the outbox after circulation and the officers' SMTP server (aiosmtpd)
receives one message each, even when the relay task is delivered again. Needs
PostgreSQL (the worker must see the test database) and Redis; required in CI."""

import time

import pytest

from meetings.models import Delivery
from tests.meetings.minutes_scenario import approved_version, build_scenario
from tests.servers import wait_for

pytestmark = [pytest.mark.redis, pytest.mark.postgres]


@pytest.mark.django_db(transaction=True)
def test_circulation_reaches_every_officer_through_redis_and_a_worker(
    celery_app, celery_worker, mailbox
):
    """Circulating publishes the relay to Redis after commit; the worker sends one
    message per officer with the PDF; duplicated relay tasks send nothing more."""
    from governance.tasks import outbox_relay
    from meetings.services import minutes as services

    celery_worker(mailbox=mailbox).start()
    assert celery_app.conf.broker_url.startswith("redis://")
    s = build_scenario()
    version = approved_version(s)
    services.minutes_circulate(version=version, by=s.secretary)  # commits: nudge
    expected = len(s.officers)
    assert wait_for(lambda: len(mailbox.messages) >= expected, timeout=60), (
        mailbox.messages
    )
    for _ in range(3):  # the same task delivered again
        outbox_relay.delay()
    assert wait_for(
        lambda: all(
            d.outcome == "sent" for d in Delivery.objects.select_related("outbox")
        ),
        timeout=60,
    )
    time.sleep(3)
    recipients = sorted(r for rcpts, _ in mailbox.messages for r in rcpts)
    assert recipients == sorted(o.email for o in s.officers)
    assert all(b"application/pdf" in content for _, content in mailbox.messages)
