"""Sign in, sign out, password reset, role navigation and the audit history."""

import pytest
from django.core import mail
from django.urls import reverse

from governance.models import Role

pytestmark = pytest.mark.django_db


def test_login_page_is_served_and_signing_in_reaches_the_dashboard(client, make_user):
    user = make_user(Role.SECRETARY, email="sec@x.example")
    assert client.get(reverse("login")).status_code == 200
    response = client.post(
        reverse("login"),
        {"username": "sec@x.example", "password": "correct-horse-battery"},
    )
    assert response.status_code == 302
    page = client.get(reverse("dashboard"))
    assert page.status_code == 200
    assert user.name in page.content.decode()


def test_wrong_password_shows_an_error_and_signs_nobody_in(client, make_user):
    make_user(email="m@x.example")
    response = client.post(
        reverse("login"), {"username": "m@x.example", "password": "no"}
    )
    assert response.status_code == 200
    assert (
        "correct email" in response.content.decode().lower()
        or "enter a correct" in (response.content.decode().lower())
    )


def test_session_key_rotates_at_login_and_dies_at_logout(client, make_user):
    make_user(email="r@x.example")
    client.get(reverse("login"))
    before = client.session.session_key
    client.post(
        reverse("login"),
        {"username": "r@x.example", "password": "correct-horse-battery"},
    )
    during = client.session.session_key
    assert during and during != before
    client.post(reverse("logout"))
    assert client.get(reverse("dashboard")).status_code == 302


def test_password_reset_sends_a_link(
    client, make_user, django_capture_on_commit_callbacks
):
    """The worker sends it (eager here), through the outbox."""
    make_user(email="p@x.example")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "p@x.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


@pytest.mark.parametrize(
    "role, sees_funds, sees_audit",
    [
        (Role.MEMBER, False, False),
        (Role.FINANCE_OFFICER, True, False),
        (Role.AUDITOR, True, True),
        (Role.ADMINISTRATOR, True, True),
    ],
)
def test_navigation_follows_role(client, make_user, role, sees_funds, sees_audit):
    client.force_login(make_user(role))
    html = client.get(reverse("dashboard")).content.decode()
    assert ("Pooled funds" in html) is sees_funds
    assert ("Audit history" in html) is sees_audit
    assert 'href="#main"' in html, "skip link"
    assert "<main" in html and "<nav" in html


def test_auditor_reads_the_audit_history_with_before_and_after(
    client, auditor, make_user
):
    person = make_user(name="Before Name")
    person.name = "After Name"
    person.save()
    client.force_login(auditor)
    html = client.get(
        reverse("audit:history"), {"model": "governance.user"}
    ).content.decode()
    assert "Before Name" in html and "After Name" in html


def test_members_cannot_read_the_audit_history(client, make_user):
    client.force_login(make_user(Role.MEMBER))
    assert client.get(reverse("audit:history")).status_code == 403
