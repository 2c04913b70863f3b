"""The secretary's meeting page is rendered once per version of the meeting (issue
17, meetings/page_cache.py, meetings/versions.py): never stale (each kind of change,
through its service, shows on the next render), a second render of an unchanged
page reads the cache instead of the database, and the polled panels answer 304 Not
Modified while nothing changed."""

import datetime
import re
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from boards.models import QuorumRule, Seat
from boards.services import quorum_rules, seats
from meetings import page_cache
from meetings.models import AgendaItem, Meeting
from meetings.selectors import meetings as meeting_selectors
from meetings.services import (
    actions,
    agenda,
    attendance,
    chairing,
    declarations,
    guests,
    lifecycle,
    motions,
    positions,
    votes,
)
from meetings.services.agenda import MotionInput
from meetings.services.papers import paper_upload
from tests.documents import blank_pdf
from tests.meetings import builders
from tests.query_counts import SESSION_QUERIES, USER_QUERIES

pytestmark = pytest.mark.django_db


class World:
    def __init__(self):
        self.b = builders.pmg(seats_per_partner=1)
        # Today, so the meeting may start (its day) in the "status" case.
        Meeting.objects.filter(pk=self.b.meeting.pk).update(
            starts_at=timezone.now() + datetime.timedelta(minutes=5)
        )
        # No papers deadline, so the agenda may be issued today.
        type(self.b.board).objects.filter(pk=self.b.board.pk).update(
            papers_working_days=None
        )
        self.meeting = Meeting.objects.select_related("board").get(pk=self.b.meeting.pk)
        self.by = self.b.secretary
        self.item = agenda.item_add(
            meeting=self.meeting,
            title="Approve the budget",
            by=self.by,
            kind=AgendaItem.Kind.DECISION,
            motion=MotionInput(text="That the budget be approved."),
        )
        self.motion = self.item.motion

    def all_present(self):
        for seat in self.b.seats:
            attendance.attendance_record(
                meeting=self.meeting,
                seat=seat,
                status="present",
                arrived_at=None,
                left_at=None,
                by=self.by,
            )

    def open_motion(self):
        self.all_present()
        motions.motion_open(motion=self.motion, by=self.by)


def _attendance(w):
    w.all_present()


def _item(w):
    agenda.item_add(meeting=w.meeting, title="A brand new item", by=w.by)


def _paper(w):
    paper_upload(
        item=w.item,
        title="Budget appendix Q",
        upload=SimpleUploadedFile("q.pdf", blank_pdf()),
        by=w.by,
    )


def _motion(w):
    motions.motion_open(motion=w.motion, by=w.by)


def _vote(w):
    votes.vote_cast(motion=w.motion, seat=w.b.seats[0], choice="for", by=w.by)


def _position(w):
    positions.position_file(
        item=w.item,
        partner=w.b.partners[0],
        position="support",
        text="The council supports it in full",
        by=w.by,
    )


def _declaration(w):
    declarations.declaration_record(
        item=w.item,
        seat=w.b.seats[0],
        interest="Director of Acme Widgets",
        withdrew=False,
        by=w.by,
    )


def _action(w):
    actions.action_add(
        meeting=w.meeting, description="Chase the auditors", owner_name="Ann", by=w.by
    )


def _guest(w):
    guests.guest_invite(
        meeting=w.meeting, name="Dr Ada Visitor", items=[w.item], by=w.by
    )


def _seat(w):
    seats.seat_update(seat=w.b.seats[0], title="Cabinet member for health")


def _quorum_rule(w):
    rule = QuorumRule.objects.get(board=w.b.board, business_type="routine")
    quorum_rules.quorum_rule_update(rule=rule, min_voting_per_partner=2)


def _chair_seat(w):
    seats.seat_update(seat=w.b.seats[0], is_chair=True)
    w.all_present()


def _chair(w):
    seat = Seat.objects.get(pk=w.b.seats[0].pk)
    chairing.meeting_chair_set(meeting=w.meeting, seat=seat, by=w.by)


def _agenda_issue(w):
    agenda.meeting_publish_agenda(meeting=w.meeting, by=w.by)


def _status(w):
    lifecycle.meeting_start(meeting=w.meeting, by=w.by)


def _notes(w):
    agenda.item_notes_save(item=w.item, notes="Noted: figures to follow", by=w.by)


def _person(w):
    holder = w.b.seats[0].holder
    holder.name = "Councillor Renamed"
    holder.save()


