"""Reads for meetings, shaped for one page or endpoint. Each page's query count does
not grow with its seats, items or papers (tests/meetings/test_views_meetings.py)."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from boards.models import Board, BusinessType, Seat
from boards.permissions import boards_for_user
from boards.quorum import QuorumResult
from governance.models import OutboxMessage
from governance.permissions import reads_everything

from .. import eligibility, page_cache, scheduling
from ..eligibility import Standing
from ..models import (
    Action,
    AgendaIssue,
    AgendaItem,
    Attendance,
    Declaration,
    Guest,
    Meeting,
    MeetingChair,
    Motion,
    Paper,
    Vote,
    WrittenPosition,
)
from ..permissions import (
    board_role,
    board_roles,
    can_chair_meeting,
    can_run_meeting,
    can_view_whole_agenda,
    guest_item_ids,
)
from ..quorum_snapshot import QuorumContext, agenda_business_types
from ..reporting import reporting_cycles
from ..services.agenda import papers_deadline
from ..services.attendance import deputy_notified_for
from ..services.papers import paper_issued
from .decisions import consultable_boards, panel_context
from .eligibility import meeting_roll, seat_standing

ACTIVE = (Meeting.Status.SCHEDULED, Meeting.Status.IN_PROGRESS)


def items_for_page(*, panels: bool = False) -> QuerySet[AgendaItem]:
    """Items with what the meeting page shows: the motion, declarations and papers,
    each in one query; with ``panels`` (the secretary's page, which draws each
    decision panel in the page) also the motions' votes, commits, escalations and
    written positions. Nothing the page does not show (issue 17: four prefetches
    were never read)."""
    items = AgendaItem.objects.select_related("motion", "referred_from")
    if panels:
        items = items.select_related(
            "motion__consult_board", "motion__referred_to_item__meeting__board"
        ).prefetch_related(
            Prefetch(
                "motion__votes", queryset=Vote.objects.select_related("seat__partner")
            ),
            "motion__commits",
            "motion__escalations",
            Prefetch(
                "written_positions",
                queryset=WrittenPosition.objects.select_related("partner"),
            ),
        )
    return items.prefetch_related(
        Prefetch(
            "declarations",
            queryset=Declaration.objects.select_related("seat__partner", "person"),
        ),
        Prefetch(
            "papers",
            queryset=Paper.objects.select_related("uploaded_by", "late_authorised_by"),
        ),
    ).order_by("order", "id")


def meeting_items_for_api() -> QuerySet[AgendaItem]:
    return AgendaItem.objects.select_related("motion").prefetch_related(
        "motion__commits"
    )


def visible_items(user, meeting: Meeting, items: QuerySet[AgendaItem]):
    """All items for the board's people; only their own items for a guest."""
    items = items.filter(meeting=meeting)
    if can_view_whole_agenda(user, meeting):
        return items
    return items.filter(pk__in=guest_item_ids(user, meeting.pk))


@dataclass(frozen=True)
class QuorumLine:
    """A quorum result with its kind of business in words, for the panel."""

    result: QuorumResult

    @property
    def label(self) -> str:
        kind = self.result.business_type
        return BusinessType(kind).label if kind in BusinessType.values else kind

    def __getattr__(self, name):
        if name.startswith("__") or name == "result":
            raise AttributeError(name)
        return getattr(self.result, name)


@dataclass
class SeatRow:
    seat: Seat
    attendance: Attendance | None
    deputy_notified: bool
    # The seat now, as the eligibility engine judges it (quorum and votes alike).
    standing: Standing | None = None

    @property
    def status(self) -> str:
        return self.attendance.status if self.attendance else ""

    @property
    def counts(self) -> bool:
        """Represented now (for quorum and votes)."""
        return self.standing is not None and self.standing.represented

    @property
    def deputy_not_counting(self) -> bool:
        return self.standing is not None and self.standing.deputy_not_counting


@dataclass
class MeetingPage:
    meeting: Meeting
    items: list[AgendaItem]
    seat_rows: list[SeatRow] = field(default_factory=list)
    quorum: list = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    guests: list[Guest] = field(default_factory=list)
    can_run: bool = False
    can_chair: bool = False
    whole_agenda: bool = False
    my_seats: list[SeatRow] = field(default_factory=list)
    papers_deadline: date | None = None
    people: list = field(default_factory=list)
    # Who chairs this meeting (recorded), and the board's designated chair seat.
    chairing: object = None
    chair_seat: Seat | None = None
    # The designated chair recorded present in person (None: not yet recorded).
    chair_in_person: bool | None = None
    # The previous meeting's latest minutes, confirmed under this meeting's item
    # "Minutes of the previous meeting" (None when the agenda has no such item).
    previous_minutes: object = None
    # Each issue of the agenda with how many of its recipients' mails were sent
    # (the secretary's "Agenda sent to N of M").
    agenda_issues: list = field(default_factory=list)
    # When what the page shows stops being true by the clock alone (a recorded
    # arrival or departure to come, midnight): the page cache's expiry.
    valid_until: object = None


