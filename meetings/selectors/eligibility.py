"""The adapter between a meeting's records and the eligibility engine
(``meetings.eligibility``): reads the board's seats, the meeting's attendance and
the item's withdrawals as plain data in a fixed number of queries, and asks the
engine. The quorum panel, the meeting page, the ballot, the vote service, the
dashboard and the API read who represents a seat, and who may vote for it, here.

The moment is the real clock (``timezone.now()``) unless one is given: attendance
times are recorded at the real clock time (``services/attendance.py``), so "now" on
the quorum panel and on the ballot is the same moment."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from boards.models import Board, Seat
from governance.permissions import is_administrator

from .. import eligibility
from ..models import Attendance, Declaration, Meeting, Motion
from ..permissions import board_role, guest_item_ids


def board_data(board: Board) -> eligibility.BoardData:
    return eligibility.BoardData(
        id=board.pk, label=board.label, decision_making=board.decision_making
    )


def seat_data(seat: Seat) -> eligibility.SeatData:
    return eligibility.SeatData(
        id=seat.pk,
        board_id=seat.board_id,
        title=seat.title,
        partner_id=seat.partner_id,
        holder_id=seat.holder_id,
        deputy_id=seat.deputy_id,
        voting=seat.voting,
        active=seat.active,
        categories=frozenset(seat.categories or ()),
        is_chair=seat.is_chair,
        is_alternate_chair=seat.is_alternate_chair,
    )


def attendance_data(record: Attendance) -> eligibility.AttendanceData:
    return eligibility.AttendanceData(
        seat_id=record.seat_id,
        status=record.status,
        attendee_id=record.attendee_id,
        deputy_notified=record.deputy_notified,
        arrived_at=record.arrived_at,
        left_at=record.left_at,
    )


@dataclass
class Roll:
    """A meeting's seats and attendance as the engine's plain data."""

    board: eligibility.BoardData
    seats: list[eligibility.SeatData]
    records: list[eligibility.AttendanceData]

    def standings(self, at: datetime | None = None) -> dict[int, eligibility.Standing]:
        return eligibility.standings(
            self.board, self.seats, self.records, at or timezone.now()
        )


def meeting_roll(
    meeting: Meeting,
    *,
    seats: list[Seat] | None = None,
    attendance: dict[int, Attendance] | None = None,
) -> Roll:
    """The board's active seats and the meeting's attendance: two queries, none
    when the caller has them already."""
    if seats is None:
        seats = list(
            Seat.objects.filter(board_id=meeting.board_id, active=True).order_by(
                "order", "id"
            )
        )
    if attendance is None:
        attendance = {a.seat_id: a for a in Attendance.objects.filter(meeting=meeting)}
    return Roll(
        board=board_data(meeting.board),
        seats=[seat_data(s) for s in seats],
        records=[attendance_data(a) for a in attendance.values()],
    )


_UNREAD = object()


def seat_standing(
    meeting: Meeting,
    seat: Seat,
    *,
    record: Attendance | None = _UNREAD,  # type: ignore[assignment]
    at: datetime | None = None,
) -> eligibility.Standing:
    """One seat at moment ``at`` (now by default): one query, none when its
    attendance ``record`` (or None: not recorded) is given."""
    if record is _UNREAD:
        record = Attendance.objects.filter(meeting=meeting, seat=seat).first()
    return eligibility.standing(
        board_data(meeting.board),
        seat_data(seat),
        [attendance_data(record)] if record is not None else [],
        at or timezone.now(),
    )


def _voter(user, meeting: Meeting, seat: Seat) -> eligibility.Voter:
    role = board_role(user, meeting.board_id)
    records = is_administrator(user) or role.secretary
    own = user.pk in (seat.holder_id, seat.deputy_id)
    # Only asked when it matters: an outsider to the seat who records no votes.
    guest = (
        not own
        and not records
        and not role.member
        and bool(guest_item_ids(user, meeting.pk))
    )
    return eligibility.Voter(id=user.pk, records_votes=records, guest=guest)


def vote_refusal(
    *, user, motion: Motion, seat: Seat, now: datetime | None = None
) -> eligibility.Refusal | None:
    """Why ``user`` may not cast ``seat``'s vote on ``motion`` at ``now``, or None
    (the engine's ``vote_refusal``). The motion's status is the service's to
    check."""
    item = motion.item
    meeting = item.meeting
    standing = seat_standing(meeting, seat, at=now)
    withdrew = Declaration.objects.filter(item=item, seat=seat, withdrew=True).exists()
    return eligibility.vote_refusal(
        board=board_data(meeting.board),
        seat=seat_data(seat),
        standing=standing,
        voter=_voter(user, meeting, seat),
        withdrew=withdrew,
    )


def motions_user_may_vote_now(
    user, motions: list[Motion], *, at: datetime | None = None
) -> list[Motion]:
    """Of ``motions`` (open, with ``item__meeting__board`` loaded), those on which
    the user may cast one of their own seats' votes now: never to a holder whose
    deputy attends, nor to a deputy while the holder is present. Three queries
    whatever the number of motions (none without motions): the user's seats on
    those boards, their attendance at those meetings, their withdrawals from those
    items."""
    if not motions:
        return []
    at = at or timezone.now()
    board_ids = {m.item.meeting.board_id for m in motions}
    seats = list(
        Seat.objects.filter(board_id__in=board_ids, active=True).filter(
            Q(holder_id=user.pk) | Q(deputy_id=user.pk)
        )
    )
    records: dict[int, list[eligibility.AttendanceData]] = {}
    for record in Attendance.objects.filter(
        meeting_id__in={m.item.meeting_id for m in motions}, seat__in=seats
    ):
        records.setdefault(record.meeting_id, []).append(attendance_data(record))
    withdrew: dict[int, set[int]] = {}
    for item_id, seat_id in Declaration.objects.filter(
        item_id__in={m.item_id for m in motions}, seat__in=seats, withdrew=True
    ).values_list("item_id", "seat_id"):
        withdrew.setdefault(item_id, set()).add(seat_id)
    voter = eligibility.Voter(id=user.pk)
    allowed = []
    for motion in motions:
        meeting = motion.item.meeting
        board = board_data(meeting.board)
        mine = [seat_data(s) for s in seats if s.board_id == meeting.board_id]
        if eligibility.may_vote_now(
            board=board,
            seats=mine,
            standings_by_seat=eligibility.standings(
                board, mine, records.get(meeting.pk, []), at
            ),
            voter=voter,
            withdrew_seat_ids=frozenset(withdrew.get(motion.item_id, ())),
        ):
            allowed.append(motion)
    return allowed
