"""Who represents each seat at a moment, and who may vote for it (SPEC s.2, s.4).

Pure: plain data in (the board's seats, the meeting's attendance records, the person
asking, a moment), a decision out; no ORM, no request, no clock. The quorum panel,
the ballot, the vote service, the dashboard and the API all ask this module, so a
seat cannot "count" on one page and be "not represented" on another.

The rules, in the words of the terms:

- A seat is represented by its holder present, or by its deputy attending in the
  holder's place who was notified before the meeting ("a deputy to be notified to
  the Partners in advance of any meeting", SPEC s.1; Portsmouth PMG ToR 1.1: the
  deputy has "delegated authority to act on their behalf and exercise their voting
  rights"). The holder present takes precedence over a deputy.
- Attendance is judged at a moment: someone counts from their recorded arrival
  (none recorded: from the start) until their recorded departure.
- The person representing a voting seat votes for it; the holder does not vote while
  the deputy sits in their place, nor the deputy while the holder is present.
- On an advisory board (no delegated authority, ``decision_making`` false) there are
  no formal votes: every member present takes part, voting flag or not.
- A member who withdrew from the item for a declared interest does not vote on it.
- The board's secretary (or an administrator) records a represented voting seat's
  vote on a show of hands; a guest never votes.

Each board's own settings arrive as ``BoardData``; nothing here applies one board's
clause to another.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

PRESENT, DEPUTY, APOLOGIES, ABSENT = "present", "deputy", "apologies", "absent"
BY_HOLDER, BY_DEPUTY = "holder", "deputy"
LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class BoardData:
    """The board's settings that bear on eligibility."""

    id: int
    label: str = ""
    # False: an advisory board (no formal votes; every member present takes part).
    decision_making: bool = True


@dataclass(frozen=True)
class SeatData:
    id: int
    board_id: int
    title: str = ""
    partner_id: int = 0
    holder_id: int | None = None
    deputy_id: int | None = None
    voting: bool = True
    active: bool = True
    categories: frozenset[str] = frozenset()
    is_chair: bool = False
    is_alternate_chair: bool = False


@dataclass(frozen=True)
class AttendanceData:
    """One attendance record: who attends for which seat, and when."""

    seat_id: int
    status: str  # present, deputy, apologies or absent
    # Who sat in the seat (the holder or the deputy); None: the seat's own person.
    attendee_id: int | None = None
    deputy_notified: bool = False
    arrived_at: datetime | None = None
    left_at: datetime | None = None

    @property
    def attending(self) -> bool:
        return self.status in (PRESENT, DEPUTY)

    def attending_at(self, at: datetime) -> bool:
        """Recorded as attending, arrived by ``at`` and not yet left."""
        if not self.attending:
            return False
        if self.arrived_at is not None and self.arrived_at > at:
            return False
        return self.left_at is None or self.left_at > at


@dataclass(frozen=True)
class Refusal:
    reason: str
    rule: str  # a code of governance/rule_codes.py


@dataclass(frozen=True)
class Standing:
    """A seat at a moment: represented or not, by whom, and whether its vote may be
    cast now (``refusal`` None) or why not."""

    seat_id: int
    represented: bool = False
    by: str = ""  # "holder", "deputy" or "" (nobody)
    person_id: int | None = None
    # A deputy attends for the seat but does not count (not notified in advance).
    deputy_uncounted: bool = False
    refusal: Refusal | None = None

    @property
    def by_deputy(self) -> bool:
        return self.by == BY_DEPUTY

    @property
    def may_vote(self) -> bool:
        return self.refusal is None

    @property
    def deputy_not_counting(self) -> bool:
        return self.deputy_uncounted and not self.represented


@dataclass(frozen=True)
class Voter:
    """The person asking to vote for a seat."""

    id: int
    # The board's secretary or an administrator: records a show of hands.
    records_votes: bool = False
    # An approved guest of the meeting who sits on no seat of the board.
    guest: bool = False


def _clock(moment: datetime | None) -> str:
    return f"{moment.astimezone(LONDON):%H:%M}" if moment else ""


def _person_of(seat: SeatData, record: AttendanceData) -> int | None:
    if record.attendee_id is not None:
        return record.attendee_id
    return seat.holder_id if record.status == PRESENT else seat.deputy_id


def _name(seat: SeatData, person_id: int | None) -> str:
    if person_id is not None and person_id == seat.holder_id:
        return "the holder"
    if person_id is not None and person_id == seat.deputy_id:
        return "the deputy"
    return "the member"


def _absence(seat: SeatData, records: list[AttendanceData], at: datetime) -> Refusal:
    """Why nobody represents the seat at ``at``, in words a member can act on."""
    attending = [r for r in records if r.attending]
    gone = [r for r in attending if r.left_at is not None and r.left_at <= at]
    coming = [r for r in attending if r.arrived_at is not None and r.arrived_at > at]
    if gone and len(gone) == len(attending):
        last = max(gone, key=lambda r: r.left_at)
        why = f"{_name(seat, _person_of(seat, last))} left at {_clock(last.left_at)}"
    elif coming:
        first = min(coming, key=lambda r: r.arrived_at)
        why = (
            f"{_name(seat, _person_of(seat, first))} is recorded as arriving at "
            f"{_clock(first.arrived_at)}"
        )
    elif any(r.status == APOLOGIES for r in records):
        why = "the holder sent apologies and no notified deputy attends"
    else:
        why = "neither the holder nor a notified deputy is recorded as attending"
    return Refusal(
        f"{seat.title} is not represented at the meeting now: {why}. Ask the "
        "secretary to record attendance if this is wrong.",
        "seat_not_represented",
    )


