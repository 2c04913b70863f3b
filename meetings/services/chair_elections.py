"""Writes for the election of an elected chair (Leicestershire IFPG); the dates
come from ``boards.chairs`` (pure)."""

from django.db import transaction
from django.utils import timezone

from boards import chairs
from boards.models import Board, ChairTerm, Seat
from boards.services.chairs import chair_term_start
from governance.exceptions import RuleViolation

from .. import scheduling
from ..models import ChairElection, Meeting


@transaction.atomic
def chair_elect(*, meeting: Meeting, seat: Seat, unanimous: bool, by) -> ChairTerm:
    """Elect the chair of a board whose chair is elected (Leicestershire IFPG): "At
    the first meeting ... the members will elect from their number, by unanimous
    agreement, a Chairperson. Thereafter, there will be a re-election at the next
    meeting following each anniversary of the first meeting"."""
    board = meeting.board
    if board.chair_arrangement != Board.ChairArrangement.ELECTED:
        raise RuleViolation(
            f"{board.label}'s chair is not elected by its members.",
            rule="chair_arrangement",
        )
    if seat.board_id != board.pk or not seat.voting or seat.holder_id is None:
        raise RuleViolation(
            "The chair is elected from the board's voting members.",
            rule="chair_from_members",
        )
    if not unanimous:
        raise RuleViolation(
            "The chair is elected by unanimous agreement (Leicestershire IFPG ToR).",
            rule="chair_unanimous",
        )
    on = timezone.localtime(meeting.starts_at).date()
    terms = list(ChairTerm.objects.filter(board=board))
    first = (
        not Meeting.objects.filter(board=board, starts_at__lt=meeting.starts_at)
        .exclude(status=Meeting.Status.CANCELLED)
        .exists()
    )
    if terms and not first:
        due = chairs.next_change(
            arrangement=chairs.ELECTED,
            term_months=board.chair_term_months,
            terms=[
                chairs.Term(
                    person_id=t.person_id,
                    starts_on=t.starts_on,
                    ends_on=t.ends_on,
                    seat_id=t.seat_id,
                    partner_id=t.partner_id,
                )
                for t in terms
            ],
            today=on,
        )
        if due is not None and due.due_on > on:
            raise RuleViolation(
                "No election is due: the chair is re-elected at the first meeting "
                f"on or after {scheduling.fmt(due.due_on)} (Leicestershire IFPG ToR).",
                rule="chair_election_not_due",
            )
    term = chair_term_start(
        board=board,
        person=seat.holder,
        seat=seat,
        partner=seat.partner,
        starts_on=on,
        elected=True,
    )
    ChairElection.objects.create(meeting=meeting, term=term, recorded_by=by)
    return term
