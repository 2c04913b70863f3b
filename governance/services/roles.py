"""Giving and taking away roles: every path (people pages, invitations, the API) goes
through here, so the grant table (``governance.grants``) is applied once."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ..grants import GRANT_RULES, RoleName, Scope, may_grant, may_set_global_role
from ..models import User
from ..permissions import forget_held_roles, standing_for
from ..roles import Target, handler_for
from .sessions import sign_out_everywhere


def require_grant(by: User, role: RoleName, scope_id: int | None = None) -> None:
    """PermissionDenied (403) with the table's reason unless ``by`` may give ``role``."""
    decision = may_grant(standing_for(by), role, scope_id)
    if not decision:
        raise PermissionDenied(decision.reason)


def require_global_role(by: User, current: str, new: str) -> None:
    decision = may_set_global_role(standing_for(by), current, new)
    if not decision:
        raise PermissionDenied(decision.reason)


def resolve_target(role: RoleName, target_id: int | None) -> Target:
    """The seat, board or fund a scoped role is given at (ValidationError if none)."""
    handler = handler_for(role)
    rule = GRANT_RULES[RoleName(role)]
    if rule.scope is Scope.GLOBAL or handler is None:
        raise ValidationError(
            {"role": [f"{rule.label} is not given at a board or fund."]}
        )
    target = handler.target(target_id) if target_id is not None else None
    if target is None:
        raise ValidationError({"target": ["Choose where the role is given."]})
    return target


@transaction.atomic
def role_give(*, by: User, person: User, role: RoleName, target_id: int) -> Target:
    """Give ``person`` a scoped role at ``target_id`` if the grant table lets ``by``.
    A role change (issue 15: "a password reset or a role change ends the person's
    other sessions and API tokens"): the person's sessions and API tokens end, so
    none carries rights, or a second-factor check, from before the change. Someone
    giving themselves a role (an administrator) keeps the session they act in."""
    role = RoleName(role)
    target = resolve_target(role, target_id)
    require_grant(by, role, target.scope_id)
    if not person.is_active:
        raise ValidationError({"person": ["This person is deactivated."]})
    handler_for(role).give(person=person, target_id=target.id, by=by)
    forget_held_roles(person)
    if person.pk != by.pk:
        sign_out_everywhere(person)
    return target


@transaction.atomic
def role_take(*, by: User, person: User, role: RoleName, target_id: int) -> Target:
    """Take a scoped role away; the person's other sessions and API tokens end."""
    role = RoleName(role)
    target = resolve_target(role, target_id)
    require_grant(by, role, target.scope_id)
    handler_for(role).take(person=person, target_id=target.id, by=by)
    forget_held_roles(person)
    sign_out_everywhere(person)
    return target


@transaction.atomic
def person_set_role(*, by: User, person: User, role: str) -> User:
    """Change a person's global role (administrator, auditor or usual role): an
    administrator's act (the grant table). Their sessions and API tokens end, so no
    session carries rights, or a second-factor check, from before the change."""
    require_global_role(by, person.role, role)
    if person.role == role:
        return person
    if person.pk == by.pk:
        raise ValidationError({"role": ["You cannot change your own role."]})
    person.role = role
    person.is_superuser = person.is_staff = role == RoleName.ADMINISTRATOR
    person.save(update_fields=["role", "is_superuser", "is_staff"])
    sign_out_everywhere(person)
    return person
