"""Writes for decisions (SPEC s.4): putting and closing motions, votes, written
positions, consultation, escalations and the election of an elected chair. The only
place their state changes; views and the API call these. Closing lives in
``.decisions_close`` and the shared motion helpers in ``.decisions_common``; both are
re-exported here.

Rules chosen where the spec is silent (also in docs/guide-decisions.md):

- A motion is put (opened) and closed by the board's secretary or chair; a draft or
  open motion may be withdrawn (outcome ``withdrawn``). A motion needing prior
  consultation cannot be opened until the consultation is recorded (IFPG).
- A vote is cast for a seat that is represented at the meeting when the vote is cast:
  the holder recorded present, or the notified deputy attending in the holder's place.
  The secretary may record any represented voting seat's vote (a show of hands).
  A vote may be changed until the motion closes (the same row is updated), never after.
- Written positions are filed before the meeting starts (its scheduled start, or its
  recorded start if earlier) by a voting member of the partner or by the board's
  secretary recording a notification received; one per partner per item, changeable
  until the start.
- At close, quorum and each seat's presence are judged at the moment of closing; the
  snapshot, the tally and the reasons are kept with the motion.
- A referred or deferred item goes onto the board's next scheduled meeting, or onto a
  provisional meeting created at the board's next proposed date. Its new motion copies
  the text, value, committed partners, consulted board and any consultation recorded.
- An escalation e-mails every active authorised officer of every partner of the
  board's agreement, through the outbox, once per officer and escalation.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from boards.models import Board, Partner, Seat
from governance.exceptions import RuleViolation

from ..models import (
    AgendaItem,
    Meeting,
    Motion,
    MotionOutcome,
    Vote,
    WrittenPosition,
)
from ..selectors.decisions import vote_refusal
from .decisions_chair import chair_elect
from .decisions_close import (
    CloseResult,
    _chain_items,
    _chain_outcomes,
    _facts,
    carry_forward,
    evaluate_motion,
    motion_close,
    next_meeting_for,
)
from .decisions_common import (
    _lock,
    _meeting_not_over,
    _transition,
)
from .decisions_escalations import escalation_open, escalation_resolve

__all__ = [
    "CloseResult",
    "_chain_items",
    "_chain_outcomes",
    "_facts",
    "_lock",
    "_meeting_not_over",
    "_transition",
    "carry_forward",
    "chair_elect",
    "consultation_record",
    "consultation_require",
    "escalation_open",
    "escalation_resolve",
    "evaluate_motion",
    "meeting_started",
    "motion_close",
    "motion_open",
    "motion_withdraw",
    "next_meeting_for",
    "position_file",
    "vote_cast",
]

Status = Motion.Status


# --- putting a motion --------------------------------------------------------


@transaction.atomic
def consultation_require(*, motion: Motion, board: Board | None, by) -> Motion:
    """Name the board that must be consulted before the motion is put (IFPG -> IE),
    or none."""
    motion = _lock(motion)
    if motion.status != Status.DRAFT:
        raise RuleViolation(
            "Consultation is settled before the motion is put.", rule="motion_status"
        )
    motion.consult_board = board
    motion.save(update_fields=["consult_board"])
    return motion


@transaction.atomic
def consultation_record(
    *, motion: Motion, note: str, by, now: datetime | None = None
) -> Motion:
    """Record that the board named on the motion was consulted ("no decision shall
    be taken or acted upon without prior consultation with the Integration
    Executive", Leicestershire IFPG ToR)."""
    motion = _lock(motion)
    if motion.consult_board_id is None:
        raise RuleViolation(
            "This motion names no board to consult.", rule="prior_consultation"
        )
    if motion.status == Status.CLOSED:
        raise RuleViolation("The motion is closed.", rule="motion_status")
    motion.consultation_recorded_at = now or timezone.now()
    motion.consultation_note = note.strip()
    motion.save(update_fields=["consultation_recorded_at", "consultation_note"])
    return motion


@transaction.atomic
def motion_open(*, motion: Motion, by, now: datetime | None = None) -> Motion:
    """Put the motion to the vote. Refused while a required prior consultation is
    not recorded (IFPG), and once the meeting is finished."""
    motion = _lock(motion)
    _meeting_not_over(motion.item.meeting, "no motion can be put")
    if motion.consult_board_id and motion.consultation_recorded_at is None:
        raise RuleViolation(
            f"Prior consultation with {motion.consult_board} has not been recorded: "
            "the motion cannot be put until it is (Leicestershire IFPG ToR).",
            rule="prior_consultation",
        )
    _transition(motion, Status.OPEN)
    motion.opened_at = now or timezone.now()
    motion.opened_by = by
    motion.save(update_fields=["status", "opened_at", "opened_by"])
    return motion


@transaction.atomic
def motion_withdraw(*, motion: Motion, by, reason: str = "") -> Motion:
    """Withdraw a motion not yet closed (outcome ``withdrawn``)."""
    motion = _lock(motion)
    _transition(motion, Status.CLOSED)
    motion.outcome = MotionOutcome.WITHDRAWN
    motion.outcome_reasons = [reason.strip() or "withdrawn before a decision"]
    motion.closed_at = timezone.now()
    motion.closed_by = by
    motion.save()
    return motion


# --- votes and positions -----------------------------------------------------


@transaction.atomic
def vote_cast(
    *, motion: Motion, seat: Seat, choice: str, by, now: datetime | None = None
) -> Vote:
    """Cast (or change) the vote of ``seat``. One vote per seat: the database's
    unique (motion, seat) constraint has the last word.

    Lock: the motion row (``_lock``), so concurrent votes on one motion serialise
    and the motion cannot close between the check and the write. Should an insert
    still meet the unique constraint, the existing row is updated instead.
    """
    motion = _lock(motion)
    if choice not in Vote.Choice.values:
        raise RuleViolation(
            f"A vote is for, against or abstain, not {choice!r}.", rule="vote_choice"
        )
    if motion.status == Status.CLOSED:
        raise RuleViolation(
            "Voting has closed: a vote cannot be cast or changed after the motion "
            "closes.",
            rule="motion_closed",
        )
    _meeting_not_over(motion.item.meeting, "no vote can be cast or changed")
    if motion.status != Status.OPEN:
        raise RuleViolation(
            "The motion has not been put to the vote yet.", rule="motion_not_open"
        )
    refusal = vote_refusal(user=by, motion=motion, seat=seat, now=now)
    if refusal is not None:
        raise RuleViolation(refusal.reason, rule=refusal.rule)
    by_secretary = seat.holder_id != by.pk and seat.deputy_id != by.pk
    fields = {"choice": choice, "cast_by": by, "recorded_by_secretary": by_secretary}
    vote = Vote.objects.filter(motion=motion, seat=seat).first()
    if vote is None:
        try:
            with transaction.atomic():
                return Vote.objects.create(motion=motion, seat=seat, **fields)
        except IntegrityError:
            vote = Vote.objects.get(motion=motion, seat=seat)
    for name, value in fields.items():
        setattr(vote, name, value)
    vote.save()
    return vote


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
