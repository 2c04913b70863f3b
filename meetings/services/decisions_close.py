"""Closing a motion (SPEC s.4): evaluating its outcome and carrying it forward to
the next meeting. Re-exported by ``meetings.services.decisions``.
"""

from dataclasses import dataclass
from datetime import datetime, time

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from governance.exceptions import InvalidTransition, RuleViolation

from .. import outcomes, scheduling
from ..models import (
    AgendaItem,
    Declaration,
    Escalation,
    Meeting,
    Motion,
    MotionOutcome,
    WrittenPosition,
)
from ..quorum_snapshot import QuorumContext, seat_presences
from .decisions_common import Status, _lock
from .decisions_escalations import escalation_open

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
