"""Issue 15: "a password reset or a role change ends the person's other sessions and
API tokens". A role given, a role taken away, and a board's secretaries changed on the
board's own settings: each ends the person's sessions (a new security stamp) and API
tokens."""

import pytest
from rest_framework.authtoken.models import Token

from boards.services.boards import board_update
from governance.grants import RoleName
from governance.models import Role
from governance.services import roles
from tests.boards.factories import BoardFactory, PartnerFactory, SeatFactory

pytestmark = pytest.mark.django_db


def signed_in(user):
    user.refresh_from_db()
    return Token.objects.create(user=user), user.security_stamp


def signed_out(user, token, stamp) -> bool:
    user.refresh_from_db()
    return (
        not Token.objects.filter(pk=token.pk).exists() and user.security_stamp != stamp
    )


@pytest.fixture
def board():
    partner = PartnerFactory()
    board = BoardFactory(partners=[partner])
    board.seat = SeatFactory(board=board, partner=partner, holder=None)
    return board


def test_giving_a_role_ends_the_persons_sessions_and_tokens(
    administrator, make_user, board
):
    person = make_user(Role.MEMBER)
    token, stamp = signed_in(person)
    roles.role_give(
        by=administrator,
        person=person,
        role=RoleName.MEMBER,
        target_id=board.seat.pk,
    )
    assert signed_out(person, token, stamp)


def test_an_administrator_giving_themselves_a_role_keeps_their_session(
    administrator, board
):
    token, stamp = signed_in(administrator)
    roles.role_give(
        by=administrator,
        person=administrator,
        role=RoleName.BOARD_SECRETARY,
        target_id=board.pk,
    )
    assert not signed_out(administrator, token, stamp)


def test_removing_a_board_secretary_in_the_boards_settings_signs_them_out(
    make_user, board
):
    leaving, staying = make_user(Role.SECRETARY), make_user(Role.SECRETARY)
    board.secretaries.set([leaving, staying])
    leaving_session = signed_in(leaving)
    staying_session = signed_in(staying)
    board_update(board=board, secretaries=[staying])
    assert list(board.secretaries.all()) == [staying]
    assert signed_out(leaving, *leaving_session)
    assert not signed_out(staying, *staying_session)


def test_adding_a_board_secretary_in_the_boards_settings_signs_them_out(
    make_user, board
):
    joining = make_user(Role.SECRETARY)
    session = signed_in(joining)
    board_update(board=board, secretaries=[joining])
    assert signed_out(joining, *session)
