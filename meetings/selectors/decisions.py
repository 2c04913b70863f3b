"""Reads for decisions, shaped for one page or endpoint: who may vote for which
seat (with the reason when not), the live tally, the decision logs and open
escalations."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from boards.models import Board, Seat
from boards.quorum import represented_at
from governance.permissions import is_administrator, reads_everything

from ..models import Attendance, Declaration, Escalation, Motion, Vote
from ..permissions import (
    board_role,
    can_put_motion,
    can_record_show_of_hands,
    guest_item_ids,
)


@dataclass(frozen=True)
class Refusal:
    reason: str
    rule: str


def vote_refusal(
    *, user, motion: Motion, seat: Seat, now: datetime | None = None
) -> Refusal | None:
    """Why ``user`` may not vote for ``seat`` on ``motion`` now, or None.

    A member votes for their own seat: the holder when present, the deputy when
    attending in the holder's place and notified before the meeting (Leicestershire
    IFPG). The secretary may record any represented voting seat's vote (a show of
    hands). Non-voting seats, members who withdrew for an interest, guests and
    un-notified deputies are refused (SPEC s.4). Motion status is checked by the
    service.
    """
    item = motion.item
    meeting = item.meeting
    if seat.board_id != meeting.board_id or not seat.active:
        return Refusal(
            f"{seat} is not a seat of {meeting.board.label}.", "seat_not_on_board"
        )
    mine = user.pk in (seat.holder_id, seat.deputy_id)
    secretary = is_administrator(user) or board_role(user, meeting.board_id).secretary
    if not mine and not secretary:
        if (
            guest_item_ids(user, meeting.pk)
            and not board_role(user, meeting.board_id).member
        ):
            return Refusal("Guests cannot vote.", "guest_cannot_vote")
        return Refusal(
            f"You do not hold {seat}: a member votes for their own seat only.",
            "not_your_seat",
        )
    # An advisory board holds no formal votes: every member present takes part in
    # agreeing a recommendation, voting flag or not (SPEC s.4).
    if not seat.voting and meeting.board.decision_making:
        return Refusal(
            f"{seat} is a non-voting seat: non-voting seats cannot vote.",
            "non_voting_seat",
        )
    if Declaration.objects.filter(item=item, seat=seat, withdrew=True).exists():
        return Refusal(
            f"The member for {seat} withdrew from this item for a declared interest "
            "and cannot vote on it.",
            "withdrew_for_interest",
        )
    record = Attendance.objects.filter(meeting=meeting, seat=seat).first()
    status = record.status if record else Attendance.Status.ABSENT
    represented = False
    if record is not None:
        represented, _ = represented_at(
            status=record.status,
            deputy_notified=record.deputy_notified,
            arrived_at=record.arrived_at,
            left_at=record.left_at,
            at=now or timezone.now(),
        )
    if user.pk == seat.holder_id:
        if status == Attendance.Status.DEPUTY:
            return Refusal(
                "Your deputy is attending in your place: the deputy votes for this "
                "seat at this meeting.",
                "holder_replaced_by_deputy",
            )
    elif user.pk == seat.deputy_id:
        if status == Attendance.Status.PRESENT:
            return Refusal(
                "The holder of this seat is present: a deputy votes only for an "
                "absent holder.",
                "holder_present",
            )
        if status == Attendance.Status.DEPUTY and not record.deputy_notified:
            return Refusal(
                "You were not notified as deputy before the meeting: an "
                "un-notified deputy cannot vote (Leicestershire IFPG ToR).",
                "deputy_not_notified",
            )
    if not represented:
        return Refusal(
            f"{seat} is not represented at the meeting (the holder, or a notified "
            "deputy, must be recorded as attending): ask the secretary to record "
            "attendance.",
            "seat_not_represented",
        )
    return None


@dataclass(frozen=True)
class SeatBallot:
    seat: Seat
    vote: Vote | None
    refusal: Refusal | None


def ballots_for(user, motion: Motion) -> list[SeatBallot]:
    """The seats ``user`` holds or deputises for on the motion's board, each with
    their current vote and the reason they may not vote, if any."""
    seats = list(
        Seat.objects.filter(board_id=motion.item.meeting.board_id, active=True)
        .filter(Q(holder_id=user.pk) | Q(deputy_id=user.pk))
        .select_related("partner")
        .order_by("order", "id")
    )
    votes = {v.seat_id: v for v in motion.votes.filter(seat__in=seats)}
    return [
        SeatBallot(
            seat=s,
            vote=votes.get(s.pk),
            refusal=None
            if motion.status == Motion.Status.OPEN
            else Refusal(
                "The motion is not open for votes.",
                "motion_not_open"
                if motion.status == Motion.Status.DRAFT
                else "motion_closed",
            ),
        )
        if motion.status != Motion.Status.OPEN
        else SeatBallot(
            s, votes.get(s.pk), vote_refusal(user=user, motion=motion, seat=s)
        )
        for s in seats
    ]


def motion_tally(motion: Motion) -> dict:
    """Live counts of the votes cast so far."""
    counts = dict(
        motion.votes.values_list("choice")
        .annotate(n=Count("id"))
        .values_list("choice", "n")
    )
    return {
        "for": counts.get("for", 0),
        "against": counts.get("against", 0),
        "abstain": counts.get("abstain", 0),
        "cast": sum(counts.values()),
    }


def tally_of(votes) -> dict:
    """``motion_tally`` of votes already loaded."""
    counts: dict[str, int] = {}
    for vote in votes:
        counts[vote.choice] = counts.get(vote.choice, 0) + 1
    return {
        "for": counts.get("for", 0),
        "against": counts.get("against", 0),
        "abstain": counts.get("abstain", 0),
        "cast": sum(counts.values()),
    }


def panel_context(user, motion: Motion, *, seats, other_boards) -> dict:
    """What the decision panel shows, from a motion loaded with its votes, commits,
    escalations and its item's written positions (``motion_for_panel``, or the
    meeting page's items): no query of its own. ``seats``: the board's active
    voting seats in order; ``other_boards``: boards it may consult (drafts only)."""
    item = motion.item
    votes = list(motion.votes.all())
    by_seat = {v.seat_id: v for v in votes}
    return {
        "item": item,
        "motion": motion,
        "can_run": can_put_motion(user, item),
        "can_record": can_record_show_of_hands(user, item),
        "rows": [(s, by_seat.get(s.pk)) for s in seats],
        "tally": tally_of(votes),
        "positions": list(item.written_positions.all()),
        "escalations": list(motion.escalations.all()),
        "choices": Vote.Choice.choices,
        "other_boards": other_boards if motion.status == Motion.Status.DRAFT else [],
    }


def consultable_boards(board_id: int) -> list[Board]:
    """Active boards other than ``board_id``: whom a draft motion may consult."""
    return list(
        Board.objects.exclude(pk=board_id).filter(active=True).only("pk", "name")
    )


def motion_for_panel(motion_id: int) -> Motion:
    """A motion with everything the secretary's decision panel shows."""
    return (
        Motion.objects.select_related("item__meeting__board", "consult_board")
        .prefetch_related(
            "commits",
            Prefetch("votes", queryset=Vote.objects.select_related("seat__partner")),
            "escalations",
            "item__written_positions__partner",
        )
        .get(pk=motion_id)
    )


