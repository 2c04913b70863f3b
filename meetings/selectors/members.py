"""Reads for members' records (issue 18): registers of interests, what is offered
when declarations are taken on an item, attendance statistics per seat and per
person over a period, and the cross-meeting action tracker. Each in a constant
number of queries.

``person_section`` is a section of a person's page, (person, viewer) -> context, so
it registers with the person page once that page exists."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta
from django.core.paginator import Page, Paginator
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from boards.models import Board, Seat
from boards.permissions import boards_for_user
from governance.calendar import local_date
from governance.models import User

from .. import action_tracker, attendance_stats, interests
from ..models import (
    Action,
    AgendaItem,
    Attendance,
    Meeting,
    RegisteredInterest,
    RegisterReview,
)

HELD = (Meeting.Status.CLOSED, Meeting.Status.INQUORATE)


# --- registers of interests ---------------------------------------------------------


def _entry(row: RegisteredInterest) -> interests.Entry:
    return interests.Entry(row.pk, row.declared_on, row.ended_on)


@dataclass
class Register:
    person: User
    current: list[RegisteredInterest]
    ended: list[RegisteredInterest]
    reviews: list[RegisterReview]
    review: interests.ReviewState


def register_for(person, *, today: date | None = None) -> Register:
    """A person's register: current and ended entries, reviews and the review
    state (two queries)."""
    today = today or timezone.localdate()
    entries = list(
        RegisteredInterest.objects.filter(person=person).order_by("-declared_on", "-id")
    )
    reviews = list(
        RegisterReview.objects.filter(person=person).select_related("reviewed_by")
    )
    current = [e for e in entries if interests.is_current(_entry(e), today)]
    return Register(
        person=person,
        current=current,
        ended=[e for e in entries if e not in current],
        reviews=reviews,
        review=interests.review_state(
            [_entry(e) for e in entries],
            reviews[0].reviewed_on if reviews else None,
            today,
        ),
    )


def current_interests(person_ids, on: date) -> dict[int, list[RegisteredInterest]]:
    """Entries current on ``on`` of each person (one query)."""
    found: dict[int, list[RegisteredInterest]] = defaultdict(list)
    rows = RegisteredInterest.objects.filter(
        person_id__in=list(person_ids), declared_on__lte=on
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
    for row in rows.order_by("declared_on", "id"):
        found[row.person_id].append(row)
    return found


@dataclass(frozen=True)
class Offer:
    """A seat's sitter and the register entries offered for declaration."""

    seat: Seat
    person: User
    entries: list[RegisteredInterest]


def offers_for_meeting(meeting: Meeting, seat_rows) -> list[Offer]:
    """For the secretary's page: for each seat, whoever sits in it (the deputy when
    recorded as attending for the holder, else the holder) with their current
    register entries, offered when declarations are taken on each item (one
    query)."""
    sitters = []
    for row in seat_rows:
        seat, record = row.seat, row.attendance
        if record is not None and record.status == Attendance.Status.DEPUTY:
            person = seat.deputy
        else:
            person = seat.holder
        if person is not None:
            sitters.append((seat, person))
    found = current_interests({p.pk for _, p in sitters}, local_date(meeting.starts_at))
    return [
        Offer(seat, person, found[person.pk])
        for seat, person in sitters
        if found[person.pk]
    ]


def offers_for_member(user, item: AgendaItem) -> list[Offer]:
    """For a member on the vote page: their own current entries, for each seat they
    hold or deputise on the item's board (two queries)."""
    if not user.is_authenticated:
        return []
    seats = list(
        Seat.objects.filter(board_id=item.meeting.board_id, active=True)
        .filter(Q(holder=user) | Q(deputy=user))
        .select_related("partner")
    )
    if not seats:
        return []
    entries = current_interests([user.pk], local_date(item.meeting.starts_at))[user.pk]
    return [Offer(seat, user, entries) for seat in seats] if entries else []


def declared_entry_ids(item: AgendaItem) -> set[int]:
    return set(
        item.declarations.exclude(registered_interest=None).values_list(
            "registered_interest_id", flat=True
        )
    )


@dataclass
class EntryChange:
    """One version of a register entry in its audit history: when, by whom, and
    what changed against the version before (``created`` for the first)."""

    when: datetime
    by: User | None
    created: bool
    changes: list[tuple[str, object, object]]


