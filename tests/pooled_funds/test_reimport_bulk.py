"""``governance.bulk``: a re-import's update by ``UPDATE ... FROM (VALUES ...)``
in batches writes exactly what Django's ``bulk_update`` would (decimals, blanks,
text with quotes, every row of every batch) and the audit history of each row;
on SQLite it falls back to ``bulk_update``."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.bulk import bulk_update_values, bulk_update_with_history
from pooled_funds.models import ReturnLine
from pooled_funds.services.returns import return_enter
from tests.pooled_funds.conftest import line

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(fund, officer):
    rows = [line(s.reference, s.budget, 1, s.budget) for s in fund.schemes.all()]
    ret = return_enter(fund=fund, period="2015-Q1", rows=rows, user=officer)
    return list(ret.lines.order_by("pk"))


def test_update_writes_every_value_of_every_batch(lines, officer):
    for n, row in enumerate(lines):
        row.actual_to_date = Decimal("1234.56") + n
        row.forecast_outturn = Decimal("0.01")
        row.commentary = f'It\'s line {n}; "quoted"'
        row.action_plan = ""
    with CaptureQueriesContext(connection) as queries:
        updated = bulk_update_values(
            lines,
            ReturnLine,
            ["actual_to_date", "forecast_outturn", "commentary", "action_plan"],
            batch_size=2,
        )
    assert updated == len(lines) == 3
    assert len(queries) == 2  # two batches: 2 rows, then 1
    if connection.vendor == "postgresql":
        assert "FROM (VALUES" in queries.captured_queries[0]["sql"]
    for n, row in enumerate(ReturnLine.objects.order_by("pk")):
        assert row.actual_to_date == Decimal("1234.56") + n
        assert row.forecast_outturn == Decimal("0.01")
        assert row.commentary == f'It\'s line {n}; "quoted"'
        assert row.action_plan == ""


def test_update_with_history_keeps_before_and_after(lines, officer):
    lines[0].budget = Decimal("7")
    bulk_update_with_history(lines[:1], ReturnLine, ["budget"], default_user=officer)
    latest = ReturnLine.history.filter(id=lines[0].pk).order_by("-history_id")[0]
    assert (latest.history_type, latest.budget, latest.history_user) == (
        "~",
        Decimal("7"),
        officer,
    )
    changes = latest.diff_against(latest.prev_record).changes
    assert [(c.field, c.new) for c in changes] == [("budget", Decimal("7"))]


def test_nothing_to_update_costs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert bulk_update_values([], ReturnLine, ["budget"]) == 0
