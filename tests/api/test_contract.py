"""The API contract, version 1 (SPEC s.8), driven end to end as a partner's system
would drive it: DRF token authentication, the contract's paths, field names and
outcome words exactly, and nothing written through the ORM except what the API does
not cover (tokens, the administrator and finance officer users, and the pooled fund
with its schemes: the API reads funds but does not create them).

Each test builds its own constitution through the API (two partners, people, an
agreement with authorised officers, a unanimous board escalating to the authorised
officers, seats, quorum rules) and then exercises one part of the contract.
"""

import io
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from governance import calendar
from governance.models import Role
from governance.outbox import outbox_relay
from meetings.scheduling import fmt
from pooled_funds.models import PooledFund, Return, Scheme
from tests.governance.factories import UserFactory
from tests.meetings.minutes_scenario import run_circulation_jobs

pytestmark = pytest.mark.django_db

V1 = "/api/v1"

CONTRACT_PATHS = [
    ("post", "/api/v1/partners/"),
    ("post", "/api/v1/people/"),
    ("post", "/api/v1/boards/"),
    ("post", "/api/v1/boards/{id}/seats/"),
    ("post", "/api/v1/boards/{id}/quorum-rules/"),
    ("post", "/api/v1/agreements/{id}/authorised-officers/"),
    ("post", "/api/v1/meetings/"),
    ("post", "/api/v1/meetings/{id}/items/"),
    ("put", "/api/v1/meetings/{id}/attendance/"),
    ("get", "/api/v1/meetings/{id}/quorum/"),
    ("get", "/api/v1/items/{id}/"),
    ("post", "/api/v1/items/{id}/positions/"),
    ("post", "/api/v1/motions/{id}/open/"),
    ("post", "/api/v1/motions/{id}/votes/"),
    ("post", "/api/v1/motions/{id}/close/"),
    ("get", "/api/v1/meetings/{id}/minutes.pdf"),
    ("post", "/api/v1/funds/{id}/returns/"),
    ("get", "/api/v1/funds/{id}/risk-share/"),
]

OUTCOMES = {
    "carried",
    "referred",
    "escalated_authorised_officers",
    "escalated_dispute_resolution",
    "deferred_delegated_authority",
    "deferred_absent_partner",
    "inquorate",
    "withdrawn",
}


class PartnerSystem:
    """A partner's system: one token per person, JSON in and out, and the
    contract's general promises checked on every answer (never a 500; every create
    answers 201 with the object and its integer ``id``)."""

    def __init__(self):
        self.tokens: dict[str, str] = {}

    def login(self, name: str, user) -> None:
        self.tokens[name] = Token.objects.get_or_create(user=user)[0].key

    def client(self, who: str) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {self.tokens[who]}")
        return client

    def call(self, who, method, path, data=None, expect=None, **extra):
        client = self.client(who)
        response = getattr(client, method)(
            f"{V1}{path}", data=data, format="json", **extra
        )
        assert response.status_code < 500, (method, path, response.content[:500])
        if expect is not None:
            body = (
                response.content[:800]
                if response.get("Content-Type", "").startswith("application/pdf")
                else getattr(response, "data", response.content)
            )
            assert response.status_code == expect, (method, path, body)
        return response

    def create(self, who, path, data):
        """A POST that creates: 201 with the created object and its id."""
        response = self.call(who, "post", path, data, expect=201)
        assert isinstance(response.json()["id"], int), response.json()
        return response.json()

    def get(self, who, path, expect=200, **params):
        response = self.call(who, "get", path, params or None, expect=expect)
        return response.json()

    def post(self, who, path, data=None, expect=200):
        return self.call(who, "post", path, data, expect=expect)

    def put(self, who, path, data, expect=200):
        return self.call(who, "put", path, data, expect=expect)


def _at(days: int, hour: int = 10) -> str:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0))).isoformat()


