"""The eligibility engine's adapters against the database (issue 13): the quorum
panel, the ballot, the vote service, the dashboard and the API give one answer for
who represents a seat and who may vote; attendance times are the real clock time;
the ballot links the item's papers and says who cast the seat's vote."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from meetings.models import AgendaItem, Attendance, Meeting, Motion, Vote
from meetings.selectors import decisions as decision_selectors
from meetings.selectors import meetings as meeting_selectors
from meetings.services.motions import motion_open
from meetings.services.papers import paper_upload
from meetings.services.votes import vote_cast
from tests.documents import blank_pdf
from tests.meetings.decisions_world import attend, build
from tests.meetings.factories import AgendaItemFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
# Monday 30 November 2026, 10:00: the meeting set for Tuesday 1 December was
# started a day early (the reported bug).
STARTED = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=LONDON)
SCHEDULED = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)


def started_a_day_early():
    """The decisions world, its meeting set for 1 December but started on 30
    November, everyone present but the CCG CFO's seat, not yet recorded."""
    w = build()
    Meeting.objects.filter(pk=w.meeting.pk).update(
        starts_at=SCHEDULED, started_at=STARTED - datetime.timedelta(minutes=5)
    )
    w.meeting.refresh_from_db()
    Attendance.objects.filter(meeting=w.meeting, seat=w.h1).delete()
    return w


