"""The minutes deadline (SPEC s.5: "within 7 days (PMG, IFPG) or 14 days (West Kent)
of every meeting"): pure rules, table-driven, with properties."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meetings.deadlines import (
    Action,
    DeadlineState,
    DeadlineStatus,
    deadline_actions,
    deadline_status,
    fallback_at,
    minutes_due_on,
    reminder_at,
)

LONDON = ZoneInfo("Europe/London")


def at(y, m, d, h=10, minute=0):
    return dt.datetime(y, m, d, h, minute, tzinfo=LONDON)


@pytest.mark.parametrize(
    "starts_at, days, due",
    [
        (at(2026, 3, 2), 7, dt.date(2026, 3, 9)),  # PMG: Monday -> Monday
        (at(2026, 3, 2), 14, dt.date(2026, 3, 16)),  # West Kent: 14 days
        (at(2026, 3, 27), 7, dt.date(2026, 4, 3)),  # across the clock change
        (at(2026, 12, 28), 7, dt.date(2027, 1, 4)),  # across the year end
        # 23:30 UTC on 1 June is already 2 June in London: London's date counts.
        (dt.datetime(2026, 6, 1, 23, 30, tzinfo=dt.UTC), 7, dt.date(2026, 6, 9)),
    ],
)
def test_minutes_deadline_is_the_meeting_date_plus_the_boards_calendar_days(
    starts_at, days, due
):
    """The deadline is the UK date of the meeting plus the board's days."""
    assert minutes_due_on(starts_at, days) == due


DUE = dt.date(2026, 3, 9)


@pytest.mark.parametrize(
    "sent_at, now, expected",
    [
        (None, at(2026, 3, 5), DeadlineStatus.DUE),
        (None, at(2026, 3, 9, 23, 59), DeadlineStatus.DUE),  # the deadline day counts
        (None, at(2026, 3, 10, 0, 1), DeadlineStatus.OVERDUE),
        (at(2026, 3, 9, 23, 0), at(2026, 3, 20), DeadlineStatus.SENT_ON_TIME),
        (at(2026, 3, 10, 9, 0), at(2026, 3, 20), DeadlineStatus.SENT_LATE),
    ],
)
def test_deadline_status_sent_on_time_sent_late_due_or_overdue(sent_at, now, expected):
    """Sent on or before the deadline day is on time; after it, late; unsent is
    due until the day ends, then overdue."""
    state = DeadlineState(due_on=DUE, sent_at=sent_at)
    assert deadline_status(state, now=now) == expected


@pytest.mark.parametrize(
    "now, state_kwargs, expected",
    [
        (at(2026, 3, 6, 23, 0), {}, []),  # three days before: nothing
        (at(2026, 3, 7, 9, 0), {}, [Action.REMIND]),  # two days before, 09:00
        (at(2026, 3, 7, 9, 0), {"reminder_sent_at": at(2026, 3, 7, 9)}, []),  # once
        (at(2026, 3, 9, 11, 59), {"reminder_sent_at": at(2026, 3, 7, 9)}, []),
        (
            at(2026, 3, 9, 12, 0),
            {"reminder_sent_at": at(2026, 3, 7, 9)},
            [Action.SEND_RECORD],
        ),
        # The scan missed the reminder window: no late reminder, the record goes.
        (at(2026, 3, 9, 13, 0), {}, [Action.SEND_RECORD]),
        (at(2026, 3, 12), {}, [Action.SEND_RECORD]),  # beat was down: send anyway
        (at(2026, 3, 12), {"fallback_sent_at": at(2026, 3, 9, 12)}, []),
        (at(2026, 3, 8), {"sent_at": at(2026, 3, 5)}, []),  # circulated: nothing
    ],
)
def test_deadline_actions_remind_two_days_before_and_send_the_record_on_the_day(
    now, state_kwargs, expected
):
    """Beat reminds once from 09:00 two days before, and sends the record of
    decisions once from midday on the deadline day if nothing was circulated."""
    assert (
        deadline_actions(DeadlineState(due_on=DUE, **state_kwargs), now=now) == expected
    )


@given(
    start=st.datetimes(
        min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2035, 1, 1)
    ),
    days=st.sampled_from([7, 14]),
    offset=st.integers(min_value=0, max_value=30 * 24 * 60),
)
def test_no_deadline_passes_without_a_send(start, days, offset):
    """Property: whenever beat runs after the deadline day's midday with nothing
    sent, it sends; and the send it makes counts as on time if made on the day."""
    starts_at = start.replace(tzinfo=LONDON)
    due = minutes_due_on(starts_at, days)
    now = fallback_at(due) + dt.timedelta(minutes=offset)
    assert Action.SEND_RECORD in deadline_actions(DeadlineState(due_on=due), now=now)
    sent = DeadlineState(due_on=due, sent_at=fallback_at(due))
    assert deadline_status(sent, now=now) == DeadlineStatus.SENT_ON_TIME
    assert reminder_at(due) < fallback_at(due)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        minutes_due_on(at(2026, 3, 2), -1)
