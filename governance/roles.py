"""The scoped roles a person can be given, registered by the app that stores each one
(the boards app: secretary, chair, member, deputy; the pooled funds app: manager,
finance officer) in ``AppConfig.ready()``, so the people pages, invitations and the API
give and take roles through one service (``governance.services.roles``) while this
bottom layer imports none of those apps.

A role is given at a *target*: a seat for a member or deputy, a board for a secretary
or chair, a fund for its manager or finance officers. The target's *scope* (its board
or fund) is what the grant table (``governance.grants``) checks.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .grants import RoleName


@dataclass(frozen=True)
class Target:
    """Somewhere a role can be given: ``id`` of the seat, board or fund, ``scope_id``
    the board or fund the grant table checks, and labels for a person to choose."""

    id: int
    scope_id: int
    label: str
    group: str = ""


@dataclass(frozen=True)
class HeldRole:
    role: RoleName
    target: Target
    detail: str = ""


@dataclass(frozen=True)
class RoleHandler:
    role: RoleName
    # Every place the role could be given, limited to ``scope_ids`` (None: all).
    targets: Callable[[frozenset[int] | None], list[Target]]
    target: Callable[[int], Target | None]
    held: Callable[[object], list[HeldRole]]
    give: Callable[..., None]  # give(*, person, target_id, by)
    take: Callable[..., None]  # take(*, person, target_id, by)
    landing_url: Callable[[int], str]


_handlers: dict[RoleName, RoleHandler] = {}


def register_role(handler: RoleHandler) -> None:
    _handlers[handler.role] = handler


def handler_for(role: RoleName) -> RoleHandler | None:
    return _handlers.get(RoleName(role))


def scoped_roles() -> list[RoleHandler]:
    """Registered handlers, in the grant table's order."""
    return [_handlers[r] for r in RoleName if r in _handlers]


def roles_held(person) -> list[HeldRole]:
    return [held for handler in scoped_roles() for held in handler.held(person)]
