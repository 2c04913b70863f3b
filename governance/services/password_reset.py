"""Password reset mail, sent by the worker (issue 15): the request that asks for it
does no lookup, so its timing says nothing about whether the address is known."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ..links import absolute_url
from ..mail import render_text
from ..models import OutboxMessage, User
from ..outbox import outbox_enqueue
from .invitations import has_been_invited, pending_invitation


@transaction.atomic
def password_reset_send(*, email: str, now=None) -> int:
    """Queue a reset link for each active person with this address (there is at most
    one); at most ``PASSWORD_RESET_MAILS_PER_HOUR`` a person an hour. Returns how
    many were queued. Merged duplicates, deactivated people and people who were
    never invited get nothing: a login starts with an invitation."""
    now = now or timezone.now()
    queued = 0
    for person in User.objects.filter(
        email__iexact=email.strip(), is_active=True, merged_into__isnull=True
    ):
        if not (has_been_invited(person) or pending_invitation(person)):
            continue
        prefix = f"password-reset:{person.pk}:"
        recent = OutboxMessage.objects.filter(
            key__startswith=prefix, created_at__gte=now - timedelta(hours=1)
        ).count()
        if recent >= settings.PASSWORD_RESET_MAILS_PER_HOUR:
            continue
        context = {
            "email": person.email,
            "person": person,
            "link": absolute_url(
                reverse(
                    "password_reset_confirm",
                    kwargs={
                        "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
                        "token": default_token_generator.make_token(person),
                    },
                )
            ),
        }
        outbox_enqueue(
            key=f"{prefix}{now.timestamp():.6f}",
            to=person.email,
            subject="Set a new password for Partnership Governance",
            body=render_text("registration/password_reset_email.html", context),
        )
        queued += 1
    return queued
