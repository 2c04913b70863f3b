"""The fund's API representation, read directly for speed, is what DRF's own
field machinery gives for the fields the serializer declares (the schema's)."""

import json
from decimal import Decimal

import pytest
from rest_framework import serializers
from rest_framework.utils.encoders import JSONEncoder

from pooled_funds.api.serializers import FundOut
from tests.pooled_funds.factories import PooledFundFactory

pytestmark = pytest.mark.django_db


def _as_drf(fund) -> dict:
    return serializers.Serializer.to_representation(FundOut(), fund)


def _json(data) -> str:
    return json.dumps(data, cls=JSONEncoder, sort_keys=True)


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"frequency": "monthly", "pooled_total": Decimal("26394000.5")},
        {"board": None, "manager": None, "pooled_total": Decimal("0")},
    ],
    ids=["quarterly", "monthly", "no board, no manager"],
)
def test_the_fund_reads_as_drf_reads_it(fields):
    fund = PooledFundFactory(**fields)
    fund.refresh_from_db()
    fast = FundOut().to_representation(fund)
    assert list(fast) == list(FundOut().fields)
    assert _json(fast) == _json(_as_drf(fund))
