"""Journey (issue 15): from invitation to first vote. The administrator invites a new
member to a voting seat from the People page; the invitation e-mail's link sets their
password, signs them in and lands them on their board; at the meeting they cast their
first vote. Also: an invited person signs in with their organisation's single sign-on
(the test OpenID provider) and lands on their board; a secretary can only invite to
their own board's seats. Every page passes axe (WCAG 2.2 AA) and CSP."""

import re

import pytest
from playwright.sync_api import expect

from governance.models import Invitation, OutboxMessage, Role, User
from meetings.models import Attendance, Vote
from meetings.services.motions import motion_open
from tests.governance.factories import UserFactory
from tests.meetings.decisions_world import build

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"  # tests.governance.factories.UserFactory
NEW_PASSWORD = "Portsmouth-pooled-budget-2026"


def _link(email: str) -> str:
    body = OutboxMessage.objects.filter(to=email).latest("pk").body
    return re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", body)[1]


def test_from_invitation_to_first_vote(transactional_db, settings, visit):
    settings.OTP_REQUIRED = False
    w = build(attend=False)
    administrator = UserFactory(
        role=Role.ADMINISTRATOR, is_superuser=True, email="admin@council.example"
    )

    admin = visit("administrator")
    admin.sign_in(administrator.email, PASSWORD)
    admin.goto("/people/")
    admin.page.get_by_role("link", name="Invite a person").click()
    admin.check()
    admin.page.get_by_label("Name").fill("Alex Newcomer")
    admin.page.get_by_label("E-mail address").fill("alex.newcomer@portsmouthcc.example")
    admin.page.get_by_label("Role on a board or fund").select_option(
        f"member:{w.c1.pk}"
    )
    admin.screenshot("-form")
    with admin.page.expect_navigation():
        admin.page.get_by_role("button", name="Send invitation").click()
    expect(admin.page.get_by_role("heading", name="Alex Newcomer")).to_be_visible()
    expect(admin.page.get_by_text("Waiting for the person")).to_be_visible()
    expect(admin.page.get_by_text("Council s151 Officer").first).to_be_visible()
    admin.check()
    admin.screenshot()

    # The e-mail (sent by the worker through the outbox) holds the link.
    newcomer = visit("newcomer")
    newcomer.goto(_link("alex.newcomer@portsmouthcc.example"))
    expect(newcomer.page.get_by_text("Welcome, Alex Newcomer")).to_be_visible()
    newcomer.page.locator("#id_new_password1").fill(NEW_PASSWORD)
    newcomer.page.locator("#id_new_password2").fill(NEW_PASSWORD)
    newcomer.screenshot("-set-password")
    with newcomer.page.expect_navigation():
        newcomer.page.get_by_role("button", name="Set password and sign in").click()
    assert newcomer.page.url.endswith(f"/boards/{w.board.pk}/"), newcomer.page.url
    expect(newcomer.page.get_by_text("Your password is set")).to_be_visible()
    newcomer.check()
    newcomer.screenshot("-landed")

    # The meeting: everyone present, the secretary opens the motion.
    person = User.objects.get(email="alex.newcomer@portsmouthcc.example")
    for seat in w.voting:
        seat.refresh_from_db()
        Attendance.objects.create(
            meeting=w.meeting,
            seat=seat,
            status=Attendance.Status.PRESENT,
            attendee=seat.holder,
        )
    motion_open(motion=w.motion, by=w.secretary)

    newcomer.goto(f"/meetings/motions/{w.motion.pk}/vote/")
    with newcomer.page.expect_navigation():
        newcomer.page.get_by_role("button", name="For", exact=True).first.click()
    expect(newcomer.page.get_by_role("button", name="For (your vote)")).to_be_visible()
    newcomer.check()
    newcomer.screenshot("-voted")
    vote = Vote.objects.get(motion=w.motion, seat=w.c1)
    assert vote.choice == "for" and vote.cast_by == person
    assert Invitation.objects.get(person=person).status == Invitation.Status.ACCEPTED

    # The invitation link worked once.
    again = visit("again")
    response = again.page.goto(again.base_url + _link(person.email))
    assert response.status == 404
    for tab in (admin, newcomer):
        tab.assert_clean()


def test_an_invited_person_signs_in_with_single_sign_on(
    transactional_db, settings, sso, visit
):
    from governance.services.invitations import invitation_create

    settings.OTP_REQUIRED = False
    w = build(started=False, attend=False)
    invitation_create(
        by=UserFactory(role=Role.ADMINISTRATOR, is_superuser=True),
        name="Jo Journey",
        email="journey@council.example",
        role="deputy",
        target_id=w.c2.pk,
    )
    tab = visit("sso")
    tab.goto("/accounts/login/")
    with tab.page.expect_navigation():
        tab.page.get_by_role("link", name="Sign in with your organisation").click()
    tab.page.get_by_label("User").fill("journey@council.example")
    tab.page.get_by_label("Password").fill("provider-password")
    with tab.page.expect_navigation(url=re.compile(r".*/boards/\d+/$")):
        tab.page.get_by_role("button", name="Sign in").click()
    assert tab.page.url.endswith(f"/boards/{w.board.pk}/")
    expect(tab.page.get_by_text("Jo Journey").first).to_be_visible()
    tab.check()
    tab.screenshot()
    tab.assert_clean()


def test_a_secretary_invites_a_deputy_to_their_own_board_only(
    transactional_db, settings, visit
):
    settings.OTP_REQUIRED = False
    w = build(started=False, attend=False)
    other = build(started=False, attend=False)
    tab = visit("secretary")
    tab.sign_in(w.secretary.email, PASSWORD)
    tab.goto("/people/invite/")
    options = tab.page.locator("#id_role option").all_inner_texts()
    assert any("Council Director" in o and w.board.label in o for o in options)
    assert not any(other.board.label in o for o in options)
    assert tab.page.locator("#id_global_role").count() == 0
    tab.page.get_by_label("Name").fill("Dee Deputy")
    tab.page.get_by_label("E-mail address").fill("dee@portsmouthccg.example")
    tab.page.get_by_label("Role on a board or fund").select_option(f"deputy:{w.c2.pk}")
    with tab.page.expect_navigation():
        tab.page.get_by_role("button", name="Send invitation").click()
    expect(tab.page.get_by_text("Invitation sent")).to_be_visible()
    tab.check()
    tab.screenshot()
    tab.assert_clean()
