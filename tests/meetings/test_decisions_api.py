"""The decisions part of the API contract (SPEC s.8): positions, open, votes, close,
withdraw; bodies, status codes and 409 refusals naming the rule. Every outcome of
the closed set is reached through the API."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from boards.models import Board
from governance.outbox import outbox_relay
from meetings.models import AgendaItem, Attendance, Declaration, Meeting
from meetings.services.escalations import escalation_open
from meetings.services.motions import motion_close, motion_open
from meetings.services.votes import vote_cast
from tests.boards.factories import BoardFactory
from tests.governance.factories import UserFactory
from tests.meetings.decisions_world import attend, build, next_meeting

pytestmark = pytest.mark.django_db


def url(kind, pk, action=""):
    return f"/api/v1/{kind}/{pk}/{action + '/' if action else ''}"


def open_and_vote(api_as, w, choices=None, seats=None):
    choices = choices or {}
    assert (
        api_as(w.secretary).post(url("motions", w.motion.pk, "open")).status_code == 200
    )
    for seat in seats or w.voting:
        r = api_as(seat.holder).post(
            url("motions", w.motion.pk, "votes"),
            {"seat": seat.pk, "choice": choices.get(seat.pk, "for")},
            format="json",
        )
        assert r.status_code == 201, r.content


def close(api_as, w, motion=None):
    r = api_as(w.secretary).post(url("motions", (motion or w.motion).pk, "close"))
    assert r.status_code == 200, r.content
    return r.json()


def test_position_created_201_with_id(api_as):
    """POST /items/{id}/positions/ -> 201 with the position and its id."""
    w = build(started=False)
    r = api_as(w.h1.holder).post(
        url("items", w.item.pk, "positions"),
        {"partner": w.ccg.pk, "position": "support", "text": "We agree"},
        format="json",
    )
    assert r.status_code == 201
    body = r.json()
    assert body["id"] and body["partner"] == w.ccg.pk and body["position"] == "support"


def test_position_after_start_409(api_as):
    """A written position after the meeting started is refused with 409 and the
    rule (Portsmouth PMG ToR 4.4)."""
    w = build(started=True)
    r = api_as(w.h1.holder).post(
        url("items", w.item.pk, "positions"),
        {"partner": w.ccg.pk, "position": "oppose", "text": ""},
        format="json",
    )
    assert r.status_code == 409
    assert r.json()["rule"] == "position_after_start" and r.json()["detail"]


def test_position_bad_value_400(api_as):
    """A position outside support/oppose/abstain is a 400 with the field."""
    w = build(started=False)
    r = api_as(w.h1.holder).post(
        url("items", w.item.pk, "positions"),
        {"partner": w.ccg.pk, "position": "maybe"},
        format="json",
    )
    assert r.status_code == 400 and "position" in r.json()


def test_open_requires_secretary_or_chair(api_as):
    """Only the secretary or chair opens a motion: a member gets 403."""
    w = build()
    assert (
        api_as(w.c1.holder).post(url("motions", w.motion.pk, "open")).status_code == 403
    )
    r = api_as(w.secretary).post(url("motions", w.motion.pk, "open"))
    assert r.status_code == 200 and r.json()["status"] == "open"


def test_open_without_consultation_409(api_as):
    """Prior consultation missing: open refused with 409 rule prior_consultation;
    after POST /consultation/ the motion opens."""
    w = build()
    ie = BoardFactory(name="Integration Executive")
    r = api_as(w.secretary).post(
        url("motions", w.motion.pk, "consult-board"), {"board": ie.pk}, format="json"
    )
    assert r.status_code == 200 and r.json()["consult_board"] == ie.pk
    r = api_as(w.secretary).post(url("motions", w.motion.pk, "open"))
    assert r.status_code == 409 and r.json()["rule"] == "prior_consultation"
    assert "Integration Executive" in r.json()["detail"]
    r = api_as(w.secretary).post(
        url("motions", w.motion.pk, "consultation"),
        {"note": "IE agreed"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["consultation_recorded_at"]
    assert (
        api_as(w.secretary).post(url("motions", w.motion.pk, "open")).status_code == 200
    )


def test_vote_201_and_change_updates_same_row(api_as):
    """POST /motions/{id}/votes/ -> 201 with the vote; voting again changes the same
    row until close."""
    w = build()
    api_as(w.secretary).post(url("motions", w.motion.pk, "open"))
    client = api_as(w.c1.holder)
    first = client.post(
        url("motions", w.motion.pk, "votes"),
        {"seat": w.c1.pk, "choice": "for"},
        format="json",
    )
    second = client.post(
        url("motions", w.motion.pk, "votes"),
        {"seat": w.c1.pk, "choice": "against"},
        format="json",
    )
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert second.json()["choice"] == "against"
    votes = client.get(url("motions", w.motion.pk, "votes")).json()
    assert votes["count"] == 1 and len(votes["results"]) == 1


@pytest.mark.parametrize(
    ("setup", "voter", "seat", "rule"),
    [
        ("none", "nv", "nv", "non_voting_seat"),
        ("withdrew", "c2", "c2", "withdrew_for_interest"),
        ("un_notified", "h1_deputy", "h1", "deputy_not_notified"),
        ("none", "h1_deputy", "h1", "holder_present"),
        ("none", "h2", "c1", "not_your_seat"),
        ("apologies", "c1", "c1", "seat_not_represented"),
    ],
)
def test_vote_refusals_409_with_reason(api_as, setup, voter, seat, rule):
    """Non-voting seats, members who withdrew for an interest, un-notified deputies,
    deputies of a present holder and other people's seats are refused with 409 and
    the reason."""
    w = build()
    if setup == "withdrew":
        Declaration.objects.create(
            item=w.item, seat=w.c2, person=w.c2.holder, interest="x", withdrew=True
        )
    if setup == "un_notified":
        attend(w, w.h1, "deputy", notified=False)
    if setup == "apologies":
        attend(w, w.c1, "apologies")
    api_as(w.secretary).post(url("motions", w.motion.pk, "open"))
    user = w.h1.deputy if voter == "h1_deputy" else getattr(w, voter).holder
    r = api_as(user).post(
        url("motions", w.motion.pk, "votes"),
        {"seat": getattr(w, seat).pk, "choice": "for"},
        format="json",
    )
    assert r.status_code == 409, r.content
    assert r.json()["rule"] == rule and r.json()["detail"]


def test_guest_cannot_vote(api_as):
    """A guest invited to the item is refused (409 guest_cannot_vote)."""
    from meetings.models import Guest

    w = build()
    guest_user = UserFactory()
    guest = Guest.objects.create(
        meeting=w.meeting, name="Guest", user=guest_user, approved_at=timezone.now()
    )
    guest.items.add(w.item)
    api_as(w.secretary).post(url("motions", w.motion.pk, "open"))
    r = api_as(guest_user).post(
        url("motions", w.motion.pk, "votes"),
        {"seat": w.c1.pk, "choice": "for"},
        format="json",
    )
    assert r.status_code == 409 and r.json()["rule"] == "guest_cannot_vote"


def test_stranger_403(api_as):
    """Someone with no standing on the board cannot even see the motion."""
    w = build()
    r = api_as(UserFactory()).post(
        url("motions", w.motion.pk, "votes"),
        {"seat": w.c1.pk, "choice": "for"},
        format="json",
    )
    assert r.status_code == 403


def test_vote_after_close_409(api_as):
    """Anyone after the motion closed is refused."""
    w = build()
    open_and_vote(api_as, w)
    close(api_as, w)
    r = api_as(w.c1.holder).post(
        url("motions", w.motion.pk, "votes"),
        {"seat": w.c1.pk, "choice": "against"},
        format="json",
    )
    assert r.status_code == 409 and r.json()["rule"] == "motion_closed"


def test_secretary_show_of_hands_and_notified_deputy(api_as):
    """The secretary records any seat's vote; a notified deputy votes for an absent
    holder."""
    w = build()
    attend(w, w.h1, "deputy", notified=True)
    api_as(w.secretary).post(url("motions", w.motion.pk, "open"))
    r = api_as(w.secretary).post(
        url("motions", w.motion.pk, "votes"),
        {"seat": w.c1.pk, "choice": "for"},
        format="json",
    )
    assert r.status_code == 201 and r.json()["recorded_by_secretary"] is True
    r = api_as(w.h1.deputy).post(
        url("motions", w.motion.pk, "votes"),
        {"seat": w.h1.pk, "choice": "for"},
        format="json",
    )
    assert r.status_code == 201 and r.json()["recorded_by_secretary"] is False


# --- every outcome through the API ----------------------------------------------------


def test_close_carried_body(api_as):
    """close -> {outcome, referred_to_item, escalation} (carried)."""
    w = build()
    open_and_vote(api_as, w)
    body = close(api_as, w)
    assert body["outcome"] == "carried"
    assert body["referred_to_item"] is None and body["escalation"] is None
    assert body["quorum"]["quorate"] is True and body["tally"]["for"] == 4


def test_close_referred_item_on_next_agenda(api_as):
    """Referred: the new item really appears on the next meeting's agenda and
    GET /items/{id}/ names the item it came from."""
    w = build()
    later = next_meeting(w)
    open_and_vote(api_as, w, {w.h2.pk: "against"})
    body = close(api_as, w)
    assert body["outcome"] == "referred"
    new_id = body["referred_to_item"]
    item = api_as(w.secretary).get(f"/api/v1/items/{new_id}/").json()
    assert item["meeting"] == later.pk
    assert item["referred_from"] == w.item.pk
    assert item["motion"]["status"] == "draft"
    agenda = api_as(w.secretary).get(f"/api/v1/meetings/{later.pk}/items/").json()
    ids = [i["id"] for i in agenda["results"]]
    assert new_id in ids


def _fail_again(api_as, w, first_body):
    item_id = first_body["referred_to_item"]

    item = AgendaItem.objects.get(pk=item_id)
    meeting = item.meeting
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.IN_PROGRESS,
        starts_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    for seat in w.voting:
        Attendance.objects.create(meeting=meeting, seat=seat, status="present")
    motion = item.motion
    assert (
        api_as(w.secretary).post(url("motions", motion.pk, "open")).status_code == 200
    )
    for seat in w.voting:
        api_as(seat.holder).post(
            url("motions", motion.pk, "votes"),
            {"seat": seat.pk, "choice": "abstain" if seat == w.c2 else "for"},
            format="json",
        )
    return close(api_as, w, motion)


def test_second_failure_escalates_dispute_resolution_and_mails(api_as):
    """PMG/West Kent: second failure -> escalated_dispute_resolution with an
    escalation id; the authorised officers really get mail."""
    w = build()
    open_and_vote(api_as, w, {w.h2.pk: "against"})
    body = _fail_again(api_as, w, close(api_as, w))
    assert body["outcome"] == "escalated_dispute_resolution"
    assert body["escalation"]
    mail.outbox.clear()
    outbox_relay()
    assert {m.to[0] for m in mail.outbox} == {o.email for o in w.officers}
    listed = api_as(w.secretary).get("/api/v1/escalations/").json()
    assert [e["id"] for e in listed["results"]] == [body["escalation"]]


def test_ifpg_second_failure_to_authorised_officers_then_dispute(api_as):
    """IFPG: escalated_authorised_officers; resolving without agreement opens the
    dispute resolution step."""
    w = build(escalation=Board.Escalation.AUTHORISED_OFFICERS)
    open_and_vote(api_as, w, {w.h2.pk: "against"})
    body = _fail_again(api_as, w, close(api_as, w))
    assert body["outcome"] == "escalated_authorised_officers"
    r = api_as(w.secretary).post(
        f"/api/v1/escalations/{body['escalation']}/resolve/",
        {"resolution": "Officers could not agree", "agreed": False},
        format="json",
    )
    assert r.status_code == 200
    assert r.json()["escalation"]["status"] == "resolved"
    assert r.json()["next_escalation"]["path"] == "dispute_resolution"
    r = api_as(w.c1.holder).post(
        f"/api/v1/escalations/{body['escalation']}/resolve/",
        {"resolution": "x", "agreed": True},
        format="json",
    )
    assert r.status_code == 403


def test_deferred_delegated_authority(api_as):
    """Delegated authority exceeded (Portsmouth 5.2): deferred, item carried."""
    w = build()
    w.c1.delegated_authority_limit = Decimal("1000")
    w.c1.save()
    w.motion.financial_value = Decimal("5000")
    w.motion.save()
    open_and_vote(api_as, w)
    body = close(api_as, w)
    assert body["outcome"] == "deferred_delegated_authority"
    assert body["referred_to_item"]


def test_deferred_absent_partner(api_as):
    """Absent committed partner without a written position: deferred."""
    w = build()
    w.board.quorum_rules.update(min_voting_per_partner=0)
    attend(w, w.h1, "apologies")
    attend(w, w.h2, "apologies")
    open_and_vote(api_as, w, seats=[w.c1, w.c2])
    assert close(api_as, w)["outcome"] == "deferred_absent_partner"


def test_inquorate(api_as):
    """Inquorate at the moment of the vote: outcome inquorate with the unmet rule."""
    w = build()
    open_and_vote(api_as, w)
    Attendance.objects.filter(meeting=w.meeting, seat__partner=w.ccg).update(
        left_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    body = close(api_as, w)
    assert body["outcome"] == "inquorate"
    assert body["quorum"]["quorate"] is False and body["quorum"]["unmet"]


def test_withdrawn(api_as):
    """The withdraw action closes the motion with outcome withdrawn."""
    w = build()
    r = api_as(w.secretary).post(
        url("motions", w.motion.pk, "withdraw"), {"reason": "Not ready"}, format="json"
    )
    assert r.status_code == 200 and r.json()["outcome"] == "withdrawn"
    r = api_as(w.secretary).post(url("motions", w.motion.pk, "close"))
    assert r.status_code == 409 and r.json()["rule"] == "motion_status"


def test_board_decision_log_filters(api_as):
    """GET /boards/{id}/decisions/ filters by outcome."""
    w = build()
    open_and_vote(api_as, w)
    close(api_as, w)
    client = api_as(w.secretary)
    assert client.get(f"/api/v1/boards/{w.board.pk}/decisions/").json()["count"] == 1
    none = client.get(f"/api/v1/boards/{w.board.pk}/decisions/?outcome=referred").json()
    assert (none["count"], none["results"]) == (0, [])
    bad = client.get(f"/api/v1/boards/{w.board.pk}/decisions/?from=notadate")
    assert bad.status_code == 400


def test_chair_election_api(api_as):
    """POST /meetings/{id}/chair-election/ records the chair elected unanimously."""
    w = build(chair_arrangement=Board.ChairArrangement.ELECTED)
    r = api_as(w.secretary).post(
        f"/api/v1/meetings/{w.meeting.pk}/chair-election/",
        {"seat": w.c1.pk, "unanimous": False},
        format="json",
    )
    assert r.status_code == 409 and r.json()["rule"] == "chair_unanimous"
    r = api_as(w.secretary).post(
        f"/api/v1/meetings/{w.meeting.pk}/chair-election/",
        {"seat": w.c1.pk, "unanimous": True},
        format="json",
    )
    assert r.status_code == 201 and r.json()["seat"] == w.c1.pk


def test_escalations_api_status_parameter(api_as):
    """status=open|resolved|all is accepted; anything else is 400 with a message."""
    w = build()
    motion_open(motion=w.motion, by=w.secretary)
    for seat in w.voting:
        vote_cast(motion=w.motion, seat=seat, choice="for", by=seat.holder)
    motion_close(motion=w.motion, by=w.secretary)
    escalation_open(motion=w.motion, path="dispute_resolution")
    client = api_as(w.secretary)
    assert client.get("/api/v1/escalations/?status=open").json()["count"] == 1
    assert client.get("/api/v1/escalations/?status=all").json()["count"] == 1
    assert client.get("/api/v1/escalations/?status=resolved").json()["results"] == []
    bad = client.get("/api/v1/escalations/?status=bogus")
    assert bad.status_code == 400 and "status" in bad.json()


# --- each board under its own rules (SPEC s.1, s.4; issue 11) -------------------------


def test_a_board_without_the_absent_partner_rule_decides_with_a_partner_absent(api_as):
    """The IE's terms carry no absent-partner rule (it is PMG 4.4 and West Kent
    3.4): with every CCG seat sending apologies and no written position, a consensus
    board still decides; an abstention does not block."""
    w = build(absent_partner_rule=False, decision_rule="consensus")
    w.board.quorum_rules.update(min_voting_per_partner=0)
    attend(w, w.h1, "apologies")
    attend(w, w.h2, "apologies")
    open_and_vote(api_as, w, {w.c2.pk: "abstain"}, seats=[w.c1, w.c2])
    body = close(api_as, w)
    assert body["outcome"] == "carried" and body["escalation"] is None
    assert body["tally"]["abstain"] == 1


def test_consensus_failure_is_referred_and_never_escalated(api_as):
    """Consensus (IE, JCG: no decision rule stated, local practice): a member present
    objecting refers the item to the next meeting, and on the second occasion it is
    referred again, never escalated under an s75 dispute procedure."""
    w = build(decision_rule="consensus", escalation="dispute_resolution")
    later = next_meeting(w)
    open_and_vote(api_as, w, {w.h2.pk: "against"})
    body = close(api_as, w)
    assert body["outcome"] == "referred" and body["escalation"] is None
    item = AgendaItem.objects.get(pk=body["referred_to_item"])
    assert item.meeting == later
    attend_all = [w.c1, w.c2, w.nv, w.h1, w.h2]
    for seat in attend_all:
        Attendance.objects.update_or_create(
            meeting=later,
            seat=seat,
            defaults={"status": "present", "attendee": seat.holder},
        )
    Meeting.objects.filter(pk=later.pk).update(
        status="in_progress", started_at=timezone.now()
    )
    w.motion = item.motion
    open_and_vote(api_as, w, {w.h2.pk: "against"})
    again = close(api_as, w)
    assert again["outcome"] == "referred" and again["escalation"] is None


def test_an_advisory_board_agrees_a_recommendation_with_no_voting_seat(api_as):
    """The West Kent SLG (advisory, every seat non-voting): every member present
    takes part, so a recommendation is agreed by consensus and the motion answer
    carries recommendation: true; an objection sends it back (referred), never
    deferred or escalated."""
    w = build(decision_making=False, absent_partner_rule=False)
    w.board.seats.update(voting=False, delegated_authority_limit=None)
    w.board.quorum_rules.update(min_voting_per_partner=0, min_any_per_partner=1)
    seats = [w.c1, w.c2, w.nv, w.h1, w.h2]
    open_and_vote(api_as, w, {w.nv.pk: "abstain"}, seats=seats)
    body = close(api_as, w)
    assert body["outcome"] == "carried" and body["recommendation"] is True
    item = api_as(w.secretary).get(url("items", w.item.pk)).json()
    assert item["motion"]["recommendation"] is True
    assert item["motion"]["outcome"] == "carried"

    other = build(decision_making=False, absent_partner_rule=False)
    other.board.seats.update(voting=False)
    other.board.quorum_rules.update(min_voting_per_partner=0, min_any_per_partner=1)
    seats = [other.c1, other.c2, other.nv, other.h1, other.h2]
    open_and_vote(api_as, other, {other.h1.pk: "against"}, seats=seats)
    assert close(api_as, other)["outcome"] == "referred"


def test_a_voting_seat_with_no_limit_has_no_authority(api_as):
    """Portsmouth 5.2 (the delegated-authority rule): a voting seat of a committed
    partner with no limit recorded has no recorded authority, never unlimited: a
    motion with a financial value is deferred. On a board without the rule, the
    same motion is decided."""
    w = build()
    w.h2.delegated_authority_limit = None
    w.h2.save()
    w.motion.financial_value = Decimal("10.00")
    w.motion.save()
    open_and_vote(api_as, w)
    body = close(api_as, w)
    assert body["outcome"] == "deferred_delegated_authority"
    assert "no delegated authority recorded" in " ".join(body["reasons"])

    free = build(delegated_authority_rule=False)
    free.board.seats.update(delegated_authority_limit=None)
    free.motion.financial_value = Decimal("10.00")
    free.motion.save()
    open_and_vote(api_as, free)
    assert close(api_as, free)["outcome"] == "carried"
