"""The eligibility engine (meetings/eligibility.py): who represents each seat at a
moment and who may vote for it. Pure: tables of cases, no database."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meetings.eligibility import (
    AttendanceData,
    BoardData,
    SeatData,
    Voter,
    may_vote_now,
    presence,
    standing,
    standings,
    vote_refusal,
)

T = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # the moment asked about
EARLY, LATE = T - timedelta(hours=1), T + timedelta(hours=1)
HOLDER, DEPUTY, OTHER, SECRETARY = 1, 2, 3, 9

PMG = BoardData(id=10, label="PMG", decision_making=True)
ADVISORY = BoardData(id=10, label="Advisory", decision_making=False)
SEAT = SeatData(id=100, board_id=10, title="Council seat", holder_id=1, deputy_id=2)
NON_VOTING = SeatData(
    id=101, board_id=10, title="Observer", holder_id=1, deputy_id=2, voting=False
)


def rec(status, *, seat=100, notified=False, arrived=None, left=None, who=None):
    return AttendanceData(
        seat_id=seat,
        status=status,
        attendee_id=who,
        deputy_notified=notified,
        arrived_at=arrived,
        left_at=left,
    )


# (case, records, represented, by, person)
STANDINGS = [
    ("nothing recorded", [], False, "", None),
    ("holder present", [rec("present")], True, "holder", HOLDER),
    (
        "holder present, arrived earlier",
        [rec("present", arrived=EARLY)],
        True,
        "holder",
        HOLDER,
    ),
    ("moment before arrival", [rec("present", arrived=LATE)], False, "", None),
    ("arrived exactly now", [rec("present", arrived=T)], True, "holder", HOLDER),
    (
        "holder left before now",
        [rec("present", arrived=EARLY, left=T)],
        False,
        "",
        None,
    ),
    (
        "holder leaves later",
        [rec("present", arrived=EARLY, left=LATE)],
        True,
        "holder",
        HOLDER,
    ),
    ("apologies", [rec("apologies")], False, "", None),
    ("absent", [rec("absent")], False, "", None),
    (
        "notified deputy, holder absent",
        [rec("deputy", notified=True)],
        True,
        "deputy",
        DEPUTY,
    ),
    ("un-notified deputy does not count", [rec("deputy")], False, "", None),
    ("deputy left", [rec("deputy", notified=True, left=EARLY)], False, "", None),
    (
        "deputy not yet arrived",
        [rec("deputy", notified=True, arrived=LATE)],
        False,
        "",
        None,
    ),
    (
        "holder arrives after deputy: holder takes the seat",
        [rec("deputy", notified=True, arrived=EARLY), rec("present", arrived=T)],
        True,
        "holder",
        HOLDER,
    ),
    (
        "holder due later: the deputy sits until then",
        [rec("deputy", notified=True, arrived=EARLY), rec("present", arrived=LATE)],
        True,
        "deputy",
        DEPUTY,
    ),
    (
        "recorded attendee is who sits",
        [rec("deputy", notified=True, who=OTHER)],
        True,
        "deputy",
        OTHER,
    ),
    ("another seat's record is ignored", [rec("present", seat=999)], False, "", None),
]


@pytest.mark.parametrize(
    ("case", "records", "represented", "by", "person"),
    STANDINGS,
    ids=[c[0] for c in STANDINGS],
)
def test_who_represents_the_seat_at_the_moment(case, records, represented, by, person):
    got = standing(PMG, SEAT, records, T)
    assert (got.represented, got.by, got.person_id) == (represented, by, person)
    assert got.by_deputy is (by == "deputy")


# (case, board, seat, records, voter, withdrew, rule or None)
HOLDER_V, DEPUTY_V = Voter(id=HOLDER), Voter(id=DEPUTY)
BALLOTS = [
    ("holder present votes", PMG, SEAT, [rec("present")], HOLDER_V, False, None),
    (
        "deputy may not vote while the holder is present",
        PMG,
        SEAT,
        [rec("present")],
        DEPUTY_V,
        False,
        "holder_present",
    ),
    (
        "notified deputy votes for the absent holder",
        PMG,
        SEAT,
        [rec("deputy", notified=True)],
        DEPUTY_V,
        False,
        None,
    ),
    (
        "holder may not vote while the deputy attends",
        PMG,
        SEAT,
        [rec("deputy", notified=True)],
        HOLDER_V,
        False,
        "holder_replaced_by_deputy",
    ),
    (
        "holder refused even when the deputy does not count",
        PMG,
        SEAT,
        [rec("deputy")],
        HOLDER_V,
        False,
        "holder_replaced_by_deputy",
    ),
    (
        "un-notified deputy refused",
        PMG,
        SEAT,
        [rec("deputy")],
        DEPUTY_V,
        False,
        "deputy_not_notified",
    ),
    (
        "holder arrives after deputy: holder votes",
        PMG,
        SEAT,
        [rec("deputy", notified=True, arrived=EARLY), rec("present", arrived=T)],
        HOLDER_V,
        False,
        None,
    ),
    (
        "holder arrives after deputy: deputy no longer votes",
        PMG,
        SEAT,
        [rec("deputy", notified=True, arrived=EARLY), rec("present", arrived=T)],
        DEPUTY_V,
        False,
        "holder_present",
    ),
    (
        "person who left may not vote",
        PMG,
        SEAT,
        [rec("present", arrived=EARLY, left=T)],
        HOLDER_V,
        False,
        "seat_not_represented",
    ),
    (
        "apologies: not represented",
        PMG,
        SEAT,
        [rec("apologies")],
        HOLDER_V,
        False,
        "seat_not_represented",
    ),
    (
        "moment before arrival: not yet represented",
        PMG,
        SEAT,
        [rec("present", arrived=LATE)],
        HOLDER_V,
        False,
        "seat_not_represented",
    ),
    (
        "nothing recorded: not represented",
        PMG,
        SEAT,
        [],
        DEPUTY_V,
        False,
        "seat_not_represented",
    ),
    (
        "non-voting seat on a decision-making board",
        PMG,
        NON_VOTING,
        [rec("present", seat=101)],
        HOLDER_V,
        False,
        "non_voting_seat",
    ),
    (
        "advisory board: every member present takes part",
        ADVISORY,
        NON_VOTING,
        [rec("present", seat=101)],
        HOLDER_V,
        False,
        None,
    ),
    (
        "withdrew for an interest",
        PMG,
        SEAT,
        [rec("present")],
        HOLDER_V,
        True,
        "withdrew_for_interest",
    ),
    (
        "someone else's seat",
        PMG,
        SEAT,
        [rec("present")],
        Voter(id=OTHER),
        False,
        "not_your_seat",
    ),
    (
        "a guest",
        PMG,
        SEAT,
        [rec("present")],
        Voter(id=OTHER, guest=True),
        False,
        "guest_cannot_vote",
    ),
    (
        "secretary records a represented seat (show of hands)",
        PMG,
        SEAT,
        [rec("deputy", notified=True)],
        Voter(id=SECRETARY, records_votes=True),
        False,
        None,
    ),
    (
        "secretary cannot record an unrepresented seat",
        PMG,
        SEAT,
        [],
        Voter(id=SECRETARY, records_votes=True),
        False,
        "seat_not_represented",
    ),
    (
        "seat of another board",
        BoardData(id=11, label="IE"),
        SEAT,
        [rec("present")],
        HOLDER_V,
        False,
        "seat_not_on_board",
    ),
    (
        "inactive seat",
        PMG,
        SeatData(id=100, board_id=10, holder_id=1, active=False),
        [rec("present")],
        HOLDER_V,
        False,
        "seat_not_on_board",
    ),
]


@pytest.mark.parametrize(
    ("case", "board", "seat", "records", "voter", "withdrew", "rule"),
    BALLOTS,
    ids=[c[0] for c in BALLOTS],
)
def test_who_may_vote_now(case, board, seat, records, voter, withdrew, rule):
    refusal = vote_refusal(
        board=board,
        seat=seat,
        standing=standing(board, seat, records, T),
        voter=voter,
        withdrew=withdrew,
    )
    assert (refusal.rule if refusal else None) == rule
    if refusal:
        assert refusal.reason


def test_person_holding_two_seats_votes_for_each_seat_she_represents():
    """One person, holder of one seat and deputy of another: each seat is judged
    on its own record."""
    council = SeatData(id=1, board_id=10, title="Council", holder_id=5, deputy_id=6)
    ccg = SeatData(id=2, board_id=10, title="CCG", holder_id=7, deputy_id=5)
    records = [
        rec("present", seat=1),
        rec("deputy", seat=2, notified=True),
    ]
    found = standings(PMG, [council, ccg], records, T)
    voter = Voter(id=5)
    for seat in (council, ccg):
        assert (
            vote_refusal(board=PMG, seat=seat, standing=found[seat.id], voter=voter)
            is None
        )
    # She leaves the CCG's place (the CCG holder arrives): only her own seat votes.
    records = [
        rec("present", seat=1),
        rec("deputy", seat=2, notified=True, left=T),
        rec("present", seat=2, arrived=T),
    ]
    found = standings(PMG, [council, ccg], records, T)
    assert found[2].by == "holder" and found[2].person_id == 7
    refusal = vote_refusal(board=PMG, seat=ccg, standing=found[2], voter=voter)
    assert refusal is not None and refusal.rule == "holder_present"
    assert vote_refusal(board=PMG, seat=council, standing=found[1], voter=voter) is None


def test_the_reason_says_when_someone_left_or_is_due():
    """Not represented: the reason names the time (London) so the member can act."""
    left = standing(PMG, SEAT, [rec("present", arrived=EARLY, left=T)], T)
    assert "left at 10:00" in left.refusal.reason
    due = standing(PMG, SEAT, [rec("present", arrived=LATE)], T)
    assert "arriving at 11:00" in due.refusal.reason
    apologies = standing(PMG, SEAT, [rec("apologies")], T)
    assert "apologies" in apologies.refusal.reason


def test_un_notified_deputy_is_flagged_as_not_counting():
    got = standing(PMG, SEAT, [rec("deputy")], T)
    assert got.deputy_not_counting and not got.represented
    assert not standing(
        PMG, SEAT, [rec("deputy", notified=True)], T
    ).deputy_not_counting


@pytest.mark.parametrize(
    ("records", "voter", "offered"),
    [
        ([rec("present")], HOLDER_V, True),
        ([rec("deputy", notified=True)], HOLDER_V, False),
        ([rec("deputy", notified=True)], DEPUTY_V, True),
        ([rec("present")], DEPUTY_V, False),
        ([], HOLDER_V, False),
    ],
)
def test_may_vote_now_is_what_the_dashboard_offers(records, voter, offered):
    """ "Vote" is offered only where one of the user's seats may vote now: never to a
    holder whose deputy attends."""
    found = standings(PMG, [SEAT], records, T)
    assert (
        may_vote_now(board=PMG, seats=[SEAT], standings_by_seat=found, voter=voter)
        is offered
    )


def test_may_vote_now_ignores_seats_the_voter_does_not_sit_for():
    found = standings(PMG, [SEAT], [rec("present")], T)
    assert not may_vote_now(
        board=PMG, seats=[SEAT], standings_by_seat=found, voter=Voter(id=OTHER)
    )


moments = st.datetimes(
    min_value=datetime(2026, 1, 1),
    max_value=datetime(2027, 1, 1),
    timezones=st.just(UTC),
)
records_st = st.lists(
    st.builds(
        AttendanceData,
        seat_id=st.just(100),
        status=st.sampled_from(["present", "deputy", "apologies", "absent"]),
        deputy_notified=st.booleans(),
        arrived_at=st.none() | moments,
        left_at=st.none() | moments,
    ),
    max_size=3,
)


@given(records=records_st, at=moments)
def test_properties(records, at):
    """Represented only by someone attending at that moment; at most one person
    may vote for the seat (the holder and the deputy never both)."""
    got = standing(PMG, SEAT, records, at)
    attending = [r for r in records if r.attending_at(at)]
    assert got.represented is presence(records, at).represented
    if got.represented:
        assert attending
    allowed = [
        v
        for v in (HOLDER_V, DEPUTY_V)
        if vote_refusal(board=PMG, seat=SEAT, standing=got, voter=v) is None
    ]
    assert len(allowed) <= 1
    if allowed:
        assert got.represented and allowed[0].id == got.person_id
