"""The quorum adapter (meetings/quorum_snapshot.py): meeting records in, the pure
engine's result out, in a constant number of queries."""

import datetime

import pytest
from django.utils import timezone

from boards.models import PartnerKind
from meetings.models import Attendance
from meetings.quorum_snapshot import meeting_quorum, meeting_quorum_all
from tests.boards.factories import PartnerFactory, QuorumRuleFactory, SeatFactory
from tests.meetings import builders
from tests.meetings.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db


def attend(meeting, seat, status="present", **kwargs):
    return AttendanceFactory(meeting=meeting, seat=seat, status=status, **kwargs)


def test_pmg_quorum_needs_a_voting_representative_of_each_partner():
    """Portsmouth PMG ToR 4.2 through the adapter."""
    b = builders.pmg()
    attend(b.meeting, b.seats[0])
    result = meeting_quorum(b.meeting, business_type="routine")
    assert not result.quorate
    assert result.unmet == ("no voting representative of NHS Portsmouth CCG present",)
    attend(b.meeting, b.seats[1])
    assert meeting_quorum(b.meeting, business_type="routine").quorate


def test_notified_deputy_counts_and_unnotified_deputy_does_not():
    """A deputy counts only if notified in advance (Leicestershire IFPG)."""
    b = builders.pmg()
    attend(b.meeting, b.seats[0])
    record = attend(b.meeting, b.seats[1], status="deputy", deputy_notified=False)
    assert not meeting_quorum(b.meeting).quorate
    record.deputy_notified = True
    record.save()
    assert meeting_quorum(b.meeting).quorate


def test_business_type_without_a_rule_falls_back_to_routine_then_to_none():
    """No rule for joint commissioning: the routine rule applies; a board with no
    rule at all has no conditions."""
    b = builders.pmg()
    attend(b.meeting, b.seats[0])
    assert not meeting_quorum(b.meeting, business_type="joint_commissioning").quorate
    bare = MeetingFactory()
    assert meeting_quorum(bare, business_type="joint_commissioning").quorate


def test_ie_joint_commissioning_has_its_own_rule():
    """Leicestershire IE: routine needs 1 provider; joint commissioning needs 1 CCG
    instead. Each kind of business on the agenda gets its own result."""
    b = builders.pmg(meeting=True)
    b.board.quorum_rules.all().delete()
    provider = PartnerFactory(
        name="Leicestershire Partnership NHS Trust", kind=PartnerKind.PROVIDER
    )
    b.board.partners.add(provider)
    QuorumRuleFactory(
        board=b.board, business_type="routine", partner_kind_minimums={"provider": 1}
    )
    QuorumRuleFactory(
        board=b.board,
        business_type="joint_commissioning",
        partner_kind_minimums={"nhs_body": 1},
    )
    AgendaItemFactory(meeting=b.meeting, business_type="joint_commissioning")
    attend(b.meeting, b.seats[1])  # the CCG seat: an NHS body, not a provider
    results = {r.business_type: r for r in meeting_quorum_all(b.meeting)}
    assert set(results) == {"routine", "joint_commissioning"}
    assert not results["routine"].quorate
    assert results["joint_commissioning"].quorate


def test_quorum_at_a_moment_uses_arrival_and_departure():
    """Quorum is judged when each decision is taken (SPEC s.2): a member who left
    before the vote does not count at that moment."""
    b = builders.pmg()
    start = b.meeting.starts_at
    attend(b.meeting, b.seats[0], arrived_at=start)
    attend(
        b.meeting,
        b.seats[1],
        arrived_at=start + datetime.timedelta(minutes=10),
        left_at=start + datetime.timedelta(minutes=50),
    )
    assert not meeting_quorum(
        b.meeting, at=start + datetime.timedelta(minutes=5)
    ).quorate
    assert meeting_quorum(b.meeting, at=start + datetime.timedelta(minutes=30)).quorate
    assert not meeting_quorum(
        b.meeting, at=start + datetime.timedelta(minutes=55)
    ).quorate
    # "now, as recorded": the departure is recorded, so the seat has left.
    assert not meeting_quorum(b.meeting).quorate


def test_as_dict_is_what_the_motion_stores():
    b = builders.pmg()
    attend(b.meeting, b.seats[0])
    attend(b.meeting, b.seats[1])
    assert meeting_quorum(b.meeting, at=timezone.now()).as_dict() == {
        "quorate": True,
        "unmet": [],
        "present": 2,
        "business_type": "routine",
    }


@pytest.mark.parametrize("seats_per_partner", [1, 15])
def test_queries_do_not_grow_with_seats(django_assert_num_queries, seats_per_partner):
    b = builders.pmg(seats_per_partner=seats_per_partner)
    for seat in b.seats:
        attend(b.meeting, seat, status=Attendance.Status.PRESENT)
    AgendaItemFactory.create_batch(3, meeting=b.meeting)
    SeatFactory(board=b.board, partner=b.partners[0], active=False)
    # partners, seats, attendance, rules, who chairs the meeting
    with django_assert_num_queries(5):
        meeting_quorum(b.meeting, business_type="routine")
    # + the agenda's kinds of business
    with django_assert_num_queries(6):
        meeting_quorum_all(b.meeting)
