"""The demo funds for the three places the documents describe (the ``funds`` of
demo/data/*.yaml), each with a year of returns (issue 16)."""

from decimal import Decimal

import pytest

from demo import load
from pooled_funds.models import Contribution, PooledFund, ReturnLine, Scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    load.load(meetings=False)


def test_the_three_places_have_funds_with_a_year_of_returns(loaded):
    funds = {f.name: f for f in PooledFund.objects.all()}
    portsmouth = funds["Portsmouth Better Care Fund 2022/23"]
    assert portsmouth.frequency == "monthly"
    assert portsmouth.returns.count() == 12
    leicestershire = [n for n in funds if n.startswith("Leicestershire")]
    assert len(leicestershire) == 4  # the IFPG's four budgets
    for name in leicestershire:
        assert funds[name].frequency == "quarterly"
        assert funds[name].returns.count() == 4
    west_kent = funds["West Kent Better Care Fund 2015/16"]
    assert west_kent.pooled_total == Decimal("26394000")
    assert sorted(west_kent.returns.values_list("period", "status")) == [
        ("2015-Q1", "approved"),
        ("2015-Q2", "approved"),
        ("2015-Q3", "approved"),
        ("2015-Q4", "approved"),
    ]


def test_the_finance_officers_dashboard_shows_an_overdue_sent_back_and_waiting_return(
    loaded,
):
    """West Kent's year is complete; the overdue state is shown by another period:
    Leicestershire's joint commissioning Q4, entered but never submitted. Beside it
    the Learning Disabilities Q4 sent back and Portsmouth's March awaiting approval."""
    from datetime import date

    from governance.models import User
    from pooled_funds.selectors import dashboard_panels

    finance = User.objects.get(email="finance@demo.example")
    (panel,) = dashboard_panels(finance, today=date(2026, 12, 1))
    groups = {key: entries for _, key, entries in panel["groups"]}
    overdue = [(e.fund.name, e.state.period) for e in groups["overdue"]]
    assert overdue == [("Leicestershire joint commissioning areas 2018/19", "2018-Q4")]
    assert [(e.fund.name, e.state.period) for e in groups["sent_back"]] == [
        ("Leicestershire Learning Disabilities pooled budget 2018/19", "2018-Q4")
    ]
    assert [(e.fund.name, e.state.period) for e in groups["awaiting_approval"]] == [
        ("Portsmouth Better Care Fund 2022/23", "2023-03")
    ]
    assert not any(e.fund.name.startswith("West Kent") for e in groups["overdue"])


def test_west_kent_has_the_annexs_grant_streams_ring_fenced(loaded):
    streams = set(
        Contribution.objects.filter(
            fund__name__startswith="West Kent", ring_fenced=True
        ).values_list("stream", flat=True)
    )
    assert streams == {"dfg", "social_care_capital"}


def test_every_demo_return_covers_every_scheme_and_one_overspend_has_a_plan(loaded):
    for fund in PooledFund.objects.all():
        schemes = Scheme.objects.filter(fund=fund, active=True).count()
        for ret in fund.returns.all():
            assert ret.lines.count() == schemes
    overspent = [
        line
        for line in ReturnLine.objects.select_related("ret__fund")
        if line.forecast_outturn > line.budget
    ]
    places = {line.ret.fund.name.split()[0] for line in overspent}
    assert places == {"West", "Portsmouth", "Leicestershire"}
    assert all(line.action_plan for line in overspent)


def test_loading_twice_changes_nothing(loaded):
    before = (PooledFund.objects.count(), ReturnLine.objects.count())
    load.load(meetings=False)
    assert (PooledFund.objects.count(), ReturnLine.objects.count()) == before
