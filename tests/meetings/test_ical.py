"""iCalendar: a downloadable .ics per meeting, a feed per board, and a per-person
feed reachable by calendar apps with the secret token (read-only)."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from meetings.services.guests import guest_invite
from tests.boards.factories import SeatFactory
from tests.meetings import builders
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def events(response):
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return [c for c in calendar.walk("VEVENT")]


def test_meeting_ics_is_a_download_with_zoned_times(client):
    b = builders.pmg()
    b.meeting.location = "Civic Offices, Portsmouth"
    b.meeting.save()
    client.force_login(b.seats[0].holder)
    response = client.get(reverse("meetings:ical_meeting", args=[b.meeting.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    (event,) = events(response)
    assert str(event["uid"]) == f"meeting-{b.meeting.pk}@partnership-governance"
    assert event["location"] == "Civic Offices, Portsmouth"
    assert event.decoded("dtstart") == b.meeting.starts_at.replace(microsecond=0)
    assert (
        b"BEGIN:VTIMEZONE" in response.content and b"Europe/London" in response.content
    )


def test_board_feed_lists_the_boards_meetings_for_people_who_see_the_board(client):
    b = builders.pmg()
    MeetingFactory(board=b.board)
    client.force_login(b.secretary)
    assert (
        len(events(client.get(reverse("meetings:ical_board", args=[b.board.pk])))) == 2
    )
    client.force_login(SeatFactory().holder)
    assert (
        client.get(reverse("meetings:ical_board", args=[b.board.pk])).status_code == 403
    )


def test_person_feed_needs_no_login_but_the_secret_token(client):
    """Calendar apps cannot sign in: the secret User.ical_token identifies the
    person; the feed is read-only and shows only that person's boards."""
    b = builders.pmg()
    MeetingFactory()  # another board's meeting
    published = b.meeting
    AgendaItemFactory(meeting=published, title="Open business")
    AgendaItemFactory(meeting=published, title="Exempt business", confidential=True)
    published.agenda_published_at = published.starts_at
    published.save()
    member = b.seats[0].holder
    url = reverse("meetings:ical_person", args=[member.ical_token])
    response = client.get(url)
    assert response.status_code == 200
    (event,) = events(response)
    assert "Open business" in str(event["description"])
    assert "Exempt business" not in str(event["description"])
    assert client.post(url).status_code == 405
    import uuid

    assert (
        client.get(reverse("meetings:ical_person", args=[uuid.uuid4()])).status_code
        == 404
    )


def test_calendar_page_shows_the_feed_address(client):
    b = builders.pmg()
    member = b.seats[0].holder
    client.force_login(member)
    assert (
        str(member.ical_token)
        in client.get(reverse("meetings:calendar")).content.decode()
    )


def test_a_guests_feed_lists_only_their_items(client):
    from tests.governance.factories import UserFactory

    b = builders.pmg()
    mine = AgendaItemFactory(meeting=b.meeting, title="Guest item")
    AgendaItemFactory(meeting=b.meeting, title="Board-only item")
    b.meeting.agenda_published_at = b.meeting.starts_at
    b.meeting.save()
    person = UserFactory()
    chair = b.seats[0]
    chair.is_chair = True
    chair.save()
    guest_invite(
        meeting=b.meeting,
        name="Guest",
        user=person,
        items=[mine],
        approved=True,
        by=chair.holder,
    )
    response = client.get(reverse("meetings:ical_person", args=[person.ical_token]))
    (event,) = events(response)
    assert "Guest item" in str(event["description"])
    assert "Board-only item" not in str(event["description"])
