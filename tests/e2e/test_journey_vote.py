"""Journey 2 (issue 8): a member and a deputy vote online and the secretary sees the
result. The member casts the vote with the keyboard alone (WCAG 2.1.1).

Also on a small board built for the test: the secretary opens the motion on the
meeting page, a member votes from a phone-sized screen with the keyboard alone, and
the secretary's panel shows the vote within seconds without a reload; closing shows
the outcome; the escalations page, decision logs, written position and chair
election forms pass axe (WCAG 2.2 AA) and CSP."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from boards.models import Board, Seat
from governance.models import User
from meetings.models import Meeting, Motion
from meetings.services.attendance import AttendanceChange, attendance_record_many
from meetings.services.escalations import escalation_open
from meetings.services.lifecycle import meeting_start
from meetings.services.motions import motion_close, motion_open
from meetings.services.votes import vote_cast
from tests.meetings.decisions_world import build

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"  # tests.governance.factories.UserFactory


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
    if meeting.agenda_published_at is None:
        Meeting.objects.filter(pk=meeting.pk).update(agenda_published_at=timezone.now())
        meeting.refresh_from_db()
    meeting_start(meeting=meeting, by=secretary, now=meeting.starts_at)
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
    # Keyboard only: Tab through the page until the "For" button has focus (its
    # value, not its words: the navigation's "Forward plans" starts with "For"),
    # press Enter.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.value") == "for":
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


def test_member_votes_on_a_phone_and_the_secretary_sees_it_live(
    transactional_db,
    settings,
    visit,
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
    visit,
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
