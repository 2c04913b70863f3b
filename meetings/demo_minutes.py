"""Demo minutes, built through the services (loaded after meetings/demo.py and
meetings/demo_decisions.py):

- every held meeting whose minutes deadline has passed has its minutes drafted,
  approved and circulated three days after the meeting, so the deadline dashboard
  shows them sent on time, and each has one delivery per authorised officer (sent
  through the outbox relay, so `make run` leaves the PDFs under var/mail);
- a PMG meeting held five days ago has its minutes in draft, two days before its
  7-day deadline: the secretary's "Approve for circulation" and "Circulate" buttons
  are live, and beat's next sweep sends the reminder.

Idempotent: meetings with minutes already are left alone, and the draft meeting is
found by its title.
"""

import datetime

from django.utils import timezone

from boards.models import Board
from governance.models import User
from governance.outbox import outbox_relay

from .models import AgendaItem, Attendance, Meeting, MinutesVersion
from .services import minutes as services

SECRETARY = "secretary@demo.example"
PMG = "Better Care & Integrated Commissioning Service Partnership Management Group"
DRAFT_ITEM = "Hospital discharge winter plan: progress report"
CIRCULATE_AFTER = datetime.timedelta(days=3)

NARRATIVE = {
    "Apologies and declarations of interest": "Apologies were noted as recorded "
    "below. No declarations were made beyond those recorded.",
    "Minutes of the previous meeting and matters arising": "The minutes of the "
    "previous meeting were agreed as a true record. All actions were complete.",
    "Performance and finance report": "The group noted the pooled fund position and "
    "the forecast outturn by scheme; no scheme forecast an overspend.",
}


def _circulate(meeting: Meeting, secretary: User) -> None:
    version = services.minutes_start(meeting=meeting, by=secretary)
    if version.status != MinutesVersion.Status.DRAFT:
        return
    for item in meeting.items.all():
        text = NARRATIVE.get(item.title) or (
            "The group considered the report; the decision and votes are recorded "
            "below."
        )
        services.minutes_entry_save(version=version, item=item, text=text, by=secretary)
    when = meeting.starts_at + CIRCULATE_AFTER
    services.minutes_approve(version=version, by=secretary, now=when)
    services.minutes_circulate(version=version, by=secretary, now=when)


def _draft_near_deadline(board: Board, secretary: User) -> None:
    if AgendaItem.objects.filter(meeting__board=board, title=DRAFT_ITEM).exists():
        return
    day = timezone.localdate() - datetime.timedelta(
        days=board.minutes_deadline_days - 2
    )
    starts_at = timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(10, 0)),
        timezone.get_current_timezone(),
    )
    meeting = Meeting.objects.create(
        board=board,
        starts_at=starts_at,
        kind=Meeting.Kind.EXTRAORDINARY,
        purpose="Winter pressures on hospital discharge.",
        location="Civic Offices, committee room 2",
        status=Meeting.Status.CLOSED,
        started_at=starts_at,
        closed_at=starts_at + datetime.timedelta(hours=1),
    )
    for seat in board.seats.filter(active=True):
        Attendance.objects.create(
            meeting=meeting,
            seat=seat,
            status=Attendance.Status.PRESENT,
            attendee=seat.holder,
            arrived_at=starts_at,
        )
    item = AgendaItem.objects.create(
        meeting=meeting, order=1, title=DRAFT_ITEM, business_type="pooled_fund"
    )
    version = services.minutes_start(meeting=meeting, by=secretary)
    services.minutes_entry_save(
        version=version,
        item=item,
        text="The Director of Adult Social Care reported on delayed discharges. "
        "[Secretary: add the discussion before approval.]",
        by=secretary,
    )
    services.minutes_deadline_ensure(meeting=meeting)


def load() -> None:
    secretary = User.objects.filter(email=SECRETARY).first()
    if secretary is None:
        return
    today = timezone.localdate()
    held = (
        Meeting.objects.filter(status__in=services.HELD)
        .exclude(minutes_versions__isnull=False)
        .select_related("board")
        .order_by("starts_at")
    )
    for meeting in held:
        due = timezone.localdate(meeting.starts_at) + datetime.timedelta(
            days=meeting.board.minutes_deadline_days
        )
        if due < today:
            _circulate(meeting, secretary)
    pmg = Board.objects.filter(name=PMG).first()
    if pmg is not None:
        _draft_near_deadline(pmg, secretary)
    services.minutes_deadlines_scan()
    outbox_relay()