def clock_moments(meeting: Meeting, attendance) -> list:
    """The moments at which the meeting's pages change by the clock alone: each
    recorded arrival and departure, and the meeting's start and end."""
    moments = [meeting.starts_at, meeting.ends_at]
    for record in attendance:
        moments += [record.arrived_at, record.left_at]
    return moments


def agenda_issue_counts(meeting: Meeting) -> list[AgendaIssue]:
    """The meeting's agenda issues, each annotated with ``recipients`` and ``sent``
    (outbox messages delivered), in one query."""
    return list(
        AgendaIssue.objects.filter(meeting=meeting)
        .annotate(
            recipients=Count("distributions"),
            sent=Count(
                "distributions",
                filter=Q(distributions__outbox__state=OutboxMessage.State.SENT),
            ),
        )
        .order_by("number")
    )


def _meeting_board_seats(board_id: int) -> list[Seat]:
    return list(
        Seat.objects.filter(board_id=board_id, active=True)
        .select_related("partner", "holder", "deputy")
        .order_by("order", "id")
    )


def _rows(meeting: Meeting, seats, attendance, standings) -> list[SeatRow]:
    return [
        SeatRow(
            seat,
            attendance.get(seat.pk),
            deputy_notified_for(seat, meeting),
            standings.get(seat.pk),
        )
        for seat in seats
    ]


def previous_minutes(meeting: Meeting):
    """The latest minutes version of the board's meeting before this one (not
    cancelled), with its meeting; None if there is none (one query)."""
    from ..models import MinutesVersion

    previous = meeting.earlier_meetings().values("pk")[:1]
    return (
        MinutesVersion.objects.filter(meeting_id__in=previous)
        .select_related("meeting", "confirmed_at_meeting")
        .defer("pdf", "full_pdf", "signed_pdf", "signed_full_pdf", "record")
        .order_by("-number")
        .first()
    )


def seat_rows(meeting: Meeting) -> list[SeatRow]:
    """Every active seat of the board with its attendance and standing now (two
    queries)."""
    seats = _meeting_board_seats(meeting.board_id)
    attendance = {a.seat_id: a for a in Attendance.objects.filter(meeting=meeting)}
    roll = meeting_roll(meeting, seats=seats, attendance=attendance)
    return _rows(meeting, seats, attendance, roll.standings())


def seat_row(meeting: Meeting, seat: Seat) -> SeatRow:
    """One seat's row, as ``seat_rows`` draws it (one query)."""
    record = Attendance.objects.filter(meeting=meeting, seat=seat).first()
    return SeatRow(
        seat,
        record,
        deputy_notified_for(seat, meeting),
        seat_standing(meeting, seat, record=record),
    )


def meeting_page(user, meeting: Meeting) -> MeetingPage:
    """Everything the meeting page shows, in a constant number of queries."""
    can_run = can_run_meeting(user, meeting)
    whole = can_view_whole_agenda(user, meeting)
    items = list(visible_items(user, meeting, items_for_page(panels=can_run)))
    for item in items:
        item.meeting = meeting
    if not can_run:
        # Members read papers once issued; guests never read confidential papers.
        for item in items:
            readable = [
                p
                for p in item.papers.all()
                if paper_issued(p, meeting) and (whole or not item.confidential)
            ]
            item.readable_papers = readable
    else:
        for item in items:
            item.readable_papers = list(item.papers.all())
    seats = _meeting_board_seats(meeting.board_id)
    attendance = {a.seat_id: a for a in Attendance.objects.filter(meeting=meeting)}
    now = timezone.now()
    roll = meeting_roll(meeting, seats=seats, attendance=attendance)
    standings = roll.standings(now)
    rows = _rows(meeting, seats, attendance, standings)
    _mark_votable(user, items, roll, standings)
    page = MeetingPage(
        meeting=meeting,
        items=items,
        can_run=can_run,
        can_chair=can_chair_meeting(user, meeting),
        whole_agenda=whole,
        papers_deadline=papers_deadline(meeting),
        valid_until=page_cache.valid_until(
            clock_moments(meeting, attendance.values()), now
        ),
    )
    role = board_role(user, meeting.board_id)
    page.my_seats = [r for r in rows if r.seat.pk in role.seat_ids]
    if any(i.standing == AgendaItem.Standing.PREVIOUS_MINUTES for i in items):
        page.previous_minutes = previous_minutes(meeting)
    if can_run:
        page.seat_rows = rows
        page.agenda_issues = agenda_issue_counts(meeting)
        context = QuorumContext.load(meeting, seats=seats, attendance=attendance)
        kinds = sorted(
            {i.business_type for i in items} | {"routine"},
            key=lambda k: (k != "routine", k),
        )
        page.quorum = [QuorumLine(context.result(kind, now)) for kind in kinds]
        _draw_decision_panels(user, meeting, items, seats)
        page.actions = list(
            meeting.actions.select_related("owner", "item").order_by("due_on", "id")
        )
        page.guests = list(
            meeting.guests.select_related("approved_by", "user").prefetch_related(
                "items"
            )
        )
        people = {}
        for seat in seats:
            for person in (seat.holder, seat.deputy):
                if person is not None:
                    people[person.pk] = person
        page.people = sorted(people.values(), key=lambda p: p.name)
        page.chairing = (
            MeetingChair.objects.filter(meeting=meeting)
            .select_related("person", "seat")
            .first()
        )
        page.chair_seat = next((s for s in seats if s.is_chair), None)
        page.chair_in_person = _chair_in_person(page.chair_seat, rows)
    return page


