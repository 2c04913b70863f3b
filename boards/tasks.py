"""Celery tasks for the constitution: thin, each calls one service."""

from celery import shared_task

from boards.services.terms_of_reference import tor_review_reminders_send


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def terms_review_reminders() -> int:
    """Daily: remind board secretaries 60 days before terms of reference fall due for
    review. Safe to run twice: the outbox key makes each reminder once-only."""
    return tor_review_reminders_send()
