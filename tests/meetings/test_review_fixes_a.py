"""Review fixes (batch a): each test fails without its fix.

1. A meeting does not end while a motion is open; no vote after the meeting ends.
2. A guest's meeting decision log shows only their non-confidential items.
3. A deputy notified on the meeting day does not count.
4. The decision panel's ``next`` is never an off-site redirect.
5. Non-numeric posted ids answer 400, never 500.
6. Former members (inactive seats) see no escalations or open motions.
7. The escalations API accepts status open/resolved/all, 400 otherwise.
8. The attendance API's ``counts`` is the quorum engine's rule.
9. "Today" is the local date (Europe/London), not the server's.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.exceptions import RuleViolation
from governance.models import Role
from meetings.api import meetings as api_meetings
from meetings.models import AgendaItem, Attendance, Meeting, Motion, Vote
from meetings.selectors import decisions as selectors
from meetings.selectors import minutes as minutes_selectors
from meetings.services.attendance import attendance_record, deputy_will_attend
from meetings.services.escalations import escalation_open
from meetings.services.guests import guest_invite
from meetings.services.lifecycle import (
    meeting_cancel,
    meeting_close,
    meeting_declare_inquorate,
)
from meetings.services.motions import motion_close, motion_open, motion_withdraw
from meetings.services.votes import vote_cast
from tests.governance.factories import UserFactory
from tests.meetings import builders
from tests.meetings.decisions_world import build
from tests.meetings.factories import AgendaItemFactory

pytestmark = pytest.mark.django_db


# --- 1. open motions and finished meetings -------------------------------------


def test_meeting_close_refused_while_a_motion_is_open():
    """Closing a meeting with a motion open for votes is refused (rule open_motions),
    naming the motion; once it is withdrawn the meeting closes."""
    w = build()
    motion_open(motion=w.motion, by=w.secretary)
    with pytest.raises(RuleViolation) as refusal:
        meeting_close(meeting=w.meeting, by=w.secretary)
    assert refusal.value.rule == "open_motions"
    assert "close or withdraw the open motions first" in refusal.value.message
    assert w.item.title in refusal.value.message
    w.meeting.refresh_from_db()
    assert w.meeting.status == Meeting.Status.IN_PROGRESS
    motion_withdraw(motion=w.motion, by=w.secretary)
    meeting_close(meeting=w.meeting, by=w.secretary)
    w.meeting.refresh_from_db()
    assert w.meeting.status == Meeting.Status.CLOSED


def test_meeting_cancel_refused_while_a_motion_is_open():
    """A scheduled meeting with an open motion cannot be cancelled."""
    w = build(started=False)
    motion_open(motion=w.motion, by=w.secretary)
    with pytest.raises(RuleViolation) as refusal:
        meeting_cancel(meeting=w.meeting, by=w.secretary)
    assert refusal.value.rule == "open_motions"


def test_meeting_declare_inquorate_refused_while_a_motion_is_open():
    """An inquorate meeting with an open motion: the motion is dealt with first."""
    w = build(attend=False)
    motion_open(motion=w.motion, by=w.secretary)
    with pytest.raises(RuleViolation) as refusal:
        meeting_declare_inquorate(meeting=w.meeting, by=w.secretary)
    assert refusal.value.rule == "open_motions"


@pytest.mark.parametrize(
    "status",
    [Meeting.Status.CLOSED, Meeting.Status.CANCELLED, Meeting.Status.INQUORATE],
)
def test_vote_cast_refused_once_the_meeting_is_over(status):
    """A motion left open on a finished meeting takes no vote (rule meeting_status)."""
    w = build()
    motion_open(motion=w.motion, by=w.secretary)
    Meeting.objects.filter(pk=w.meeting.pk).update(status=status)
    with pytest.raises(RuleViolation) as refusal:
        vote_cast(motion=w.motion, seat=w.c1, choice="for", by=w.c1.holder)
    assert refusal.value.rule == "meeting_status"
    assert not Vote.objects.exists()


# --- 2. the meeting decision log for guests --------------------------------------


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
    guest_invite(
        meeting=w.meeting,
        name="Visiting officer",
        items=[w.item, secret],
        by=w.secretary,
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


# --- 3. deputy notified on the meeting day ----------------------------------------


def test_deputy_notified_on_the_meeting_day_does_not_count():
    """A seat's notice dated the meeting day may have come during the meeting: the
    deputy does not count. "My deputy will attend" before the start still counts."""
    b = builders.pmg()
    seat = b.seats[0]
    seat.deputy = UserFactory()
    seat.deputy_notified_on = timezone.localtime(b.meeting.starts_at).date()
    seat.save()
    record = attendance_record(
        meeting=b.meeting, seat=seat, status="deputy", by=b.secretary
    )
    assert not record.deputy_notified
    record = deputy_will_attend(
        meeting=b.meeting,
        seat=seat,
        by=seat.holder,
        now=b.meeting.starts_at - datetime.timedelta(hours=2),
    )
    assert record.deputy_notified


# --- 4. open redirect ----------------------------------------------------------------


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


# --- 5. non-numeric ids ----------------------------------------------------------


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


# --- 6. former members ------------------------------------------------------------


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


# --- 7. escalations API status --------------------------------------------------


def test_escalations_api_status_parameter(api_as):
    """status=open|resolved|all is accepted; anything else is 400 with a message."""
    w = build()
    motion_open(motion=w.motion, by=w.secretary)
    for seat in w.voting:
        vote_cast(motion=w.motion, seat=seat, choice="for", by=seat.holder)
    motion_close(motion=w.motion, by=w.secretary)
    escalation_open(motion=w.motion, path="dispute_resolution")
    client = api_as(w.secretary)
    assert len(client.get("/api/v1/escalations/?status=open").json()) == 1
    assert len(client.get("/api/v1/escalations/?status=all").json()) == 1
    assert client.get("/api/v1/escalations/?status=resolved").json() == []
    bad = client.get("/api/v1/escalations/?status=bogus")
    assert bad.status_code == 400 and "status" in bad.json()


# --- 8. counts from the quorum engine ------------------------------------------------


@pytest.mark.parametrize(
    ("status", "notified", "left", "counts"),
    [
        ("present", False, False, True),
        ("present", False, True, False),
        ("deputy", True, False, True),
        ("deputy", False, False, False),
        ("apologies", False, False, False),
    ],
)
def test_attendance_counts_is_the_quorum_engines_rule(
    monkeypatch, status, notified, left, counts
):
    """``counts`` comes from boards.quorum.represented_at (now, as recorded)."""
    calls = []
    real = api_meetings.represented_at

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(api_meetings, "represented_at", spy)
    w = build(attend=False)
    record = Attendance.objects.create(
        meeting=w.meeting,
        seat=w.h1,
        status=status,
        deputy_notified=notified,
        left_at=timezone.now() if left else None,
    )
    assert api_meetings.AttendanceOutSerializer(record).data["counts"] is counts
    assert calls and calls[0]["at"] is None


# --- 9. local date --------------------------------------------------------------------


def test_minutes_dates_are_local(monkeypatch, client, auditor):
    """The minutes audit page and the deadlines panel use timezone.localdate()."""
    day = datetime.date(2031, 3, 30)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)
    client.force_login(auditor)
    html = client.get(reverse("meetings:minutes_audit")).content.decode()
    assert 'value="2031-03-30"' in html
    secretary = UserFactory(role=Role.SECRETARY)
    board = build().board
    board.secretaries.add(secretary)
    panels = minutes_selectors.dashboard_panels(secretary)
    assert panels and panels[0]["today"] == day