def _chair_in_person(chair_seat: Seat | None, rows: list[SeatRow]) -> bool | None:
    """Whether the designated chair is recorded present in person (None: nothing
    recorded for the chair's seat yet). A deputy attending for the chair's seat
    does not chair by that alone; the minutes say the same (record.chaired_by)."""
    row = next((r for r in rows if chair_seat and r.seat.pk == chair_seat.pk), None)
    if row is None or row.attendance is None:
        return None
    return row.status == Attendance.Status.PRESENT


def _mark_votable(user, items, roll, standings) -> None:
    """``item.may_vote``: whether the user may cast one of their own seats' votes on
    the item's open motion now (the eligibility engine's answer, as on the
    dashboard; no query: declarations are prefetched)."""
    voter = eligibility.Voter(id=user.pk) if user.is_authenticated else None
    mine = [s for s in roll.seats if voter and voter.id in (s.holder_id, s.deputy_id)]
    for item in items:
        motion = _motion_of(item) if item.kind == AgendaItem.Kind.DECISION else None
        item.may_vote = bool(
            mine
            and motion is not None
            and motion.status == Motion.Status.OPEN
            and eligibility.may_vote_now(
                board=roll.board,
                seats=mine,
                standings_by_seat=standings,
                voter=voter,
                withdrew_seat_ids=frozenset(
                    d.seat_id for d in item.declarations.all() if d.withdrew
                ),
            )
        )


def _draw_decision_panels(user, meeting: Meeting, items, seats) -> None:
    """Each decision item's panel context (``item.panel``), drawn in the page
    rather than loaded by one more request per panel; at most one query (the boards
    a draft motion may consult), whatever the number of decisions."""
    motions = [
        item.motion
        for item in items
        if item.kind == AgendaItem.Kind.DECISION and _motion_of(item) is not None
    ]
    if not motions:
        return
    voting = [s for s in seats if s.voting]
    drafts = any(m.status == Motion.Status.DRAFT for m in motions)
    others = consultable_boards(meeting.board_id) if drafts else []
    for motion in motions:
        motion.item.panel = panel_context(
            user, motion, seats=voting, other_boards=others
        )


def _motion_of(item: AgendaItem):
    try:
        return item.motion
    except Motion.DoesNotExist:
        return None


def valid_until(meeting: Meeting):
    """When what the meeting's pages show now stops being true by the clock alone
    (one query: the recorded arrivals and departures)."""
    records = Attendance.objects.filter(meeting=meeting).only(
        "pk", "arrived_at", "left_at"
    )
    return page_cache.valid_until(clock_moments(meeting, records))


def quorum_panel(meeting: Meeting) -> tuple[list, object]:
    """The live quorum panel's lines, now, and when they stop being true by the
    clock alone (the panel's validator lasts until then)."""
    context = QuorumContext.load(meeting)
    now = timezone.now()
    lines = [QuorumLine(context.result(k, now)) for k in agenda_business_types(meeting)]
    moments = clock_moments(meeting, context.attendance.values())
    return lines, page_cache.valid_until(moments, now)


def quorum_results(meeting: Meeting) -> list:
    """The live quorum panel: one result per kind of business on the agenda, now."""
    context = QuorumContext.load(meeting)
    now = timezone.now()
    return [QuorumLine(context.result(k, now)) for k in agenda_business_types(meeting)]


