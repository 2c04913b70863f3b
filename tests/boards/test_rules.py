"""Pure rules of the constitution: chairs (SPEC s.1), terms of reference reviews and
compliance gaps. No database."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from boards import chairs, compliance, terms

LA, CCG1, CCG2 = (
    chairs.PartnerRef(1, "local_authority"),
    chairs.PartnerRef(2, "nhs_body"),
    chairs.PartnerRef(3, "nhs_body"),
)


def term(start, *, end=None, partner=None, seat=None, person=1):
    return chairs.Term(person, start, end, seat_id=seat, partner_id=partner)


@pytest.mark.parametrize(
    "arrangement, months, start, today, expected, overdue",
    [
        # IFPG: re-elected at the next meeting after each anniversary.
        (
            "elected",
            None,
            date(2026, 1, 10),
            date(2026, 6, 1),
            date(2027, 1, 10),
            False,
        ),
        ("elected", 12, date(2025, 1, 10), date(2026, 6, 1), date(2026, 1, 10), True),
        # JCG: every six months.
        ("rotation", 6, date(2026, 7, 1), date(2026, 11, 23), date(2027, 1, 1), False),
        # IE: every two years.
        (
            "alternation",
            24,
            date(2025, 6, 1),
            date(2026, 11, 23),
            date(2027, 6, 1),
            False,
        ),
    ],
)
def test_next_chair_change_date(arrangement, months, start, today, expected, overdue):
    """The next election / rotation / alternation falls a term after the current
    term began, and is flagged overdue once that date has passed."""
    change = chairs.next_change(
        arrangement=arrangement,
        term_months=months,
        terms=[term(start, partner=1, seat=10)],
        today=today,
        partners=[LA, CCG1],
        alternate_seat_ids=[10, 11],
    )
    assert change.due_on == expected and change.overdue is overdue


def test_no_next_change_without_a_chair_or_a_term_length():
    """PMG alternate chairs and appointed chairs have no fixed term."""
    assert (
        chairs.next_change(
            arrangement="alternate_chairs",
            term_months=None,
            terms=[term(date(2025, 1, 1))],
            today=date(2026, 1, 1),
        )
        is None
    )
    assert (
        chairs.next_change(
            arrangement="elected", term_months=12, terms=[], today=date(2026, 1, 1)
        )
        is None
    )


def test_jcg_rotation_goes_from_the_council_to_the_ccg_that_chaired_least_recently():
    """JCG 7: rotates between the LA and the CCG(s) every six months."""
    history = [
        term(date(2025, 1, 1), end=date(2025, 6, 30), partner=2),
        term(date(2025, 7, 1), end=date(2025, 12, 31), partner=1),
        term(date(2026, 1, 1), end=date(2026, 6, 30), partner=3),
        term(date(2026, 7, 1), partner=1),
    ]
    change = chairs.next_change(
        arrangement="rotation",
        term_months=6,
        terms=history,
        today=date(2026, 8, 1),
        partners=[LA, CCG1, CCG2],
    )
    assert change.partner_id == 2  # CCG1 chaired longer ago than CCG2


def test_rotation_from_a_ccg_returns_to_the_council():
    """JCG 7: after a CCG, the local authority chairs."""
    history = [term(date(2026, 7, 1), partner=2)]
    assert chairs.next_partner(history[0], history, [LA, CCG1, CCG2]) == 1


def test_ie_alternation_goes_to_the_other_named_seat():
    """IE: alternates between the two named clinical chairs."""
    current = term(date(2025, 6, 1), seat=11)
    assert chairs.next_seat(current, [current], [10, 11]) == 10


def test_term_covering_ignores_ended_and_future_terms():
    terms_ = [
        term(date(2024, 1, 1), end=date(2024, 12, 31), person=1),
        term(date(2025, 1, 1), person=2),
        term(date(2027, 1, 1), person=3),
    ]
    assert chairs.term_covering(terms_, date(2026, 1, 1)).person_id == 2
    assert chairs.term_covering(terms_, date(2023, 1, 1)) is None


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)))
def test_default_review_is_three_years_after_review(reviewed):
    """Portsmouth PMG ToR: review at least every three years."""
    due = terms.default_review_due(
        reviewed_on=reviewed, approved_on=None, today=date(2026, 1, 1)
    )
    assert due.year == reviewed.year + 3 and due > reviewed


@pytest.mark.parametrize(
    "due, state",
    [
        (date(2026, 1, 1), "overdue"),
        (date(2026, 3, 1), "due_soon"),
        (date(2026, 1, 2), "due_soon"),
        (date(2026, 3, 3), "due_soon"),  # exactly 60 days
        (date(2026, 3, 4), "ok"),
    ],
)
def test_review_status(due, state):
    """A review is due soon within 60 days, overdue after its date."""
    assert terms.review_status(due, date(2026, 1, 2)).state == state


def seat(**kw):
    base = dict(
        id=1,
        title="CFO",
        partner="CCG",
        voting=True,
        has_holder=True,
        has_deputy=True,
        deputy_notified=True,
    )
    return compliance.SeatFacts(**{**base, **kw})


def gaps(seats, **kw):
    base = dict(
        terms_review_due=date(2030, 1, 1),
        has_chair=True,
        decision_making=True,
        has_routine_quorum_rule=True,
        today=date(2026, 1, 1),
    )
    return [g.kind for g in compliance.gaps(seats=seats, **{**base, **kw})]


@pytest.mark.parametrize(
    "seat_kw, expected",
    [
        ({}, []),
        ({"has_deputy": False, "deputy_notified": False}, ["no_deputy"]),
        ({"deputy_notified": False}, ["deputy_not_notified"]),
        ({"voting": False, "has_deputy": False}, []),  # only voting seats need one
        ({"has_holder": False}, ["vacant"]),
    ],
)
def test_seat_gaps(seat_kw, expected):
    """Portsmouth PMG ToR 1.1: a voting seat without a deputy is a gap; IFPG: a
    deputy not notified in advance is a gap."""
    assert gaps([seat(**seat_kw)]) == expected


@pytest.mark.parametrize(
    "kw, expected",
    [
        ({"terms_review_due": date(2025, 12, 31)}, ["terms_past_review"]),
        ({"terms_review_due": None}, ["no_terms"]),
        ({"has_chair": False}, ["no_chair"]),
        ({"has_routine_quorum_rule": False}, ["no_quorum_rule"]),
        ({"has_routine_quorum_rule": False, "decision_making": False}, []),
    ],
)
def test_board_gaps(kw, expected):
    """Terms past review, no chair and no quorum rule are gaps."""
    assert gaps([], **kw) == expected


KINDS = st.sampled_from(["local_authority", "nhs_body", "provider"])


@given(
    st.lists(KINDS, min_size=2, max_size=6),
    st.data(),
)
def test_rotation_never_repeats_a_partner_and_prefers_another_kind(kinds, data):
    """JCG 7 property: the next chair comes from another partner, and from another
    kind of partner whenever the board has one."""
    partners = [chairs.PartnerRef(i + 1, k) for i, k in enumerate(kinds)]
    current_partner = data.draw(st.sampled_from(partners))
    current = term(date(2026, 7, 1), partner=current_partner.id)
    chosen = chairs.next_partner(current, [current], partners)
    assert chosen != current_partner.id
    kind_of = {p.id: p.kind for p in partners}
    if any(p.kind != current_partner.kind for p in partners):
        assert kind_of[chosen] != current_partner.kind
