"""Journey 1 (issue 8): a secretary sets up a meeting, records attendance and sees
quorum change live, without reloading the page (htmx swaps the quorum panel); a
member sends apologies from the meeting page. Every page passes axe and CSP."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from meetings.models import Attendance, Meeting

PMG = "Better Care & Integrated Commissioning Service Partnership Management Group"
pytestmark = pytest.mark.browser


def _a_weekday_weeks_ahead(weeks: int) -> datetime.date:
    day = datetime.date.today() + datetime.timedelta(weeks=weeks)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def test_secretary_schedules_a_meeting_records_attendance_and_sees_quorum(demo, visit):
    """Scheduling a PMG meeting, then marking one seat per partner present turns the
    quorum panel from "Not quorate" to "Quorate" on the secretary's live page."""
    tab = visit()
    page = tab.page
    tab.sign_in("secretary@demo.example")

    tab.goto("/meetings/new/")
    board = page.get_by_label("Board")
    value = board.evaluate(
        """el => [...el.options].find(o => o.text.includes('Partnership Management Group')).value"""
    )
    board.select_option(value)
    page.get_by_label("Date").fill(_a_weekday_weeks_ahead(3).isoformat())
    page.get_by_label("Time").fill("14:00")
    page.get_by_label("Location").fill("Civic Offices, Committee Room 1")
    with page.expect_navigation():
        page.get_by_role("button", name="Schedule the meeting").click()
    match = re.search(r"/meetings/(\d+)/", page.url)
    assert match, page.url
    tab.check()
    meeting_id = match.group(1)

    tab.goto(f"/meetings/{meeting_id}/run/")
    panel = page.locator("#quorum-panel")
    routine = panel.locator("[data-business='routine']").first
    expect(routine).to_contain_text("Not quorate")

    # One voting seat per partner present: the PMG rule (Portsmouth 4.2).
    rows = page.locator("tr[id^='seat-']")
    seen_partners = set()
    for i in range(rows.count()):
        row = rows.nth(i)
        text = row.locator("th").inner_text()
        partner = text.split("\n")[-1].split("·")[0].strip()
        if "non-voting" in text or partner in seen_partners:
            continue
        seen_partners.add(partner)
        select = row.locator("select[name='status']")
        seat_id = (row.get_attribute("id") or "").removeprefix("seat-")
        with page.expect_response(re.compile(rf"/attendance/{seat_id}/")):
            select.select_option("present")
        page.wait_for_timeout(200)
    assert len(seen_partners) >= 2
    expect(routine).to_contain_text("Quorate", timeout=10_000)
    expect(routine).not_to_contain_text("Not quorate")
    assert f"/meetings/{meeting_id}/run/" in page.url, "no reload, no navigation"
    tab.check()
    tab.screenshot()
    tab.assert_clean()


def test_secretary_runs_attendance_and_quorum_live(demo, visit):
    """On the demo PMG's coming meeting, marking every voting seat present turns the
    routine quorum panel to quorate and "left now" for one seat lists the unmet
    condition again, each time without a full reload (htmx)."""
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


def test_member_sends_apologies_from_the_meeting_page(demo, visit):
    """A member sends apologies from the meeting page and is told they are recorded."""
    meeting = Meeting.objects.get(board__name=PMG, status=Meeting.Status.SCHEDULED)
    tab = visit("member")
    tab.sign_in("member@demo.example")
    tab.goto(f"/meetings/{meeting.pk}/")
    with tab.page.expect_navigation():
        tab.page.get_by_role("button", name="Send apologies").click()
    assert "Apologies recorded" in tab.page.inner_text("main")
    tab.check()
    tab.assert_clean()
