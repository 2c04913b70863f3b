"""Portsmouth cabinet report 7.2: "agreed underspends can ... be returned to the
partner who made the contribution": a scheme's underspend belongs to its
contributors (pro rata), and goes back only by a decision of the board."""

from decimal import Decimal

import pytest

from governance.exceptions import RuleViolation
from pooled_funds.risk_share import (
    SchemeContribution,
    SchemeForecast,
    risk_share,
    underspend_owners,
)
from pooled_funds.services.decisions import fund_decision_record
from pooled_funds.services.returns import return_approve, return_enter, return_submit
from tests.pooled_funds.conftest import all_lines
from tests.pooled_funds.factories import ContributionFactory

D = Decimal


@pytest.mark.parametrize(
    "forecast, contributions, expected",
    [
        # funded by two partners 2:1, £300 under: £200 and £100
        (
            "700",
            [("A", "CCG", "600"), ("A", "PCC", "400"), ("A", "CCG", "0")],
            {"CCG": "180", "PCC": "120"},
        ),
        # no contribution to the scheme itself: its lead partner (LEAD) holds it
        ("700", [("B", "CCG", "1000")], {"LEAD": "300"}),
        # an overspend leaves nothing to return
        ("1100", [("A", "CCG", "1000")], {}),
        # odd pence go to the largest contributor, so the shares add up exactly
        ("999.99", [("A", "X", "1"), ("A", "Y", "2")], {"X": "0.00", "Y": "0.01"}),
    ],
)
def test_underspend_belongs_to_the_contributors(forecast, contributions, expected):
    owners = underspend_owners(
        SchemeForecast("A", "LEAD", D("1000"), D(forecast)),
        [SchemeContribution(s, p, D(a)) for s, p, a in contributions],
    )
    assert owners == {p: D(a) for p, a in expected.items()}


def test_risk_share_reports_underspend_against_the_contributor_not_the_lead():
    """The old rule gave PCC's share of a CCG-led scheme's underspend to the CCG."""
    shares = {
        s.partner: s
        for s in risk_share(
            [SchemeForecast("A", "CCG", D("1000"), D("900"))],
            contributions=[
                SchemeContribution("A", "CCG", D("500")),
                SchemeContribution("A", "PCC", D("500")),
            ],
        )
    }
    assert shares["CCG"].underspend == D("50") and shares["PCC"].underspend == D("50")


@pytest.fixture
def approved(fund, officer, manager):
    """S3 (£400,000, contributed 3:1 by the council and the CCG) £40,000 under."""
    s3 = fund.schemes.get(reference="S3")
    ContributionFactory(
        fund=fund,
        partner=fund.council,
        stream="additional",
        scheme=s3,
        amount=D("300000"),
    )
    ContributionFactory(
        fund=fund, partner=fund.ccg, stream="additional", scheme=s3, amount=D("100000")
    )
    rows = all_lines(S3={"forecast_outturn": "360000"})
    ret = return_enter(
        fund=fund,
        period="2015-Q1",
        rows=rows,
        user=officer,
        difference_explanation="Scheme contributions recorded on top of the pool.",
    )
    return_submit(ret=ret, user=officer)
    return return_approve(ret=ret, user=manager)


@pytest.mark.django_db
def test_underspend_returns_to_the_contributor_once_the_board_agrees(
    fund, manager, approved, carried_motion
):
    """With a carried motion the council gets back up to its £30,000 share; a
    motion that was not carried, or more than the share, is refused."""
    s3 = fund.schemes.get(reference="S3")
    kwargs = dict(
        fund=fund,
        kind="underspend_return",
        user=manager,
        from_scheme=s3,
        partner=fund.council,
        ret=approved,
    )
    with pytest.raises(RuleViolation) as caught:
        fund_decision_record(
            amount=D("30000"),
            motion=carried_motion(fund.board, outcome="referred"),
            **kwargs,
        )
    assert caught.value.rule == "carried_motion_required"
    with pytest.raises(RuleViolation) as caught:
        fund_decision_record(
            amount=D("30000.01"), motion=carried_motion(fund.board), **kwargs
        )
    assert caught.value.rule == "underspend_return_exceeds_share"
    decision = fund_decision_record(
        amount=D("30000"), motion=carried_motion(fund.board), **kwargs
    )
    assert decision.partner == fund.council and decision.ret == approved
    with pytest.raises(RuleViolation):  # already returned in full
        fund_decision_record(amount=D("1"), motion=carried_motion(fund.board), **kwargs)


@pytest.mark.django_db
def test_an_unapproved_returns_underspend_cannot_go_back(
    fund, officer, manager, carried_motion
):
    ret = return_enter(fund=fund, period="2015-Q1", rows=all_lines(), user=officer)
    with pytest.raises(RuleViolation) as caught:
        fund_decision_record(
            fund=fund,
            kind="underspend_return",
            amount=D("1"),
            user=manager,
            motion=carried_motion(fund.board),
            from_scheme=fund.schemes.get(reference="S1"),
            partner=fund.ccg,
            ret=ret,
        )
    assert caught.value.rule == "underspend_return_unapproved"
