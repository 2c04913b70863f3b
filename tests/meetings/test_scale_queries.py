"""Pages whose rows grow with the record cost the same queries with one board and
with six, and list pages show 50 rows a page (issue 17: the auditor's meeting list
was two queries a board, the minutes pages listed every row ever made)."""

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Role
from meetings.models import Meeting, MinutesDeadline, MinutesVersion
from tests.boards.factories import BoardFactory, SeatFactory
from tests.governance.factories import UserFactory
from tests.meetings.factories import MeetingFactory
from tests.query_counts import SIGNED_IN

pytestmark = pytest.mark.django_db


def grow(secretary, member, boards=1, held=1):
    """``boards`` boards run by ``secretary`` with ``member`` in a seat, each with
    an upcoming meeting and ``held`` past meetings whose minutes were circulated
    and whose deadline was met."""
    now = timezone.now()
    for _ in range(boards):
        board = BoardFactory(secretaries=[secretary])
        SeatFactory(board=board, holder=member, is_chair=False)
        MeetingFactory(board=board, starts_at=now + datetime.timedelta(days=10))
        for n in range(held):
            meeting = MeetingFactory(
                board=board,
                starts_at=now - datetime.timedelta(days=20 + n),
                status=Meeting.Status.CLOSED,
            )
            MinutesDeadline.objects.create(
                meeting=meeting,
                due_on=(meeting.starts_at + datetime.timedelta(days=7)).date(),
                met_at=meeting.starts_at + datetime.timedelta(days=3),
            )
            MinutesVersion.objects.create(
                meeting=meeting,
                status=MinutesVersion.Status.CIRCULATED,
                created_by=secretary,
                circulated_by=secretary,
                circulated_at=meeting.starts_at + datetime.timedelta(days=3),
                pdf_sha256=hashlib.sha256(str(meeting.pk).encode()).hexdigest(),
            )


@pytest.fixture
def people(auditor):
    return {
        "auditor": auditor,
        "secretary": UserFactory(role=Role.SECRETARY),
        "member": UserFactory(role=Role.MEMBER),
    }


# The session, then the user (each from the database unless it is cached:
# tests/query_counts.py).
SESSION = SIGNED_IN

# (page, who, the queries in order: their number is pinned exactly)
PAGES = [
    (
        "meetings:list",
        "auditor",
        [
            *SESSION,
            "upcoming meetings: how many",
            "upcoming meetings: one page (board joined), soonest first",
            "past meetings: how many",
            "past meetings: one page (board joined), newest first",
            "boards the user may see (for the boards they run)",
            "the user's secretaryships on those boards, all at once",
            "the user's seats on those boards, all at once",
        ],
    ),
    (
        "meetings:list",
        "secretary",
        [
            *SESSION,
            "upcoming meetings: how many",
            "upcoming meetings: one page (board joined), soonest first",
            "past meetings: how many",
            "past meetings: one page (board joined), newest first",
            "boards the user may see",
            "the user's secretaryships on those boards, all at once",
            "the user's seats on those boards, all at once",
            "each run board's last and next meeting id (two subqueries)",
            "those meetings",
            "the boards' funds (reporting cycles for proposed dates)",
        ],
    ),
    (
        "dashboard",
        "secretary",
        [
            *SESSION,
            "boards: the secretary's boards (the board each reports to joined)",
            "  active seats",
            "  quorum rules",
            "  terms of reference",
            "  chair terms",
            "  rule sources (the clause each rule comes from)",
            "upcoming meetings (8)",
            "boards behind their frequency: the secretary's boards",
            "  their last and next meeting ids",
            "  those meetings",
            "  their funds (reporting cycles)",
            "decisions: motions open for the user",
            "decisions: open escalations",
            "minutes: is the user a secretary",
            "minutes: the ten soonest open deadlines",
            "pooled funds: returns waiting",
            "planning: what the secretary's boards owe",
        ],
    ),
    (
        "dashboard",
        "member",
        [
            *SESSION,
            "boards: the secretary's boards (none)",
            "upcoming meetings (8)",
            "boards behind their frequency: the user's secretaryships (none)",
            "decisions: motions open for the user",
            "decisions: open escalations",
            "minutes: is the user a secretary",
            "pooled funds: the funds the user may see",
            "planning: what the user's boards owe (none)",
            "  the boards they are secretary of",
            "  the funds they manage",
            "  their own permissions (ModelBackend)",
            "  their groups' permissions",
        ],
    ),
    (
        "meetings:minutes_deadlines",
        "secretary",
        [*SESSION, "count of deadlines", "one page of deadlines (board joined)"],
    ),
    (
        "meetings:minutes_audit",
        "auditor",
        [
            *SESSION,
            "count of circulated versions",
            "one page of versions with download counts",
            "their deliveries (officer, partner, outbox joined)",
        ],
    ),
]


