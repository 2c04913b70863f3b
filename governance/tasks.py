"""Cross-cutting Celery tasks: thin, each calls one service."""

from celery import shared_task
from celery.signals import worker_ready

from . import outbox


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def outbox_relay() -> int:
    outbox.outbox_release_stale()
    return outbox.outbox_relay()


@worker_ready.connect
def relay_on_worker_start(**kwargs) -> None:
    """A worker that starts (after a crash, say) takes back at once the mail that a
    dead process on this machine had claimed, and relays it."""
    outbox.outbox_release_stale()
    outbox.kick(outbox_relay)


@shared_task(name="governance.tasks.ping", ignore_result=False)
def ping(value: str) -> str:
    """Round trip used by the broker health test and the operations check."""
    return f"pong:{value}"


@shared_task(acks_late=True, ignore_result=True)
def password_reset_mail(email: str) -> int:
    from .services.password_reset import password_reset_send

    return password_reset_send(email=email)
