"""Writes for decisions (SPEC s.4): putting and closing motions, votes, written
positions, consultation, escalations and the election of an elected chair. The only
place their state changes; views and the API call these. This module puts, withdraws
and closes motions; votes, written positions, consultation, referrals, escalations
and chair elections have their own modules beside it.

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

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from governance import workflow
from governance.exceptions import InvalidTransition, RuleViolation

from .. import outcomes
from ..models import (
    AgendaItem,
    Declaration,
    Escalation,
    Meeting,
    Motion,
    MotionOutcome,
    WrittenPosition,
)
from ..quorum_snapshot import QuorumContext
from .board_rules import board_rules, board_scope
from .escalations import escalation_open
from .referrals import carry_forward, referral_chain_items, referral_chain_outcomes

Status = Motion.Status


# --- putting a motion --------------------------------------------------------


@transaction.atomic
def motion_open(*, motion: Motion, by, now: datetime | None = None) -> Motion:
    """Put the motion to the vote. Refused when it is outside what the board's terms
    allow it to decide (West Kent 4.1; IFPG: commitments only in accordance with the
    risk sharing), while a required prior consultation is not recorded (IFPG), and
    once the meeting is finished."""
    motion = lock_motion(motion)
    ensure_meeting_not_over(motion.item.meeting, "no motion can be put")
    board = motion.item.meeting.board
    refusal = outcomes.scope_refusal(
        board_scope(board),
        decision_kind=motion.decision_kind,
        financial_value=motion.financial_value,
        within_risk_share=motion.within_risk_share,
    )
    if refusal is not None:
        raise RuleViolation(
            refusal[0].upper() + refusal[1:] + ": the motion cannot be put.",
            rule="decision_scope",
        )
    if motion.consult_board_id and motion.consultation_recorded_at is None:
        raise RuleViolation(
            f"Prior consultation with {motion.consult_board} has not been recorded: "
            "the motion cannot be put until it is (Leicestershire IFPG ToR).",
            rule="prior_consultation",
        )
    workflow.transition(motion, "put")
    motion.opened_at = now or timezone.now()
    motion.opened_by = by
    motion.save(update_fields=["status", "opened_at", "opened_by"])
    return motion


@transaction.atomic
def motion_withdraw(*, motion: Motion, by, reason: str = "") -> Motion:
    """Withdraw a motion not yet closed (outcome ``withdrawn``)."""
    motion = lock_motion(motion)
    workflow.transition(motion, "withdraw")
    motion.outcome = MotionOutcome.WITHDRAWN
    motion.outcome_reasons = [reason.strip() or "withdrawn before a decision"]
    motion.closed_at = timezone.now()
    motion.closed_by = by
    motion.save()
    return motion


# --- votes and positions -----------------------------------------------------


@dataclass(frozen=True)
class CloseResult:
    motion: Motion
    referred_to_item: AgendaItem | None
    escalation: Escalation | None


def _facts(motion: Motion, item: AgendaItem) -> outcomes.MotionFacts:
    board = item.meeting.board
    commits = frozenset(motion.commits.values_list("pk", flat=True)) or frozenset(
        board.partners.values_list("pk", flat=True)
    )
    return outcomes.MotionFacts(
        financial_value=motion.financial_value,
        committed_partner_ids=commits,
        consultation_required=motion.consult_board_id is not None,
        consultation_recorded=motion.consultation_recorded_at is not None,
        consult_board_name=str(motion.consult_board) if motion.consult_board_id else "",
        prior_failures=outcomes.prior_failures(referral_chain_outcomes(item)),
    )


def evaluate_motion(motion: Motion, at: datetime) -> tuple[outcomes.Outcome, dict]:
    """Gather the record at moment ``at`` and ask the engine; returns the outcome and
    the quorum snapshot to keep with it."""
    item = motion.item
    meeting = item.meeting
    board = meeting.board
    context = QuorumContext.load(meeting)
    quorum = context.result(item.business_type, at)
    presences = context.presences(at)
    withdrew = set(
        Declaration.objects.filter(item=item, withdrew=True).values_list(
            "seat_id", flat=True
        )
    )
    by_id = {s.pk: s for s in context.seats}
    seats = [
        outcomes.SeatAtVote(
            seat_id=p.seat_id,
            partner_id=p.partner_id,
            voting=p.voting,
            represented=p.represented,
            withdrew=p.seat_id in withdrew,
            is_chair=p.chairs,
            delegated_authority_limit=by_id[p.seat_id].delegated_authority_limit,
            title=by_id[p.seat_id].title,
        )
        for p in presences
    ]
    result = outcomes.decide(
        board=board_rules(board),
        quorum=outcomes.QuorumAtVote(quorum.quorate, tuple(quorum.unmet)),
        motion=_facts(motion, item),
        seats=seats,
        votes=dict(motion.votes.values_list("seat_id", "choice")),
        positions=dict(
            WrittenPosition.objects.filter(item=item).values_list(
                "partner_id", "position"
            )
        ),
        partner_names={p.id: p.name for p in context.partners},
    )
    snapshot = {
        **quorum.as_dict(),
        "at": at.isoformat(),
        "seats": [
            {
                "seat": s.seat_id,
                "partner": s.partner_id,
                "voting": s.voting,
                "represented": s.represented,
                "withdrew": s.withdrew,
            }
            for s in seats
        ],
    }
    return result, snapshot


@transaction.atomic
def motion_close(*, motion: Motion, by, now: datetime | None = None) -> CloseResult:
    """Close the vote and decide (``meetings.outcomes.decide``), then carry out the
    consequence: refer or defer the item to the next meeting, or escalate.

    Lock: the motion row, so no vote lands after the outcome is computed.
    """
    motion = lock_motion(motion)
    if workflow.check(Motion.TRANSITIONS, motion.status, "close") is None:
        raise InvalidTransition(
            "Only a motion open for votes can be closed; "
            f"this one is {motion.get_status_display().lower()}.",
            rule="motion_status",
        )
    at = now or timezone.now()
    try:
        result, snapshot = evaluate_motion(motion, at)
    except outcomes.MotionCannotBePut as refusal:
        raise RuleViolation(refusal.reason, rule=refusal.rule) from refusal
    workflow.transition(motion, "close")
    motion.outcome = result.outcome
    motion.outcome_reasons = list(result.reasons)
    motion.quorum_snapshot = snapshot
    motion.tally = result.tally.as_dict()
    motion.recommendation = result.recommendation
    motion.closed_at = at
    motion.closed_by = by
    referred_to = escalation = None
    if result.outcome in outcomes.CARRY_FORWARD:
        referred_to = carry_forward(
            motion=motion,
            reason=f"{MotionOutcome(result.outcome).label}: {'; '.join(result.reasons)}",
        )
        motion.referred_to_item = referred_to
    motion.save()
    if result.outcome in outcomes.ESCALATIONS:
        path = (
            Escalation.Path.AUTHORISED_OFFICERS
            if result.outcome == outcomes.ESCALATED_AUTHORISED_OFFICERS
            else Escalation.Path.DISPUTE_RESOLUTION
        )
        previous = (
            Escalation.objects.filter(
                motion__item__in=referral_chain_items(motion.item),
                path=Escalation.Path.AUTHORISED_OFFICERS,
            )
            .order_by("-opened_at")
            .first()
            if path == Escalation.Path.DISPUTE_RESOLUTION
            else None
        )
        escalation = escalation_open(motion=motion, path=path, previous=previous)
    return CloseResult(motion, referred_to, escalation)


def lock_motion(motion: Motion) -> Motion:
    """Lock: the motion row (SELECT ... FOR UPDATE) for the rest of the transaction;
    every write to a motion and its votes takes it first, so they serialise."""
    return (
        Motion.objects.select_for_update()
        .select_related("item__meeting__board")
        .get(pk=motion.pk)
    )


def ensure_meeting_not_over(meeting: Meeting, what: str) -> None:
    """Refuse once the meeting is finished (closed, cancelled or inquorate)."""
    if meeting.status in (
        Meeting.Status.CLOSED,
        Meeting.Status.CANCELLED,
        Meeting.Status.INQUORATE,
    ):
        raise RuleViolation(
            f"The meeting is {meeting.get_status_display().lower()}: {what}.",
            rule="meeting_status",
        )