@pytest.fixture
def world(administrator):
    """A constitution built through the API only: partners A (council) and B (CCG),
    holders, deputies, a secretary, an agreement with one authorised officer per
    partner, a unanimous board escalating to the authorised officers, seats and
    quorum rules, and two ordinary meetings."""
    api = PartnerSystem()
    # The documented way to give a system its token (SPEC s.8).
    call_command("drf_create_token", administrator.get_username(), stdout=io.StringIO())
    api.login("admin", administrator)
    w = type("World", (), {})()
    w.api = api

    w.a = api.create(
        "admin",
        "/partners/",
        {"name": "Contract City Council", "kind": "local_authority"},
    )
    w.b = api.create(
        "admin", "/partners/", {"name": "NHS Contract CCG", "kind": "nhs_body"}
    )

    def person(name, email, **extra):
        return api.create("admin", "/people/", {"name": name, "email": email, **extra})

    w.holder_a = person("Alice Holder", "alice@council.example")
    w.deputy_a = person("Dan Deputy", "dan@council.example")
    w.holder_b = person("Bob Holder", "bob@ccg.example")
    w.deputy_b = person("Dora Deputy", "dora@ccg.example")
    w.adviser_b = person("Nia Adviser", "nia@ccg.example")
    w.secretary = person("Sam Secretary", "sam@council.example", role="secretary")
    from governance.models import User

    for key in ("holder_a", "holder_b", "adviser_b", "secretary", "deputy_a"):
        api.login(key, User.objects.get(pk=getattr(w, key)["id"]))

    w.agreement = api.create(
        "admin",
        "/agreements/",
        {
            "name": "Contract s75 agreement",
            "partners": [w.a["id"], w.b["id"]],
            "host_partner": w.a["id"],
            "starts_on": "2015-04-01",
        },
    )
    w.officer_a = api.create(
        "admin",
        f"/agreements/{w.agreement['id']}/authorised-officers/",
        {
            "partner": w.a["id"],
            "name": "Olive Officer",
            "email": "olive@council.example",
        },
    )
    w.officer_b = api.create(
        "admin",
        f"/agreements/{w.agreement['id']}/authorised-officers/",
        {"partner": w.b["id"], "name": "Owen Officer", "email": "owen@ccg.example"},
    )
    assert (w.officer_a["partner"], w.officer_a["email"]) == (
        w.a["id"],
        "olive@council.example",
    )

    w.board = api.create(
        "admin",
        "/boards/",
        {
            "name": "Contract Partnership Management Group",
            "partners": [w.a["id"], w.b["id"]],
            "decision_making": True,
            "decision_rule": "unanimous",
            "minutes_deadline_days": 7,
            "escalation": "authorised_officers",
            "chair_casting_vote": False,
            # A PMG-like board: its terms state these rules (PMG 4.4, 5.2, 4.6); a
            # rule not stated is not applied (SPEC s.1), so they are set here.
            "absent_partner_rule": True,
            "delegated_authority_rule": True,
            "extraordinary_notice_clear_days": 3,
            "agreement": w.agreement["id"],
            "secretaries": [w.secretary["id"]],
        },
    )
    for field, value in {
        "decision_making": True,
        "decision_rule": "unanimous",
        "minutes_deadline_days": 7,
        "escalation": "authorised_officers",
        "chair_casting_vote": False,
        "absent_partner_rule": True,
        "delegated_authority_rule": True,
        "deputising_chair": False,
    }.items():
        assert w.board[field] == value
    assert sorted(w.board["partners"]) == sorted([w.a["id"], w.b["id"]])
    board = w.board["id"]

    w.seat_a = api.create(
        "admin",
        f"/boards/{board}/seats/",
        {
            "title": "Council s151 Officer",
            "partner": w.a["id"],
            "voting": True,
            "categories": ["finance"],
            "holder": w.holder_a["id"],
            "deputy": w.deputy_a["id"],
            "deputy_notified": True,
            "delegated_authority_limit": "100000.00",
            "is_chair": True,
        },
    )
    assert w.seat_a["deputy_notified"] is True
    assert w.seat_a["delegated_authority_limit"] == "100000.00"
    assert w.seat_a["is_chair"] is True
    w.seat_b = api.create(
        "admin",
        f"/boards/{board}/seats/",
        {
            "title": "CCG Chief Finance Officer",
            "partner": w.b["id"],
            "voting": True,
            "categories": ["finance", "clinical"],
            "holder": w.holder_b["id"],
            "deputy": w.deputy_b["id"],
            "deputy_notified": True,
            "delegated_authority_limit": "100000.00",  # none: no authority (PMG 5.2)
            "is_chair": False,
        },
    )
    w.seat_n = api.create(
        "admin",
        f"/boards/{board}/seats/",
        {
            "title": "CCG Commissioning Adviser",
            "partner": w.b["id"],
            "voting": False,
            "categories": ["commissioning_lead"],
            "holder": w.adviser_b["id"],
            "deputy": None,
            "deputy_notified": False,
            "delegated_authority_limit": None,
            "is_chair": False,
        },
    )
    assert w.seat_n["voting"] is False

    rule = api.create(
        "admin",
        f"/boards/{board}/quorum-rules/",
        {
            "business_type": "routine",
            "min_present": 2,
            "min_voting_per_partner": 1,
            "min_any_per_partner": 0,
            "category_minimums": {},
            "per_partner_category_minimums": {},
            "chair_required": False,
        },
    )
    assert rule["min_voting_per_partner"] == 1
    # Pooled fund business may proceed with one member present, so an absent
    # committed partner's case reaches the decision rule (Portsmouth 4.4).
    api.create(
        "admin",
        f"/boards/{board}/quorum-rules/",
        {"business_type": "pooled_fund", "min_present": 1},
    )

    w.meeting = api.create(
        "secretary",
        "/meetings/",
        {"board": board, "kind": "ordinary", "starts_at": _at(10)},
    )
    w.next_meeting = api.create(
        "secretary",
        "/meetings/",
        {"board": board, "kind": "ordinary", "starts_at": _at(40)},
    )
    assert w.meeting["board"] == board and w.meeting["kind"] == "ordinary"
    return w


