"""Meeting services and permissions: who runs a meeting, status transitions,
agenda order, attendance rules and notice on moving a meeting."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from governance.exceptions import InvalidTransition, RuleViolation
from governance.models import Role
from meetings import permissions
from meetings.models import Attendance, Meeting
from meetings.services.actions import action_add
from meetings.services.agenda import MotionInput, item_add, item_move, item_update
from meetings.services.attendance import attendance_record, deputy_will_attend
from meetings.services.declarations import declaration_record
from meetings.services.lifecycle import (
    meeting_cancel,
    meeting_close,
    meeting_declare_inquorate,
    meeting_schedule,
    meeting_start,
    meeting_update,
)
from meetings.services.motions import motion_open, motion_withdraw
from tests.boards.factories import SeatFactory
from tests.governance.factories import UserFactory
from tests.meetings import builders
from tests.meetings.decisions_world import build
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def test_who_may_view_and_run_a_meeting():
    """Secretaries, the chair (or an alternate chair) and administrators run a
    meeting; members and deputies view it; auditors view and never run; another
    board's member does neither."""
    b = builders.pmg()
    chair = b.seats[0]
    chair.is_chair = True
    chair.deputy = UserFactory()
    chair.save()
    member = b.seats[1].holder
    auditor = UserFactory(role=Role.AUDITOR)
    admin = UserFactory(role=Role.ADMINISTRATOR)
    outsider = SeatFactory().holder
    m = b.meeting
    assert permissions.can_run_meeting(b.secretary, m)
    assert permissions.can_run_meeting(chair.holder, m)
    assert permissions.can_run_meeting(admin, m)
    assert not permissions.can_run_meeting(member, m)
    assert not permissions.can_run_meeting(
        chair.deputy, m
    )  # the deputy is not the chair
    assert not permissions.can_run_meeting(auditor, m)
    assert permissions.can_view_meeting(chair.deputy, m)
    assert permissions.can_view_meeting(auditor, m)
    assert not permissions.can_view_meeting(outsider, m)
    with pytest.raises(PermissionDenied):
        permissions.get_meeting_for_user(member, m.pk, run=True)
    with pytest.raises(PermissionDenied):
        permissions.get_meeting_for_user(outsider, m.pk)
    assert permissions.get_meeting_for_user(b.secretary, m.pk, run=True) == m


def test_meeting_status_transitions_are_a_map():
    b = builders.pmg()
    for seat in b.seats:
        attendance_record(
            meeting=b.meeting, seat=seat, status="present", by=b.secretary
        )
    Meeting.objects.filter(pk=b.meeting.pk).update(agenda_published_at=timezone.now())
    meeting_start(meeting=b.meeting, by=b.secretary, now=b.meeting.starts_at)
    closed = meeting_close(meeting=b.meeting, by=b.secretary)
    assert closed.status == Meeting.Status.CLOSED
    with pytest.raises(InvalidTransition):
        meeting_start(meeting=closed, by=b.secretary, now=closed.starts_at)
    with pytest.raises(RuleViolation, match="part of the record"):
        attendance_record(
            meeting=closed, seat=b.seats[0], status="absent", by=b.secretary
        )


def test_a_quorate_meeting_cannot_be_declared_inquorate():
    b = builders.pmg()
    for seat in b.seats:
        attendance_record(
            meeting=b.meeting, seat=seat, status="present", by=b.secretary
        )
    with pytest.raises(RuleViolation, match="quorate"):
        meeting_declare_inquorate(meeting=b.meeting, by=b.secretary)


def test_reconvening_needs_an_inquorate_meeting_of_the_same_board():
    b = builders.pmg()
    with pytest.raises(RuleViolation, match="Only an inquorate"):
        meeting_schedule(
            board=b.board,
            kind="reconvened",
            starts_at=b.meeting.starts_at + datetime.timedelta(days=7),
            reconvenes=b.meeting,
            by=b.secretary,
        )
    other = MeetingFactory(status=Meeting.Status.INQUORATE)
    with pytest.raises(RuleViolation, match="name the inquorate meeting"):
        meeting_schedule(
            board=b.board,
            kind="reconvened",
            starts_at=b.meeting.starts_at,
            reconvenes=other,
            by=b.secretary,
        )


def test_moving_an_extraordinary_meeting_checks_notice_again():
    """Portsmouth PMG ToR 4.6: moving the meeting earlier is fresh notice."""
    b = builders.pmg(meeting=False)
    now = datetime.datetime(2026, 11, 23, 9, tzinfo=LONDON)
    meeting = meeting_schedule(
        board=b.board,
        kind="extraordinary",
        starts_at=datetime.datetime(2026, 12, 10, 10, tzinfo=LONDON),
        by=b.seats[0].holder,
        purpose="Winter pressures funding",
        now=now,
    )
    with pytest.raises(RuleViolation, match="Friday 27 November 2026"):
        meeting_update(
            meeting=meeting,
            starts_at=datetime.datetime(2026, 11, 25, 10, tzinfo=LONDON),
            location="",
            purpose=meeting.purpose,
            by=b.secretary,
            now=now,
        )


def test_extraordinary_meeting_called_by_another_boards_member_is_refused():
    b = builders.pmg(meeting=False)
    with pytest.raises(RuleViolation, match="voting member"):
        meeting_schedule(
            board=b.board,
            kind="extraordinary",
            starts_at=datetime.datetime(2027, 3, 1, 10, tzinfo=LONDON),
            by=b.secretary,
            called_by=SeatFactory().holder,
        )


