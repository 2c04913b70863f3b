"""The quorum engine, one block per row of SPEC s.3, quorate and inquorate, plus
properties (hypothesis)."""

from hypothesis import given
from hypothesis import strategies as st

from boards.quorum import (
    PartnerData,
    QuorumRuleData,
    SeatPresence,
    describe,
    evaluate,
)

COUNCIL = PartnerData(1, "Portsmouth City Council", "local_authority")
CCG = PartnerData(2, "NHS Portsmouth CCG", "nhs_body")
PROVIDER = PartnerData(3, "Leicestershire Partnership NHS Trust", "provider")
CCG2 = PartnerData(4, "NHS West Leicestershire CCG", "nhs_body")


def seat(n, partner, voting=True, cats=(), here=True, chair=False, deputy=False):
    return SeatPresence(
        seat_id=n,
        partner_id=partner.id,
        voting=voting,
        categories=frozenset(cats),
        is_chair=chair,
        represented=here,
        by_deputy=deputy,
    )


# --- Portsmouth PMG 4.2: at least one voting representative of each partner ------
PMG = QuorumRuleData(min_voting_per_partner=1)


def test_pmg_quorate_with_one_voting_representative_of_each_partner():
    result = evaluate(PMG, [COUNCIL, CCG], [seat(1, COUNCIL), seat(2, CCG)])
    assert result.quorate and result.unmet == ()


def test_pmg_a_notified_deputy_counts():
    result = evaluate(
        PMG, [COUNCIL, CCG], [seat(1, COUNCIL), seat(2, CCG, deputy=True)]
    )
    assert result.quorate


def test_pmg_inquorate_names_the_partner_without_a_voting_representative():
    result = evaluate(
        PMG,
        [COUNCIL, CCG],
        [seat(1, COUNCIL), seat(2, CCG, voting=False), seat(3, CCG, here=False)],
    )
    assert not result.quorate
    assert result.unmet == ("no voting representative of NHS Portsmouth CCG present",)


# --- West Kent Section 75 Group 3.2: at least two representatives of each partner
WEST_KENT = QuorumRuleData(min_any_per_partner=2)


def test_west_kent_quorate_with_two_of_each():
    seats = [
        seat(1, COUNCIL),
        seat(2, COUNCIL, voting=False),
        seat(3, CCG),
        seat(4, CCG),
    ]
    assert evaluate(WEST_KENT, [COUNCIL, CCG], seats).quorate


def test_west_kent_inquorate_with_one_council_representative():
    seats = [seat(1, COUNCIL), seat(2, COUNCIL, here=False), seat(3, CCG), seat(4, CCG)]
    result = evaluate(WEST_KENT, [COUNCIL, CCG], seats)
    assert result.unmet == (
        "only 1 representative of Portsmouth City Council present (2 needed)",
    )


# --- Leicestershire IFPG: one representative of each partner ----------------------
IFPG = QuorumRuleData(min_any_per_partner=1)


def test_ifpg_quorate_with_one_of_each_partner_voting_or_not():
    seats = [seat(1, COUNCIL, voting=False), seat(2, CCG), seat(3, CCG2)]
    assert evaluate(IFPG, [COUNCIL, CCG, CCG2], seats).quorate


def test_ifpg_inquorate_lists_every_missing_partner():
    seats = [seat(1, COUNCIL), seat(2, CCG, here=False), seat(3, CCG2, here=False)]
    result = evaluate(IFPG, [COUNCIL, CCG, CCG2], seats)
    assert result.unmet == (
        "no representative of NHS Portsmouth CCG present",
        "no representative of NHS West Leicestershire CCG present",
    )


# --- Leicestershire IE: 6 present incl. 1 clinical, 1 County Council, 1 provider ---
IE_ROUTINE = QuorumRuleData(
    business_type="routine",
    min_present=6,
    category_minimums={"clinical": 1},
    partner_kind_minimums={"local_authority": 1, "provider": 1},
)
IE_JOINT = QuorumRuleData(
    business_type="joint_commissioning",
    min_present=6,
    category_minimums={"clinical": 1},
    partner_kind_minimums={"local_authority": 1, "nhs_body": 1},
)
IE_PARTNERS = [COUNCIL, CCG, PROVIDER]


def ie_seats(council=2, ccg=2, provider=2, clinical=True):
    seats, n = [], 0
    for partner, count in ((COUNCIL, council), (CCG, ccg), (PROVIDER, provider)):
        for _ in range(count):
            n += 1
            seats.append(
                seat(n, partner, cats=("clinical",) if clinical and n == 3 else ())
            )
    return seats


def test_ie_routine_quorate_with_six_including_clinical_council_and_provider():
    assert evaluate(IE_ROUTINE, IE_PARTNERS, ie_seats()).quorate


def test_ie_routine_inquorate_without_a_provider_and_with_five():
    result = evaluate(IE_ROUTINE, IE_PARTNERS, ie_seats(council=3, ccg=2, provider=0))
    assert not result.quorate
    assert result.unmet == (
        "6 members must be present; 5 are",
        "at least 1 member from a provider must be present; 0 are",
    )


def test_ie_routine_inquorate_without_a_clinical_member():
    result = evaluate(IE_ROUTINE, IE_PARTNERS, ie_seats(clinical=False))
    assert result.unmet == ("at least 1 clinical member must be present; 0 are",)


def test_ie_joint_commissioning_needs_a_ccg_not_a_provider():
    no_provider = ie_seats(council=3, ccg=3, provider=0)
    assert evaluate(IE_JOINT, IE_PARTNERS, no_provider).quorate
    no_ccg = ie_seats(council=3, ccg=0, provider=3)
    result = evaluate(IE_JOINT, IE_PARTNERS, no_ccg)
    assert result.unmet == (
        "at least 1 member from an NHS body must be present; 0 are",
    ) or (result.unmet == ("at least 1 member from a NHS body must be present; 0 are",))


