"""When a duty falls due (planning/due.py): the documents' duties, from-last and
fixed cycles, every-meeting duties and the terms of reference review."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planning import due
from planning.due import Done, Duty, HeldMeeting

D = date


@pytest.mark.parametrize(
    "name, duty, done, today, expected_due, expected_status",
    [
        (
            "annual risk assessment never agreed: due on its first date",
            Duty(due.ANNUALLY, D(2026, 6, 30)),
            [],
            D(2026, 3, 1),
            D(2026, 6, 30),
            due.UP_TO_DATE,
        ),
        (
            "within 60 days of an annual date: due",
            Duty(due.ANNUALLY, D(2026, 6, 30)),
            [],
            D(2026, 5, 1),
            D(2026, 6, 30),
            due.DUE,
        ),
        (
            "the day after: overdue",
            Duty(due.ANNUALLY, D(2026, 6, 30)),
            [],
            D(2026, 7, 1),
            D(2026, 6, 30),
            due.OVERDUE,
        ),
        (
            "on the due date itself: still due, not overdue",
            Duty(due.ANNUALLY, D(2026, 6, 30)),
            [],
            D(2026, 6, 30),
            D(2026, 6, 30),
            due.DUE,
        ),
        (
            "'at least annually': a year after it was last done, late or not",
            Duty(due.ANNUALLY, D(2025, 3, 31)),
            [Done(D(2025, 5, 20))],
            D(2026, 1, 1),
            D(2026, 5, 20),
            due.UP_TO_DATE,
        ),
        (
            "from-last takes the latest discharge",
            Duty(due.ANNUALLY, D(2024, 3, 31)),
            [Done(D(2024, 3, 1)), Done(D(2025, 2, 1))],
            D(2025, 6, 1),
            D(2026, 2, 1),
            due.UP_TO_DATE,
        ),
        (
            "three-yearly terms review: three years after it was done",
            Duty(due.THREE_YEARLY, D(2020, 3, 30)),
            [Done(D(2023, 1, 10))],
            D(2025, 12, 1),
            D(2026, 1, 10),
            due.DUE,
        ),
        (
            "quarterly reports on fixed dates: each quarter discharged on its own",
            Duty(due.QUARTERLY, D(2026, 1, 15), cycle=due.FIXED),
            [Done(D(2026, 1, 20), due_on=D(2026, 1, 15))],
            D(2026, 3, 1),
            D(2026, 4, 15),
            due.UP_TO_DATE,
        ),
        (
            "a missed quarter stays missed: the earliest open one is due",
            Duty(due.QUARTERLY, D(2026, 1, 15), cycle=due.FIXED),
            [Done(D(2026, 7, 20), due_on=D(2026, 7, 15))],
            D(2026, 8, 1),
            D(2026, 1, 15),
            due.OVERDUE,
        ),
        (
            "a discharge tied to no occurrence covers the earliest open one",
            Duty(due.MONTHLY, D(2026, 1, 15), cycle=due.FIXED),
            [Done(D(2026, 1, 16)), Done(D(2026, 2, 16))],
            D(2026, 3, 1),
            D(2026, 3, 15),
            due.DUE,
        ),
        (
            "monthly: due 14 days before",
            Duty(due.MONTHLY, D(2026, 3, 15), cycle=due.FIXED),
            [],
            D(2026, 3, 1),
            D(2026, 3, 15),
            due.DUE,
        ),
        (
            "monthly: up to date 15 days before",
            Duty(due.MONTHLY, D(2026, 3, 15), cycle=due.FIXED),
            [],
            D(2026, 2, 28),
            D(2026, 3, 15),
            due.UP_TO_DATE,
        ),
        (
            "month ends do not drift: 31 Jan, 28 Feb, 31 Mar",
            Duty(due.MONTHLY, D(2026, 1, 31), cycle=due.FIXED),
            [
                Done(D(2026, 1, 31), due_on=D(2026, 1, 31)),
                Done(D(2026, 2, 28), due_on=D(2026, 2, 28)),
            ],
            D(2026, 3, 1),
            D(2026, 3, 31),
            due.UP_TO_DATE,
        ),
    ],
)
def test_due_state(name, duty, done, today, expected_due, expected_status):
    state = due.due_state(duty, done, today)
    assert (state.due, state.status) == (expected_due, expected_status), name


def test_missed_quarters_are_counted():
    """Three quarters passed undone by 1 August: January, April and July."""
    duty = Duty(due.QUARTERLY, D(2026, 1, 15), cycle=due.FIXED)
    assert due.due_state(duty, [], D(2026, 8, 1)).missed == 3


def test_a_late_from_last_duty_is_late_once():
    duty = Duty(due.ANNUALLY, D(2024, 1, 1))
    assert due.due_state(duty, [], D(2026, 8, 1)).missed == 0


def test_occurrences_to_fit_in_a_plan():
    duty = Duty(due.MONTHLY, D(2026, 1, 15), cycle=due.FIXED)
    done = [Done(D(2026, 1, 15), due_on=D(2026, 1, 15))]
    assert due.occurrences(duty, done, D(2026, 4, 30)) == [
        D(2026, 2, 15),
        D(2026, 3, 15),
        D(2026, 4, 15),
    ]


def test_from_last_occurrences_step_from_the_next_due():
    duty = Duty(due.ANNUALLY, D(2026, 6, 30))
    assert due.occurrences(duty, [], D(2028, 7, 1)) == [
        D(2026, 6, 30),
        D(2027, 6, 30),
        D(2028, 6, 30),
    ]


@given(
    first=st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 1, 1)),
    frequency=st.sampled_from([due.MONTHLY, due.QUARTERLY, due.ANNUALLY]),
    cycle=st.sampled_from([due.FROM_LAST, due.FIXED]),
    count=st.integers(min_value=0, max_value=6),
)
def test_doing_the_duty_on_each_date_never_moves_it_back(
    first, frequency, cycle, count
):
    """Discharging each occurrence on its due date moves the next due date forward,
    never back."""
    duty = Duty(frequency, first, cycle=cycle)
    done: list[Done] = []
    previous = due.next_due(duty, done)
    for _ in range(count):
        done.append(Done(previous, due_on=previous))
        following = due.next_due(duty, done)
        assert following > previous
        previous = following


# --- every meeting: the decision log in the minutes (JCG ToR 4) -------------------


def test_each_meeting_duty_is_up_to_date_when_minutes_circulated():
    held = [HeldMeeting(D(2026, 1, 10), D(2026, 1, 17), D(2026, 1, 13))]
    state = due.each_meeting_state(
        held, next_meeting_on=D(2026, 3, 10), today=D(2026, 2, 1)
    )
    assert (state.status, state.due, state.last_done) == (
        due.UP_TO_DATE,
        D(2026, 3, 10),
        D(2026, 1, 13),
    )


def test_each_meeting_duty_overdue_when_minutes_past_deadline():
    held = [HeldMeeting(D(2026, 1, 10), D(2026, 1, 17), None)]
    state = due.each_meeting_state(held, next_meeting_on=None, today=D(2026, 1, 18))
    assert (state.status, state.due, state.missed) == (due.OVERDUE, D(2026, 1, 17), 1)


def test_each_meeting_duty_due_while_minutes_within_deadline():
    held = [HeldMeeting(D(2026, 1, 10), D(2026, 1, 17), None)]
    state = due.each_meeting_state(held, next_meeting_on=None, today=D(2026, 1, 12))
    assert (state.status, state.due) == (due.DUE, D(2026, 1, 17))


# --- terms of reference (Portsmouth PMG: at least every three years) --------------


def test_terms_approved_on_tbc_is_a_gap_even_in_date():
    state = due.terms_state(
        review_due=D(2027, 3, 30),
        reviewed_on=D(2024, 3, 30),
        approved_on=None,
        today=D(2026, 1, 1),
    )
    assert state.status == due.UP_TO_DATE
    assert state.gaps == ("the current version's approval is not recorded",)
    assert state.needs_attention


def test_terms_past_review_are_overdue():
    state = due.terms_state(
        review_due=D(2020, 3, 30),
        reviewed_on=D(2017, 3, 30),
        approved_on=None,
        today=D(2026, 1, 1),
    )
    assert (state.status, state.due, state.last_done) == (
        due.OVERDUE,
        D(2020, 3, 30),
        D(2017, 3, 30),
    )


def test_no_terms_recorded_is_overdue_and_a_gap():
    state = due.terms_state(
        review_due=None, reviewed_on=None, approved_on=None, today=D(2026, 1, 1)
    )
    assert state.status == due.OVERDUE
    assert state.gaps == ("no terms of reference recorded",)


# --- reports received: due until the board's next meeting should have taken them --


@pytest.mark.parametrize(
    "today, status",
    [
        (D(2026, 3, 1), due.DUE),  # 14 days before
        (D(2026, 3, 16), due.DUE),  # after its date, within the meeting interval
        (D(2026, 5, 15), due.DUE),  # the last day of the grace
        (D(2026, 5, 16), due.OVERDUE),
    ],
)
def test_a_report_received_stays_due_for_the_meeting_interval(today, status):
    duty = Duty(due.MONTHLY, D(2026, 3, 15), cycle=due.FIXED, grace_months=2)
    assert due.due_state(duty, [], today).status == status


def test_no_missed_occurrences_within_the_grace():
    duty = Duty(due.MONTHLY, D(2026, 3, 15), cycle=due.FIXED, grace_months=2)
    assert due.due_state(duty, [], D(2026, 5, 1)).missed == 0
