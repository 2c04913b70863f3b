"""The transactional outbox: idempotent enqueue, relay, retries with backoff."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from governance import outbox
from governance.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_enqueue_is_idempotent_on_key():
    first = outbox.outbox_enqueue(key="k1", to="a@x.example", subject="S", body="B")
    second = outbox.outbox_enqueue(key="k1", to="a@x.example", subject="S", body="B")
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1


def test_a_rolled_back_change_leaves_no_mail():
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.outbox_enqueue(key="k2", to="a@x.example", subject="S", body="B")
        raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.exists()


def test_relay_sends_with_attachment_and_records_message_id():
    outbox.outbox_enqueue(
        key="k3",
        to="officer@x.example",
        subject="Minutes",
        body="Attached.",
        attachment=outbox.Attachment("minutes.pdf", b"%PDF-1.7 test"),
    )
    assert outbox.outbox_relay() == 1
    message = OutboxMessage.objects.get(key="k3")
    assert message.state == OutboxMessage.State.SENT
    assert message.message_id.startswith("<")
    assert mail.outbox[0].attachments[0][0] == "minutes.pdf"
    assert outbox.outbox_relay() == 0, "a sent message is never sent again"
    assert len(mail.outbox) == 1


def test_a_failed_send_is_retried_later_with_backoff(settings, monkeypatch):
    outbox.outbox_enqueue(key="k4", to="officer@x.example", subject="S", body="B")

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    assert outbox.outbox_relay() == 0
    message = OutboxMessage.objects.get(key="k4")
    assert message.state == OutboxMessage.State.PENDING
    assert message.attempts == 1
    assert "smtp down" in message.last_error
    assert message.next_attempt_at > timezone.now()
    monkeypatch.undo()
    assert outbox.outbox_relay() == 0, "not due yet"
    assert outbox.outbox_relay(now=timezone.now() + timedelta(hours=1)) == 1


def test_backoff_is_capped_below_the_visibility_timeout():
    assert all(outbox.backoff(n) <= outbox.BACKOFF_CAP for n in range(20))
    assert outbox.BACKOFF_CAP.total_seconds() < 3600


def test_stale_sending_rows_are_released():
    outbox.outbox_enqueue(key="k5", to="o@x.example", subject="S", body="B")
    OutboxMessage.objects.update(
        state=OutboxMessage.State.SENDING,
        next_attempt_at=timezone.now() - timedelta(hours=1),
    )
    assert outbox.outbox_release_stale() == 1
    assert outbox.outbox_relay() == 1
