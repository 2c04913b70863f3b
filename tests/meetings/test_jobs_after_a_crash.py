"""A pack or archive whose worker died mid-build is built again (issue 20: "one
worker killed mid-pack"). The job stayed ``running`` for ever: the claim only took
queued jobs, so neither the sweep nor the redelivered task ever ran it again."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.models import MinutesJob
from meetings.services import minutes_jobs
from meetings.services.minutes_jobs import job_request, job_run, jobs_sweep

pytestmark = pytest.mark.django_db


@pytest.fixture
def crashed_job(scenario):
    """A pack job a worker claimed and then died building."""
    job = job_request(
        kind=MinutesJob.Kind.AGENDA_PACK,
        by=scenario.secretary,
        meeting=scenario.meeting,
    )
    MinutesJob.objects.filter(pk=job.pk).update(
        state=MinutesJob.State.RUNNING,
        started_at=timezone.now()
        - minutes_jobs.RUNNING_STALE_AFTER
        - timedelta(seconds=1),
    )
    return job


def test_the_sweep_builds_a_job_whose_worker_died(crashed_job):
    assert jobs_sweep() == 1  # published again (eager here: built at once)
    crashed_job.refresh_from_db()
    assert crashed_job.state == "done", crashed_job.error


def test_a_redelivered_task_builds_a_job_whose_worker_died(crashed_job):
    assert job_run(job_id=crashed_job.pk) is True
    crashed_job.refresh_from_db()
    assert crashed_job.state == "done"


def test_a_job_running_now_is_left_to_its_worker(scenario):
    job = job_request(
        kind=MinutesJob.Kind.AGENDA_PACK,
        by=scenario.secretary,
        meeting=scenario.meeting,
    )
    MinutesJob.objects.filter(pk=job.pk).update(
        state=MinutesJob.State.RUNNING, started_at=timezone.now()
    )
    assert jobs_sweep() == 0
    assert job_run(job_id=job.pk) is False
