"""The cross-meeting action tracker (issue 18): every action of a board with its
owner, due date and status, overdue ones flagged, reviewed under "matters arising".
Pure: no ORM, no clock.

Rules chosen where the documents are silent (SPEC s.2: "actions arising are logged
with owner and due date"):

- An open action is **overdue** the day after its due date; **due** from
  ``DUE_SOON_DAYS`` before it; an open action with no due date is simply open.
- Done and dropped actions are closed and never overdue.
- The tracker lists overdue actions first (oldest due first), then the rest by due
  date (undated last), then by the meeting that raised them.
- An action is reviewed at a meeting under matters arising when it was raised at an
  earlier meeting and is still open; the board marks it done or dropped there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

OPEN = "open"
DONE = "done"
DROPPED = "dropped"

OVERDUE = "overdue"
DUE = "due"
NOT_DUE = "open"
CLOSED = "closed"

DUE_SOON_DAYS = 14


@dataclass(frozen=True)
class ActionFacts:
    id: int
    status: str
    due_on: date | None
    raised_at: datetime


def tracker_status(action: ActionFacts, today: date) -> str:
    if action.status != OPEN:
        return CLOSED
    if action.due_on is None:
        return NOT_DUE
    if action.due_on < today:
        return OVERDUE
    if (action.due_on - today).days <= DUE_SOON_DAYS:
        return DUE
    return NOT_DUE


def days_overdue(action: ActionFacts, today: date) -> int:
    if tracker_status(action, today) != OVERDUE:
        return 0
    return (today - action.due_on).days


def sort_key(action: ActionFacts, today: date):
    status = tracker_status(action, today)
    rank = {OVERDUE: 0, DUE: 1, NOT_DUE: 2, CLOSED: 3}[status]
    return (
        rank,
        action.due_on is None,
        action.due_on or date.max,
        action.raised_at,
        action.id,
    )


def for_matters_arising(action: ActionFacts, *, meeting_starts_at: datetime) -> bool:
    """Whether the action is reviewed under matters arising at a meeting starting
    at ``meeting_starts_at``: raised at an earlier meeting and still open."""
    return action.status == OPEN and action.raised_at < meeting_starts_at
