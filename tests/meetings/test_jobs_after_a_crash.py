"""A pack or archive whose worker died mid-build is built again within a minute
(issue 20: "one worker killed mid-pack"). The job used to stay ``running`` for
ever: the claim took only queued jobs, so neither the sweep nor the redelivered task
ran it again. Now a running job carries a heartbeat its worker renews; once it
lapses the job is claimable again, and beat sweeps every 15 s."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from meetings.models import MinutesJob
from meetings.services import minutes_jobs
from meetings.services.minutes_jobs import job_request, job_run, jobs_sweep

pytestmark = pytest.mark.django_db


def running(job, *, heartbeat_ago: timedelta):
    MinutesJob.objects.filter(pk=job.pk).update(
        state=MinutesJob.State.RUNNING,
        started_at=timezone.now() - timedelta(hours=1),
        heartbeat_at=timezone.now() - heartbeat_ago,
    )


@pytest.fixture
def pack(scenario):
    return job_request(
        kind=MinutesJob.Kind.AGENDA_PACK,
        by=scenario.secretary,
        meeting=scenario.meeting,
    )


@pytest.fixture
def crashed_job(pack):
    """A pack job a worker claimed and then died building: no heartbeat since."""
    running(pack, heartbeat_ago=minutes_jobs.RUNNING_STALE_AFTER + timedelta(seconds=1))
    return pack


def test_the_sweep_builds_a_job_whose_worker_died(crashed_job):
    assert jobs_sweep() == 1  # published again (eager here: built at once)
    crashed_job.refresh_from_db()
    assert crashed_job.state == "done", crashed_job.error


def test_a_redelivered_task_builds_a_job_whose_worker_died(crashed_job):
    assert job_run(job_id=crashed_job.pk) is True
    crashed_job.refresh_from_db()
    assert crashed_job.state == "done"


def test_a_long_build_with_a_live_heartbeat_is_left_to_its_worker(pack):
    """Started an hour ago, but its worker renewed the heartbeat a moment ago."""
    running(pack, heartbeat_ago=timedelta(seconds=2))
    assert jobs_sweep() == 0
    assert job_run(job_id=pack.pk) is False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_worker_renews_the_heartbeat_while_it_builds(pack, monkeypatch):
    """A build slower than the renewal period keeps its heartbeat fresh (the side
    thread writes on its own connection, so the rows must be committed)."""
    monkeypatch.setattr(minutes_jobs, "HEARTBEAT_EVERY", 0.05)
    heartbeats = []

    def slow_pack(job):
        for _ in range(2):
            heartbeats.append(MinutesJob.objects.get(pk=job.pk).heartbeat_at)
            time.sleep(0.3)
        return b"%PDF-", "pack.pdf", "application/pdf"

    monkeypatch.setattr(minutes_jobs, "_agenda_pack", slow_pack)
    # Committed at once, the request ran eagerly: queue it again.
    MinutesJob.objects.filter(pk=pack.pk).update(state=MinutesJob.State.QUEUED)
    assert job_run(job_id=pack.pk) is True
    assert heartbeats[1] > heartbeats[0]
    pack.refresh_from_db()
    assert pack.state == "done"


def test_beat_sweeps_jobs_often_enough_to_rebuild_within_a_minute():
    entry = next(
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "meetings.tasks.minutes_jobs_sweep"
    )
    recovery = minutes_jobs.RUNNING_STALE_AFTER.total_seconds() + entry["schedule"]
    assert recovery <= 60
    assert minutes_jobs.HEARTBEAT_EVERY * 3 <= (
        minutes_jobs.RUNNING_STALE_AFTER.total_seconds()
    )
