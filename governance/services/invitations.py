"""Invitations: how a person gets a login (issue 15).

An administrator, or a board secretary for a seat on their own board, invites a person
by e-mail. The person is created (or found, if they are on record without a login), is
given the role the invitation names (through ``governance.services.roles``, so the
grant table applies), and is sent a single-use link valid for
``settings.INVITATION_VALID_DAYS`` days. The link sets their password; a privileged
role then sets up a second factor at once. Single sign-on accepts a pending invitation
too (the identity provider has verified the address). Only a hash of the token is kept.
Resend makes a new link and kills the old one; revoke kills it. Every step is in the
invitation's audit history.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ..grants import GRANT_RULES, RoleName, may_grant
from ..links import absolute_url
from ..mail import render_mail
from ..models import Invitation, Role, User
from ..outbox import outbox_enqueue
from ..permissions import standing_for
from ..selectors import has_password
from .roles import require_global_role, resolve_target, role_give


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def may_manage_invitation(by: User, invitation: Invitation) -> bool:
    """Who may resend or revoke: whoever may give the role it gave (the grant table),
    so a secretary manages the invitations to seats on their own boards."""
    if by.is_administrator:
        return True
    if not invitation.role or invitation.role in (
        RoleName.ADMINISTRATOR,
        RoleName.AUDITOR,
        RoleName.USUAL_ROLE,
    ):
        return False
    return bool(may_grant(standing_for(by), invitation.role, invitation.scope_id))


def _require_manager(by: User, invitation: Invitation) -> None:
    if not may_manage_invitation(by, invitation):
        raise PermissionDenied("You may not change this invitation.")


def _send(invitation: Invitation) -> None:
    """A new token, a new expiry and an e-mail through the outbox (sent by the
    worker after commit). The previous link stops working."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation.token_hash = _hash(token)
    invitation.expires_at = now + timedelta(days=settings.INVITATION_VALID_DAYS)
    invitation.last_sent_at = now
    invitation.times_sent += 1
    invitation.save()
    link = absolute_url(reverse("invitation_accept", args=[token]))
    context = {
        "invitation": invitation,
        "person": invitation.person,
        "link": link,
        "expires_at": invitation.expires_at,
        "invited_by": invitation.invited_by,
    }
    subject, body = render_mail("emails/invitation", context)
    outbox_enqueue(
        key=f"invitation:{invitation.pk}:{invitation.times_sent}",
        to=invitation.person.email,
        subject=subject,
        body=body,
    )


@transaction.atomic
def invitation_create(
    *,
    by: User,
    name: str,
    email: str,
    job_title: str = "",
    global_role: str = Role.MEMBER,
    role: RoleName | str | None = None,
    target_id: int | None = None,
) -> Invitation:
    """Invite a person, giving them ``role`` at ``target_id`` (a seat, board or fund)
    and, from an administrator, a global role. A non-administrator must name a role
    they may give (a seat on their board): that is what lets them invite at all."""
    require_global_role(by, Role.MEMBER, global_role)
    target = None
    if role:
        role = RoleName(role)
        target = resolve_target(role, target_id)
        decision = may_grant(standing_for(by), role, target.scope_id)
        if not decision:
            raise PermissionDenied(decision.reason)
    elif not by.is_administrator:
        raise PermissionDenied("Name the seat on your board the person is invited to.")
    email = email.strip().lower()
    person = User.objects.select_for_update().filter(email__iexact=email).first()
    if person is None:
        person = User.objects.create_user(
            email=email, name=name.strip(), role=global_role, job_title=job_title
        )
    else:
        if not person.is_active:
            raise ValidationError({"email": ["This person is deactivated."]})
        if (
            has_password(person)
            or person.invitations.filter(accepted_at__isnull=False).exists()
        ):
            raise ValidationError(
                {
                    "email": [
                        "This person already has a login: give the role on their page."
                    ]
                }
            )
        if global_role != Role.MEMBER and person.role != global_role:
            person.role = global_role
            person.is_superuser = person.is_staff = global_role == Role.ADMINISTRATOR
            person.save(update_fields=["role", "is_superuser", "is_staff"])
    if role:
        role_give(by=by, person=person, role=role, target_id=target.id)
    now = timezone.now()
    for earlier in person.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True
    ):
        earlier.revoked_at, earlier.revoked_by, earlier.token_hash = now, by, ""
        earlier.save(update_fields=["revoked_at", "revoked_by", "token_hash"])
    if role:
        label = f"{GRANT_RULES[role].label}: {target.label}"
        stored_role, scope_id = role, target.scope_id
    else:
        label = Role(global_role).label
        stored_role, scope_id = _global_grant(global_role), None
    invitation = Invitation(
        person=person,
        invited_by=by,
        role=stored_role,
        scope_id=scope_id,
        role_label=label,
        expires_at=now,
    )
    _send(invitation)
    return invitation