# (kind, set up before the first render, the change, what shows after it and not
# before)
CASES = [
    ("attendance", None, _attendance, "✔ Quorate"),
    ("items", None, _item, "A brand new item"),
    ("papers", None, _paper, "Budget appendix Q"),
    ("motions", World.all_present, _motion, "Close the vote"),
    ("votes", World.open_motion, _vote, "Votes cast: 1 of 2"),
    ("written positions", None, _position, "The council supports it in full"),
    ("declarations", None, _declaration, "Director of Acme Widgets"),
    ("actions", None, _action, "Chase the auditors"),
    ("guests", None, _guest, "Dr Ada Visitor"),
    ("seats", None, _seat, "Cabinet member for health"),
    ("quorum rules", World.all_present, _quorum_rule, "✘ Not quorate"),
    ("chair", lambda w: _chair_seat(w), _chair, "</strong> chairs:"),
    ("agenda issue", None, _agenda_issue, 'data-testid="agenda-sent"'),
    ("status", lambda w: (_agenda_issue(w), w.all_present()), _status, ">In progress<"),
    ("notes", None, _notes, "Noted: figures to follow"),
    ("people", None, _person, "Councillor Renamed"),
]


def _run_page(client, meeting) -> str:
    response = client.get(reverse("meetings:run", args=[meeting.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "setup, change, shows", [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_no_stale_page_after_each_kind_of_change(client, setup, change, shows):
    w = World()
    if setup:
        setup(w)
    client.force_login(w.by)
    before = _run_page(client, w.meeting)
    assert shows not in before
    # The unchanged page is served from the cache (no page read)...
    with mock.patch.object(
        meeting_selectors, "meeting_page", side_effect=AssertionError("read")
    ):
        assert _stable(_run_page(client, w.meeting)) == _stable(before)
    change(w)
    # ... and the changed one is not.
    assert shows in _run_page(client, w.meeting)


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
HEADER_TOKEN = re.compile(r'"X-CSRFToken": "[^"]+"')
UPDATED = re.compile(r"Updated \d\d:\d\d:\d\d")


def _stable(html: str) -> str:
    return UPDATED.sub("", HEADER_TOKEN.sub("", CSRF.sub("", html)))


def test_second_render_of_an_unchanged_page_reads_the_cache(client):
    w = World()
    w.open_motion()
    client.force_login(w.by)
    calls = []
    real = meeting_selectors.meeting_page

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    with mock.patch.object(meeting_selectors, "meeting_page", counting):
        first = _run_page(client, w.meeting)
        with CaptureQueriesContext(connection) as hit:
            second = _run_page(client, w.meeting)
    assert calls == [1]
    assert _stable(first) == _stable(second)
    # The cached page carries this request's CSRF token and the time now, not the
    # ones it was rendered with.
    assert page_cache.CSRF_MARK not in second and page_cache.NOW_MARK not in second
    assert CSRF.search(second)
    # An unchanged page, pinned: the session and the user (from the cache on
    # Redis, as in CI: tests/query_counts.py), then
    # 1 the meeting's and its board's versions (one join, the permission's
    #   read); the meeting with its board and who chairs it, and the user's role
    #   on the board, come from the cache under those versions
    assert len(hit.captured_queries) == SESSION_QUERIES + USER_QUERIES + 1, [
        q["sql"][:100] for q in hit.captured_queries
    ]
    assert "cache_version" in hit.captured_queries[-1]["sql"]
    assert "meetings_meetingchair" not in hit.captured_queries[-1]["sql"]


def test_another_user_never_gets_the_page_cached_for_someone_else(client):
    w = World()
    other = builders.pmg(seats_per_partner=1).secretary
    w.b.board.secretaries.add(other)
    client.force_login(w.by)
    mine = _run_page(client, w.meeting)
    client.force_login(other)
    with mock.patch.object(
        meeting_selectors, "meeting_page", wraps=meeting_selectors.meeting_page
    ) as read:
        theirs = _run_page(client, w.meeting)
    assert read.call_count == 1
    assert CSRF.findall(mine) != CSRF.findall(theirs)


def test_the_quorum_panel_answers_304_until_the_meeting_changes(client):
    w = World()
    client.force_login(w.by)
    url = reverse("meetings:quorum", args=[w.meeting.pk])
    first = client.get(url)
    assert first.status_code == 200
    tag = first["ETag"]
    assert "no-cache" in first["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304
    assert again.content == b""
    w.all_present()
    changed = client.get(url, HTTP_IF_NONE_MATCH=tag)
    assert changed.status_code == 200
    assert changed["ETag"] != tag
    assert "✔ Quorate" in changed.content.decode()


def test_a_304_lasts_only_until_a_recorded_arrival_comes(client):
    """A seat recorded as arriving later counts from then: the panel's validator
    expires at that moment, though nothing was written."""
    w = World()
    soon = timezone.now() + datetime.timedelta(minutes=3)
    for seat in w.b.seats:
        attendance.attendance_record(
            meeting=w.meeting,
            seat=seat,
            status="present",
            arrived_at=soon,
            left_at=None,
            by=w.by,
        )
    client.force_login(w.by)
    url = reverse("meetings:quorum", args=[w.meeting.pk])
    first = client.get(url)
    assert "✘ Not quorate" in first.content.decode()
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    later = timezone.now() + datetime.timedelta(minutes=4)
    with mock.patch("django.utils.timezone.now", return_value=later):
        after = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        page = _run_page(client, w.meeting)
    assert after.status_code == 200
    assert "✔ Quorate" in after.content.decode()
    assert "✔ Quorate" in page


def test_the_live_tally_answers_304_until_a_vote(client):
    w = World()
    w.open_motion()
    client.force_login(w.by)
    url = reverse("meetings:decisions-item", args=[w.item.pk])
    params = {"part": "live", "status": "open"}
    first = client.get(url, params)
    assert first.status_code == 200
    assert client.get(url, params, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    _vote(w)
    after = client.get(url, params, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert "Votes cast: 1 of 2" in after.content.decode()


def test_a_stranger_gets_403_not_304(client):
    """The permission is checked before the validator: a 304 never tells anyone
    who may not see the meeting that it exists unchanged."""
    w = World()
    client.force_login(w.by)
    url = reverse("meetings:quorum", args=[w.meeting.pk])
    tag = client.get(url)["ETag"]
    client.force_login(builders.pmg(seats_per_partner=1, meeting=False).secretary)
    assert client.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 403


def test_a_meeting_saved_from_an_old_instance_keeps_its_version():
    w = World()
    stale = Meeting.objects.get(pk=w.meeting.pk)
    _action(w)
    bumped = Meeting.objects.get(pk=w.meeting.pk).cache_version
    assert bumped > stale.cache_version
    stale.location = "Committee room 2"
    stale.save()
    assert Meeting.objects.get(pk=w.meeting.pk).cache_version > bumped


MEMBER_CASES = [
    ("items", None, _item, "A brand new item"),
    ("motions", World.all_present, _motion, "Vote on this motion"),
    ("own attendance", None, _attendance, "Present"),
    ("status", None, lambda w: _cancel(w), ">Cancelled<"),
]


def _cancel(w):
    lifecycle.meeting_cancel(meeting=w.meeting, by=w.by)


@pytest.mark.parametrize(
    "setup, change, shows",
    [c[1:] for c in MEMBER_CASES],
    ids=[c[0] for c in MEMBER_CASES],
)
def test_the_members_page_is_never_stale_either(client, setup, change, shows):
    w = World()
    if setup:
        setup(w)
    client.force_login(w.b.seats[0].holder)
    url = reverse("meetings:detail", args=[w.meeting.pk])
    before = client.get(url).content.decode()
    assert shows not in before
    with mock.patch.object(
        meeting_selectors, "meeting_page", side_effect=AssertionError("read")
    ):
        assert _stable(client.get(url).content.decode()) == _stable(before)
    change(w)
    assert shows in client.get(url).content.decode()


def test_a_secretary_removed_from_the_board_is_refused_at_once(client):
    """The user's role is cached under the board's version: taking a secretary
    off the board bumps it, so the next request reads the role again."""
    w = World()
    client.force_login(w.by)
    _run_page(client, w.meeting)
    w.b.board.secretaries.remove(w.by)
    response = client.get(reverse("meetings:run", args=[w.meeting.pk]))
    assert response.status_code == 403


def test_a_member_whose_seat_is_given_to_someone_else_loses_it_at_once(client):
    w = World()
    holder = w.b.seats[0].holder
    client.force_login(holder)
    url = reverse("meetings:detail", args=[w.meeting.pk])
    assert "Your attendance" in client.get(url).content.decode()
    other = builders.pmg(seats_per_partner=1, meeting=False).secretary
    seats.seat_update(seat=Seat.objects.get(pk=w.b.seats[0].pk), holder=other)
    response = client.get(url)
    assert response.status_code == 403 or "Your attendance" not in (
        response.content.decode()
    )


def test_a_message_shows_on_an_unchanged_page_and_only_once(client):
    """A message is shown once: with one waiting, the stored page is not served
    (the refused notes change nothing, so the page's version stays), and the page
    drawn with it is not kept for the next request."""
    w = World()
    client.force_login(w.by)
    _run_page(client, w.meeting)  # stored, without a message
    response = client.post(
        reverse("meetings:item_notes", args=[w.item.pk]),
        {"notes": "x" * 20001},
        follow=True,
    )
    assert "Notes are too long." in response.content.decode()
    assert "Notes are too long." not in _run_page(client, w.meeting)


def test_the_signed_in_name_in_the_navigation_is_never_stale(client):
    """The page is stored whole, navigation included: the user's own name is
    part of the key."""
    w = World()
    client.force_login(w.by)
    assert "Renamed Secretary" not in _run_page(client, w.meeting)
    w.by.name = "Renamed Secretary"
    w.by.save()
    assert "Renamed Secretary" in _run_page(client, w.meeting)


def test_pages_are_served_from_process_memory_when_the_shared_cache_fails(
    client, settings
):
    """Each process keeps the pages it drew in its own memory in front of the
    shared cache: with a shared cache that answers nothing (Redis down, its
    breaker open) an unchanged page is still not drawn again."""
    w = World()
    client.force_login(w.by)
    first = _run_page(client, w.meeting)
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    assert len(page_cache.levels()) == 2
    with mock.patch.object(
        meeting_selectors, "meeting_page", side_effect=AssertionError("read")
    ):
        assert _stable(_run_page(client, w.meeting)) == _stable(first)


def test_another_process_finds_the_page_in_the_shared_cache(client, settings, tmp_path):
    """A process whose memory lacks the page reads it from the shared cache
    (Redis in production; without REDIS_URL a cache on disk stands for it), not
    from the database."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(tmp_path),
            },
        }
    assert len(page_cache.levels()) == 2
    w = World()
    client.force_login(w.by)
    first = _run_page(client, w.meeting)
    caches["local"].clear()  # as in another process
    with mock.patch.object(
        meeting_selectors, "meeting_page", side_effect=AssertionError("read")
    ):
        assert _stable(_run_page(client, w.meeting)) == _stable(first)


def test_a_meeting_that_does_not_exist_is_404_on_the_cached_pages(client):
    w = World()
    client.force_login(w.by)
    missing = Meeting.objects.order_by("-pk").first().pk + 1000
    for name in ("meetings:run", "meetings:detail", "meetings:quorum"):
        assert client.get(reverse(name, args=[missing])).status_code == 404


def test_the_meeting_read_under_its_versions_is_never_stale(client):
    """The meeting itself is kept under its and its board's versions: a change
    to the meeting (its place) or to its board (its name) is read at once."""
    w = World()
    client.force_login(w.by)
    _run_page(client, w.meeting)
    lifecycle.meeting_update(
        meeting=Meeting.objects.get(pk=w.meeting.pk),
        starts_at=w.meeting.starts_at,
        location="The Guildhall, Room 7",
        purpose="",
        by=w.by,
        recording_past=False,
        deadlines_confirmed=True,
    )
    assert "The Guildhall, Room 7" in _run_page(client, w.meeting)
    board = type(w.b.board).objects.get(pk=w.b.board.pk)
    board.name = "Renamed Partnership Board"
    board.save()
    assert "Renamed Partnership Board" in _run_page(client, w.meeting)


def test_no_code_writes_a_meeting_or_board_row_behind_its_version():
    """The meeting pages, and the meeting itself, are kept under the meeting's and
    its board's versions: a write that sends no signal (``QuerySet.update``,
    ``bulk_update``) would leave them stale. Only meetings/versions.py writes
    these rows that way (tests may, and then move the version themselves)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    write = re.compile(r"\b(Meeting|Board)\.objects\b.*\.(update|bulk_update)\(")
    offenders = []
    for app in (
        "boards",
        "meetings",
        "governance",
        "pooled_funds",
        "planning",
        "publication",
        "demo",
    ):
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts or path.name == "versions.py":
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if write.search(line):
                    offenders.append(f"{path.relative_to(root)}:{number}")
    assert offenders == []
