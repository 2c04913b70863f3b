"""Writes for declarations of interest on an agenda item; a member who withdrew
cannot vote on it (SPEC s.2)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from boards.models import Seat

from ..models import (
    AgendaItem,
    Attendance,
    Declaration,
)


@transaction.atomic
def declaration_record(
    *, item: AgendaItem, seat: Seat, interest: str, withdrew: bool, by, person=None
) -> Declaration:
    """Record a declaration of interest on an item. The person is whoever sits in
    the seat (holder, or the deputy attending) unless named."""
    if seat.board_id != item.meeting.board_id:
        raise ValidationError({"seat": "That seat is not on this board."})
    if not interest.strip():
        raise ValidationError({"interest": "Say what the interest is."})
    if person is None:
        record = Attendance.objects.filter(
            meeting_id=item.meeting_id, seat=seat
        ).first()
        person = (record and record.attendee) or seat.holder or by
    return Declaration.objects.create(
        item=item, seat=seat, person=person, interest=interest, withdrew=withdrew
    )
