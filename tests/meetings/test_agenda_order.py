"""The order of an agenda (meetings/agenda_order.py; issue 13): apologies,
declarations of interest, minutes of the previous meeting, matters arising and the
action log, the business, any other business last; business keeps the secretary's
order and never moves past a standing item."""

import pytest

from meetings.agenda_order import (
    AOB,
    APOLOGIES,
    BUSINESS,
    DECLARATIONS,
    MATTERS_ARISING,
    PREVIOUS_MINUTES,
    STANDING_ITEMS,
    Slot,
    agenda_order,
    missing_standing,
    moved,
    section_rank,
)

STANDING = [
    Slot(1, APOLOGIES, 0),
    Slot(2, DECLARATIONS, 1),
    Slot(3, PREVIOUS_MINUTES, 2),
    Slot(4, MATTERS_ARISING, 3),
    Slot(5, AOB, 4),
]


@pytest.mark.parametrize(
    "slots, expected",
    [
        # The standing items alone, in their order whatever the orders stored.
        (STANDING, [1, 2, 3, 4, 5]),
        (list(reversed(STANDING)), [1, 2, 3, 4, 5]),
        ([Slot(5, AOB, 0), Slot(1, APOLOGIES, 9)], [1, 5]),
        # An item added later (order after AOB's) goes before AOB.
        (STANDING + [Slot(6, BUSINESS, 5)], [1, 2, 3, 4, 6, 5]),
        # Business keeps the secretary's order; ties by id.
        (
            STANDING + [Slot(7, BUSINESS, 8), Slot(6, BUSINESS, 2)],
            [1, 2, 3, 4, 6, 7, 5],
        ),
        (
            STANDING + [Slot(8, BUSINESS, 3), Slot(6, BUSINESS, 3)],
            [1, 2, 3, 4, 6, 8, 5],
        ),
        # A referred item or a return paper at order 0 still follows the standing
        # items before the business.
        (STANDING + [Slot(9, BUSINESS, 0)], [1, 2, 3, 4, 9, 5]),
        # An agenda of business only (made before standing items existed).
        ([Slot(2, BUSINESS, 1), Slot(1, BUSINESS, 0)], [1, 2]),
        ([], []),
    ],
)
def test_agenda_order(slots, expected):
    assert agenda_order(slots) == expected


@pytest.mark.parametrize(
    "standing, rank",
    [
        (APOLOGIES, 0),
        (DECLARATIONS, 1),
        (PREVIOUS_MINUTES, 2),
        (MATTERS_ARISING, 3),
        (BUSINESS, 4),
        (AOB, 5),
        ("something else", 4),
    ],
)
def test_section_rank(standing, rank):
    assert section_rank(standing) == rank


@pytest.mark.parametrize(
    "present, expected",
    [
        ([], [APOLOGIES, DECLARATIONS, PREVIOUS_MINUTES, MATTERS_ARISING, AOB]),
        ([APOLOGIES, AOB, BUSINESS], [DECLARATIONS, PREVIOUS_MINUTES, MATTERS_ARISING]),
        ([k for k, _ in STANDING_ITEMS], []),
    ],
)
def test_missing_standing(present, expected):
    assert [k for k, _ in missing_standing(present)] == expected


def test_an_extraordinary_meeting_has_no_any_other_business():
    """It takes only the matters its notice named (Portsmouth PMG ToR 4.6)."""
    assert [k for k, _ in missing_standing([], extraordinary=True)] == [
        APOLOGIES,
        DECLARATIONS,
        PREVIOUS_MINUTES,
        MATTERS_ARISING,
    ]
    assert missing_standing([AOB], extraordinary=True) == missing_standing(
        [], extraordinary=True
    )


AGENDA = STANDING + [Slot(6, BUSINESS, 5), Slot(7, BUSINESS, 6)]


@pytest.mark.parametrize(
    "item, up, expected",
    [
        (7, True, [1, 2, 3, 4, 7, 6, 5]),  # business swaps within business
        (6, False, [1, 2, 3, 4, 7, 6, 5]),
        (6, True, [1, 2, 3, 4, 6, 7, 5]),  # not above matters arising
        (7, False, [1, 2, 3, 4, 6, 7, 5]),  # not below any other business
        (5, True, [1, 2, 3, 4, 6, 7, 5]),  # AOB stays last
        (1, False, [1, 2, 3, 4, 6, 7, 5]),  # standing items stay put
        (1, True, [1, 2, 3, 4, 6, 7, 5]),
    ],
)
def test_moved(item, up, expected):
    assert moved(AGENDA, item, up=up) == expected
