"""When meetings may and should be held (SPEC s.2). Pure: dates in, dates and
reasons out; no ORM, no clock (pass ``today``). Day counting is
``governance.calendar`` (England bank holidays).

Rules chosen where the spec is silent:

- **Next ordinary dates**: one meeting every ``frequency_months`` after the last one
  (PMG, IE, JCG bi-monthly; IFPG at least quarterly). When the board receives a
  pooled fund's returns, the meeting goes on the latest date, within the frequency,
  that leaves room to issue the papers after a return falls due in the second half of the interval (due date
  + ``papers_working_days`` + 1 working days: a day to write the paper, then the
  papers deadline). A date that is not a working day moves back to the previous
  working day, so a board is never late because of a weekend. A date too soon to
  issue papers on time moves forward to the first date that allows it.
- **Extraordinary notice** (Portsmouth PMG ToR 4.6): "not less than three clear
  days' notice"; the day of notice and the day of the meeting do not count, nor, by
  default, weekends and bank holidays (R v Swansea CC ex p Elitestone, 1993).
- **Reconvening** (Leicestershire IFPG): an inquorate meeting is reconvened within
  one calendar month, or sooner if the board sets fewer days.
- **Behind frequency**: a board is behind when no meeting is held or scheduled by
  ``frequency_months`` after its last meeting.
"""

from dataclasses import dataclass
from datetime import date

from governance import calendar


@dataclass(frozen=True)
class ReportingCycle:
    """A pooled fund's returns: every ``months`` (1 monthly, 3 quarterly, periods
    ending with the financial-year quarters), due on ``due_day`` of the month after
    the period ends."""

    months: int
    due_day: int = 15


@dataclass(frozen=True)
class NoticeCheck:
    lawful: bool
    clear_days: int
    required: int
    earliest: date
    message: str


