"""Single sign-on with OpenID Connect (issue 15) against a real provider run on this
machine: django-oauth-toolkit's OIDC server in its own process (tests/oidc_provider),
signed RS256 ID tokens checked against its published keys, PKCE, the code flow through
a browser-like session (requests). An invited person signs in and lands on their
board; an unknown address, a deactivated person, an unverified address and a person
never invited are refused."""

import pytest
import requests

from governance.models import Invitation, Role, User
from governance.services.invitations import invitation_create
from tests.boards.factories import BoardFactory, PartnerFactory, SeatFactory
from tests.oidc_provider.fixtures import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(live_server, email: str) -> tuple[requests.Session, requests.Response]:
    """Click "Sign in with your organisation", sign in at the provider, come back."""
    session = requests.Session()
    login = session.get(f"{live_server.url}/accounts/oidc/authenticate/", timeout=20)
    assert login.url.startswith("http://127.0.0.1"), login.url  # at the provider
    assert "Test identity provider" in login.text
    back = session.post(
        login.url,
        data={
            "username": email,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies.get("provider_csrf"),
        },
        timeout=20,
    )
    return session, back


def signed_in(session, live_server) -> bool:
    response = session.get(f"{live_server.url}/", allow_redirects=False, timeout=20)
    return response.status_code == 200


def invite(email, administrator, **kwargs):
    return invitation_create(
        by=administrator,
        name=email.split("@")[0].title(),
        email=email,
        **kwargs,
    )


def test_an_invited_person_signs_in_and_lands_on_their_board(
    sso, live_server, administrator
):
    """The pending invitation is accepted by signing in (the provider verified the
    address); the person lands on the board of the seat they were invited to."""
    partner = PartnerFactory()
    board = BoardFactory(name="Section 75 Group", partners=[partner])
    seat = SeatFactory(board=board, partner=partner, holder=None)
    invitation = invite(
        "Invited@Council.example", administrator, role="member", target_id=seat.pk
    )
    session, landed = sign_in(live_server, "invited@council.example")
    assert landed.status_code == 200
    assert landed.url == f"{live_server.url}/boards/{seat.board_id}/", landed.url
    assert "Section 75 Group" in landed.text
    assert signed_in(session, live_server)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None and invitation.accepted_by_sso
    assert invitation.status == Invitation.Status.ACCEPTED


def test_an_unknown_address_is_refused(sso, live_server):
    """Nobody is created by signing in: an address not on record is refused."""
    session, landed = sign_in(live_server, "stranger@council.example")
    assert "/accounts/login/?sso=failed" in landed.url
    assert "Single sign-on did not sign you in" in landed.text
    assert not signed_in(session, live_server)
    assert not User.objects.filter(email="stranger@council.example").exists()


def test_a_deactivated_person_is_refused(sso, live_server, administrator):
    person = User.objects.create_user(email="gone@council.example", name="Gone")
    invite("gone@council.example", administrator)
    person.refresh_from_db()
    person.is_active = False
    person.save()
    session, landed = sign_in(live_server, "gone@council.example")
    assert "/accounts/login/?sso=failed" in landed.url
    assert not signed_in(session, live_server)


def test_an_unverified_address_is_refused(sso, live_server, administrator):
    invite("unverified@council.example", administrator)
    session, landed = sign_in(live_server, "unverified@council.example")
    assert "/accounts/login/?sso=failed" in landed.url
    assert not signed_in(session, live_server)


def test_a_person_on_record_but_never_invited_is_refused(sso, live_server):
    """Being named on a board (say as a deputy) gives no login: an invitation does."""
    User.objects.create_user(email="never@council.example", name="Never Invited")
    session, landed = sign_in(live_server, "never@council.example")
    assert "/accounts/login/?sso=failed" in landed.url
    assert not signed_in(session, live_server)


def test_deactivation_ends_a_single_sign_on_session_at_once(
    sso, live_server, administrator
):
    from governance.services.people import person_deactivate

    invite("member@council.example", administrator, global_role=Role.MEMBER)
    session, _ = sign_in(live_server, "member@council.example")
    assert signed_in(session, live_server)
    person_deactivate(
        by=administrator, person=User.objects.get(email="member@council.example")
    )
    assert not signed_in(session, live_server)
