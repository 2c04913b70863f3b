"""Risk share (SPEC s.6; Portsmouth cabinet report 7.2, West Kent 4.1 and Schedule 3):
each partner bears the overspend on the schemes it leads, with no cross-subsidy."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pooled_funds.risk_share import SchemeForecast, risk_share

D = Decimal


def f(scheme, partner, budget, forecast):
    return SchemeForecast(scheme, partner, D(budget), D(forecast))


@pytest.mark.parametrize(
    "lines, expected",
    [
        # on budget: nothing for anyone
        ([f("A", "KCC", 100, 100)], {"KCC": (0, 0)}),
        # the lead partner bears its scheme's overspend
        ([f("A", "CCG", 100, 130)], {"CCG": (30, 0)}),
        # an underspend is reported against the lead (contributing) partner
        ([f("A", "KCC", 100, 60)], {"KCC": (0, 40)}),
        # no cross-subsidy: KCC's underspend does not reduce the CCG's overspend
        (
            [f("A", "CCG", 100, 150), f("B", "KCC", 100, 50)],
            {"CCG": (50, 0), "KCC": (0, 50)},
        ),
        # one partner with both: gross figures are kept apart
        ([f("A", "CCG", 100, 120), f("B", "CCG", 100, 90)], {"CCG": (20, 10)}),
        # a scheme with no direct funding that spends is an overspend
        ([f("A", "CCG", 0, 5)], {"CCG": (5, 0)}),
    ],
)
def test_each_partner_bears_the_overspend_on_schemes_it_leads(lines, expected):
    """Overspend and underspend per partner, from the schemes it leads only."""
    result = {s.partner: (s.overspend, s.underspend) for s in risk_share(lines)}
    assert result == {k: (D(a), D(b)) for k, (a, b) in expected.items()}


def test_a_partner_leading_no_scheme_is_listed_with_nil():
    """Partners named up front appear even with no scheme, with nil shares."""
    shares = risk_share([f("A", "CCG", 10, 12)], partners=["KCC", "CCG"])
    assert [(s.partner, s.overspend, s.underspend) for s in shares] == [
        ("KCC", D(0), D(0)),
        ("CCG", D(2), D(0)),
    ]
    assert shares[1].schemes_overspent == ("A",)
    assert shares[1].net == D(2)


money = st.decimals(min_value=0, max_value=10_000_000, places=2)
line = st.builds(
    SchemeForecast,
    scheme=st.text(min_size=1, max_size=5),
    lead_partner=st.sampled_from(["KCC", "CCG", "PCC"]),
    budget=money,
    forecast_outturn=money,
)


@given(st.lists(line, max_size=30))
def test_property_shares_add_up_to_the_fund_variance(lines):
    """The partners' overspends minus underspends equal the fund's forecast variance."""
    shares = risk_share(lines)
    fund_variance = sum((x.forecast_outturn - x.budget for x in lines), D(0))
    assert sum((s.net for s in shares), D(0)) == fund_variance
    assert all(s.overspend >= 0 and s.underspend >= 0 for s in shares)


@given(st.lists(line, max_size=20), st.lists(line, max_size=20))
def test_property_no_cross_subsidy(mine, others):
    """A partner's share depends only on the schemes it leads: adding or changing
    other partners' schemes never changes it."""
    kcc_only = [x for x in mine if x.lead_partner == "KCC"]
    not_kcc = [x for x in others if x.lead_partner != "KCC"]
    alone = {s.partner: s for s in risk_share(kcc_only, partners=["KCC"])}["KCC"]
    mixed = {s.partner: s for s in risk_share(kcc_only + not_kcc, partners=["KCC"])}[
        "KCC"
    ]
    assert (alone.overspend, alone.underspend) == (mixed.overspend, mixed.underspend)
