"""What the forward plan proposes for which meeting (planning/forward_plan.py)."""

from datetime import date

import pytest

from planning import forward_plan as fp
from planning.forward_plan import Expected, OnAgenda, PlanMeeting

D = date
APRIL = D(2026, 4, 1)


@pytest.fixture
def meetings() -> list[PlanMeeting]:
    """Two scheduled meetings and a proposed date, two months apart."""
    return [
        PlanMeeting(D(2026, 1, 20), meeting_id=1),
        PlanMeeting(D(2026, 3, 20), meeting_id=2),
        PlanMeeting(D(2026, 5, 20)),  # a proposed date, not yet scheduled
    ]


@pytest.fixture
def expected():
    """An expected item: a duty due by ``when`` unless the test says otherwise."""

    def make(key="k", placement=fp.BY, when=APRIL, **kw) -> Expected:
        return Expected(
            key=key,
            title=kw.pop("title", key),
            source="PMG ToR 2.1.5",
            reason="",
            placement=placement,
            when=when,
            **kw,
        )

    return make


@pytest.fixture
def plan(meetings):
    """The plan of those meetings for the expected items given."""

    def build(expected_items, **kw) -> fp.ForwardPlan:
        return fp.build(meetings, expected_items, **kw)

    return build


@pytest.mark.parametrize(
    "name, placement, when, meeting_on, late",
    [
        (
            "a duty due 1 April: the last meeting before it",
            fp.BY,
            D(2026, 4, 1),
            D(2026, 3, 20),
            False,
        ),
        (
            "due on a meeting's day: that meeting",
            fp.BY,
            D(2026, 3, 20),
            D(2026, 3, 20),
            False,
        ),
        (
            "due before every coming meeting: the next one, late",
            fp.BY,
            D(2026, 1, 10),
            D(2026, 1, 20),
            True,
        ),
        (
            "due after the last meeting: still the last one before it",
            fp.BY,
            D(2026, 12, 1),
            D(2026, 5, 20),
            False,
        ),
        (
            "a report ready 1 April: the first meeting after",
            fp.AFTER,
            D(2026, 4, 1),
            D(2026, 5, 20),
            False,
        ),
        (
            "a report ready on a meeting's day: that meeting",
            fp.AFTER,
            D(2026, 3, 20),
            D(2026, 3, 20),
            False,
        ),
        (
            "a report ready before every meeting: the first",
            fp.AFTER,
            D(2025, 12, 1),
            D(2026, 1, 20),
            False,
        ),
    ],
)
def test_placement(name, placement, when, meeting_on, late, meetings, expected):
    at, is_late = fp.place(expected(placement=placement, when=when), meetings)
    assert (meetings[at].on, is_late) == (meeting_on, late), name


def test_a_report_ready_after_the_last_meeting_is_not_placed(plan, expected):
    built = plan([expected(placement=fp.AFTER, when=D(2026, 6, 1))])
    assert [e.key for e in built.unplaced] == ["k"]
    assert all(not m.proposals for m in built.meetings)


def test_nothing_is_placed_without_meetings(expected):
    built = fp.build([], [expected()])
    assert [e.key for e in built.unplaced] == ["k"]


def test_an_accepted_proposal_is_not_proposed_again_and_shows_on_its_agenda(
    plan, expected
):
    on_agenda = [
        OnAgenda(
            meeting_id=2, item_id=9, title="Annual risk assessment", note="accepted"
        )
    ]
    built = plan(
        [expected(key="risk"), expected(key="schedules")],
        accepted_keys={"risk"},
        on_agenda=on_agenda,
    )
    march = built.meetings[1]
    assert [p.expected.key for p in march.proposals] == ["schedules"]
    assert march.on_agenda == on_agenda


def test_items_on_meetings_outside_the_plan_are_not_shown(plan):
    built = plan([], on_agenda=[OnAgenda(99, 1, "x", "")])
    assert all(not m.on_agenda for m in built.meetings)


def test_the_same_key_is_proposed_once(plan, expected):
    built = plan([expected(key="a"), expected(key="a")])
    assert sum(len(m.proposals) for m in built.meetings) == 1


def test_monthly_reports_on_a_bimonthly_board_go_to_the_next_meeting_each(
    plan, expected
):
    """PMG ToR 4.1: the board meets bi-monthly "following receipt of each monthly
    report": the reports of January and February (ready 20 Feb and 20 Mar) go to
    the March meeting; March's (ready 20 Apr) to May's."""
    reports = [
        expected(key=f"m{n}", placement=fp.AFTER, when=when)
        for n, when in enumerate([D(2026, 2, 20), D(2026, 3, 20), D(2026, 4, 20)])
    ]
    built = plan(reports)
    assert [[p.expected.key for p in m.proposals] for m in built.meetings] == [
        [],
        ["m0", "m1"],
        ["m2"],
    ]


def test_find_a_proposal_by_key(plan, expected):
    built = plan([expected(key="risk")])
    meeting, proposal = built.proposal("risk")
    assert meeting.on == D(2026, 3, 20) and proposal.expected.key == "risk"
    assert built.proposal("missing") is None
