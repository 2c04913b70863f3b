"""Review fixes (second review): SPEC s.6 workflow rules."""

import pytest

from governance.exceptions import RuleViolation
from pooled_funds.models import ReturnStatus
from pooled_funds.services.returns import (
    ReturnRejected,
    return_approve,
    return_enter,
    return_submit,
)


def test_a_finance_officer_may_not_approve_their_own_return(fund, officer, good_rows):
    """SPEC s.6: the pooled fund manager approves. A manager who is also a finance
    officer of the fund and submitted the return cannot approve it: refused
    (rule approve_own_return) and the return stays submitted."""
    fund.manager = officer
    fund.save(update_fields=["manager"])
    ret = return_enter(fund=fund, period="2015-Q1", rows=good_rows, user=officer)
    return_submit(ret=ret, user=officer)
    with pytest.raises(RuleViolation) as exc:
        return_approve(ret=ret, user=officer)
    assert exc.value.rule == "approve_own_return"
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED


@pytest.mark.parametrize("value", ["1e30", "1000000000000", 1e30])
def test_a_huge_amount_is_a_row_error_not_a_crash(fund, officer, good_rows, value):
    """SPEC s.6 import validation: an amount too large for the money columns is
    listed as an error of its row (and nothing is saved), not a 500."""
    good_rows[1]["forecast_outturn"] = value
    with pytest.raises(ReturnRejected) as exc:
        return_enter(fund=fund, period="2015-Q1", rows=good_rows, user=officer)
    assert [(e.row, e.column) for e in exc.value.errors] == [(2, "forecast_outturn")]
    assert not fund.returns.exists()


def test_the_page_and_dashboard_do_not_offer_approving_ones_own_return(
    client, fund, officer, manager, good_rows
):
    """The approve button and the dashboard's "to approve" list leave out a return
    the viewer submitted; the manager who did not submit it still sees both."""
    from django.urls import reverse

    fund.manager = officer
    fund.save(update_fields=["manager"])
    ret = return_enter(fund=fund, period="2015-Q1", rows=good_rows, user=officer)
    return_submit(ret=ret, user=officer)
    approve_url = reverse("pooled_funds:return_approve", args=[ret.pk])
    client.force_login(officer)
    page = client.get(reverse("pooled_funds:return", args=[ret.pk]))
    assert approve_url not in page.content.decode()
    from pooled_funds.selectors import dashboard_panels

    assert (
        dashboard_panels(officer) == []
        or not dashboard_panels(officer)[0]["to_approve"]
    )
    fund.manager = manager
    fund.save(update_fields=["manager"])
    client.force_login(manager)
    page = client.get(reverse("pooled_funds:return", args=[ret.pk]))
    assert approve_url in page.content.decode()
    assert dashboard_panels(manager)[0]["to_approve"] == [ret]