# --- JCG 9: the chair, a commissioning lead and a finance rep from each organisation
JCG = QuorumRuleData(
    per_partner_category_minimums={"commissioning_lead": 1, "finance": 1},
    chair_required=True,
)


def jcg_seats(chair_here=True, chair_by_deputy=False, ccg_finance=True):
    return [
        seat(
            1,
            COUNCIL,
            cats=("commissioning_lead",),
            chair=True,
            here=chair_here,
            deputy=chair_by_deputy,
        ),
        seat(2, COUNCIL, cats=("finance",)),
        seat(3, COUNCIL, cats=("commissioning_lead",)),
        seat(4, CCG, cats=("commissioning_lead",)),
        seat(5, CCG, cats=("finance",), here=ccg_finance),
    ]


def test_jcg_quorate_with_chair_and_lead_and_finance_from_each():
    assert evaluate(JCG, [COUNCIL, CCG], jcg_seats()).quorate


def test_jcg_inquorate_without_the_chair_and_ccg_finance():
    result = evaluate(
        JCG, [COUNCIL, CCG], jcg_seats(chair_here=False, ccg_finance=False)
    )
    assert result.unmet == (
        "no finance representative of NHS Portsmouth CCG present",
        "the chair must be present",
    )


def test_jcg_a_deputy_in_the_chairs_seat_is_not_the_chair():
    """With nobody recorded as chairing, the designated chair in person."""
    result = evaluate(JCG, [COUNCIL, CCG], jcg_seats(chair_by_deputy=True))
    assert result.unmet == ("the chair must be present",)


def _chairing(seats, chair_seat_id):
    """The seats with whoever chairs the meeting recorded (``chairing``)."""
    from dataclasses import replace

    return [replace(s, chairing=s.seat_id == chair_seat_id) for s in seats]


def test_jcg_a_deputising_chair_meets_chair_required():
    """JCG 7 and 9: with the designated chair absent, a deputising chair from either
    organisation is "the Chair" of the quorum."""
    seats = _chairing(jcg_seats(chair_here=False), chair_seat_id=4)
    assert evaluate(JCG, [COUNCIL, CCG], seats).quorate


def test_jcg_whoever_chairs_must_be_present():
    """The seat recorded as chairing counts only while it is represented."""
    seats = _chairing(jcg_seats(chair_here=False), chair_seat_id=1)
    assert evaluate(JCG, [COUNCIL, CCG], seats).unmet == ("the chair must be present",)


def test_a_deputy_recorded_as_chairing_meets_chair_required():
    """A deputy sitting for the chair's seat, recorded as chairing (deputising),
    is the chair of the meeting."""
    seats = _chairing(jcg_seats(chair_by_deputy=True), chair_seat_id=1)
    assert evaluate(JCG, [COUNCIL, CCG], seats).quorate


def test_min_present_counts_non_voting_seats():
    rule = QuorumRuleData(min_present=2)
    assert evaluate(
        rule, [COUNCIL], [seat(1, COUNCIL), seat(2, COUNCIL, voting=False)]
    ).quorate


def test_describe_puts_each_rule_in_words():
    assert describe(PMG) == [
        "At least 1 voting representative from each partner (a notified deputy counts)."
    ]
    assert "The chair present." in describe(JCG)
    assert describe(QuorumRuleData()) == ["No quorum conditions."]


# --- properties -------------------------------------------------------------------
partners_st = st.just([COUNCIL, CCG, PROVIDER])
seat_st = st.builds(
    SeatPresence,
    seat_id=st.integers(1, 10_000),
    partner_id=st.sampled_from([1, 2, 3]),
    voting=st.booleans(),
    categories=st.frozensets(
        st.sampled_from(["clinical", "finance", "commissioning_lead"])
    ),
    is_chair=st.booleans(),
    represented=st.booleans(),
    by_deputy=st.booleans(),
)
rule_st = st.builds(
    QuorumRuleData,
    min_present=st.integers(0, 8),
    min_voting_per_partner=st.integers(0, 2),
    min_any_per_partner=st.integers(0, 3),
    category_minimums=st.dictionaries(
        st.sampled_from(["clinical", "finance"]), st.integers(0, 2)
    ),
    per_partner_category_minimums=st.dictionaries(
        st.sampled_from(["commissioning_lead", "finance"]), st.integers(0, 2)
    ),
    partner_kind_minimums=st.dictionaries(
        st.sampled_from(["local_authority", "provider", "nhs_body"]), st.integers(0, 2)
    ),
    chair_required=st.booleans(),
)


@given(rule=rule_st, seats=st.lists(seat_st, max_size=12), extra=seat_st)
def test_adding_a_present_member_never_makes_a_quorate_meeting_inquorate(
    rule, seats, extra
):
    partners = [COUNCIL, CCG, PROVIDER]
    before = evaluate(rule, partners, seats)
    after = evaluate(
        rule,
        partners,
        [*seats, SeatPresence(**{**extra.__dict__, "represented": True})],
    )
    if before.quorate:
        assert after.quorate
    assert len(after.unmet) <= len(before.unmet)


@given(rule=rule_st, seats=st.lists(seat_st, max_size=12))
def test_quorate_exactly_when_nothing_is_unmet(rule, seats):
    result = evaluate(rule, [COUNCIL, CCG, PROVIDER], seats)
    assert result.quorate == (result.unmet == ())
    assert result.present == sum(1 for s in seats if s.represented)
