"""The public API, /api/v1/public/ (issue 19): no token, in the OpenAPI schema, and
every answer validates against the schema the app serves; nothing withheld is
found."""

import json

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from openapi_schema_validator import OAS30Validator

from .world import PUBLIC, SECRETS


@pytest.fixture(scope="module")
def schema():
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


def _inline(node, components):
    if isinstance(node, dict):
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            return _inline(components[name], components)
        return {k: _inline(v, components) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, components) for v in node]
    return node


def _validate(schema, template: str, body, status="200"):
    operation = schema["paths"][template]["get"]
    content = operation["responses"][status]["content"]["application/json"]
    OAS30Validator(
        _inline(content["schema"], schema["components"]["schemas"])
    ).validate(body)


def test_every_public_operation_is_in_the_schema_and_needs_no_token(schema):
    public = {p: ops for p, ops in schema["paths"].items() if "/public/" in p}
    assert set(public) >= {
        "/api/v1/public/boards/",
        "/api/v1/public/boards/{id}/",
        "/api/v1/public/meetings/{id}/",
        "/api/v1/public/items/{id}/",
        "/api/v1/public/decisions/",
        "/api/v1/public/decisions/{id}/",
        "/api/v1/public/search/",
    }
    assert "security" not in schema  # no scheme required unless an operation says
    for ops in public.values():
        for operation in ops.values():
            assert operation.get("security") in (None, [], [{}]), operation
    boards = schema["paths"]["/api/v1/boards/"]["post"]
    assert boards["security"] and {} not in boards["security"]  # the contrast


def test_boards_and_a_board(client, world, schema):
    boards = client.get("/api/v1/public/boards/")
    assert boards.status_code == 200
    _validate(schema, "/api/v1/public/boards/", boards.json())
    assert [b["name"] for b in boards.json()] == [PUBLIC["board"]]
    board = client.get(f"/api/v1/public/boards/{world.published.pk}/").json()
    _validate(schema, "/api/v1/public/boards/{id}/", board)
    assert board["publication_source"] == "Lighthouse ToR 9.1"
    assert client.get(f"/api/v1/public/boards/{world.hidden.pk}/").status_code == 404


def test_a_meeting_with_its_exempt_item_as_a_label_only(client, world, schema):
    response = client.get(f"/api/v1/public/meetings/{world.held.pk}/")
    assert response.status_code == 200
    data = response.json()
    _validate(schema, "/api/v1/public/meetings/{id}/", data)
    exempt = [i for i in data["items"] if i["exempt"]]
    assert len(exempt) == 1
    assert exempt[0]["title"] is None and exempt[0]["papers"] == []
    assert exempt[0]["exempt_label"] == (
        "Exempt under paragraph 3 of Schedule 12A to the Local Government Act 1972"
    )
    assert data["attendance"] and data["minutes_url"]
    text = response.content.decode()
    for word in SECRETS.values():
        assert word not in text


def test_an_item_and_its_decision(client, world, schema):
    item = client.get(f"/api/v1/public/items/{world.public_item.pk}/").json()
    _validate(schema, "/api/v1/public/items/{id}/", item)
    assert item["decision"] == world.public_motion.pk
    decision = client.get(f"/api/v1/public/decisions/{item['decision']}/").json()
    _validate(schema, "/api/v1/public/decisions/{id}/", decision)
    assert decision["outcome"] == "carried"
    assert decision["tally"]["for"] == 2
    assert (
        client.get(f"/api/v1/public/items/{world.confidential_item.pk}/").status_code
        == 404
    )
    assert (
        client.get(
            f"/api/v1/public/decisions/{world.confidential_motion.pk}/"
        ).status_code
        == 404
    )


def test_decisions_list_with_filters(client, world, schema):
    data = client.get("/api/v1/public/decisions/").json()
    _validate(schema, "/api/v1/public/decisions/", data)
    assert [d["id"] for d in data["results"]] == [world.public_motion.pk]
    assert data["results"][0]["financial_value"] is None
    none = client.get("/api/v1/public/decisions/?outcome=referred").json()
    assert none["count"] == 0
    assert client.get("/api/v1/public/decisions/?outcome=nonsense").status_code == 400
    assert client.get("/api/v1/public/decisions/?decided_from=x").status_code == 400


def test_search(client, world, schema):
    data = client.get("/api/v1/public/search/?q=hospital+discharge").json()
    _validate(schema, "/api/v1/public/search/", data)
    assert data["count"] >= 4
    assert client.get("/api/v1/public/search/").status_code == 400


def test_a_token_is_not_needed_and_not_used(client, world, api_as):
    """Signed in or not, the public API answers the same: it reads no session."""
    member_view = api_as(world.member).get(
        f"/api/v1/public/search/?q={SECRETS['hidden_item']}"
    )
    assert member_view.status_code == 200
    assert member_view.json()["count"] == 0


def test_a_web_page_on_another_site_may_read_it(client, world):
    response = client.get("/api/v1/public/decisions/", HTTP_ORIGIN="https://x.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
