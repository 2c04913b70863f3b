"""The board page's pooled fund panels cost the same queries for one fund and for
four (issue 17: it was seven more a fund), and show what the fund page computes."""

from decimal import Decimal

import pytest

from pooled_funds.models import Metric, MetricActual, Return, ReturnStatus
from pooled_funds.selectors import (
    board_fund_panels,
    metrics_view,
    return_for_period,
    return_lines,
    risk_share_rows,
    totals,
    variance_series,
)
from pooled_funds.services.returns import return_enter
from tests.pooled_funds.conftest import line
from tests.pooled_funds.factories import (
    ContributionFactory,
    PooledFundFactory,
    SchemeFactory,
)
from tests.query_counts import SESSION_QUERIES, USER_QUERIES

pytestmark = pytest.mark.django_db


def _returns(fund, officer, periods=("2015-Q1", "2015-Q2")):
    for n, period in enumerate(periods):
        rows = [
            line(s.reference, s.budget, 10 * n, s.budget + 1000 * n)
            for s in fund.schemes.all()
        ]
        return_enter(fund=fund, period=period, rows=rows, user=officer)
    # Both approved (straight in the table: the workflow is not what this test is
    # about): the panel shows the second, its movement measured against the first.
    Return.objects.filter(fund=fund).update(status=ReturnStatus.APPROVED)
    metric = Metric.objects.create(fund=fund, name="Admissions", planned=Decimal(10))
    MetricActual.objects.create(metric=metric, period="2015-Q1", actual=Decimal(12))


def _another_fund(board, n):
    other = PooledFundFactory(board=board, agreement=board.agreement)
    ContributionFactory(fund=other, amount=Decimal("1000000"))
    for k in range(3):
        SchemeFactory(fund=other, reference=f"F{n}S{k}", budget=Decimal("300000"))
    _returns(other, other.finance_officers.get())
    return other


def _board_page_queries(client, fund, django_assert_num_queries):
    # The board page (boards/views.py board_detail), as an auditor:
    #  the session and the user (unless cached: tests/query_counts.py), 2 the board
    #  (permission), 3-12 the constitution (boards/selectors.py board_constitution:
    #    the board, partners, secretaries, boards reporting to it, seats, quorum
    #    rules, terms of reference, chair terms, rule sources, authorised officers),
    # then the pooled funds section, whatever the number of funds:
    # 13 the board's funds, 14 their returns, 15 the shown returns' lines (scheme
    # and lead partner joined), 16 the forecasts of the last approved earlier
    # return (movement), 17 the variance series, 18 metrics, 19 their actuals,
    # 20 contributing and leading partners, 21 contributions by scheme (the risk
    # share); then 22 the planning section (the board's obligations) and 23 the
    # publication app's section (the board's publication).
    with django_assert_num_queries(BOARD_PAGE) as queries:
        response = client.get(fund.board.get_absolute_url())
    assert response.status_code == 200
    return queries


BOARD_PAGE = SESSION_QUERIES + USER_QUERIES + 22


def test_board_page_queries_do_not_grow_with_funds(
    client, fund, officer, auditor, django_assert_num_queries
):
    _returns(fund, officer)
    client.force_login(auditor)
    one = _board_page_queries(client, fund, django_assert_num_queries)
    for n in range(3):
        _another_fund(fund.board, n)
    four = _board_page_queries(client, fund, django_assert_num_queries)
    assert len(one.captured_queries) == len(four.captured_queries)
    assert b"Pooled fund" in client.get(fund.board.get_absolute_url()).content


def test_board_panels_show_what_the_fund_page_computes(fund, officer):
    _returns(fund, officer)
    others = [_another_fund(fund.board, n) for n in range(2)]
    panels = {p["fund"].pk: p for p in board_fund_panels(fund.board)}
    assert set(panels) == {fund.pk, *(o.pk for o in others)}
    for each in [fund, *others]:
        panel = panels[each.pk]
        ret = return_for_period(each, None)
        views = return_lines(ret)
        assert panel["ret"] == ret
        assert all(v.previous_forecast is not None for v in views)
        assert [
            (v.line.pk, v.derived, v.previous_forecast) for v in panel["lines"]
        ] == [(v.line.pk, v.derived, v.previous_forecast) for v in views]
        assert panel["totals"] == totals(views)
        assert [(s.partner_id, s.partner, s.share) for s in panel["shares"]] == [
            (s.partner_id, s.partner, s.share) for s in risk_share_rows(each, views)
        ]
        assert panel["series"] == variance_series(each)
        assert [
            (m["metric"].pk, m["actual"], m["status"]) for m in panel["metrics"]
        ] == [(m["metric"].pk, m["actual"], m["status"]) for m in metrics_view(each)]
