"""Celery tasks for obligations: thin, each calls one service."""

from celery import shared_task

from planning.services.reminders import obligation_reminders_send


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def obligation_reminders() -> int:
    """Remind board secretaries (and named owners) of duties due and overdue. Safe
    to run twice: the outbox key makes each reminder once-only."""
    return obligation_reminders_send()
