"""Accepting a forward plan proposal onto an agenda in one step: the agenda item
(with its motion, for a duty the board agrees) and the record of what it answers."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from boards.models import Board
from governance.exceptions import RuleViolation
from meetings.models import Meeting
from meetings.services import agenda

from ..models import PlannedItem


@transaction.atomic
def proposal_accept(
    *,
    board: Board,
    key: str,
    by,
    meeting: Meeting | None = None,
    now: datetime | None = None,
) -> PlannedItem:
    """Put the proposal ``key`` of the board's forward plan on the agenda of the
    meeting the plan proposes (or ``meeting``, another scheduled meeting of the
    board). Refused when the proposal is no longer in the plan (accepted already,
    or done), or the meeting is not scheduled. The permission check that ``by``
    runs the meeting is the caller's.

    Lock: the board row, so two secretaries accepting the same proposal at once
    make one item (the unique (board, key) constraint is the last word)."""
    from ..selectors.plan import board_plan

    now = now or timezone.now()
    board = Board.objects.select_for_update().get(pk=board.pk)
    found = board_plan(board, today=timezone.localdate(now)).plan.proposal(key)
    if found is None:
        raise RuleViolation(
            "This proposal is no longer in the forward plan: it is on an agenda "
            "already, or done.",
            rule="forward_plan",
        )
    planned_meeting, proposal = found
    if meeting is None:
        if not planned_meeting.scheduled:
            raise RuleViolation(
                f"The meeting of {planned_meeting.on:%-d %B %Y} is only a proposed "
                "date: schedule it first.",
                rule="forward_plan",
            )
        meeting = Meeting.objects.get(pk=planned_meeting.meeting_id)
    if meeting.board_id != board.pk or meeting.status != Meeting.Status.SCHEDULED:
        raise RuleViolation(
            "Proposals go on a scheduled meeting of this board.", rule="forward_plan"
        )
    expected = proposal.expected
    motion = (
        agenda.MotionInput(text=expected.motion_text) if expected.motion_text else None
    )
    item = agenda.item_add(
        meeting=meeting,
        title=expected.title,
        business_type=expected.business_type,
        kind=expected.item_kind,
        motion=motion,
        by=by,
    )
    try:
        with transaction.atomic():
            return PlannedItem.objects.create(
                board=board,
                key=key,
                agenda_item=item,
                obligation_id=expected.obligation_id,
                due_on=expected.due_on,
                source=expected.source,
                accepted_by=by,
                accepted_at=now,
            )
    except IntegrityError as exc:
        raise RuleViolation(
            "This proposal is on an agenda already.", rule="forward_plan"
        ) from exc
