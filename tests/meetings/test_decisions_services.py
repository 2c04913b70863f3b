"""Decision services against the database (SPEC s.4): putting and closing motions,
votes, written positions, referral, deferral, escalation with mail to the authorised
officers, and chair election."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from boards.models import Board, ChairTerm, Seat
from boards.selectors import authorised_officers_for_board
from governance.exceptions import RuleViolation
from governance.models import OutboxMessage
from governance.outbox import outbox_relay
from meetings.models import (
    AgendaItem,
    Attendance,
    Declaration,
    Escalation,
    Meeting,
    Motion,
    Vote,
    WrittenPosition,
)
from meetings.services import minutes as services
from meetings.services.chair_elections import chair_elect
from meetings.services.consultations import consultation_record, consultation_require
from meetings.services.escalations import escalation_open, escalation_resolve
from meetings.services.motions import motion_close, motion_open, motion_withdraw
from meetings.services.positions import position_file
from meetings.services.votes import vote_cast
from tests.boards.factories import (
    AuthorisedOfficerFactory,
    BoardFactory,
    PartnerFactory,
)
from tests.governance.factories import UserFactory
from tests.meetings.decisions_world import attend, build, next_meeting

pytestmark = pytest.mark.django_db


def put(world):
    return motion_open(motion=world.motion, by=world.secretary)


def vote_all(world, choices=None):
    choices = choices or {}
    for seat in world.voting:
        vote_cast(
            motion=world.motion,
            seat=seat,
            choice=choices.get(seat.pk, "for"),
            by=seat.holder,
        )


def close(world):
    return motion_close(motion=world.motion, by=world.secretary)


def refusal(fn, **kwargs) -> str:
    with pytest.raises(RuleViolation) as err:
        fn(**kwargs)
    return err.value.rule


# --- putting the motion -------------------------------------------------------


def test_prior_consultation_missing_refuses_open():
    """Prior consultation (IFPG): a motion naming a board to consult cannot be put
    until the consultation is recorded; afterwards it can."""
    w = build()
    ie = BoardFactory(name="Integration Executive")
    consultation_require(motion=w.motion, board=ie, by=w.secretary)
    assert refusal(motion_open, motion=w.motion, by=w.secretary) == (
        "prior_consultation"
    )
    consultation_record(motion=w.motion, note="IE met on 3 May", by=w.secretary)
    assert put(w).status == Motion.Status.OPEN


def test_open_twice_is_refused():
    """A motion is put once: opening an open motion is refused."""
    w = build()
    put(w)
    assert refusal(motion_open, motion=w.motion, by=w.secretary) == "motion_status"


# --- votes ------------------------------------------------------------------------


def test_holder_votes_and_changes_vote_on_the_same_row():
    """A vote is changeable until the motion closes: the same row is updated."""
    w = build()
    put(w)
    first = vote_cast(motion=w.motion, seat=w.c1, choice="for", by=w.c1.holder)
    second = vote_cast(motion=w.motion, seat=w.c1, choice="against", by=w.c1.holder)
    assert first.pk == second.pk
    assert Vote.objects.get(motion=w.motion, seat=w.c1).choice == "against"


def test_vote_after_close_refused():
    """A vote is never changed after the motion closes."""
    w = build()
    put(w)
    vote_all(w)
    close(w)
    assert (
        refusal(vote_cast, motion=w.motion, seat=w.c1, choice="against", by=w.c1.holder)
        == "motion_closed"
    )


def test_vote_before_motion_put_refused():
    """Nobody votes on a motion that has not been put."""
    w = build()
    assert (
        refusal(vote_cast, motion=w.motion, seat=w.c1, choice="for", by=w.c1.holder)
        == "motion_not_open"
    )


def test_non_voting_seat_refused():
    """Non-voting seats cannot vote (SPEC s.4)."""
    w = build()
    put(w)
    assert (
        refusal(vote_cast, motion=w.motion, seat=w.nv, choice="for", by=w.nv.holder)
        == "non_voting_seat"
    )


def test_member_who_withdrew_for_interest_refused():
    """A member who withdrew from an item for an interest cannot vote on it."""
    w = build()
    Declaration.objects.create(
        item=w.item, seat=w.c2, person=w.c2.holder, interest="Director", withdrew=True
    )
    put(w)
    assert (
        refusal(vote_cast, motion=w.motion, seat=w.c2, choice="for", by=w.c2.holder)
        == "withdrew_for_interest"
    )


def test_someone_else_cannot_vote_for_a_seat():
    """A member votes for their own seat only; a guest or a stranger is refused."""
    w = build()
    put(w)
    assert (
        refusal(vote_cast, motion=w.motion, seat=w.c1, choice="for", by=w.h1.holder)
        == "not_your_seat"
    )


def test_notified_deputy_votes_for_absent_holder():
    """A notified deputy attending in the holder's place votes for the seat; the
    holder then cannot."""
    w = build()
    attend(w, w.h1, "deputy", notified=True)
    put(w)
    vote = vote_cast(motion=w.motion, seat=w.h1, choice="for", by=w.h1.deputy)
    assert vote.cast_by == w.h1.deputy and not vote.recorded_by_secretary
    assert (
        refusal(vote_cast, motion=w.motion, seat=w.h1, choice="for", by=w.h1.holder)
        == "holder_replaced_by_deputy"
    )


def test_un_notified_deputy_refused():
    """A deputy not notified before the meeting cannot vote (Leicestershire IFPG)."""
    w = build()
    attend(w, w.h1, "deputy", notified=False)
    put(w)
    assert (
        refusal(vote_cast, motion=w.motion, seat=w.h1, choice="for", by=w.h1.deputy)
        == "deputy_not_notified"
    )


def test_deputy_refused_when_holder_present():
    """A deputy votes only for an absent holder."""
    w = build()
    put(w)
    assert (
        refusal(vote_cast, motion=w.motion, seat=w.h1, choice="for", by=w.h1.deputy)
        == "holder_present"
    )


def test_absent_holder_refused():
    """A seat not represented at the meeting cannot vote."""
    w = build()
    attend(w, w.c1, "apologies")
    put(w)
    assert (
        refusal(vote_cast, motion=w.motion, seat=w.c1, choice="for", by=w.c1.holder)
        == "seat_not_represented"
    )


def test_secretary_records_show_of_hands():
    """The secretary may record any represented voting seat's vote."""
    w = build()
    put(w)
    vote = vote_cast(motion=w.motion, seat=w.h2, choice="abstain", by=w.secretary)
    assert vote.recorded_by_secretary and vote.cast_by == w.secretary


