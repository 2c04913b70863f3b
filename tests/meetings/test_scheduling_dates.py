"""Scheduling (issue 13): the edit form round-trips its date, dates are checked
(range, past, papers deadline) with field errors and API 400/409, calendar feeds
survive a far date, and cancelling or moving a meeting mails the members."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import OutboxMessage
from meetings import scheduling
from meetings.forms import MeetingEditForm
from meetings.models import Meeting
from tests.meetings import builders
from tests.meetings.factories import MeetingFactory

LONDON = ZoneInfo("Europe/London")
V1 = "/api/v1"
TODAY = datetime.date(2026, 12, 1)  # a Tuesday


# --- the rules, pure ---------------------------------------------------------------


@pytest.mark.parametrize(
    "day, recording_past, refused",
    [
        (datetime.date(2026, 12, 1), False, None),
        (datetime.date(2031, 12, 1), False, None),
        (datetime.date(2031, 12, 2), False, "more than 5 years"),
        (datetime.date(9999, 1, 1), False, "more than 5 years"),
        (datetime.date(1999, 12, 31), True, "before 2000"),
        (datetime.date(2001, 1, 1), False, "has passed"),
        (datetime.date(2001, 1, 1), True, None),
        (datetime.date(2026, 11, 30), False, "has passed"),
    ],
)
def test_meeting_date_problem(day, recording_past, refused):
    problem = scheduling.meeting_date_problem(
        day, today=TODAY, recording_past=recording_past
    )
    if refused is None:
        assert problem is None
    else:
        assert refused in problem


@pytest.mark.parametrize(
    "day, working_days, warned",
    [
        (datetime.date(2026, 12, 3), 4, True),  # due by Fri 27 Nov: passed
        (datetime.date(2026, 12, 7), 4, False),  # due by Tue 1 Dec: today
        (datetime.date(2026, 12, 8), 4, False),
        (datetime.date(2026, 12, 3), None, False),  # terms state no deadline
        (datetime.date(2026, 11, 20), 4, False),  # a past meeting being recorded
    ],
)
def test_papers_deadline_warning(day, working_days, warned):
    warning = scheduling.papers_deadline_warning(
        day, today=TODAY, papers_working_days=working_days
    )
    assert (warning is not None) == warned
    if warned:
        assert "Friday 27 November 2026" in warning


# --- the edit form round-trips ----------------------------------------------------


def test_the_edit_form_renders_the_date_and_time_as_html_inputs_read_them():
    form = MeetingEditForm(
        initial={"date": datetime.date(2026, 12, 1), "time": datetime.time(14, 0)}
    )
    html = str(form["date"]) + str(form["time"])
    assert 'value="2026-12-01"' in html
    assert 'value="14:00"' in html


@pytest.mark.django_db
def test_the_edit_page_posts_back_what_it_shows(client):
    b = builders.pmg()
    client.force_login(b.secretary)
    url = reverse("meetings:edit", args=[b.meeting.pk])
    page = client.get(url).content.decode()
    values = {
        name: value
        for name, value in re.findall(
            r'<input[^>]*name="(date|time|location)"[^>]*value="([^"]*)"', page
        )
    }
    local = timezone.localtime(b.meeting.starts_at)
    assert values["date"] == local.date().isoformat()
    response = client.post(url, {**values, "location": "Civic Offices"})
    assert response.status_code == 302, response.context["form"].errors
    b.meeting.refresh_from_db()
    assert b.meeting.location == "Civic Offices"
    assert timezone.localtime(b.meeting.starts_at).date() == local.date()


# --- dates checked -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["2001-01-01", "9999-01-01", "1999-06-01"])
def test_far_or_past_dates_are_refused_with_a_field_error(client, day):
    b = builders.pmg(meeting=False)
    client.force_login(b.secretary)
    response = client.post(
        reverse("meetings:create"),
        {"board": b.board.pk, "kind": "ordinary", "date": day, "time": "14:00"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"]
    assert not Meeting.objects.filter(board=b.board).exists()


@pytest.mark.django_db
def test_a_past_meeting_is_recorded_when_the_secretary_says_so(client):
    b = builders.pmg(meeting=False)
    client.force_login(b.secretary)
    response = client.post(
        reverse("meetings:create"),
        {
            "board": b.board.pk,
            "kind": "ordinary",
            "date": "2021-03-04",
            "time": "14:00",
            "recording_past": "on",
        },
    )
    assert response.status_code == 302
    assert Meeting.objects.get(board=b.board).starts_at.year == 2021


@pytest.mark.django_db
@pytest.mark.parametrize(
    "starts_at", ["2001-01-01T14:00:00+00:00", "9999-01-01T14:00:00+00:00"]
)
def test_the_api_answers_400_for_a_far_or_past_date(api_as, starts_at):
    b = builders.pmg(meeting=False)
    response = api_as(b.secretary).post(
        f"{V1}/meetings/",
        {"board": b.board.pk, "kind": "ordinary", "starts_at": starts_at},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "starts_at" in response.json()


@pytest.mark.django_db
def test_a_passed_papers_deadline_is_explained_and_confirmed(client, api_as):
    """An ordinary meeting two days away: its papers were due before today. The
    form says so on the box that confirms it; confirmed, it is scheduled."""
    b = builders.pmg(meeting=False)
    soon = timezone.localdate() + datetime.timedelta(days=2)
    client.force_login(b.secretary)
    data = {
        "board": b.board.pk,
        "kind": "ordinary",
        "date": soon.isoformat(),
        "time": "14:00",
    }
    response = client.post(reverse("meetings:create"), data)
    assert response.status_code == 200
    assert "papers" in str(response.context["form"].errors["confirm_deadlines"])
    api = api_as(b.secretary)
    body = {
        "board": b.board.pk,
        "kind": "ordinary",
        "starts_at": f"{soon.isoformat()}T14:00:00+00:00",
    }
    refused = api.post(f"{V1}/meetings/", body, format="json")
    assert refused.status_code == 409 and refused.json()["rule"] == "papers_deadline"
    response = client.post(
        reverse("meetings:create"), {**data, "confirm_deadlines": "on"}
    )
    assert response.status_code == 302
    created = api.post(
        f"{V1}/meetings/", {**body, "confirm_deadlines": True}, format="json"
    )
    assert created.status_code == 201


# --- calendar feeds survive a far date ---------------------------------------------


@pytest.mark.django_db
def test_calendar_feeds_survive_a_meeting_in_the_year_9999(client):
    b = builders.pmg()
    MeetingFactory(
        board=b.board, starts_at=datetime.datetime(9999, 12, 31, 23, tzinfo=LONDON)
    )
    client.force_login(b.secretary)
    feed = client.get(reverse("meetings:ical_board", args=[b.board.pk]))
    assert feed.status_code == 200
    assert f"meeting-{b.meeting.pk}@" in feed.content.decode()
    holder = b.seats[0].holder
    person = client.get(reverse("meetings:ical_person", args=[holder.ical_token]))
    assert person.status_code == 200
    assert f"meeting-{b.meeting.pk}@" in person.content.decode()


# --- cancel and move from the browser, with notice mailed ---------------------------


def _mailed(prefix: str) -> dict[str, OutboxMessage]:
    return {m.to: m for m in OutboxMessage.objects.filter(subject__startswith=prefix)}


@pytest.mark.django_db
def test_cancelling_from_the_browser_mails_the_members(client):
    b = builders.pmg()
    client.force_login(b.secretary)
    url = reverse("meetings:cancel", args=[b.meeting.pk])
    assert "Cancel the meeting" in client.get(url).content.decode()
    response = client.post(url, {"reason": "No business this month."})
    assert response.status_code == 302
    b.meeting.refresh_from_db()
    assert b.meeting.status == "cancelled"
    assert b.meeting.cancelled_reason == "No business this month."
    mailed = _mailed("Meeting cancelled")
    for seat in b.seats:
        assert "No business this month." in mailed[seat.holder.email].body
    assert b.secretary.email in mailed
    assert "/meetings/" in mailed[b.secretary.email].body


@pytest.mark.django_db
def test_moving_from_the_browser_mails_the_members(client):
    b = builders.pmg()
    client.force_login(b.secretary)
    later = timezone.localtime(b.meeting.starts_at).date() + datetime.timedelta(days=7)
    response = client.post(
        reverse("meetings:edit", args=[b.meeting.pk]),
        {"date": later.isoformat(), "time": "10:00", "location": "Civic Offices"},
    )
    assert response.status_code == 302, response.context["form"].errors
    mailed = _mailed("Meeting moved")
    for seat in b.seats:
        body = mailed[seat.holder.email].body
        assert scheduling.fmt(later) in body and "Civic Offices" in body


@pytest.mark.django_db
def test_who_may_cancel_a_meeting(client):
    """The secretary may; a member may not (403); no such meeting is 404."""
    b = builders.pmg()
    client.force_login(b.seats[0].holder)
    url = reverse("meetings:cancel", args=[b.meeting.pk])
    assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(b.secretary)
    missing = reverse("meetings:cancel", args=[b.meeting.pk + 1000])
    assert client.post(missing, {"reason": "x"}).status_code == 404
    assert client.post(url, {"reason": "x"}).status_code == 302
