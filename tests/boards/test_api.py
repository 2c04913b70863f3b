"""The constitution API (SPEC s.8): the contract's bodies are accepted and answered
201 with the object and its id; bad input is 400 with field messages; permissions
are 403; nothing is deleted."""

import datetime

import pytest
from django.utils import timezone

from boards.models import Board, Seat
from governance.models import Role, User
from tests.boards.factories import (
    AgreementFactory,
    BoardFactory,
    PartnerFactory,
    QuorumRuleFactory,
    SeatFactory,
)
from tests.governance.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_api(api_as, administrator):
    return api_as(administrator)


@pytest.fixture
def secretary(make_user):
    return make_user(Role.SECRETARY)


@pytest.fixture
def board(secretary):
    council = PartnerFactory(name="Portsmouth City Council", kind="local_authority")
    ccg = PartnerFactory(name="NHS Portsmouth CCG", kind="nhs_body")
    return BoardFactory(partners=[council, ccg], secretaries=[secretary])


def test_post_partner_contract(admin_api):
    """POST /api/v1/partners/ {name, kind} answers 201 with the partner and its id."""
    response = admin_api.post(
        "/api/v1/partners/",
        {"name": "Kent County Council", "kind": "local_authority"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["id"] and body["name"] == "Kent County Council"
    assert body["kind"] == "local_authority"


def test_post_partner_bad_kind_is_400_with_field(admin_api):
    response = admin_api.post(
        "/api/v1/partners/", {"name": "X", "kind": "charity"}, format="json"
    )
    assert response.status_code == 400 and "kind" in response.json()


def test_post_partner_duplicate_name_is_400(admin_api):
    PartnerFactory(name="Kent County Council")
    response = admin_api.post(
        "/api/v1/partners/",
        {"name": "kent county council", "kind": "local_authority"},
        format="json",
    )
    assert response.status_code == 400 and "name" in response.json()


def test_post_person_contract_creates_user_without_login(admin_api):
    """POST /api/v1/people/ {name, email}: a user who can later be given a login."""
    response = admin_api.post(
        "/api/v1/people/",
        {"name": "Reg Middleton", "email": "Reg@WestKent.example"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    user = User.objects.get(pk=response.json()["id"])
    assert user.email == "reg@westkent.example" and not user.has_usable_password()
    assert response.json()["has_login"] is False
    again = admin_api.post(
        "/api/v1/people/",
        {"name": "Reg", "email": "reg@westkent.example"},
        format="json",
    )
    assert again.status_code == 400 and "email" in again.json()


def test_post_board_contract(admin_api):
    """POST /api/v1/boards/ with the contract's body answers 201."""
    a, b = PartnerFactory(), PartnerFactory()
    body = {
        "name": "West Kent Section 75 Group",
        "partners": [a.pk, b.pk],
        "decision_making": True,
        "decision_rule": "unanimous",
        "minutes_deadline_days": 14,
        "escalation": "dispute_resolution",
        "chair_casting_vote": False,
    }
    response = admin_api.post("/api/v1/boards/", body, format="json")
    assert response.status_code == 201, response.json()
    out = response.json()
    assert out["id"] and sorted(out["partners"]) == sorted([a.pk, b.pk])
    for key in (
        "decision_rule",
        "minutes_deadline_days",
        "escalation",
        "chair_casting_vote",
        "decision_making",
    ):
        assert out[key] == body[key]


def test_a_board_posted_without_the_optional_rules_applies_none_of_them(admin_api):
    """SPEC s.8: absent_partner_rule, delegated_authority_rule and deputising_chair
    are optional and default false (a rule is applied only where the terms state
    it); given, they are kept; consensus is a decision rule."""
    a, b = PartnerFactory(), PartnerFactory()
    body = {"name": "Integration Executive", "partners": [a.pk, b.pk]}
    out = admin_api.post("/api/v1/boards/", body, format="json").json()
    assert (
        out["absent_partner_rule"],
        out["delegated_authority_rule"],
        out["deputising_chair"],
    ) == (False, False, False)
    body = {
        "name": "Joint Commissioning Group",
        "partners": [a.pk, b.pk],
        "decision_rule": "consensus",
        "absent_partner_rule": True,
        "delegated_authority_rule": True,
        "deputising_chair": True,
    }
    response = admin_api.post("/api/v1/boards/", body, format="json")
    assert response.status_code == 201, response.json()
    board = Board.objects.get(pk=response.json()["id"])
    assert board.decision_rule == "consensus"
    assert board.absent_partner_rule and board.delegated_authority_rule
    assert board.deputising_chair


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"decision_rule": "by acclamation"}, "decision_rule"),
        ({"decision_scope": ["anything"]}, "decision_scope"),
        ({"escalation": "shout"}, "escalation"),
        ({"partners": []}, "partners"),
        ({"partners": [99999]}, "partners"),
        ({"minutes_deadline_days": 0}, "minutes_deadline_days"),
    ],
)
def test_post_board_validation_400(admin_api, bad, field):
    body = {"name": "B", "partners": [PartnerFactory().pk], **bad}
    response = admin_api.post("/api/v1/boards/", body, format="json")
    assert response.status_code == 400 and field in response.json()