def test_items_keep_their_order_and_move():
    b = builders.pmg()
    first = item_add(meeting=b.meeting, title="One", by=b.secretary)
    second = item_add(meeting=b.meeting, title="Two", by=b.secretary)
    third = item_add(meeting=b.meeting, title="Three", by=b.secretary)
    item_move(item=third, up=True, by=b.secretary)
    assert list(b.meeting.items.order_by("order").values_list("title", flat=True)) == [
        "One",
        "Three",
        "Two",
    ]
    item_move(item=first, up=True, by=b.secretary)  # already first: no change
    assert b.meeting.items.order_by("order").first() == first
    assert second.kind == "information"


def test_an_item_with_a_motion_stays_a_decision_item():
    b = builders.pmg()
    item = item_add(
        meeting=b.meeting,
        title="Approve",
        motion=MotionInput(text="That it is approved."),
        by=b.secretary,
    )
    assert item.kind == "decision"
    with pytest.raises(RuleViolation):
        item_update(
            item=item,
            by=b.secretary,
            title="Approve",
            business_type="routine",
            kind="information",
            presenter="",
            confidential=False,
        )


def test_attendance_departure_before_arrival_is_refused():
    b = builders.pmg()
    start = b.meeting.starts_at
    with pytest.raises(ValidationError):
        attendance_record(
            meeting=b.meeting,
            seat=b.seats[0],
            status="present",
            arrived_at=start,
            left_at=start - datetime.timedelta(minutes=5),
            by=b.secretary,
        )


def test_deputy_notified_follows_the_seats_notification_date():
    """Notified before the meeting day: counts; notified after: does not."""
    b = builders.pmg()
    seat = b.seats[0]
    seat.deputy = UserFactory()
    seat.deputy_notified_on = b.meeting.starts_at.date() + datetime.timedelta(days=1)
    seat.save()
    record = attendance_record(
        meeting=b.meeting, seat=seat, status="deputy", by=b.secretary
    )
    assert not record.deputy_notified and record.attendee == seat.deputy
    seat.deputy_notified_on = b.meeting.starts_at.date() - datetime.timedelta(days=1)
    seat.save()
    record = attendance_record(
        meeting=b.meeting, seat=seat, status="deputy", by=b.secretary
    )
    assert record.deputy_notified


def test_declaration_records_who_sat_in_the_seat():
    b = builders.pmg()
    item = AgendaItemFactory(meeting=b.meeting)
    seat = b.seats[0]
    seat.deputy = UserFactory()
    seat.deputy_notified_on = datetime.date.today()
    seat.save()
    attendance_record(meeting=b.meeting, seat=seat, status="deputy", by=b.secretary)
    declaration = declaration_record(
        item=item,
        seat=seat,
        interest="Governor of a provider",
        withdrew=True,
        by=b.secretary,
    )
    assert declaration.person == seat.deputy and declaration.withdrew
    with pytest.raises(ValidationError):
        declaration_record(
            item=item, seat=SeatFactory(), interest="x", withdrew=False, by=b.secretary
        )


def test_actions_need_an_owner():
    b = builders.pmg()
    with pytest.raises(ValidationError):
        action_add(meeting=b.meeting, description="Do it", by=b.secretary)
    action = action_add(
        meeting=b.meeting, description="Do it", owner=b.seats[0].holder, by=b.secretary
    )
    assert action.owner_name == b.seats[0].holder.name
    assert Attendance.objects.count() == 0


def test_meeting_close_refused_while_a_motion_is_open():
    """Closing a meeting with a motion open for votes is refused (rule open_motions),
    naming the motion; once it is withdrawn the meeting closes."""
    w = build()
    motion_open(motion=w.motion, by=w.secretary)
    with pytest.raises(RuleViolation) as refusal:
        meeting_close(meeting=w.meeting, by=w.secretary)
    assert refusal.value.rule == "open_motions"
    assert "close or withdraw the open motions first" in refusal.value.message
    assert w.item.title in refusal.value.message
    w.meeting.refresh_from_db()
    assert w.meeting.status == Meeting.Status.IN_PROGRESS
    motion_withdraw(motion=w.motion, by=w.secretary)
    meeting_close(meeting=w.meeting, by=w.secretary)
    w.meeting.refresh_from_db()
    assert w.meeting.status == Meeting.Status.CLOSED


def test_meeting_cancel_refused_while_a_motion_is_open():
    """A scheduled meeting with an open motion cannot be cancelled."""
    w = build(started=False)
    motion_open(motion=w.motion, by=w.secretary)
    with pytest.raises(RuleViolation) as refusal:
        meeting_cancel(meeting=w.meeting, by=w.secretary)
    assert refusal.value.rule == "open_motions"


def test_meeting_declare_inquorate_refused_while_a_motion_is_open():
    """An inquorate meeting with an open motion: the motion is dealt with first."""
    w = build(attend=False)
    motion_open(motion=w.motion, by=w.secretary)
    with pytest.raises(RuleViolation) as refusal:
        meeting_declare_inquorate(meeting=w.meeting, by=w.secretary)
    assert refusal.value.rule == "open_motions"


def test_deputy_notified_on_the_meeting_day_does_not_count():
    """A seat's notice dated the meeting day may have come during the meeting: the
    deputy does not count. "My deputy will attend" before the start still counts."""
    b = builders.pmg()
    seat = b.seats[0]
    seat.deputy = UserFactory()
    seat.deputy_notified_on = timezone.localtime(b.meeting.starts_at).date()
    seat.save()
    record = attendance_record(
        meeting=b.meeting, seat=seat, status="deputy", by=b.secretary
    )
    assert not record.deputy_notified
    record = deputy_will_attend(
        meeting=b.meeting,
        seat=seat,
        by=seat.holder,
        now=b.meeting.starts_at - datetime.timedelta(hours=2),
    )
    assert record.deputy_notified
