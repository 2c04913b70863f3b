"""Receivers for cross-cutting rules that no single service owns."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import user_cache


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


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
@receiver(post_delete, sender=settings.AUTH_USER_MODEL)
def forget_the_cached_user(sender, instance, **kwargs):
    """Any change to a person (password, role, active, name) takes the copy the
    requests read (``governance/user_cache.py``) out of the shared cache."""
    user_cache.forget(instance.pk)


@receiver(user_logged_in)
def remember_who_signed_in(sender, request, user, **kwargs):
    """Their next request reads them from the shared cache
    (``governance/user_cache.py``); connected after Django's receiver that saves
    the sign-in time, whose save has just taken any older copy out."""
    user_cache.remember(user)