def test_post_seat_contract(api_as, secretary, board):
    """POST /api/v1/boards/{id}/seats/: deputy_notified true records today's date;
    the answer carries both."""
    holder, deputy = UserFactory(), UserFactory()
    partner = board.partners.get(name="NHS Portsmouth CCG")
    body = {
        "title": "CCG Chief Finance Officer",
        "partner": partner.pk,
        "voting": True,
        "categories": ["finance"],
        "holder": holder.pk,
        "deputy": deputy.pk,
        "deputy_notified": True,
        "delegated_authority_limit": "250000.00",
        "is_chair": False,
    }
    response = api_as(secretary).post(
        f"/api/v1/boards/{board.pk}/seats/", body, format="json"
    )
    assert response.status_code == 201, response.json()
    out = response.json()
    assert out["id"] and out["deputy_notified"] is True
    assert out["deputy_notified_on"] == timezone.localdate().isoformat()
    assert out["delegated_authority_limit"] == "250000.00"
    assert out["categories"] == ["finance"]


def test_seat_partner_must_be_a_board_partner(api_as, secretary, board):
    """A seat's partner must be one of the board's partners (400)."""
    outsider = PartnerFactory()
    response = api_as(secretary).post(
        f"/api/v1/boards/{board.pk}/seats/",
        {"title": "Guest", "partner": outsider.pk},
        format="json",
    )
    assert response.status_code == 400 and "partner" in response.json()


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"categories": ["astrology"]}, "categories"),
        ({"delegated_authority_limit": "-1"}, "delegated_authority_limit"),
        ({"holder": 99999}, "holder"),
    ],
)
def test_seat_validation_400(api_as, secretary, board, bad, field):
    partner = board.partners.first()
    body = {"title": "Seat", "partner": partner.pk, **bad}
    response = api_as(secretary).post(
        f"/api/v1/boards/{board.pk}/seats/", body, format="json"
    )
    assert response.status_code == 400 and field in response.json()


def test_seat_same_holder_and_deputy_is_400(api_as, secretary, board):
    person = UserFactory()
    response = api_as(secretary).post(
        f"/api/v1/boards/{board.pk}/seats/",
        {
            "title": "S",
            "partner": board.partners.first().pk,
            "holder": person.pk,
            "deputy": person.pk,
        },
        format="json",
    )
    assert response.status_code == 400 and "deputy" in response.json()


def test_seat_patch_new_deputy_clears_notice_and_deactivates(api_as, secretary, board):
    """A different deputy is not notified until recorded; active=false deactivates
    (nothing is hard-deleted)."""
    seat = SeatFactory(
        board=board,
        partner=board.partners.first(),
        deputy=UserFactory(),
        deputy_notified_on=datetime.date(2026, 1, 1),
    )
    client = api_as(secretary)
    response = client.patch(
        f"/api/v1/seats/{seat.pk}/", {"deputy": UserFactory().pk}, format="json"
    )
    assert response.status_code == 200 and response.json()["deputy_notified"] is False
    response = client.patch(
        f"/api/v1/seats/{seat.pk}/", {"active": False}, format="json"
    )
    assert response.status_code == 200 and response.json()["active"] is False
    assert Seat.objects.filter(pk=seat.pk).exists()
    assert client.delete(f"/api/v1/seats/{seat.pk}/").status_code == 405


def test_post_quorum_rule_contract(api_as, secretary, board):
    """POST /api/v1/boards/{id}/quorum-rules/ with the contract's body (and
    partner_kind_minimums) answers 201 with the rule in words."""
    body = {
        "business_type": "joint_commissioning",
        "min_present": 6,
        "min_voting_per_partner": 0,
        "min_any_per_partner": 0,
        "category_minimums": {"clinical": 1},
        "per_partner_category_minimums": {},
        "partner_kind_minimums": {"nhs_body": 1, "local_authority": 1},
        "chair_required": False,
    }
    response = api_as(secretary).post(
        f"/api/v1/boards/{board.pk}/quorum-rules/", body, format="json"
    )
    assert response.status_code == 201, response.json()
    out = response.json()
    assert out["id"] and out["min_present"] == 6
    assert out["partner_kind_minimums"] == {"nhs_body": 1, "local_authority": 1}
    assert "At least 6 members present." in out["description"]


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"category_minimums": {"astrology": 1}}, "category_minimums"),
        (
            {"per_partner_category_minimums": {"finance": -1}},
            "per_partner_category_minimums",
        ),
        ({"partner_kind_minimums": {"charity": 1}}, "partner_kind_minimums"),
        ({"business_type": "gossip"}, "business_type"),
        ({"min_present": -2}, "min_present"),
    ],
)
def test_quorum_rule_validation_400(api_as, secretary, board, bad, field):
    response = api_as(secretary).post(
        f"/api/v1/boards/{board.pk}/quorum-rules/", bad, format="json"
    )
    assert response.status_code == 400 and field in response.json()