def _item(
    w, *, meeting=None, title="Approve the BCF plan", business_type="routine", **motion
):
    motion = {"text": f"That the board {title.lower()}.", **motion}
    return w.api.create(
        "secretary",
        f"/meetings/{(meeting or w.meeting)['id']}/items/",
        {"title": title, "business_type": business_type, "motion": motion},
    )


def _attend(w, statuses: dict, meeting=None):
    rows = [{"seat": seat["id"], "status": status} for seat, status in statuses]
    return w.api.put(
        "secretary", f"/meetings/{(meeting or w.meeting)['id']}/attendance/", rows
    ).json()


def _all_present(w, meeting=None):
    return _attend(
        w,
        [(w.seat_a, "present"), (w.seat_b, "present"), (w.seat_n, "present")],
        meeting,
    )


def _vote(w, who, motion_id, seat, choice, expect=201):
    return w.api.post(
        who,
        f"/motions/{motion_id}/votes/",
        {"seat": seat["id"], "choice": choice},
        expect=expect,
    ).json()


def _close(w, motion_id) -> dict:
    body = w.api.post("secretary", f"/motions/{motion_id}/close/").json()
    assert {"outcome", "referred_to_item", "escalation"} <= set(body)
    assert body["outcome"] in OUTCOMES
    return body


def test_item_shape_attendance_quorum_votes_and_carried(world):
    """An item with a motion answers the contract's shape (commits default to every
    partner of the board); quorum is inquorate with the missing partner named, then
    quorate; a member votes for their own seat only, a non-voting seat is refused
    with 409, a second vote changes the first; unanimous `for` closes `carried`."""
    w = world
    item = _item(w, financial_value="50000.00")
    assert {
        "id",
        "meeting",
        "title",
        "business_type",
        "referred_from",
        "motion",
    } <= set(item)
    got = w.api.get("holder_a", f"/items/{item['id']}/")
    assert got == item  # POST answers the item as GET shows it
    assert got["id"] == item["id"] and got["meeting"] == w.meeting["id"]
    assert got["title"] == "Approve the BCF plan" and got["business_type"] == "routine"
    assert got["referred_from"] is None
    motion = got["motion"]
    assert set(motion) == {
        "id",
        "text",
        "financial_value",
        "commits",
        "status",
        "outcome",
        "recommendation",
        "decision_kind",
    }
    assert motion["recommendation"] is False
    assert motion["financial_value"] == "50000.00"
    assert sorted(motion["commits"]) == sorted([w.a["id"], w.b["id"]])
    assert motion["status"] == "draft"

    _attend(w, [(w.seat_a, "present"), (w.seat_b, "apologies")])
    quorum = w.api.get(
        "secretary", f"/meetings/{w.meeting['id']}/quorum/", business_type="routine"
    )
    assert quorum["quorate"] is False
    assert any("NHS Contract CCG" in text for text in quorum["unmet"]), quorum
    _all_present(w)
    quorum = w.api.get(
        "holder_b", f"/meetings/{w.meeting['id']}/quorum/", business_type="routine"
    )
    assert quorum == {**quorum, "quorate": True, "unmet": []}

    m = motion["id"]
    _vote(w, "holder_a", m, w.seat_a, "for", expect=409)  # not yet put to the vote
    opened = w.api.post("secretary", f"/motions/{m}/open/").json()
    assert opened["status"] == "open"
    assert w.api.get("admin", f"/items/{item['id']}/")["motion"]["status"] == "open"

    vote = _vote(w, "holder_a", m, w.seat_a, "for")
    assert isinstance(vote["id"], int) and vote["choice"] == "for"
    refused = w.api.post(
        "adviser_b",
        f"/motions/{m}/votes/",
        {"seat": w.seat_n["id"], "choice": "for"},
        expect=409,
    ).json()
    assert refused["rule"] == "non_voting_seat" and refused["detail"]
    assert (
        w.api.post(
            "holder_a",
            f"/motions/{m}/votes/",
            {"seat": w.seat_b["id"], "choice": "for"},
            expect=409,
        ).json()["rule"]
        == "not_your_seat"
    )
    first = _vote(w, "holder_b", m, w.seat_b, "against")
    second = _vote(w, "holder_b", m, w.seat_b, "for")
    assert second["id"] == first["id"] and second["choice"] == "for"
    assert w.api.post(
        "holder_b",
        f"/motions/{m}/votes/",
        {"seat": w.seat_b["id"], "choice": "maybe"},
        expect=400,
    ).json()["choice"]

    closed = _close(w, m)
    assert closed["outcome"] == "carried"
    assert closed["referred_to_item"] is None and closed["escalation"] is None
    after = w.api.get("holder_a", f"/items/{item['id']}/")["motion"]
    assert (after["status"], after["outcome"]) == ("closed", "carried")
    _vote(w, "holder_b", m, w.seat_b, "against", expect=409)  # never after close
    w.api.post("secretary", f"/motions/{m}/close/", expect=409)


