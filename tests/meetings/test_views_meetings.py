"""Meeting pages: the secretary's live page (query count constant in seats, items
and papers), htmx fragments, members' apologies and deputies, scheduling."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from governance.exceptions import RuleViolation
from meetings.models import Action, AgendaItem, Attendance, Declaration, Meeting
from meetings.services.attendance import deputy_will_attend
from meetings.services.papers import paper_upload
from tests.boards.factories import SeatFactory
from tests.documents import blank_pdf
from tests.governance.factories import UserFactory
from tests.meetings import builders
from tests.meetings.factories import AgendaItemFactory, AttendanceFactory, MotionFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")

PDF = blank_pdf()  # a real one: papers are opened with pypdf at upload


def populate(b, *, items: int):
    for seat in b.seats:
        seat.deputy = UserFactory()
        seat.deputy_notified_on = datetime.date.today()
        seat.save()
        AttendanceFactory(meeting=b.meeting, seat=seat, status="present")
    for n in range(items):
        item = AgendaItemFactory(
            meeting=b.meeting, business_type="routine" if n % 2 else "pooled_fund"
        )
        if n % 2:
            MotionFactory(item=item)
            item.kind = AgendaItem.Kind.DECISION
            item.save()
        paper_upload(
            item=item,
            title=f"Paper {n}",
            upload=SimpleUploadedFile(f"p{n}.pdf", PDF, "application/pdf"),
            by=b.secretary,
        )
        Declaration.objects.create(
            item=item, seat=b.seats[0], person=b.seats[0].holder, interest="Trustee"
        )
        Action.objects.create(
            meeting=b.meeting, item=item, description="Do it", owner_name="X"
        )


def count_queries(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["meetings:run", "meetings:detail"])
def test_meeting_page_queries_do_not_grow_with_seats_items_or_papers(
    client, page, django_assert_max_num_queries
):
    """The secretary's page for 5 seats and 4 items and for 30 seats and 40 items
    runs the same number of SQL queries."""
    small = builders.pmg(seats_per_partner=3)  # 6 seats
    populate(small, items=4)
    big = builders.pmg(seats_per_partner=15)  # 30 seats
    populate(big, items=40)
    big.board.secretaries.add(small.secretary)
    client.force_login(small.secretary)
    few = count_queries(client, reverse(page, args=[small.meeting.pk]), None)
    many = count_queries(client, reverse(page, args=[big.meeting.pk]), None)
    assert few == many, (few, many)
    assert many <= 40


def test_run_page_shows_attendance_quorum_and_includes_the_decisions_partial(client):
    b = builders.pmg()
    item = AgendaItemFactory(
        meeting=b.meeting, title="Approve the BCF plan", kind="decision"
    )
    MotionFactory(item=item)
    AttendanceFactory(meeting=b.meeting, seat=b.seats[0])
    client.force_login(b.secretary)
    response = client.get(reverse("meetings:run", args=[b.meeting.pk]))
    html = response.content.decode()
    assert "Approve the BCF plan" in html
    assert "no voting representative of NHS Portsmouth CCG present" in html
    assert 'id="quorum-panel"' in html
    assert "meetings/decisions/partials/item_decision.html" in [
        t.name for t in response.templates
    ]


def test_members_cannot_open_the_secretarys_page(client):
    b = builders.pmg()
    client.force_login(b.seats[0].holder)
    assert client.get(reverse("meetings:run", args=[b.meeting.pk])).status_code == 403
    assert (
        client.get(reverse("meetings:detail", args=[b.meeting.pk])).status_code == 200
    )


@time_machine.travel(datetime.datetime(2026, 11, 30, 15, 0, tzinfo=LONDON), tick=False)
def test_attendance_htmx_returns_the_row_and_the_quorum_panel_out_of_band(client):
    """Recording attendance answers the seat's row and swaps the quorum panel
    without a full reload; a time typed on the page is on the day it is recorded,
    not the scheduled date (issue 13)."""
    b = builders.pmg()
    client.force_login(b.secretary)
    url = reverse("meetings:attendance", args=[b.meeting.pk, b.seats[0].pk])
    response = client.post(url, {"status": "present"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<tr id="seat-{b.seats[0].pk}"' in html
    assert 'hx-swap-oob="true"' in html and "Not quorate" in html
    assert "<html" not in html
    response = client.post(
        reverse("meetings:attendance", args=[b.meeting.pk, b.seats[1].pk]),
        {"status": "present", "arrived": "14:05"},
        HTTP_HX_REQUEST="true",
    )
    assert "✔ Quorate" in response.content.decode()
    record = Attendance.objects.get(meeting=b.meeting, seat=b.seats[1])
    assert timezone.localtime(record.arrived_at) == datetime.datetime(
        2026, 11, 30, 14, 5, tzinfo=LONDON
    )


def test_arrived_now_and_left_now_buttons(client):
    b = builders.pmg()
    client.force_login(b.secretary)
    url = reverse("meetings:attendance", args=[b.meeting.pk, b.seats[0].pk])
    client.post(url, {"do": "arrive"}, HTTP_HX_REQUEST="true")
    record = Attendance.objects.get(meeting=b.meeting, seat=b.seats[0])
    assert record.status == "present" and record.arrived_at is not None
    client.post(url, {"do": "leave"}, HTTP_HX_REQUEST="true")
    record.refresh_from_db()
    assert record.left_at is not None and record.arrived_at is not None


def test_attendance_without_htmx_redirects_back(client):
    b = builders.pmg()
    client.force_login(b.secretary)
    url = reverse("meetings:attendance", args=[b.meeting.pk, b.seats[0].pk])
    response = client.post(url, {"status": "apologies"})
    assert response.status_code == 302
    assert Attendance.objects.get(seat=b.seats[0]).status == "apologies"


def test_quorum_panel_fragment(client):
    b = builders.pmg()
    client.force_login(b.secretary)
    response = client.get(
        reverse("meetings:quorum", args=[b.meeting.pk]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert (
        'id="quorum-panel"' in html
        and "<html" not in html
        and "hx-swap-oob" not in html
    )


def test_declaration_notes_and_actions_fragments(client):
    b = builders.pmg()
    item = AgendaItemFactory(meeting=b.meeting)
    client.force_login(b.secretary)
    html = client.post(
        reverse("meetings:declaration_add", args=[item.pk]),
        {"seat": b.seats[0].pk, "interest": "Director of a provider", "withdrew": "on"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Director of a provider" in html and "withdrew" in html
    assert Declaration.objects.get(item=item).withdrew
    html = client.post(
        reverse("meetings:item_notes", args=[item.pk]),
        {"notes": "Discussed."},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Saved at" in html
    item.refresh_from_db()
    assert item.notes == "Discussed."
    html = client.post(
        reverse("meetings:action_add", args=[b.meeting.pk]),
        {
            "description": "Circulate the revised plan",
            "owner": b.seats[0].holder.pk,
            "due_on": "2027-01-31",
            "item": item.pk,
        },
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Circulate the revised plan" in html and 'id="actions"' in html
    action = Action.objects.get()
    assert action.owner == b.seats[0].holder and action.due_on == datetime.date(
        2027, 1, 31
    )
    client.post(reverse("meetings:action_status", args=[action.pk]), {"status": "done"})
    action.refresh_from_db()
    assert action.status == "done"


def test_member_sends_apologies_and_marks_deputy_attending(client):
    """A member marks that their deputy will attend before the meeting: that is
    the notification, so the deputy counts (Leicestershire IFPG)."""
    b = builders.pmg()
    holder = b.seats[1].holder
    b.seats[1].deputy = UserFactory()
    b.seats[1].save()
    client.force_login(holder)
    client.post(reverse("meetings:apologies", args=[b.meeting.pk, b.seats[1].pk]))
    assert Attendance.objects.get(seat=b.seats[1]).status == "apologies"
    client.post(reverse("meetings:deputy", args=[b.meeting.pk, b.seats[1].pk]))
    record = Attendance.objects.get(seat=b.seats[1])
    assert record.status == "deputy" and record.deputy_notified
    assert record.deputy_notified_at is not None
    # Not for someone else's seat.
    response = client.post(
        reverse("meetings:apologies", args=[b.meeting.pk, b.seats[0].pk])
    )
    assert response.status_code == 403


def test_deputy_marked_after_the_start_is_refused():
    b = builders.pmg()
    b.seats[0].deputy = UserFactory()
    b.seats[0].save()
    with pytest.raises(RuleViolation):
        deputy_will_attend(
            meeting=b.meeting,
            seat=b.seats[0],
            by=b.seats[0].holder,
            now=b.meeting.starts_at + datetime.timedelta(minutes=1),
        )


def test_schedule_page_refuses_short_notice_with_the_reason(client):
    b = builders.pmg(meeting=False)
    client.force_login(b.seats[0].holder)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("meetings:create"),
        {
            "board": b.board.pk,
            "kind": "extraordinary",
            "date": tomorrow.isoformat(),
            "time": "10:00",
        },
    )
    assert response.status_code == 200
    assert "The earliest lawful date is" in response.content.decode()
    assert not Meeting.objects.exists()


def test_secretary_schedules_an_ordinary_meeting_and_list_shows_proposals(client):
    b = builders.pmg(meeting=False)
    client.force_login(b.secretary)
    day = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(
        reverse("meetings:create"),
        {
            "board": b.board.pk,
            "kind": "ordinary",
            "date": day.isoformat(),
            "time": "14:00",
            "location": "Civic Offices",
        },
    )
    meeting = Meeting.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == meeting.get_absolute_url()
    )
    assert timezone.localtime(meeting.starts_at).hour == 14
    html = client.get(reverse("meetings:list")).content.decode()
    assert "Proposed ordinary dates" in html and b.board.label in html


def test_list_warns_when_a_board_is_behind(client):
    b = builders.pmg(meeting=False)
    Meeting.objects.create(
        board=b.board, starts_at=timezone.now() - datetime.timedelta(days=120)
    )
    client.force_login(b.secretary)
    assert (
        "Behind its frequency" in client.get(reverse("meetings:list")).content.decode()
    )
    assert "Behind its frequency" in client.get(reverse("dashboard")).content.decode()


def test_dashboard_lists_upcoming_meetings_for_a_member(client):
    b = builders.pmg()
    client.force_login(b.seats[0].holder)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Your upcoming meetings" in html and b.meeting.get_absolute_url() in html
    outsider = SeatFactory().holder
    client.force_login(outsider)
    assert (
        b.meeting.get_absolute_url()
        not in client.get(reverse("dashboard")).content.decode()
    )


def test_inquorate_meeting_is_recorded_and_reconvened_within_a_month(client):
    """Leicestershire IFPG: an inquorate meeting is reconvened within one month."""
    b = builders.pmg()
    AgendaItemFactory(meeting=b.meeting, title="Carry me")
    AttendanceFactory(meeting=b.meeting, seat=b.seats[0])
    client.force_login(b.secretary)
    client.post(reverse("meetings:status", args=[b.meeting.pk, "publish"]))
    response = client.post(
        reverse("meetings:status", args=[b.meeting.pk, "start"]),
        {"reason": "Brought forward."},
        follow=True,
    )
    assert "not quorate and cannot start" in response.content.decode()
    client.post(reverse("meetings:status", args=[b.meeting.pk, "inquorate"]))
    b.meeting.refresh_from_db()
    assert b.meeting.status == "inquorate"
    local = timezone.localtime(b.meeting.starts_at)
    late = local.date() + datetime.timedelta(days=40)
    response = client.post(
        reverse("meetings:create"),
        {
            "board": b.board.pk,
            "kind": "reconvened",
            "date": late.isoformat(),
            "time": "10:00",
            "reconvenes": b.meeting.pk,
        },
    )
    assert "within one month" in response.content.decode()
    soon = local.date() + datetime.timedelta(days=14)
    client.post(
        reverse("meetings:create"),
        {
            "board": b.board.pk,
            "kind": "reconvened",
            "date": soon.isoformat(),
            "time": "10:00",
            "reconvenes": b.meeting.pk,
        },
    )
    again = Meeting.objects.get(reconvenes=b.meeting)
    # The business carried, between the standing items (issue 13).
    assert [i.title for i in again.items.filter(standing="")] == ["Carry me"]
    assert [i.standing for i in again.items.all()] == [
        "apologies",
        "declarations",
        "previous_minutes",
        "matters_arising",
        "",
        "aob",
    ]


def test_every_form_page_renders_for_the_secretary(client):
    b = builders.pmg()
    item = AgendaItemFactory(meeting=b.meeting)
    client.force_login(b.secretary)
    for url in [
        reverse("meetings:create") + f"?board={b.board.pk}&date=2027-01-14",
        reverse("meetings:edit", args=[b.meeting.pk]),
        reverse("meetings:item_create", args=[b.meeting.pk]),
        reverse("meetings:item_edit", args=[item.pk]),
        reverse("meetings:paper_upload", args=[item.pk]),
        reverse("meetings:guest_invite", args=[b.meeting.pk]),
        reverse("meetings:calendar"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<label" in response.content.decode(), url


def test_item_form_adds_a_decision_item_with_a_motion(client):
    b = builders.pmg()
    client.force_login(b.secretary)
    response = client.post(
        reverse("meetings:item_create", args=[b.meeting.pk]),
        {
            "title": "Approve the plan",
            "business_type": "pooled_fund",
            "kind": "decision",
            "motion_text": "",
        },
    )
    assert response.status_code == 200
    assert "needs a motion" in response.content.decode()
    assert 'value="Approve the plan"' in response.content.decode()  # nothing lost
    client.post(
        reverse("meetings:item_create", args=[b.meeting.pk]),
        {
            "title": "Approve the plan",
            "business_type": "pooled_fund",
            "kind": "decision",
            "motion_text": "That the plan is approved.",
            "financial_value": "1000.00",
            "commits": [b.partners[0].pk],
        },
    )
    item = AgendaItem.objects.get()
    assert item.motion.text == "That the plan is approved."
    assert list(item.motion.commits.all()) == [b.partners[0]]
