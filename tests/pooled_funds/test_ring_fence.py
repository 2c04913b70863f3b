"""Ring-fenced money (West Kent annex 3.1: the Disabled Facilities Grant "may only
be used for that purpose"): refused, with the clause, in every decision on money;
and no redistribution between localities (West Kent 4.1)."""

from decimal import Decimal

import pytest

from governance.exceptions import RuleViolation
from pooled_funds.ring_fence import (
    ALWAYS_RING_FENCED,
    SchemeStream,
    StreamMoney,
    refuse_move,
)
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
    if refused and not contributions:
        # The DFG's default ring fence, quoted from its source.
        assert "West Kent annex 3.1" in reason


def test_a_refusal_quotes_the_contributions_own_conditions_not_west_kents():
    """Portsmouth's DFG is refused with Portsmouth's conditions: the clause comes from
    the ring-fenced contribution, the source scheme's own first."""
    portsmouth = (
        "Disabled Facilities Grant: capital, may only be used for that purpose."
    )
    reason = refuse_move(
        source=SchemeStream("PBCF04", "dfg"),
        target=SchemeStream("PBCF01"),
        contributions=[
            StreamMoney("dfg", True, "OTHER", "Another scheme's conditions."),
            StreamMoney("dfg", True, "PBCF04", portsmouth),
        ],
        stream_labels={"dfg": "Disabled Facilities Grant"},
    )
    assert f"“{portsmouth}”" in reason
    assert "West Kent" not in reason and "Another scheme" not in reason


def test_a_ring_fence_without_conditions_says_so_without_quoting_west_kent():
    reason = refuse_move(
        source=SchemeStream("S9"),
        target=SchemeStream("S1"),
        contributions=[StreamMoney("social_care_capital", True, "S9")],
    )
    assert "marked ring-fenced" in reason and "West Kent" not in reason


def test_the_always_ring_fenced_streams_carry_their_source():
    assert ALWAYS_RING_FENCED == {"dfg": ALWAYS_RING_FENCED["dfg"]}
    assert ALWAYS_RING_FENCED["dfg"].startswith("West Kent annex 3.1")


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


@pytest.mark.django_db
def test_the_service_refuses_with_the_funds_own_dfg_conditions(
    fund, manager, carried_motion
):
    scheme = SchemeFactory(
        fund=fund, reference="PBCF04", lead_partner=fund.council, stream="dfg"
    )
    ContributionFactory(
        fund=fund,
        partner=fund.council,
        stream="dfg",
        scheme=scheme,
        amount=D("0"),
        ring_fenced=True,
        conditions="Portsmouth: capital, may only be used for that purpose.",
    )
    with pytest.raises(RuleViolation) as caught:
        fund_decision_record(
            fund=fund,
            kind="redistribution",
            amount=D("10"),
            user=manager,
            motion=carried_motion(fund.board),
            from_scheme=scheme,
            to_scheme=fund.schemes.get(reference="S1"),
        )
    assert "“Portsmouth: capital, may only be used for that purpose.”" in (
        caught.value.message
    )
    assert "West Kent" not in caught.value.message
