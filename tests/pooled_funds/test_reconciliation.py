"""Issue 16: a return covers every active scheme of the fund (a missing scheme is an
error naming it, in the API, the upload and the form; a scheme with nothing to
report is an explicit zero line) and reconciles to the contributions: budgets are
the approved ones and any difference from the pool is explained before submit."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from governance.exceptions import RuleViolation
from pooled_funds.reconciliation import reconcile, submit_refusal
from pooled_funds.services.returns import return_enter, return_submit
from tests.pooled_funds.conftest import all_lines
from tests.pooled_funds.factories import ContributionFactory, SchemeFactory

D = Decimal
pytestmark = pytest.mark.django_db


def test_api_return_without_one_scheme_answers_400_naming_it(api_as, fund, officer):
    """POST /api/v1/funds/{id}/returns/ leaving out S3 (the council's £400,000
    scheme, as the KCC scheme was left out in West Kent) is 400 naming S3; nothing
    is saved."""
    rows = [r for r in all_lines() if r["scheme"] != "S3"]
    response = api_as(officer).post(
        f"/api/v1/funds/{fund.pk}/returns/",
        {"period": "2015-Q1", "lines": rows},
        format="json",
    )
    assert response.status_code == 400
    messages = " ".join(e["message"] for e in response.json()["errors"])
    assert "missing scheme S3" in messages
    assert fund.returns.count() == 0


def test_upload_without_one_scheme_is_rejected_naming_it(client, fund, officer):
    """The upload page lists the missing scheme and saves nothing."""
    client.force_login(officer)
    text = (
        "period,scheme,budget,actual_to_date,forecast_outturn\n"
        "2015-Q1,S1,500000,1,500000\n2015-Q1,S2,100000,0,100000\n"
    )
    response = client.post(
        reverse("pooled_funds:return_upload", args=[fund.pk]),
        {"period": "2015-Q1", "file": SimpleUploadedFile("r.csv", text.encode())},
    )
    assert response.status_code == 200
    assert "missing scheme S3" in response.content.decode()
    assert fund.returns.count() == 0


def test_a_scheme_with_nothing_to_report_is_an_explicit_zero_line(fund, officer):
    """A line of zeros is accepted and kept: the scheme is in the return."""
    rows = all_lines(S2={"budget": "100000", "forecast_outturn": "0"})
    ret = return_enter(fund=fund, period="2015-Q1", rows=rows, user=officer)
    zero = ret.lines.get(scheme__reference="S2")
    assert (zero.actual_to_date, zero.forecast_outturn) == (D("0"), D("0"))


def test_a_closed_scheme_needs_no_line(fund, officer):
    """An inactive scheme is left out without error; a line for it is refused."""
    fund.schemes.filter(reference="S2").update(active=False)
    rows = [r for r in all_lines() if r["scheme"] != "S2"]
    assert return_enter(fund=fund, period="2015-Q1", rows=rows, user=officer)
    with pytest.raises(Exception, match="closed"):
        return_enter(fund=fund, period="2015-Q2", rows=all_lines(), user=officer)


def test_a_budget_other_than_the_approved_one_is_refused(fund, officer):
    """Variance is measured against the approved budget: a line may not restate it
    (a budget changes only by a decision of the board)."""
    rows = all_lines(S1={"budget": "600000", "forecast_outturn": "600000"})
    with pytest.raises(Exception, match="not the approved budget of S1"):
        return_enter(fund=fund, period="2015-Q1", rows=rows, user=officer)


def test_a_scheme_added_after_the_draft_blocks_submit(fund, officer):
    """A new active scheme without a line refuses submit, naming it."""
    ret = return_enter(fund=fund, period="2015-Q1", rows=all_lines(), user=officer)
    SchemeFactory(fund=fund, reference="S4", name="New", lead_partner=fund.ccg)
    with pytest.raises(RuleViolation) as caught:
        return_submit(ret=ret, user=officer)
    assert caught.value.rule == "scheme_missing" and "S4" in caught.value.message


def test_a_difference_from_the_pool_must_be_explained_before_submit(fund, officer):
    """Contributions £1.05m against budgets of £1m: submit is refused until the
    difference is explained; the explanation is kept with the return."""
    ContributionFactory(
        fund=fund, partner=fund.council, stream="dfg", amount=D("50000")
    )
    ret = return_enter(fund=fund, period="2015-Q1", rows=all_lines(), user=officer)
    with pytest.raises(RuleViolation) as caught:
        return_submit(ret=ret, user=officer)
    assert caught.value.rule == "difference_unexplained"
    assert "£-50,000.00" in caught.value.message
    return_enter(
        fund=fund,
        period="2015-Q1",
        rows=all_lines(),
        user=officer,
        difference_explanation="DFG received in March, not yet given to a scheme.",
    )
    assert return_submit(ret=ret, user=officer).status == "submitted"


def test_the_return_page_shows_totals_against_the_pool(client, fund, officer):
    ret = return_enter(fund=fund, period="2015-Q1", rows=all_lines(), user=officer)
    client.force_login(officer)
    page = client.get(ret.get_absolute_url()).content.decode()
    assert "against <strong>£1,000,000.00</strong> contributed" in page
    assert "reconciled" in page


@pytest.mark.parametrize(
    "contributed, budgets, explanation, refused",
    [
        ("100", ["60", "40"], "", False),
        ("100", ["60", "30"], "", True),
        ("100", ["60", "30"], "  ", True),
        ("100", ["60", "30"], "Grant tbc", False),
        ("100", ["60", "50"], "", True),
    ],
)
def test_reconciliation_rule(contributed, budgets, explanation, refused):
    """Pure: budgets against contributions, explained when they differ."""
    rec = reconcile(
        contributed=D(contributed),
        budgets=[D(b) for b in budgets],
        forecasts=[],
        actuals=[],
    )
    assert (submit_refusal(rec, explanation) is not None) is refused
