"""Journey 6 (issue 13): the whole meeting cycle on the demo's Portsmouth PMG, as its
secretary runs it in a browser.

Schedule a meeting far enough ahead for its notice, add a decision item, issue the
agenda; the CCG Chief Finance Officer says their deputy will attend. On the
meeting's day (the server's clock travels there: the live server runs in this
process) the secretary records who chairs, starts the meeting and records
attendance: the Council Chief Executive present, Dana Deputy attending for the CCG
Chief Finance Officer, and the quorum panel says the deputy's seat counts (PMG ToR
4.2: one voting representative per partner, a notified deputy counting). Dana votes
from her phone and her ballot agrees with the panel; the Council's vote is a show of
hands; the vote closes carried and the meeting closes, after which its page offers
no editing controls. The minutes are drafted, approved on the chair's written
authority (the chair has no login that day) and circulated. The next meeting is
scheduled and issued; on its day the chair, in person, confirms and signs the
previous minutes under "Minutes of the previous meeting". The first meeting's
minutes page then says where and by whom they were confirmed, and its PDF carries
the signature block, who chaired, and the opening and closing times.

The clock: each day's steps run inside ``time_machine.travel(..., tick=True)`` and
sign in afresh on that day (sessions last eight hours, so a session from an earlier
day would have expired on the server's clock)."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import expect
from pypdf import PdfReader

from boards.models import Board, Seat
from meetings.models import Attendance, Meeting, MinutesVersion, Motion

pytestmark = pytest.mark.browser
LONDON = zoneinfo.ZoneInfo("Europe/London")
PMG = "Better Care & Integrated Commissioning Service Partnership Management Group"
CHAIR_PASSWORD = "chair-signs-in-person-2026"  # noqa: S105 - a test password
MOTION = "That the PMG agrees the Better Care Fund spending plan for the next quarter."
LONG = 30_000  # ms: the machine is loaded; wait for pages, never sleep
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 3,
}


def _checked(tab, step: str):
    """axe and CSP on the page now, each problem found labelled with the step."""
    before = len(tab.problems)
    tab.check()
    tab.problems[before:] = [f"[{step}] {p}" for p in tab.problems[before:]]


def _weekday_on_or_after(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def _long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _schedule(tab, day: datetime.date, location: str) -> Meeting:
    """The secretary schedules an ordinary PMG meeting at 14:00 on ``day`` with the
    browser form, confirming a notice warning if the form asks for it."""
    page = tab.page
    tab.goto("/meetings/new/")
    board = page.get_by_label("Board")
    value = board.evaluate(
        "el => [...el.options].find(o => o.text.includes('Partnership Management"
        " Group')).value"
    )
    board.select_option(value)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Time").fill("14:00")
    page.get_by_label("Location").fill(location)
    with page.expect_navigation(timeout=LONG):
        page.get_by_role("button", name="Schedule the meeting").click()
    match = re.search(r"/meetings/(\d+)/", page.url)
    assert match, (page.url, page.inner_text("main"))
    _checked(tab, "step 2")
    return Meeting.objects.get(pk=match.group(1))


def _issue(tab, meeting: Meeting):
    tab.goto(f"/meetings/{meeting.pk}/run/")
    with tab.page.expect_navigation(timeout=LONG):
        tab.page.get_by_role("button", name="Issue the agenda and papers").click()
    expect(tab.page.locator("main")).to_contain_text(
        "The agenda and papers are issued.", timeout=LONG
    )
    _checked(tab, "step 3")
    meeting.refresh_from_db()
    assert meeting.agenda_published_at is not None


def _record_chair(tab, chair_seat: Seat):
    page = tab.page
    page.get_by_label("Seat of whoever chairs").select_option(str(chair_seat.pk))
    with page.expect_navigation(timeout=LONG):
        page.locator("#chair-heading").locator("..").get_by_role(
            "button", name="Record"
        ).click()
    expect(page.locator("main")).to_contain_text(f"{chair_seat.holder.name} chairs")


def _start(tab, meeting: Meeting):
    """On its day, with its agenda issued and quorate: nothing stands in the way,
    so no reason is asked for."""
    tab.goto(f"/meetings/{meeting.pk}/run/")
    expect(tab.page.locator("#start-missing li")).to_have_count(0)
    expect(tab.page.get_by_label(re.compile("Reason for starting"))).to_have_count(0)
    with tab.page.expect_navigation(timeout=LONG):
        tab.page.get_by_role("button", name="Start the meeting").click()
    expect(tab.page.locator("main")).to_contain_text(
        "The meeting has started.", timeout=LONG
    )
    _checked(tab, "step 4")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.IN_PROGRESS, tab.page.inner_text("main")


def _attend(page, meeting: Meeting, seat: Seat, status: str):
    with page.expect_response(
        re.compile(rf"/meetings/{meeting.pk}/attendance/{seat.pk}/"), timeout=LONG
    ):
        page.select_option(f"#status-{seat.pk}", status)


def test_meeting_cycle_from_notice_to_signed_minutes(demo, visit, browser, live_server):
    board = Board.objects.get(name=PMG)
    cfo = Seat.objects.get(board=board, title="CCG Chief Finance Officer")
    chief = Seat.objects.get(board=board, title="Council Chief Executive")
    assert cfo.deputy.email == "deputy@demo.example" and chief.is_chair
    # The chair signs in person at the second meeting: give her a password.
    chair = chief.holder
    chair.set_password(CHAIR_PASSWORD)
    chair.is_active = True
    chair.save()

    tabs = []

    def tab(name: str):
        opened = visit(name)
        tabs.append(opened)
        return opened

    today = datetime.date.today()
    first_day = _weekday_on_or_after(today + datetime.timedelta(days=28))
    second_day = _weekday_on_or_after(first_day + datetime.timedelta(days=28))

    # --- Weeks ahead: schedule, add the decision, issue the agenda -----------------
    secretary = tab("secretary")
    secretary.sign_in("secretary@demo.example")
    first = _schedule(secretary, first_day, "Civic Offices, Committee Room 1")
    assert first.status == Meeting.Status.SCHEDULED
    assert first.starts_at == _at(first_day, 14)
    page = secretary.page
    secretary.goto(f"/meetings/{first.pk}/items/new/")
    page.locator("input[name=title]").fill("Better Care Fund spending plan")
    page.locator("select[name=kind]").select_option("decision")
    page.locator("textarea[name=motion_text], input[name=motion_text]").fill(MOTION)
    with page.expect_navigation(timeout=LONG):
        page.get_by_role("button", name="Save the item").click()
    expect(page.locator("main")).to_contain_text("added.", timeout=LONG)
    motion = Motion.objects.get(item__meeting=first, text=MOTION)
    # Not startable yet: its agenda is not issued and it is not its day.
    missing = page.locator("#start-missing")
    expect(missing.locator("[data-rule=agenda_not_issued]")).to_have_count(1)
    expect(missing.locator("[data-rule=meeting_day]")).to_have_count(1)
    _issue(secretary, first)
    expect(missing.locator("[data-rule=agenda_not_issued]")).to_have_count(0)
    expect(missing.locator("[data-rule=meeting_day]")).to_have_count(1)
    secretary.screenshot("-1-issued")

    # The CCG Chief Finance Officer cannot come: their deputy will attend.
    member = tab("member")
    member.sign_in("member@demo.example")
    member.goto(f"/meetings/{first.pk}/")
    with member.page.expect_navigation(timeout=LONG):
        member.page.get_by_role(
            "button", name=re.compile("My deputy .*Dana Deputy.* will attend")
        ).click()
    _checked(member, "step 5")
    assert (
        Attendance.objects.get(meeting=first, seat=cfo).status
        == Attendance.Status.DEPUTY
    )

    # --- The first meeting's day -------------------------------------------------
    with time_machine.travel(_at(first_day, 13, 55), tick=True):
        secretary = tab("secretary-day1")
        secretary.sign_in("secretary@demo.example")
        page = secretary.page
        secretary.goto(f"/meetings/{first.pk}/run/")
        # Attendance at the table: the chief executive arrives; the deputy sits in
        # for the CCG's finance officer.
        _attend(page, first, chief, "present")
        _attend(page, first, cfo, "deputy")
        _record_chair(secretary, chief)
        # Quorate (one voting representative per partner): the meeting may start.
        _start(secretary, first)
        cfo_row = page.locator(f"#seat-{cfo.pk}")
        expect(cfo_row).to_contain_text("Deputy: Dana Deputy", timeout=LONG)
        expect(cfo_row).to_contain_text("✔ Counts", timeout=LONG)
        routine = page.locator("#quorum-panel [data-business=routine]")
        expect(routine).to_contain_text("✔ Quorate", timeout=LONG)
        _checked(secretary, "step 6")
        secretary.screenshot("-2-quorate-with-deputy")

        panel = page.locator(f"#decision-{motion.item_id}")
        panel.get_by_role("button", name="Open for votes").click()
        expect(panel.get_by_role("button", name="Close the vote")).to_be_visible(
            timeout=LONG
        )
        _checked(secretary, "step 7")

        # Dana Deputy votes from her phone, for the seat the panel says counts.
        context = browser.new_context(
            **PHONE, accept_downloads=True, reduced_motion="reduce"
        )
        try:
            from tests.e2e.conftest import Visit

            phone = Visit(
                context.new_page(),
                live_server.url,
                "test_meeting_cycle_from_notice_to_signed_minutes-deputy-phone",
            )
            phone.sign_in("deputy@demo.example")
            # From her dashboard: the open motion offers her a vote.
            phone.goto("/")
            vote_link = phone.page.locator(
                f"a[href='/meetings/motions/{motion.pk}/vote/']", has_text="Vote"
            )
            expect(vote_link).to_have_count(1)
            with phone.page.expect_navigation(timeout=LONG):
                vote_link.tap()
            _checked(phone, "deputy's ballot")
            ballot = phone.page.locator(f"section[aria-labelledby='seat-{cfo.pk}']")
            expect(ballot).to_contain_text("CCG Chief Finance Officer")
            expect(ballot).not_to_contain_text("You cannot vote")
            expect(ballot).not_to_contain_text("not represented")
            expect(ballot).to_contain_text("No vote has been cast for this seat yet")
            with phone.page.expect_navigation(timeout=LONG):
                ballot.get_by_role("button", name="For", exact=True).tap()
            expect(
                phone.page.get_by_role("button", name="For (your vote)")
            ).to_be_visible()
            _checked(phone, "step 8")
            phone.screenshot()
            phone.assert_clean()
        finally:
            context.close()
        vote = motion.votes.get(seat=cfo)
        assert vote.choice == "for" and vote.cast_by.email == "deputy@demo.example"

        # The holder whose deputy attends is not offered the seat's vote: not on
        # the dashboard, and the ballot says why.
        holder = tab("holder-day1")
        holder.sign_in("member@demo.example")
        holder.goto("/")
        expect(
            holder.page.locator(
                f"main a[href='/meetings/motions/{motion.pk}/vote/']", has_text="Vote"
            )
        ).to_have_count(0)
        holder.goto(f"/meetings/motions/{motion.pk}/vote/")
        holder_ballot = holder.page.locator(f"section[aria-labelledby='seat-{cfo.pk}']")
        expect(holder_ballot).to_contain_text("You cannot vote for this seat")
        expect(holder_ballot).to_contain_text("cast by Dana Deputy")
        expect(holder_ballot.get_by_role("button")).to_have_count(0)
        holder.screenshot()

        # The Council's chief executive votes by a show of hands at the table.
        panel.get_by_label("Seat", exact=True).select_option(str(chief.pk))
        panel.get_by_label("Vote", exact=True).select_option("for")
        panel.get_by_role("button", name="Record vote").click()
        expect(panel).to_contain_text("Votes cast: 2 of 2", timeout=LONG)
        _checked(secretary, "step 9")
        panel.get_by_role("button", name="Close the vote").click()
        expect(panel.get_by_text("Outcome:")).to_contain_text("Carried", timeout=LONG)
        _checked(secretary, "step 10")
        secretary.screenshot("-3-carried", locator=panel)

        with page.expect_navigation(timeout=LONG):
            page.get_by_role("button", name="Close the meeting").click()
        expect(page.locator("main")).to_contain_text(
            "The meeting is closed.", timeout=LONG
        )
        _checked(secretary, "step 11")
        secretary.screenshot("-4-closed")
        first.refresh_from_db()
        assert first.status == Meeting.Status.CLOSED
        # A closed meeting offers no editing controls (checked at the end, so the
        # rest of the cycle still runs and reports).
        main = page.locator("main")
        leftovers = [
            f"{role} {name!r}"
            for role, name in (
                ("link", "Add an item"),
                ("link", "Invite a guest"),
                ("link", "Add a paper"),
                ("link", "Edit date and place"),
                ("button", "Start the meeting"),
                ("button", "Arrived now"),
                ("button", "Left now"),
                ("button", "Record"),
            )
            if main.get_by_role(role, name=name, exact=True).count()
        ]
        if main.locator("tr[id^=seat-] select, tr[id^=seat-] input").count():
            leftovers.append("attendance selects")
        # The quorum panel is now the record: it no longer polls "now".
        expect(page.locator("#quorum-panel")).to_contain_text(
            "Quorum as recorded (closed)"
        )
        expect(page.locator("#quorum-panel")).not_to_have_attribute(
            "hx-trigger", "every 20s"
        )

    # --- Later that afternoon: the minutes ----------------------------------------
    with time_machine.travel(_at(first_day, 16, 30), tick=True):
        secretary = tab("secretary-minutes")
        secretary.sign_in("secretary@demo.example")
        page = secretary.page
        secretary.goto(f"/meetings/{first.pk}/minutes/")
        with page.expect_navigation(timeout=LONG):
            page.get_by_role("button", name="Start drafting the minutes").click()
        expect(page.locator("main")).to_contain_text("Version 1: Draft", timeout=LONG)
        page.get_by_label("Opening remarks").fill(
            "The chair welcomed members and Dana Deputy, attending for the CCG Chief"
            " Finance Officer."
        )
        with page.expect_navigation(timeout=LONG):
            page.get_by_role("button", name="Save opening remarks").click()
        entry = page.locator(f"#entry-form-{motion.item_id}")
        entry.get_by_label("Minutes of this item").fill(
            "The group considered the spending plan and agreed it unanimously."
        )
        entry.get_by_role("button", name="Save item minutes").click()
        expect(page.locator(f"#entry-form-{motion.item_id}")).to_contain_text(
            "Saved.", timeout=LONG
        )
        _checked(secretary, "step 12")
        # Approving is the chair's act: the secretary records it on her e-mail.
        with page.expect_navigation(timeout=LONG):
            page.get_by_role(
                "link", name="Approve on the chair's written authority"
            ).click()
        _checked(secretary, "step 13")
        expect(
            page.get_by_label("The chair who gave the written authority")
        ).to_have_value(chair.name)
        page.get_by_label(
            "The chair's written authority (the e-mail or letter)"
        ).set_input_files(
            {
                "name": "chair-approves-minutes.eml",
                "mimeType": "message/rfc822",
                "buffer": (
                    f"From: {chair.email}\r\nSubject: PMG minutes\r\n\r\n"
                    "I approve the draft minutes for circulation.\r\n"
                ).encode(),
            }
        )
        with page.expect_navigation(timeout=LONG):
            page.get_by_role(
                "button", name="Record it on the chair's written authority"
            ).click()
        expect(page.locator("main")).to_contain_text(
            "Version 1: Approved for circulation", timeout=LONG
        )
        with page.expect_navigation(timeout=LONG):
            page.get_by_role("button", name="Circulate").click()
        expect(page.locator("main")).to_contain_text(
            "Version 1: Circulated", timeout=LONG
        )
        expect(page.locator("main")).to_contain_text(
            "To be confirmed as a true record at the next meeting"
        )
        expect(page.locator("main")).to_contain_text(
            f"by Sam Secretary on the chair's written authority ({chair.name})"
        )
        _checked(secretary, "step 14")
        secretary.screenshot("-5-circulated")

        # A date already past is refused with the reason, nothing is scheduled.
        before = Meeting.objects.filter(board=board).count()
        secretary.goto("/meetings/new/")
        board_select = page.get_by_label("Board")
        board_select.select_option(
            board_select.evaluate(
                "el => [...el.options].find(o => o.text.includes('Partnership "
                "Management Group')).value"
            )
        )
        page.get_by_label("Date").fill(
            (first_day - datetime.timedelta(days=7)).isoformat()
        )
        with page.expect_navigation(timeout=LONG):
            page.get_by_role("button", name="Schedule the meeting").click()
        assert page.url.endswith("/meetings/new/"), page.url
        expect(page.locator("main")).to_contain_text("past", timeout=LONG)
        _checked(secretary, "past date refused")
        assert Meeting.objects.filter(board=board).count() == before

        # The next meeting: scheduled and issued now, four weeks on.
        second = _schedule(secretary, second_day, "Civic Offices, Committee Room 2")
        _issue(secretary, second)
        previous = page.locator("main").get_by_text("To confirm as a true record:")
        expect(previous).to_contain_text(_long_date(first_day))

    # --- The next meeting's day: the chair confirms and signs ---------------------
    with time_machine.travel(_at(second_day, 13, 55), tick=True):
        secretary = tab("secretary-day2")
        secretary.sign_in("secretary@demo.example")
        page = secretary.page
        secretary.goto(f"/meetings/{second.pk}/run/")
        _attend(page, second, chief, "present")
        _attend(page, second, cfo, "present")
        _record_chair(secretary, chief)
        # Quorate (one voting representative per partner): the meeting may start.
        _start(secretary, second)
        expect(page.locator("#quorum-panel [data-business=routine]")).to_contain_text(
            "✔ Quorate", timeout=LONG
        )
        item = second.items.get(standing="previous_minutes")
        standing = page.locator(f"#item-{item.pk}")
        expect(standing).to_contain_text("Minutes of the previous meeting")
        # The secretary is not the chair: she is offered the written-authority route,
        # not the chair's own button.
        expect(
            standing.get_by_role("button", name="Confirm and sign as a true record")
        ).to_have_count(0)

        chair_tab = tab("chair-day2")
        chair_tab.sign_in(chair.email, CHAIR_PASSWORD)
        chair_tab.goto(f"/meetings/{second.pk}/")
        chair_item = chair_tab.page.locator(f"#item-{item.pk}")
        expect(chair_item).to_contain_text(_long_date(first_day))
        chair_tab.screenshot("-before")
        with chair_tab.page.expect_navigation(timeout=LONG):
            chair_item.get_by_role(
                "button", name="Confirm and sign as a true record"
            ).click()
        _checked(chair_tab, "step 15")
        expect(chair_tab.page.locator("main")).to_contain_text(
            f"confirmed as a true record, signed by {chair.name}"
        )
        chair_tab.screenshot("-signed")
        version = MinutesVersion.objects.get(meeting=first, number=1)
        assert version.status == MinutesVersion.Status.CONFIRMED
        assert version.confirmed_at_meeting_id == second.pk
        assert version.signed_by_name == chair.name

        # The first meeting's minutes page says so, and its PDF is signed.
        secretary.goto(f"/meetings/{first.pk}/minutes/")
        main = page.locator("main")
        expect(main).to_contain_text(
            f"confirmed at the meeting of {_long_date(second_day)}, signed by "
            f"{chair.name}"
        )
        secretary.screenshot("-6-confirmed")
        with page.expect_download(timeout=LONG) as info:
            main.get_by_role("link", name="Download the signed full PDF").click()
        download = info.value
        content = open(download.path(), "rb").read()
        assert content.startswith(b"%PDF-")
        text = "\n".join(
            p.extract_text() or "" for p in PdfReader(download.path()).pages
        )
        flat = " ".join(text.split())
        assert f"Chaired by {chair.name}" in flat, flat
        assert "Opened at 13:5" in flat, flat
        assert re.search(r"Closed at 1[34]:\d\d", flat), flat
        assert f"Signed: {chair.name}, chair" in flat, flat
        assert "Signature" in flat
        assert "(recorded on the chair's written authority)" not in flat
        assert "Dana Deputy" in flat, flat

    problems = [f"{opened.name}: {p}" for opened in tabs for p in opened.problems]
    assert not problems, "\n".join(problems)
    assert not leftovers, f"editing controls on the closed meeting: {leftovers}"
