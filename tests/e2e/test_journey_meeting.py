"""Journey 1 (issue 8): a secretary sets up a meeting, records attendance and sees
quorum change live, without reloading the page (htmx swaps the quorum panel)."""

import datetime
import re

import pytest
from playwright.sync_api import expect

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
