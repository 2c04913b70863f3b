"""Two-factor sign-in (TOTP) for privileged roles when OTP_REQUIRED (ASVS 5.0 V6;
issue 8): administrators, secretaries, pooled fund managers and auditors must pass a
TOTP code before any page; members and finance officers are not made to; the API
refuses an unverified session but not a token client."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from governance.models import Role

pytestmark = pytest.mark.django_db

PRIVILEGED = [Role.ADMINISTRATOR, Role.SECRETARY, Role.FUND_MANAGER, Role.AUDITOR]


@pytest.fixture
def otp_required(settings):
    settings.OTP_REQUIRED = True


def code_for(device: TOTPDevice) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


def forget_failures(device: TOTPDevice) -> None:
    """django-otp throttles after a wrong code; the tests skip the wait."""
    device.refresh_from_db()
    device.throttle_reset()


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


@pytest.mark.parametrize("role", PRIVILEGED)
def test_privileged_role_without_device_is_sent_to_setup(
    client, make_user, otp_required, role
):
    """A privileged person with no authenticator is sent to set one up."""
    client.force_login(make_user(role))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))


@pytest.mark.parametrize("role", PRIVILEGED)
def test_privileged_role_with_device_is_sent_to_verify(
    client, make_user, otp_required, role
):
    """A privileged person with a confirmed authenticator must enter a code."""
    user = make_user(role)
    confirmed_device(user)
    client.force_login(user)
    response = client.get("/boards/")
    assert response.status_code == 302
    location = urlparse(response["Location"])
    assert location.path == reverse("two_factor_verify")
    assert parse_qs(location.query)["next"] == ["/boards/"]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.FINANCE_OFFICER])
def test_other_roles_are_not_made_to_use_two_factor(
    client, make_user, otp_required, role
):
    """Members and finance officers go straight to the dashboard."""
    client.force_login(make_user(role))
    assert client.get(reverse("dashboard")).status_code == 200


def test_two_factor_is_optional_in_the_demo(client, make_user, settings):
    """With OTP_REQUIRED off (the `make run` demo) a secretary signs in with a password."""
    settings.OTP_REQUIRED = False
    client.force_login(make_user(Role.SECRETARY))
    assert client.get(reverse("dashboard")).status_code == 200


def test_setup_shows_the_key_as_text_and_a_qr_code_then_confirms(
    client, make_user, otp_required
):
    """The set-up page shows the otpauth:// address and an inline SVG QR code; a right
    code confirms the device and opens the product; a wrong one shows an error."""
    client.force_login(make_user(Role.SECRETARY, email="s2fa@x.example"))
    page = client.get(reverse("two_factor_setup"), {"next": "/boards/"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "otpauth://totp/" in html and "<svg" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "no inline script"
    device = TOTPDevice.objects.get(user__email="s2fa@x.example", confirmed=False)

    wrong = client.post(
        reverse("two_factor_setup"), {"code": "000000", "next": "/boards/"}
    )
    assert wrong.status_code == 200
    assert "not right" in wrong.content.decode()

    forget_failures(device)
    ok = client.post(
        reverse("two_factor_setup"), {"code": code_for(device), "next": "/boards/"}
    )
    # Set up: the recovery codes are shown once, with the way on to the page asked for.
    assert ok.status_code == 200
    assert (
        ok.content.decode().count("<li>") >= 10
        and 'href="/boards/"' in ok.content.decode()
    )
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("dashboard")).status_code == 200


def test_setup_is_refused_once_a_device_is_confirmed(client, make_user, otp_required):
    """A stolen password alone cannot enrol a new authenticator: set-up redirects to verify."""
    user = make_user(Role.ADMINISTRATOR)
    confirmed_device(user)
    client.force_login(user)
    response = client.get(reverse("two_factor_setup"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_verify_with_the_right_code_opens_the_product(client, make_user, otp_required):
    """After password sign-in, the right TOTP code lets an auditor in; a wrong code does not."""
    user = make_user(Role.AUDITOR, email="aud2fa@x.example")
    device = confirmed_device(user)
    client.post(
        reverse("login"),
        {"username": "aud2fa@x.example", "password": "correct-horse-battery"},
    )
    assert client.get(reverse("dashboard")).status_code == 302
    bad = client.post(reverse("two_factor_verify"), {"code": "123456", "next": "/"})
    assert bad.status_code == 200 and "not right" in bad.content.decode()
    forget_failures(device)
    good = client.post(
        reverse("two_factor_verify"), {"code": code_for(device), "next": "/"}
    )
    assert good.status_code == 302 and good["Location"] == "/"
    assert client.get(reverse("dashboard")).status_code == 200


def test_verify_refuses_an_offsite_next(client, make_user, otp_required):
    """The next parameter cannot send someone to another site after verifying."""
    user = make_user(Role.SECRETARY)
    device = confirmed_device(user)
    client.force_login(user)
    response = client.post(
        reverse("two_factor_verify"),
        {"code": code_for(device), "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_api_refuses_an_unverified_session_but_not_a_token(
    client, make_user, otp_required
):
    """The API answers 403 to an unverified privileged session; token auth is unaffected."""
    user = make_user(Role.ADMINISTRATOR, is_superuser=True)
    client.force_login(user)
    assert client.get("/api/v1/schema/").status_code == 403
    token = Token.objects.create(user=user)
    client.logout()
    response = client.get("/api/v1/schema/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


def test_sign_in_pages_stay_reachable(client, make_user, otp_required):
    """/accounts/ is exempt, so an unverified person can still sign out."""
    client.force_login(make_user(Role.SECRETARY))
    assert client.post(reverse("logout")).status_code == 302


def test_recovery_codes_are_shown_once_and_each_signs_in_once(
    client, make_user, otp_required
):
    """Setting up the authenticator shows ten recovery codes; on the verify page a
    code stands in for the six digits, once."""
    user = make_user(Role.AUDITOR, email="rc@x.example")
    client.force_login(user)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    shown = client.post(reverse("two_factor_setup"), {"code": code_for(device)})
    codes = re.findall(r"<li>([a-z0-9]{5}-[a-z0-9]{5})</li>", shown.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10

    client.logout()
    client.force_login(user)
    assert client.get(reverse("dashboard")).status_code == 302  # asks for a code
    used = client.post(
        reverse("two_factor_verify"), {"code": codes[0].upper(), "next": "/"}
    )
    assert used.status_code == 302 and used["Location"] == "/"
    assert client.get(reverse("dashboard")).status_code == 200

    client.logout()
    client.force_login(user)
    again = client.post(reverse("two_factor_verify"), {"code": codes[0], "next": "/"})
    assert again.status_code == 200 and "not right" in again.content.decode()


def test_a_member_made_board_secretary_is_asked_for_a_second_factor(
    client, make_user, otp_required
):
    """Privilege follows the roles held, not only the usual role."""
    from tests.boards.factories import BoardFactory

    user = make_user(Role.MEMBER)
    client.force_login(user)
    assert client.get(reverse("dashboard")).status_code == 200
    BoardFactory().secretaries.add(user)
    assert client.get(reverse("dashboard")).status_code == 302
