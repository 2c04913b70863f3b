"""Exactly one beat sends (issue 20): two beats started on a shared Redis elect one
leader through a lock; the other stands by and takes over when the leader dies. So
two beats send each reminder once. Runs the real scheduler class (django-celery-beat's
database scheduler) against a private redis-server."""

import time

import pytest

from governance import beat
from governance.beat import SingleBeatScheduler
from tests.servers import RedisServer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def beats(settings, monkeypatch):
    """``make()`` builds a beat whose sends are recorded, not published."""
    from config.celery import app

    server = RedisServer().start()
    settings.REDIS_URL = server.url()
    sent: list[tuple[str, str]] = []
    made = []

    def record(self, entry, producer=None, advance=True, **kwargs):
        sent.append((self.token, entry.name))

    monkeypatch.setattr(SingleBeatScheduler, "apply_async", record)

    def make() -> SingleBeatScheduler:
        scheduler = SingleBeatScheduler(app=app)
        made.append(scheduler)
        return scheduler

    make.sent = sent
    make.server = server
    yield make
    for scheduler in made:
        scheduler.close()  # before the test database goes
    server.close()


def due_reminder():
    """A reminder task due every second."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(
        name="reminders", task="boards.tasks.terms_review_reminders", interval=every
    )


def run(schedulers, seconds: float) -> None:
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        for scheduler in schedulers:
            scheduler.tick()
        time.sleep(0.2)


def test_of_two_beats_one_leads_and_only_it_sends(beats):
    due_reminder()
    first, second = beats(), beats()
    run([first, second], 3.5)
    senders = {token for token, name in beats.sent if name == "reminders"}
    assert senders == {first.token}, "only the leader sends"
    assert first.leading and not second.leading
    reminders = [name for _, name in beats.sent if name == "reminders"]
    assert 2 <= len(reminders) <= 5, reminders  # once a second, not twice


def test_a_standby_beat_takes_over_when_the_leader_dies(beats, monkeypatch):
    monkeypatch.setattr(beat, "LOCK_TTL", 1)
    due_reminder()
    first, second = beats(), beats()
    run([first, second], 1.5)
    assert first.leading and not second.leading
    # The leader dies (it stops ticking and never releases its lock).
    run([second], 2.5)
    assert second.leading
    assert {t for t, n in beats.sent if n == "reminders"} == {first.token, second.token}


def test_a_stopped_leader_hands_over_at_once(beats):
    first, second = beats(), beats()
    first.tick()
    first.close()
    second.tick()
    assert second.leading
