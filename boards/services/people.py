"""Writes for people: a person is created without a login until one is given."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from governance.models import Role, User


@transaction.atomic
def person_create(
    *, name: str, email: str, role: str = Role.MEMBER, job_title: str = ""
) -> User:
    """A person without a login (an unusable password) until an administrator gives
    one; e-mail addresses are unique, compared without case."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": ["A person with this e-mail already exists."]})
    return User.objects.create_user(
        email=email, name=name.strip(), role=role, job_title=job_title
    )
