from decimal import Decimal

import pytest

from tests.boards.factories import PartnerFactory
from tests.pooled_funds.factories import (
    ContributionFactory,
    PooledFundFactory,
    SchemeFactory,
)


@pytest.fixture
def fund(db):
    """A quarterly 2015/16 fund of £1m: two partners, three schemes."""
    ccg = PartnerFactory(name="NHS Test CCG")
    council = PartnerFactory(name="Test County Council", kind="local_authority")
    fund = PooledFundFactory(host_partner=council)
    fund.agreement.partners.set([ccg, council])
    fund.board.partners.set([ccg, council])
    ContributionFactory(fund=fund, partner=ccg, amount=Decimal("600000"))
    ContributionFactory(fund=fund, partner=council, amount=Decimal("400000"))
    SchemeFactory(fund=fund, reference="S1", lead_partner=ccg, budget=Decimal("500000"))
    SchemeFactory(fund=fund, reference="S2", lead_partner=ccg, budget=Decimal("100000"))
    SchemeFactory(
        fund=fund, reference="S3", lead_partner=council, budget=Decimal("400000")
    )
    fund.ccg, fund.council = ccg, council
    return fund


@pytest.fixture
def officer(fund):
    return fund.finance_officers.get()


@pytest.fixture
def manager(fund):
    return fund.manager


def line(scheme, budget, actual, forecast, **extra):
    return {
        "scheme": scheme,
        "budget": str(budget),
        "actual_to_date": str(actual),
        "forecast_outturn": str(forecast),
        **extra,
    }


@pytest.fixture
def good_rows():
    return [
        line(
            "S1",
            500000,
            120000,
            530000,
            action_plan="Recover through demand management.",
        ),
        line("S2", 100000, 20000, 90000),
        line("S3", 400000, 100000, 380000),
    ]


@pytest.fixture
def carried_motion():
    """A motion carried at a meeting of ``board`` (a decision-making board)."""
    from django.utils import timezone

    from meetings.models import AgendaItem, Meeting, Motion

    def make(board, **extra):
        meeting = Meeting.objects.create(board=board, starts_at=timezone.now())
        item = AgendaItem.objects.create(
            meeting=meeting, title="Money", kind="decision"
        )
        fields = {"outcome": "carried", "status": "closed", **extra}
        return Motion.objects.create(item=item, text="Agreed", **fields)

    return make


def all_lines(**overrides):
    """A line for every scheme of the ``fund`` fixture at its approved budget, on
    budget, with ``overrides`` by reference (a dict of fields)."""
    budgets = {"S1": 500000, "S2": 100000, "S3": 400000}
    rows = []
    for ref, budget in budgets.items():
        row = line(ref, budget, 0, budget)
        row.update(overrides.get(ref, {}))
        rows.append(row)
    return rows
