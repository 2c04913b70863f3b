"""Who may chair a meeting, and in what capacity (``boards.chairs.chair_capacity``,
SPEC s.1; Leicestershire JCG 7). Pure: no database."""

import pytest

from boards.chairs import ChairChoice, chair_capacity

CASES = [
    # (id, represented, by deputy, chair's seat, alternate's seat, deputising allowed,
    #  capacity or the refusal's rule)
    ("the designated chair in person", True, False, True, False, False, "designated"),
    (
        "an alternate chair in person (PMG 1.1)",
        True,
        False,
        False,
        True,
        False,
        "alternate",
    ),
    (
        "another member, where the terms allow it (JCG 7)",
        True,
        False,
        False,
        False,
        True,
        "deputising",
    ),
    (
        "another member, where they do not",
        True,
        False,
        False,
        False,
        False,
        "chair_not_allowed",
    ),
    (
        "a deputy sitting for the chair, allowed",
        True,
        True,
        True,
        False,
        True,
        "deputising",
    ),
    (
        "a deputy sitting for the chair, not allowed",
        True,
        True,
        True,
        False,
        False,
        "chair_not_allowed",
    ),
    (
        "a deputy for an alternate chair, not allowed",
        True,
        True,
        False,
        True,
        False,
        "chair_not_allowed",
    ),
    (
        "a seat not represented",
        False,
        False,
        True,
        False,
        True,
        "chair_not_represented",
    ),
]


@pytest.mark.parametrize(
    ("represented", "by_deputy", "chair", "alternate", "allowed", "expected"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_chair_capacity(represented, by_deputy, chair, alternate, allowed, expected):
    decision = chair_capacity(
        ChairChoice(
            represented=represented,
            by_deputy=by_deputy,
            is_chair_seat=chair,
            is_alternate_chair_seat=alternate,
        ),
        deputising_allowed=allowed,
    )
    if expected in ("designated", "alternate", "deputising"):
        assert decision.capacity == expected and not decision.refusal
    else:
        assert decision.capacity is None and decision.rule == expected
        assert decision.refusal