def test_referred_then_escalated_to_authorised_officers(world):
    """Not unanimous the first time: `referred`, and the referred item exists on
    the next meeting with `referred_from` pointing at the first. Not unanimous the
    second time: `escalated_authorised_officers`, and the agreement's authorised
    officers are e-mailed (through the outbox)."""
    w = world
    item = _item(w, title="Redistribute the carers budget")
    m = item["motion"]["id"]
    _all_present(w)
    w.api.post("secretary", f"/motions/{m}/open/")
    _vote(w, "holder_a", m, w.seat_a, "for")
    _vote(w, "holder_b", m, w.seat_b, "against")
    closed = _close(w, m)
    assert closed["outcome"] == "referred"
    assert closed["escalation"] is None
    referred = w.api.get("secretary", f"/items/{closed['referred_to_item']}/")
    assert referred["meeting"] == w.next_meeting["id"]
    assert referred["referred_from"] == item["id"]
    assert referred["title"] == item["title"]
    assert referred["motion"]["status"] == "draft"
    assert referred["motion"]["text"] == item["motion"]["text"]
    assert sorted(referred["motion"]["commits"]) == sorted(item["motion"]["commits"])

    m2 = referred["motion"]["id"]
    # At the next meeting partner A's notified deputy attends in the holder's place
    # and votes for the seat; the holder may not.
    rows = _attend(
        w,
        [(w.seat_a, "deputy"), (w.seat_b, "present"), (w.seat_n, "present")],
        w.next_meeting,
    )
    deputy_row = next(r for r in rows if r["seat"] == w.seat_a["id"])
    assert (deputy_row["status"], deputy_row["attendee"], deputy_row["counts"]) == (
        "deputy",
        w.deputy_a["id"],
        True,
    )
    assert (
        w.api.get("secretary", f"/meetings/{w.next_meeting['id']}/quorum/")["quorate"]
        is True
    )
    w.api.post("secretary", f"/motions/{m2}/open/")
    _vote(w, "holder_a", m2, w.seat_a, "for", expect=409)
    _vote(w, "deputy_a", m2, w.seat_a, "for")
    _vote(w, "holder_b", m2, w.seat_b, "abstain")
    mail.outbox.clear()
    closed = _close(w, m2)
    assert closed["outcome"] == "escalated_authorised_officers"
    assert isinstance(closed["escalation"], int)
    assert closed["referred_to_item"] is None
    outbox_relay()
    recipients = {address for message in mail.outbox for address in message.to}
    assert {"olive@council.example", "owen@ccg.example"} <= recipients


def test_deferred_delegated_authority(world):
    """A financial value above a committed seat's delegated authority limit defers
    the item: `deferred_delegated_authority` (Portsmouth 5.2)."""
    w = world
    item = _item(
        w, title="Commit to the new reablement contract", financial_value="250000.00"
    )
    m = item["motion"]["id"]
    _all_present(w)
    w.api.post("secretary", f"/motions/{m}/open/")
    _vote(w, "holder_a", m, w.seat_a, "for")
    recorded = _vote(w, "secretary", m, w.seat_b, "for")  # show of hands
    assert recorded["recorded_by_secretary"] is True
    closed = _close(w, m)
    assert closed["outcome"] == "deferred_delegated_authority"
    deferred = w.api.get("secretary", f"/items/{closed['referred_to_item']}/")
    assert deferred["referred_from"] == item["id"]


