"""Browser journey: the secretary runs attendance and quorum live on the meeting
page (htmx, no full reload), every page checked with axe-core and for CSP
violations; a member sends apologies."""

import pytest

from boards.demo import PMG
from meetings.models import Attendance, Meeting
from tests.e2e.conftest import browser, demo, live_server, visit  # noqa: F401

pytestmark = pytest.mark.browser


def test_secretary_runs_attendance_and_quorum_live(demo, visit):  # noqa: F811
    meeting = Meeting.objects.get(board__name=PMG, status=Meeting.Status.SCHEDULED)
    voting = list(
        meeting.board.seats.filter(voting=True, active=True).order_by("order", "id")
    )
    tab = visit("secretary")
    tab.sign_in("secretary@demo.example")
    tab.goto(f"/meetings/{meeting.pk}/run/")
    page = tab.page
    panel = page.locator("#quorum-panel")
    assert "Not quorate" in panel.inner_text()
    # Mark the page so a full reload would be noticed.
    page.evaluate("window.__noReload = true")
    for seat in voting:
        with page.expect_response(lambda r: "/attendance/" in r.url):
            page.select_option(f"#status-{seat.pk}", "present")
        page.wait_for_timeout(200)
    page.wait_for_function(
        "document.querySelector('#quorum-panel').innerText.includes('Routine business:\\n✔')"
        " || document.querySelector('#quorum-panel [data-business=routine]')"
        ".innerText.includes('✔ Quorate')"
    )
    assert page.evaluate("window.__noReload") is True
    routine = page.locator("#quorum-panel [data-business=routine]").inner_text()
    assert "✔ Quorate" in routine
    assert Attendance.objects.filter(meeting=meeting, status="present").count() == len(
        voting
    )
    # "Left now" for one voting seat: the panel lists the unmet condition again.
    with page.expect_response(lambda r: "/attendance/" in r.url):
        page.locator(f"#seat-{voting[0].pk} button[value=leave]").click()
    page.wait_for_function(
        "document.querySelector('#quorum-panel [data-business=routine]')"
        ".innerText.includes('Not quorate')"
    )
    assert page.evaluate("window.__noReload") is True
    tab.check()
    tab.screenshot()
    tab.assert_clean()


def test_member_sends_apologies_from_the_meeting_page(demo, visit):  # noqa: F811
    meeting = Meeting.objects.get(board__name=PMG, status=Meeting.Status.SCHEDULED)
    tab = visit("member")
    tab.sign_in("member@demo.example")
    tab.goto(f"/meetings/{meeting.pk}/")
    with tab.page.expect_navigation():
        tab.page.get_by_role("button", name="Send apologies").click()
    assert "Apologies recorded" in tab.page.inner_text("main")
    tab.check()
    tab.assert_clean()
