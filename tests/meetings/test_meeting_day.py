"""The meeting day (issue 13): a meeting starts on its day (or with a recorded
reason), once its agenda is issued (or with the chair's recorded authority); a
finished meeting offers and accepts no edits."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from governance.exceptions import RuleViolation
from meetings.models import Meeting
from meetings.record import opening_notes
from meetings.services.agenda import item_add
from meetings.services.attendance import attendance_record
from meetings.services.guests import guest_invite
from meetings.services.lifecycle import (
    meeting_authorise_start_without_agenda,
    meeting_start,
    meeting_update,
)
from meetings.versions import meeting_touch
from tests.meetings import builders
from tests.meetings.factories import AgendaItemFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
V1 = "/api/v1"


def _ready(b, *, issued=True, chair=False):
    """Everyone present; the agenda issued (or not); seat 0 the chair's."""
    for seat in b.seats:
        attendance_record(
            meeting=b.meeting, seat=seat, status="present", by=b.secretary
        )
    if issued:
        Meeting.objects.filter(pk=b.meeting.pk).update(
            agenda_published_at=timezone.now()
        )
    if chair:
        b.seats[0].is_chair = True
        b.seats[0].save()
    b.meeting.refresh_from_db()
    return b


# --- its day ------------------------------------------------------------------


def test_a_meeting_is_not_started_the_day_before_without_a_reason():
    b = _ready(builders.pmg())
    day_before = b.meeting.starts_at - datetime.timedelta(days=1)
    with pytest.raises(RuleViolation) as refused:
        meeting_start(meeting=b.meeting, by=b.secretary, now=day_before)
    assert refused.value.rule == "meeting_day"
    assert "record the reason" in refused.value.message
    assert Meeting.objects.get(pk=b.meeting.pk).status == "scheduled"


def test_a_meeting_started_on_another_day_records_the_reason_in_the_minutes():
    b = _ready(builders.pmg())
    day_before = b.meeting.starts_at - datetime.timedelta(days=1)
    started = meeting_start(
        meeting=b.meeting,
        by=b.secretary,
        now=day_before,
        reason="Brought forward: the venue is closed on the day.",
    )
    assert started.status == "in_progress"
    assert started.start_reason == "Brought forward: the venue is closed on the day."
    assert any("venue is closed" in line for line in opening_notes(started))
    assert started.history.first().start_reason == started.start_reason


def test_a_meeting_started_on_its_day_needs_no_reason():
    b = _ready(builders.pmg())
    started = meeting_start(meeting=b.meeting, by=b.secretary, now=b.meeting.starts_at)
    assert started.status == "in_progress" and started.start_reason == ""
    assert opening_notes(started) == []


def test_its_day_is_the_london_day_not_the_utc_day():
    """00:30 BST on 1 July is 23:30 UTC on 30 June: still the meeting's day."""
    b = builders.pmg()
    Meeting.objects.filter(pk=b.meeting.pk).update(
        starts_at=datetime.datetime(2027, 7, 1, 10, tzinfo=LONDON)
    )
    b.meeting.refresh_from_db()
    _ready(b)
    early = datetime.datetime(2027, 7, 1, 0, 30, tzinfo=LONDON)
    assert meeting_start(meeting=b.meeting, by=b.secretary, now=early).status == (
        "in_progress"
    )


# --- its agenda issued ----------------------------------------------------------


def test_a_meeting_is_not_started_before_its_agenda_is_issued():
    b = _ready(builders.pmg(), issued=False)
    with pytest.raises(RuleViolation) as refused:
        meeting_start(meeting=b.meeting, by=b.secretary, now=b.meeting.starts_at)
    assert refused.value.rule == "agenda_not_issued"


def test_the_chair_authorises_starting_before_the_agenda_is_issued():
    b = _ready(builders.pmg(), issued=False, chair=True)
    with pytest.raises(RuleViolation) as refused:
        meeting_authorise_start_without_agenda(meeting=b.meeting, by=b.secretary)
    assert refused.value.rule == "chair_authority_required"
    chair = b.seats[0].holder
    meeting_authorise_start_without_agenda(meeting=b.meeting, by=chair)
    started = meeting_start(meeting=b.meeting, by=b.secretary, now=b.meeting.starts_at)
    assert started.status == "in_progress"
    assert started.start_without_agenda_authorised_by == chair
    assert any("before its agenda was issued" in n for n in opening_notes(started))