def test_second_rule_for_the_same_business_is_400(api_as, secretary, board):
    QuorumRuleFactory(board=board, business_type="routine")
    response = api_as(secretary).post(
        f"/api/v1/boards/{board.pk}/quorum-rules/",
        {"business_type": "routine"},
        format="json",
    )
    assert response.status_code == 400 and "business_type" in response.json()


def test_post_agreement_and_authorised_officer_contract(admin_api):
    """POST /api/v1/agreements/ then /agreements/{id}/authorised-officers/ {partner,
    name, email} answer 201; an officer's partner must be party to the agreement."""
    kcc = PartnerFactory(name="Kent County Council", kind="local_authority")
    ccg = PartnerFactory(name="NHS West Kent CCG")
    response = admin_api.post(
        "/api/v1/agreements/",
        {
            "name": "Kent BCF s75",
            "partners": [kcc.pk, ccg.pk],
            "host_partner": kcc.pk,
            "starts_on": "2015-04-01",
            "kind": "s75",
            "schedules": [{"number": "2", "name": "Governance"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    agreement = response.json()
    assert agreement["host_partner"] == kcc.pk and agreement["schedules"][0]["name"]
    url = f"/api/v1/agreements/{agreement['id']}/authorised-officers/"
    response = admin_api.post(
        url,
        {
            "partner": ccg.pk,
            "name": "Avery Sample",
            "email": "avery@westkentccg.example",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["id"] and response.json()["partner"] == ccg.pk
    outsider = PartnerFactory()
    response = admin_api.post(
        url,
        {"partner": outsider.pk, "name": "N", "email": "n@x.example"},
        format="json",
    )
    assert response.status_code == 400 and "partner" in response.json()
    assert admin_api.get(url).json()["count"] == 1


def test_agreement_host_must_be_a_partner(admin_api):
    a, b = PartnerFactory(), PartnerFactory()
    response = admin_api.post(
        "/api/v1/agreements/",
        {
            "name": "A",
            "partners": [a.pk],
            "host_partner": b.pk,
            "starts_on": "2024-04-01",
        },
        format="json",
    )
    assert response.status_code == 400 and "host_partner" in response.json()


# --- permissions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, body",
    [
        ("/api/v1/partners/", {"name": "P", "kind": "other"}),
        ("/api/v1/agreements/", {"name": "A"}),
    ],
)
def test_only_administrators_create_partners_and_agreements(
    api_as, secretary, path, body
):
    """Administrators create partners and agreements; a secretary gets 403."""
    assert api_as(secretary).post(path, body, format="json").status_code == 403


def test_member_cannot_create_boards_or_people(api_as, make_user):
    member = make_user(Role.MEMBER)
    client = api_as(member)
    assert (
        client.post("/api/v1/boards/", {"name": "B"}, format="json").status_code == 403
    )
    assert (
        client.post(
            "/api/v1/people/", {"name": "N", "email": "n@x.example"}, format="json"
        ).status_code
        == 403
    )


def test_secretary_creating_a_board_becomes_its_secretary(api_as, secretary):
    response = api_as(secretary).post(
        "/api/v1/boards/",
        {"name": "New board", "partners": [PartnerFactory().pk]},
        format="json",
    )
    assert response.status_code == 201 and response.json()["secretaries"] == [
        secretary.pk
    ]


def test_secretary_of_another_board_cannot_add_seats(api_as, make_user, board):
    """A board's seats are managed by its own secretaries (403 otherwise)."""
    other = make_user(Role.SECRETARY)
    BoardFactory(secretaries=[other])
    response = api_as(other).post(
        f"/api/v1/boards/{board.pk}/seats/",
        {"title": "S", "partner": board.partners.first().pk},
        format="json",
    )
    assert response.status_code == 403


def test_member_sees_own_board_but_cannot_change_it(api_as, board):
    seat = SeatFactory(board=board, partner=board.partners.first())
    client = api_as(seat.holder)
    assert client.get(f"/api/v1/boards/{board.pk}/").status_code == 200
    assert client.get(f"/api/v1/boards/{board.pk}/seats/").json()["count"] == 1
    assert (
        client.post(
            f"/api/v1/boards/{board.pk}/quorum-rules/", {}, format="json"
        ).status_code
        == 403
    )
    other = BoardFactory()
    assert client.get(f"/api/v1/boards/{other.pk}/").status_code == 403


def test_auditor_reads_everything_and_writes_nothing(api_as, auditor, board):
    client = api_as(auditor)
    assert client.get(f"/api/v1/boards/{board.pk}/").status_code == 200
    assert client.get("/api/v1/partners/").status_code == 200
    assert (
        client.post(
            "/api/v1/partners/", {"name": "P", "kind": "other"}, format="json"
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/v1/boards/{board.pk}/quorum-rules/", {}, format="json"
        ).status_code
        == 403
    )


def test_anonymous_is_refused(api):
    assert api.get("/api/v1/boards/").status_code in (401, 403)


def test_unknown_board_is_404(admin_api):
    assert admin_api.get("/api/v1/boards/999999/").status_code == 404


def test_schema_generates(admin_api):
    """drf-spectacular builds the schema with the constitution endpoints."""
    response = admin_api.get("/api/v1/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/v1/boards/{id}/quorum-rules/" in text
    assert "/api/v1/agreements/{id}/authorised-officers/" in text


def test_agreement_list_is_visible_to_secretaries_of_its_boards(
    api_as, secretary, board
):
    AgreementFactory()  # not theirs
    response = api_as(secretary).get("/api/v1/agreements/")
    assert [a["id"] for a in response.json()["results"]] == [board.agreement_id]


def test_board_detail_gives_chair_next_change_and_gaps(admin_api, db):
    """GET /api/v1/boards/{id}/ says who chairs now, when the next rotation is due
    (JCG: every six months) and the compliance gaps."""
    from demo import load as demo

    demo.load(meetings=False, funds=False)
    jcg = demo.board("jcg")
    body = admin_api.get(f"/api/v1/boards/{jcg.pk}/").json()
    assert body["chair"]["partner"] == jcg.partners.get(name__contains="County").pk
    assert body["next_chair_change"]["what"] == "rotation"
    assert body["next_chair_change"]["partner"] != body["chair"]["partner"]
    ifpg = demo.board("ifpg")
    gaps = admin_api.get(f"/api/v1/boards/{ifpg.pk}/").json()["gaps"]
    assert {g["kind"] for g in gaps} == {"no_deputy", "deputy_not_notified"}


def test_api_secretary_cannot_create_a_board_under_an_agreement_they_cannot_see(
    api_as, secretary, other_agreement
):
    """403 and no board: otherwise the secretary would become that agreement's
    secretary and see its authorised officers' e-mails."""
    response = api_as(secretary).post(
        "/api/v1/boards/",
        {
            "name": "Trojan board",
            "partners": [PartnerFactory().pk],
            "agreement": other_agreement.pk,
        },
        format="json",
    )
    assert response.status_code == 403
    assert not Board.objects.filter(name="Trojan board").exists()
    assert (
        api_as(secretary).get(f"/api/v1/agreements/{other_agreement.pk}/").status_code
        == 403
    )


def test_api_secretary_cannot_move_their_board_under_another_agreement(
    api_as, secretary, other_agreement
):
    """PATCH agreement to one the secretary cannot see: 403, unchanged."""
    board = BoardFactory(secretaries=[secretary])
    before = board.agreement_id
    response = api_as(secretary).patch(
        f"/api/v1/boards/{board.pk}/",
        {"agreement": other_agreement.pk},
        format="json",
    )
    assert response.status_code == 403
    board.refresh_from_db()
    assert board.agreement_id == before


def test_admin_may_still_put_a_board_under_any_agreement(
    api_as, administrator, other_agreement
):
    response = api_as(administrator).post(
        "/api/v1/boards/",
        {
            "name": "Admin board",
            "partners": [PartnerFactory().pk],
            "agreement": other_agreement.pk,
        },
        format="json",
    )
    assert response.status_code == 201


def test_api_secretary_cannot_make_their_board_report_to_a_board_they_cannot_see(
    api_as, secretary
):
    """PATCH reports_to to another partnership's board: 403, unchanged; a board the
    secretary serves is accepted."""
    board = BoardFactory(secretaries=[secretary])
    theirs = BoardFactory(secretaries=[secretary])
    stranger = BoardFactory()
    client = api_as(secretary)
    response = client.patch(
        f"/api/v1/boards/{board.pk}/", {"reports_to": stranger.pk}, format="json"
    )
    assert response.status_code == 403
    board.refresh_from_db()
    assert board.reports_to_id is None
    response = client.patch(
        f"/api/v1/boards/{board.pk}/", {"reports_to": theirs.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    board.refresh_from_db()
    assert board.reports_to_id == theirs.pk
