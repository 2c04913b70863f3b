"""Writes for who attends a meeting: attendance per seat with arrival and departure
times, apologies, and a member's notice that their deputy will attend."""

from dataclasses import dataclass
from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from boards.models import Seat
from governance.calendar import local_date
from governance.exceptions import RuleViolation

from ..models import (
    Attendance,
    Meeting,
)

Status = Meeting.Status


def deputy_notified_for(seat: Seat, meeting: Meeting) -> bool:
    """A deputy counts if notified before the meeting day (IFPG: "in advance of
    any meeting"): a notice dated on the meeting day may have been given during
    the meeting, so it does not count. (The member's "my deputy will attend",
    ``Attendance.deputy_notified_at``, counts when recorded before the start.)"""
    return (
        seat.deputy_id is not None
        and seat.deputy_notified_on is not None
        and seat.deputy_notified_on < local_date(meeting.starts_at)
    )


def attendance_moment(
    meeting: Meeting, time_of_day: time | None, *, now: datetime | None = None
) -> datetime | None:
    """A time of day typed on the meeting page, on the day the meeting is held: the
    day it started, else today by the clock. Never the scheduled date: a meeting
    started on another day (issue 13) would otherwise record arrivals in the future,
    and nobody would be represented on the ballot until then."""
    if time_of_day is None:
        return None
    held_on = local_date(meeting.started_at or now or timezone.now())
    return timezone.make_aware(
        datetime.combine(held_on, time_of_day), timezone.get_default_timezone()
    )


@dataclass(frozen=True)
class AttendanceChange:
    seat: Seat
    status: str
    arrived_at: datetime | None = None
    left_at: datetime | None = None


def _record(
    meeting: Meeting, change: AttendanceChange, *, keep_times: bool
) -> Attendance:
    seat = change.seat
    if seat.board_id != meeting.board_id:
        raise ValidationError(
            {"seat": f"{seat} is not a seat of {meeting.board.label}."}
        )
    if change.status not in Attendance.Status.values:
        raise ValidationError(
            {"status": f"Unknown attendance status {change.status!r}."}
        )
    record, _ = Attendance.objects.select_for_update().get_or_create(
        meeting=meeting, seat=seat
    )
    record.status = change.status
    if change.status == Attendance.Status.DEPUTY:
        record.attendee_id = seat.deputy_id
        # Notified in advance via the seat, or by the member before the start.
        record.deputy_notified = record.deputy_notified_at is not None or (
            deputy_notified_for(seat, meeting)
        )
    elif change.status == Attendance.Status.PRESENT:
        record.attendee_id = seat.holder_id
    else:
        record.attendee_id = None
    if change.arrived_at is not None or not keep_times:
        record.arrived_at = change.arrived_at
    if change.left_at is not None or not keep_times:
        record.left_at = change.left_at
    if record.arrived_at and record.left_at and record.left_at < record.arrived_at:
        raise ValidationError({"left_at": "Departure is before arrival."})
    record.save()
    return record


def _attendance_open(meeting: Meeting) -> None:
    if meeting.status in (Status.CLOSED, Status.CANCELLED, Status.INQUORATE):
        raise RuleViolation(
            "The attendance of a finished meeting is part of the record and is not "
            "changed.",
            rule="meeting_status",
        )


@transaction.atomic
def attendance_record(
    *,
    meeting: Meeting,
    seat: Seat,
    status: str,
    by,
    arrived_at: datetime | None = None,
    left_at: datetime | None = None,
) -> Attendance:
    """Record one seat's attendance, with arrival and departure when given."""
    _attendance_open(meeting)
    return _record(
        meeting,
        AttendanceChange(seat, status, arrived_at, left_at),
        keep_times=False,
    )


@transaction.atomic
def attendance_record_many(
    *, meeting: Meeting, changes: list[AttendanceChange], by
) -> list[Attendance]:
    """Record several seats at once (API PUT); all or nothing."""
    _attendance_open(meeting)
    return [_record(meeting, c, keep_times=False) for c in changes]


@transaction.atomic
def attendance_arrive(
    *, meeting: Meeting, seat: Seat, by, now: datetime | None = None
) -> Attendance:
    """The seat's holder (or deputy, if the status says so) arrives now; a seat
    not yet recorded becomes present."""
    _attendance_open(meeting)
    record = Attendance.objects.filter(meeting=meeting, seat=seat).first()
    status = (
        record.status
        if record is not None and record.status in ("present", "deputy")
        else Attendance.Status.PRESENT
    )
    return _record(
        meeting,
        AttendanceChange(seat, status, arrived_at=now or timezone.now()),
        keep_times=True,
    )


@transaction.atomic
def attendance_leave(
    *, meeting: Meeting, seat: Seat, by, now: datetime | None = None
) -> Attendance:
    _attendance_open(meeting)
    record = Attendance.objects.filter(meeting=meeting, seat=seat).first()
    if record is None or record.status not in ("present", "deputy"):
        raise RuleViolation("Only someone attending can leave.", rule="attendance")
    return _record(
        meeting,
        AttendanceChange(seat, record.status, left_at=now or timezone.now()),
        keep_times=True,
    )


@transaction.atomic
def apologies_send(
    *, meeting: Meeting, seat: Seat, by, now: datetime | None = None
) -> Attendance:
    """A member sends apologies for their seat before the meeting."""
    _before_start(meeting, now, "Apologies are sent before the meeting starts.")
    return _record(
        meeting, AttendanceChange(seat, Attendance.Status.APOLOGIES), keep_times=False
    )


def _before_start(meeting: Meeting, now: datetime | None, message: str) -> None:
    if (
        meeting.status != Status.SCHEDULED
        or (now or timezone.now()) >= meeting.starts_at
    ):
        raise RuleViolation(message, rule="before_meeting")


@transaction.atomic
def deputy_will_attend(
    *, meeting: Meeting, seat: Seat, by, now: datetime | None = None
) -> Attendance:
    """The member says their deputy will attend: this is the notification "in
    advance of any meeting" (Leicestershire IFPG), so the deputy counts."""
    now = now or timezone.now()
    _before_start(
        meeting, now, "A deputy must be notified before the meeting starts to count."
    )
    if seat.deputy_id is None:
        raise RuleViolation(
            "This seat has no deputy appointed; ask the secretary to record one.",
            rule="deputy",
        )
    record, _ = Attendance.objects.select_for_update().get_or_create(
        meeting=meeting, seat=seat
    )
    record.deputy_notified_at = now
    record.save(update_fields=["deputy_notified_at"])
    return _record(
        meeting, AttendanceChange(seat, Attendance.Status.DEPUTY), keep_times=False
    )


# --- interests and actions ----------------------------------------------------