def test_the_secretary_records_the_chairs_written_authority_to_start(client):
    b = _ready(builders.pmg(), issued=False, chair=True)
    client.force_login(b.secretary)
    response = client.post(
        reverse(
            "meetings:chair_authority", args=[b.meeting.pk, "start_without_agenda"]
        ),
        {
            "chair_name": "Cllr Chair",
            "evidence": SimpleUploadedFile("email.txt", b"Go ahead.", "text/plain"),
        },
    )
    assert response.status_code == 302
    b.meeting.refresh_from_db()
    assert b.meeting.start_without_agenda_authorised_at is not None
    assert b.meeting.chair_authorities.get().act == "start_without_agenda"


# --- the run page and the API ---------------------------------------------------


def test_the_start_button_says_what_is_missing_and_offers_the_reason(client):
    b = _ready(builders.pmg(), issued=False)
    client.force_login(b.secretary)
    page = client.get(reverse("meetings:run", args=[b.meeting.pk])).content.decode()
    assert 'data-rule="meeting_day"' in page
    assert 'data-rule="agenda_not_issued"' in page
    assert 'name="reason"' in page
    assert "start_without_agenda" in page  # the chair's written authority link
    Meeting.objects.filter(pk=b.meeting.pk).update(agenda_published_at=timezone.now())
    response = client.post(
        reverse("meetings:status", args=[b.meeting.pk, "start"]),
        {"reason": "Brought forward by agreement."},
    )
    assert response.status_code == 302
    b.meeting.refresh_from_db()
    assert b.meeting.status == "in_progress"
    assert b.meeting.start_reason == "Brought forward by agreement."


def test_the_api_refuses_the_wrong_day_and_an_unissued_agenda_with_409(api_as):
    b = _ready(builders.pmg(), issued=False)
    api = api_as(b.secretary)
    url = f"{V1}/meetings/{b.meeting.pk}/start/"
    refused = api.post(url, {}, format="json")
    assert refused.status_code == 409 and refused.json()["rule"] == "meeting_day"
    refused = api.post(url, {"reason": "Brought forward."}, format="json")
    assert refused.status_code == 409
    assert refused.json()["rule"] == "agenda_not_issued"
    Meeting.objects.filter(pk=b.meeting.pk).update(agenda_published_at=timezone.now())
    started = api.post(url, {"reason": "Brought forward."}, format="json")
    assert started.status_code == 200, started.content
    assert started.json()["start_reason"] == "Brought forward."
    assert "close" in started.json()["actions"]


# --- a finished meeting offers and accepts no edits ------------------------------


def _finish(meeting, status):
    """The meeting's status set as its services leave it: written, and its
    version moved (as every save does, ``meetings/versions.py``), so the pages
    kept under the old version are not served again."""
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    meeting_touch(meeting.pk)


CONTROLS = [
    "Add an item",
    "Invite a guest",
    "Edit date and place",
    "Start the meeting",
    "Cancel the meeting",
    'name="status"',  # attendance select
    "Arrived now",
    "Add a paper",
    "Record a declaration",
]


@pytest.mark.parametrize("status", ["closed", "cancelled", "inquorate"])
def test_a_finished_meeting_page_shows_no_editing_controls(client, status):
    b = builders.pmg()
    AgendaItemFactory(meeting=b.meeting, title="Business")
    client.force_login(b.secretary)
    before = client.get(reverse("meetings:run", args=[b.meeting.pk])).content.decode()
    for control in CONTROLS:
        assert control in before, control
    _finish(b.meeting, status)
    page = client.get(reverse("meetings:run", args=[b.meeting.pk])).content.decode()
    for control in CONTROLS:
        assert control not in page, control
    member = b.seats[0].holder
    client.force_login(member)
    detail = client.get(reverse("meetings:detail", args=[b.meeting.pk]))
    assert "Send apologies" not in detail.content.decode()


