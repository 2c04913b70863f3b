"""Working days, clear days and England bank holidays (governance/calendar.py)."""

from datetime import date

import pytest

from governance import calendar


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2026, 12, 25), False),  # Christmas Day (Friday)
        (date(2026, 12, 28), False),  # Boxing Day substitute (Monday)
        (date(2026, 12, 29), True),
        (date(2026, 4, 3), False),  # Good Friday 2026
        (date(2026, 4, 6), False),  # Easter Monday 2026
        (date(2026, 4, 7), True),
        (date(2026, 11, 21), False),  # Saturday
        (date(2026, 11, 23), True),  # Monday
        (date(2026, 8, 31), False),  # Summer bank holiday (England)
        (date(2026, 8, 3), True),  # Scotland's summer holiday is not England's
    ],
)
def test_working_days_exclude_weekends_and_england_bank_holidays(day, expected):
    assert calendar.is_working_day(day) is expected


def test_clear_days_exclude_the_day_of_notice_and_the_day_of_meeting():
    # Notice Monday 23 Nov 2026, meeting Friday 27: Tue, Wed, Thu are clear.
    assert calendar.clear_days(date(2026, 11, 23), date(2026, 11, 27)) == 3
    assert calendar.clear_days(date(2026, 11, 23), date(2026, 11, 26)) == 2


def test_clear_days_skip_weekends_unless_the_board_counts_calendar_days():
    # Notice Thursday 26 Nov, meeting Tuesday 1 Dec: Fri + Mon working; 4 calendar.
    assert calendar.clear_days(date(2026, 11, 26), date(2026, 12, 1)) == 2
    assert (
        calendar.clear_days(
            date(2026, 11, 26), date(2026, 12, 1), working_days_only=False
        )
        == 4
    )


def test_earliest_extraordinary_meeting_over_christmas():
    """Three clear working days' notice given on Wed 23 Dec 2026: 24 Dec, 29 Dec and
    30 Dec are clear (25, 28 bank holidays; weekend), so the earliest date is 31 Dec."""
    assert calendar.earliest_meeting_date(date(2026, 12, 23), 3) == date(2026, 12, 31)
    earliest = calendar.earliest_meeting_date(date(2026, 12, 23), 3)
    assert calendar.clear_days(date(2026, 12, 23), earliest) == 3
    assert (
        calendar.clear_days(
            date(2026, 12, 23), earliest - (earliest - date(2026, 12, 30))
        )
        < 3
    )


def test_earliest_meeting_over_easter_counting_calendar_days():
    assert calendar.earliest_meeting_date(
        date(2026, 4, 2), 3, working_days_only=False
    ) == date(2026, 4, 6)


def test_papers_deadline_is_four_working_days_before_over_easter():
    # Meeting Thu 9 Apr 2026; working days back: 8, 7, (6 Easter Mon, 3 Good Fri
    # skipped), 2, 1 April -> papers by Wed 1 April.
    assert calendar.papers_deadline(date(2026, 4, 9), 4) == date(2026, 4, 1)


def test_add_working_days_forward_over_new_year():
    assert calendar.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_working_days_between():
    assert calendar.working_days_between(date(2026, 11, 20), date(2026, 11, 27)) == 5


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 11, 15), 2, date(2027, 1, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
    ],
)
def test_add_months_clamps_to_month_end(day, months, expected):
    assert calendar.add_months(day, months) == expected
