"""Return services: entry, upload, workflow, the paper on the next agenda, decisions
on money needing a carried motion, reminders (SPEC s.6)."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import IntegrityError
from django.utils import timezone

from governance.exceptions import InvalidTransition, RuleViolation
from governance.models import OutboxMessage
from meetings.models import AgendaItem, Meeting, Motion, Paper
from pooled_funds.models import (
    FundDecision,
    Return,
    ReturnLine,
    ReturnReminder,
    ReturnStatus,
)
from pooled_funds.services.decisions import fund_decision_record
from pooled_funds.services.reminders import returns_send_reminders
from pooled_funds.services.returns import (
    ReturnRejected,
    return_approve,
    return_enter,
    return_import,
    return_send_back,
    return_submit,
    returns_place_pending_papers,
)
from tests.boards.factories import BoardFactory
from tests.pooled_funds.conftest import line

D = Decimal
pytestmark = pytest.mark.django_db


def enter(fund, officer, rows, period="2015-Q1"):
    return return_enter(fund=fund, period=period, rows=rows, user=officer)


def test_a_return_is_entered_as_a_draft_with_its_lines(fund, officer, good_rows):
    """Entering lines makes a draft return; the lines carry the figures."""
    ret = enter(fund, officer, good_rows)
    assert ret.status == "draft"
    assert ReturnLine.objects.filter(ret=ret).count() == 3
    first = ret.lines.get(scheme__reference="S1")
    assert first.original_budget == D("500000")
    assert first.variance == D("30000")


def test_a_bad_return_is_rejected_whole_and_nothing_is_saved(fund, officer, good_rows):
    """One bad row: every error is reported and no return or line is saved."""
    rows = good_rows + [line("NOPE", 1, 1, 1), line("S2", 1, -1, 1)]
    with pytest.raises(ReturnRejected) as caught:
        enter(fund, officer, rows)
    found = {(e.row, e.column) for e in caught.value.errors}
    assert found == {(4, "scheme"), (5, "scheme"), (5, "actual_to_date")}
    assert not Return.objects.exists() and not ReturnLine.objects.exists()


def test_entering_again_replaces_the_draft_lines(fund, officer, good_rows):
    """A second entry for the same period updates the draft's lines."""
    ret = enter(fund, officer, good_rows)
    again = enter(fund, officer, [line("S1", 500000, 1, 500000), *good_rows[1:]])
    assert again.pk == ret.pk
    assert list(ret.lines.values_list("scheme__reference", "actual_to_date")) == [
        ("S1", D("1.00")),
        ("S2", D("20000.00")),
        ("S3", D("100000.00")),
    ]


def test_upload_of_csv_template(fund, officer):
    """A CSV upload in the template saves the return."""
    content = (
        b"period,scheme,budget,actual_to_date,forecast_outturn\n"
        b"2015-Q1,S1,500000,1,400000\n2015-Q1,S2,100000,0,0\n"
        b"2015-Q1,S3,400000,1,400000\n,TOTAL,1000000,2,800000\n"
    )
    ret = return_import(
        fund=fund, period="2015-Q1", filename="r.csv", content=content, user=officer
    )
    assert ret.lines.count() == 3


def test_submission_is_refused_without_an_action_plan_for_an_overspend(fund, officer):
    """SPEC s.6: an action plan is required where a scheme forecasts an overspend."""
    ret = enter(
        fund,
        officer,
        [
            line("S1", 500000, 1, 510000),
            line("S2", 100000, 0, 0),
            line("S3", 400000, 0, 0),
        ],
    )
    with pytest.raises(RuleViolation) as caught:
        return_submit(ret=ret, user=officer)
    assert caught.value.rule == "action_plan_required"
    assert "S1" in caught.value.message


def test_workflow_submit_return_resubmit_approve_and_lock(
    fund, officer, manager, good_rows
):
    """Draft -> submitted -> returned with reasons -> submitted -> approved; an
    approved return is locked."""
    ret = enter(fund, officer, good_rows)
    return_submit(ret=ret, user=officer)
    to_manager = OutboxMessage.objects.get(to=manager.email)
    assert to_manager.body.rstrip().endswith(
        f"{settings.SITE_URL}/funds/returns/{ret.pk}/"
    )
    with pytest.raises(RuleViolation):
        enter(fund, officer, good_rows)  # submitted: locked
    with pytest.raises(RuleViolation):
        return_send_back(ret=ret, user=manager, reason=" ")
    return_send_back(ret=ret, user=manager, reason="S2 commentary missing")
    ret.refresh_from_db()
    assert ret.status == "returned" and ret.returned_reason == "S2 commentary missing"
    sent_back = OutboxMessage.objects.get(to=officer.email)
    assert f"{settings.SITE_URL}/funds/returns/{ret.pk}/" in sent_back.body
    enter(fund, officer, good_rows)  # returned: editable again
    return_submit(ret=ret, user=officer)
    return_approve(ret=ret, user=manager)
    ret.refresh_from_db()
    assert ret.status == "approved" and ret.locked
    with pytest.raises(RuleViolation):
        enter(fund, officer, good_rows)
    with pytest.raises(InvalidTransition):
        return_submit(ret=ret, user=officer)


