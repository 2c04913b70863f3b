"""When a board's duty falls due, and whether it is overdue. Pure: no ORM, no clock
(pass ``today``).

The duties are the documents' own (issue 18): "review and agree annually a risk
assessment and a Performance Payment protocol" (Portsmouth PMG ToR 2.1.5, West Kent
Schedule 2 2.1.5), "receive financial and activity information ... on a quarterly
basis" (Leicestershire IFPG), "at least quarterly reports" to the Health and
Wellbeing Board (Leicestershire IE), "reviewed at least annually" (JCG ToR 1), terms
of reference "reviewed at least every three years" (Portsmouth PMG ToR).

Rules chosen where the documents are silent:

- **Two cycles.** A duty the documents put as "at least every ..." or "annually"
  falls due a set time after it was **last done** (``from_last``): a risk assessment
  agreed late in March is next due in March, not at the anniversary of a date nobody
  chose. A report "on a quarterly basis" or "monthly" falls due on **fixed dates**
  (``fixed``): every interval from the first due date, each occurrence discharged
  on its own, so a missed quarter stays missed.
- **First due date.** Until a duty is first done it is due on its first due date,
  which the board records (the demo marks the ones no document gives as "local
  practice (demo)").
- **Due soon.** A duty is *due* from ``DUE_SOON_DAYS`` before its date (14 days for
  a monthly duty, 30 quarterly, 60 for annual and three-yearly ones, as the terms of
  reference reminder); *overdue* from the day after; otherwise *up to date*.
- **Reports received.** A report the board receives goes to its first meeting
  after it is ready (Portsmouth PMG ToR 4.1: the board meets "following receipt of
  each monthly report"), so it stays *due* after its date for one interval between
  the board's meetings (``grace_months``) and is *overdue* only when neither it was
  supplied nor a meeting took it by then.
- **Every meeting.** A duty of every meeting (JCG ToR 4: "a clear decision log will
  be recorded within the minutes") is discharged by each held meeting's circulated
  minutes, whose decision log the product generates from the record; it is overdue
  when a held meeting's minutes are past their deadline and not circulated.
- **Terms of reference.** Their review date is the one recorded on the current
  version (``boards``); a version whose approval date is not recorded ("approved
  on: TBC", Portsmouth PMG) is a gap even when in date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta

EACH_MEETING = "each_meeting"
MONTHLY = "monthly"
QUARTERLY = "quarterly"
ANNUALLY = "annually"
THREE_YEARLY = "three_yearly"

FROM_LAST = "from_last"
FIXED = "fixed"

OVERDUE = "overdue"
DUE = "due"
UP_TO_DATE = "up_to_date"

MONTHS = {MONTHLY: 1, QUARTERLY: 3, ANNUALLY: 12, THREE_YEARLY: 36}
DUE_SOON_DAYS = {MONTHLY: 14, QUARTERLY: 30, ANNUALLY: 60, THREE_YEARLY: 60}


@dataclass(frozen=True)
class Duty:
    frequency: str
    first_due: date
    cycle: str = FROM_LAST
    grace_months: int = 0

    @property
    def months(self) -> int:
        return MONTHS[self.frequency]


@dataclass(frozen=True)
class Done:
    """One discharge: the occurrence it discharges (``due_on``; None when it was
    not tied to one) and the day it was done."""

    done_on: date
    due_on: date | None = None


@dataclass(frozen=True)
class DueState:
    due: date | None
    status: str
    last_done: date | None = None
    missed: int = 0
    gaps: tuple[str, ...] = field(default_factory=tuple)

    @property
    def needs_attention(self) -> bool:
        return self.status != UP_TO_DATE or bool(self.gaps)


def add_interval(day: date, months: int, times: int = 1) -> date:
    return day + relativedelta(months=months * times)


def nth_due(duty: Duty, n: int) -> date:
    """The n-th fixed occurrence (0 is the first due date), counted from the first
    due date so month ends do not drift (31 January, 28 February, 31 March)."""
    return add_interval(duty.first_due, duty.months, n)


def next_due(duty: Duty, done: list[Done]) -> date:
    """The date the duty next falls due, given what has been done."""
    if not done:
        return duty.first_due
    if duty.cycle == FIXED:
        covered = {d.due_on for d in done if d.due_on is not None}
        # A discharge not tied to an occurrence covers the earliest open one.
        loose = sum(1 for d in done if d.due_on is None)
        n = 0
        while True:
            due = nth_due(duty, n)
            if due not in covered:
                if not loose:
                    return due
                loose -= 1
            n += 1
    return add_interval(max(d.done_on for d in done), duty.months)


def status_on(due: date, frequency: str, today: date, grace_months: int = 0) -> str:
    """Overdue after the due date (and any grace); due from ``DUE_SOON_DAYS``
    before it until then; else up to date."""
    if add_interval(due, grace_months) < today:
        return OVERDUE
    if due < today:
        return DUE
    if (due - today).days <= DUE_SOON_DAYS.get(frequency, 30):
        return DUE
    return UP_TO_DATE


def missed_occurrences(duty: Duty, due: date, today: date) -> int:
    """How many fixed occurrences have passed undone (0 for a from-last duty: it
    is simply late)."""
    if duty.cycle != FIXED or add_interval(due, duty.grace_months) >= today:
        return 0
    n = 0
    while nth_due(duty, n) < due:
        n += 1
    count = 0
    while nth_due(duty, n + count) < today:
        count += 1
    return count


def due_state(duty: Duty, done: list[Done], today: date) -> DueState:
    due = next_due(duty, done)
    return DueState(
        due=due,
        status=status_on(due, duty.frequency, today, duty.grace_months),
        last_done=max((d.done_on for d in done), default=None),
        missed=missed_occurrences(duty, due, today),
    )


def occurrences(duty: Duty, done: list[Done], until: date) -> list[date]:
    """The due dates from the next one up to ``until``, assuming each is done on
    its date (what a forward plan must fit in)."""
    due = next_due(duty, done)
    found = []
    if duty.cycle == FIXED:
        n = 0
        while nth_due(duty, n) < due:
            n += 1
        while nth_due(duty, n) <= until:
            found.append(nth_due(duty, n))
            n += 1
        return found
    while due <= until:
        found.append(due)
        due = add_interval(due, duty.months)
    return found


# --- every meeting ----------------------------------------------------------------


@dataclass(frozen=True)
class HeldMeeting:
    held_on: date
    minutes_deadline: date | None
    minutes_circulated_on: date | None


def each_meeting_state(
    held: list[HeldMeeting], *, next_meeting_on: date | None, today: date
) -> DueState:
    """A duty of every meeting (the decision log in the minutes): overdue while a
    held meeting's minutes are past their deadline and not circulated; otherwise due
    at the next meeting."""
    late = [
        m
        for m in held
        if m.minutes_circulated_on is None
        and m.minutes_deadline is not None
        and m.minutes_deadline < today
    ]
    last_done = max(
        (m.minutes_circulated_on for m in held if m.minutes_circulated_on),
        default=None,
    )
    if late:
        first = min(late, key=lambda m: m.held_on)
        return DueState(first.minutes_deadline, OVERDUE, last_done, missed=len(late))
    pending = [m for m in held if m.minutes_circulated_on is None]
    if pending:
        first = min(pending, key=lambda m: m.held_on)
        return DueState(first.minutes_deadline, DUE, last_done)
    if next_meeting_on is None:
        return DueState(None, UP_TO_DATE, last_done)
    return DueState(next_meeting_on, UP_TO_DATE, last_done)


# --- terms of reference -----------------------------------------------------------


def terms_state(
    *,
    review_due: date | None,
    reviewed_on: date | None,
    approved_on: date | None,
    today: date,
) -> DueState:
    """The terms of reference review (Portsmouth PMG ToR: "at least every three
    years"), from the current version: no version recorded is overdue today; a
    version without an approval date ("approved on: TBC") is a gap."""
    if review_due is None:
        return DueState(today, OVERDUE, None, gaps=("no terms of reference recorded",))
    gaps = () if approved_on else ("the current version's approval is not recorded",)
    last = max([d for d in (reviewed_on, approved_on) if d], default=None)
    return DueState(
        review_due, status_on(review_due, THREE_YEARLY, today), last, gaps=gaps
    )


def reminder_due(state: DueState) -> str | None:
    """Which reminder, if any, the state calls for: "due" or "overdue"."""
    if state.status in (DUE, OVERDUE) and state.due is not None:
        return state.status
    return None