# --- written positions ----------------------------------------------------------


def test_written_position_before_the_meeting_and_changed():
    """A partner's voting member files a position before the meeting; filing again
    changes the same row."""
    w = build(started=False)
    first = position_file(
        item=w.item, partner=w.ccg, position="support", text="Agreed", by=w.h1.holder
    )
    second = position_file(
        item=w.item, partner=w.ccg, position="oppose", text="No", by=w.h1.holder
    )
    assert first.pk == second.pk
    assert WrittenPosition.objects.get().position == "oppose"


def test_written_position_refused_after_start():
    """Written positions are prior notifications: refused once the meeting started
    (Portsmouth PMG ToR 4.4)."""
    w = build(started=True)
    assert (
        refusal(
            position_file,
            item=w.item,
            partner=w.ccg,
            position="support",
            text="",
            by=w.h1.holder,
        )
        == "position_after_start"
    )


def test_written_position_only_by_that_partners_member():
    """Only the partner's voting member (or the secretary) gives its position."""
    w = build(started=False)
    with pytest.raises(PermissionDenied):
        position_file(
            item=w.item, partner=w.ccg, position="support", text="", by=w.c1.holder
        )
    position_file(
        item=w.item, partner=w.ccg, position="support", text="", by=w.secretary
    )


# --- closing: outcomes and consequences -----------------------------------------


def test_unanimous_carries_and_keeps_snapshot():
    """Every voting seat represented voted for: carried, with the quorum snapshot,
    tally and reasons kept."""
    w = build()
    put(w)
    vote_all(w)
    result = close(w)
    m = result.motion
    assert m.outcome == "carried" and m.status == Motion.Status.CLOSED
    assert m.quorum_snapshot["quorate"] is True
    assert len(m.quorum_snapshot["seats"]) == 5
    assert m.tally["for"] == 4
    assert result.referred_to_item is None and result.escalation is None