def test_approval_puts_the_return_on_the_next_meeting_agenda_as_a_paper(
    fund, officer, manager, good_rows
):
    """An approved return becomes an information item of pooled-fund business with
    a PDF paper on the board's next scheduled meeting."""
    now = timezone.now()
    Meeting.objects.create(board=fund.board, starts_at=now - datetime.timedelta(days=3))
    later = Meeting.objects.create(
        board=fund.board, starts_at=now + datetime.timedelta(days=40)
    )
    nearest = Meeting.objects.create(
        board=fund.board, starts_at=now + datetime.timedelta(days=9)
    )
    ret = enter(fund, officer, good_rows)
    return_submit(ret=ret, user=officer)
    return_approve(ret=ret, user=manager)
    ret.refresh_from_db()
    item = ret.agenda_item
    assert item.meeting == nearest and item.meeting != later
    assert (item.kind, item.business_type) == ("information", "pooled_fund")
    paper = Paper.objects.get(item=item)
    assert paper.file.read(4) == b"%PDF"
    assert paper.uploaded_by == manager


def test_without_a_next_meeting_the_paper_is_pending_until_one_is_scheduled(
    fund, officer, manager, good_rows
):
    """No meeting scheduled: the return waits as "paper pending" and is placed by
    the sweep once a meeting exists."""
    ret = enter(fund, officer, good_rows)
    return_submit(ret=ret, user=officer)
    return_approve(ret=ret, user=manager)
    ret.refresh_from_db()
    assert ret.paper_pending
    Meeting.objects.create(
        board=fund.board, starts_at=timezone.now() + datetime.timedelta(days=5)
    )
    assert returns_place_pending_papers() == 1
    ret.refresh_from_db()
    assert not ret.paper_pending and AgendaItem.objects.count() == 1


def _motion(board, outcome):
    meeting = Meeting.objects.create(board=board, starts_at=timezone.now())
    item = AgendaItem.objects.create(
        meeting=meeting, title="Redistribute", kind="decision"
    )
    return Motion.objects.create(
        item=item, text="Move £10,000", outcome=outcome, status="closed"
    )


def test_redistribution_needs_a_carried_motion_of_the_funds_board(fund, manager):
    """Portsmouth PMG ToR 5.1.1: a redistribution between schemes is recorded only
    with a carried motion of a board of the fund's agreement."""
    s1, s3 = fund.schemes.get(reference="S1"), fund.schemes.get(reference="S3")
    kwargs = dict(
        fund=fund,
        kind="redistribution",
        amount=D("10000"),
        user=manager,
        from_scheme=s1,
        to_scheme=s3,
    )
    with pytest.raises(RuleViolation) as caught:
        fund_decision_record(motion=_motion(fund.board, "referred"), **kwargs)
    assert caught.value.rule == "carried_motion_required"
    with pytest.raises(RuleViolation) as caught:
        fund_decision_record(motion=_motion(BoardFactory(), "carried"), **kwargs)
    assert caught.value.rule == "motion_board_mismatch"
    decision = fund_decision_record(motion=_motion(fund.board, "carried"), **kwargs)
    s1.refresh_from_db()
    s3.refresh_from_db()
    assert (s1.budget, s3.budget) == (D("490000"), D("410000"))
    assert decision.kind == FundDecision.Kind.REDISTRIBUTION


def test_commitment_beyond_contributions_needs_a_carried_motion(fund, manager):
    """Portsmouth PMG ToR 5.1.2: commitments beyond the contributions likewise."""
    with pytest.raises(RuleViolation):
        fund_decision_record(
            fund=fund,
            kind="commitment",
            amount=D("5"),
            user=manager,
            motion=_motion(fund.board, "deferred_absent_partner"),
        )
    fund_decision_record(
        fund=fund,
        kind="commitment",
        amount=D("5"),
        user=manager,
        motion=_motion(fund.board, "carried"),
    )
    assert FundDecision.objects.count() == 1


