"""Journey (issue 19): a resident, not signed in, reads the published record of the
demo. From the public index they search "hospital discharge" and open the PMG's
redistribution decision, its item and its paper, then the PMG's coming meeting,
where the confidential contract award shows only as exempt; read circulated
minutes; take the Atom feed and the JSON; follow the board by e-mail and confirm
from the link in the mail; then the same pages on a phone (390 x 844), where none
scrolls sideways. Every page passes axe (WCAG 2.2 AA) and the content security
policy; screenshots in test-artefacts/."""

import re

import pytest
from playwright.sync_api import expect

from governance.models import OutboxMessage
from meetings.models import MinutesVersion

pytestmark = pytest.mark.browser
PMG_LABEL = (
    "Better Care & Integrated Commissioning Service Partnership Management Group"
)


def test_a_resident_reads_searches_and_follows_the_pmg(demo, visit, settings):
    settings.ORGANISATION_NAME = "Portsmouth City Council (demo)"
    resident = visit()
    page = resident.page

    resident.goto("/public/")
    expect(
        page.get_by_role("link", name="Portsmouth City Council (demo)")
    ).to_be_visible()
    expect(page.get_by_role("link", name=PMG_LABEL)).to_be_visible()
    expect(page.get_by_role("link", name="West Kent Section 75 Group")).to_be_visible()
    resident.screenshot("-1-index")

    page.get_by_label("Search agendas, papers, minutes and decisions").fill(
        "hospital discharge"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    resident.check()
    results = page.locator("ol.result-list > li")
    expect(results.first).to_be_visible()
    assert page.locator("mark").count() >= 2
    text = page.inner_text("main").lower()
    assert "community equipment contract" not in text
    assert "paper" in text
    resident.screenshot("-2-search")

    decision_result = results.filter(has_text="Decision ·").first
    expect(decision_result).to_contain_text("Redistribution of BCF contributions")
    expect(results.filter(has_text="Paper ·").first).to_contain_text(
        "hospital discharge"
    )
    with page.expect_navigation():
        decision_result.get_by_role("link").click()
    resident.check()
    expect(page.get_by_role("heading", name="Votes")).to_be_visible()
    decision_url = page.url.removeprefix(resident.base_url)
    resident.screenshot("-3-decision")

    with page.expect_navigation():
        page.get_by_role("link", name="The agenda item and its papers").click()
    resident.check()
    paper = page.get_by_role("link", name=re.compile("Report: redistribution"))
    expect(paper).to_be_visible()
    response = page.request.get(resident.base_url + paper.get_attribute("href"))
    assert response.ok and response.body().startswith(b"%PDF-")
    resident.screenshot("-4-item-and-paper")

    with page.expect_navigation():
        page.get_by_role("navigation", name="Breadcrumb").get_by_role("link").nth(
            1
        ).click()
    resident.check()
    board_url = page.url.removeprefix(resident.base_url)
    resident.screenshot("-5-board")
    with page.expect_navigation():
        page.locator("#upcoming-heading + ul a").first.click()
    resident.check()
    main = page.inner_text("main")
    assert "Exempt" in main
    assert "Community equipment contract" not in main
    assert "preferred bidder" not in main
    meeting_url = page.url.removeprefix(resident.base_url)
    resident.screenshot("-6-meeting-with-exempt-item")

    minutes = (
        MinutesVersion.objects.filter(
            meeting__board__name=PMG_LABEL, status__in=["circulated", "confirmed"]
        )
        .order_by("-meeting__starts_at")
        .first()
    )
    resident.goto(f"/public/meetings/{minutes.meeting_id}/minutes/")
    expect(page.get_by_role("heading", name=re.compile("^Minutes"))).to_be_visible()
    resident.screenshot("-7-minutes")

    feed = page.request.get(resident.base_url + "/public/feed.atom")
    assert feed.ok and feed.headers["content-type"].startswith("application/atom+xml")
    data = page.request.get(resident.base_url + "/api/v1/public/decisions/").json()
    assert data["count"] >= 1

    resident.goto(f"/public/boards/{minutes.meeting.board_id}/")
    page.get_by_label("Your e-mail address").fill("resident@example.org")
    with page.expect_navigation():
        page.get_by_role("button", name="Follow", exact=True).click()
    resident.check()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    message = OutboxMessage.objects.get(to="resident@example.org")
    link = re.search(r"/public/subscriptions/\S+/confirm/", message.body).group(0)
    resident.goto(link)
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm").click()
    resident.check()
    expect(page.get_by_role("status")).to_contain_text("follows")
    resident.screenshot("-8-following")

    # On a phone: every page fits the width (no sideways scrolling), axe-clean.
    page.set_viewport_size({"width": 390, "height": 844})
    for path, name in (
        ("/public/", "index"),
        ("/public/search/?q=hospital+discharge", "search"),
        (board_url, "board"),
        (board_url + "decisions/", "decisions"),
        (meeting_url, "meeting"),
        (decision_url, "decision"),
        (f"/public/meetings/{minutes.meeting_id}/minutes/", "minutes"),
    ):
        resident.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
        resident.screenshot(f"-9-phone-{name}")
    resident.assert_clean()