def test_first_failure_refers_item_to_next_meeting():
    """Not unanimous the first time: referred; the item really appears on the next
    meeting's agenda, linked to the first, with a fresh draft motion."""
    w = build()
    later = next_meeting(w)
    put(w)
    vote_all(w, {w.h2.pk: "against"})
    result = close(w)
    assert result.motion.outcome == "referred"
    new = result.referred_to_item
    assert new.meeting == later
    assert new.referred_from == w.item
    assert "referred" in new.carried_forward_reason.lower()
    assert new.motion.status == Motion.Status.DRAFT
    assert new.motion.text == w.motion.text
    assert set(new.motion.commits.all()) == {w.council, w.ccg}
    assert list(later.items.all()) == [new]


def test_referral_without_next_meeting_creates_provisional_meeting():
    """With no next meeting scheduled, a provisional meeting is created at the
    board's next proposed date."""
    w = build()
    put(w)
    vote_all(w, {w.c1.pk: "abstain"})
    result = close(w)
    target = result.referred_to_item.meeting
    assert target.pk != w.meeting.pk
    assert target.status == Meeting.Status.SCHEDULED
    assert target.starts_at > w.meeting.starts_at
    assert "provisional" in target.location.lower()


def _second_failure(w):
    """Refer once, then fail again on the referred item."""
    put(w)
    vote_all(w, {w.h2.pk: "against"})
    first = close(w)
    item = first.referred_to_item
    meeting = item.meeting
    meeting.status = Meeting.Status.IN_PROGRESS
    meeting.starts_at = timezone.now() - datetime.timedelta(minutes=5)
    meeting.save()

    for seat in (w.c1, w.c2, w.h1, w.h2):
        Attendance.objects.create(meeting=meeting, seat=seat, status="present")
    motion = item.motion
    motion_open(motion=motion, by=w.secretary)
    for seat in w.voting:
        vote_cast(
            motion=motion,
            seat=seat,
            choice="against" if seat == w.h2 else "for",
            by=seat.holder,
        )
    return motion_close(motion=motion, by=w.secretary)


def test_second_failure_escalates_to_dispute_resolution_and_mails_officers():
    """PMG / West Kent: not unanimous the second time -> dispute resolution; every
    active authorised officer of every partner really receives an e-mail."""
    w = build(escalation=Board.Escalation.DISPUTE_RESOLUTION)
    result = _second_failure(w)
    assert result.motion.outcome == "escalated_dispute_resolution"
    esc = result.escalation
    assert esc.path == Escalation.Path.DISPUTE_RESOLUTION
    assert esc.status == Escalation.Status.OPEN
    assert (
        OutboxMessage.objects.filter(key__startswith=f"escalation:{esc.pk}:").count()
        == 2
    )
    mail.outbox.clear()
    outbox_relay()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(o.email for o in w.officers)
    assert "Escalation" in mail.outbox[0].subject


def test_ifpg_second_failure_goes_to_authorised_officers_then_dispute():
    """IFPG: second failure -> authorised officers; if they cannot agree, dispute
    resolution, with mail again."""
    w = build(escalation=Board.Escalation.AUTHORISED_OFFICERS)
    result = _second_failure(w)
    assert result.motion.outcome == "escalated_authorised_officers"
    esc = result.escalation
    nxt = escalation_resolve(
        escalation=esc, resolution="No agreement reached", agreed=False, by=w.secretary
    )
    esc.refresh_from_db()
    assert esc.status == Escalation.Status.RESOLVED and esc.agreed is False
    assert nxt.path == Escalation.Path.DISPUTE_RESOLUTION and nxt.previous == esc
    outbox_relay()
    assert len(mail.outbox) == 4


def test_escalation_resolved_with_agreement_ends_it():
    """Agreement closes the escalation; it leaves the open list."""
    w = build(escalation=Board.Escalation.AUTHORISED_OFFICERS)
    esc = _second_failure(w).escalation
    assert (
        escalation_resolve(
            escalation=esc,
            resolution="Agreed at officers' meeting",
            agreed=True,
            by=w.secretary,
        )
        is None
    )
    assert not Escalation.objects.filter(status="open").exists()
    with pytest.raises(RuleViolation):
        escalation_resolve(escalation=esc, resolution="x", agreed=True, by=w.secretary)


def test_delegated_authority_exceeded_defers_item():
    """Portsmouth PMG ToR 5.2: the value exceeds a committed partner's member's limit:
    deferred to the next meeting with the reason."""
    w = build()
    w.h2.delegated_authority_limit = Decimal("100000")
    w.h2.save()
    w.motion.financial_value = Decimal("250000.00")
    w.motion.save()
    put(w)
    vote_all(w)
    result = close(w)
    assert result.motion.outcome == "deferred_delegated_authority"
    assert "5.2" in result.referred_to_item.carried_forward_reason
    assert result.referred_to_item.motion.financial_value == Decimal("250000.00")


