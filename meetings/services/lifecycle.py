"""Writes for a meeting's life: scheduling, moving, starting, closing, declaring it
inquorate (and reconvening it), cancelling. The agenda, papers, guests, attendance,
declarations and actions have their own modules beside this one. Each refuses with ``RuleViolation`` (HTTP 409,
a message in the view) saying which rule of the terms of reference forbids it.

Permission (who may call) is checked by views and the API with the helpers in
``meetings.permissions``; these functions check the rules of the record.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from boards.models import Board, Seat
from governance.calendar import local_date
from governance.exceptions import InvalidTransition, RuleViolation

from .. import scheduling
from ..models import (
    AgendaItem,
    Meeting,
    Motion,
    WrittenPosition,
)
from ..quorum_snapshot import meeting_quorum
from . import agenda
from .referrals import copy_motion

Status = Meeting.Status

# Allowed state changes of a meeting (the transition map).
MEETING_TRANSITIONS: dict[str, set[str]] = {
    Status.SCHEDULED: {Status.IN_PROGRESS, Status.CANCELLED, Status.INQUORATE},
    Status.IN_PROGRESS: {Status.CLOSED, Status.INQUORATE},
    Status.INQUORATE: set(),
    Status.CLOSED: set(),
    Status.CANCELLED: set(),
}


def _set_status(meeting: Meeting, new: str) -> None:
    if new not in MEETING_TRANSITIONS[meeting.status]:
        raise InvalidTransition(
            f"A meeting that is {meeting.get_status_display().lower()} cannot become "
            f"{Status(new).label.lower()}.",
            rule="meeting_status",
        )
    meeting.status = new


def _no_open_motions(meeting: Meeting) -> None:
    """A meeting cannot end (close, cancel, inquorate) while a motion of it is still
    open for votes: no vote or decision may follow the end of the meeting."""
    open_motions = list(
        Motion.objects.filter(
            item__meeting=meeting, status=Motion.Status.OPEN
        ).values_list("item__title", flat=True)
    )
    if open_motions:
        raise RuleViolation(
            "Motions are still open for votes ("
            + "; ".join(open_motions)
            + "): close or withdraw the open motions first.",
            rule="open_motions",
        )


def _voting_seats_of(user, board: Board) -> list[Seat]:
    return list(board.seats.filter(active=True, voting=True, holder=user))


# --- scheduling -------------------------------------------------------------


@transaction.atomic
def meeting_schedule(
    *,
    board: Board,
    kind: str,
    starts_at: datetime,
    by,
    location: str = "",
    purpose: str = "",
    called_by=None,
    reconvenes: Meeting | None = None,
    now: datetime | None = None,
) -> Meeting:
    """Schedule a meeting.

    - Extraordinary (Portsmouth PMG ToR 4.6): called by a voting member (the
      secretary may convene it at a voting member's request) with not less than the
      board's clear days' notice; refused with the earliest lawful date otherwise.
    - Reconvened (Leicestershire IFPG): for an inquorate meeting of the same board,
      no later than one month after it.
    """
    now = now or timezone.now()
    if timezone.is_naive(starts_at):
        raise ValidationError({"starts_at": "Give a time with its time zone."})
    if kind not in Meeting.Kind.values:
        raise ValidationError({"kind": f"Unknown kind of meeting {kind!r}."})
    meeting = Meeting(
        board=board,
        kind=kind,
        starts_at=starts_at,
        location=location,
        purpose=purpose,
        notice_given_at=now,
    )
    if kind == Meeting.Kind.EXTRAORDINARY:
        caller = called_by or by
        stated = board.extraordinary_notice_clear_days is not None
        if stated and called_by is None and not _voting_seats_of(by, board):
            if not board.secretaries.filter(pk=by.pk).exists() and not getattr(
                by, "is_administrator", False
            ):
                raise RuleViolation(
                    "Only a voting member of the board may call an extraordinary "
                    "meeting (Portsmouth PMG ToR 4.6).",
                    rule="extraordinary_called_by_voting_member",
                )
            caller = None
        elif stated and called_by and not _voting_seats_of(called_by, board):
            raise RuleViolation(
                f"{called_by} holds no voting seat on {board.label}: only a voting "
                "member may call an extraordinary meeting (Portsmouth PMG ToR 4.6).",
                rule="extraordinary_called_by_voting_member",
            )
        if not purpose.strip():
            purpose = "Matters to be notified with the agenda."
            meeting.purpose = purpose
        # Portsmouth PMG ToR 4.6, only where the board's terms state a notice period.
        if stated:
            check = scheduling.extraordinary_notice(
                notice_given=local_date(now),
                meeting_on=local_date(starts_at),
                required_clear_days=board.extraordinary_notice_clear_days,
                working_days_only=board.clear_days_working_only,
            )
            if not check.lawful:
                raise RuleViolation(check.message, rule="extraordinary_notice")
        meeting.called_by = caller
    elif kind == Meeting.Kind.RECONVENED:
        if reconvenes is None or reconvenes.board_id != board.pk:
            raise RuleViolation(
                "A reconvened meeting must name the inquorate meeting of this board "
                "it reconvenes.",
                rule="reconvene",
            )
        if reconvenes.status != Status.INQUORATE:
            raise RuleViolation(
                "Only an inquorate meeting is reconvened.", rule="reconvene"
            )
        _check_reconvene_deadline(board, reconvenes, starts_at)
        meeting.reconvenes = reconvenes
    meeting.full_clean(exclude=["board", "called_by", "reconvenes"])
    meeting.save()
    if reconvenes is not None:
        _copy_agenda(reconvenes, meeting)
    agenda.agenda_standing_items_add(meeting=meeting)
    return meeting


def _check_reconvene_deadline(board: Board, inquorate: Meeting, starts_at) -> None:
    """Leicestershire IFPG: "the meeting will be re-convened within one month of the
    date of the inquoracy", only where the board's terms state a period."""
    if board.reconvene_within_days is None:
        return
    deadline = scheduling.reconvene_deadline(
        local_date(inquorate.starts_at), within_days=board.reconvene_within_days
    )
    if local_date(starts_at) > deadline:
        raise RuleViolation(
            "An inquorate meeting must be reconvened within "
            f"{board.reconvene_within_days} days: no later than "
            f"{scheduling.fmt(deadline)}.",
            rule="reconvene_deadline",
        )


def _copy_agenda(source: Meeting, target: Meeting) -> None:
    """A reconvened meeting takes the business the inquorate one could not: each
    item with its motion (text, financial value, committed partners) and the written
    positions partners gave on it (SPEC s.2)."""
    items = (
        source.items.filter(standing=AgendaItem.Standing.BUSINESS)
        .select_related("motion")
        .prefetch_related("written_positions")
        .order_by("order", "id")
    )
    for item in items:
        copy = AgendaItem.objects.create(
            meeting=target,
            order=item.order,
            title=item.title,
            business_type=item.business_type,
            kind=item.kind,
            presenter=item.presenter,
            confidential=item.confidential,
            exempt_paragraph=item.exempt_paragraph,
            referred_from=item,
            carried_forward_reason="Meeting inquorate: reconvened.",
        )
        motion = getattr(item, "motion", None)
        if motion is not None:
            copy_motion(motion, copy)
        for position in item.written_positions.all():
            WrittenPosition.objects.create(
                item=copy,
                partner_id=position.partner_id,
                position=position.position,
                text=position.text,
                filed_by_id=position.filed_by_id,
            )


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    starts_at: datetime,
    location: str,
    purpose: str,
    by,
    now: datetime | None = None,
) -> Meeting:
    """Move a scheduled meeting or change its place and purpose. Moving an
    extraordinary meeting is fresh notice, checked again; a reconvened meeting
    stays within one month of the inquorate one."""
    if meeting.status != Status.SCHEDULED:
        raise RuleViolation(
            "Only a scheduled meeting can be moved.", rule="meeting_status"
        )
    board = meeting.board
    if starts_at != meeting.starts_at:
        if (
            meeting.kind == Meeting.Kind.EXTRAORDINARY
            and board.extraordinary_notice_clear_days is not None
        ):
            check = scheduling.extraordinary_notice(
                notice_given=local_date(now or timezone.now()),
                meeting_on=local_date(starts_at),
                required_clear_days=board.extraordinary_notice_clear_days,
                working_days_only=board.clear_days_working_only,
            )
            if not check.lawful:
                raise RuleViolation(check.message, rule="extraordinary_notice")
            meeting.notice_given_at = now or timezone.now()
        if meeting.kind == Meeting.Kind.RECONVENED and meeting.reconvenes_id:
            _check_reconvene_deadline(board, meeting.reconvenes, starts_at)
    meeting.starts_at = starts_at
    meeting.location = location
    meeting.purpose = purpose
    meeting.save(update_fields=["starts_at", "location", "purpose", "notice_given_at"])
    return meeting


