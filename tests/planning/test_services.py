"""The obligations register and the forward plan against the database: duties with
their clause, evidence, accepting a proposal onto an agenda in one step, and the
discharge that follows when the meeting is held."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from boards.models import Board
from governance.exceptions import RuleViolation
from meetings.models import AgendaItem, Meeting, MotionOutcome
from planning.models import Obligation, ObligationEvidence, PlannedItem
from planning.selectors.obligations import board_obligation_rows
from planning.selectors.plan import board_plan
from planning.services import obligations as services
from planning.services.plan import proposal_accept
from tests.boards.factories import BoardFactory, TermsOfReferenceFactory
from tests.meetings.builders import pmg
from tests.meetings.factories import MeetingFactory
from tests.planning.builders import risk_assessment

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def row_of(obligation):
    rows = board_obligation_rows(obligation.board)
    return next(r for r in rows if r.obligation.pk == obligation.pk)


# --- the register ---------------------------------------------------------------


def test_a_duty_names_its_clause():
    built = pmg()
    with pytest.raises(ValidationError) as error:
        risk_assessment(built.board, source=" ")
    assert "source" in error.value.message_dict


def test_a_dated_duty_needs_its_first_due_date():
    built = pmg()
    with pytest.raises(ValidationError) as error:
        risk_assessment(built.board, first_due=None)
    assert "first_due" in error.value.message_dict


def test_a_report_sent_names_where_it_goes_and_never_to_itself():
    built = pmg()
    with pytest.raises(ValidationError) as error:
        risk_assessment(built.board, kind=Obligation.Kind.SUBMIT_REPORT)
    assert "reports_to" in error.value.message_dict
    with pytest.raises(ValidationError):
        risk_assessment(
            built.board,
            kind=Obligation.Kind.SUBMIT_REPORT,
            reports_to=built.board,
        )


def test_evidence_discharges_the_next_occurrence_and_moves_the_due_date():
    """'At least annually': recorded done today, next due a year from today."""
    built = pmg()
    duty = risk_assessment(built.board, first_due=TODAY - datetime.timedelta(days=3))
    assert row_of(duty).state.status == "overdue"
    evidence = services.evidence_record(
        obligation=duty,
        kind=ObligationEvidence.Kind.REPORT_SENT,
        done_on=TODAY,
        description="Risk assessment agreed by written procedure.",
        by=built.secretary,
    )
    assert evidence.due_on == TODAY - datetime.timedelta(days=3)
    state = row_of(duty).state
    assert state.status == "up_to_date"
    assert state.due == TODAY.replace(year=TODAY.year + 1) or state.due.year == (
        TODAY.year + 1
    )
    assert [e.description for e in row_of(duty).evidence] == [
        "Risk assessment agreed by written procedure."
    ]


def test_evidence_is_refused_for_a_duty_the_product_keeps_itself():
    built = pmg()
    duty = services.obligation_create(
        board=built.board,
        title="Decision log recorded within the minutes",
        source="JCG ToR 4",
        kind=Obligation.Kind.MINUTES,
        frequency="each_meeting",
    )
    with pytest.raises(RuleViolation) as refusal:
        services.evidence_record(
            obligation=duty,
            kind=ObligationEvidence.Kind.RECORD,
            done_on=TODAY,
            description="x",
            by=built.secretary,
        )
    assert refusal.value.rule == "obligation_evidence"


def test_evidence_from_another_boards_agenda_is_refused():
    built = pmg()
    duty = risk_assessment(built.board)
    elsewhere = AgendaItem.objects.create(
        meeting=MeetingFactory(board=BoardFactory()), title="Elsewhere"
    )
    with pytest.raises(ValidationError):
        services.evidence_record(
            obligation=duty,
            kind=ObligationEvidence.Kind.AGENDA_ITEM,
            done_on=TODAY,
            description="x",
            agenda_item=elsewhere,
            by=built.secretary,
        )


def test_terms_of_reference_duty_reads_the_current_version_and_flags_tbc():
    """Portsmouth PMG: reviewed 30/03/17, approved on "TBC", review due at least
    every three years: overdue, and the missing approval is a gap."""
    built = pmg()
    TermsOfReferenceFactory(
        board=built.board,
        version="2",
        reviewed_on=datetime.date(2017, 3, 30),
        approved_on=None,
        review_due=datetime.date(2020, 3, 30),
    )
    duty = services.obligation_create(
        board=built.board,
        title="Terms of reference reviewed",
        source="Portsmouth PMG ToR, version table",
        kind=Obligation.Kind.TERMS_REVIEW,
        frequency="three_yearly",
    )
    state = row_of(duty).state
    assert (state.status, state.due) == ("overdue", datetime.date(2020, 3, 30))
    assert state.gaps == ("the current version's approval is not recorded",)


# --- the forward plan: accept in one step -----------------------------------------


def test_the_plan_proposes_a_duty_at_the_last_meeting_before_it_is_due():
    built = pmg()
    duty = risk_assessment(built.board)
    plan = board_plan(built.board).plan
    meeting, proposal = plan.proposal(f"obligation:{duty.pk}:{duty.first_due}")
    assert meeting.meeting_id == built.meeting.pk
    assert not proposal.late


def test_accepting_puts_the_item_and_its_motion_on_the_agenda_in_one_step():
    built = pmg()
    duty = risk_assessment(built.board)
    key = f"obligation:{duty.pk}:{duty.first_due}"
    planned = proposal_accept(board=built.board, key=key, by=built.secretary)
    item = planned.agenda_item
    assert item.meeting == built.meeting
    assert item.title == "Annual risk assessment"
    assert item.kind == AgendaItem.Kind.DECISION
    assert "(Portsmouth PMG ToR 2.1.5)" in item.motion.text
    assert (planned.obligation, planned.due_on) == (duty, duty.first_due)
    # No longer proposed; shown on the agenda instead, and as planned for.
    plan = board_plan(built.board).plan
    assert plan.proposal(key) is None
    on_agenda = [e.item_id for m in plan.meetings for e in m.on_agenda]
    assert item.pk in on_agenda
    assert row_of(duty).planned_for.meeting == built.meeting


def test_accepting_twice_is_refused():
    built = pmg()
    duty = risk_assessment(built.board)
    key = f"obligation:{duty.pk}:{duty.first_due}"
    proposal_accept(board=built.board, key=key, by=built.secretary)
    with pytest.raises(RuleViolation) as refusal:
        proposal_accept(board=built.board, key=key, by=built.secretary)
    assert refusal.value.rule == "forward_plan"
    assert PlannedItem.objects.count() == 1
    assert built.meeting.items.count() == 1


def test_a_proposal_on_a_proposed_date_needs_the_meeting_scheduled_first():
    built = pmg(meeting=False)
    duty = risk_assessment(built.board, first_due=TODAY + datetime.timedelta(days=200))
    key = f"obligation:{duty.pk}:{duty.first_due}"
    assert board_plan(built.board).plan.proposal(key) is not None
    with pytest.raises(RuleViolation) as refusal:
        proposal_accept(board=built.board, key=key, by=built.secretary)
    assert "schedule it first" in refusal.value.message
    assert not AgendaItem.objects.exists()


def test_accepting_onto_another_boards_meeting_is_refused():
    built = pmg()
    duty = risk_assessment(built.board)
    other = MeetingFactory(board=BoardFactory())
    with pytest.raises(RuleViolation):
        proposal_accept(
            board=built.board,
            key=f"obligation:{duty.pk}:{duty.first_due}",
            meeting=other,
            by=built.secretary,
        )
    assert not AgendaItem.objects.exists()


def _hold(meeting: Meeting, outcome: str) -> None:
    """The meeting held and closed, the planned item's motion closed with
    ``outcome`` (what the meetings services record; tested there)."""
    for item in meeting.items.select_related("motion"):
        motion = getattr(item, "motion", None)
        if motion is not None:
            motion.status = "closed"
            motion.outcome = outcome
            motion.save()
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.CLOSED,
        starts_at=timezone.now() - datetime.timedelta(days=1),
    )


def test_a_decision_duty_is_discharged_when_its_motion_is_carried():
    built = pmg()
    duty = risk_assessment(built.board)
    proposal_accept(
        board=built.board,
        key=f"obligation:{duty.pk}:{duty.first_due}",
        by=built.secretary,
    )
    _hold(built.meeting, MotionOutcome.CARRIED)
    row = row_of(duty)
    assert row.state.last_done == TODAY - datetime.timedelta(days=1)
    assert row.evidence[0].kind == "A decision"
    assert row.state.due.year == TODAY.year + 1 or row.state.due > TODAY


def test_a_decision_duty_is_not_discharged_when_the_motion_is_referred():
    built = pmg()
    duty = risk_assessment(built.board)
    proposal_accept(
        board=built.board,
        key=f"obligation:{duty.pk}:{duty.first_due}",
        by=built.secretary,
    )
    _hold(built.meeting, MotionOutcome.REFERRED)
    row = row_of(duty)
    assert row.state.last_done is None
    assert row.state.due == duty.first_due


def test_a_report_due_goes_to_the_first_meeting_after_it_is_ready():
    """A monthly report due the day before the meeting is not ready for it (papers
    go out four working days before): it goes to the meeting after."""
    built = pmg()
    second = MeetingFactory(
        board=built.board,
        starts_at=built.meeting.starts_at + datetime.timedelta(days=60),
    )
    meeting_day = timezone.localtime(built.meeting.starts_at).date()
    duty = services.obligation_create(
        board=built.board,
        title="Monthly report of the Pooled Fund Manager",
        source="Portsmouth PMG ToR 7.1",
        kind=Obligation.Kind.RECEIVE_REPORT,
        frequency="monthly",
        cycle="fixed",
        first_due=meeting_day - datetime.timedelta(days=1),
    )
    plan = board_plan(built.board).plan
    meeting, _ = plan.proposal(f"obligation:{duty.pk}:{duty.first_due}")
    assert meeting.meeting_id == second.pk


def test_reports_another_board_owes_are_expected_at_this_boards_meetings():
    """IFPG: "submit a report to the Integration Executive": the IE's plan expects
    it at its first meeting after the IFPG's due date."""
    built = pmg()
    executive = BoardFactory(name="Integration Executive")
    meeting = MeetingFactory(
        board=executive, starts_at=timezone.now() + datetime.timedelta(days=90)
    )
    duty = risk_assessment(
        built.board, kind=Obligation.Kind.SUBMIT_REPORT, reports_to=executive
    )
    plan = board_plan(Board.objects.get(pk=executive.pk)).plan
    found = plan.proposal(f"incoming:{duty.pk}:{duty.first_due}")
    assert found is not None and found[0].meeting_id == meeting.pk
    assert "report from the" in found[1].expected.title


def test_open_actions_bring_a_matters_arising_proposal():
    from meetings.services.actions import action_add

    built = pmg()
    earlier = MeetingFactory(
        board=built.board,
        starts_at=timezone.now() - datetime.timedelta(days=30),
        status=Meeting.Status.CLOSED,
    )
    action_add(
        meeting=earlier,
        description="Circulate the dashboard",
        owner_name="Director",
        due_on=TODAY,
        by=built.secretary,
    )
    bp = board_plan(built.board)
    meeting, proposal = bp.plan.proposal(f"actions:{built.meeting.pk}")
    assert meeting.meeting_id == built.meeting.pk
    assert proposal.expected.title == "Matters arising and the action log"
    assert [a.description for a in bp.actions_due[built.meeting.pk]] == [
        "Circulate the dashboard"
    ]
