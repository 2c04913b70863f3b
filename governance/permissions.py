"""Predicates shared by every app's ``permissions.py`` (django-rules).

Roles give the broad shape; each app adds per-board and per-fund predicates on top.
Auditors read everything and change nothing.

The scoped roles a person holds (secretary of a board, manager of a fund) live in the
apps above; each registers a provider in ``AppConfig.ready()`` (``register_held_roles``),
so this bottom layer imports none of them and the grant table
(``governance.grants``) sees them as plain data.
"""

from collections.abc import Callable, Iterable

import rules

from .grants import RoleName, Standing
from .models import Role

HeldRolesProvider = Callable[[object], Iterable[tuple[RoleName, int]]]
_held_role_providers: dict[RoleName, HeldRolesProvider] = {}


def register_held_roles(role: RoleName, provider: HeldRolesProvider) -> None:
    """``provider(user)`` gives (role, board or fund id) for each ``role`` held."""
    _held_role_providers[RoleName(role)] = provider


def held_roles(user, role: RoleName | None = None) -> frozenset[tuple[RoleName, int]]:
    """(role, board or fund id) for each scoped role ``user`` holds that lets them
    give roles to others (board secretary, pooled fund manager); only ``role``'s if
    given. Cached on the user object, as Django caches permissions
    (``_perm_cache``): a request sees one answer; ``forget_held_roles`` drops it."""
    if not (user and user.is_authenticated and user.is_active):
        return frozenset()
    cache = user.__dict__.setdefault("_held_roles_cache", {})
    roles = [role] if role is not None else list(_held_role_providers)
    for name in roles:
        if name not in cache:
            provider = _held_role_providers.get(name)
            cache[name] = frozenset(provider(user)) if provider else frozenset()
    return frozenset().union(*(cache[name] for name in roles))


def forget_held_roles(user) -> None:
    user.__dict__.pop("_held_roles_cache", None)


def standing_for(user) -> Standing:
    """The grant table's view of ``user``."""
    if not (user and user.is_authenticated and user.is_active):
        return Standing()
    return Standing(administrator=user.is_administrator, held=held_roles(user))


@rules.predicate
def is_administrator(user) -> bool:
    return bool(user and user.is_authenticated and user.is_administrator)


@rules.predicate
def is_auditor(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.AUDITOR)


@rules.predicate
def has_role_secretary(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.SECRETARY)


@rules.predicate
def is_secretary_of_a_board(user) -> bool:
    return any(role == RoleName.BOARD_SECRETARY for role, _ in held_roles(user))


@rules.predicate
def is_manager_of_a_fund(user) -> bool:
    return any(role == RoleName.FUND_MANAGER for role, _ in held_roles(user))


reads_everything = is_administrator | is_auditor
# People pages: administrators and auditors, whoever runs a board (they seat members
# and deputies, so they must find people) and whoever manages a fund (they give and
# take away their fund's finance officers: the grant table).
can_view_people = (
    reads_everything
    | has_role_secretary
    | is_secretary_of_a_board
    | is_manager_of_a_fund
)

rules.add_perm("governance.view_audit", reads_everything)
rules.add_perm("governance.view_people", can_view_people)
rules.add_perm("governance.invite_people", is_administrator | is_secretary_of_a_board)
rules.add_perm("governance.manage_people", is_administrator)
