"""Attendance statistics per seat and per person over a period (issue 18: "present,
deputised, apologies, absent"). Pure: no ORM, no clock.

Rules chosen where the documents are silent (Modern.gov and its peers publish the
same four counts):

- Only meetings that were held count: closed, or found inquorate (an inquorate
  meeting is where attendance mattered most); scheduled, in-progress and cancelled
  meetings do not. A seat counts at a meeting where its attendance was recorded.
- **Per seat**: each recorded meeting is *present* (the holder attended),
  *deputised* (the deputy attended for the holder; Portsmouth PMG ToR 1.1, IFPG "a
  deputy to be notified"), *apologies* or *absent*.
- **Per person**: the meetings at which they **held** the seat are theirs: present,
  deputised (their deputy went), apologies, absent. Meetings they attended as
  someone else's deputy are counted apart (``as_deputy``), never as their own
  attendance.
- Who held a seat at a meeting is read from the seat's history: the holder on
  record at the meeting's start, or, for a meeting before the first record, the
  first holder recorded.
- The attendance rate is (present + deputised) / meetings, as a whole percentage;
  none with no meetings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

PRESENT = "present"
DEPUTY = "deputy"
APOLOGIES = "apologies"
ABSENT = "absent"


@dataclass(frozen=True)
class AttendanceFact:
    """One seat's attendance at one held meeting."""

    meeting_id: int
    starts_at: datetime
    seat_id: int
    status: str
    attendee_id: int | None = None


@dataclass(frozen=True)
class HolderChange:
    """From ``since`` the seat was held by ``holder_id`` (None: vacant)."""

    seat_id: int
    since: datetime
    holder_id: int | None


@dataclass
class Counts:
    present: int = 0
    deputised: int = 0
    apologies: int = 0
    absent: int = 0
    as_deputy: int = 0
    meetings: set[int] = field(default_factory=set)

    @property
    def total(self) -> int:
        return self.present + self.deputised + self.apologies + self.absent

    @property
    def attended(self) -> int:
        return self.present + self.deputised

    @property
    def rate(self) -> int | None:
        if not self.total:
            return None
        return round(100 * self.attended / self.total)

    def add(self, status: str) -> None:
        if status == PRESENT:
            self.present += 1
        elif status == DEPUTY:
            self.deputised += 1
        elif status == APOLOGIES:
            self.apologies += 1
        else:
            self.absent += 1


def holder_at(changes: list[HolderChange], seat_id: int, at: datetime) -> int | None:
    """The seat's holder at ``at``: the last change on or before it, else the first
    change recorded (a meeting older than the seat's history)."""
    mine = sorted((c for c in changes if c.seat_id == seat_id), key=lambda c: c.since)
    if not mine:
        return None
    current = mine[0].holder_id
    for change in mine:
        if change.since <= at:
            current = change.holder_id
        else:
            break
    return current


def by_seat(facts: list[AttendanceFact]) -> dict[int, Counts]:
    counts: dict[int, Counts] = {}
    for fact in facts:
        entry = counts.setdefault(fact.seat_id, Counts())
        entry.add(fact.status)
        entry.meetings.add(fact.meeting_id)
    return counts


def by_person(
    facts: list[AttendanceFact], changes: list[HolderChange]
) -> dict[int, Counts]:
    """Each person's own record as a seat holder, plus their attendance as a
    deputy (``as_deputy``)."""
    counts: dict[int, Counts] = {}
    for fact in facts:
        holder = holder_at(changes, fact.seat_id, fact.starts_at)
        if fact.status == PRESENT and fact.attendee_id is not None:
            holder = fact.attendee_id
        if holder is not None:
            entry = counts.setdefault(holder, Counts())
            entry.add(fact.status)
            entry.meetings.add(fact.meeting_id)
        if fact.status == DEPUTY and fact.attendee_id is not None:
            counts.setdefault(fact.attendee_id, Counts()).as_deputy += 1
    return counts