def test_reminders_due_then_overdue_once_each(fund, officer, good_rows):
    """A return due within 7 days is reminded once; overdue once; a submitted
    return is not reminded."""
    assert returns_send_reminders(today=datetime.date(2015, 7, 1)) == 0
    assert returns_send_reminders(today=datetime.date(2015, 7, 10)) == 1
    assert returns_send_reminders(today=datetime.date(2015, 7, 11)) == 0
    assert returns_send_reminders(today=datetime.date(2015, 7, 16)) == 1
    assert returns_send_reminders(today=datetime.date(2015, 7, 17)) == 0
    assert set(ReturnReminder.objects.values_list("period", "kind")) == {
        ("2015-Q1", "due"),
        ("2015-Q1", "overdue"),
    }
    reminders = OutboxMessage.objects.filter(to=officer.email)
    assert reminders.count() == 2
    for reminder in reminders:  # absolute links from SITE_URL (issue 13)
        assert f"{settings.SITE_URL}/funds/{fund.pk}/" in reminder.body
    ret = enter(fund, officer, good_rows, period="2015-Q2")
    return_submit(ret=ret, user=officer)
    assert returns_send_reminders(today=datetime.date(2015, 10, 20)) == 0


def test_a_finance_officer_may_not_approve_their_own_return(fund, officer, good_rows):
    """SPEC s.6: the pooled fund manager approves. A manager who is also a finance
    officer of the fund and submitted the return cannot approve it: refused
    (rule approve_own_return) and the return stays submitted."""
    fund.manager = officer
    fund.save(update_fields=["manager"])
    ret = return_enter(fund=fund, period="2015-Q1", rows=good_rows, user=officer)
    return_submit(ret=ret, user=officer)
    with pytest.raises(RuleViolation) as exc:
        return_approve(ret=ret, user=officer)
    assert exc.value.rule == "approve_own_return"
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED


@pytest.mark.parametrize("value", ["1e30", "1000000000000", 1e30])
def test_a_huge_amount_is_a_row_error_not_a_crash(fund, officer, good_rows, value):
    """SPEC s.6 import validation: an amount too large for the money columns is
    listed as an error of its row (and nothing is saved), not a 500."""
    good_rows[1]["forecast_outturn"] = value
    with pytest.raises(ReturnRejected) as exc:
        return_enter(fund=fund, period="2015-Q1", rows=good_rows, user=officer)
    assert [(e.row, e.column) for e in exc.value.errors] == [(2, "forecast_outturn")]
    assert not fund.returns.exists()


def _carried(board, **extra):
    meeting = Meeting.objects.create(board=board, starts_at=timezone.now())
    item = AgendaItem.objects.create(meeting=meeting, title="Money", kind="decision")
    return Motion.objects.create(
        item=item, text="Commit £5", outcome="carried", status="closed", **extra
    )


def _record(fund, manager, motion, amount="5"):
    return fund_decision_record(
        fund=fund, kind="commitment", amount=D(amount), user=manager, motion=motion
    )


def test_a_recommendation_does_not_authorise_a_decision_on_money(fund, manager):
    """A motion carried as a recommendation is refused (rule advisory_motion)."""
    with pytest.raises(RuleViolation) as caught:
        _record(fund, manager, _carried(fund.board, recommendation=True))
    assert caught.value.rule == "advisory_motion"
    assert "advisory" in str(caught.value)
    assert not FundDecision.objects.exists()


def test_an_advisory_boards_motion_does_not_authorise_money(fund, manager):
    """A motion carried by a board that is not decision-making is refused."""
    fund.board.decision_making = False
    fund.board.save()
    with pytest.raises(RuleViolation) as caught:
        _record(fund, manager, _carried(fund.board))
    assert caught.value.rule == "advisory_motion"


def test_the_amount_may_not_exceed_the_motions_financial_value(fund, manager):
    """With a financial value of £1,000 a decision of £1,000.01 is refused and
    £1,000 is recorded."""
    motion = _carried(fund.board, financial_value=D("1000"))
    with pytest.raises(RuleViolation) as caught:
        _record(fund, manager, motion, amount="1000.01")
    assert caught.value.rule == "amount_exceeds_motion"
    assert "£1,000.00" in str(caught.value)
    assert _record(fund, manager, motion, amount="1000").amount == D("1000")


def test_one_carried_motion_backs_one_decision_only(fund, manager):
    """A second decision on the same motion is refused; the database refuses it too."""
    motion = _carried(fund.board)
    first = _record(fund, manager, motion)
    with pytest.raises(RuleViolation) as caught:
        _record(fund, manager, motion)
    assert caught.value.rule == "motion_already_used"
    with pytest.raises(IntegrityError):
        FundDecision.objects.create(
            fund=fund,
            kind="commitment",
            amount=D("1"),
            motion=motion,
            recorded_by=first.recorded_by,
        )
