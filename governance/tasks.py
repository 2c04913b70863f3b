"""Cross-cutting Celery tasks: thin, each calls one service."""

from celery import shared_task

from . import outbox


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def outbox_relay() -> int:
    outbox.outbox_release_stale()
    return outbox.outbox_relay()


@shared_task(name="governance.tasks.ping", ignore_result=False)
def ping(value: str) -> str:
    """Round trip used by the broker health test and the operations check."""
    return f"pong:{value}"
