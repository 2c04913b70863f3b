"""The states the permission matrix's rows need, each built inside the row's own
transaction (tests/security/matrix_requests.py): a meeting under way, a motion open
for votes, minutes at each step, a submitted return, a late paper..."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from boards.models import Board
from meetings.models import AgendaItem, Attendance, Meeting, Motion
from meetings.services import chairing
from meetings.services import minutes as minutes_services
from meetings.services.agenda import agenda_standing_items_add
from meetings.services.guests import guest_invite
from meetings.services.motions import motion_open
from meetings.services.papers import paper_upload
from meetings.services.votes import vote_cast
from pooled_funds.services.returns import return_enter, return_submit
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.meetings.minutes_scenario import circulate
from tests.security.permission_world import PDF, World, at, held_meeting, lines


def in_progress(w: World, *, present=True) -> Meeting:
    """A meeting of board A under way, everyone present (or nobody recorded)."""
    meeting = MeetingFactory(
        board=w.board,
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        started_at=timezone.now() - datetime.timedelta(hours=1),
        status=Meeting.Status.IN_PROGRESS,
    )
    if present:
        for seat in (w.chair_seat, w.seat):
            Attendance.objects.create(
                meeting=meeting, seat=seat, status="present", attendee=seat.holder
            )
    return meeting


def motion_on(meeting: Meeting, w: World) -> Motion:
    item = AgendaItemFactory(
        meeting=meeting, title="Agree the scheme", kind=AgendaItem.Kind.DECISION
    )
    motion = Motion.objects.create(item=item, text="That the scheme is agreed.")
    motion.commits.set([w.council, w.ccg])
    return motion


def open_motion(w: World, *, voted=False) -> Motion:
    meeting = in_progress(w)
    motion = motion_on(meeting, w)
    motion_open(motion=motion, by=w.users["SEC"])
    if voted:
        for seat in (w.chair_seat, w.seat):
            vote_cast(motion=motion, seat=seat, choice="for", by=seat.holder)
    return motion


def draft_minutes(w: World):
    meeting = held_meeting(w.board, [w.chair_seat, w.seat], days=-5)
    return minutes_services.minutes_start(meeting=meeting, by=w.users["SEC"])


def approved_minutes(w: World):
    version = draft_minutes(w)
    # Approval is the chair's (SPEC s.1): whoever chaired, here the chair's holder.
    return minutes_services.minutes_approve(version=version, by=w.chair_seat.holder)


def circulated_minutes(w: World):
    version = approved_minutes(w)
    return circulate(version, by=w.users["SEC"])


def confirmable_minutes(w: World):
    """Circulated minutes of a meeting whose next meeting is under way."""
    version = circulated_minutes(w)
    nxt = in_progress(w)
    nxt.starts_at = version.meeting.starts_at + datetime.timedelta(days=3)
    nxt.save()
    return version


def carried_motion_of_fund(w: World) -> Motion:
    meeting = Meeting.objects.create(board=w.board_b, starts_at=timezone.now())
    item = AgendaItem.objects.create(meeting=meeting, title="Money", kind="decision")
    return Motion.objects.create(
        item=item, text="Commit £5", outcome="carried", status="closed"
    )


def submitted_return(w: World):
    ret = return_enter(
        fund=w.fund, period="2015-Q2", rows=lines(w.fund), user=w.users["FIN"]
    )
    return return_submit(ret=ret, user=w.users["FIN"])


def elected_chair_meeting(w: World) -> Meeting:
    Board.objects.filter(pk=w.board.pk).update(
        chair_arrangement=Board.ChairArrangement.ELECTED
    )
    return in_progress(w)


def a_meeting_to_start(w: World) -> Meeting:
    meeting = MeetingFactory(
        board=w.board, starts_at=timezone.now(), agenda_published_at=timezone.now()
    )
    for seat in (w.chair_seat, w.seat):
        Attendance.objects.create(
            meeting=meeting, seat=seat, status="present", attendee=seat.holder
        )
    return meeting


def unpublished(w: World) -> Meeting:
    """A coming meeting with an agenda item, its agenda not yet issued."""
    meeting = MeetingFactory(board=w.board, starts_at=at(30))
    AgendaItemFactory(meeting=meeting, title="Minutes of the last meeting")
    return meeting


def a_late_paper(w: World, *, board=None):
    """A paper added after the papers deadline to an agenda already issued (of board
    A, or of ``board``)."""
    meeting = MeetingFactory(
        board=board or w.board, starts_at=at(2), agenda_published_at=at(-5)
    )
    item = AgendaItemFactory(meeting=meeting, title="Late item")
    return paper_upload(
        item=item,
        title="Late paper",
        upload=SimpleUploadedFile("late.pdf", PDF, "application/pdf"),
        by=w.users["SEC"],
    )


def return_csv(w: World) -> SimpleUploadedFile:
    head = "period,scheme,budget,actual_to_date,forecast_outturn\n"
    rows = "".join(
        f"2015-Q2,{line['scheme']},{line['budget']},{line['actual_to_date']},"
        f"{line['forecast_outturn']}\n"
        for line in lines(w.fund)
    )
    return SimpleUploadedFile("q2.csv", (head + rows).encode(), "text/csv")


def a_chaired_meeting(w: World) -> Meeting:
    """A meeting of board A under way, its designated chair recorded as chairing."""
    meeting = in_progress(w)
    chairing.meeting_chair_set(meeting=meeting, seat=w.chair_seat, by=w.users["SEC"])
    return meeting


# Chair-only acts are the chair's (SPEC s.1): member B chairs board B, so these rows
# act on board B, where one of the roles is the chair.


def unissued_meeting_of_b(w: World) -> Meeting:
    """A coming meeting of board B (member B chairs it), its agenda not issued."""
    return MeetingFactory(board=w.board_b, starts_at=at(10))


def a_late_paper_of_b(w: World):
    return a_late_paper(w, board=w.board_b)


def draft_minutes_of_b(w: World):
    meeting = held_meeting(w.board_b, [w.seat_b], days=-5)
    return minutes_services.minutes_start(meeting=meeting, by=w.users["SEC"])


def minutes_to_confirm_at_b(w: World) -> AgendaItem:
    """Board B's meeting under way, its item "Minutes of the previous meeting", and
    the previous meeting's minutes circulated: member B chairs it."""
    version = draft_minutes_of_b(w)
    version = minutes_services.minutes_approve(version=version, by=w.seat_b.holder)
    circulate(version, by=w.users["SEC"])
    meeting = MeetingFactory(
        board=w.board_b,
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        started_at=timezone.now() - datetime.timedelta(hours=1),
        status=Meeting.Status.IN_PROGRESS,
    )
    Attendance.objects.create(
        meeting=meeting, seat=w.seat_b, status="present", attendee=w.seat_b.holder
    )
    agenda_standing_items_add(meeting=meeting)
    return meeting.items.get(standing=AgendaItem.Standing.PREVIOUS_MINUTES)


def a_guest_of_b(w: World):
    meeting = MeetingFactory(board=w.board_b, starts_at=at(10))
    item = AgendaItemFactory(meeting=meeting, title="Item with a guest")
    return guest_invite(
        meeting=meeting, name="Gill Guest", items=[item], by=w.users["SEC"]
    )
