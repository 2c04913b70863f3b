"""Funds, contributions and schemes created and edited in the browser and the API
(issue 15, moved to issue 16): who may (fund managers; finance officers for
contributions and schemes; administrators) and who may not (403, not 404)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from governance.models import Role
from pooled_funds.models import Contribution, PooledFund, Scheme
from pooled_funds.services.returns import return_enter, return_submit
from tests.pooled_funds.conftest import all_lines

D = Decimal
pytestmark = pytest.mark.django_db


def fund_body(fund, **extra):
    return {
        "name": "New pool 2016/17",
        "agreement": fund.agreement_id,
        "board": fund.board_id,
        "host_partner": fund.council.pk,
        "financial_year": 2016,
        "frequency": "monthly",
        "due_day": 20,
        "pooled_total": "250000.00",
        **extra,
    }


def test_a_fund_manager_creates_a_fund_over_the_api_and_manages_it(
    api_as, fund, make_user
):
    creator = make_user(Role.FUND_MANAGER)
    response = api_as(creator).post("/api/v1/funds/", fund_body(fund), format="json")
    assert response.status_code == 201, response.json()
    created = PooledFund.objects.get(pk=response.json()["id"])
    assert created.manager == creator and created.frequency == "monthly"
    patched = api_as(creator).patch(
        f"/api/v1/funds/{created.pk}/", {"due_day": 10}, format="json"
    )
    assert patched.status_code == 200 and patched.json()["due_day"] == 10


@pytest.mark.parametrize(
    "role", [Role.FINANCE_OFFICER, Role.SECRETARY, Role.MEMBER, Role.AUDITOR]
)
def test_others_may_not_create_a_fund(api_as, client, fund, make_user, role):
    user = make_user(role)
    assert (
        api_as(user).post("/api/v1/funds/", fund_body(fund), format="json").status_code
        == 403
    )
    client.force_login(user)
    assert client.get(reverse("pooled_funds:fund_create")).status_code == 403


def test_fund_edit_is_for_its_manager_not_its_finance_officer(
    api_as, fund, officer, manager
):
    url = f"/api/v1/funds/{fund.pk}/"
    assert api_as(officer).patch(url, {"due_day": 3}, format="json").status_code == 403
    assert api_as(manager).patch(url, {"due_day": 3}, format="json").status_code == 200
    assert (
        api_as(manager).patch("/api/v1/funds/999999/", {}, format="json").status_code
        == 404
    )


def test_a_host_outside_the_agreement_is_409(api_as, fund, manager):
    from tests.boards.factories import PartnerFactory

    response = api_as(manager).patch(
        f"/api/v1/funds/{fund.pk}/",
        {"host_partner": PartnerFactory().pk},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["rule"] == "partner_not_in_agreement"


@pytest.mark.parametrize("who", ["officer", "manager"])
def test_finance_officers_and_managers_add_schemes_and_contributions(
    api_as, fund, officer, manager, who
):
    user = {"officer": officer, "manager": manager}[who]
    scheme = api_as(user).post(
        f"/api/v1/funds/{fund.pk}/schemes/",
        {
            "reference": "S9",
            "name": "Carers",
            "lead_partner": fund.ccg.pk,
            "budget": "1000",
            "locality": "East",
        },
        format="json",
    )
    assert scheme.status_code == 201, scheme.json()
    contribution = api_as(user).post(
        f"/api/v1/funds/{fund.pk}/contributions/",
        {
            "partner": fund.ccg.pk,
            "stream": "additional",
            "scheme": scheme.json()["id"],
            "locality": "East",
            "amount": "1000",
        },
        format="json",
    )
    assert contribution.status_code == 201, contribution.json()
    assert contribution.json()["scheme"] == scheme.json()["id"]
    changed = api_as(user).patch(
        f"/api/v1/fund-contributions/{contribution.json()['id']}/",
        {"amount": "1200"},
        format="json",
    )
    assert changed.status_code == 200 and changed.json()["amount"] == "1200.00"


def test_outsiders_and_board_members_may_not_edit_schemes(api_as, fund, make_user):
    """Someone who cannot see the fund, and someone who can (a board secretary)
    but has no right to edit it, are both refused with 403; a scheme that does not
    exist is 404."""
    secretary = make_user(Role.SECRETARY)
    fund.board.secretaries.add(secretary)
    s1 = fund.schemes.get(reference="S1")
    for user in (make_user(Role.FINANCE_OFFICER), secretary):
        client = api_as(user)
        assert (
            client.post(
                f"/api/v1/funds/{fund.pk}/schemes/", {}, format="json"
            ).status_code
            == 403
        )
        assert (
            client.patch(
                f"/api/v1/fund-schemes/{s1.pk}/", {"name": "x"}, format="json"
            ).status_code
            == 403
        )
    assert api_as(secretary).get(f"/api/v1/fund-schemes/{s1.pk}/").status_code == 200
    assert api_as(secretary).get("/api/v1/fund-schemes/999999/").status_code == 404


def test_an_approved_budget_changes_only_by_decision_once_returns_start(
    api_as, fund, officer, manager
):
    s1 = fund.schemes.get(reference="S1")
    url = f"/api/v1/fund-schemes/{s1.pk}/"
    assert (
        api_as(manager).patch(url, {"budget": "500000"}, format="json").status_code
        == 200
    )
    ret = return_enter(fund=fund, period="2015-Q1", rows=all_lines(), user=officer)
    return_submit(ret=ret, user=officer)
    response = api_as(manager).patch(url, {"budget": "510000"}, format="json")
    assert response.status_code == 409
    assert response.json()["rule"] == "budget_by_decision"
    assert (
        api_as(manager).patch(url, {"name": "Renamed"}, format="json").status_code
        == 200
    )


def test_browser_forms_for_schemes_and_contributions(client, fund, officer, make_user):
    client.force_login(officer)
    page = client.get(fund.get_absolute_url()).content.decode()
    assert reverse("pooled_funds:scheme_create", args=[fund.pk]) in page
    response = client.post(
        reverse("pooled_funds:scheme_create", args=[fund.pk]),
        {
            "reference": "S7",
            "name": "Falls prevention",
            "lead_partner": fund.council.pk,
            "scheme_type": "local_authority",
            "budget": "0",
            "active": "on",
            "order": "7",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    scheme = Scheme.objects.get(fund=fund, reference="S7")
    response = client.post(
        reverse("pooled_funds:contribution_create", args=[fund.pk]),
        {
            "partner": fund.council.pk,
            "stream": "dfg",
            "scheme": scheme.pk,
            "amount": "0",
            "ring_fenced": "on",
        },
    )
    assert response.status_code == 302
    contribution = Contribution.objects.get(fund=fund, stream="dfg")
    edit = reverse("pooled_funds:contribution_edit", args=[contribution.pk])
    assert client.get(edit).status_code == 200
    client.force_login(make_user(Role.FINANCE_OFFICER))
    assert client.get(edit).status_code == 403
    assert (
        client.get(reverse("pooled_funds:scheme_edit", args=[scheme.pk])).status_code
        == 403
    )
    assert (
        client.get(reverse("pooled_funds:scheme_edit", args=[999999])).status_code
        == 404
    )


def test_the_fund_edit_page_is_for_the_manager(client, fund, officer, manager):
    url = reverse("pooled_funds:fund_edit", args=[fund.pk])
    client.force_login(officer)
    assert client.get(url).status_code == 403
    client.force_login(manager)
    assert client.get(url).status_code == 200
    data = {
        "name": fund.name,
        "agreement": fund.agreement_id,
        "board": fund.board_id,
        "host_partner": fund.host_partner_id,
        "manager": manager.pk,
        "finance_officers": [officer.pk],
        "financial_year": 2015,
        "frequency": "quarterly",
        "due_day": 12,
        "pooled_total": "1000000",
    }
    assert client.post(url, data).status_code == 302
    fund.refresh_from_db()
    assert fund.due_day == 12
