"""People, invitations and roles (issue 15): invitations with single-use expiring
links, resend and revoke in the audit history; deactivation, a role change, a password
reset and a merge end the person's sessions and API tokens; merging keeps history; the
grant table holds on every page."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from boards.models import Seat
from governance.exceptions import RuleViolation
from governance.models import Invitation, OutboxMessage, Role, User
from governance.services import invitations, people, roles
from tests.boards.factories import BoardFactory, PartnerFactory, SeatFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "a-long-new-passphrase-2026"


@pytest.fixture
def board(make_user):
    partner = PartnerFactory()
    board = BoardFactory(name="Partnership Management Group", partners=[partner])
    board.seats_for_test = [
        SeatFactory(board=board, partner=partner, holder=None, title=f"Seat {n}")
        for n in (1, 2)
    ]
    return board


@pytest.fixture
def secretary(make_user, board):
    person = make_user(Role.SECRETARY, email="sec@council.example")
    board.secretaries.add(person)
    return person


def invite(by, email="new.member@ccg.example", **kwargs):
    return invitations.invitation_create(
        by=by, name="New Member", email=email, **kwargs
    )


def link_in(message: OutboxMessage) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", message.body)[1]


def api_token(user) -> APIClient:
    token = Token.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


# --- invitations --------------------------------------------------------------------


def test_an_invitation_seats_the_person_and_mails_a_single_use_link(
    client, administrator, board
):
    """The administrator invites a new member to a seat: the person exists with no
    password, holds the seat, and is mailed a link (through the outbox) that sets a
    password once, signs them in and lands them on their board."""
    seat = board.seats_for_test[0]
    invitation = invite(administrator, role="member", target_id=seat.pk)
    person = invitation.person
    seat.refresh_from_db()
    assert seat.holder == person and not person.has_usable_password()
    message = OutboxMessage.objects.get(to="new.member@ccg.example")
    assert "Member (holds a seat): Seat 1" in message.body
    link = link_in(message)

    page = client.get(link)
    assert page.status_code == 200 and "Welcome, New Member" in page.content.decode()
    done = client.post(
        link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302 and done["Location"] == f"/boards/{board.pk}/"
    assert client.session[SESSION_KEY] == str(person.pk)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED and not invitation.token_hash
    assert client.get(f"/boards/{board.pk}/").status_code == 200

    client.logout()
    assert client.get(link).status_code == 404, "single use"
    assert client.login(username="new.member@ccg.example", password=NEW_PASSWORD)


def test_a_weak_password_is_refused_on_the_invitation_page(client, administrator):
    link = link_in(OutboxMessage.objects.get(pk=_mail(invite(administrator))))
    page = client.post(link, {"new_password1": "short", "new_password2": "short"})
    assert page.status_code == 200 and "too short" in page.content.decode()
    assert SESSION_KEY not in client.session


def _mail(invitation) -> int:
    return OutboxMessage.objects.filter(to=invitation.person.email).latest("pk").pk


def test_an_invitation_link_expires(client, administrator, settings):
    settings.INVITATION_VALID_DAYS = 7
    invitation = invite(administrator)
    link = link_in(OutboxMessage.objects.get(pk=_mail(invitation)))
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        assert client.get(link).status_code == 404
        assert invitation.status == Invitation.Status.EXPIRED


def test_resend_makes_a_new_link_and_kills_the_old_one(client, administrator):
    invitation = invite(administrator)
    old = link_in(OutboxMessage.objects.get(pk=_mail(invitation)))
    invitations.invitation_resend(by=administrator, invitation=invitation)
    new = link_in(OutboxMessage.objects.get(pk=_mail(invitation)))
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    invitation.refresh_from_db()
    assert invitation.times_sent == 2


def test_revoke_kills_the_link_and_both_are_in_the_audit_history(client, administrator):
    invitation = invite(administrator)
    link = link_in(OutboxMessage.objects.get(pk=_mail(invitation)))
    invitations.invitation_revoke(by=administrator, invitation=invitation)
    assert client.get(link).status_code == 404
    history = list(invitation.history.order_by("history_date"))
    assert [h.history_type for h in history][0] == "+"
    assert history[-1].revoked_by_id == administrator.pk
    assert not hasattr(history[-1], "token_hash"), "the token hash is not in history"


def test_a_secretary_invites_members_and_deputies_of_their_own_board_only(
    secretary, board
):
    seat = board.seats_for_test[0]
    invite(secretary, role="deputy", target_id=seat.pk)
    seat.refresh_from_db()
    assert seat.deputy.email == "new.member@ccg.example"

    partner = PartnerFactory()
    other = BoardFactory(partners=[partner])
    other_seat = SeatFactory(board=other, partner=partner, holder=None)
    with pytest.raises(PermissionDenied):
        invite(secretary, "x@ccg.example", role="member", target_id=other_seat.pk)
    with pytest.raises(PermissionDenied):  # no seat named: no invitation
        invite(secretary, "y@ccg.example")
    with pytest.raises(PermissionDenied):
        invite(secretary, "z@ccg.example", global_role=Role.ADMINISTRATOR)
    with pytest.raises(PermissionDenied):
        invite(secretary, "w@ccg.example", role="secretary", target_id=board.pk)
    assert not User.objects.filter(email__in=["x@ccg.example", "z@ccg.example"])


def test_someone_who_already_signs_in_is_not_invited_again(administrator, make_user):
    make_user(email="has.login@ccg.example")
    with pytest.raises(ValidationError):
        invite(administrator, "has.login@ccg.example")


def test_a_secretary_resends_and_revokes_only_invitations_to_their_board(
    secretary, board, administrator
):
    own = invite(secretary, role="member", target_id=board.seats_for_test[0].pk)
    other = invite(administrator, "other@ccg.example")
    invitations.invitation_revoke(by=secretary, invitation=own)
    with pytest.raises(PermissionDenied):
        invitations.invitation_revoke(by=secretary, invitation=other)
    with pytest.raises(PermissionDenied):
        invitations.invitation_resend(by=secretary, invitation=other)


# --- sessions and tokens ---------------------------------------------------------------


def test_deactivation_ends_sessions_and_api_tokens_at_once(client, administrator):
    person = User.objects.create_user(
        email="leaver@ccg.example", name="Leaver", password=PASSWORD
    )
    client.force_login(person)
    api = api_token(person)
    assert api.get("/api/v1/boards/").status_code == 200
    people.person_deactivate(by=administrator, person=person)
    assert client.get("/").status_code == 302
    assert api.get("/api/v1/boards/").status_code == 401
    assert not Token.objects.filter(user=person).exists()
    # Reactivated, the old session and token stay dead.
    people.person_reactivate(by=administrator, person=person)
    assert client.get("/").status_code == 302
    assert api.get("/api/v1/boards/").status_code == 401


def test_a_role_change_ends_the_persons_sessions_and_api_tokens(client, administrator):
    person = User.objects.create_user(
        email="promoted@ccg.example", name="Promoted", password=PASSWORD
    )
    client.force_login(person)
    api = api_token(person)
    roles.person_set_role(by=administrator, person=person, role=Role.AUDITOR)
    assert client.get("/").status_code == 302
    assert api.get("/api/v1/boards/").status_code == 401
    person.refresh_from_db()
    assert person.role == Role.AUDITOR


def test_taking_a_role_away_ends_the_persons_sessions(client, administrator, board):
    seat = board.seats_for_test[0]
    person = User.objects.create_user(
        email="member@ccg.example", name="Member", password=PASSWORD
    )
    roles.role_give(by=administrator, person=person, role="member", target_id=seat.pk)
    client.force_login(person)
    assert client.get(f"/boards/{board.pk}/").status_code == 200
    roles.role_take(by=administrator, person=person, role="member", target_id=seat.pk)
    assert client.get("/").status_code == 302


def test_a_password_reset_ends_every_session_and_api_token(client, make_user):
    person = make_user(email="forgetful@ccg.example")
    other_browser = type(client)()
    other_browser.force_login(person)
    api = api_token(person)
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(person.pk))
    url = reverse(
        "password_reset_confirm",
        args=[uid, default_token_generator.make_token(person)],
    )
    form = client.get(url, follow=True)
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert other_browser.get("/").status_code == 302
    assert api.get("/api/v1/boards/").status_code == 401


def test_changing_ones_password_keeps_this_session_and_ends_the_others(
    client, make_user
):
    person = make_user(email="careful@ccg.example")
    client.force_login(person)
    other_browser = type(client)()
    other_browser.force_login(person)
    api = api_token(person)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other_browser.get("/").status_code == 302
    assert api.get("/api/v1/boards/").status_code == 401


# --- merging -------------------------------------------------------------------------------


def test_merging_moves_seats_and_secretaryships_and_keeps_history(administrator, board):
    keep = User.objects.create_user(email="quinn@ccg.example", name="Quinn Testington")
    duplicate = User.objects.create_user(
        email="q.testington@ccg.example", name="Quinn Testington"
    )
    seat = board.seats_for_test[0]
    Seat.objects.filter(pk=seat.pk).update(holder=duplicate)
    board.secretaries.add(duplicate)
    people.people_merge(by=administrator, keep=keep, duplicate=duplicate)
    seat.refresh_from_db()
    duplicate.refresh_from_db()
    assert seat.holder == keep
    assert list(board.secretaries.all()) == [keep]
    assert duplicate.merged_into == keep and not duplicate.is_active
    assert seat.history.filter(holder=keep).exists(), (
        "the move is in the seat's history"
    )
    assert duplicate.history.count() >= 2, "the duplicate's own history is kept"


def test_a_merge_that_would_make_one_person_hold_and_deputise_a_seat_is_refused(
    administrator, board
):
    keep = User.objects.create_user(email="a@ccg.example", name="A")
    duplicate = User.objects.create_user(email="b@ccg.example", name="A")
    seat = board.seats_for_test[0]
    Seat.objects.filter(pk=seat.pk).update(holder=keep, deputy=duplicate)
    with pytest.raises(RuleViolation):
        people.people_merge(by=administrator, keep=keep, duplicate=duplicate)
    duplicate.refresh_from_db()
    assert duplicate.is_active and duplicate.merged_into is None


def test_only_administrators_merge(secretary):
    a = User.objects.create_user(email="a@ccg.example", name="A")
    b = User.objects.create_user(email="b@ccg.example", name="A")
    with pytest.raises(PermissionDenied):
        people.people_merge(by=secretary, keep=a, duplicate=b)
