"""Writes for decisions (SPEC s.4): putting and closing motions, votes, written
positions, consultation, escalations and the election of an elected chair. The only
place their state changes; views and the API call these.

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
from datetime import datetime, time

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from boards.models import Board, Partner, Seat
from governance.exceptions import InvalidTransition, RuleViolation

from .. import outcomes, scheduling
from ..models import (
    AgendaItem,
    Declaration,
    Escalation,
    Meeting,
    Motion,
    MotionOutcome,
    Vote,
    WrittenPosition,
)
from ..quorum_snapshot import QuorumContext, seat_presences
from ..selectors.decisions import vote_refusal
from .decisions_chair import chair_elect
from .decisions_escalations import escalation_open, escalation_resolve

__all__ = [
    "CloseResult",
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


def _lock(motion: Motion) -> Motion:
    """Lock: the motion row (SELECT ... FOR UPDATE) for the rest of the transaction;
    every write to a motion and its votes takes it first, so they serialise."""
    return (
        Motion.objects.select_for_update()
        .select_related("item__meeting__board")
        .get(pk=motion.pk)
    )


def _transition(motion: Motion, new: str) -> None:
    if not motion.can_become(new):
        raise InvalidTransition(
            f"A motion that is {motion.get_status_display().lower()} cannot become "
            f"{Status(new).label.lower()}.",
            rule="motion_status",
        )
    motion.status = new


def _meeting_not_over(meeting: Meeting, what: str) -> None:
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


# --- closing -----------------------------------------------------------------


@dataclass(frozen=True)
class CloseResult:
    motion: Motion
    referred_to_item: AgendaItem | None
    escalation: Escalation | None


def _chain_outcomes(item: AgendaItem) -> list[str]:
    """Outcomes of the motions on the items this one carries forward, nearest
    first (one query a step; chains are short)."""
    found = []
    seen = {item.pk}
    current = item.referred_from_id
    while current is not None and current not in seen:
        seen.add(current)
        row = (
            AgendaItem.objects.filter(pk=current)
            .values("referred_from_id", "motion__outcome")
            .first()
        )
        if row is None:
            break
        if row["motion__outcome"]:
            found.append(row["motion__outcome"])
        current = row["referred_from_id"]
    return found


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
        prior_failures=outcomes.prior_failures(_chain_outcomes(item)),
    )


def evaluate_motion(motion: Motion, at: datetime) -> tuple[outcomes.Outcome, dict]:
    """Gather the record at moment ``at`` and ask the engine; returns the outcome and
    the quorum snapshot to keep with it."""
    item = motion.item
    meeting = item.meeting
    board = meeting.board
    context = QuorumContext.load(meeting)
    quorum = context.result(item.business_type, at)
    presences = seat_presences(context.seats, context.attendance, at)
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
            is_chair=p.is_chair,
            delegated_authority_limit=by_id[p.seat_id].delegated_authority_limit,
            title=by_id[p.seat_id].title,
        )
        for p in presences
    ]
    result = outcomes.decide(
        board=outcomes.BoardRules(
            decision_making=board.decision_making,
            decision_rule=board.decision_rule,
            escalation=board.escalation,
            chair_casting_vote=board.chair_casting_vote,
        ),
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
    motion = _lock(motion)
    if motion.status != Status.OPEN:
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
    motion.status = Status.CLOSED
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
                motion__item__in=_chain_items(motion.item),
                path=Escalation.Path.AUTHORISED_OFFICERS,
            )
            .order_by("-opened_at")
            .first()
            if path == Escalation.Path.DISPUTE_RESOLUTION
            else None
        )
        escalation = escalation_open(motion=motion, path=path, previous=previous)
    return CloseResult(motion, referred_to, escalation)


def _chain_items(item: AgendaItem) -> list[int]:
    ids, current = [], item.referred_from_id
    while current is not None and current not in ids:
        ids.append(current)
        current = (
            AgendaItem.objects.filter(pk=current)
            .values_list("referred_from_id", flat=True)
            .first()
        )
    return ids


def next_meeting_for(meeting: Meeting) -> Meeting:
    """The board's next scheduled meeting after ``meeting``, or a provisional one at
    the board's next proposed date (location "to be confirmed")."""
    following = (
        Meeting.objects.filter(
            board_id=meeting.board_id,
            starts_at__gt=meeting.starts_at,
            status=Meeting.Status.SCHEDULED,
        )
        .order_by("starts_at")
        .first()
    )
    if following is not None:
        return following
    board = meeting.board
    local = timezone.localtime(meeting.starts_at)
    today = max(timezone.localdate(), local.date())
    day = scheduling.propose_ordinary_dates(
        today=today,
        last_meeting_on=local.date(),
        frequency_months=board.meeting_frequency_months,
        papers_working_days=board.papers_working_days,
        count=1,
    )[0]
    starts_at = timezone.make_aware(
        datetime.combine(day, local.time() or time(10, 0)),
        timezone.get_current_timezone(),
    )
    return Meeting.objects.create(
        board=board,
        kind=Meeting.Kind.ORDINARY,
        starts_at=starts_at,
        location="To be confirmed (provisional: created for items carried forward)",
    )


def carry_forward(*, motion: Motion, reason: str) -> AgendaItem:
    """Put the item on the board's next meeting, linked to this one, with a new
    draft motion copying the old one (text, value, committed partners, consulted
    board and any consultation recorded)."""
    item = motion.item
    target = next_meeting_for(item.meeting)
    top = target.items.aggregate(top=Max("order"))["top"]
    new = AgendaItem.objects.create(
        meeting=target,
        order=0 if top is None else top + 1,
        title=item.title,
        business_type=item.business_type,
        kind=AgendaItem.Kind.DECISION,
        presenter=item.presenter,
        confidential=item.confidential,
        referred_from=item,
        carried_forward_reason=reason[:300],
    )
    copy = Motion.objects.create(
        item=new,
        text=motion.text,
        financial_value=motion.financial_value,
        consult_board_id=motion.consult_board_id,
        consultation_recorded_at=motion.consultation_recorded_at,
        consultation_note=motion.consultation_note,
    )
    copy.commits.set(motion.commits.all())
    return new
