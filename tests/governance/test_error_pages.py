"""403, 404 and 500 (issue 13): styled pages that say why and where to go; JSON with
``detail`` for anything under /api/, unknown paths included; the 500 page needs
neither the database nor the context processors."""

import json

import pytest
from django.test import Client, RequestFactory

from governance.errors import server_error
from tests.governance.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.governance.error_urls")]


def html(response) -> str:
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def test_403_page_gives_the_reason_and_the_way_to_the_dashboard(client):
    client.force_login(UserFactory(name="Pat Member"))
    response = client.get("/errors/forbidden/")
    assert response.status_code == 403
    page = html(response)
    assert "Only the chair authorises late circulation." in page
    assert '<a class="btn btn-primary" href="/">Go to your dashboard</a>' in page
    assert "Pat Member" in page
    assert "<footer" in page  # extends base.html


def test_403_page_without_a_reason_says_so_plainly(client):
    client.force_login(UserFactory())
    page = html(client.get("/errors/forbidden-silently/"))
    assert "You do not have permission to do that." in page


def test_404_page_for_a_visitor_offers_sign_in(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = html(response)
    assert "Page not found" in page
    assert "?next=/no/such/page/" in page and ">Sign in</a>" in page
    assert "Go to your dashboard" not in page


def test_404_page_for_a_signed_in_person_offers_the_dashboard(client):
    client.force_login(UserFactory())
    page = html(client.get("/meetings/999999/"))
    assert "Page not found" in page and "Go to your dashboard" in page


@pytest.mark.parametrize(
    "path", ["/api/v1/no-such-thing/", "/api/nothing/", "/api/v1/meetings/999999/"]
)
def test_404_under_api_is_json_with_detail(client, path):
    client.force_login(UserFactory())
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in json.loads(response.content)


def test_404_under_api_is_json_for_an_anonymous_client_too():
    response = Client().get("/api/v1/no-such-thing/")
    assert response["Content-Type"].startswith("application/json")
    assert response.status_code == 404
    assert "detail" in json.loads(response.content)


def test_403_under_api_is_json_with_the_reason(client):
    client.force_login(UserFactory())
    response = client.get("/api/v1/errors/forbidden/")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content) == {
        "detail": "Only the chair authorises late circulation."
    }


def test_500_page_is_styled_and_says_where_to_go():
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    response = client.get("/errors/crash/")
    assert response.status_code == 500
    page = html(response)
    assert "Something went wrong" in page and "Go to your dashboard" in page
    assert "boom" not in page


def test_500_under_api_is_json():
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    response = client.get("/api/v1/errors/crash/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content) == {"detail": "Server error."}


class Untouchable:
    """A request attribute that fails when read: the auth and navigation context
    processors read ``request.user``."""

    def __getattr__(self, name):
        raise AssertionError(f"the 500 page read request.user.{name}")


def test_500_page_needs_no_database_and_no_context_processors(
    django_assert_num_queries,
):
    request = RequestFactory().get("/meetings/1/")
    request.user = Untouchable()
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
