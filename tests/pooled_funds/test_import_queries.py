"""Import performance (issue 7): validating and saving a return takes the same
number of queries for 10 lines as for 500 (bulk operations)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pooled_funds import imports
from pooled_funds.models import Scheme
from pooled_funds.services.returns import return_import
from tests.boards.factories import PartnerFactory
from tests.pooled_funds.factories import PooledFundFactory

pytestmark = pytest.mark.django_db


def _fund_with(n):
    fund = PooledFundFactory()
    partner = PartnerFactory()
    Scheme.objects.bulk_create(
        Scheme(
            fund=fund,
            reference=f"R{i:05d}",
            name=f"S{i}",
            lead_partner=partner,
            budget=Decimal("1000"),
        )
        for i in range(n)
    )
    rows = imports.template_rows(
        period="2015-Q1",
        schemes=[(f"R{i:05d}", "", Decimal("1000")) for i in range(n)],
    )
    for row in rows[1:-1]:
        row[5], row[6] = "10", "990"
    rows[-1][5], rows[-1][6] = str(10 * n), str(990 * n)
    return fund, imports.template_csv(rows)


def _queries(n, user):
    fund, content = _fund_with(n)
    with CaptureQueriesContext(connection) as ctx:
        ret = return_import(
            fund=fund, period="2015-Q1", filename="r.csv", content=content, user=user
        )
    assert ret.lines.count() == n
    return len(ctx.captured_queries)


@pytest.mark.postgres
def test_import_query_count_does_not_grow_with_lines(
    make_user, django_assert_max_num_queries
):
    """PostgreSQL: 10 lines and 500 lines take the same number of queries, at most
    12 (savepoints, schemes, return lock/create + history, existing lines, bulk
    insert of the lines, bulk insert of their history)."""
    user = make_user()
    small, large = _queries(10, user), _queries(500, user)
    assert small == large
    fund, content = _fund_with(500)
    with django_assert_max_num_queries(12):
        return_import(
            fund=fund, period="2015-Q1", filename="r.csv", content=content, user=user
        )


def test_import_queries_grow_only_by_the_databases_batch_limit(make_user):
    """Any database: the only extra queries for 500 lines are the bulk inserts the
    driver must split (SQLite allows 999 parameters a statement), never one per line."""
    user = make_user()
    small, large = _queries(10, user), _queries(500, user)
    per_batch = max(1, connection.ops.bulk_batch_size(["f"] * 13, [None] * 500))
    assert large - small <= 2 * (500 // per_batch + 1)
    assert large < 50