def voting_seats(motion: Motion) -> QuerySet[Seat]:
    """Seats that take part in the decision: the voting seats, or on an advisory
    board (no formal votes) every seat."""
    seats = Seat.objects.filter(board_id=motion.item.meeting.board_id, active=True)
    if motion.item.meeting.board.decision_making:
        seats = seats.filter(voting=True)
    return seats.select_related("partner", "holder", "deputy")


def decision_log(
    *,
    board: Board | None = None,
    meeting_id: int | None = None,
    outcome: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    q: str = "",
    only_items: Iterable[int] | None = None,
) -> QuerySet[Motion]:
    """Closed motions, newest first, for a board's or a meeting's decision log
    (JCG: a decision log is kept). Constant queries however many rows.

    ``only_items``: for a reader who cannot see the whole agenda (a guest), the
    items they are invited to; confidential items are then never shown."""
    rows = (
        Motion.objects.filter(status=Motion.Status.CLOSED)
        .select_related(
            "item__meeting__board", "item__referred_from", "referred_to_item__meeting"
        )
        .prefetch_related("commits")
        .annotate(
            n_for=Count("votes", filter=Q(votes__choice="for")),
            n_against=Count("votes", filter=Q(votes__choice="against")),
            n_abstain=Count("votes", filter=Q(votes__choice="abstain")),
        )
        .order_by("-closed_at", "-id")
    )
    if board is not None:
        rows = rows.filter(item__meeting__board=board)
    if meeting_id is not None:
        rows = rows.filter(item__meeting_id=meeting_id)
    if only_items is not None:
        rows = rows.filter(item_id__in=list(only_items), item__confidential=False)
    if outcome:
        rows = rows.filter(outcome=outcome)
    if date_from:
        rows = rows.filter(item__meeting__starts_at__date__gte=date_from)
    if date_to:
        rows = rows.filter(item__meeting__starts_at__date__lte=date_to)
    if q:
        rows = rows.filter(Q(text__icontains=q) | Q(item__title__icontains=q))
    return rows


def escalations_for(
    user, *, status: str = Escalation.Status.OPEN
) -> QuerySet[Escalation]:
    """Escalations of the boards the user sits on, serves or reads."""
    rows = Escalation.objects.select_related(
        "board", "motion__item__meeting", "previous", "resolved_by"
    ).order_by("-opened_at")
    if status:
        rows = rows.filter(status=status)
    if not reads_everything(user):
        # IN subqueries rather than joins with OR and DISTINCT (issue 17: the
        # dashboard spent longer planning that than running it).
        served = Board.secretaries.through.objects.filter(user_id=user.pk).values(
            "board_id"
        )
        seated = _seats_of(user).values("board_id")
        rows = rows.filter(Q(board_id__in=served) | Q(board_id__in=seated))
    return rows


def _seats_of(user):
    """Active seats the user holds or deputises for."""
    return Seat.objects.filter(Q(holder_id=user.pk) | Q(deputy_id=user.pk), active=True)


def open_motions_for(user) -> QuerySet[Motion]:
    """Motions open for votes on boards where the user holds or deputises a voting
    seat, or any seat of an advisory board (every member takes part there)."""
    voting_on = (
        _seats_of(user)
        .filter(Q(voting=True) | Q(board__decision_making=False))
        .values("board_id")
    )
    return (
        Motion.objects.filter(status=Motion.Status.OPEN)
        .filter(item__meeting__board_id__in=voting_on)
        .select_related("item__meeting__board")
    )


def dashboard_panels(user) -> list[dict]:
    panels = []
    if user is None or not user.is_authenticated:
        return panels
    voting = list(open_motions_for(user)[:10])
    if voting:
        panels.append(
            {
                "title": "Open for your vote",
                "template": "meetings/decisions/partials/panel_open_motions.html",
                "motions": voting,
            }
        )
    escalations = list(escalations_for(user)[:10])
    if escalations:
        panels.append(
            {
                "title": "Open escalations",
                "template": "meetings/decisions/partials/panel_escalations.html",
                "escalations": escalations,
            }
        )
    return panels
