"""The decision outcome engine (SPEC s.4): one case per row of the outcome table and
its edges, plus properties. Pure: no database."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meetings import outcomes as o
from meetings.outcomes import (
    BoardRules,
    MotionCannotBePut,
    MotionFacts,
    QuorumAtVote,
    SeatAtVote,
    decide,
)

# Two partners, two voting seats each (seat ids 11, 12 for partner 1; 21, 22 for 2),
# plus a non-voting seat 13 of partner 1.
P1, P2 = 1, 2
NAMES = {P1: "Portsmouth City Council", P2: "NHS Portsmouth CCG"}
QUORATE = QuorumAtVote(True)
UNANIMOUS = BoardRules()
# The PMG's terms carry the absent-partner rule (4.4) and delegated authority (5.2).
PMG = BoardRules(absent_partner_rule=True, delegated_authority_rule=True)
MAJORITY = BoardRules(decision_rule="majority")
IFPG = BoardRules(escalation="authorised_officers")
CONSENSUS = BoardRules(decision_rule="consensus")
ADVISORY = BoardRules(decision_making=False)
BOTH = frozenset({P1, P2})
ENOUGH = Decimal("1000000")


def seats(absent=(), withdrew=(), limits=None, chair=None):
    """Every voting seat has a limit of £1m unless ``limits`` says otherwise (None:
    no limit recorded)."""
    limits = {11: ENOUGH, 12: ENOUGH, 21: ENOUGH, 22: ENOUGH, **(limits or {})}
    rows = [
        (11, P1, True),
        (12, P1, True),
        (13, P1, False),
        (21, P2, True),
        (22, P2, True),
    ]
    return [
        SeatAtVote(
            seat_id=sid,
            partner_id=pid,
            voting=voting,
            represented=sid not in absent,
            withdrew=sid in withdrew,
            is_chair=sid == chair,
            delegated_authority_limit=limits.get(sid),
            title=f"Seat {sid}",
        )
        for sid, pid, voting in rows
    ]


ALL_FOR = {11: "for", 12: "for", 21: "for", 22: "for"}


def run(
    board=UNANIMOUS,
    quorum=QUORATE,
    motion=None,
    seat_rows=None,
    votes=None,
    positions=None,
):
    return decide(
        board=board,
        quorum=quorum,
        motion=motion or MotionFacts(committed_partner_ids=BOTH),
        seats=seat_rows if seat_rows is not None else seats(),
        votes=ALL_FOR if votes is None else votes,
        positions=positions or {},
        partner_names=NAMES,
    )


CASES = [
    # (id, kwargs, expected outcome, a phrase expected in the reasons)
    ("unanimous all for carries", {}, o.CARRIED, "unanimously"),
    (
        "one against: referred first time (PMG 4.3)",
        {"votes": {**ALL_FOR, 22: "against"}},
        o.REFERRED,
        "first occasion",
    ),
    (
        "an abstention breaks unanimity",
        {"votes": {**ALL_FOR, 12: "abstain"}},
        o.REFERRED,
        "abstention breaks unanimity",
    ),
    (
        "a missing vote breaks unanimity",
        {"votes": {11: "for", 12: "for", 21: "for"}},
        o.REFERRED,
        "did not vote",
    ),
    (
        "second failure, dispute-resolution board (PMG, West Kent)",
        {
            "votes": {**ALL_FOR, 22: "against"},
            "motion": MotionFacts(committed_partner_ids=BOTH, prior_failures=1),
        },
        o.ESCALATED_DISPUTE_RESOLUTION,
        "dispute resolution",
    ),
    (
        "second failure, IFPG goes to authorised officers",
        {
            "board": IFPG,
            "votes": {**ALL_FOR, 22: "against"},
            "motion": MotionFacts(committed_partner_ids=BOTH, prior_failures=1),
        },
        o.ESCALATED_AUTHORISED_OFFICERS,
        "authorised officers",
    ),
    (
        "third failure on the IFPG path goes to dispute resolution",
        {
            "board": IFPG,
            "votes": {**ALL_FOR, 22: "against"},
            "motion": MotionFacts(committed_partner_ids=BOTH, prior_failures=2),
        },
        o.ESCALATED_DISPUTE_RESOLUTION,
        "following escalation",
    ),
    (
        "inquorate at the moment of the vote",
        {"quorum": QuorumAtVote(False, ("no voting representative of NHS present",))},
        o.INQUORATE,
        "no voting representative of NHS present",
    ),
    (
        "delegated authority exceeded (Portsmouth 5.2)",
        {
            "board": PMG,
            "seat_rows": seats(limits={21: Decimal("100000")}),
            "motion": MotionFacts(
                committed_partner_ids=BOTH, financial_value=Decimal("250000")
            ),
        },
        o.DEFERRED_DELEGATED_AUTHORITY,
        "5.2",
    ),
    (
        "delegated authority exactly at the limit is enough",
        {
            "board": PMG,
            "seat_rows": seats(limits={21: Decimal("250000")}),
            "motion": MotionFacts(
                committed_partner_ids=BOTH, financial_value=Decimal("250000")
            ),
        },
        o.CARRIED,
        "unanimously",
    ),
    (
        "a voting seat with no limit recorded has no authority (SPEC s.4)",
        {
            "board": PMG,
            "seat_rows": seats(limits={21: None}),
            "motion": MotionFacts(
                committed_partner_ids=BOTH, financial_value=Decimal("1")
            ),
        },
        o.DEFERRED_DELEGATED_AUTHORITY,
        "no delegated authority recorded",
    ),
    (
        "no limit recorded does not matter for a motion without a value",
        {"board": PMG, "seat_rows": seats(limits={21: None})},
        o.CARRIED,
        "unanimously",
    ),
    (
        "delegated authority not checked where the terms do not state it",
        {
            "seat_rows": seats(limits={21: Decimal("1"), 22: None}),
            "motion": MotionFacts(
                committed_partner_ids=BOTH, financial_value=Decimal("250000")
            ),
        },
        o.CARRIED,
        "unanimously",
    ),
    (
        "limit of an uncommitted partner's seat does not matter",
        {
            "board": PMG,
            "seat_rows": seats(limits={21: Decimal("1")}),
            "motion": MotionFacts(
                committed_partner_ids=frozenset({P1}), financial_value=Decimal("5")
            ),
        },
        o.CARRIED,
        "unanimously",
    ),
    (
        "absent committed partner without a written position (PMG 4.4)",
        {
            "board": PMG,
            "seat_rows": seats(absent={21, 22}),
            "votes": {11: "for", 12: "for"},
        },
        o.DEFERRED_ABSENT_PARTNER,
        "NHS Portsmouth CCG is not represented",
    ),
    (
        "absent partner not applied where the terms do not state it (IE)",
        {"seat_rows": seats(absent={21, 22}), "votes": {11: "for", 12: "for"}},
        o.CARRIED,
        "all 2 for",
    ),
    (
        "the board's own clause is cited (West Kent 3.4)",
        {
            "board": BoardRules(
                absent_partner_rule=True,
                citations={"absent_partner_rule": "West Kent annex 3.4"},
            ),
            "seat_rows": seats(absent={21, 22}),
            "votes": {11: "for", 12: "for"},
        },
        o.DEFERRED_ABSENT_PARTNER,
        "(West Kent annex 3.4)",
    ),
    (
        "absent committed partner whose written position supports: carried",
        {
            "board": PMG,
            "seat_rows": seats(absent={21, 22}),
            "votes": {11: "for", 12: "for"},
            "positions": {P2: "support"},
        },
        o.CARRIED,
        "written position (support)",
    ),
    (
        "absent committed partner whose written position opposes: referred",
        {
            "board": PMG,
            "seat_rows": seats(absent={21, 22}),
            "votes": {11: "for", 12: "for"},
            "positions": {P2: "oppose"},
        },
        o.REFERRED,
        "written position (oppose)",
    ),
    (
        "absent committed partner whose written position abstains: referred",
        {
            "board": PMG,
            "seat_rows": seats(absent={21, 22}),
            "votes": {11: "for", 12: "for"},
            "positions": {P2: "abstain"},
        },
        o.REFERRED,
        "abstention breaks unanimity",
    ),
    (
        "absent partner not committed by the motion does not defer",
        {
            "board": PMG,
            "seat_rows": seats(absent={21, 22}),
            "votes": {11: "for", 12: "for"},
            "motion": MotionFacts(committed_partner_ids=frozenset({P1})),
        },
        o.CARRIED,
        "all 2 for",
    ),
    (
        "a partner whose only representatives withdrew for an interest is absent",
        {
            "board": PMG,
            "seat_rows": seats(withdrew={21, 22}),
            "votes": {11: "for", 12: "for"},
        },
        o.DEFERRED_ABSENT_PARTNER,
        "not represented",
    ),
    (
        "a withdrawn member's vote is ignored and they leave the electorate",
        {"seat_rows": seats(withdrew={22}), "votes": {**ALL_FOR, 22: "against"}},
        o.CARRIED,
        "all 3 for",
    ),
    (
        "a non-voting seat's vote is ignored",
        {"votes": {**ALL_FOR, 13: "against"}},
        o.CARRIED,
        "all 4 for",
    ),
    (
        "an absent seat's vote is ignored; unanimity among seats represented",
        {"seat_rows": seats(absent={12}), "votes": {**ALL_FOR, 12: "against"}},
        o.CARRIED,
        "all 3 for",
    ),
    (
        "unanimous board: the chair has no casting vote",
        {
            "seat_rows": seats(chair=11),
            "votes": {11: "for", 12: "for", 21: "against", 22: "against"},
        },
        o.REFERRED,
        "no casting vote",
    ),
    (
        "majority board: more than half for carries",
        {"board": MAJORITY, "votes": {**ALL_FOR, 22: "against"}},
        o.CARRIED,
        "3 of 4 for",
    ),
    (
        "majority board: exactly half, no casting vote -> referred",
        {
            "board": MAJORITY,
            "seat_rows": seats(chair=11),
            "votes": {11: "for", 12: "for", 21: "against", 22: "against"},
        },
        o.REFERRED,
        "no majority",
    ),
    (
        "majority board with casting vote: chair for breaks the tie",
        {
            "board": BoardRules(decision_rule="majority", chair_casting_vote=True),
            "seat_rows": seats(chair=11),
            "votes": {11: "for", 12: "for", 21: "against", 22: "against"},
        },
        o.CARRIED,
        "casting vote",
    ),
    (
        "majority board with casting vote: chair against -> not carried",
        {
            "board": BoardRules(decision_rule="majority", chair_casting_vote=True),
            "seat_rows": seats(chair=21),
            "votes": {11: "for", 12: "for", 21: "against", 22: "against"},
        },
        o.REFERRED,
        "no majority",
    ),
    (
        "consensus board: carried when nobody present objects",
        {"board": CONSENSUS},
        o.CARRIED,
        "agreed by consensus",
    ),
    (
        "consensus board: an abstention does not block",
        {"board": CONSENSUS, "votes": {**ALL_FOR, 12: "abstain"}},
        o.CARRIED,
        "does not block",
    ),
    (
        "consensus board: silence does not block",
        {"board": CONSENSUS, "votes": {11: "for"}},
        o.CARRIED,
        "no member present objected",
    ),
    (
        "consensus board: one objection and it is referred",
        {"board": CONSENSUS, "votes": {**ALL_FOR, 21: "against"}},
        o.REFERRED,
        "no consensus",
    ),
    (
        "consensus board never escalates under a dispute procedure",
        {
            "board": BoardRules(
                decision_rule="consensus", escalation="authorised_officers"
            ),
            "votes": {**ALL_FOR, 21: "against"},
            "motion": MotionFacts(committed_partner_ids=BOTH, prior_failures=3),
        },
        o.REFERRED,
        "never escalated",
    ),
    (
        "advisory board: every member present takes part, voting flag or not",
        {"board": ADVISORY, "votes": {**ALL_FOR, 13: "against"}},
        o.REFERRED,
        "objected",
    ),
    (
        "advisory board: non-voting members agree a recommendation",
        {
            "board": ADVISORY,
            "seat_rows": [
                SeatAtVote(seat_id=sid, partner_id=P1, voting=False, represented=True)
                for sid in (31, 32, 33)
            ],
            "votes": {},
        },
        o.CARRIED,
        "recommended",
    ),
    (
        "advisory board: recorded as a recommendation",
        {"board": ADVISORY, "votes": {**ALL_FOR, 22: "against"}},
        o.REFERRED,
        "recommendation",
    ),
    (
        "advisory board: agreed recommendation",
        {"board": ADVISORY},
        o.CARRIED,
        "recommended",
    ),
    (
        "advisory board never escalates nor defers",
        {
            "board": ADVISORY,
            "seat_rows": seats(absent={21, 22}, limits={11: Decimal("1")}),
            "votes": {11: "against", 12: "for"},
            "motion": MotionFacts(
                committed_partner_ids=BOTH,
                prior_failures=3,
                financial_value=Decimal("10"),
            ),
        },
        o.REFERRED,
        "not recommended",
    ),
    (
        "advisory board inquorate",
        {"board": ADVISORY, "quorum": QuorumAtVote(False, ("6 members",))},
        o.INQUORATE,
        "6 members",
    ),
    (
        "nobody represented to vote",
        {
            "board": PMG,
            "seat_rows": seats(absent={11, 12, 13, 21, 22}),
            "votes": {},
            "positions": {P1: "support", P2: "support"},
        },
        o.CARRIED,
        "written position",
    ),
    (
        "inquorate wins over every other check",
        {
            "quorum": QuorumAtVote(False, ("x",)),
            "seat_rows": seats(absent={21, 22}),
            "motion": MotionFacts(
                committed_partner_ids=BOTH,
                consultation_required=True,
                financial_value=Decimal("1"),
            ),
        },
        o.INQUORATE,
        "inquorate",
    ),
    (
        "delegated authority is checked before the absent partner",
        {
            "board": PMG,
            "seat_rows": seats(absent={21, 22}, limits={11: Decimal("1")}),
            "motion": MotionFacts(
                committed_partner_ids=BOTH, financial_value=Decimal("2")
            ),
        },
        o.DEFERRED_DELEGATED_AUTHORITY,
        "£1.00",
    ),
    (
        "consultation recorded: the motion is decided normally",
        {
            "motion": MotionFacts(
                committed_partner_ids=BOTH,
                consultation_required=True,
                consultation_recorded=True,
            )
        },
        o.CARRIED,
        "unanimously",
    ),
]


@pytest.mark.parametrize(
    ("kwargs", "expected", "phrase"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_outcome_table(kwargs, expected, phrase):
    """Each row of the SPEC s.4 outcome table gives its outcome, with the reason in
    words."""
    result = run(**kwargs)
    assert result.outcome == expected
    assert result.outcome in o.OUTCOMES
    assert any(phrase in reason for reason in result.reasons), result.reasons


def test_advisory_outcomes_are_flagged_as_recommendations():
    """Advisory boards record recommendations, not decisions (SPEC s.4)."""
    assert run(board=ADVISORY).recommendation is True
    assert run().recommendation is False


def test_consultation_missing_cannot_be_put():
    """Prior consultation (IFPG): the motion cannot be put until the consultation
    with the Integration Executive is recorded."""
    with pytest.raises(MotionCannotBePut) as err:
        run(
            motion=MotionFacts(
                committed_partner_ids=BOTH,
                consultation_required=True,
                consult_board_name="Integration Executive",
            )
        )
    assert err.value.rule == "prior_consultation"
    assert "Integration Executive" in err.value.reason


def test_tally_counts_positions_as_ballots():
    """A written position stands in for an absent partner's vote in the tally."""
    result = run(
        board=PMG,
        seat_rows=seats(absent={21, 22}),
        votes={11: "for", 12: "abstain"},
        positions={P2: "support"},
    )
    assert result.tally.as_dict() == {
        "for": 2,
        "against": 0,
        "abstain": 1,
        "not_voted": 0,
        "electorate": 3,
    }


