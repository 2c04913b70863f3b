"""Review fixes (second review): a secretary cannot reach another agreement's
authorised officers by putting a board under it."""

import pytest
from django.urls import reverse

from boards.models import Board
from governance.models import Role
from tests.boards.factories import AgreementFactory, BoardFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary(make_user):
    return make_user(Role.SECRETARY)


@pytest.fixture
def other_agreement():
    return AgreementFactory(name="Someone else's agreement")


def test_api_secretary_cannot_create_a_board_under_an_agreement_they_cannot_see(
    api_as, secretary, other_agreement
):
    """403 and no board: otherwise the secretary would become that agreement's
    secretary and see its authorised officers' e-mails."""
    response = api_as(secretary).post(
        "/api/v1/boards/",
        {
            "name": "Trojan board",
            "partners": [PartnerFactory().pk],
            "agreement": other_agreement.pk,
        },
        format="json",
    )
    assert response.status_code == 403
    assert not Board.objects.filter(name="Trojan board").exists()
    assert (
        api_as(secretary).get(f"/api/v1/agreements/{other_agreement.pk}/").status_code
        == 403
    )


def test_api_secretary_cannot_move_their_board_under_another_agreement(
    api_as, secretary, other_agreement
):
    """PATCH agreement to one the secretary cannot see: 403, unchanged."""
    board = BoardFactory(secretaries=[secretary])
    before = board.agreement_id
    response = api_as(secretary).patch(
        f"/api/v1/boards/{board.pk}/",
        {"agreement": other_agreement.pk},
        format="json",
    )
    assert response.status_code == 403
    board.refresh_from_db()
    assert board.agreement_id == before


def test_page_secretary_cannot_create_a_board_under_another_agreement(
    client, secretary, other_agreement
):
    """The New board page refuses the same (403), nothing saved."""
    partner = PartnerFactory()
    client.force_login(secretary)
    response = client.post(
        reverse("boards:create"),
        {
            "name": "Trojan board",
            "agreement": other_agreement.pk,
            "partners": [partner.pk],
            "decision_rule": Board.DecisionRule.choices[0][0],
            "escalation": Board.Escalation.choices[0][0],
            "minutes_deadline_days": 7,
            "meeting_frequency_months": 3,
            "extraordinary_notice_clear_days": 3,
            "papers_working_days": 4,
            "reconvene_within_days": 31,
            "chair_arrangement": "appointed",
        },
    )
    assert response.status_code == 403, response.context["form"].errors
    assert not Board.objects.filter(name="Trojan board").exists()


def test_admin_may_still_put_a_board_under_any_agreement(
    api_as, administrator, other_agreement
):
    response = api_as(administrator).post(
        "/api/v1/boards/",
        {
            "name": "Admin board",
            "partners": [PartnerFactory().pk],
            "agreement": other_agreement.pk,
        },
        format="json",
    )
    assert response.status_code == 201


def test_api_secretary_cannot_make_their_board_report_to_a_board_they_cannot_see(
    api_as, secretary
):
    """PATCH reports_to to another partnership's board: 403, unchanged; a board the
    secretary serves is accepted."""
    board = BoardFactory(secretaries=[secretary])
    theirs = BoardFactory(secretaries=[secretary])
    stranger = BoardFactory()
    client = api_as(secretary)
    response = client.patch(
        f"/api/v1/boards/{board.pk}/", {"reports_to": stranger.pk}, format="json"
    )
    assert response.status_code == 403
    board.refresh_from_db()
    assert board.reports_to_id is None
    response = client.patch(
        f"/api/v1/boards/{board.pk}/", {"reports_to": theirs.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    board.refresh_from_db()
    assert board.reports_to_id == theirs.pk