@dataclass(frozen=True)
class Presence:
    """Who sits for a seat at a moment, from its attendance records alone."""

    by: str = ""  # "holder", "deputy" or "" (nobody)
    record: AttendanceData | None = None  # the record of whoever represents it
    # Attending for the seat but not counting: a deputy not notified in advance.
    uncounted: AttendanceData | None = None

    @property
    def represented(self) -> bool:
        return bool(self.by)


def presence(records: Iterable[AttendanceData], at: datetime) -> Presence:
    """The holder present at ``at``, else a notified deputy attending at ``at``."""
    here = [r for r in records if r.attending_at(at)]
    holder = next((r for r in here if r.status == PRESENT), None)
    if holder is not None:
        return Presence(BY_HOLDER, holder)
    deputies = [r for r in here if r.status == DEPUTY]
    notified = next((r for r in deputies if r.deputy_notified), None)
    if notified is not None:
        return Presence(BY_DEPUTY, notified)
    return Presence(uncounted=deputies[0] if deputies else None)


def standing(
    board: BoardData,
    seat: SeatData,
    records: Iterable[AttendanceData],
    at: datetime,
) -> Standing:
    """Who represents ``seat`` at moment ``at``, and whether its vote may be cast."""
    records = [r for r in records if r.seat_id == seat.id]
    found = presence(records, at)
    refusal = None
    if seat.board_id != board.id or not seat.active:
        refusal = Refusal(
            f"{seat.title} is not a seat of {board.label}.", "seat_not_on_board"
        )
    elif not seat.voting and board.decision_making:
        refusal = Refusal(
            f"{seat.title} is a non-voting seat: non-voting seats cannot vote.",
            "non_voting_seat",
        )
    elif not found.represented and found.uncounted is not None:
        refusal = Refusal(
            f"The deputy attending for {seat.title} was not notified before the "
            "meeting: an un-notified deputy does not count and cannot vote.",
            "deputy_not_notified",
        )
    elif not found.represented:
        refusal = _absence(seat, records, at)
    return Standing(
        seat_id=seat.id,
        represented=found.represented,
        by=found.by,
        person_id=_person_of(seat, found.record) if found.record else None,
        deputy_uncounted=found.uncounted is not None,
        refusal=refusal,
    )


def standings(
    board: BoardData,
    seats: Iterable[SeatData],
    records: Iterable[AttendanceData],
    at: datetime,
) -> dict[int, Standing]:
    """``standing`` of every seat, by seat id."""
    by_seat: dict[int, list[AttendanceData]] = {}
    for record in records:
        by_seat.setdefault(record.seat_id, []).append(record)
    return {s.id: standing(board, s, by_seat.get(s.id, []), at) for s in seats}


def vote_refusal(
    *,
    board: BoardData,
    seat: SeatData,
    standing: Standing,
    voter: Voter,
    withdrew: bool = False,
) -> Refusal | None:
    """Why ``voter`` may not cast ``seat``'s vote now, or None.

    ``standing``: the seat at this moment (``standing()``); ``withdrew``: the member
    for the seat withdrew from the item for a declared interest. The motion's status
    is the vote service's to check."""
    if seat.board_id != board.id or not seat.active:
        return Refusal(
            f"{seat.title} is not a seat of {board.label}.", "seat_not_on_board"
        )
    holder = voter.id == seat.holder_id
    deputy = voter.id == seat.deputy_id
    if not holder and not deputy and not voter.records_votes:
        if voter.guest:
            return Refusal("Guests cannot vote.", "guest_cannot_vote")
        return Refusal(
            f"You do not hold {seat.title}: a member votes for their own seat only.",
            "not_your_seat",
        )
    if standing.refusal is not None and standing.refusal.rule == "non_voting_seat":
        return standing.refusal
    if withdrew:
        return Refusal(
            f"The member for {seat.title} withdrew from this item for a declared "
            "interest and cannot vote on it.",
            "withdrew_for_interest",
        )
    if holder and standing.by != BY_HOLDER:
        if standing.by == BY_DEPUTY or standing.deputy_uncounted:
            return Refusal(
                "Your deputy is attending in your place: the deputy votes for this "
                "seat at this meeting.",
                "holder_replaced_by_deputy",
            )
    elif deputy and standing.by == BY_HOLDER:
        return Refusal(
            "The holder of this seat is present: a deputy votes only for an absent "
            "holder.",
            "holder_present",
        )
    elif deputy and standing.deputy_not_counting:
        return Refusal(
            "You were not notified as deputy before the meeting: an un-notified "
            "deputy cannot vote.",
            "deputy_not_notified",
        )
    return standing.refusal


def may_vote_now(
    *,
    board: BoardData,
    seats: Iterable[SeatData],
    standings_by_seat: Mapping[int, Standing],
    voter: Voter,
    withdrew_seat_ids: frozenset[int] = frozenset(),
) -> bool:
    """Whether ``voter`` may cast the vote of any of their own seats now (what the
    dashboard asks before offering "Vote")."""
    return any(
        vote_refusal(
            board=board,
            seat=seat,
            standing=standings_by_seat[seat.id],
            voter=voter,
            withdrew=seat.id in withdrew_seat_ids,
        )
        is None
        for seat in seats
        if seat.id in standings_by_seat and voter.id in (seat.holder_id, seat.deputy_id)
    )
