"""PATCH /api/v1/people/{id}/: a person's name, e-mail and job title over the
``person_update`` service (issue 15: "users ... managed without the Django admin"):
administrators may; everyone else gets 403 (not 404, even for a person who does not
exist); bad input is 400; the endpoint is in the OpenAPI schema."""

import json

import pytest

from governance.models import Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(make_user):
    return make_user(Role.MEMBER, name="Quinn Testington", email="quinn@ccg.example")


def test_an_administrator_changes_a_persons_details(api_as, administrator, person):
    response = api_as(administrator).patch(
        f"/api/v1/people/{person.pk}/",
        {"email": "Quinn.T@CCG.example", "job_title": "Head of Finance"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["email"] == "quinn.t@ccg.example"
    assert body["name"] == "Quinn Testington"  # not sent: kept
    person.refresh_from_db()
    assert (person.email, person.job_title) == (
        "quinn.t@ccg.example",
        "Head of Finance",
    )


@pytest.mark.parametrize(
    "role",
    [
        Role.SECRETARY,
        Role.FUND_MANAGER,
        Role.FINANCE_OFFICER,
        Role.MEMBER,
        Role.AUDITOR,
    ],
)
def test_nobody_else_changes_a_persons_details(api_as, make_user, person, role):
    client = api_as(make_user(role))
    response = client.patch(
        f"/api/v1/people/{person.pk}/", {"name": "Mallory"}, format="json"
    )
    assert response.status_code == 403
    assert (
        client.patch(
            "/api/v1/people/999999/", {"name": "Mallory"}, format="json"
        ).status_code
        == 403
    )
    person.refresh_from_db()
    assert person.name == "Quinn Testington"


def test_an_administrator_gets_404_for_nobody(api_as, administrator):
    response = api_as(administrator).patch(
        "/api/v1/people/999999/", {"name": "Nobody"}, format="json"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"email": "not an e-mail"},
        {"name": ""},
        {"name": "x" * 201},
        {"email": "taken@ccg.example"},
    ],
)
def test_bad_input_is_400_naming_the_field(
    api_as, administrator, make_user, person, body
):
    make_user(email="taken@ccg.example")
    response = api_as(administrator).patch(
        f"/api/v1/people/{person.pk}/", body, format="json"
    )
    assert response.status_code == 400, response.content
    assert set(body) <= set(response.json()), response.json()
    assert User.objects.get(pk=person.pk).email == "quinn@ccg.example"


def test_the_person_patch_is_in_the_openapi_schema(api_as, administrator):
    response = api_as(administrator).get(
        "/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    schema = json.loads(response.content)
    operation = schema["paths"]["/api/v1/people/{id}/"]["patch"]
    request = operation["requestBody"]["content"]["application/json"]["schema"]
    assert "PersonPatch" in request["$ref"]
    assert "200" in operation["responses"] and "administrators" in (
        operation.get("description", "")
    )
