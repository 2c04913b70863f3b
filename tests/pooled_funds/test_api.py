"""Pooled funds API (SPEC s.8): POST /api/v1/funds/{id}/returns/ and
GET /api/v1/funds/{id}/risk-share/?period=, plus reads of funds, schemes and
contributions. Errors are 400/403/404/409, never 500."""

import pytest

from pooled_funds.services.returns import return_enter
from tests.pooled_funds.conftest import line

pytestmark = pytest.mark.django_db


def url(fund, tail=""):
    return f"/api/v1/funds/{fund.pk}/{tail}"


def test_post_return_answers_201_with_the_return_and_its_id(
    api_as, fund, officer, good_rows
):
    """The contract: {period, lines:[{scheme, budget, actual_to_date, forecast_outturn}]}."""
    s1 = fund.schemes.get(reference="S1")
    rows = [dict(good_rows[0], scheme=s1.pk)] + good_rows[1:]  # an id or a reference
    response = api_as(officer).post(
        url(fund, "returns/"), {"period": "2015-Q1", "lines": rows}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["id"] and body["status"] == "draft" and body["period"] == "2015-Q1"
    first = body["lines"][0]
    assert first["scheme"] == s1.pk and first["variance"] == "30000.00"
    assert first["rag"] == "red" and first["action_plan_required"] is True


@pytest.mark.parametrize("period", ["2015-06", "2016-Q1", "Q1", ""])
def test_a_wrong_period_is_refused_with_400(api_as, fund, officer, good_rows, period):
    """A period not matching the fund's frequency and year answers 400 on period."""
    response = api_as(officer).post(
        url(fund, "returns/"), {"period": period, "lines": good_rows}, format="json"
    )
    assert response.status_code == 400
    assert "period" in response.json()


def test_bad_lines_answer_400_per_line_and_column(api_as, fund, officer, good_rows):
    """Unknown and duplicate schemes are reported by line number; nothing saved."""
    rows = good_rows + [line("NOPE", 1, 1, 1), good_rows[0]]
    response = api_as(officer).post(
        url(fund, "returns/"), {"period": "2015-Q1", "lines": rows}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["lines"]) == {"4", "5"}
    negative = api_as(officer).post(
        url(fund, "returns/"),
        {"period": "2015-Q1", "lines": [line("S1", -1, 1, 1)]},
        format="json",
    )
    assert negative.status_code == 400
    assert fund.returns.count() == 0


def test_risk_share_contract(api_as, fund, officer, good_rows):
    """{partners:[{partner, overspend, underspend}]} with money as decimal strings."""
    return_enter(fund=fund, period="2015-Q1", rows=good_rows, user=officer)
    response = api_as(officer).get(url(fund, "risk-share/?period=2015-Q1"))
    assert response.status_code == 200
    partners = {p["partner"]: p for p in response.json()["partners"]}
    assert partners[fund.ccg.pk]["overspend"] == "30000.00"
    assert partners[fund.ccg.pk]["underspend"] == "10000.00"
    assert partners[fund.council.pk]["overspend"] == "0.00"
    assert partners[fund.council.pk]["underspend"] == "20000.00"
    assert (
        api_as(officer).get(url(fund, "risk-share/?period=2015-Q3")).status_code == 404
    )
    assert (
        api_as(officer).get(url(fund, "risk-share/?period=2015-13")).status_code == 400
    )


def test_workflow_over_the_api_and_409_on_rules(api_as, fund, officer, manager):
    """Submit without an action plan is 409; the manager approves; officers cannot."""
    rest = [line("S2", 100000, 0, 100000), line("S3", 400000, 0, 400000)]
    created = (
        api_as(officer)
        .post(
            url(fund, "returns/"),
            {"period": "2015-Q1", "lines": [line("S1", 500000, 1, 500020), *rest]},
            format="json",
        )
        .json()
    )
    submit = api_as(officer).post(f"/api/v1/fund-returns/{created['id']}/submit/")
    assert submit.status_code == 409 and submit.json()["rule"] == "action_plan_required"
    api_as(officer).post(
        url(fund, "returns/"),
        {
            "period": "2015-Q1",
            "lines": [line("S1", 500000, 1, 500020, action_plan="Recover"), *rest],
        },
        format="json",
    )
    assert (
        api_as(officer)
        .post(f"/api/v1/fund-returns/{created['id']}/submit/")
        .status_code
        == 200
    )
    assert (
        api_as(officer)
        .post(f"/api/v1/fund-returns/{created['id']}/approve/")
        .status_code
        == 403
    )
    approved = api_as(manager).post(f"/api/v1/fund-returns/{created['id']}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    again = api_as(manager).post(f"/api/v1/fund-returns/{created['id']}/approve/")
    assert again.status_code == 409


def test_reads_and_permissions(api_as, fund, officer, make_user):
    """Funds, schemes and contributions are readable by the fund's people only."""
    client = api_as(officer)
    assert [f["id"] for f in client.get("/api/v1/funds/").json()["results"]] == [
        fund.pk
    ]
    assert client.get(url(fund, "schemes/")).json()["count"] == 3
    contributions = client.get(url(fund, "contributions/")).json()["results"]
    assert sorted(c["amount"] for c in contributions) == ["400000.00", "600000.00"]
    outsider = api_as(make_user())
    assert outsider.get(url(fund)).status_code == 403
    assert outsider.get("/api/v1/funds/").json()["results"] == []
    assert outsider.post(url(fund, "returns/"), {}, format="json").status_code == 403
    assert api_as(officer).get("/api/v1/funds/999999/").status_code == 404
