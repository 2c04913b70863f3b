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
