"""The cross-meeting action tracker's rules (meetings/action_tracker.py)."""

from datetime import UTC, date, datetime

import pytest

from meetings import action_tracker as tracker
from meetings.action_tracker import ActionFacts

TODAY = date(2026, 3, 10)
RAISED = datetime(2026, 1, 5, 14, tzinfo=UTC)


def action(id=1, status=tracker.OPEN, due_on=None, raised_at=RAISED) -> ActionFacts:
    return ActionFacts(id, status, due_on, raised_at)


@pytest.mark.parametrize(
    "facts, status, days",
    [
        (action(due_on=date(2026, 3, 9)), tracker.OVERDUE, 1),
        (action(due_on=date(2026, 3, 10)), tracker.DUE, 0),
        (action(due_on=date(2026, 3, 24)), tracker.DUE, 0),
        (action(due_on=date(2026, 3, 25)), tracker.NOT_DUE, 0),
        (action(due_on=None), tracker.NOT_DUE, 0),
        (action(status=tracker.DONE, due_on=date(2026, 1, 1)), tracker.CLOSED, 0),
        (action(status=tracker.DROPPED, due_on=date(2026, 1, 1)), tracker.CLOSED, 0),
    ],
)
def test_status_and_days_overdue(facts, status, days):
    assert tracker.tracker_status(facts, TODAY) == status
    assert tracker.days_overdue(facts, TODAY) == days


def test_overdue_first_then_by_due_date_undated_last_closed_at_the_end():
    actions = [
        action(1, due_on=None),
        action(2, due_on=date(2026, 4, 30)),
        action(3, status=tracker.DONE, due_on=date(2026, 1, 1)),
        action(4, due_on=date(2026, 2, 1)),
        action(5, due_on=date(2026, 3, 12)),
        action(6, due_on=date(2026, 1, 15)),
    ]
    ordered = sorted(actions, key=lambda a: tracker.sort_key(a, TODAY))
    assert [a.id for a in ordered] == [6, 4, 5, 2, 1, 3]


def test_reviewed_under_matters_arising_when_raised_earlier_and_open():
    later = datetime(2026, 3, 20, 14, tzinfo=UTC)
    assert tracker.for_matters_arising(action(), meeting_starts_at=later)
    assert not tracker.for_matters_arising(
        action(status=tracker.DONE), meeting_starts_at=later
    )
    assert not tracker.for_matters_arising(action(), meeting_starts_at=RAISED)