def test_absent_partner_without_position_defers():
    """Portsmouth 4.4 / West Kent 3.4: a committed partner absent with no written
    position: deferred."""
    w = build()
    attend(w, w.h1, "apologies")
    attend(w, w.h2, "absent")
    w.board.quorum_rules.update(min_voting_per_partner=0)
    put(w)
    for seat in (w.c1, w.c2):
        vote_cast(motion=w.motion, seat=seat, choice="for", by=seat.holder)
    result = close(w)
    assert result.motion.outcome == "deferred_absent_partner"
    assert result.referred_to_item.referred_from == w.item


def test_absent_partner_with_supporting_position_carries():
    """A written position in support stands in for the absent partner's vote."""
    w = build()
    WrittenPosition.objects.create(
        item=w.item, partner=w.ccg, position="support", filed_by=w.h1.holder
    )
    attend(w, w.h1, "apologies")
    attend(w, w.h2, "absent")
    w.board.quorum_rules.update(min_voting_per_partner=0)
    put(w)
    for seat in (w.c1, w.c2):
        vote_cast(motion=w.motion, seat=seat, choice="for", by=seat.holder)
    assert close(w).motion.outcome == "carried"


def test_inquorate_at_the_moment_of_the_vote():
    """Quorum is judged when the vote closes: the CCG's members left, so the motion
    is not put (inquorate), with the unmet condition kept."""
    w = build()
    put(w)
    vote_all(w)

    Attendance.objects.filter(meeting=w.meeting, seat__in=[w.h1, w.h2]).update(
        left_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    result = close(w)
    assert result.motion.outcome == "inquorate"
    assert result.motion.quorum_snapshot["quorate"] is False
    assert any("NHS Portsmouth CCG" in r for r in result.motion.outcome_reasons)


def test_withdrawn():
    """A motion may be withdrawn before it closes (outcome withdrawn)."""
    w = build()
    m = motion_withdraw(motion=w.motion, by=w.secretary, reason="Paper not ready")
    assert m.outcome == "withdrawn" and m.status == Motion.Status.CLOSED
    assert refusal(motion_open, motion=w.motion, by=w.secretary) == "motion_status"


def test_advisory_board_records_recommendation():
    """Advisory boards record recommendations, not decisions."""
    w = build(decision_making=False)
    put(w)
    vote_all(w)
    m = close(w).motion
    assert m.outcome == "carried" and m.recommendation is True


def test_close_requires_open_motion():
    """Only an open motion can be closed."""
    w = build()
    assert refusal(motion_close, motion=w.motion, by=w.secretary) == "motion_status"


# --- chair election -----------------------------------------------------------------


def test_chair_elected_unanimously_at_first_meeting_then_not_again_until_anniversary():
    """IFPG: the chair is elected by unanimous agreement at the first meeting and
    re-elected at the next meeting after each anniversary."""
    w = build(chair_arrangement=Board.ChairArrangement.ELECTED)
    assert (
        refusal(
            chair_elect,
            meeting=w.meeting,
            seat=w.c1,
            unanimous=False,
            by=w.secretary,
        )
        == "chair_unanimous"
    )
    term = chair_elect(meeting=w.meeting, seat=w.c1, unanimous=True, by=w.secretary)
    assert term.person == w.c1.holder
    w.c1.refresh_from_db()
    assert w.c1.is_chair
    soon = next_meeting(w, days=60)
    assert (
        refusal(chair_elect, meeting=soon, seat=w.h1, unanimous=True, by=w.secretary)
        == "chair_election_not_due"
    )
    after_anniversary = next_meeting(w, days=380)
    chair_elect(meeting=after_anniversary, seat=w.h1, unanimous=True, by=w.secretary)
    assert (
        ChairTerm.objects.filter(board=w.board, ends_on__isnull=True).get().seat == w.h1
    )


def test_chair_election_only_for_elected_chairs():
    """Boards whose chair rotates or is appointed hold no election."""
    w = build()
    assert (
        refusal(
            chair_elect,
            meeting=w.meeting,
            seat=w.c1,
            unanimous=True,
            by=w.secretary,
        )
        == "chair_arrangement"
    )


def test_stranger_cannot_be_elected():
    """The chair is elected from the board's voting members."""
    w = build(chair_arrangement=Board.ChairArrangement.ELECTED)
    other = BoardFactory()
    from tests.boards.factories import SeatFactory

    seat = SeatFactory(board=other, holder=UserFactory())
    assert (
        refusal(
            chair_elect,
            meeting=w.meeting,
            seat=seat,
            unanimous=True,
            by=w.secretary,
        )
        == "chair_from_members"
    )
    assert AgendaItem.objects.count() == 1


@pytest.mark.parametrize(
    "status",
    [Meeting.Status.CLOSED, Meeting.Status.CANCELLED, Meeting.Status.INQUORATE],
)
def test_vote_cast_refused_once_the_meeting_is_over(status):
    """A motion left open on a finished meeting takes no vote (rule meeting_status)."""
    w = build()
    motion_open(motion=w.motion, by=w.secretary)
    Meeting.objects.filter(pk=w.meeting.pk).update(status=status)
    with pytest.raises(RuleViolation) as refusal:
        vote_cast(motion=w.motion, seat=w.c1, choice="for", by=w.c1.holder)
    assert refusal.value.rule == "meeting_status"
    assert not Vote.objects.exists()


def test_electing_a_chair_leaves_history_for_terms_and_seats():
    """Re-electing a chair closes the open term and moves the chair flag, each
    change with its history row."""
    w = build(chair_arrangement=Board.ChairArrangement.ELECTED)
    chair_elect(meeting=w.meeting, seat=w.c1, unanimous=True, by=w.secretary)
    old_term = ChairTerm.objects.get(board=w.board)
    later = next_meeting(w, days=380)
    chair_elect(meeting=later, seat=w.h1, unanimous=True, by=w.secretary)
    assert old_term.history.filter(ends_on__isnull=False).exists()
    assert Seat.history.filter(id=w.c1.pk, is_chair=True).exists()
    assert Seat.history.filter(id=w.c1.pk, is_chair=False).exists()
    assert Seat.history.filter(id=w.h1.pk, is_chair=True).exists()


def test_minutes_and_escalations_go_to_the_same_officers():
    """Both go to the active officers of the board's agreement for the board's
    partners: an officer of an agreement partner not on the board gets neither."""
    w = build()
    outsider = PartnerFactory(name="Other Council")
    w.board.agreement.partners.add(outsider)
    AuthorisedOfficerFactory(agreement=w.board.agreement, partner=outsider)
    expected = sorted(o.pk for o in w.officers)
    assert sorted(o.pk for o in authorised_officers_for_board(w.board)) == expected
    assert sorted(o.pk for o in services.minutes_officers(w.meeting)) == expected
    escalation = escalation_open(motion=w.motion, path="dispute_resolution")
    sent_to = OutboxMessage.objects.filter(
        key__startswith=f"escalation:{escalation.pk}:"
    ).values_list("to", flat=True)
    assert sorted(sent_to) == sorted(o.email for o in w.officers)


def test_escalation_mail_names_a_confidential_item_for_the_authorised_officers(
    settings,
):
    """Authorised officers receive the minutes of all decisions, so the escalation
    mail names the item, confidential or not, marks it confidential with the
    paragraph of Schedule 12A that exempts it, cites the board's own clause and
    links to the escalation with an absolute address (SITE_URL)."""
    from boards.services.sources import rule_source_set

    settings.SITE_URL = "https://governance.example.org"
    w = build()
    rule_source_set(
        board=w.board,
        rule="escalation",
        kind="terms",
        document="Portsmouth PMG ToR",
        paragraph="4.3",
    )
    w.item.title = "Provider contract negotiation"
    w.item.confidential = True
    w.item.exempt_paragraph = 3
    w.item.save()
    w.motion.text = "That the PMG accepts the bid of £2m."
    w.motion.save()
    escalation = escalation_open(motion=w.motion, path="dispute_resolution")
    messages = list(OutboxMessage.objects.filter(key__startswith="escalation:"))
    assert len(messages) == len(w.officers)
    for message in messages:
        assert message.subject.startswith("Escalation (confidential): ")
        assert "Provider contract negotiation" in message.subject
        assert "&amp;" not in message.subject + message.body
        assert "£2m" in message.body
        assert "exempt under paragraph 3 of Schedule 12A" in message.body
        assert "The board's rule: Portsmouth PMG ToR 4.3" in message.body
        assert "West Kent" not in message.body
        assert (
            "https://governance.example.org/meetings/escalations/"
            f"#escalation-{escalation.pk}" in message.body
        )
