"""Writes for guests invited for named items with the chair's prior agreement
(Portsmouth PMG ToR 1.1)."""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from governance import workflow
from governance.exceptions import RuleViolation

from ..models import (
    AgendaItem,
    Guest,
    Meeting,
)


@transaction.atomic
def guest_invite(
    *,
    meeting: Meeting,
    name: str,
    items: Iterable[AgendaItem],
    by,
    email: str = "",
    user=None,
    approved: bool = False,
    now: datetime | None = None,
) -> Guest:
    """Invite a guest for named items. The chair's prior agreement is needed
    (Portsmouth PMG ToR 1.1): ``approved=True`` only when the caller is the chair."""
    if workflow.check(Meeting.TRANSITIONS, meeting.status, "invite_guest") is None:
        raise RuleViolation(
            f"The meeting is {meeting.get_status_display().lower()}: no guest is "
            "invited to it now.",
            rule="meeting_status",
        )
    items = list(items)
    if not items:
        raise ValidationError({"items": "Name the items the guest is invited for."})
    if any(i.meeting_id != meeting.pk for i in items):
        raise ValidationError({"items": "Guests are invited for this meeting's items."})
    guest = Guest.objects.create(meeting=meeting, name=name, email=email, user=user)
    guest.items.set(items)
    if approved:
        guest_approve(guest=guest, by=by, now=now)
    return guest


@transaction.atomic
def guest_approve(
    *, guest: Guest, by, now: datetime | None = None, authority=None
) -> Guest:
    """Whoever chairs the meeting agrees to the guest (Portsmouth PMG ToR 1.1: "with
    the prior agreement of the Chair"), or the secretary records it on the chair's
    written authority (``authority``)."""
    from .chairing import chair_act_check

    chair_act_check(meeting=guest.meeting, by=by, act="guest", authority=authority)
    guest.approved_by = by
    guest.approved_at = now or timezone.now()
    guest.save(update_fields=["approved_by", "approved_at"])
    return guest