@pytest.mark.parametrize(
    ("chain", "expected"),
    [
        ([], 0),
        (["referred"], 1),
        (["deferred_absent_partner", "referred"], 1),
        (["inquorate", "deferred_delegated_authority"], 0),
        (["referred", "escalated_authorised_officers"], 2),
    ],
)
def test_prior_failures_count_only_unanimity_failures(chain, expected):
    """Deferrals and inquorate meetings do not count as occasions the matter failed
    to reach unanimity."""
    assert o.prior_failures(chain) == expected


choices = st.sampled_from(["for", "against", "abstain", None])
vote_maps = st.fixed_dictionaries(
    {11: choices, 12: choices, 21: choices, 22: choices}
).map(lambda d: {k: v for k, v in d.items() if v is not None})
boards = st.sampled_from([UNANIMOUS, PMG, MAJORITY, IFPG, CONSENSUS, ADVISORY])


@given(votes=vote_maps, board=boards, seat=st.sampled_from([11, 12, 21, 22]))
def test_property_adding_against_never_carries(votes, board, seat):
    """Turning any seat's vote into ``against`` never turns a motion that was not
    carried into a carried one."""
    before = run(board=board, votes=votes)
    after = run(board=board, votes={**votes, seat: "against"})
    if before.outcome != o.CARRIED:
        assert after.outcome != o.CARRIED


