"""Review fixes for decisions on money (Portsmouth PMG ToR 5.1.1-5.1.2): an advisory
board's recommendation does not authorise money, the amount stays within the
motion's financial value, and one carried motion backs at most one decision."""

from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.utils import timezone

from governance.exceptions import RuleViolation
from meetings.models import AgendaItem, Meeting, Motion
from pooled_funds.models import FundDecision
from pooled_funds.services.decisions import fund_decision_record

D = Decimal
pytestmark = pytest.mark.django_db


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
