"""Dates and times in the demo files, relative to the day the demo is loaded. Pure:
the loader passes ``today`` (and a meeting's start, for times relative to it).

The demo's calendar must look current whenever it is loaded, so a date in a demo file
is either a plain date (``2018-07-01``: a date a document gives) or an expression read
left to right:

- a base: ``today``; ``now`` (the moment of loading); ``month`` (the 1st of this month); ``half`` (the 1st of this
  half-year, January or July: the JCG chair rotates every six months); ``start`` (the
  meeting's start, for the moments of a meeting); or a date ``2015-04-01``;
- then steps: ``+9d`` / ``-30d`` days, ``-4m`` months, ``+3y`` years, ``-1h`` /
  ``+90min`` for times; ``workday`` moves to the next working day (England) unless
  the day is one already; ``mon`` .. ``fri`` moves to the next such weekday unless the
  day is one already (a board that meets on Tuesdays: ``today +8d tue workday``);
- optionally a time of day ``14:00`` (Europe/London) to make it a moment.

``month -4m +9d workday 14:00`` is the first working day from the 10th of the month
four months ago, at 2 pm.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from governance import calendar

LONDON = ZoneInfo("Europe/London")
_STEP = re.compile(r"^([+-])(\d+)(d|m|y|h|min)$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4}


class BadExpression(ValueError):
    """A date expression in a demo file that cannot be read."""


@dataclass(frozen=True)
class Clock:
    """What relative expressions are relative to."""

    today: datetime.date
    start: datetime.datetime | None = None
    now: datetime.datetime | None = None


def _base(word: str, clock: Clock) -> datetime.date | datetime.datetime:
    if word == "today":
        return clock.today
    if word == "month":
        return clock.today.replace(day=1)
    if word == "half":
        return clock.today.replace(month=1 if clock.today.month < 7 else 7, day=1)
    if word == "now":
        if clock.now is None:
            raise BadExpression("'now' is not known here")
        return clock.now.astimezone(LONDON)
    if word == "start":
        if clock.start is None:
            raise BadExpression("'start' is only known for a meeting's moments")
        return clock.start.astimezone(LONDON)
    try:
        return datetime.date.fromisoformat(word)
    except ValueError as error:
        raise BadExpression(f"unknown base {word!r}") from error


def _step(value, sign: int, amount: int, unit: str):
    if unit == "d":
        return value + datetime.timedelta(days=sign * amount)
    if unit in ("m", "y"):
        months = sign * amount * (12 if unit == "y" else 1)
        if isinstance(value, datetime.datetime):
            day = calendar.add_months(value.date(), months)
            return datetime.datetime.combine(day, value.timetz())
        return calendar.add_months(value, months)
    if not isinstance(value, datetime.datetime):
        raise BadExpression("hours and minutes apply to a moment, not a date")
    minutes = amount * (60 if unit == "h" else 1)
    return value + datetime.timedelta(minutes=sign * minutes)


def _workday(value):
    day = value.date() if isinstance(value, datetime.datetime) else value
    while not calendar.is_working_day(day):
        day += datetime.timedelta(days=1)
    if isinstance(value, datetime.datetime):
        return datetime.datetime.combine(day, value.timetz())
    return day


def _weekday(value, weekday: int):
    day = value.date() if isinstance(value, datetime.datetime) else value
    day += datetime.timedelta(days=(weekday - day.weekday()) % 7)
    if isinstance(value, datetime.datetime):
        return datetime.datetime.combine(day, value.timetz())
    return day


def evaluate(expression, clock: Clock) -> datetime.date | datetime.datetime:
    """A date, or an aware moment when the expression has a time or starts from
    ``start``."""
    if isinstance(expression, datetime.datetime):
        return expression
    if isinstance(expression, datetime.date):
        return expression
    words = str(expression).split()
    if not words:
        raise BadExpression("empty date expression")
    value = _base(words[0], clock)
    for word in words[1:]:
        if word == "workday":
            value = _workday(value)
        elif word in WEEKDAYS:
            value = _weekday(value, WEEKDAYS[word])
        elif match := _STEP.match(word):
            sign = 1 if match.group(1) == "+" else -1
            value = _step(value, sign, int(match.group(2)), match.group(3))
        elif match := _TIME.match(word):
            day = value.date() if isinstance(value, datetime.datetime) else value
            time = datetime.time(int(match.group(1)), int(match.group(2)))
            value = datetime.datetime.combine(day, time, tzinfo=LONDON)
        else:
            raise BadExpression(f"cannot read {word!r} in {expression!r}")
    return value


def date_of(expression, clock: Clock) -> datetime.date:
    value = evaluate(expression, clock)
    if isinstance(value, datetime.datetime):
        raise BadExpression(f"{expression!r} is a moment; a date was expected")
    return value


def moment_of(expression, clock: Clock) -> datetime.datetime:
    value = evaluate(expression, clock)
    if not isinstance(value, datetime.datetime):
        raise BadExpression(f"{expression!r} has no time of day")
    # Normalise wall-clock arithmetic to a real London time (a DST change between).
    return value.replace(tzinfo=None).replace(tzinfo=LONDON)