def interest_history(entry: RegisteredInterest) -> list[EntryChange]:
    """The entry's audit history (django-simple-history), newest first, each
    version compared with the one before it: one query, whatever its length."""
    versions = list(
        entry.history.select_related("history_user").order_by(
            "history_date", "history_id"
        )
    )
    labels = {f.name: f.verbose_name for f in RegisteredInterest._meta.fields}
    kinds = dict(RegisteredInterest.Category.choices)

    def shown_as(name, value):
        if isinstance(value, date):
            return f"{value:%-d %B %Y}"
        return kinds.get(value, value) if name == "category" else value

    shown = ("category", "organisation", "description", "declared_on", "ended_on")
    found: list[EntryChange] = []
    for before, version in zip([None, *versions], versions, strict=False):
        changes = []
        if before is not None:
            delta = version.diff_against(before, included_fields=list(shown))
            changes = [
                (
                    str(labels[c.field]).capitalize(),
                    shown_as(c.field, c.old),
                    shown_as(c.field, c.new),
                )
                for c in delta.changes
            ]
        found.append(
            EntryChange(
                when=version.history_date,
                by=version.history_user,
                created=before is None,
                changes=changes,
            )
        )
    return found[::-1]


# --- attendance statistics ----------------------------------------------------------


def default_period(today: date) -> tuple[date, date]:
    """The last twelve months, to today."""
    return today - relativedelta(years=1) + relativedelta(days=1), today


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), zone),
        timezone.make_aware(datetime.combine(end, time.max), zone),
    )


def _facts(records) -> list[attendance_stats.AttendanceFact]:
    return [
        attendance_stats.AttendanceFact(
            r.meeting_id, r.meeting.starts_at, r.seat_id, r.status, r.attendee_id
        )
        for r in records
    ]


def _holder_changes(seat_ids) -> list[attendance_stats.HolderChange]:
    return [
        attendance_stats.HolderChange(seat_id, since, holder_id)
        for seat_id, since, holder_id in Seat.history.filter(id__in=list(seat_ids))
        .order_by("history_date")
        .values_list("id", "history_date", "holder_id")
    ]


@dataclass
class SeatStats:
    seat: Seat
    counts: attendance_stats.Counts


@dataclass
class PersonStats:
    person: User
    counts: attendance_stats.Counts
    seats: list[str] = field(default_factory=list)


@dataclass
class BoardAttendance:
    board: Board
    start: date
    end: date
    meetings: list[Meeting]
    seats: list[SeatStats]
    people: list[PersonStats]


def board_attendance(board: Board, start: date, end: date) -> BoardAttendance:
    """Per seat and per person over [start, end], counting held meetings only (five
    queries, whatever the number of seats, people or meetings)."""
    low, high = _bounds(start, end)
    meetings = list(
        Meeting.objects.filter(
            board=board, status__in=HELD, starts_at__range=(low, high)
        ).order_by("starts_at")
    )
    records = list(
        Attendance.objects.filter(meeting__in=[m.pk for m in meetings]).select_related(
            "meeting"
        )
    )
    facts = _facts(records)
    seats = {
        s.pk: s
        for s in Seat.objects.filter(board=board).select_related("partner", "holder")
    }
    changes = _holder_changes(seats)
    per_seat = attendance_stats.by_seat(facts)
    per_person = attendance_stats.by_person(facts, changes)
    people = User.objects.in_bulk(list(per_person))
    seat_titles = defaultdict(set)
    for fact in facts:
        holder = attendance_stats.holder_at(changes, fact.seat_id, fact.starts_at)
        if fact.status == attendance_stats.PRESENT and fact.attendee_id:
            holder = fact.attendee_id
        if holder is not None and fact.seat_id in seats:
            seat_titles[holder].add(seats[fact.seat_id].title)
        if fact.status == attendance_stats.DEPUTY and fact.attendee_id:
            seat_titles[fact.attendee_id].add(f"deputy for {seats[fact.seat_id].title}")
    return BoardAttendance(
        board=board,
        start=start,
        end=end,
        meetings=meetings,
        seats=[
            SeatStats(seats[seat_id], counts)
            for seat_id, counts in sorted(
                per_seat.items(), key=lambda kv: (seats[kv[0]].order, kv[0])
            )
            if seat_id in seats
        ],
        people=sorted(
            (
                PersonStats(people[pk], counts, sorted(seat_titles[pk]))
                for pk, counts in per_person.items()
                if pk in people
            ),
            key=lambda p: p.person.name,
        ),
    )


@dataclass
class PersonBoardStats:
    board: Board
    counts: attendance_stats.Counts