def test_absent_partner_deferred_without_position_carried_with_support(world):
    """A committed partner absent without a written position: the motion cannot be
    carried (`deferred_absent_partner`). The same partner absent but having filed a
    `support` position before the meeting: `carried` (Portsmouth 4.4)."""
    w = world
    silent = _item(w, title="Fund the falls service", business_type="pooled_fund")
    written = _item(w, title="Fund the dementia service", business_type="pooled_fund")
    position = w.api.create(
        "holder_b",
        f"/items/{written['id']}/positions/",
        {"partner": w.b["id"], "position": "support", "text": "The CCG supports this."},
    )
    assert (position["partner"], position["position"]) == (w.b["id"], "support")
    w.api.post(
        "holder_b",
        f"/items/{written['id']}/positions/",
        {"partner": w.b["id"], "position": "perhaps"},
        expect=400,
    )
    w.api.post(
        "holder_a",
        f"/items/{written['id']}/positions/",
        {"partner": w.b["id"], "position": "oppose"},
        expect=403,
    )

    _attend(w, [(w.seat_a, "present"), (w.seat_b, "apologies"), (w.seat_n, "absent")])
    quorum = w.api.get(
        "secretary", f"/meetings/{w.meeting['id']}/quorum/", business_type="pooled_fund"
    )
    assert quorum["quorate"] is True
    outcomes = {}
    for item in (silent, written):
        m = item["motion"]["id"]
        w.api.post("secretary", f"/motions/{m}/open/")
        _vote(w, "holder_a", m, w.seat_a, "for")
        outcomes[item["id"]] = _close(w, m)["outcome"]
    assert outcomes == {
        silent["id"]: "deferred_absent_partner",
        written["id"]: "carried",
    }
    # Too late once the motion is put.
    w.api.post(
        "holder_b",
        f"/items/{silent['id']}/positions/",
        {"partner": w.b["id"], "position": "support"},
        expect=409,
    )


def test_inquorate_and_withdrawn(world):
    """A motion closed while the meeting is inquorate is `inquorate`; a motion
    withdrawn through POST /motions/{id}/withdraw/ is `withdrawn`."""
    w = world
    item = _item(w, title="Agree the winter plan")
    _attend(w, [(w.seat_a, "present"), (w.seat_b, "absent")])
    m = item["motion"]["id"]
    w.api.post("secretary", f"/motions/{m}/open/")
    _vote(w, "holder_a", m, w.seat_a, "for")
    assert _close(w, m)["outcome"] == "inquorate"

    other = _item(w, title="Agree the spring plan")
    body = w.api.post(
        "secretary",
        f"/motions/{other['motion']['id']}/withdraw/",
        {"reason": "Paper not ready"},
    ).json()
    assert body["outcome"] == "withdrawn"
    got = w.api.get("holder_a", f"/items/{other['id']}/")["motion"]
    assert got["outcome"] == "withdrawn"
    # Only the secretary or chair withdraws; once closed, never again.
    w.api.post("holder_b", f"/motions/{other['motion']['id']}/withdraw/", expect=403)
    w.api.post("secretary", f"/motions/{other['motion']['id']}/withdraw/", expect=409)


def test_extraordinary_meeting_with_too_little_notice_names_earliest_date(world):
    """An extraordinary meeting called by a voting member with less than three clear
    days' notice is refused with 409 naming the earliest lawful date (Portsmouth 4.6)."""
    w = world
    response = w.api.post(
        "holder_a",
        "/meetings/",
        {"board": w.board["id"], "kind": "extraordinary", "starts_at": _at(1)},
        expect=409,
    )
    body = response.json()
    earliest = calendar.earliest_meeting_date(
        timezone.localdate(), 3, working_days_only=True
    )
    assert body["rule"] == "extraordinary_notice"
    assert fmt(earliest) in body["detail"]
    lawful = timezone.make_aware(datetime.combine(earliest, time(14, 0))).isoformat()
    created = w.api.create(
        "holder_a",
        "/meetings/",
        {"board": w.board["id"], "kind": "extraordinary", "starts_at": lawful},
    )
    assert created["kind"] == "extraordinary"


