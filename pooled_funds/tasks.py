"""Celery tasks for pooled funds: thin, each calls one service, idempotent."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def returns_reminders() -> dict:
    """Beat (daily): remind finance officers of returns due within 7 days and of
    overdue returns, once per (fund, period, kind); then place approved returns
    still waiting for a meeting on the board's next scheduled meeting."""
    return {
        "reminders": services.returns_send_reminders(today=timezone.localdate()),
        "papers_placed": services.returns_place_pending_papers(),
    }
