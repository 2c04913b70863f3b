"""The meeting day in a browser (issue 13): the Start button explains what is
missing (the meeting's day) and takes the reason; once closed, the page offers no
editing controls; cancelling a meeting from its page mails the members. Every page
passes axe and CSP; screenshots in test-artefacts/."""

import datetime

import pytest
from django.utils import timezone

from governance.models import OutboxMessage
from meetings.models import Meeting
from meetings.services.attendance import AttendanceChange, attendance_record_many

PMG = "Better Care & Integrated Commissioning Service Partnership Management Group"
pytestmark = pytest.mark.browser


def _coming_pmg_meeting() -> Meeting:
    meeting = Meeting.objects.get(board__name=PMG, status=Meeting.Status.SCHEDULED)
    if timezone.localdate(meeting.starts_at) == timezone.localdate():
        Meeting.objects.filter(pk=meeting.pk).update(
            starts_at=meeting.starts_at + datetime.timedelta(days=1)
        )
    meeting.refresh_from_db()
    return meeting


def test_starting_on_another_day_takes_a_reason_then_the_closed_page_is_read_only(
    demo, visit
):
    meeting = _coming_pmg_meeting()
    secretary = meeting.board.secretaries.get(email="secretary@demo.example")
    Meeting.objects.filter(pk=meeting.pk).update(agenda_published_at=timezone.now())
    attendance_record_many(
        meeting=meeting,
        changes=[
            AttendanceChange(seat=seat, status="present")
            for seat in meeting.board.seats.filter(active=True, voting=True)
        ],
        by=secretary,
    )
    tab = visit()
    page = tab.page
    tab.sign_in("secretary@demo.example")
    tab.goto(f"/meetings/{meeting.pk}/run/")
    missing = page.locator("#start-missing")
    assert "To start it on another day, record the reason" in missing.inner_text()
    tab.screenshot("-before", locator=page.locator("#start-heading").locator(".."))
    page.get_by_label("Reason for starting on another day").fill(
        "Brought forward: the venue is closed on the day."
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Start the meeting").click()
    assert "The meeting has started." in page.inner_text("main")
    assert "the venue is closed on the day" in page.inner_text("main")
    tab.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Close the meeting").click()
    main = page.inner_text("main")
    for control in ("Add an item", "Invite a guest", "Edit date and place"):
        assert control not in main, control
    assert page.locator(".attendance-table select").count() == 0
    tab.check()
    tab.screenshot("-closed")
    tab.assert_clean()


def test_cancelling_a_meeting_from_its_page_mails_the_members(demo, visit):
    meeting = _coming_pmg_meeting()
    tab = visit()
    page = tab.page
    tab.sign_in("secretary@demo.example")
    tab.goto(f"/meetings/{meeting.pk}/run/")
    with page.expect_navigation():
        page.get_by_role("link", name="Cancel the meeting").click()
    tab.check()
    page.get_by_label("Reason").fill("No business this cycle.")
    with page.expect_navigation():
        page.get_by_role(
            "button", name="Cancel the meeting and tell the members"
        ).click()
    assert "cancelled" in page.inner_text("main")
    tab.check()
    tab.screenshot()
    mailed = OutboxMessage.objects.filter(subject__startswith="Meeting cancelled")
    assert mailed.count() >= 2
    assert all("No business this cycle." in m.body for m in mailed)
    tab.assert_clean()
