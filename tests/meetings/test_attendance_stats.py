"""Attendance statistics per seat and per person (meetings/attendance_stats.py)."""

from datetime import UTC, datetime

import pytest

from meetings import attendance_stats as stats
from meetings.attendance_stats import AttendanceFact, HolderChange


def at(day: int) -> datetime:
    return datetime(2026, 1, day, 14, tzinfo=UTC)


SEAT = 1
HOLDER, SUCCESSOR, DEPUTY = 10, 11, 20
CHANGES = [
    HolderChange(SEAT, at(2), HOLDER),
    HolderChange(SEAT, at(15), SUCCESSOR),
]


def fact(meeting: int, day: int, status: str, attendee=None) -> AttendanceFact:
    return AttendanceFact(meeting, at(day), SEAT, status, attendee)


@pytest.mark.parametrize(
    "when, holder",
    [
        (at(1), HOLDER),  # before the first record: the first holder recorded
        (at(2), HOLDER),
        (at(14), HOLDER),
        (at(15), SUCCESSOR),
        (at(30), SUCCESSOR),
    ],
)
def test_holder_at(when, holder):
    assert stats.holder_at(CHANGES, SEAT, when) == holder


def test_holder_of_a_seat_with_no_history_is_unknown():
    assert stats.holder_at(CHANGES, 2, at(5)) is None


FACTS = [
    fact(1, 3, stats.PRESENT, HOLDER),
    fact(2, 5, stats.DEPUTY, DEPUTY),
    fact(3, 7, stats.APOLOGIES),
    fact(4, 9, stats.ABSENT),
    fact(5, 20, stats.PRESENT, SUCCESSOR),
]


def test_per_seat_four_counts_and_rate():
    counts = stats.by_seat(FACTS)[SEAT]
    assert (
        counts.present,
        counts.deputised,
        counts.apologies,
        counts.absent,
        counts.total,
        counts.rate,
    ) == (2, 1, 1, 1, 5, 60)


def test_per_person_counts_only_meetings_they_held_the_seat():
    counts = stats.by_person(FACTS, CHANGES)
    holder = counts[HOLDER]
    assert (holder.present, holder.deputised, holder.apologies, holder.absent) == (
        1,
        1,
        1,
        1,
    )
    assert holder.rate == 50
    successor = counts[SUCCESSOR]
    assert (successor.present, successor.total) == (1, 1)


def test_attending_as_a_deputy_is_counted_apart():
    counts = stats.by_person(FACTS, CHANGES)
    assert counts[DEPUTY].as_deputy == 1
    assert counts[DEPUTY].total == 0
    assert counts[DEPUTY].rate is None


def test_no_meetings_no_rate():
    assert stats.Counts().rate is None