@given(votes=vote_maps, board=boards, failures=st.integers(0, 5))
def test_property_outcome_always_in_closed_set(votes, board, failures):
    """Whatever the votes, the outcome is one of the closed set with a reason."""
    result = run(
        board=board,
        votes=votes,
        motion=MotionFacts(committed_partner_ids=BOTH, prior_failures=failures),
    )
    assert result.outcome in o.OUTCOMES
    assert result.reasons


@given(votes=vote_maps)
def test_property_unanimous_carries_iff_everyone_for(votes):
    """A unanimous board carries exactly when every represented voting seat voted
    for."""
    result = run(votes=votes)
    assert (result.outcome == o.CARRIED) == (votes == ALL_FOR)


SCOPE_CASES = [
    # (id, scope, kind, value, within risk share, refused?, phrase)
    ("not limited", o.Scope(), "other", None, False, False, ""),
    (
        "West Kent 4.1: a scheme contract is within scope",
        o.Scope(kinds=frozenset({"scheme_contract"}), citation="West Kent annex 4.1"),
        "scheme_contract",
        Decimal("94000"),
        False,
        False,
        "",
    ),
    (
        "West Kent 4.1: a redistribution is outside it",
        o.Scope(kinds=frozenset({"scheme_contract"}), citation="West Kent annex 4.1"),
        "redistribution",
        Decimal("94000"),
        False,
        True,
        "(West Kent annex 4.1)",
    ),
    (
        "IFPG: a commitment not recorded as within the risk sharing is refused",
        o.Scope(risk_share_only=True),
        "commitment",
        Decimal("1"),
        False,
        True,
        "risk-sharing",
    ),
    (
        "IFPG: a commitment within the risk sharing is allowed",
        o.Scope(risk_share_only=True),
        "commitment",
        Decimal("1"),
        True,
        False,
        "",
    ),
    (
        "IFPG: a motion with no money is not a commitment",
        o.Scope(risk_share_only=True),
        "plan",
        None,
        False,
        False,
        "",
    ),
]


@pytest.mark.parametrize(
    ("scope", "kind", "value", "within", "refused", "phrase"),
    [c[1:] for c in SCOPE_CASES],
    ids=[c[0] for c in SCOPE_CASES],
)
def test_scope_of_what_a_board_may_decide(scope, kind, value, within, refused, phrase):
    """What a board may decide at all is part of its constitution, checked when the
    motion is put (SPEC s.4)."""
    refusal = o.scope_refusal(
        scope, decision_kind=kind, financial_value=value, within_risk_share=within
    )
    assert (refusal is not None) == refused
    if refused:
        assert phrase in refusal


def test_a_new_board_applies_neither_optional_rule():
    """Rules are applied only where the terms state them: a board's rules start
    without the absent-partner and delegated-authority rules."""
    rules = BoardRules()
    assert not rules.absent_partner_rule and not rules.delegated_authority_rule
