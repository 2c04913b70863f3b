"""Writes for written positions: a partner's prior written notification of its
intended position on an item (Portsmouth PMG ToR 4.4, West Kent 3.4)."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from boards.models import Partner
from governance.exceptions import RuleViolation

from ..models import (
    AgendaItem,
    Meeting,
    Motion,
    WrittenPosition,
)
from .motions import Status


def meeting_started(meeting: Meeting, now: datetime | None = None) -> bool:
    """The meeting has started: its start is recorded, or its scheduled time came."""
    return (
        meeting.status != Meeting.Status.SCHEDULED
        or meeting.started_at is not None
        or (now or timezone.now()) >= meeting.starts_at
    )


@transaction.atomic
def position_file(
    *,
    item: AgendaItem,
    partner: Partner,
    position: str,
    text: str,
    by,
    now: datetime | None = None,
) -> WrittenPosition:
    """File (or change) a partner's prior written notification of its intended
    position on an item (Portsmouth PMG ToR 4.4, West Kent 3.4). Refused once the
    meeting has started."""
    item = AgendaItem.objects.select_related("meeting__board").get(pk=item.pk)
    meeting = item.meeting
    board = meeting.board
    motion = Motion.objects.filter(item=item).first()
    if motion is None:
        raise RuleViolation(
            "Written positions are given on items for decision.", rule="not_decision"
        )
    if position not in WrittenPosition.Position.values:
        raise RuleViolation(
            f"A position is support, oppose or abstain, not {position!r}.",
            rule="position_choice",
        )
    if not board.partners.filter(pk=partner.pk).exists():
        raise RuleViolation(
            f"{partner} is not a partner of {board.label}.", rule="not_a_partner"
        )
    from ..permissions import can_file_position

    if not can_file_position(by, item, partner):
        raise PermissionDenied(
            f"Only a voting member of {partner} (or the board's secretary) may give "
            "its written position."
        )
    if meeting_started(meeting, now) or motion.status != Status.DRAFT:
        raise RuleViolation(
            "The meeting has started: a written position must be given before the "
            "meeting (Portsmouth PMG ToR 4.4).",
            rule="position_after_start",
        )
    row, _ = WrittenPosition.objects.update_or_create(
        item=item,
        partner=partner,
        defaults={"position": position, "text": text.strip(), "filed_by": by},
    )
    return row