def test_minutes_pdf_404_before_circulation_then_pdf(world):
    """GET /meetings/{id}/minutes.pdf is a JSON 404 until minutes are circulated;
    after draft -> approve -> circulate through the minutes API it is the PDF."""
    w = world
    item = _item(w)
    _all_present(w)
    m = item["motion"]["id"]
    meeting = w.meeting["id"]
    w.api.post("secretary", f"/meetings/{meeting}/publish/")
    w.api.post(
        "secretary",
        f"/meetings/{meeting}/start/",
        {"reason": "Brought forward by agreement of the partners."},
    )
    w.api.post("secretary", f"/motions/{m}/open/")
    _vote(w, "holder_a", m, w.seat_a, "for")
    _vote(w, "holder_b", m, w.seat_b, "for")
    assert _close(w, m)["outcome"] == "carried"
    assert (
        w.api.post("secretary", f"/meetings/{meeting}/close/").json()["status"]
        == "closed"
    )

    missing = w.api.call(
        "holder_a",
        "get",
        f"/meetings/{meeting}/minutes.pdf",
        expect=404,
        HTTP_ACCEPT="application/pdf",
    )
    assert missing["Content-Type"].startswith("application/json")
    assert missing.json()["detail"]

    version = w.api.create("secretary", f"/meetings/{meeting}/minutes/", None)
    w.api.post("holder_b", f"/minutes/{version['id']}/approve/", expect=403)
    # Approval is the chair's (SPEC s.1): holder A holds the chair's seat.
    assert (
        w.api.post("holder_a", f"/minutes/{version['id']}/approve/").json()["status"]
        == "approved"
    )
    assert (
        w.api.post("secretary", f"/minutes/{version['id']}/circulate/").json()["status"]
        == "circulated"
    )
    # A worker renders the circulated PDF: until then 409 with Retry-After.
    preparing = w.api.call(
        "holder_a", "get", f"/meetings/{meeting}/minutes.pdf", expect=409
    )
    assert preparing.json()["rule"] == "minutes_pdf_preparing"
    assert preparing["Retry-After"]
    run_circulation_jobs()

    pdf = w.api.call("holder_a", "get", f"/meetings/{meeting}/minutes.pdf", expect=200)
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


@pytest.fixture
def fund(world):
    """The API reads pooled funds but does not create them, so the fund and its
    schemes are made with the ORM (over the API-made agreement and board), with a
    finance officer who has a token."""
    w = world
    officer = UserFactory(role=Role.FINANCE_OFFICER)
    manager = UserFactory(role=Role.FUND_MANAGER)
    fund = PooledFund.objects.create(
        agreement_id=w.agreement["id"],
        board_id=w.board["id"],
        name="Contract BCF pooled fund 2015/16",
        host_partner_id=w.a["id"],
        manager=manager,
        financial_year=2015,
        frequency="quarterly",
        pooled_total=Decimal("3250000.00"),
    )
    fund.finance_officers.set([officer])
    w.scheme_a = Scheme.objects.create(
        fund=fund,
        reference="BCF REF CT001",
        name="Self and informal care",
        lead_partner_id=w.a["id"],
        budget=Decimal("1250000.00"),
    )
    w.scheme_b = Scheme.objects.create(
        fund=fund,
        reference="BCF REF CT002",
        name="Mobile clinical services",
        lead_partner_id=w.b["id"],
        budget=Decimal("2000000.00"),
    )
    w.api.login("finance", officer)
    w.fund = fund
    return w


def _line(scheme, budget, actual, forecast):
    return {
        "scheme": scheme.pk,
        "budget": budget,
        "actual_to_date": actual,
        "forecast_outturn": forecast,
    }


def test_fund_return_and_risk_share(fund):
    """POST /funds/{id}/returns/ creates a return (201 with id); a bad line is a 400
    and saves nothing; GET /funds/{id}/risk-share/?period= gives each partner's
    overspend and underspend as Decimal strings, the lead partner bearing its
    scheme's overspend (Portsmouth 7.2, West Kent 4.1)."""
    w = fund
    path = f"/funds/{w.fund.pk}/returns/"
    created = w.api.create(
        "finance",
        path,
        {
            "period": "2015-Q2",
            "lines": [
                _line(w.scheme_a, "1250000.00", "700000.00", "1312345.67"),
                _line(w.scheme_b, "2000000.00", "900000.00", "1950000.10"),
            ],
        },
    )
    assert created["period"] == "2015-Q2"

    before = Return.objects.count()
    bad = w.api.post(
        "finance",
        path,
        {
            "period": "2015-Q3",
            "lines": [
                _line(w.scheme_a, "1250000.00", "800000.00", "1300000.00"),
                _line(w.scheme_b, "2000000.00", "-5", "lots"),
            ],
        },
        expect=400,
    ).json()
    assert "lines" in bad
    unknown = w.api.post(
        "finance",
        path,
        {
            "period": "2015-Q3",
            "lines": [_line(w.scheme_a, "1", "1", "1") | {"scheme": "NO SUCH"}],
        },
        expect=400,
    ).json()
    assert unknown
    w.api.post(
        "finance",
        path,
        {"period": "2015-Q9", "lines": [_line(w.scheme_a, "1", "1", "1")]},
        expect=400,
    )
    assert Return.objects.count() == before
    w.api.post(
        "holder_a",
        path,
        {"period": "2015-Q3", "lines": [_line(w.scheme_a, "1", "1", "1")]},
        expect=403,
    )

    share = w.api.get("finance", f"/funds/{w.fund.pk}/risk-share/", period="2015-Q2")
    rows = {row["partner"]: row for row in share["partners"]}
    assert set(rows) == {w.a["id"], w.b["id"]}
    for row in rows.values():
        assert isinstance(row["overspend"], str) and isinstance(row["underspend"], str)
    assert Decimal(rows[w.a["id"]]["overspend"]) == Decimal("62345.67")
    assert Decimal(rows[w.b["id"]]["overspend"]) == Decimal("0")
    assert Decimal(rows[w.b["id"]]["underspend"]) == Decimal("49999.90")
    total_over = sum(Decimal(r["overspend"]) for r in rows.values())
    total_under = sum(Decimal(r["underspend"]) for r in rows.values())
    assert total_over - total_under == Decimal("1312345.67") + Decimal(
        "1950000.10"
    ) - Decimal("3250000.00")
    w.api.get(
        "finance", f"/funds/{w.fund.pk}/risk-share/", expect=404, period="2015-Q4"
    )
    w.api.get(
        "finance", f"/funds/{w.fund.pk}/risk-share/", expect=400, period="1999-Q1"
    )


