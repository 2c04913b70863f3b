"""Journey 2 (issue 8): a member and a deputy vote online and the secretary sees the
result. The member casts the vote with the keyboard alone (WCAG 2.1.1)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from boards.models import Board, Seat
from governance.models import User
from meetings.models import Meeting, Motion
from meetings.services.attendance import AttendanceChange, attendance_record_many
from meetings.services.lifecycle import meeting_start

pytestmark = pytest.mark.browser


def _pmg_meeting_in_progress() -> tuple[Meeting, Motion]:
    """The PMG's coming meeting from the demo, started: Morgan Member holds the CCG
    Chief Finance Officer seat and is present; Dana Deputy is the notified deputy of
    the council's voting seat, whose holder is away."""
    board = Board.objects.get(name__contains="Partnership Management Group")
    motion = (
        Motion.objects.filter(
            item__meeting__board=board,
            item__meeting__status=Meeting.Status.SCHEDULED,
            status=Motion.Status.DRAFT,
        )
        .order_by("financial_value")
        .first()
    )
    meeting = motion.item.meeting
    member = User.objects.get(email="member@demo.example")
    deputy = User.objects.get(email="deputy@demo.example")
    secretary = User.objects.get(email="secretary@demo.example")
    own = Seat.objects.get(board=board, holder=member, voting=True)
    other = (
        Seat.objects.filter(board=board, voting=True, active=True)
        .exclude(pk=own.pk)
        .first()
    )
    Seat.objects.filter(pk=other.pk).update(
        deputy=deputy,
        deputy_notified_on=datetime.date.today() - datetime.timedelta(days=7),
    )
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=now - datetime.timedelta(minutes=5)
    )
    meeting.refresh_from_db()
    changes = [
        AttendanceChange(
            seat=seat,
            status="deputy" if seat.pk == other.pk else "present",
            arrived_at=meeting.starts_at,
        )
        for seat in board.seats.filter(active=True, voting=True)
    ]
    attendance_record_many(meeting=meeting, changes=changes, by=secretary)
    meeting_start(meeting=meeting, by=secretary)
    return meeting, motion


def test_member_and_deputy_vote_and_the_secretary_sees_the_result(demo, visit):
    """The secretary opens the motion; the member votes For using only the keyboard,
    the deputy votes For with the mouse; the secretary's live tally shows both votes
    and closing the vote shows the outcome."""
    meeting, motion = _pmg_meeting_in_progress()

    secretary = visit("secretary")
    secretary.sign_in("secretary@demo.example")
    secretary.goto(f"/meetings/{meeting.pk}/run/")
    panel = secretary.page.locator(f"#decision-{motion.item_id}")
    panel.get_by_role("button", name="Open for votes").click()
    expect(panel.get_by_role("button", name="Close the vote")).to_be_visible()
    secretary.check()

    member = visit("member")
    member.sign_in("member@demo.example")
    member.goto(f"/meetings/motions/{motion.pk}/vote/")
    page = member.page
    # Keyboard only: Tab through the page until the "For" button has focus, press Enter.
    for _ in range(60):
        page.keyboard.press("Tab")
        label = page.evaluate("document.activeElement.textContent.trim()")
        if label.startswith("For"):
            break
    else:
        pytest.fail("the For button cannot be reached with the Tab key")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="For (your vote)")).to_be_visible()
    member.check()
    member.screenshot()

    deputy = visit("deputy")
    deputy.sign_in("deputy@demo.example")
    deputy.goto(f"/meetings/motions/{motion.pk}/vote/")
    with deputy.page.expect_navigation():
        deputy.page.get_by_role("button", name="For", exact=True).first.click()
    expect(deputy.page.get_by_text("(your vote)").first).to_be_visible()
    deputy.check()

    # The secretary's tally refreshes itself (every 3 s): two votes For.
    expect(panel).to_contain_text("For", timeout=10_000)
    assert motion.votes.count() == 2
    panel.get_by_role("button", name="Close the vote").click()
    expect(panel.get_by_text("Outcome:")).to_be_visible(timeout=10_000)
    secretary.check()
    secretary.screenshot()
    secretary.screenshot("-result", locator=panel)
    motion.refresh_from_db()
    assert motion.status == Motion.Status.CLOSED and motion.outcome
    for tab in (secretary, member, deputy):
        tab.assert_clean()
