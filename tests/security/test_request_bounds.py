"""Request bodies are bounded in depth, size and length, and a body past a bound is
a 400 with a reason, quickly (issue 14, findings 2 and 4): JSON nested 5,000 deep
gave a 500 (RecursionError) on every POST endpoint, and ``PUT .../attendance/``
with 20,000 rows held a worker for 30 s."""

import io
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.exceptions import ParseError

from governance.parsers import MAX_JSON_DEPTH, BoundedJSONParser, json_too_deep
from tests.boards.factories import BoardFactory, SeatFactory
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db

POST_ENDPOINTS = [
    "/api/v1/partners/",
    "/api/v1/people/",
    "/api/v1/boards/",
    "/api/v1/meetings/",
]


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("path", POST_ENDPOINTS)
@pytest.mark.parametrize("depth", [5_000, 100_000])
def test_json_nested_thousands_deep_is_a_400_not_a_500(
    api_as, administrator, path, depth
):
    response = api_as(administrator).post(
        path, data=nested(depth), content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert "nested" in response.json()["detail"]


def test_json_nested_just_past_the_bound_is_refused_and_at_the_bound_is_read(
    api_as, administrator
):
    client = api_as(administrator)
    value = "leaf"
    for _ in range(MAX_JSON_DEPTH):
        value = [value]
    too_deep = {"name": "x", "kind": "other", "extra": value}
    response = client.post("/api/v1/partners/", data=too_deep, format="json")
    assert response.status_code == 400
    ok = {"name": "Depth Council", "kind": "local_authority", "extra": [[["a"]]]}
    assert client.post("/api/v1/partners/", data=ok, format="json").status_code == 201


def test_a_json_body_over_the_size_bound_is_a_400(api_as, administrator, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 50_000
    body = '{"name": "' + "x" * 60_000 + '", "kind": "other"}'
    response = api_as(administrator).post(
        "/api/v1/partners/", data=body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "too large" in response.json()["detail"]


def test_a_json_body_with_a_lying_content_length_is_still_bounded(
    api_as, administrator, settings
):
    """The bound is on the bytes read, not only the header."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    stream = io.BytesIO(b'{"a": "' + b"x" * 5_000 + b'"}')
    with pytest.raises(ParseError, match="too large"):
        BoundedJSONParser().parse(stream, parser_context={})


def test_invalid_json_and_bad_utf8_are_400(api_as, administrator):
    client = api_as(administrator)
    for body in (b"{", b'{"name": "\xff\xfe"}', b"\x00", b"NaN"):
        response = client.post(
            "/api/v1/partners/", data=body, content_type="application/json"
        )
        assert response.status_code == 400, (body, response.content)


def test_attendance_with_twenty_thousand_rows_is_a_400_at_once(api_as, administrator):
    """A board has a few dozen seats; a list longer than any board is refused
    before a query per row is made."""
    board = BoardFactory()
    seat = SeatFactory(board=board)
    meeting = MeetingFactory(board=board)
    rows = [{"seat": seat.pk, "status": "present"}] * 20_000
    client = api_as(administrator)
    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        response = client.put(
            f"/api/v1/meetings/{meeting.pk}/attendance/", data=rows, format="json"
        )
    assert response.status_code == 400, response.content[:300]
    assert time.monotonic() - started < 2
    assert len(queries) < 20


def test_a_big_upload_body_is_refused_before_it_is_read(
    client, administrator, settings
):
    """A form post declaring more than the largest upload is a 400 at once."""
    client.force_login(administrator)
    response = client.generic(
        "POST",
        "/boards/",
        b"x" * 10,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(settings.MAX_UPLOAD_REQUEST_BYTES + 1),
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "raw, deep",
    [
        (b'{"a": [1, 2, {"b": "[[[[[[[[[["}]}', False),  # brackets in strings
        (b'"\\"' + b"[" * 40, True),  # an escaped backslash ends the string
        (b'["\\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["]', False),
        (b"[" * 33 + b"]" * 33, True),
        (b"[" * 32 + b"]" * 32, False),
        (b"[1]," * 100_000, False),  # wide is not deep
    ],
)
def test_the_depth_scan_ignores_strings_and_counts_nesting(raw, deep):
    assert json_too_deep(raw) is deep
