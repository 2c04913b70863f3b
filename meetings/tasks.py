"""Celery tasks for minutes: thin, take ids, call one service.

Every task here is idempotent, so it runs with ``acks_late`` and
``reject_on_worker_lost``: a worker killed mid-task leaves the message to be
delivered again, and running it twice does nothing the second time. Deadlines are
rows scanned by beat (``minutes_deadlines_scan``), never ETA/countdown tasks.
"""

from celery import shared_task

from .services import minutes_jobs
from .services.minutes import minutes_deadlines_scan as _scan


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def minutes_deadlines_scan() -> dict:
    """Beat: reminders and deadline fallbacks."""
    return _scan()


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def minutes_jobs_sweep() -> int:
    """Beat, often: jobs whose start was lost while the broker was down, and jobs
    whose worker died mid-build (heartbeat lapsed)."""
    return minutes_jobs.jobs_sweep()


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def minutes_job_run(job_id: int) -> None:
    """Build an agenda pack or an audit archive; a second delivery of the same
    message finds the job already claimed and returns."""
    minutes_jobs.job_run(job_id=job_id)
