"""Every API list is paginated (issue 17): no GET in the schema answers a bare
array, each list answers ``count``, ``next``, ``previous`` and ``results``, and
a list's queries do not grow with its rows."""

import datetime

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from tests.boards.factories import BoardFactory
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def test_no_get_in_the_schema_answers_a_bare_list():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    bare, paginated = [], []
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if not get:
            continue
        for media in get["responses"].get("200", {}).get("content", {}).values():
            body = _resolve(schema, media.get("schema", {}))
            if body.get("type") == "array":
                bare.append(path)
            elif {"count", "next", "results"} <= set(body.get("properties", {})):
                paginated.append(path)
    # Lists answered whole, each bounded by documents rather than by history: a
    # board's obligations and its forward plan (issue 18's contract gives them as
    # arrays; they hold one row a duty in the board's terms), and the public
    # register's list of boards (a handful of rows, open to everyone).
    assert sorted(bare) == [
        "/api/v1/boards/{id}/forward-plan/",
        "/api/v1/boards/{id}/obligations/",
        "/api/v1/public/boards/",
    ]
    for must in [
        "/api/v1/meetings/",
        "/api/v1/meetings/{id}/items/",
        "/api/v1/meetings/{id}/attendance/",
        "/api/v1/motions/{id}/votes/",
        "/api/v1/escalations/",
        "/api/v1/boards/{id}/decisions/",
        "/api/v1/funds/{id}/returns/",
        "/api/v1/funds/{id}/schemes/",
        "/api/v1/boards/",
    ]:
        assert must in paginated, must


def _meetings(board, n):
    start = timezone.now() - datetime.timedelta(days=400)
    for k in range(n):
        MeetingFactory(board=board, starts_at=start + datetime.timedelta(days=k))


# (force_authenticate: no session or token query) 1 count, 2 one page of meetings,
# 3-4 the user's role on the page's boards (secretary of; seats held), for each
# meeting's ``actions``.
MEETINGS_LIST = 4


@pytest.mark.parametrize("rows", [3, 40])
def test_meetings_list_is_a_page_whose_queries_do_not_grow(
    api_as, auditor, rows, django_assert_num_queries
):
    _meetings(BoardFactory(), rows)
    client = api_as(auditor)
    with django_assert_num_queries(MEETINGS_LIST):
        body = client.get("/api/v1/meetings/", {"limit": 2}).json()
    assert body["count"] == rows
    assert len(body["results"]) == 2
    assert "offset=2" in body["next"] and body["previous"] is None
    last = client.get("/api/v1/meetings/", {"limit": 2, "offset": rows - 1}).json()
    assert len(last["results"]) == 1 and last["next"] is None


# (force_authenticate) 1 the board the user may see, 2 count, 3 one page of sources.
SOURCES_LIST = 3


@pytest.mark.parametrize("rows", [2, 4])
def test_a_boards_rule_sources_answer_the_page_the_schema_gives(
    api_as, auditor, rows, django_assert_num_queries
):
    """The schema gave ``/boards/{id}/sources/`` as a page while the view answered a
    bare list."""
    from boards.services.sources import rule_source_set

    board = BoardFactory()
    for rule in ["absent_partner_rule", "chair_casting_vote", "decision_rule"][
        : rows - 1
    ] + ["quorum.routine"]:
        rule_source_set(
            board=board,
            rule=rule,
            kind="terms",
            document="Portsmouth PMG ToR",
            paragraph="4.4",
        )
    client = api_as(auditor)
    with django_assert_num_queries(SOURCES_LIST):
        body = client.get(f"/api/v1/boards/{board.pk}/sources/", {"limit": 1}).json()
    assert body["count"] == rows and len(body["results"]) == 1
    assert "offset=1" in body["next"] and body["previous"] is None