def test_errors_are_400_403_404_never_500(world):
    """Errors: 400 with field messages, 403 for someone without the right, 404 for
    what does not exist, 409 when a rule refuses (body names the rule)."""
    w = world
    bad = w.api.post("admin", "/partners/", {"kind": "spaceship"}, expect=400).json()
    assert "name" in bad and "kind" in bad
    bad = w.api.post(
        "admin",
        f"/boards/{w.board['id']}/seats/",
        {"title": "x", "partner": 999999, "voting": "perhaps"},
        expect=400,
    ).json()
    assert {"partner", "voting"} <= set(bad)
    bad = w.api.put(
        "secretary",
        f"/meetings/{w.meeting['id']}/attendance/",
        [{"seat": w.seat_a["id"], "status": "asleep"}],
        expect=400,
    ).json()
    assert bad
    w.api.get(
        "secretary",
        f"/meetings/{w.meeting['id']}/quorum/",
        expect=400,
        business_type="nonsense",
    )
    w.api.post("holder_a", "/partners/", {"name": "Rogue", "kind": "other"}, expect=403)
    w.api.post(
        "holder_b", f"/meetings/{w.meeting['id']}/items/", {"title": "x"}, expect=403
    )
    w.api.post(
        "holder_b",
        "/meetings/",
        {"board": w.board["id"], "kind": "ordinary", "starts_at": _at(20)},
        expect=403,
    )
    w.api.get("admin", "/items/999999/", expect=404)
    w.api.post("secretary", "/motions/999999/open/", expect=404)
    w.api.call("admin", "get", "/meetings/999999/minutes.pdf", expect=404)
    w.api.get("admin", "/funds/999999/risk-share/", expect=404)
    w.api.post(
        "admin",
        "/agreements/999999/authorised-officers/",
        {"partner": w.a["id"], "name": "x", "email": "x@x.example"},
        expect=404,
    )
    conflict = w.api.post(
        "secretary", f"/meetings/{w.meeting['id']}/close/", expect=409
    ).json()
    assert conflict["rule"] and conflict["detail"]
    _item(w)
    w.api.post("secretary", f"/meetings/{w.meeting['id']}/publish/")
    inquorate = w.api.post(
        "secretary",
        f"/meetings/{w.meeting['id']}/start/",
        {"reason": "Brought forward by agreement of the partners."},
        expect=409,
    ).json()
    assert inquorate["rule"] == "quorum" and "NHS Contract CCG" in inquorate["detail"]
    anonymous = APIClient().post(
        f"{V1}/partners/", {"name": "x", "kind": "other"}, format="json"
    )
    assert anonymous.status_code in (401, 403)


