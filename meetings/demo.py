"""Demo meetings for each demo board: two past meetings, one upcoming, with
agendas and attendance; the PMG's second past meeting is inquorate (no voting
representative of the CCG) and was reconvened within the month; the upcoming PMG
meeting carries decision items with motions in draft and an issued paper.

Idempotent: meetings are keyed on (board, starts_at) with dates anchored on the
current month, so loading twice in a month changes nothing. A board that does not
exist (boards/demo.py not loaded) is skipped.
"""

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from boards.models import Board
from governance import calendar
from governance.models import User

from .forms import aware
from .models import Attendance, Meeting
from .services import agenda, attendance, papers

try:
    from boards.demo import BOARDS
except ImportError:  # pragma: no cover - the boards demo is written alongside
    BOARDS = {}

SECRETARY = "secretary@demo.example"
ROUTINE_ITEMS = [
    ("Apologies and declarations of interest", "routine", "information"),
    ("Minutes of the previous meeting and matters arising", "routine", "information"),
    ("Performance and finance report", "pooled_fund", "information"),
    ("Any other business", "routine", "information"),
]
PMG_DECISIONS = [
    (
        "Better Care Fund plan 2027/28",
        "pooled_fund",
        "That the PMG approves the Better Care Fund plan for 2027/28 for submission "
        "to the Health and Wellbeing Board.",
        Decimal("1250000.00"),
        False,
    ),
    (
        "Redistribution between schemes: hospital discharge",
        "pooled_fund",
        "That £150,000 is redistributed from the Continuing Healthcare scheme to the "
        "hospital discharge scheme within the aggregate of the pooled fund "
        "(Portsmouth s75 5.1.1).",
        Decimal("150000.00"),
        False,
    ),
    (
        "Community equipment contract award",
        "joint_commissioning",
        "That the community equipment contract is awarded to the preferred bidder.",
        Decimal("480000.00"),
        True,
    ),
]


def _blank_pdf(title: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _working_day_near(day: datetime.date) -> datetime.date:
    while not calendar.is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def _dates(board: Board, today: datetime.date) -> tuple[list, datetime.date]:
    """Two past dates and one upcoming, anchored on the 1st of this month."""
    anchor = today.replace(day=1)
    months = board.meeting_frequency_months
    past = [
        _working_day_near(
            calendar.add_months(anchor, -months * 2) + datetime.timedelta(days=9)
        ),
        _working_day_near(
            calendar.add_months(anchor, -months) + datetime.timedelta(days=9)
        ),
    ]
    upcoming = _working_day_near(
        calendar.add_months(anchor, 1) + datetime.timedelta(days=14)
    )
    return past, upcoming


def _meeting(board, day, *, kind=Meeting.Kind.ORDINARY, reconvenes=None):
    meeting, created = Meeting.objects.get_or_create(
        board=board,
        starts_at=aware(day, datetime.time(14, 0)),
        defaults={
            "kind": kind,
            "location": "Civic Offices (demo)",
            "reconvenes": reconvenes,
            "notice_given_at": aware(day, datetime.time(9, 0))
            - datetime.timedelta(days=28),
        },
    )
    return meeting, created


def _items(meeting, secretary, *, decisions=()):
    for title, business, kind in ROUTINE_ITEMS[:3]:
        agenda.item_add(
            meeting=meeting,
            title=title,
            business_type=business,
            kind=kind,
            by=secretary,
        )
    for title, business, text, value, confidential in decisions:
        agenda.item_add(
            meeting=meeting,
            title=title,
            business_type=business,
            confidential=confidential,
            presenter="Director of Adult Social Care",
            motion=agenda.MotionInput(text=text, financial_value=value),
            by=secretary,
        )
    title, business, kind = ROUTINE_ITEMS[3]
    agenda.item_add(
        meeting=meeting, title=title, business_type=business, kind=kind, by=secretary
    )


def _attend(meeting, secretary, *, absent_partner_id=None):
    changes = []
    for seat in meeting.board.seats.filter(active=True):
        status = Attendance.Status.PRESENT
        if absent_partner_id is not None and seat.partner_id == absent_partner_id:
            status = Attendance.Status.APOLOGIES
        changes.append(
            attendance.AttendanceChange(
                seat=seat, status=status, arrived_at=meeting.starts_at
            )
        )
    attendance.attendance_record_many(meeting=meeting, changes=changes, by=secretary)


def _close(meeting, status=Meeting.Status.CLOSED):
    Meeting.objects.filter(pk=meeting.pk).update(
        status=status,
        started_at=meeting.starts_at,
        closed_at=meeting.starts_at + datetime.timedelta(hours=2),
        agenda_published_at=meeting.starts_at - datetime.timedelta(days=10),
    )


def _board(name: str) -> Board | None:
    return Board.objects.filter(name=name).first()


def load_board(board: Board, secretary: User, today: datetime.date, *, pmg=False):
    past, upcoming = _dates(board, today)
    first, created = _meeting(board, past[0])
    if created:
        _items(first, secretary)
        _attend(first, secretary)
        _close(first)
    second, created = _meeting(board, past[1])
    if created:
        _items(second, secretary)
        ccg = board.partners.filter(kind="nhs_body").order_by("name").first()
        if pmg and ccg is not None:
            # No voting representative of the CCG: inquorate (Portsmouth PMG 4.2).
            _attend(second, secretary, absent_partner_id=ccg.pk)
            _close(second, Meeting.Status.INQUORATE)
        else:
            _attend(second, secretary)
            _close(second)
    if pmg:
        again, created = _meeting(
            board,
            _working_day_near(past[1] + datetime.timedelta(days=14)),
            kind=Meeting.Kind.RECONVENED,
            reconvenes=second,
        )
        if created:
            _items(again, secretary)
            _attend(again, secretary)
            _close(again)
    coming, created = _meeting(board, upcoming)
    if created:
        _items(coming, secretary, decisions=PMG_DECISIONS if pmg else ())
        if pmg:
            report = coming.items.get(title="Performance and finance report")
            papers.paper_upload(
                item=report,
                title="Pooled fund month 6 report",
                upload=SimpleUploadedFile(
                    "pooled-fund-month-6.pdf", _blank_pdf("Pooled fund month 6 report")
                ),
                by=secretary,
                now=timezone.now(),
            )
            Meeting.objects.filter(pk=coming.pk).update(
                agenda_published_at=timezone.now()
            )


def load() -> None:
    secretary = User.objects.filter(email=SECRETARY).first()
    if secretary is None:
        return
    today = timezone.localdate()
    for key, name in BOARDS.items():
        board = _board(name)
        if board is None or not board.active:
            continue
        load_board(board, secretary, today, pmg=key == "pmg")
