"""A confidential item carries the paragraph of Schedule 12A to the Local Government
Act 1972 that exempts it (issue 18; SPEC s.2), wherever the record shows or sends
it: the item form requires it, the meeting page, the agenda pack's cover, the
minutes page and the meeting's iCalendar show it (the calendar in place of the
title)."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from icalendar import Calendar

from meetings.models import AgendaItem
from meetings.services import minutes as minutes_services
from meetings.services.minutes_jobs import pack_items
from tests.meetings import builders
from tests.meetings.factories import AgendaItemFactory

pytestmark = pytest.mark.django_db

PARAGRAPH_3 = "xempt under paragraph 3 of Schedule 12A to the Local Government Act 1972"


def item_data(**changes) -> dict:
    data = {
        "title": "Provider contract negotiation",
        "business_type": "routine",
        "kind": "discussion",
        "presenter": "",
        "confidential": "on",
        "exempt_paragraph": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def open_and_exempt_items(meeting) -> None:
    """Item 1 open; item 2 confidential under paragraph 3 (business affairs)."""
    AgendaItemFactory(meeting=meeting, title="Open item", order=1)
    AgendaItemFactory(
        meeting=meeting,
        title="Provider contract negotiation",
        order=2,
        confidential=True,
        exempt_paragraph=3,
    )


def test_the_item_form_requires_the_paragraph_for_a_confidential_item(client):
    b = builders.pmg()
    client.force_login(b.secretary)
    url = reverse("meetings:item_create", args=[b.meeting.pk])
    response = client.post(url, item_data())
    assert response.status_code == 200
    assert response.context["form"].errors["exempt_paragraph"] == [
        "A confidential item needs the paragraph of Schedule 12A (1-7) that exempts it."
    ]
    assert not AgendaItem.objects.exists()
    assert client.post(url, item_data(exempt_paragraph="3")).status_code == 302
    assert AgendaItem.objects.get().exempt_paragraph == 3


def test_editing_an_item_keeps_its_paragraph_and_a_public_item_has_none(client):
    b = builders.pmg()
    item = AgendaItemFactory(meeting=b.meeting, confidential=True, exempt_paragraph=3)
    client.force_login(b.secretary)
    url = reverse("meetings:item_edit", args=[item.pk])
    page = client.get(url).content.decode()
    assert '<option value="3" selected>Paragraph 3: the financial or business' in page
    response = client.post(url, item_data(exempt_paragraph=""))
    assert response.status_code == 200 and "exempt_paragraph" in (
        response.context["form"].errors
    )
    client.post(url, item_data(exempt_paragraph="1"))
    item.refresh_from_db()
    assert item.exempt_paragraph == 1
    client.post(url, item_data(confidential=None, exempt_paragraph="1"))
    item.refresh_from_db()
    assert (item.confidential, item.exempt_paragraph) == (False, None)


def test_the_meeting_page_shows_the_paragraph(client):
    b = builders.pmg()
    AgendaItemFactory(meeting=b.meeting, confidential=True, exempt_paragraph=3)
    client.force_login(b.seats[0].holder)
    page = client.get(reverse("meetings:detail", args=[b.meeting.pk])).content.decode()
    assert "E" + PARAGRAPH_3 in page


def test_the_agenda_packs_cover_shows_the_paragraph():
    b = builders.pmg()
    open_and_exempt_items(b.meeting)
    items = pack_items(b.meeting)
    assert [i.exemption for i in items] == ["", "e" + PARAGRAPH_3]
    cover = render_to_string(
        "meetings/pdf/agenda_cover.html", {"meeting": {}, "items": items}
    )
    assert "Provider contract negotiation (confidential)" in cover
    assert "E" + PARAGRAPH_3 + "." in cover


def test_the_minutes_page_shows_the_paragraph(client, scenario):
    minutes_services.minutes_start(meeting=scenario.meeting, by=scenario.secretary)
    client.force_login(scenario.secretary)
    page = client.get(reverse("meetings:minutes", args=[scenario.meeting.pk]))
    assert "E" + PARAGRAPH_3 in page.content.decode()


def test_the_meeting_calendar_shows_the_paragraph_in_place_of_the_title(client):
    b = builders.pmg()
    open_and_exempt_items(b.meeting)
    AgendaItemFactory(meeting=b.meeting, title="Any other business", order=3)
    b.meeting.agenda_published_at = b.meeting.starts_at
    b.meeting.save()
    client.force_login(b.seats[0].holder)
    response = client.get(reverse("meetings:ical_meeting", args=[b.meeting.pk]))
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    description = str(event["description"])
    assert "Provider contract negotiation" not in description
    assert "1. Open item\n2. E" + PARAGRAPH_3 + "\n3. Any other business" in (
        description
    )


def test_the_api_refuses_a_confidential_item_without_its_paragraph(api_as):
    b = builders.pmg()
    client = api_as(b.secretary)
    url = f"/api/v1/meetings/{b.meeting.pk}/items/"
    body = {"title": "Provider contract negotiation", "confidential": True}
    refused = client.post(url, body, format="json")
    assert refused.status_code == 400
    assert "exempt_paragraph" in refused.json()
    made = client.post(url, body | {"exempt_paragraph": 3}, format="json").json()
    assert (made["exempt_paragraph"], made["exemption"]) == (3, "e" + PARAGRAPH_3)
