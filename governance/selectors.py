"""Reads for the cross-cutting pages."""

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower, Trim
from django.utils import timezone

from .dashboard import panels_for
from .models import Invitation, User


def dashboard_for_user(user) -> dict:
    return {"panels": panels_for(user)}


class SignIn:
    """How a person signs in, as the people list shows it."""

    HAS_LOGIN = "login"
    INVITED = "invited"
    NO_LOGIN = "none"
    DEACTIVATED = "deactivated"
    CHOICES = [
        ("", "Everyone"),
        (HAS_LOGIN, "Can sign in"),
        (INVITED, "Invited, not yet signed in"),
        (NO_LOGIN, "No login"),
        (DEACTIVATED, "Deactivated"),
    ]


def people_search(
    *, q: str = "", sign_in: str = "", duplicates: bool = False
) -> QuerySet[User]:
    """People matching ``q`` in the name or e-mail, one query for the page whatever
    its length (invitation state annotated). ``duplicates``: only people whose name
    (ignoring case and spaces around it) is shared by another record."""
    now = timezone.now()
    accepted = Invitation.objects.filter(
        person=OuterRef("pk"), accepted_at__isnull=False
    )
    pending = Invitation.objects.filter(
        person=OuterRef("pk"),
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
    )
    people = User.objects.annotate(
        accepted_invitation=Exists(accepted), pending_invitation=Exists(pending)
    ).select_related("merged_into")
    for word in q.split()[:5]:
        people = people.filter(Q(name__icontains=word) | Q(email__icontains=word))
    if sign_in == SignIn.DEACTIVATED:
        people = people.filter(is_active=False)
    elif sign_in:
        people = people.filter(is_active=True)
        can_sign_in = Q(accepted_invitation=True) | (
            ~Q(password__startswith=UNUSABLE_PASSWORD_PREFIX) & ~Q(password="")
        )
        if sign_in == SignIn.HAS_LOGIN:
            people = people.filter(can_sign_in)
        elif sign_in == SignIn.INVITED:
            people = people.filter(pending_invitation=True).exclude(can_sign_in)
        elif sign_in == SignIn.NO_LOGIN:
            people = people.filter(pending_invitation=False).exclude(can_sign_in)
    if duplicates:
        shared = (
            User.objects.filter(merged_into__isnull=True)
            .annotate(key=Lower(Trim("name")))
            .values("key")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .values("key")
        )
        people = (
            people.filter(merged_into__isnull=True)
            .annotate(key=Lower(Trim("name")))
            .filter(key__in=shared)
        )
    return people.order_by("name", "email")


def has_password(person) -> bool:
    """A password was set (a record made by ``get_or_create`` has "", which Django
    calls usable but which no password matches)."""
    return bool(person.password) and person.has_usable_password()


def sign_in_state(person) -> str:
    """For a person from ``people_search`` (annotated)."""
    if not person.is_active:
        return "Deactivated" + (" (merged)" if person.merged_into_id else "")
    accepted = getattr(person, "accepted_invitation", None)
    if accepted is None:
        accepted = person.invitations.filter(accepted_at__isnull=False).exists()
    if accepted or has_password(person):
        return "Can sign in"
    if getattr(person, "pending_invitation", False):
        return "Invited"
    return "No login"