def _global_grant(global_role: str) -> str:
    if global_role in (Role.ADMINISTRATOR, Role.AUDITOR):
        return global_role
    return RoleName.USUAL_ROLE


@transaction.atomic
def invitation_resend(*, by: User, invitation: Invitation) -> Invitation:
    """A new link (the old one stops working) with a new expiry; refused once the
    invitation was accepted or revoked."""
    _require_manager(by, invitation)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError(
            {
                "invitation": [
                    f"This invitation is {invitation.get_status_display().lower()}."
                ]
            }
        )
    if not invitation.person.is_active:
        raise ValidationError({"invitation": ["This person is deactivated."]})
    _send(invitation)
    return invitation


@transaction.atomic
def invitation_revoke(*, by: User, invitation: Invitation) -> Invitation:
    _require_manager(by, invitation)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise ValidationError(
            {"invitation": ["Accepted already: deactivate the person instead."]}
        )
    if not invitation.revoked_at:
        invitation.revoked_at, invitation.revoked_by = timezone.now(), by
        invitation.token_hash = ""
        invitation.save(update_fields=["revoked_at", "revoked_by", "token_hash"])
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    """The pending invitation this link belongs to, or None (unknown, used, revoked
    or expired: the page says the same for each)."""
    if not token or len(token) > 100:
        return None
    invitation = (
        Invitation.objects.select_related("person")
        .filter(token_hash=_hash(token))
        .first()
    )
    if (
        invitation is None
        or invitation.status != Invitation.Status.PENDING
        or not invitation.person.is_active
    ):
        return None
    return invitation


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, password: str | None = None, via_sso: bool = False
) -> User:
    """Single use: the token is cleared as the invitation is accepted (row lock, so
    two tabs cannot both use it). ``password`` is already validated by the form."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError({"invitation": ["This link has expired or was used."]})
    person = invitation.person
    if password:
        person.set_password(password)
        person.save(update_fields=["password"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by_sso = via_sso
    invitation.token_hash = ""
    invitation.save(update_fields=["accepted_at", "accepted_by_sso", "token_hash"])
    return person


def pending_invitation(person: User) -> Invitation | None:
    now = timezone.now()
    return (
        person.invitations.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
        )
        .order_by("-created_at")
        .first()
    )


def has_been_invited(person: User) -> bool:
    """Accepted an invitation, or holds a password from before invitations existed
    (the demo logins, ``createsuperuser``)."""
    return (
        has_password(person)
        or person.invitations.filter(accepted_at__isnull=False).exists()
    )


def landing_url(person: User) -> str:
    """Where a person lands after accepting: the board or fund of the role their
    invitation gave, else the dashboard."""
    from ..roles import handler_for

    invitation = person.invitations.filter(accepted_at__isnull=False).first()
    if invitation and invitation.role:
        known = invitation.role in RoleName._value2member_map_
        handler = handler_for(invitation.role) if known else None
        if handler is not None and invitation.scope_id:
            return handler.landing_url(invitation.scope_id)
    return reverse("dashboard")