def test_schema_has_every_contract_path(world):
    """/api/v1/schema/ is an OpenAPI 3 document with every contract path and method,
    path parameters named as in the contract (``{id}``)."""
    response = world.api.client("admin").get(
        f"{V1}/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    assert response.status_code == 200
    import json

    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    missing = [
        (method, path)
        for method, path in CONTRACT_PATHS
        if method not in schema["paths"].get(path, {})
    ]
    assert missing == [], sorted(schema["paths"])


def test_dispute_resolution_board_escalates_to_dispute_resolution(world):
    """A board whose escalation is `dispute_resolution` (PMG, West Kent) closes a
    twice-failed motion `escalated_dispute_resolution`; explicit `commits` are kept."""
    w = world
    patched = w.api.call(
        "admin",
        "patch",
        f"/boards/{w.board['id']}/",
        {"escalation": "dispute_resolution"},
        expect=200,
    ).json()
    assert patched["escalation"] == "dispute_resolution"
    item = _item(w, title="Vary schedule 2", commits=[w.a["id"], w.b["id"]])
    assert sorted(item["motion"]["commits"]) == sorted([w.a["id"], w.b["id"]])
    assert item["motion"]["financial_value"] is None
    m = item["motion"]["id"]
    _all_present(w)
    w.api.post("secretary", f"/motions/{m}/open/")
    _vote(w, "holder_a", m, w.seat_a, "against")
    _vote(w, "holder_b", m, w.seat_b, "for")
    first = _close(w, m)
    assert first["outcome"] == "referred"
    m2 = w.api.get("secretary", f"/items/{first['referred_to_item']}/")["motion"]["id"]
    _all_present(w, w.next_meeting)
    w.api.post("secretary", f"/motions/{m2}/open/")
    _vote(w, "holder_a", m2, w.seat_a, "against")
    _vote(w, "holder_b", m2, w.seat_b, "for")
    second = _close(w, m2)
    assert second["outcome"] == "escalated_dispute_resolution"
    assert isinstance(second["escalation"], int)


def test_contract_choices_and_category_quorum(world):
    """The contract's other words are accepted: a `majority` board, explicit commits
    to one partner, category minimums per partner in a quorum rule whose unmet
    condition is spelled out, and the quorum of a kind of business with no rule of
    its own falls back to the routine rule."""
    w = world
    board = w.api.create(
        "admin",
        "/boards/",
        {
            "name": "Contract advisory forum",
            "partners": [w.a["id"], w.b["id"]],
            "decision_making": False,
            "decision_rule": "majority",
            "minutes_deadline_days": 14,
            "escalation": "dispute_resolution",
            "chair_casting_vote": False,
        },
    )
    assert (board["decision_rule"], board["decision_making"]) == ("majority", False)
    rule = w.api.create(
        "admin",
        f"/boards/{w.board['id']}/quorum-rules/",
        {
            "business_type": "joint_commissioning",
            "min_present": 2,
            "min_voting_per_partner": 0,
            "min_any_per_partner": 1,
            "category_minimums": {"clinical": 1},
            "per_partner_category_minimums": {"finance": 1},
            "chair_required": True,
        },
    )
    assert rule["per_partner_category_minimums"] == {"finance": 1}
    _attend(w, [(w.seat_a, "present"), (w.seat_b, "absent"), (w.seat_n, "present")])
    quorum = w.api.get(
        "secretary",
        f"/meetings/{w.meeting['id']}/quorum/",
        business_type="joint_commissioning",
    )
    assert quorum["quorate"] is False
    assert any("NHS Contract CCG" in text for text in quorum["unmet"]), quorum
    assert any("clinical" in text.lower() for text in quorum["unmet"]), quorum
    constitutional = w.api.get(
        "secretary",
        f"/meetings/{w.meeting['id']}/quorum/",
        business_type="constitutional",
    )
    routine = w.api.get("secretary", f"/meetings/{w.meeting['id']}/quorum/")
    assert constitutional["unmet"] == routine["unmet"] and routine["quorate"] is False

    item = _item(w, title="Council-only commitment", commits=[w.a["id"]])
    assert item["motion"]["commits"] == [w.a["id"]]


def test_malformed_and_foreign_input_is_400(world):
    """Malformed JSON, a seat of another board in the attendance, or a missing
    motion text answer 400 with messages, never 500."""
    w = world
    client = w.api.client("admin")
    broken = client.post(
        f"{V1}/partners/", data="{not json", content_type="application/json"
    )
    assert broken.status_code == 400
    other = w.api.create(
        "admin",
        "/boards/",
        {
            "name": "Other board",
            "partners": [w.a["id"]],
            "escalation": "dispute_resolution",
        },
    )
    foreign = w.api.create(
        "admin",
        f"/boards/{other['id']}/seats/",
        {"title": "Elsewhere", "partner": w.a["id"]},
    )
    bad = w.api.put(
        "secretary",
        f"/meetings/{w.meeting['id']}/attendance/",
        [
            {"seat": w.seat_a["id"], "status": "present"},
            {"seat": foreign["id"], "status": "present"},
        ],
        expect=400,
    ).json()
    assert "seat" in str(bad)
    listed = w.api.get("secretary", f"/meetings/{w.meeting['id']}/attendance/")
    assert (listed["count"], listed["results"]) == (0, [])
    bad = w.api.post(
        "secretary",
        f"/meetings/{w.meeting['id']}/items/",
        {
            "title": "No text",
            "business_type": "routine",
            "motion": {"financial_value": "-1"},
        },
        expect=400,
    ).json()
    assert "motion" in bad
