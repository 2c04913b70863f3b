"""Ring-fenced money (West Kent annex 3.1: the Disabled Facilities Grant "may only
be used for that purpose"): refused, with the clause, in every decision on money;
and no redistribution between localities (West Kent 4.1)."""

from decimal import Decimal

import pytest

from governance.exceptions import RuleViolation
from pooled_funds.ring_fence import SchemeStream, StreamMoney, refuse_move
from pooled_funds.services.decisions import fund_decision_record
from tests.pooled_funds.factories import ContributionFactory, SchemeFactory

D = Decimal


@pytest.mark.parametrize(
    "source, target, contributions, refused",
    [
        # DFG is ring-fenced even when no contribution says so
        (SchemeStream("DFG", "dfg"), SchemeStream("S1"), [], True),
        # ... and may move only to another DFG scheme
        (SchemeStream("DFG", "dfg"), SchemeStream("DFG2", "dfg"), [], False),
        # back to a partner (an underspend returned) leaves its purpose
        (SchemeStream("DFG", "dfg"), None, [], True),
        # a scheme receiving a ring-fenced contribution is ring-fenced
        (
            SchemeStream("S9"),
            SchemeStream("S1"),
            [StreamMoney("social_care_capital", True, "S9")],
            True,
        ),
        # an ordinary scheme moves freely
        (
            SchemeStream("S1"),
            SchemeStream("S2"),
            [StreamMoney("nhs_minimum", False, "S1")],
            False,
        ),
        (SchemeStream("S1"), None, [], False),
    ],
)
def test_ring_fence_rule(source, target, contributions, refused):
    reason = refuse_move(source=source, target=target, contributions=contributions)
    assert (reason is not None) is refused
    if refused:
        assert "West Kent annex 3.1" in reason


@pytest.fixture
def dfg(fund):
    scheme = SchemeFactory(
        fund=fund,
        reference="DFG",
        lead_partner=fund.council,
        stream="dfg",
        scheme_type="capital",
        budget=D("200000"),
    )
    ContributionFactory(
        fund=fund,
        partner=fund.council,
        stream="dfg",
        scheme=scheme,
        amount=D("200000"),
        ring_fenced=True,
    )
    return scheme


@pytest.mark.django_db
def test_dfg_money_cannot_be_redistributed(fund, manager, dfg, carried_motion):
    """Even with a carried motion, moving DFG budget to another scheme is refused
    naming the clause; both budgets are unchanged."""
    s1 = fund.schemes.get(reference="S1")
    with pytest.raises(RuleViolation) as caught:
        fund_decision_record(
            fund=fund,
            kind="redistribution",
            amount=D("10000"),
            user=manager,
            motion=carried_motion(fund.board),
            from_scheme=dfg,
            to_scheme=s1,
        )
    assert caught.value.rule == "ring_fenced"
    assert "Disabled Facilities Grant" in caught.value.message
    assert "may only be used for that purpose" in caught.value.message
    dfg.refresh_from_db()
    s1.refresh_from_db()
    assert (dfg.budget, s1.budget) == (D("200000"), D("500000"))


@pytest.mark.django_db
def test_dfg_money_cannot_fund_a_commitment_elsewhere(
    fund, manager, dfg, carried_motion
):
    with pytest.raises(RuleViolation) as caught:
        fund_decision_record(
            fund=fund,
            kind="commitment",
            amount=D("10000"),
            user=manager,
            motion=carried_motion(fund.board),
            from_scheme=dfg,
            to_scheme=fund.schemes.get(reference="S3"),
        )
    assert caught.value.rule == "ring_fenced"


@pytest.mark.django_db
def test_dfg_redistribution_over_the_api_is_409(
    api_as, fund, manager, dfg, carried_motion
):
    response = api_as(manager).post(
        f"/api/v1/funds/{fund.pk}/decisions/",
        {
            "kind": "redistribution",
            "amount": "10000",
            "motion": carried_motion(fund.board).pk,
            "from_scheme": dfg.pk,
            "to_scheme": fund.schemes.get(reference="S1").pk,
        },
        format="json",
    )
    assert response.status_code == 409 and response.json()["rule"] == "ring_fenced"


@pytest.mark.django_db
def test_no_redistribution_between_localities(fund, manager, carried_motion):
    """West Kent 4.1: "no cross subsidy across CCG localities"."""
    fund.schemes.filter(reference="S1").update(locality="East")
    fund.schemes.filter(reference="S2").update(locality="West")
    with pytest.raises(RuleViolation) as caught:
        fund_decision_record(
            fund=fund,
            kind="redistribution",
            amount=D("1000"),
            user=manager,
            motion=carried_motion(fund.board),
            from_scheme=fund.schemes.get(reference="S1"),
            to_scheme=fund.schemes.get(reference="S2"),
        )
    assert caught.value.rule == "locality_cross_subsidy"
