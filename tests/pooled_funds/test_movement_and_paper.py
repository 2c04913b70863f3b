"""Movement is measured against the last approved return (never a draft or a return
sent back); the approved return's paper goes before "Any other business"."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from meetings.models import Meeting
from meetings.services.agenda import agenda_standing_items_add, item_add
from pooled_funds.selectors import return_lines
from pooled_funds.services.returns import (
    return_approve,
    return_enter,
    return_submit,
)
from tests.pooled_funds.conftest import all_lines

D = Decimal
pytestmark = pytest.mark.django_db


def _enter(fund, officer, period, s1_forecast, **extra):
    rows = all_lines(
        S1={"forecast_outturn": str(s1_forecast), "action_plan": "Recover"}
    )
    return return_enter(fund=fund, period=period, rows=rows, user=officer, **extra)


def test_movement_is_against_the_last_approved_return(fund, officer, manager):
    """Q1 approved at £510,000; Q2 a draft at £530,000; Q3 at £520,000 moves
    +£10,000 against Q1, not -£10,000 against the unapproved Q2."""
    q1 = _enter(fund, officer, "2015-Q1", 510000)
    return_submit(ret=q1, user=officer)
    return_approve(ret=q1, user=manager)
    _enter(fund, officer, "2015-Q2", 530000)
    q3 = _enter(fund, officer, "2015-Q3", 520000)
    s1 = next(v for v in return_lines(q3) if v.line.scheme.reference == "S1")
    assert s1.previous_forecast == D("510000")
    assert s1.derived.movement == D("10000")


def test_no_movement_without_an_earlier_approved_return(fund, officer):
    _enter(fund, officer, "2015-Q1", 510000)
    q2 = _enter(fund, officer, "2015-Q2", 520000)
    assert all(v.derived.movement is None for v in return_lines(q2))


def test_the_return_paper_goes_before_any_other_business(fund, officer, manager):
    """An approved return is business of the board's next meeting: its item, with
    the return report as its paper, goes after the standing items that open the
    agenda and before "Any other business", which stays last (issue 13)."""
    meeting = Meeting.objects.create(
        board=fund.board, starts_at=timezone.now() + datetime.timedelta(days=7)
    )
    agenda_standing_items_add(meeting=meeting)
    item_add(meeting=meeting, title="Scheme review", by=manager)
    ret = _enter(fund, officer, "2015-Q1", 500000)
    return_submit(ret=ret, user=officer)
    return_approve(ret=ret, user=manager)
    items = list(meeting.items.order_by("order"))
    assert [i.standing for i in items] == [
        "apologies",
        "declarations",
        "previous_minutes",
        "matters_arising",
        "",
        "",
        "aob",
    ]
    assert items[4].title == "Scheme review"
    assert items[5].title.startswith("Pooled fund return")
    assert items[5].papers.count() == 1
    assert items[-1].title == "Any other business"
