"""The register of interests: current entries and the yearly review
(meetings/interests.py)."""

from datetime import date

import pytest

from meetings import interests
from meetings.interests import Entry

D = date


@pytest.mark.parametrize(
    "entry, on, current",
    [
        (Entry(1, D(2026, 1, 1)), D(2026, 1, 1), True),
        (Entry(1, D(2026, 1, 1)), D(2025, 12, 31), False),
        (Entry(1, D(2026, 1, 1), D(2026, 3, 1)), D(2026, 3, 1), True),
        (Entry(1, D(2026, 1, 1), D(2026, 3, 1)), D(2026, 3, 2), False),
    ],
)
def test_is_current(entry, on, current):
    assert interests.is_current(entry, on) is current


@pytest.mark.parametrize(
    "entries, reviewed, today, status, due",
    [
        ([], None, D(2026, 1, 1), "nothing_registered", None),
        ([Entry(1, D(2025, 3, 1))], None, D(2026, 1, 1), "up_to_date", D(2026, 3, 1)),
        ([Entry(1, D(2025, 3, 1))], None, D(2026, 2, 1), "due", D(2026, 3, 1)),
        ([Entry(1, D(2025, 3, 1))], None, D(2026, 3, 2), "overdue", D(2026, 3, 1)),
        (
            [Entry(1, D(2025, 3, 1))],
            D(2026, 2, 1),
            D(2026, 3, 2),
            "up_to_date",
            D(2027, 2, 1),
        ),
        ([], D(2025, 1, 10), D(2026, 1, 11), "overdue", D(2026, 1, 10)),
    ],
)
def test_review_state(entries, reviewed, today, status, due):
    state = interests.review_state(entries, reviewed, today)
    assert (state.status, state.due) == (status, due)
