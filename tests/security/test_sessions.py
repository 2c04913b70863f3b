"""Session lifecycle and login throttling (OWASP ASVS 5.0 V7 and V6; issue 8): the
session key rotates at sign-in, and dies at sign-out and when the account is
deactivated; five wrong passwords lock the account from that address (django-axes)."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from governance.models import Role

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def sign_in(client, email, password=PASSWORD):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_session_key_rotates_at_login(client, make_user):
    """An anonymous session key (session fixation) is not kept after sign-in."""
    make_user(Role.MEMBER, email="rot@x.example")
    session = client.session
    session["seen"] = True
    session.save()
    before = session.session_key
    sign_in(client, "rot@x.example")
    after = client.session.session_key
    assert after and after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_session_dies_at_logout(client, make_user):
    """After sign-out the old session key is deleted; replaying its cookie is anonymous."""
    make_user(Role.MEMBER, email="out@x.example")
    sign_in(client, "out@x.example")
    key = client.session.session_key
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    client.cookies["sessionid"] = key
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(
        "/accounts/login/"
    )


def test_session_dies_when_the_account_is_deactivated(client, make_user):
    """A live session of a person who is deactivated no longer reaches any page or the API."""
    user = make_user(Role.SECRETARY, email="gone@x.example")
    sign_in(client, "gone@x.example")
    assert client.get(reverse("dashboard")).status_code == 200
    user.is_active = False
    user.save()
    assert client.get(reverse("dashboard")).status_code == 302
    assert client.get("/api/v1/schema/").status_code in (401, 403)


def test_login_is_locked_after_five_failures(client, make_user, settings):
    """django-axes: after five wrong passwords even the right password is refused from
    that address, and nobody is signed in."""
    settings.AXES_ENABLED = True
    make_user(Role.MEMBER, email="lock@x.example")
    statuses = [
        sign_in(client, "lock@x.example", "wrong-password").status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert statuses[-1] == 429, "the fifth failure locks"
    locked = sign_in(client, "lock@x.example")
    assert locked.status_code in (403, 429)
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("dashboard")).status_code == 302


def test_lockout_is_per_username_and_address(client, make_user, settings):
    """Another person signing in from the same address is not locked out by someone
    else's failures."""
    settings.AXES_ENABLED = True
    make_user(Role.MEMBER, email="lock2@x.example")
    make_user(Role.MEMBER, email="other@x.example")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "lock2@x.example", "wrong-password")
    assert sign_in(client, "other@x.example").status_code == 302
