"""A new password ends every way in that the old one opened (issue 14, finding 7: a
DRF token kept working after a password reset). Sessions already end (Django's
session hash); API tokens are deleted whenever the password changes."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from governance.models import Role

pytestmark = pytest.mark.django_db

OLD, NEW = "correct-horse-battery", "a-brand-new-passphrase-2026"


def token_works(key: str) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/v1/meetings/").status_code == 200


@pytest.fixture
def user_with_token(make_user):
    user = make_user(Role.SECRETARY, email="reset@x.example")
    user.set_password(OLD)
    user.save()
    token = Token.objects.create(user=user)
    assert token_works(token.key)
    return user, token.key


def test_a_password_reset_revokes_the_api_token(
    client, user_with_token, django_capture_on_commit_callbacks
):
    user, key = user_with_token
    with django_capture_on_commit_callbacks(execute=True):  # the worker mails it
        client.post(reverse("password_reset"), {"email": user.email})
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[-1].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}
    )
    assert done.status_code == 302, done.content[:500]
    assert not token_works(key), "the old token still opens the API"
    assert not Token.objects.filter(user=user).exists()


def test_a_password_change_revokes_the_api_token(client, user_with_token):
    user, key = user_with_token
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": OLD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert not token_works(key)


def test_saving_the_user_without_a_new_password_keeps_the_token(user_with_token):
    user, key = user_with_token
    user.name = "Renamed"
    user.save()
    assert token_works(key)
