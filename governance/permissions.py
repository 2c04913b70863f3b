"""Predicates shared by every app's ``permissions.py`` (django-rules).

Roles give the broad shape; each app adds per-board and per-fund predicates on top.
Auditors read everything and change nothing.
"""

import rules

from .models import Role


@rules.predicate
def is_administrator(user) -> bool:
    return bool(user and user.is_authenticated and user.is_administrator)


@rules.predicate
def is_auditor(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.AUDITOR)


@rules.predicate
def has_role_secretary(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.SECRETARY)


reads_everything = is_administrator | is_auditor

rules.add_perm("governance.view_audit", reads_everything)
