"""Ending a person's sessions and API tokens.

Each session carries a hash of the person's password and security stamp
(``User.get_session_auth_hash``); Django drops a session whose hash no longer matches
at its next request. So a new stamp ends every session at once, and deleting the
DRF token ends API access. Used after a password reset, a role change, deactivation
and a merge (issue 15)."""

import uuid

from django.contrib.auth import update_session_auth_hash
from rest_framework.authtoken.models import Token

from .. import user_cache
from ..models import User


def sign_out_everywhere(person: User, *, request=None) -> None:
    """End every session and API token of ``person``. When ``request`` is the
    person's own (they changed their own password), that one session stays."""
    person.security_stamp = uuid.uuid4()
    User.objects.filter(pk=person.pk).update(security_stamp=person.security_stamp)
    # An update sends no signal: the cached copy the requests read goes here.
    user_cache.forget(person.pk)
    Token.objects.filter(user_id=person.pk).delete()
    if request is not None and getattr(request, "user", None) == person:
        update_session_auth_hash(request, person)
