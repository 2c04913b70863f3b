"""Receivers for cross-cutting rules that no single service owns."""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def revoke_api_tokens_on_new_password(sender, instance, created, **kwargs):
    """A new password (reset, change, or set by an administrator) deletes the
    person's API tokens: whoever held the old password may hold a token too
    (issue 14). Sessions end by themselves (Django's session auth hash).
    ``set_password`` keeps the raw password on the instance until its save
    completes, so it is still there while post_save runs."""
    if created or getattr(instance, "_password", None) is None:
        return
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=instance).delete()