@time_machine.travel(STARTED, tick=False)
def test_quorum_panel_and_ballot_agree_for_a_deputy(client):
    """The reported bug: the secretary records the deputy attending with the time
    she arrived; the quorum panel says she counts, and so does her ballot (it said
    "is not represented", the arrival having been pinned to the scheduled date)."""
    w = started_a_day_early()
    w.motion = motion_open(motion=w.motion, by=w.secretary)
    client.force_login(w.secretary)
    row = client.post(
        reverse("meetings:attendance", args=[w.meeting.pk, w.h1.pk]),
        {"status": "deputy", "arrived": "09:58"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "✔ Counts" in row
    record = Attendance.objects.get(meeting=w.meeting, seat=w.h1)
    assert record.arrived_at == STARTED - datetime.timedelta(minutes=2)

    deputy = w.h1.deputy
    (ballot,) = decision_selectors.ballots_for(deputy, w.motion)
    assert ballot.refusal is None
    client.force_login(deputy)
    page = client.get(reverse("meetings:decisions-vote", args=[w.motion.pk]))
    assert "You cannot vote for this seat" not in page.content.decode()
    assert vote_cast(motion=w.motion, seat=w.h1, choice="for", by=deputy)
    (row,) = [r for r in meeting_selectors.seat_rows(w.meeting) if r.seat == w.h1]
    assert (
        row.counts and row.standing.by_deputy and row.standing.person_id == (deputy.pk)
    )


@time_machine.travel(STARTED, tick=False)
def test_the_holder_whose_deputy_attends_is_refused_everywhere_alike(api_as):
    """The holder's ballot, the vote API and the meeting page agree: the deputy
    sits in her place."""
    w = started_a_day_early()
    attend(w, w.h1, "deputy", notified=True)
    w.motion = motion_open(motion=w.motion, by=w.secretary)
    (ballot,) = decision_selectors.ballots_for(w.h1.holder, w.motion)
    assert ballot.refusal.rule == "holder_replaced_by_deputy"
    r = api_as(w.h1.holder).post(
        f"/api/v1/motions/{w.motion.pk}/votes/",
        {"seat": w.h1.pk, "choice": "for"},
        format="json",
    )
    assert r.status_code == 409 and r.json()["rule"] == "holder_replaced_by_deputy"
    counts = api_as(w.secretary).get(f"/api/v1/meetings/{w.meeting.pk}/attendance/")
    (h1,) = [row for row in counts.json()["results"] if row["seat"] == w.h1.pk]
    assert h1["counts"] is True


def test_the_holders_ballot_says_why_and_offers_no_change_of_vote(client):
    """The holder whose deputy attends reads why she may not vote, as a sentence
    of its own, and is not told she "can change her vote"; the deputy is."""
    w = build()
    attend(w, w.h1, "deputy", notified=True)
    motion_open(motion=w.motion, by=w.secretary)
    url = reverse("meetings:decisions-vote", args=[w.motion.pk])
    client.force_login(w.h1.holder)
    html = client.get(url).content.decode()
    assert "You cannot vote for this seat. Your deputy is attending" in html
    assert "You can change your vote" not in html
    client.force_login(w.h1.deputy)
    assert "You can change your vote" in client.get(url).content.decode()


def _vote_links(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("dashboard")).content.decode()


def test_dashboard_offers_no_vote_to_a_holder_whose_deputy_attends(client):
    """ "Vote" is offered where the user's seat may vote now: to the deputy sitting
    in the holder's place and to members present, not to the holder."""
    w = build()
    attend(w, w.h1, "deputy", notified=True)
    motion_open(motion=w.motion, by=w.secretary)
    vote_url = reverse("meetings:decisions-vote", args=[w.motion.pk])
    assert vote_url not in _vote_links(client, w.h1.holder)
    assert vote_url in _vote_links(client, w.h1.deputy)
    assert vote_url in _vote_links(client, w.c1.holder)
    # Apologies: the seat is not represented, so nobody is asked to vote for it.
    attend(w, w.c2, "apologies")
    assert vote_url not in _vote_links(client, w.c2.holder)


def test_dashboard_vote_check_costs_the_same_with_more_open_motions(
    client, django_assert_max_num_queries
):
    """The member's dashboard asks the engine about every open motion in three
    queries, however many motions there are (none when there are none, so the
    pinned dashboards of tests/meetings/test_scale_queries.py are unchanged)."""
    w = build()
    motion_open(motion=w.motion, by=w.secretary)
    client.force_login(w.c1.holder)
    client.get(reverse("dashboard"))  # warm the session
    # The engine's three: the user's seats on the motions' boards, their attendance
    # at those meetings, their withdrawals from those items.
    with django_assert_max_num_queries(40) as one:
        client.get(reverse("dashboard"))
    for n in range(3):
        item = AgendaItemFactory(meeting=w.meeting, kind=AgendaItem.Kind.DECISION)
        motion_open(
            motion=Motion.objects.create(item=item, text=f"That {n}."),
            by=w.secretary,
        )
    with django_assert_max_num_queries(len(one.captured_queries)) as four:
        page = client.get(reverse("dashboard"))
    assert page.content.decode().count("/vote/") == 4
    print(
        f"member dashboard queries: {len(one)} with 1 open motion, {len(four)} with 4"
    )


def test_ballot_links_the_items_papers_once_issued(client, settings, tmp_path):
    """The ballot links the item's papers, as the meeting page does: a member reads
    them once the agenda is issued."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    w = build()
    paper = paper_upload(
        item=w.item,
        title="BCF plan 2026-27",
        upload=SimpleUploadedFile("plan.pdf", blank_pdf(), "application/pdf"),
        by=w.secretary,
    )
    motion_open(motion=w.motion, by=w.secretary)
    client.force_login(w.c1.holder)
    link = reverse("meetings:paper", args=[paper.pk])
    page = client.get(reverse("meetings:decisions-vote", args=[w.motion.pk]))
    assert link not in page.content.decode()
    assert "No papers you can read" in page.content.decode()
    Meeting.objects.filter(pk=w.meeting.pk).update(agenda_published_at=timezone.now())
    page = client.get(reverse("meetings:decisions-vote", args=[w.motion.pk]))
    assert link in page.content.decode() and "BCF plan 2026-27" in page.content.decode()


def test_deputys_ballot_says_who_cast_the_seats_vote(client):
    """The holder voted Against, then left and the deputy took her place: the
    deputy's ballot says the seat's vote was cast by the holder, never "Your
    current vote: Against"; once the deputy votes, it is hers."""
    w = build()
    motion_open(motion=w.motion, by=w.secretary)
    vote_cast(motion=w.motion, seat=w.h1, choice="against", by=w.h1.holder)
    attend(w, w.h1, "deputy", notified=True)
    client.force_login(w.h1.deputy)
    url = reverse("meetings:decisions-vote", args=[w.motion.pk])
    html = client.get(url).content.decode()
    assert "Your current vote" not in html
    assert "(your vote)" not in html and 'aria-pressed="true"' not in html
    assert f"cast by {escape(w.h1.holder)} (the holder)" in html
    client.post(url, {"seat": w.h1.pk, "choice": "for"})
    assert Vote.objects.get(motion=w.motion, seat=w.h1).cast_by == w.h1.deputy
    html = client.get(url).content.decode()
    assert "Your current vote: <strong>For</strong>" in html
    assert "For (your vote)" in html


@time_machine.travel(STARTED + datetime.timedelta(minutes=7), tick=False)
def test_attendance_times_are_the_real_clock_time(client):
    """ "Arrived now" records the clock time; a time typed on the page is on the day
    the meeting is held (it started on 30 November), not its scheduled date."""
    w = started_a_day_early()
    client.force_login(w.secretary)
    url = reverse("meetings:attendance", args=[w.meeting.pk, w.h1.pk])
    client.post(url, {"do": "arrive"}, HTTP_HX_REQUEST="true")
    record = Attendance.objects.get(meeting=w.meeting, seat=w.h1)
    assert record.arrived_at == STARTED + datetime.timedelta(minutes=7)
    client.post(url, {"status": "present", "arrived": "10:01", "left": "10:06"})
    record.refresh_from_db()
    assert timezone.localtime(record.arrived_at) == datetime.datetime(
        2026, 11, 30, 10, 1, tzinfo=LONDON
    )
    assert timezone.localtime(record.left_at).date() == datetime.date(2026, 11, 30)


def test_a_meeting_not_yet_started_records_typed_times_on_todays_date(client):
    """Before the start (attendance taken at the door), the day is today's."""
    w = build(started=False, attend=False)
    client.force_login(w.secretary)
    with time_machine.travel(STARTED, tick=False):
        client.post(
            reverse("meetings:attendance", args=[w.meeting.pk, w.c1.pk]),
            {"status": "present", "arrived": "09:45"},
        )
    record = Attendance.objects.get(meeting=w.meeting, seat=w.c1)
    assert timezone.localtime(record.arrived_at) == datetime.datetime(
        2026, 11, 30, 9, 45, tzinfo=LONDON
    )


def test_meeting_page_offers_vote_only_where_the_users_seat_may_vote(client):
    """The member's meeting page asks the same engine: no "Vote on this motion" to
    the holder whose deputy attends; the deputy sitting in her place gets it."""
    w = build()
    attend(w, w.h1, "deputy", notified=True)
    motion_open(motion=w.motion, by=w.secretary)
    page = reverse("meetings:detail", args=[w.meeting.pk])
    client.force_login(w.h1.holder)
    assert "Vote on this motion" not in client.get(page).content.decode()
    client.force_login(w.h1.deputy)
    assert "Vote on this motion" in client.get(page).content.decode()
    client.force_login(w.c1.holder)
    assert "Vote on this motion" in client.get(page).content.decode()


@time_machine.travel(STARTED, tick=False)
def test_panel_and_ballot_agree_while_an_arrival_is_still_to_come(client):
    """One engine, one moment: a deputy recorded as arriving at 10:30 does not count
    at 10:00 on the quorum panel, and her ballot says why; once she has arrived,
    both say she counts. (The panel used to say "Counts" while the ballot said "not
    represented".)"""
    w = started_a_day_early()
    w.motion = motion_open(motion=w.motion, by=w.secretary)
    client.force_login(w.secretary)
    row = client.post(
        reverse("meetings:attendance", args=[w.meeting.pk, w.h1.pk]),
        {"status": "deputy", "arrived": "10:30"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "✔ Counts" not in row
    (ballot,) = decision_selectors.ballots_for(w.h1.deputy, w.motion)
    assert ballot.refusal.rule == "seat_not_represented"
    assert "arriving at 10:30" in ballot.refusal.reason
    with time_machine.travel(STARTED + datetime.timedelta(minutes=31), tick=False):
        (ballot,) = decision_selectors.ballots_for(w.h1.deputy, w.motion)
        assert ballot.refusal is None
        client.force_login(w.secretary)
        page = client.get(reverse("meetings:run", args=[w.meeting.pk]))
        (row,) = [r for r in page.context["page"].seat_rows if r.seat == w.h1]
        assert row.counts
