"""A guest's .ics of a meeting shows only the items they are invited to (issue 14,
finding 6: a guest invited to two items read every item title through the
meeting's .ics); members still see the whole public agenda."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from icalendar import Calendar

from meetings.models import ChairAuthority
from meetings.services.chairing import chair_act
from meetings.services.guests import guest_invite
from tests.governance.factories import UserFactory
from tests.meetings import builders
from tests.meetings.factories import AgendaItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting_with_guest():
    b = builders.pmg()
    first = AgendaItemFactory(meeting=b.meeting, title="Guest item one")
    second = AgendaItemFactory(meeting=b.meeting, title="Guest item two")
    AgendaItemFactory(meeting=b.meeting, title="Board-only item")
    AgendaItemFactory(meeting=b.meeting, title="Exempt item", confidential=True)
    b.meeting.agenda_published_at = b.meeting.starts_at
    b.meeting.save()
    guest = UserFactory()
    invited = guest_invite(
        meeting=b.meeting,
        name="Guest",
        user=guest,
        items=[first, second],
        approved=False,
        by=b.secretary,
    )
    # The chair agrees to the guest (SPEC s.1), recorded on their written authority.
    chair_act(
        meeting=b.meeting,
        act=ChairAuthority.Act.GUEST,
        target=invited,
        by=b.secretary,
        chair_name="The chair",
        evidence=SimpleUploadedFile("chair-email.txt", b"Agreed."),
    )
    b.guest = guest
    return b


def description(client, user, meeting) -> str:
    client.force_login(user)
    response = client.get(reverse("meetings:ical_meeting", args=[meeting.pk]))
    assert response.status_code == 200
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    return str(event["description"])


def test_a_guest_reads_only_their_items_in_the_meetings_ics(client, meeting_with_guest):
    text = description(client, meeting_with_guest.guest, meeting_with_guest.meeting)
    assert "Guest item one" in text and "Guest item two" in text
    assert "Board-only item" not in text
    assert "Exempt item" not in text


def test_a_member_reads_the_whole_public_agenda_in_the_meetings_ics(
    client, meeting_with_guest
):
    member = meeting_with_guest.seats[0].holder
    text = description(client, member, meeting_with_guest.meeting)
    assert "Board-only item" in text and "Guest item one" in text
    assert "Exempt item" not in text  # confidential items never reach a calendar