def _visible_to(user) -> Q:
    """Meetings of boards the user may see, or where they are an approved guest: two
    IN subqueries, so no join on guests and no DISTINCT (which PostgreSQL spent
    longer planning than running). Everyone who reads everything: no condition."""
    if reads_everything(user):
        return Q()
    guest_of = Guest.objects.filter(user=user, approved_at__isnull=False).values(
        "meeting_id"
    )
    return Q(board__in=boards_for_user(user).values("pk")) | Q(pk__in=guest_of)


def meetings_for_user(user) -> QuerySet[Meeting]:
    """Meetings of the boards the user may see, and meetings they are an approved
    guest at."""
    return (
        Meeting.objects.filter(_visible_to(user))
        .select_related("board")
        .order_by("-starts_at")
    )


def upcoming_for_user(user, *, now=None, limit: int | None = None) -> QuerySet[Meeting]:
    """Upcoming meetings of the boards the user sits on, is secretary of, or (for
    administrators and auditors) any board; plus meetings they are a guest at."""
    now = now or timezone.now()
    meetings = (
        Meeting.objects.filter(_visible_to(user))
        .filter(starts_at__gte=now - timezone.timedelta(hours=12), status__in=ACTIVE)
        .select_related("board")
        .order_by("starts_at")
    )
    return meetings[:limit] if limit else meetings


@dataclass
class BoardSchedule:
    board: Board
    last: Meeting | None
    next: Meeting | None
    proposals: list[date]
    warning: str | None


def board_schedules(boards, *, today: date | None = None) -> list[BoardSchedule]:
    """For each board: its last and next meeting, proposed ordinary dates and a
    warning when it falls behind its frequency (three queries in all, whatever the
    number of boards or meetings)."""
    today = today or timezone.localdate()
    boards = list(boards)
    ids = [b.pk for b in boards]
    now = timezone.now()
    # The last and the next meeting of each board by a subquery each: two rows a
    # board, however long its history.
    held = Meeting.objects.filter(board=OuterRef("pk")).exclude(
        status=Meeting.Status.CANCELLED
    )
    ends = Board.objects.filter(pk__in=ids).annotate(
        last_id=Subquery(
            held.filter(starts_at__lt=now).order_by("-starts_at").values("pk")[:1]
        ),
        next_id=Subquery(
            held.filter(starts_at__gte=now).order_by("starts_at").values("pk")[:1]
        ),
    )
    ends = list(ends.values_list("pk", "last_id", "next_id"))
    found = Meeting.objects.in_bulk(
        [m for _, last_id, next_id in ends for m in (last_id, next_id) if m]
    )
    last = {b: found[m] for b, m, _ in ends if m}
    upcoming = {b: found[m] for b, _, m in ends if m}
    cycles = reporting_cycles(ids)
    schedules = []
    for board in boards:
        previous, following = last.get(board.pk), upcoming.get(board.pk)
        last_on = timezone.localtime(previous.starts_at).date() if previous else None
        next_on = timezone.localtime(following.starts_at).date() if following else None
        schedules.append(
            BoardSchedule(
                board=board,
                last=previous,
                next=following,
                proposals=scheduling.propose_ordinary_dates(
                    today=today,
                    last_meeting_on=next_on or last_on,
                    frequency_months=board.meeting_frequency_months,
                    papers_working_days=board.papers_working_days or 0,
                    reporting=cycles.get(board.pk),
                ),
                warning=scheduling.behind_frequency(
                    today=today,
                    last_meeting_on=last_on,
                    next_meeting_on=next_on,
                    frequency_months=board.meeting_frequency_months,
                ),
            )
        )
    return schedules


def runnable_boards(user) -> list[Board]:
    """Boards the user may run meetings of: their roles on every board in two
    queries, not two per board."""
    boards = list(boards_for_user(user))
    board_roles(user, [b.pk for b in boards])
    return [b for b in boards if can_run_meeting(user, b)]


def dashboard_panels(user) -> list[dict]:
    """Upcoming meetings for the user, and boards behind their frequency for the
    people who schedule them."""
    panels = [
        {
            "title": "Your upcoming meetings",
            "template": "meetings/partials/dashboard_upcoming.html",
            "meetings": list(upcoming_for_user(user, limit=8)),
        }
    ]
    if user.is_authenticated:
        secretary_boards = Board.objects.filter(secretaries=user, active=True)
        behind = [s for s in board_schedules(secretary_boards) if s.warning]
        if behind:
            panels.append(
                {
                    "title": "Boards behind their meeting frequency",
                    "template": "meetings/partials/dashboard_behind.html",
                    "schedules": behind,
                }
            )
    return panels