def person_attendance(person, viewer, start: date, end: date) -> list[PersonBoardStats]:
    """The person's own attendance record per board the viewer may see (as holder;
    as deputy apart), over [start, end] (four queries)."""
    low, high = _bounds(start, end)
    visible = boards_for_user(viewer).values("pk")
    seat_ids = set(
        Seat.history.filter(Q(holder=person) | Q(deputy=person))
        .values_list("id", flat=True)
        .distinct()
    )
    records = list(
        Attendance.objects.filter(
            seat_id__in=seat_ids,
            meeting__status__in=HELD,
            meeting__starts_at__range=(low, high),
            meeting__board__in=visible,
        ).select_related("meeting__board")
    )
    changes = _holder_changes({r.seat_id for r in records})
    by_board: dict[int, list] = defaultdict(list)
    boards = {}
    for record in records:
        by_board[record.meeting.board_id].append(record)
        boards[record.meeting.board_id] = record.meeting.board
    found = []
    for board_id, rows in by_board.items():
        counts = attendance_stats.by_person(_facts(rows), changes).get(person.pk)
        if counts is not None and (counts.total or counts.as_deputy):
            found.append(PersonBoardStats(boards[board_id], counts))
    return sorted(found, key=lambda s: s.board.name)


def person_section(person, viewer) -> dict:
    """A person's page: their register of interests (if the viewer may read it:
    the person, their boards' members and secretaries, administrators, auditors)
    and their attendance statistics over the last twelve months at the boards the
    viewer may see. Registered on the person page in ``MeetingsConfig.ready()``."""
    from ..models import RegisteredInterest
    from ..permissions import can_keep_register, can_read_register

    today = timezone.localdate()
    start, end = default_period(today)
    readable = can_read_register(viewer, person)
    return {
        "person": person,
        "register": register_for(person, today=today) if readable else None,
        "can_keep": readable and can_keep_register(viewer, person),
        "categories": RegisteredInterest.Category.choices,
        "attendance": person_attendance(person, viewer, start, end),
        "start": start,
        "end": end,
        "today": today,
    }


# --- the action tracker -------------------------------------------------------------


@dataclass
class TrackedAction:
    action: Action
    status: str
    days_overdue: int


def _facts_of(action: Action) -> action_tracker.ActionFacts:
    return action_tracker.ActionFacts(
        action.pk, action.status, action.due_on, action.meeting.starts_at
    )


TRACKER_PAGE = 50


def _tracker_rows(board: Board, *, include_closed: bool):
    """The board's actions in the tracker's order (``action_tracker.sort_key``)
    read by SQL, so that a page is read alone: open before closed, then by due date
    (undated last), the meeting that raised them, id. For open actions, overdue
    before due before the rest is the due date's order."""
    actions = Action.objects.filter(meeting__board=board).select_related(
        "meeting", "owner", "item"
    )
    if not include_closed:
        actions = actions.filter(status=Action.Status.OPEN)
    return actions.order_by(
        Case(When(status=Action.Status.OPEN, then=Value(0)), default=Value(1)),
        F("due_on").asc(nulls_last=True),
        "meeting__starts_at",
        "id",
    )


def _tracked(actions, today: date) -> list[TrackedAction]:
    return [
        TrackedAction(
            a,
            action_tracker.tracker_status(_facts_of(a), today),
            action_tracker.days_overdue(_facts_of(a), today),
        )
        for a in actions
    ]


def board_actions(
    board: Board, *, today: date | None = None, include_closed: bool = False
) -> list[TrackedAction]:
    """Every action of the board (open only unless ``include_closed``), overdue
    first (one query)."""
    today = today or timezone.localdate()
    return _tracked(_tracker_rows(board, include_closed=include_closed), today)


def board_actions_page(
    board: Board,
    *,
    page: str | int | None = None,
    today: date | None = None,
    include_closed: bool = False,
) -> Page:
    """One page of the tracker (``TRACKER_PAGE`` actions; two queries: how many,
    and the page), its ``object_list`` the page's ``TrackedAction`` rows."""
    today = today or timezone.localdate()
    found = Paginator(
        _tracker_rows(board, include_closed=include_closed), TRACKER_PAGE
    ).get_page(page)
    found.object_list = _tracked(found.object_list, today)
    return found


def matters_arising(
    meeting: Meeting, *, today: date | None = None
) -> list[TrackedAction]:
    """The actions reviewed under matters arising at ``meeting``: raised at an
    earlier meeting of the board and still open (one query)."""
    return [
        t
        for t in board_actions(meeting.board, today=today)
        if action_tracker.for_matters_arising(
            _facts_of(t.action), meeting_starts_at=meeting.starts_at
        )
    ]
