"""The minutes deadline: pure rules, no ORM, no clock (pass ``now``).

"Minutes of all decisions shall be copied to the Authorised Officers of the Partners
within 7 days of every meeting" (Portsmouth PMG ToR; Leicestershire IFPG); West Kent's
Section 75 Group allows 14 days. The board's ``minutes_deadline_days`` holds the number.

Rules chosen where the terms are silent:

- Calendar days, counted from the meeting's date in UK time: a meeting on Monday 3rd
  with 7 days is due on Monday 10th. The deadline day counts: minutes sent at any time
  on the deadline day (UK time) are on time.
- The secretary and the chair are reminded two days before the deadline, from 09:00.
- If nothing has been circulated by 12:00 on the deadline day, the generated record of
  decisions is sent to the authorised officers so the duty is met; the narrative
  minutes follow when approved. The morning is left for the secretary to circulate.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
REMINDER_DAYS_BEFORE = 2
REMINDER_TIME = time(9, 0)
FALLBACK_TIME = time(12, 0)


class DeadlineStatus(StrEnum):
    DUE = "due"
    SENT_ON_TIME = "sent_on_time"
    SENT_LATE = "sent_late"
    OVERDUE = "overdue"


class Action(StrEnum):
    REMIND = "remind"
    SEND_RECORD = "send_record"


@dataclass(frozen=True)
class DeadlineState:
    due_on: date
    sent_at: datetime | None = None  # minutes or record of decisions first sent
    reminder_sent_at: datetime | None = None
    fallback_sent_at: datetime | None = None


def local_date(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def minutes_due_on(meeting_starts_at: datetime, deadline_days: int) -> date:
    """The last day (inclusive) to send the minutes: the meeting's UK date plus the
    board's days, in calendar days."""
    if deadline_days < 0:
        raise ValueError("deadline_days cannot be negative")
    return local_date(meeting_starts_at) + timedelta(days=deadline_days)


def reminder_at(due_on: date) -> datetime:
    return datetime.combine(
        due_on - timedelta(days=REMINDER_DAYS_BEFORE), REMINDER_TIME, LONDON
    )


def fallback_at(due_on: date) -> datetime:
    return datetime.combine(due_on, FALLBACK_TIME, LONDON)


def deadline_status(state: DeadlineState, *, now: datetime) -> DeadlineStatus:
    """Sent on time (on or before the deadline day), sent late, due, or overdue."""
    if state.sent_at is not None:
        if local_date(state.sent_at) <= state.due_on:
            return DeadlineStatus.SENT_ON_TIME
        return DeadlineStatus.SENT_LATE
    if local_date(now) <= state.due_on:
        return DeadlineStatus.DUE
    return DeadlineStatus.OVERDUE


def deadline_actions(state: DeadlineState, *, now: datetime) -> list[Action]:
    """What beat must do now: remind (once, from two days before) and, if still
    nothing has gone by midday on the deadline day, send the record of decisions
    (once; also when the scan runs late, after the deadline has passed)."""
    if state.sent_at is not None:
        return []
    actions = []
    if state.reminder_sent_at is None and reminder_at(state.due_on) <= now < (
        fallback_at(state.due_on)
    ):
        actions.append(Action.REMIND)
    if state.fallback_sent_at is None and now >= fallback_at(state.due_on):
        actions.append(Action.SEND_RECORD)
    return actions