@transaction.atomic
def meeting_start(*, meeting: Meeting, by, now: datetime | None = None) -> Meeting:
    """Open the meeting: refused while it is inquorate for routine business
    (Leicestershire IFPG: "cannot meet unless quorate")."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    result = meeting_quorum(meeting, business_type="routine")
    if not result.quorate:
        raise RuleViolation(
            "The meeting is not quorate and cannot start: " + "; ".join(result.unmet),
            rule="quorum",
        )
    _set_status(meeting, Status.IN_PROGRESS)
    meeting.started_at = now or timezone.now()
    meeting.save(update_fields=["status", "started_at"])
    return meeting


@transaction.atomic
def meeting_close(*, meeting: Meeting, by, now: datetime | None = None) -> Meeting:
    """Close the meeting; refused while a motion is still open for votes."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _no_open_motions(meeting)
    _set_status(meeting, Status.CLOSED)
    meeting.closed_at = now or timezone.now()
    meeting.save(update_fields=["status", "closed_at"])
    return meeting


@transaction.atomic
def meeting_declare_inquorate(
    *, meeting: Meeting, by, now: datetime | None = None
) -> Meeting:
    """Record that the meeting could not take place or continue for want of a
    quorum. Refused while the attendance recorded is quorate."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    result = meeting_quorum(meeting, business_type="routine")
    if result.quorate:
        raise RuleViolation(
            "The attendance recorded is quorate; the meeting is not inquorate.",
            rule="quorum",
        )
    _no_open_motions(meeting)
    _set_status(meeting, Status.INQUORATE)
    meeting.closed_at = now or timezone.now()
    meeting.save(update_fields=["status", "closed_at"])
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _no_open_motions(meeting)
    _set_status(meeting, Status.CANCELLED)
    meeting.save(update_fields=["status"])
    return meeting
