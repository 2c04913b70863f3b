"""Celery tasks for pooled funds: thin, take ids, call one service, idempotent."""

from celery import shared_task
from django.utils import timezone

from .services import import_jobs, reminders, returns


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def returns_reminders() -> dict:
    """Beat: remind finance officers of returns due within 7 days and of overdue
    returns, once per (fund, period, kind); place approved returns still waiting
    for a meeting on the board's next scheduled meeting; run imports whose start
    was lost while the broker was down."""
    return {
        "reminders": reminders.returns_send_reminders(today=timezone.localdate()),
        "papers_placed": returns.returns_place_pending_papers(),
        "imports": import_jobs.import_jobs_sweep(),
    }


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def import_job_run(job_id: int) -> str:
    """A large return file: validate and save (a second delivery does nothing)."""
    return import_jobs.import_job_run(job_id=job_id)
