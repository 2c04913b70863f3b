"""Journey (issue 18): what the board owes and when, on the demo.

The secretary's dashboard lists each board's duties with their clauses and what is
due; the PMG's forward plan proposes the annual risk assessment at the coming
meeting and the secretary puts it on the agenda in one step; the plan downloads as
iCalendar and PDF. A member on a phone (390 x 844) reads their own records (seats,
register of interests, attendance statistics as cards), corrects an entry of their
register and reads its history, the action tracker and the
forward plan without sideways scrolling, and at the vote is offered their register
of interests and declares from it. Every page passes axe (WCAG 2.2 AA) and CSP;
screenshots in test-artefacts/."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from boards.models import Board, Seat
from governance.models import User
from meetings.models import (
    AgendaItem,
    Declaration,
    Meeting,
    Motion,
    RegisteredInterest,
)
from meetings.services.attendance import AttendanceChange, attendance_record_many
from meetings.services.lifecycle import meeting_start
from meetings.services.motions import motion_open

pytestmark = pytest.mark.browser

OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


def _pmg() -> Board:
    return Board.objects.get(name__contains="Partnership Management Group")


def _start_with_an_open_motion(board: Board) -> Motion:
    """The PMG's coming meeting, started now with every voting seat present and its
    first draft motion open for votes."""
    secretary = User.objects.get(email="secretary@demo.example")
    meeting = Meeting.objects.get(board=board, status=Meeting.Status.SCHEDULED)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    meeting.refresh_from_db()
    attendance_record_many(
        meeting=meeting,
        changes=[
            AttendanceChange(seat=seat, status="present", arrived_at=meeting.starts_at)
            for seat in Seat.objects.filter(board=board, active=True, voting=True)
        ],
        by=secretary,
    )
    if meeting.agenda_published_at is None:
        Meeting.objects.filter(pk=meeting.pk).update(agenda_published_at=timezone.now())
        meeting.refresh_from_db()
    meeting_start(meeting=meeting, by=secretary, now=meeting.starts_at)
    motion = (
        Motion.objects.filter(item__meeting=meeting, status=Motion.Status.DRAFT)
        .order_by("item__order")
        .first()
    )
    motion_open(motion=motion, by=secretary)
    return motion


def test_secretary_plans_and_a_member_reads_records_on_a_phone(demo, visit):
    board = _pmg()
    secretary = visit("secretary")
    secretary.sign_in("secretary@demo.example")
    page = secretary.page

    # The dashboard: each board's duties with their clauses and what is due.
    secretary.goto("/")
    panel = page.locator(
        "section", has=page.get_by_role("heading", name="What your boards owe")
    )
    expect(panel).to_contain_text("Annual risk assessment")
    expect(panel).to_contain_text("Portsmouth PMG ToR 2.1.5")
    expect(panel).to_contain_text("IFPG ToR (May 2018)")
    expect(panel).to_contain_text("Overdue")
    secretary.screenshot("-dashboard", locator=panel)

    # The forward plan: the annual risk assessment proposed at the coming meeting.
    secretary.goto(f"/planning/boards/{board.pk}/forward-plan/")
    coming = Meeting.objects.get(board=board, status=Meeting.Status.SCHEDULED)
    section = page.locator(f"#meeting-{coming.pk}")
    expect(section).to_contain_text("Annual risk assessment")
    expect(section).to_contain_text("Monthly financial and activity report")
    secretary.screenshot("-plan-before")
    with page.expect_navigation():
        section.get_by_role(
            "button", name=re.compile(r"^Put on the agenda\W+Annual risk assessment\W")
        ).click()
    expect(page.get_by_role("status")).to_contain_text(
        "is on the agenda of the meeting"
    )
    expect(
        section.locator("li", has_text="Annual risk assessment").first
    ).to_contain_text("accepted from the forward plan")
    item = AgendaItem.objects.get(meeting=coming, title="Annual risk assessment")
    assert item.kind == AgendaItem.Kind.DECISION
    secretary.check()
    secretary.screenshot("-plan-after")

    # The register shows it planned; the plan downloads as iCalendar and PDF.
    secretary.goto(f"/planning/boards/{board.pk}/obligations/")
    expect(
        page.locator("article", has_text="Annual risk assessment").first
    ).to_contain_text("on the agenda of")
    ics = page.request.get(
        secretary.base_url + f"/planning/boards/{board.pk}/forward-plan.ics"
    )
    assert ics.ok and "Annual risk assessment" in ics.text()
    pdf = page.request.get(
        secretary.base_url + f"/planning/boards/{board.pk}/forward-plan.pdf"
    )
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    secretary.assert_clean()

    # A member on a phone.
    member = visit("member")
    member.page.set_viewport_size({"width": 390, "height": 844})
    member.sign_in("member@demo.example")
    mpage = member.page
    member.goto("/meetings/people/me/")
    expect(
        mpage.get_by_role("heading", name="Seats and terms of office")
    ).to_be_visible()
    expect(mpage.get_by_role("heading", name="Register of interests")).to_be_visible()
    expect(mpage.locator("#person-stats-heading")).to_contain_text(
        "Attendance statistics"
    )
    card = mpage.locator("table.stack-sm td[data-label='Present']").first
    assert card.evaluate("e => getComputedStyle(e).display") == "block"
    assert mpage.evaluate(OVERFLOW) <= 0
    member.screenshot("-records-phone")

    # The member corrects their register entry; the change is kept in its history.
    with mpage.expect_navigation():
        mpage.get_by_role(
            "link", name=re.compile(r"Edit the entry for Solent Care Homes Ltd")
        ).click()
    mpage.get_by_label("Description").fill("Spouse is a non-executive director.")
    with mpage.expect_navigation():
        mpage.get_by_role("button", name="Save the entry").click()
    expect(mpage.get_by_role("status")).to_contain_text("register entry is updated")
    expect(mpage.locator("#register")).to_contain_text("non-executive director")
    entry = RegisteredInterest.objects.get(
        organisation__startswith="Solent Care Homes Ltd",
        person__email="member@demo.example",
    )
    member.goto(f"/meetings/interests/{entry.pk}/")
    history = mpage.locator(
        "section", has=mpage.get_by_role("heading", name="History of this entry")
    )
    expect(history).to_contain_text("non-executive director")
    assert mpage.evaluate(OVERFLOW) <= 0
    member.screenshot("-interest-history-phone")
    for path in (
        f"/meetings/boards/{board.pk}/actions/",
        f"/planning/boards/{board.pk}/forward-plan/",
        f"/meetings/boards/{board.pk}/attendance/",
    ):
        member.goto(path)
        assert mpage.evaluate(OVERFLOW) <= 0, path
    member.goto(f"/planning/boards/{board.pk}/forward-plan/")
    expect(mpage.locator("main")).to_contain_text("Annual risk assessment")
    expect(mpage.locator("form[action$='/forward-plan/accept/']")).to_have_count(0)
    member.screenshot("-plan-phone")
    member.goto(f"/meetings/boards/{board.pk}/actions/")
    expect(mpage.locator("main")).to_contain_text("Overdue by")
    member.screenshot("-tracker-phone")

    # At the vote: the member's register of interests, declared in one step.
    motion = _start_with_an_open_motion(board)
    member.goto(f"/meetings/motions/{motion.pk}/vote/")
    offer = mpage.locator(
        "section", has=mpage.get_by_role("heading", name="Your registered interests")
    )
    expect(offer).to_contain_text("Solent Care Homes Ltd")
    member.screenshot("-vote-offer-phone")
    with mpage.expect_navigation():
        offer.locator("li", has_text="Solent Care Homes Ltd").get_by_role(
            "button", name="Declare this interest"
        ).click()
    expect(offer.locator("li", has_text="Solent Care Homes Ltd")).to_contain_text(
        "Declared on this item"
    )
    assert Declaration.objects.filter(
        item=motion.item, person__email="member@demo.example"
    ).exists()
    assert mpage.evaluate(OVERFLOW) <= 0
    member.screenshot("-vote-declared-phone")
    member.assert_clean()
