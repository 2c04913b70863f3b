"""Browser journey for a vote (Playwright, Debian's chromium): the secretary opens the
motion on the meeting page, a member votes from a phone-sized screen with the
keyboard alone, and the secretary's panel shows the vote within seconds without a
reload; closing shows the outcome. Every page passes axe (WCAG 2.2 AA) and CSP."""

import pytest

from meetings.services.escalations import escalation_open
from meetings.services.motions import motion_close, motion_open
from meetings.services.votes import vote_cast
from tests.e2e.conftest import browser, live_server, visit  # noqa: F401 - fixtures
from tests.meetings.decisions_world import build

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"  # tests.governance.factories.UserFactory


def test_member_votes_on_a_phone_and_the_secretary_sees_it_live(
    transactional_db,
    settings,
    visit,  # noqa: F811 - the imported fixture
):
    from playwright.sync_api import expect

    settings.OTP_REQUIRED = False
    w = build()

    secretary = visit("secretary")
    secretary.sign_in(w.secretary.email, PASSWORD)
    secretary.goto(f"/meetings/{w.meeting.pk}/run/")
    panel = secretary.page.locator(f"#decision-{w.item.pk}")
    panel.get_by_role("button", name="Open for votes").click()
    expect(panel.get_by_role("button", name="Close the vote")).to_be_visible()
    secretary.check()

    member = visit("member")
    member.page.set_viewport_size({"width": 390, "height": 844})
    member.sign_in(w.c1.holder.email, PASSWORD)
    member.goto(f"/meetings/motions/{w.motion.pk}/vote/")
    page = member.page
    # Keyboard only: tab through the page until the "For" button has focus.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.value") == "for":
            break
    assert page.evaluate("document.activeElement.value") == "for"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="For (your vote)")).to_be_visible()
    member.check()
    member.screenshot()

    # The secretary's page updates itself (htmx polling), no reload.
    expect(panel).to_contain_text("Votes cast: 1 of 4", timeout=10_000)
    secretary.page.on("dialog", lambda dialog: dialog.accept())
    panel.get_by_role("button", name="Close the vote").click()
    expect(panel).to_contain_text("Outcome: Not unanimous: referred", timeout=10_000)
    secretary.check()
    secretary.screenshot()
    secretary.assert_clean()
    member.assert_clean()


def test_decision_pages_pass_axe_and_csp(
    transactional_db,
    settings,
    visit,  # noqa: F811 - the imported fixture
):
    """The escalations page, decision logs, written position form and chair
    election form pass axe and CSP; resolving an escalation works from the page."""
    from playwright.sync_api import expect

    settings.OTP_REQUIRED = False
    w = build(chair_arrangement="elected")
    motion_open(motion=w.motion, by=w.secretary)
    for seat in w.voting:
        vote_cast(motion=w.motion, seat=seat, choice="for", by=seat.holder)
    motion_close(motion=w.motion, by=w.secretary)
    escalation_open(motion=w.motion, path="dispute_resolution")
    later = build(started=False)

    tab = visit("secretary")
    tab.sign_in(w.secretary.email, PASSWORD)
    tab.goto(f"/meetings/boards/{w.board.pk}/decisions/")
    tab.goto(f"/meetings/{w.meeting.pk}/decisions/?outcome=carried")
    tab.goto(f"/meetings/{w.meeting.pk}/chair-election/")
    tab.goto("/meetings/escalations/")
    tab.page.get_by_label("How it was resolved").fill("Agreed by the partners")
    tab.page.get_by_label("Yes, agreed").check()
    with tab.page.expect_navigation():
        tab.page.get_by_role("button", name="Record as resolved").click()
    expect(tab.page.get_by_role("status")).to_contain_text("resolved")
    tab.check()
    tab.assert_clean()

    member = visit("member")
    member.sign_in(later.h1.holder.email, PASSWORD)
    member.goto(f"/meetings/items/{later.item.pk}/position/")
    member.page.get_by_label("Oppose").check()
    with member.page.expect_navigation():
        member.page.get_by_role("button", name="Record the position").click()
    member.check()
    member.assert_clean()
