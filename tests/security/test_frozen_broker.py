"""A frozen broker never holds a request (issue 14, finding 1).

Redis frozen (SIGSTOP: the kernel still accepts the TCP connection, nothing answers)
made "circulate minutes" hang until gunicorn killed the worker: the publish path
waits on Redis' PING, which ``CELERY_BROKER_CONNECTION_TIMEOUT`` does not bound. Each
test runs a private redis-server (tests/servers.py) and freezes it, with the
Redis settings (``REDIS_URL`` set: required in CI).
"""

import threading
import time

import pytest
from django.db import transaction

from governance import outbox
from governance.models import OutboxMessage
from tests.meetings.minutes_scenario import approved_version, build_scenario
from tests.servers import deadline

pytestmark = pytest.mark.redis


@pytest.fixture
def scenario(db):
    return build_scenario()


@pytest.fixture
def app_on_frozen(redis_server, celery_app):
    """This process's Celery app publishes to a private Redis, frozen."""
    redis_server.freeze()
    yield celery_app
    outbox.kicks_wait(timeout=15)


def test_a_publish_to_a_frozen_redis_gives_up_within_seconds(app_on_frozen):
    """The publish itself is bounded (socket timeouts on connect, read and PING):
    it fails within the read timeout instead of waiting for ever."""
    from governance.tasks import outbox_relay

    result = {}

    def publish():
        started = time.monotonic()
        result["published"] = outbox.publish_quietly(
            lambda: outbox_relay.apply_async(retry=False)
        )
        result["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=publish, daemon=True)
    thread.start()
    thread.join(timeout=20)
    assert not thread.is_alive(), "the publish is still waiting on the frozen Redis"
    assert result["published"] is False
    assert result["seconds"] < 8, result


def after_commit_seconds(callbacks) -> float:
    """Run the request's after-commit callbacks (the relay kick) as Django would at
    the end of its transaction; how long they held the request."""
    started = time.monotonic()
    for callback in callbacks:
        callback()
    return time.monotonic() - started


def test_circulating_minutes_answers_at_once_while_redis_is_frozen(
    scenario, app_on_frozen, client, django_capture_on_commit_callbacks
):
    """The circulation's job is kicked after commit without waiting: the kick costs
    the request well under a second (no PDF is rendered in it), and the mails wait,
    held until the job's PDF exists, in the outbox, committed with the
    circulation."""
    version = approved_version(scenario)
    client.force_login(scenario.secretary)
    with deadline(20, "the circulation request"):
        with django_capture_on_commit_callbacks() as callbacks:
            response = client.post(f"/meetings/minutes/{version.pk}/circulate/")
        waited = after_commit_seconds(callbacks)
    assert callbacks, "the job is kicked after commit"
    assert response.status_code == 302
    assert waited < 0.5, f"the request waited {waited:.1f} s on the frozen broker"
    assert OutboxMessage.objects.filter(state="held").count() == len(scenario.officers)


def test_the_api_circulation_answers_at_once_while_redis_is_frozen(
    scenario, app_on_frozen, api_as, django_capture_on_commit_callbacks
):
    """The same through the API: 200, never a 500, and no wait on the broker."""
    version = approved_version(scenario)
    with deadline(20, "the API circulation request"):
        with django_capture_on_commit_callbacks() as callbacks:
            response = api_as(scenario.secretary).post(
                f"/api/v1/minutes/{version.pk}/circulate/"
            )
        waited = after_commit_seconds(callbacks)
    assert response.status_code == 200, response.content
    assert waited < 0.5, f"the request waited {waited:.1f} s on the frozen broker"


def test_many_kicks_while_frozen_never_pile_up_threads_or_wait(app_on_frozen):
    """Fifty commits in a row each kick the relay: every kick returns at once, the
    kicks are coalesced into one pending publish, and a single side thread makes
    the (bounded) attempt."""
    from governance.tasks import outbox_relay

    before = threading.active_count()
    started = time.monotonic()
    for _ in range(50):
        outbox.kick(outbox_relay)
    assert time.monotonic() - started < 0.5
    assert threading.active_count() <= before + 1


@pytest.mark.django_db
def test_an_outbox_row_commits_even_when_the_kick_fails(app_on_frozen):
    """The row is written in the change's transaction; the kick is a hint."""
    with deadline(20, "enqueue"):
        with transaction.atomic():
            outbox.outbox_enqueue(key="frozen", to="a@x.example", subject="S", body="B")
    assert OutboxMessage.objects.filter(key="frozen", state="pending").exists()


@pytest.mark.django_db
def test_a_paper_upload_does_not_wait_on_a_frozen_broker(
    app_on_frozen, django_capture_on_commit_callbacks
):
    """The paper's text extraction is kicked from the side thread after commit; it
    used to be published in the request (up to the broker's socket timeouts)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meetings.services.papers import paper_upload
    from tests.documents import blank_pdf
    from tests.meetings.builders import pmg
    from tests.meetings.factories import AgendaItemFactory

    built = pmg()
    item = AgendaItemFactory(meeting=built.meeting)
    with deadline(20, "the upload"):
        with django_capture_on_commit_callbacks() as callbacks:
            paper_upload(
                item=item,
                title="Paper",
                upload=SimpleUploadedFile("p.pdf", blank_pdf(1), "application/pdf"),
                by=built.secretary,
            )
        waited = after_commit_seconds(callbacks)
    assert callbacks, "the extraction is asked for after commit"
    assert waited < 0.5, f"the request waited {waited:.1f} s on the frozen broker"
