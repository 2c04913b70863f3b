"""Decision pages: the member's vote page, the secretary's live decision panel,
written positions, escalations and the decision logs (with constant query
counts)."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from governance.models import Role
from meetings.models import AgendaItem, Escalation, Motion, Vote, WrittenPosition
from meetings.selectors import decisions as selectors
from meetings.services.escalations import escalation_open
from meetings.services.guests import guest_invite
from meetings.services.motions import motion_close, motion_open
from meetings.services.votes import vote_cast
from tests.boards.factories import BoardFactory
from tests.governance.factories import UserFactory
from tests.meetings.decisions_world import attend, build
from tests.meetings.factories import AgendaItemFactory

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_vote_page_shows_seat_and_records_vote(client):
    """A member sees their seat and big buttons, votes, and sees the vote."""
    w = build()
    motion_open(motion=w.motion, by=w.secretary)
    login(client, w.c1.holder)
    page = client.get(reverse("meetings:decisions-vote", args=[w.motion.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert w.c1.title in html and 'value="for"' in html and "btn-lg" in html
    r = client.post(
        reverse("meetings:decisions-vote", args=[w.motion.pk]),
        {"seat": w.c1.pk, "choice": "against"},
        follow=True,
    )
    assert Vote.objects.get(seat=w.c1).choice == "against"
    assert "Against (your vote)" in r.content.decode()


def test_vote_page_refuses_with_reason(client):
    """A non-voting seat sees why it cannot vote; a refused POST says why."""
    w = build()
    motion_open(motion=w.motion, by=w.secretary)
    login(client, w.nv.holder)
    html = client.get(reverse("meetings:decisions-vote", args=[w.motion.pk])).content
    assert b"non-voting seat" in html
    r = client.post(
        reverse("meetings:decisions-vote", args=[w.motion.pk]),
        {"seat": w.nv.pk, "choice": "for"},
        follow=True,
    )
    assert b"Your vote was not recorded" in r.content
    assert not Vote.objects.exists()


def test_un_notified_deputy_sees_refusal(client):
    """An un-notified deputy is told why they cannot vote."""
    w = build()
    attend(w, w.h1, "deputy", notified=False)
    motion_open(motion=w.motion, by=w.secretary)
    login(client, w.h1.deputy)
    html = client.get(reverse("meetings:decisions-vote", args=[w.motion.pk])).content
    assert b"un-notified deputy cannot vote" in html


def test_panel_open_then_live_tally_then_close(client):
    """The secretary opens the motion from the panel (htmx), the live part shows
    the tally, and closing shows the outcome and reasons."""
    w = build()
    login(client, w.secretary)
    panel_url = reverse("meetings:decisions-item", args=[w.item.pk])
    html = client.get(panel_url).content.decode()
    assert "Open for votes" in html
    r = client.post(
        reverse("meetings:decisions-open", args=[w.motion.pk]), HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 200 and b"Close the vote" in r.content
    assert b'hx-trigger="every 3s"' in r.content
    for seat in w.voting:
        vote_cast(motion=w.motion, seat=seat, choice="for", by=seat.holder)
    live = client.get(panel_url, {"part": "live", "status": "open"})
    assert b"Votes cast: 4 of 4" in live.content
    assert "HX-Retarget" not in live
    r = client.post(
        reverse("meetings:decisions-close", args=[w.motion.pk]), HTTP_HX_REQUEST="true"
    )
    assert b"Outcome: Carried" in r.content and b"carried unanimously" in r.content
    # A panel drawn while open learns of the close on its next poll.
    stale = client.get(panel_url, {"part": "live", "status": "open"})
    assert stale["HX-Retarget"] == f"#decision-{w.item.pk}"
    assert b"Outcome: Carried" in stale.content


def test_panel_refusal_shown(client):
    """A refused action is shown on the panel with its reason."""
    w = build()
    ie = BoardFactory(name="Integration Executive")
    login(client, w.secretary)
    r = client.post(
        reverse("meetings:decisions-consult-board", args=[w.motion.pk]),
        {"board": ie.pk},
        HTTP_HX_REQUEST="true",
    )
    assert b"Record consultation with" in r.content
    r = client.post(
        reverse("meetings:decisions-open", args=[w.motion.pk]), HTTP_HX_REQUEST="true"
    )
    assert b"cannot be put" in r.content
    assert Motion.objects.get().status == "draft"


def test_member_cannot_open(client):
    """A member who is not chair cannot put the motion (403)."""
    w = build()
    login(client, w.c1.holder)
    r = client.post(reverse("meetings:decisions-open", args=[w.motion.pk]))
    assert r.status_code == 403


def test_show_of_hands_form(client):
    """The secretary records a seat's vote from the panel."""
    w = build()
    motion_open(motion=w.motion, by=w.secretary)
    login(client, w.secretary)
    r = client.post(
        reverse("meetings:decisions-show-of-hands", args=[w.motion.pk]),
        {"seat": w.h2.pk, "choice": "abstain"},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200
    vote = Vote.objects.get(seat=w.h2)
    assert vote.choice == "abstain" and vote.recorded_by_secretary


def test_item_decision_partial_include():
    """The partial the meeting page includes renders with only ``item`` and polls
    its panel."""
    w = build()
    html = render_to_string(
        "meetings/decisions/partials/item_decision.html", {"item": w.item}
    )
    assert f'id="decision-{w.item.pk}"' in html
    assert reverse("meetings:decisions-item", args=[w.item.pk]) in html
    other = AgendaItemFactory(meeting=w.meeting)
    assert "Motion" not in render_to_string(
        "meetings/decisions/partials/item_decision.html", {"item": other}
    )


def test_position_form(client):
    """A partner's voting member records a written position before the meeting;
    after the start the form shows the refusal."""
    w = build(started=False)
    login(client, w.h1.holder)
    page = reverse("meetings:decisions-position", args=[w.item.pk])
    assert client.get(page).status_code == 200
    r = client.post(page, {"partner": w.ccg.pk, "position": "support", "text": "Yes"})
    assert r.status_code == 302
    assert WrittenPosition.objects.get().position == "support"
    w.meeting.status = "in_progress"
    w.meeting.save()
    r = client.post(page, {"partner": w.ccg.pk, "position": "oppose", "text": "No"})
    assert r.status_code == 200 and b"must be given before the" in r.content
    assert b"No" in r.content  # nothing lost


def _escalate(w):
    motion_open(motion=w.motion, by=w.secretary)
    for seat in w.voting:
        vote_cast(motion=w.motion, seat=seat, choice="for", by=seat.holder)
    motion_close(motion=w.motion, by=w.secretary)
    return escalation_open(motion=w.motion, path="dispute_resolution")


def test_escalations_page_and_resolve(client):
    """Open escalations are listed (page and dashboard panel) until resolved."""
    w = build()
    esc = _escalate(w)
    login(client, w.secretary)
    page = client.get(reverse("meetings:decisions-escalations"))
    assert w.item.title in page.content.decode()
    assert b"Record as resolved" in page.content
    dash = client.get(reverse("dashboard"))
    assert b"Open escalations" in dash.content
    client.post(
        reverse("meetings:decisions-escalation-resolve", args=[esc.pk]),
        {"resolution": "Settled by the chief executives", "agreed": "yes"},
    )
    esc.refresh_from_db()
    assert esc.status == Escalation.Status.RESOLVED and esc.agreed is True
    assert (
        w.item.title
        not in client.get(reverse("meetings:decisions-escalations")).content.decode()
    )


def test_auditor_reads_but_cannot_resolve(client):
    """Auditors see escalations but change nothing."""
    w = build()
    esc = _escalate(w)
    login(client, UserFactory(role=Role.AUDITOR))
    page = client.get(reverse("meetings:decisions-escalations"))
    assert page.status_code == 200 and b"Record as resolved" not in page.content
    r = client.post(
        reverse("meetings:decisions-escalation-resolve", args=[esc.pk]),
        {"resolution": "x", "agreed": "yes"},
    )
    assert r.status_code == 403


def _closed_motions(w, n):
    for i in range(n):
        item = AgendaItemFactory(meeting=w.meeting, kind="decision", title=f"Item {i}")
        m = Motion.objects.create(item=item, text=f"Motion {i}")
        m.commits.set([w.council, w.ccg])
        motion_open(motion=m, by=w.secretary)
        for seat in w.voting:
            vote_cast(motion=m, seat=seat, choice="for", by=seat.holder)
        motion_close(motion=m, by=w.secretary)


def test_board_decision_log_filters_and_constant_queries(
    client, django_assert_max_num_queries
):
    """The board's decision log filters by outcome, date and text, and its query
    count does not grow with rows."""
    w = build()
    _closed_motions(w, 2)
    login(client, w.secretary)
    log = reverse("meetings:decisions-board-log", args=[w.board.pk])
    # session+user, board (+secretary check), count, rows, commits prefetch,
    # referral targets; a little room for middleware.
    with django_assert_max_num_queries(12) as small:
        assert client.get(log).status_code == 200
    _closed_motions(w, 6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        r = client.get(log)
    assert r.content.count(b"carried unanimously") == 8
    print(f"board decision log queries: {len(small)} with 2 rows, 8 rows the same")
    r = client.get(log, {"q": "Motion 3"})
    assert r.content.count(b"carried unanimously") == 1
    r = client.get(log, {"outcome": "referred"})
    assert b"No decisions match" in r.content
    r = client.get(log, {"date_from": "2000-01-01", "date_to": "2999-01-01"})
    assert r.content.count(b"carried unanimously") == 8


def test_the_decision_log_counts_each_motions_votes_by_choice(client):
    """Votes (for/against/abstain) on each row are that motion's own, counted for
    the rows of the page alone."""
    w = build()
    _closed_motions(w, 1)  # every seat for
    item = AgendaItemFactory(meeting=w.meeting, kind="decision", title="Split")
    split = Motion.objects.create(item=item, text="Split vote")
    motion_open(motion=split, by=w.secretary)
    choices = ["against", "abstain"] + ["for"] * len(w.voting)
    for seat, choice in zip(w.voting, choices, strict=False):
        vote_cast(motion=split, seat=seat, choice=choice, by=seat.holder)
    motion_close(motion=split, by=w.secretary)
    login(client, w.secretary)
    r = client.get(reverse("meetings:decisions-board-log", args=[w.board.pk]))
    rows = r.content.decode().split("<tr>")
    n = len(w.voting)
    assert any("Split vote" in row and f"{n - 2} / 1 / 1" in row for row in rows)
    assert any("Motion 0" in row and f"{n} / 0 / 0" in row for row in rows)


def test_meeting_decision_log(client):
    """Each meeting has its own decision log."""
    w = build()
    _closed_motions(w, 1)
    login(client, w.c1.holder)
    r = client.get(reverse("meetings:decisions-meeting-log", args=[w.meeting.pk]))
    assert r.status_code == 200 and b"Motion 0" in r.content


def test_dashboard_shows_motion_open_for_vote(client):
    """A member sees motions open for their vote on the dashboard."""
    w = build()
    motion_open(motion=w.motion, by=w.secretary)
    login(client, w.c1.holder)
    r = client.get(reverse("dashboard"))
    assert b"Open for your vote" in r.content


def test_chair_election_page(client):
    """The secretary records an elected chair; without unanimity it is refused."""
    w = build(chair_arrangement="elected")
    login(client, w.secretary)
    page = reverse("meetings:decisions-chair-election", args=[w.meeting.pk])
    assert client.get(page).status_code == 200
    r = client.post(page, {"seat": w.c1.pk})
    assert b"unanimous agreement" in r.content
    r = client.post(page, {"seat": w.c1.pk, "unanimous": "on"})
    assert r.status_code == 302


def test_live_panel_query_count_does_not_grow_with_votes(
    client, django_assert_max_num_queries
):
    """The panel is polled every few seconds by everyone running the meeting: its
    query count is the same with no votes and with every seat voted."""
    w = build()
    motion_open(motion=w.motion, by=w.secretary)
    login(client, w.secretary)
    panel_url = reverse("meetings:decisions-item", args=[w.item.pk])
    live = {"part": "live", "status": "open"}
    client.get(panel_url, live)  # warm the session
    with django_assert_max_num_queries(20) as empty:
        client.get(panel_url, live)
    for seat in w.voting:
        vote_cast(motion=w.motion, seat=seat, choice="for", by=seat.holder)
    with django_assert_max_num_queries(len(empty.captured_queries)) as full:
        r = client.get(panel_url, live)
    assert b"Votes cast: 4 of 4" in r.content
    print(f"live panel queries: {len(empty)} empty, {len(full)} with 4 votes")


def _closed_motion(item, text):
    return Motion.objects.create(
        item=item,
        text=text,
        status=Motion.Status.CLOSED,
        outcome="carried",
        closed_at=timezone.now(),
    )


def test_guest_sees_only_invited_non_confidential_decisions(client):
    """A guest's meeting decision log lists only the items they are invited to, and
    never a confidential one; a member sees every decision."""
    w = build()
    Motion.objects.filter(pk=w.motion.pk).update(
        status=Motion.Status.CLOSED, outcome="carried", closed_at=timezone.now()
    )
    secret = AgendaItemFactory(
        meeting=w.meeting,
        kind=AgendaItem.Kind.DECISION,
        title="Exempt contract award",
        confidential=True,
    )
    _closed_motion(secret, "That the contract is awarded.")
    other = AgendaItemFactory(
        meeting=w.meeting, kind=AgendaItem.Kind.DECISION, title="Uninvited item"
    )
    _closed_motion(other, "That the other thing is done.")
    guest = UserFactory()
    w.c1.is_chair = True
    w.c1.save()
    guest_invite(
        meeting=w.meeting,
        name="Visiting officer",
        items=[w.item, secret],
        by=w.c1.holder,
        user=guest,
        approved=True,
    )
    url = reverse("meetings:decisions-meeting-log", args=[w.meeting.pk])
    client.force_login(guest)
    html = client.get(url).content.decode()
    assert w.item.title in html
    assert "Exempt contract award" not in html
    assert "Uninvited item" not in html
    client.force_login(w.c1.holder)
    html = client.get(url).content.decode()
    assert all(
        t in html for t in (w.item.title, "Exempt contract award", "Uninvited item")
    )


@pytest.mark.parametrize(
    "target", ["https://evil.example/phish", "//evil.example/", "javascript:alert(1)"]
)
def test_decision_panel_next_never_leaves_the_site(client, target):
    """An off-site ``next`` is ignored: the action returns to the meeting page."""
    w = build()
    client.force_login(w.secretary)
    r = client.post(
        reverse("meetings:decisions-open", args=[w.motion.pk]), {"next": target}
    )
    assert r.status_code == 302
    assert r["Location"] == w.meeting.get_absolute_url()


def test_decision_panel_next_on_site_is_kept(client):
    """A local ``next`` is still honoured."""
    w = build()
    client.force_login(w.secretary)
    r = client.post(
        reverse("meetings:decisions-open", args=[w.motion.pk]), {"next": "/boards/"}
    )
    assert r["Location"] == "/boards/"


@pytest.mark.parametrize(
    ("name", "field", "who"),
    [
        ("meetings:decisions-vote", "seat", "member"),
        ("meetings:decisions-show-of-hands", "seat", "secretary"),
        ("meetings:decisions-consult-board", "board", "secretary"),
    ],
)
def test_non_numeric_posted_id_is_400(client, name, field, who):
    """seat=abc / board=abc answers 400, never 500."""
    w = build(started=False)
    if name != "meetings:decisions-consult-board":
        motion_open(motion=w.motion, by=w.secretary)
    client.force_login(w.secretary if who == "secretary" else w.c1.holder)
    r = client.post(reverse(name, args=[w.motion.pk]), {field: "abc", "choice": "for"})
    assert r.status_code == 400


def test_former_member_sees_no_escalations_or_open_motions():
    """A seat made inactive no longer shows its holder the board's escalations or
    its open motions; an active member still sees them."""
    w = build()
    motion_open(motion=w.motion, by=w.secretary)
    for seat in w.voting:
        vote_cast(motion=w.motion, seat=seat, choice="for", by=seat.holder)
    other = AgendaItemFactory(meeting=w.meeting, kind=AgendaItem.Kind.DECISION)
    still_open = Motion.objects.create(item=other, text="That something else.")
    motion_open(motion=still_open, by=w.secretary)
    motion_close(motion=w.motion, by=w.secretary)
    escalation_open(motion=w.motion, path="dispute_resolution")
    w.c1.active = False
    w.c1.save()
    assert not selectors.escalations_for(w.c1.holder).exists()
    assert not selectors.open_motions_for(w.c1.holder).exists()
    assert selectors.escalations_for(w.c2.holder).count() == 1
    assert list(selectors.open_motions_for(w.c2.holder)) == [still_open]
