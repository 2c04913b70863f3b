"""The demo's duties, forward plan and members' records (issue 18), loaded once:

- each board carries the duties the issue lists, quoted with their clauses;
- the PMG's forward plan proposes the annual risk assessment at the last meeting
  before it is due, and each monthly fund report at the first meeting after it is
  ready; one is accepted onto the agenda;
- the PMG's attendance statistics match the demo's meetings, counted here from the
  attendance rows themselves;
- the demo members' registers are offered at the PMG's coming meeting.
"""

from collections import Counter

import pytest

from boards.models import Board
from governance.calendar import local_date
from meetings.models import AgendaItem, Attendance, Meeting
from meetings.selectors import members
from planning.selectors.obligations import obligation_rows
from planning.selectors.plan import board_plan
from planning.services.plan import proposal_accept
from tests.demo_copy import load_demo

pytestmark = pytest.mark.django_db

PMG = "Better Care & Integrated Commissioning Service Partnership Management Group"

# (board label, duty title): the clause it cites begins with this.
ISSUE_DUTIES = {
    ("Portsmouth PMG", "Annual risk assessment"): "Portsmouth PMG ToR 2.1.5",
    ("Portsmouth PMG", "Performance Payment protocol"): "Portsmouth PMG ToR 2.1.5",
    ("Portsmouth PMG", "Annual review of the Schedules"): "Portsmouth PMG ToR 2.1.6",
    ("Portsmouth PMG", "Review of the risk register"): "Portsmouth PMG ToR 2.1",
    ("Portsmouth PMG", "Terms of reference reviewed"): "Portsmouth PMG ToR",
    ("West Kent S75 Group", "Annual risk assessment"): "West Kent s75 annex",
    ("West Kent S75 Group", "Performance Payment protocol"): "West Kent s75 annex",
    ("West Kent S75 Group", "Annual review of the Schedules"): "West Kent s75 annex",
    (
        "IFPG",
        "Annual financial risk assessment, reported to the Integration Executive",
    ): "IFPG ToR (May 2018)",
    ("IFPG", "Quarterly report on the Better Care Fund schemes"): "IFPG ToR",
    ("IFPG", "Quarterly report on the joint commissioning areas"): "IFPG ToR",
    ("IFPG", "Quarterly report on the Learning Disabilities Pooled budget"): "IFPG",
    ("IFPG", "Quarterly report on the Menorrhagia Services budget"): "IFPG ToR",
    ("JCG", "Forward planner of governance activities"): "JCG ToR",
    ("JCG", "Joint commissioning workplan reviewed"): "JCG ToR",
    ("JCG", "Decision log recorded within the minutes"): "JCG ToR",
}


@pytest.fixture
def loaded():
    load_demo()


def test_the_demo_duties_plan_and_members_records(loaded):
    rows = obligation_rows(Board.objects.all())
    cited = {(r.obligation.board.label, r.obligation.title): r for r in rows}
    for key, clause in ISSUE_DUTIES.items():
        assert key in cited, key
        assert cited[key].obligation.source.startswith(clause), key
    ie = [r for r in rows if r.obligation.board.label == "IE"]
    assert {r.obligation.frequency for r in ie} == {"quarterly", "annually"}
    assert all(r.obligation.reports_to.label.endswith("Wellbeing Board") for r in ie)
    terms = cited[("Portsmouth PMG", "Terms of reference reviewed")].state
    assert terms.status == "overdue"
    assert terms.gaps == ("the current version's approval is not recorded",)

    # The PMG's forward plan.
    pmg = Board.objects.get(name=PMG)
    coming = Meeting.objects.get(board=pmg, status=Meeting.Status.SCHEDULED)
    plan = board_plan(pmg).plan
    risk = cited[("Portsmouth PMG", "Annual risk assessment")]
    found = plan.proposal(f"obligation:{risk.obligation.pk}:{risk.state.due}")
    assert found is not None and found[0].meeting_id == coming.pk
    assert risk.state.due > local_date(coming.starts_at)
    reports = [
        (meeting, proposal)
        for meeting in plan.meetings
        for proposal in meeting.proposals
        if proposal.expected.title.startswith("Monthly financial and activity report")
    ]
    assert reports
    for meeting, proposal in reports:
        # A report goes to a meeting after it is ready, never before.
        assert proposal.expected.due_on < meeting.meeting.on
    secretary = pmg.secretaries.first()
    planned = proposal_accept(
        board=pmg,
        key=f"obligation:{risk.obligation.pk}:{risk.state.due}",
        by=secretary,
    )
    assert planned.agenda_item.meeting == coming
    assert AgendaItem.objects.filter(
        meeting=coming, title="Annual risk assessment"
    ).exists()

    # Attendance statistics against the attendance rows of the held meetings.
    held = Meeting.objects.filter(board=pmg, status__in=members.HELD)
    first, last = (
        local_date(m.starts_at)
        for m in (held.earliest("starts_at"), held.latest("starts_at"))
    )
    stats = members.board_attendance(pmg, first, last)
    assert len(stats.meetings) == held.count()
    expected = Counter(
        (a.seat_id, a.status) for a in Attendance.objects.filter(meeting__in=held)
    )
    for row in stats.seats:
        counts = row.counts
        assert counts.present == expected[(row.seat.pk, Attendance.Status.PRESENT)]
        assert counts.deputised == expected[(row.seat.pk, Attendance.Status.DEPUTY)]
        assert counts.apologies == expected[(row.seat.pk, Attendance.Status.APOLOGIES)]
        assert counts.total == sum(
            n for (seat, _), n in expected.items() if seat == row.seat.pk
        )

    # The registers of interests are offered on the coming meeting's items.
    item = coming.items.first()
    offered = {
        o.person.email
        for seat in pmg.seats.filter(active=True)
        for o in members.offers_for_member(seat.holder, item)
        if seat.holder
    }
    assert "member@demo.example" in offered
