"""Working days, clear days and England bank holidays. Pure: no ORM, no clock.

Working days exclude Saturdays, Sundays and England bank holidays (the ``holidays``
package's GB/ENG calendar, which includes substitute days and one-off holidays).

Clear days (Portsmouth PMG ToR 4.6: an extraordinary meeting needs "not less than
three clear days' notice") exclude the day the notice is given and the day of the
meeting. By default they also exclude weekends and bank holidays, as the Court of
Appeal read them in R v Swansea City Council ex p Elitestone (1993); a board whose
standing orders count calendar days sets ``working_days_only=False``.
"""

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _england(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG", years=year)


def is_bank_holiday(day: date) -> bool:
    return day in _england(day.year)


def bank_holiday_name(day: date) -> str | None:
    return _england(day.year).get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def _counts(day: date, working_days_only: bool) -> bool:
    return is_working_day(day) if working_days_only else True


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (before it if negative)."""
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    day = start
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days strictly after ``start`` up to and including ``end``."""
    if end <= start:
        return 0
    return sum(
        1
        for offset in range(1, (end - start).days + 1)
        if is_working_day(start + timedelta(days=offset))
    )


def clear_days(
    notice_given: date, meeting: date, *, working_days_only: bool = True
) -> int:
    """Clear days between the notice and the meeting: neither end counts."""
    if meeting <= notice_given:
        return 0
    return sum(
        1
        for offset in range(1, (meeting - notice_given).days)
        if _counts(notice_given + timedelta(days=offset), working_days_only)
    )


def earliest_meeting_date(
    notice_given: date, required_clear_days: int, *, working_days_only: bool = True
) -> date:
    """The first date a meeting may be held after notice given on ``notice_given``
    with at least ``required_clear_days`` clear days between."""
    day = notice_given
    counted = 0
    while counted < required_clear_days:
        day += timedelta(days=1)
        if _counts(day, working_days_only):
            counted += 1
    return day + timedelta(days=1)


def papers_deadline(meeting: date, working_days: int) -> date:
    """The last date papers may be issued: ``working_days`` working days before the
    meeting (Leicestershire IE: "no later than 4 working days before")."""
    return add_working_days(meeting, -working_days)


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def local_date(moment: datetime) -> date:
    """The date of ``moment`` in London (aware datetimes are stored in UTC)."""
    from django.utils import timezone

    return timezone.localtime(moment).date()
