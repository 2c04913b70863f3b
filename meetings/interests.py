"""The standing register of interests of each member (issue 18). Pure: no ORM, no
clock.

The documents say nothing about registers; the rules chosen follow NHS England,
"Managing Conflicts of Interest in the NHS" (2017), which the CCG partners work to,
and the register every council keeps for its members:

- **Categories**: financial interests, non-financial professional interests,
  non-financial personal interests, and indirect interests (those of a close
  family member or associate).
- **Current**: an entry is current from the day it was declared until the day it
  ended (an interest that ended on a day still held on that day).
- **Yearly review**: the person confirms their register at least once a year
  ("reviewed yearly"); the first review falls due a year after their first entry.
  With nothing on the register and no review, nothing is due. Due from 30 days
  before, overdue from the day after.
- **Offered at the item**: when declarations are taken on an item, the current
  entries of whoever sits in each seat are offered to be declared on it; a
  declaration made from the register keeps the link to its entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

REVIEW_MONTHS = 12
DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class Entry:
    id: int
    declared_on: date
    ended_on: date | None = None


def is_current(entry: Entry, on: date) -> bool:
    return entry.declared_on <= on and (entry.ended_on is None or entry.ended_on >= on)


def current(entries: list[Entry], on: date) -> list[Entry]:
    return [e for e in entries if is_current(e, on)]


@dataclass(frozen=True)
class ReviewState:
    due: date | None
    status: str  # "overdue", "due", "up_to_date", "nothing_registered"
    last_reviewed: date | None


def review_state(
    entries: list[Entry], last_reviewed: date | None, today: date
) -> ReviewState:
    if last_reviewed is None and not entries:
        return ReviewState(None, "nothing_registered", None)
    base = last_reviewed or min(e.declared_on for e in entries)
    due = base + relativedelta(months=REVIEW_MONTHS)
    if due < today:
        status = "overdue"
    elif (due - today).days <= DUE_SOON_DAYS:
        status = "due"
    else:
        status = "up_to_date"
    return ReviewState(due, status, last_reviewed)