def fmt(day: date) -> str:
    """``Thursday 31 December 2026``."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def report_due_dates(cycle: ReportingCycle, start: date, end: date) -> list[date]:
    """Dates returns fall due between ``start`` and ``end`` inclusive. Quarterly
    periods follow the financial year (April-June due in July, and so on)."""
    due = []
    month = date(start.year, start.month, 1)
    month = calendar.add_months(month, -1)
    while month <= end:
        # A period ends at the end of ``month``; its return is due next month.
        ends_period = cycle.months == 1 or month.month % 3 == 0
        if ends_period:
            after = calendar.add_months(month, 1)
            day = date(after.year, after.month, min(cycle.due_day, 28))
            if start <= day <= end:
                due.append(day)
        month = calendar.add_months(month, 1)
    return due


def _previous_working_day(day: date) -> date:
    while not calendar.is_working_day(day):
        day = date.fromordinal(day.toordinal() - 1)
    return day


def _next_working_day(day: date) -> date:
    while not calendar.is_working_day(day):
        day = date.fromordinal(day.toordinal() + 1)
    return day


def paper_ready_on(day: date, papers_working_days: int | None) -> date:
    """A meeting from this date can take a paper whose matter is ready on ``day``
    (a report falling due, papers issued today): a working day to write it, then the
    papers period, none where the board's terms state no papers deadline (None).
    The forward plan (``planning``) asks this rule too."""
    return calendar.add_working_days(day, (papers_working_days or 0) + 1)


def earliest_ordinary_date(today: date, papers_working_days: int | None) -> date:
    """The first date papers issued today would be on time for; a board whose terms
    state no papers deadline (None) may meet from the next working day."""
    return paper_ready_on(today, papers_working_days)


def propose_ordinary_dates(
    *,
    today: date,
    last_meeting_on: date | None,
    frequency_months: int,
    papers_working_days: int | None = 4,
    reporting: ReportingCycle | None = None,
    count: int = 3,
) -> list[date]:
    """The next ``count`` ordinary meeting dates (see the module docstring). A board
    whose terms state no papers deadline (None) counts none."""
    earliest = earliest_ordinary_date(today, papers_working_days)
    proposals: list[date] = []
    previous = last_meeting_on
    for _ in range(count):
        base = previous or today
        target = calendar.add_months(base, frequency_months)
        if previous is None:
            target = earliest
        chosen = None
        if reporting is not None and previous is not None:
            ready = [
                paper_ready_on(due, papers_working_days)
                for due in report_due_dates(reporting, previous, target)
            ]
            # Only reports in the second half of the interval: a meeting just
            # after the last one would not be "every N months".
            half = previous + (target - previous) / 2
            ready = [d for d in ready if half < d <= target]
            if ready:
                chosen = max(ready)
        if chosen is None:
            chosen = _previous_working_day(target)
            if previous is not None and chosen <= previous:
                chosen = _next_working_day(target)
        if chosen < earliest:
            chosen = _next_working_day(earliest)
        proposals.append(chosen)
        previous = chosen
    return proposals


def extraordinary_notice(
    *,
    notice_given: date,
    meeting_on: date,
    required_clear_days: int,
    working_days_only: bool = True,
) -> NoticeCheck:
    """Whether notice given on ``notice_given`` is enough for a meeting on
    ``meeting_on`` (Portsmouth PMG ToR 4.6), with the earliest lawful date."""
    have = calendar.clear_days(
        notice_given, meeting_on, working_days_only=working_days_only
    )
    earliest = calendar.earliest_meeting_date(
        notice_given, required_clear_days, working_days_only=working_days_only
    )
    kind = "clear working days'" if working_days_only else "clear days'"
    if have >= required_clear_days:
        message = f"{have} {kind} notice: enough."
        return NoticeCheck(True, have, required_clear_days, earliest, message)
    message = (
        f"An extraordinary meeting needs at least {required_clear_days} {kind} "
        f"notice (the day of notice and the day of the meeting do not count"
        f"{', nor weekends and bank holidays' if working_days_only else ''}); "
        f"notice given on {fmt(notice_given)} allows {have}. "
        f"The earliest lawful date is {fmt(earliest)}."
    )
    return NoticeCheck(False, have, required_clear_days, earliest, message)


def reconvene_deadline(inquorate_on: date, *, within_days: int = 31) -> date:
    """The last date to reconvene an inquorate meeting: one calendar month later
    (Leicestershire IFPG), or ``within_days`` days if that is sooner."""
    month = calendar.add_months(inquorate_on, 1)
    days = date.fromordinal(inquorate_on.toordinal() + within_days)
    return min(month, days)


def behind_frequency(
    *,
    today: date,
    last_meeting_on: date | None,
    next_meeting_on: date | None,
    frequency_months: int,
) -> str | None:
    """A warning when the board falls behind its frequency, else None."""
    if last_meeting_on is None:
        if next_meeting_on is None:
            return "No meeting has been held or scheduled."
        return None
    due = calendar.add_months(last_meeting_on, frequency_months)
    every = "month" if frequency_months == 1 else f"{frequency_months} months"
    if next_meeting_on is None:
        if today > due:
            return (
                f"Behind its frequency: the board meets every {every}; the last "
                f"meeting was on {fmt(last_meeting_on)} and the next was due by "
                f"{fmt(due)}. No meeting is scheduled."
            )
        return None
    if next_meeting_on > due:
        return (
            f"Behind its frequency: the board meets every {every}; after the meeting "
            f"of {fmt(last_meeting_on)} the next was due by {fmt(due)}, but the next "
            f"scheduled is on {fmt(next_meeting_on)}."
        )
    return None


# --- the date of a meeting being scheduled or moved ------------------------------

# Rules chosen (the terms are silent on a sane range): a meeting is dated from 2000
# (none of the boards' agreements is older) and no more than five years ahead (a
# board's terms are reviewed well within that); a date already past is accepted
# only when the secretary says a meeting already held is being recorded.
EARLIEST_MEETING_DATE = date(2000, 1, 1)
MAX_YEARS_AHEAD = 5


def meeting_date_problem(
    meeting_on: date, *, today: date, recording_past: bool = False
) -> str | None:
    """Why ``meeting_on`` is not a date to schedule a meeting on, or None."""
    latest = calendar.add_months(today, 12 * MAX_YEARS_AHEAD)
    if meeting_on < EARLIEST_MEETING_DATE:
        return (
            f"{fmt(meeting_on)} is before {EARLIEST_MEETING_DATE.year}: check the year."
        )
    if meeting_on > latest:
        return (
            f"{fmt(meeting_on)} is more than {MAX_YEARS_AHEAD} years ahead (the "
            f"latest date accepted is {fmt(latest)}): check the year."
        )
    if meeting_on < today and not recording_past:
        return (
            f"{fmt(meeting_on)} has passed. To record a meeting already held, say "
            "so (\u201crecording a past meeting\u201d)."
        )
    return None


def papers_deadline_warning(
    meeting_on: date, *, today: date, papers_working_days: int | None
) -> str | None:
    """A warning, before an ordinary meeting is scheduled or moved, when its papers
    deadline (Leicestershire IE: "no later than 4 working days before the meeting")
    has already passed: the agenda will then need the chair's authorisation for late
    circulation. The terms allow late circulation with that authorisation, so this
    is a warning the secretary confirms, not a refusal. None where the terms state no
    papers deadline, or the meeting is already past (recorded after the event)."""
    if papers_working_days is None or meeting_on < today:
        return None
    deadline = calendar.papers_deadline(meeting_on, papers_working_days)
    if today <= deadline:
        return None
    return (
        f"The papers for a meeting on {fmt(meeting_on)} were due by {fmt(deadline)} "
        f"({papers_working_days} working days before): issuing the agenda will need "
        "the chair's authorisation for late circulation. The earliest date that "
        "leaves time to issue the papers on time is "
        f"{fmt(earliest_ordinary_date(today, papers_working_days))}."
    )