@pytest.mark.parametrize("status", ["closed", "cancelled", "inquorate"])
def test_a_finished_meeting_refuses_edits_in_the_services(status):
    b = builders.pmg()
    item = AgendaItemFactory(meeting=b.meeting, title="Business")
    Meeting.objects.filter(pk=b.meeting.pk).update(status=status)
    b.meeting.refresh_from_db()
    with pytest.raises(RuleViolation):
        item_add(meeting=b.meeting, title="Late item", by=b.secretary)
    with pytest.raises(RuleViolation):
        guest_invite(meeting=b.meeting, name="Guest", items=[item], by=b.secretary)
    with pytest.raises(RuleViolation):
        attendance_record(
            meeting=b.meeting, seat=b.seats[0], status="present", by=b.secretary
        )
    with pytest.raises(RuleViolation):
        meeting_update(
            meeting=b.meeting,
            starts_at=b.meeting.starts_at + datetime.timedelta(days=1),
            location="Elsewhere",
            purpose="",
            by=b.secretary,
        )


def test_a_finished_meetings_edit_page_sends_back_to_the_meeting(client):
    b = builders.pmg()
    Meeting.objects.filter(pk=b.meeting.pk).update(status="closed")
    client.force_login(b.secretary)
    response = client.get(reverse("meetings:edit", args=[b.meeting.pk]))
    assert response.status_code == 302
    assert response.url == reverse("meetings:run", args=[b.meeting.pk])


def test_the_run_page_value_of_a_start_reason_input_is_labelled(client):
    """The reason field has a label (WCAG 1.3.1)."""
    b = _ready(builders.pmg())
    client.force_login(b.secretary)
    page = client.get(reverse("meetings:run", args=[b.meeting.pk])).content.decode()
    assert re.search(r'<label[^>]*for="start-reason"', page)


def test_inviting_a_guest_to_a_closed_meeting_shows_the_refusal(client):
    b = builders.pmg()
    item = AgendaItemFactory(meeting=b.meeting, title="Business")
    Meeting.objects.filter(pk=b.meeting.pk).update(status="closed")
    client.force_login(b.secretary)
    response = client.post(
        reverse("meetings:guest_invite", args=[b.meeting.pk]),
        {"name": "A guest", "items": [item.pk]},
    )
    assert response.status_code == 200
    assert "no guest is invited" in response.content.decode()
    assert not b.meeting.guests.exists()


def test_the_api_answers_what_each_person_may_do_now(api_as, auditor):
    """``actions`` on a meeting: the secretary may start it; the member may send
    apologies but not start it; an auditor may do neither."""
    b = builders.pmg()
    url = f"{V1}/meetings/{b.meeting.pk}/"
    secretary = api_as(b.secretary).get(url).json()["actions"]
    member = api_as(b.seats[0].holder).get(url).json()["actions"]
    audit = api_as(auditor).get(url).json()["actions"]
    assert {"start", "cancel", "edit", "add_item"} <= set(secretary)
    assert "send_apologies" not in secretary
    assert member == ["send_apologies"]
    assert audit == []
    Meeting.objects.filter(pk=b.meeting.pk).update(status="closed")
    assert api_as(b.secretary).get(url).json()["actions"] == []


@pytest.mark.parametrize("status", ["closed", "cancelled", "inquorate"])
def test_a_finished_meetings_quorum_panel_stops_refreshing(client, status):
    """While the meeting may still run, its quorum panel is "now" and polls; once
    it is over, the panel is the record and says so, without polling."""
    b = builders.pmg()
    client.force_login(b.secretary)
    url = reverse("meetings:run", args=[b.meeting.pk])
    live = client.get(url).content.decode()
    assert "Quorum now" in live and 'hx-trigger="every 20s"' in live
    _finish(b.meeting, status)
    page = client.get(url).content.decode()
    assert "Quorum now" not in page and 'hx-trigger="every 20s"' not in page
    assert f"Quorum as recorded ({Meeting.Status(status).label.lower()})" in page