@pytest.mark.parametrize("name, who, queries", PAGES)
def test_page_queries_do_not_grow_with_boards_or_history(
    client, people, name, who, queries, django_assert_num_queries
):
    expected = len(queries)
    grow(people["secretary"], people["member"], boards=1, held=1)
    client.force_login(people[who])
    with django_assert_num_queries(expected):
        assert client.get(reverse(name)).status_code == 200
    grow(people["secretary"], people["member"], boards=5, held=3)
    with django_assert_num_queries(expected):
        assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize(
    "name, who",
    [
        ("meetings:minutes_deadlines", "secretary"),
        ("meetings:minutes_audit", "auditor"),
    ],
)
def test_minutes_lists_show_fifty_rows_a_page(client, people, name, who):
    grow(people["secretary"], people["member"], boards=1, held=55)
    client.force_login(people[who])
    first = client.get(reverse(name))
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.count == 55
    assert b'rel="next"' in first.content
    second = client.get(reverse(name), {"page": 2})
    assert len(second.context["page"].object_list) == 5
    assert b'rel="prev"' in second.content


def test_the_meeting_list_pages_upcoming_and_past_meetings_separately(client, people):
    """Past meetings beyond the first fifty were cut off at 200 rows in all; now
    each list is a page of fifty with its own pager, and paging one keeps the
    other's page."""
    grow(people["secretary"], people["member"], boards=1, held=55)
    client.force_login(people["auditor"])
    url = reverse("meetings:list")
    first = client.get(url)
    past, upcoming = first.context["past"], first.context["upcoming"]
    assert (past.paginator.count, len(past.object_list)) == (55, 50)
    assert (upcoming.paginator.count, len(upcoming.object_list)) == (1, 1)
    body = first.content.decode()
    assert 'aria-label="Pages of past meetings"' in body
    assert 'href="?past=2#past" rel="next"' in body
    assert "Pages of upcoming meetings" not in body  # one page: no pager
    newest = past.object_list[0].starts_at
    assert all(m.starts_at <= newest for m in past.object_list)
    second = client.get(url, {"past": 2, "upcoming": 1})
    assert len(second.context["past"].object_list) == 5
    assert 'href="?upcoming=1&amp;past=1#past" rel="prev"' in second.content.decode()
    assert second.context["past"].object_list[0].starts_at < (
        past.object_list[-1].starts_at
    )


def test_the_boards_someone_runs_are_listed_fifty_a_page(client, people):
    """The meeting list proposes dates for each board the person runs: an
    administrator runs every board, so that table is a page of fifty too."""
    grow(people["secretary"], people["member"], boards=51, held=0)
    client.force_login(people["secretary"])
    url = reverse("meetings:list")
    first = client.get(url)
    assert first.context["runnable"].paginator.count == 51
    assert len(first.context["schedules"]) == 50
    body = first.content.decode()
    assert "Boards you run (51)" in body
    assert 'href="?boards=2#boards-you-run" rel="next"' in body
    second = client.get(url, {"boards": 2})
    assert [s.board for s in second.context["schedules"]] == list(
        second.context["runnable"].object_list
    )
    assert len(second.context["schedules"]) == 1
