"""Login throttling behind a proxy keys on the person and their real address
(issue 14, finding 7: with five failed logins from one proxy address every user
behind that proxy was locked out). The client address comes from X-Forwarded-For
only when the request arrives from a trusted proxy (``TRUSTED_PROXIES``); from
anywhere else the header is ignored, so a client cannot pick its own address to
dodge a lockout."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from governance.client_ip import client_ip
from governance.models import Role

PROXY = "10.0.0.2"
PASSWORD = "correct-horse-battery"


def request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    "remote, forwarded, expected",
    [
        ("203.0.113.9", None, "203.0.113.9"),  # no proxy
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),  # untrusted: header ignored
        (PROXY, "198.51.100.1", "198.51.100.1"),  # the proxy says who
        (PROXY, "1.2.3.4, 198.51.100.1", "198.51.100.1"),  # spoofed left part ignored
        (PROXY, "198.51.100.1, 10.0.0.3", "198.51.100.1"),  # a chain of our proxies
        (PROXY, "", PROXY),  # the proxy itself (a health check)
        (PROXY, "not-an-address", PROXY),
        ("2001:db8::1", None, "2001:db8::1"),
    ],
)
def test_the_client_address_is_read_from_a_trusted_proxy_only(
    settings, remote, forwarded, expected
):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_ip(request(remote, forwarded)) == expected


def sign_in(client, email, password, address):
    return client.post(
        reverse("login"),
        {"username": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


@pytest.fixture
def behind_proxy(settings, make_user):
    settings.AXES_ENABLED = True
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    make_user(Role.MEMBER, email="target@x.example")
    make_user(Role.MEMBER, email="colleague@x.example")


@pytest.mark.django_db
def test_failures_behind_a_proxy_lock_only_that_person_at_that_address(
    client, settings, behind_proxy
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "target@x.example", "wrong", "198.51.100.7")
    assert sign_in(
        client, "target@x.example", PASSWORD, "198.51.100.7"
    ).status_code in (
        403,
        429,
    )
    client.logout()
    # The same person from their own desk, and a colleague, behind the same proxy:
    assert (
        sign_in(client, "target@x.example", PASSWORD, "198.51.100.8").status_code == 302
    )
    client.logout()
    assert (
        sign_in(client, "colleague@x.example", PASSWORD, "198.51.100.7").status_code
        == 302
    )
