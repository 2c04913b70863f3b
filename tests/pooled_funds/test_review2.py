"""Review fixes (second review): SPEC s.6 workflow rules."""

import pytest

from governance.exceptions import RuleViolation
from pooled_funds import services
from pooled_funds.models import ReturnStatus


def test_a_finance_officer_may_not_approve_their_own_return(fund, officer, good_rows):
    """SPEC s.6: the pooled fund manager approves. A manager who is also a finance
    officer of the fund and submitted the return cannot approve it: refused
    (rule approve_own_return) and the return stays submitted."""
    fund.manager = officer
    fund.save(update_fields=["manager"])
    ret = services.return_enter(
        fund=fund, period="2015-Q1", rows=good_rows, user=officer
    )
    services.return_submit(ret=ret, user=officer)
    with pytest.raises(RuleViolation) as exc:
        services.return_approve(ret=ret, user=officer)
    assert exc.value.rule == "approve_own_return"
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED
