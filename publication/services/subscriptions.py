"""Writes for subscriptions: following a board, confirming an e-mail address,
ending a subscription.

Rules chosen (issue 19; the spec is silent):
- a visitor's address receives one confirmation mail and nothing else until the link
  in it is followed; asking again within ``RESEND_AFTER`` sends nothing more, so the
  form cannot be used to flood an address; the answer to the form is the same
  whether or not the address was already subscribed;
- a signed-in person follows with their account's address, confirmed at once;
- every digest carries the link that ends the subscription (no sign-in needed);
  following again after ending needs a new confirmation.
"""

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from boards.models import Board
from governance.links import absolute_url
from governance.outbox import outbox_enqueue

from ..mail import render_mail
from ..models import Subscription

RESEND_AFTER = timedelta(hours=24)


def _normalise(email: str) -> str:
    local, _, domain = email.strip().rpartition("@")
    return f"{local}@{domain.lower()}"


@transaction.atomic
def subscription_request(
    *, board: Board, email: str, now: datetime | None = None
) -> Subscription:
    """A visitor asks to follow a (published) board: a confirmation mail is queued
    unless one was sent in the last day or the address already follows it."""
    now = now or timezone.now()
    email = _normalise(email)
    sub, created = Subscription.objects.select_for_update().get_or_create(
        board=board, email=email
    )
    if sub.active:
        return sub
    if sub.ended_at is not None:
        sub.ended_at = None
        sub.confirmed_at = None
        sub.token = secrets.token_urlsafe(32)
    elif sub.confirmation_sent_at and now - sub.confirmation_sent_at < RESEND_AFTER:
        return sub
    sub.confirmation_sent_at = now
    sub.save()
    subject, body = render_mail(
        "confirm",
        {
            "board": board,
            "confirm_url": absolute_url(
                reverse("public:subscription_confirm", args=[sub.token])
            ),
            "board_url": absolute_url(reverse("public:board", args=[board.pk])),
        },
    )
    outbox_enqueue(
        key=f"subscribe:{sub.pk}:{now:%Y%m%dT%H%M%S}",
        to=email,
        subject=subject,
        body=body,
    )
    return sub


@transaction.atomic
def subscription_follow(*, board: Board, user, now: datetime | None = None):
    """A signed-in person follows a board with their account's address."""
    now = now or timezone.now()
    sub, _ = Subscription.objects.select_for_update().get_or_create(
        board=board, email=_normalise(user.email)
    )
    sub.user = user
    if not sub.active:
        sub.confirmed_at = now
        sub.ended_at = None
        sub.digest_from = now
    sub.save()
    return sub


@transaction.atomic
def subscription_confirm(*, token: str, now: datetime | None = None):
    """Follow the link in the confirmation mail. Idempotent. None: no such link."""
    now = now or timezone.now()
    sub = Subscription.objects.select_for_update().filter(token=token).first()
    if sub is None or sub.ended_at is not None:
        return None
    if sub.confirmed_at is None:
        sub.confirmed_at = now
        sub.digest_from = now
        sub.save(update_fields=["confirmed_at", "digest_from"])
    return sub


@transaction.atomic
def subscription_end(*, token: str, now: datetime | None = None):
    """Stop the digests (the link in every digest). Idempotent."""
    sub = Subscription.objects.select_for_update().filter(token=token).first()
    if sub is None:
        return None
    if sub.ended_at is None:
        sub.ended_at = now or timezone.now()
        sub.save(update_fields=["ended_at"])
    return sub
