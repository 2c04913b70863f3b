"""A fund's manager and finance officers change only through the grant table
(``governance.grants``, issue 15), whether by the fund's own form and API or the
people pages: only administrators give or take away the pooled fund manager; the
fund's manager gives and takes away its finance officers, for that fund only; whoever
loses a role is signed out everywhere (sessions and API tokens end)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.authtoken.models import Token

from governance.models import Role
from pooled_funds.models import PooledFund
from pooled_funds.services import funds
from tests.pooled_funds.factories import PooledFundFactory
from tests.pooled_funds.test_fund_setup import fund_body

pytestmark = pytest.mark.django_db


def signed_in(user):
    """An API token and the stamp sessions are checked against, as they are now."""
    user.refresh_from_db()
    return Token.objects.create(user=user), user.security_stamp


def signed_out(user, token, stamp) -> bool:
    user.refresh_from_db()
    return (
        not Token.objects.filter(pk=token.pk).exists() and user.security_stamp != stamp
    )


def test_a_fund_manager_cannot_hand_their_fund_to_someone_else(
    api_as, fund, manager, make_user
):
    other = make_user(Role.FUND_MANAGER)
    response = api_as(manager).patch(
        f"/api/v1/funds/{fund.pk}/", {"manager": other.pk}, format="json"
    )
    assert response.status_code == 403, response.json()
    assert "administrators" in response.json()["detail"]
    fund.refresh_from_db()
    assert fund.manager == manager
    # Nor give it up: taking the role away is the same row of the table.
    response = api_as(manager).patch(
        f"/api/v1/funds/{fund.pk}/", {"manager": None}, format="json"
    )
    assert response.status_code == 403
    fund.refresh_from_db()
    assert fund.manager == manager


def test_an_administrator_hands_a_fund_over_and_the_old_manager_is_signed_out(
    api_as, fund, manager, administrator, make_user
):
    other = make_user(Role.FUND_MANAGER)
    token, stamp = signed_in(manager)
    new_token, new_stamp = signed_in(other)
    response = api_as(administrator).patch(
        f"/api/v1/funds/{fund.pk}/", {"manager": other.pk}, format="json"
    )
    assert response.status_code == 200, response.json()
    fund.refresh_from_db()
    assert fund.manager == other
    assert signed_out(manager, token, stamp)
    # Given a role: a role change, so the new manager's sessions end too.
    assert signed_out(other, new_token, new_stamp)


def test_a_fund_manager_cannot_create_a_fund_managed_by_someone_else(
    api_as, fund, make_user
):
    creator, other = make_user(Role.FUND_MANAGER), make_user(Role.FUND_MANAGER)
    response = api_as(creator).post(
        "/api/v1/funds/", fund_body(fund, manager=other.pk), format="json"
    )
    assert response.status_code == 403
    assert not PooledFund.objects.filter(name="New pool 2016/17").exists()
    # Naming themselves is what happens anyway: they manage what they create.
    response = api_as(creator).post(
        "/api/v1/funds/", fund_body(fund, manager=creator.pk), format="json"
    )
    assert response.status_code == 201
    assert PooledFund.objects.get(pk=response.json()["id"]).manager == creator


def test_a_creating_manager_names_the_new_funds_finance_officers(
    api_as, fund, make_user
):
    creator, officer = make_user(Role.FUND_MANAGER), make_user(Role.FINANCE_OFFICER)
    response = api_as(creator).post(
        "/api/v1/funds/", fund_body(fund, finance_officers=[officer.pk]), format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["finance_officers"] == [officer.pk]


def test_the_fund_form_refuses_a_new_manager_from_the_manager_with_403(
    client, fund, manager, officer, make_user
):
    other = make_user(Role.FUND_MANAGER)
    client.force_login(manager)
    url = reverse("pooled_funds:fund_edit", args=[fund.pk])
    data = {
        "name": fund.name,
        "agreement": fund.agreement_id,
        "board": fund.board_id,
        "host_partner": fund.host_partner_id,
        "manager": other.pk,
        "finance_officers": [officer.pk],
        "financial_year": 2015,
        "frequency": "quarterly",
        "due_day": 12,
        "pooled_total": "1000000",
    }
    response = client.post(url, data)
    assert response.status_code == 403
    assert "Only administrators may give or take away" in response.content.decode()
    fund.refresh_from_db()
    assert fund.manager == manager and fund.due_day != 12


def test_the_manager_removes_a_finance_officer_who_is_then_signed_out(
    api_as, fund, manager, officer
):
    token, stamp = signed_in(officer)
    response = api_as(manager).patch(
        f"/api/v1/funds/{fund.pk}/", {"finance_officers": []}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert not fund.finance_officers.exists()
    assert signed_out(officer, token, stamp)


def test_the_manager_of_another_fund_cannot_name_this_funds_finance_officers(
    api_as, fund, officer, make_user
):
    """The finance officer row of the grant table is scoped: their fund only."""
    elsewhere = PooledFundFactory(manager=make_user(Role.FUND_MANAGER))
    stranger = make_user(Role.FINANCE_OFFICER)
    # Change the other fund's officers while managing ``elsewhere`` only: refused
    # at the service, whatever page or API asks.
    with pytest.raises(PermissionDenied):
        funds.fund_update(
            fund=fund, user=elsewhere.manager, finance_officers=[stranger]
        )
    assert list(fund.finance_officers.all()) == [officer]
