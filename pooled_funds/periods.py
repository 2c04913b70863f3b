"""Reporting periods of a pooled fund, as labels. Pure: no ORM, no clock.

The label format (also the API's ``period``):

- quarterly funds: ``YYYY-Qn``, where YYYY is the year the financial year starts and
  n the financial quarter: "2015-Q1" is April-June 2015, "2015-Q4" January-March
  2016 (UK financial year, 1 April to 31 March);
- monthly funds: ``YYYY-MM``, the ISO calendar month: "2015-06" is June 2015.

A label must match the fund's frequency and fall inside the fund's financial year.
A return is due on the fund's ``due_day`` of the month after the period ends.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date

QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MONTH_NAMES = [
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


class PeriodError(ValueError):
    """A label that is not a period of the fund."""


def year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def labels(frequency: str, financial_year: int) -> list[str]:
    """Every period label of the financial year, in order."""
    if frequency == "quarterly":
        return [f"{financial_year}-Q{n}" for n in range(1, 5)]
    months = [(financial_year, m) for m in range(4, 13)]
    months += [(financial_year + 1, m) for m in range(1, 4)]
    return [f"{y}-{m:02d}" for y, m in months]


def validate(label: str, *, frequency: str, financial_year: int) -> str:
    """The label, if it is a period of this fund; else PeriodError saying why."""
    label = (label or "").strip()
    pattern, example = (
        (QUARTER, f"{financial_year}-Q1")
        if frequency == "quarterly"
        else (MONTH, f"{financial_year}-04")
    )
    if not pattern.match(label):
        raise PeriodError(
            f"“{label}” is not a {frequency} period: write it like “{example}”."
        )
    if label not in labels(frequency, financial_year):
        raise PeriodError(
            f"“{label}” is outside the financial year {year_label(financial_year)}."
        )
    return label


def bounds(label: str) -> tuple[date, date]:
    """First and last day of the period."""
    if m := QUARTER.match(label):
        year, quarter = int(m.group(1)), int(m.group(2))
        first_month = 4 + 3 * (quarter - 1)
        start_year = year + (first_month - 1) // 12
        first_month = (first_month - 1) % 12 + 1
        last_month = first_month + 2
        return (
            date(start_year, first_month, 1),
            date(
                start_year, last_month, calendar.monthrange(start_year, last_month)[1]
            ),
        )
    if m := MONTH.match(label):
        year, month = int(m.group(1)), int(m.group(2))
        return date(year, month, 1), date(
            year, month, calendar.monthrange(year, month)[1]
        )
    raise PeriodError(f"“{label}” is not a period label.")


def due_date(label: str, due_day: int) -> date:
    """The day the return for the period is due: ``due_day`` of the next month."""
    end = bounds(label)[1]
    year, month = (end.year + 1, 1) if end.month == 12 else (end.year, end.month + 1)
    return date(year, month, min(due_day, 28))


def describe(label: str) -> str:
    """Words for a label: "Q1 2015/16 (April to June 2015)", "June 2015"."""
    try:
        start, end = bounds(label)
    except PeriodError:
        return label
    if m := QUARTER.match(label):
        return (
            f"Q{m.group(2)} {year_label(int(m.group(1)))} "
            f"({MONTH_NAMES[start.month]} to {MONTH_NAMES[end.month]} {end.year})"
        )
    return f"{MONTH_NAMES[start.month]} {start.year}"


def previous(label: str, frequency: str, financial_year: int) -> str | None:
    """The period before, within the same financial year."""
    all_labels = labels(frequency, financial_year)
    if label in all_labels and all_labels.index(label) > 0:
        return all_labels[all_labels.index(label) - 1]
    return None


def current(frequency: str, financial_year: int, today: date) -> str | None:
    """The latest period of the year that has ended by ``today`` (the one a return
    is now expected for), or None before the first period ends."""
    ended = [lab for lab in labels(frequency, financial_year) if bounds(lab)[1] < today]
    return ended[-1] if ended else None


DUE, OVERDUE, SENT_BACK, AWAITING_APPROVAL = (
    "due",
    "overdue",
    "sent_back",
    "awaiting_approval",
)
STATE_WORDS = {
    DUE: "Due",
    OVERDUE: "Overdue",
    SENT_BACK: "Sent back",
    AWAITING_APPROVAL: "Awaiting approval",
}


@dataclass(frozen=True)
class PeriodState:
    period: str
    due: date
    state: str

    @property
    def words(self) -> str:
        return STATE_WORDS[self.state]


def return_states(
    *, frequency: str, financial_year: int, due_day: int, statuses: dict, today: date
) -> list[PeriodState]:
    """Where each period's return stands for the people who make and approve it
    (the dashboards, and the reminders): a period that has ended with no return or
    only a draft is ``due`` until its due date and ``overdue`` after it; a return
    sent back is ``sent_back``; a submitted one is ``awaiting_approval``; an
    approved one, or a period still running, is not listed. ``statuses`` maps a
    period label to its return's status."""
    states = []
    for label in labels(frequency, financial_year):
        status = statuses.get(label)
        due = due_date(label, due_day)
        if status == "approved":
            continue
        if status == "submitted":
            states.append(PeriodState(label, due, AWAITING_APPROVAL))
        elif status == "returned":
            states.append(PeriodState(label, due, SENT_BACK))
        elif bounds(label)[1] < today:
            states.append(PeriodState(label, due, OVERDUE if today > due else DUE))
    return states
