"""Dates in the demo files (demo/when.py), relative to the day of loading."""

import datetime

import pytest

from demo.when import BadExpression, Clock, date_of, moment_of

LONDON = datetime.timezone(datetime.timedelta(hours=1))  # BST, for the table below
# A Thursday in June; Friday 29 August 2025 is before the Monday bank holiday.
CLOCK = Clock(
    today=datetime.date(2025, 6, 12),
    start=datetime.datetime(2025, 6, 12, 14, 0, tzinfo=datetime.UTC),
)


@pytest.mark.parametrize(
    "expression, expected",
    [
        ("today", datetime.date(2025, 6, 12)),
        ("today -30d", datetime.date(2025, 5, 13)),
        ("today +45d", datetime.date(2025, 7, 27)),
        ("month", datetime.date(2025, 6, 1)),
        ("month -4m +9d", datetime.date(2025, 2, 10)),
        ("half", datetime.date(2025, 1, 1)),
        ("half -6m", datetime.date(2024, 7, 1)),
        ("half -1d", datetime.date(2024, 12, 31)),
        ("today -1y", datetime.date(2024, 6, 12)),
        # 14 June 2025 is a Saturday: the next working day is Monday 16th.
        ("today +2d workday", datetime.date(2025, 6, 16)),
        # Bank holiday Monday 25 August 2025 is not a working day.
        ("2025-08-23 workday", datetime.date(2025, 8, 26)),
        (datetime.date(2018, 7, 1), datetime.date(2018, 7, 1)),
    ],
)
def test_dates(expression, expected):
    assert date_of(expression, CLOCK) == expected


@pytest.mark.parametrize(
    "expression, expected",
    [
        ("today 14:00", datetime.datetime(2025, 6, 12, 13, 0, tzinfo=datetime.UTC)),
        ("start +1h", datetime.datetime(2025, 6, 12, 15, 0, tzinfo=datetime.UTC)),
        ("start -10d", datetime.datetime(2025, 6, 2, 14, 0, tzinfo=datetime.UTC)),
        ("start +90min", datetime.datetime(2025, 6, 12, 15, 30, tzinfo=datetime.UTC)),
        # Winter: 14:00 in London is 14:00 UTC.
        (
            "2025-12-01 14:00",
            datetime.datetime(2025, 12, 1, 14, 0, tzinfo=datetime.UTC),
        ),
    ],
)
def test_moments(expression, expected):
    assert moment_of(expression, CLOCK) == expected


@pytest.mark.parametrize(
    "expression", ["yesterday", "today +3w", "today 25:00x", "", "today +1h"]
)
def test_an_expression_that_cannot_be_read_is_an_error(expression):
    with pytest.raises(BadExpression):
        date_of(expression, CLOCK)


def test_a_moment_needs_a_time_of_day():
    with pytest.raises(BadExpression, match="no time of day"):
        moment_of("today -60d", CLOCK)


@pytest.mark.parametrize(
    "expression, expected",
    [
        # Thursday 12 June 2025: "thu" stays, "tue" moves to the next Tuesday.
        ("today thu", datetime.date(2025, 6, 12)),
        ("today tue", datetime.date(2025, 6, 17)),
        ("today +1d mon", datetime.date(2025, 6, 16)),
        # Monday 25 August 2025 is a bank holiday: the board meets on the Tuesday.
        ("2025-08-20 mon workday", datetime.date(2025, 8, 26)),
    ],
)
def test_weekdays(expression, expected):
    assert date_of(expression, CLOCK) == expected
