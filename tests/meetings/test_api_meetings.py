"""The meetings part of the API contract (SPEC s.8): meetings, items, attendance,
quorum."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from boards.models import Seat
from meetings.api import meetings as api_meetings
from meetings.models import Attendance, Meeting, Motion
from tests.boards.factories import BoardFactory, PartnerFactory, SeatFactory
from tests.governance.factories import UserFactory
from tests.meetings import builders
from tests.meetings.decisions_world import build

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def test_post_meeting_answers_201_with_id(api_as):
    """POST /api/v1/meetings/ {board, kind, starts_at} -> 201 with the id."""
    b = builders.pmg(meeting=False)
    response = api_as(b.secretary).post(
        "/api/v1/meetings/",
        {"board": b.board.pk, "kind": "ordinary", "starts_at": "2027-01-14T14:00:00Z"},
        format="json",
    )
    assert response.status_code == 201, response.content
    meeting = Meeting.objects.get(pk=response.json()["id"])
    assert meeting.board == b.board and meeting.kind == "ordinary"


@time_machine.travel(datetime.datetime(2026, 12, 23, 10, 0, tzinfo=LONDON), tick=False)
def test_extraordinary_meeting_with_too_little_notice_is_409_with_earliest_date(api_as):
    """Portsmouth PMG ToR 4.6: three clear (working) days' notice. Notice on Wed 23
    Dec 2026 for Tue 29 Dec is refused; the earliest lawful date is 31 December."""
    b = builders.pmg(meeting=False)
    response = api_as(b.seats[0].holder).post(
        "/api/v1/meetings/",
        {
            "board": b.board.pk,
            "kind": "extraordinary",
            "starts_at": "2026-12-29T10:00:00Z",
        },
        format="json",
    )
    assert response.status_code == 409
    assert "Thursday 31 December 2026" in response.json()["detail"]
    assert response.json()["rule"] == "extraordinary_notice"
    ok = api_as(b.seats[0].holder).post(
        "/api/v1/meetings/",
        {
            "board": b.board.pk,
            "kind": "extraordinary",
            "starts_at": "2026-12-31T10:00:00Z",
        },
        format="json",
    )
    assert ok.status_code == 201
    assert Meeting.objects.get(pk=ok.json()["id"]).called_by == b.seats[0].holder


def test_extraordinary_meeting_called_by_a_non_voting_member_is_refused(api_as):
    """Only a voting member calls an extraordinary meeting (Portsmouth PMG 4.6)."""
    b = builders.pmg(meeting=False)
    observer = SeatFactory(board=b.board, partner=b.partners[0], voting=False)
    response = api_as(observer.holder).post(
        "/api/v1/meetings/",
        {
            "board": b.board.pk,
            "kind": "extraordinary",
            "starts_at": "2027-03-01T10:00Z",
        },
        format="json",
    )
    assert response.status_code == 403


def test_a_member_of_another_board_cannot_schedule(api_as):
    b = builders.pmg(meeting=False)
    outsider = SeatFactory().holder
    response = api_as(outsider).post(
        "/api/v1/meetings/",
        {"board": b.board.pk, "kind": "ordinary", "starts_at": "2027-03-01T10:00Z"},
        format="json",
    )
    assert response.status_code == 403


def test_post_item_with_motion_answers_the_item_with_default_commits(api_as):
    """An item with a motion is a decision item; its motion commits every partner of
    the board unless it names some (SPEC s.4); the answer is GET /items/{id}/."""
    b = builders.pmg()
    client = api_as(b.secretary)
    response = client.post(
        f"/api/v1/meetings/{b.meeting.pk}/items/",
        {
            "title": "BCF plan 2027/28",
            "business_type": "pooled_fund",
            "motion": {
                "text": "That the plan is approved.",
                "financial_value": "125000.00",
            },
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) >= {
        "id",
        "meeting",
        "title",
        "business_type",
        "referred_from",
        "motion",
    }
    assert body["meeting"] == b.meeting.pk
    assert body["kind"] == "decision"
    assert body["referred_from"] is None
    motion = body["motion"]
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
    assert sorted(motion["commits"]) == sorted(p.pk for p in b.partners)
    assert motion["status"] == "draft" and motion["outcome"] == ""
    assert motion["recommendation"] is False and motion["decision_kind"] == "other"
    assert Motion.objects.get(pk=motion["id"]).item_id == body["id"]
    assert client.get(f"/api/v1/items/{body['id']}/").json() == body


def test_post_item_without_motion_has_null_motion_and_named_commits(api_as):
    b = builders.pmg()
    client = api_as(b.secretary)
    plain = client.post(
        f"/api/v1/meetings/{b.meeting.pk}/items/",
        {"title": "Apologies", "business_type": "routine"},
        format="json",
    )
    assert plain.status_code == 201 and plain.json()["motion"] is None
    named = client.post(
        f"/api/v1/meetings/{b.meeting.pk}/items/",
        {
            "title": "Council-only commitment",
            "business_type": "routine",
            "motion": {"text": "Agree.", "commits": [b.partners[0].pk]},
        },
        format="json",
    )
    assert named.json()["motion"]["commits"] == [b.partners[0].pk]
    stranger = PartnerFactory()
    bad = client.post(
        f"/api/v1/meetings/{b.meeting.pk}/items/",
        {
            "title": "X",
            "business_type": "routine",
            "motion": {"text": "Y", "commits": [stranger.pk]},
        },
        format="json",
    )
    assert bad.status_code == 400 and "commits" in bad.json()


def test_a_member_cannot_add_items(api_as):
    b = builders.pmg()
    response = api_as(b.seats[0].holder).post(
        f"/api/v1/meetings/{b.meeting.pk}/items/",
        {"title": "X", "business_type": "routine"},
        format="json",
    )
    assert response.status_code == 403


def test_put_attendance_then_quorum_says_quorate_or_lists_unmet(api_as):
    """PMG 4.2: one voting representative of each partner. With the CCG seat absent
    the quorum lists "no voting representative of NHS Portsmouth CCG present"."""
    b = builders.pmg()
    client = api_as(b.secretary)
    council, ccg = b.seats
    response = client.put(
        f"/api/v1/meetings/{b.meeting.pk}/attendance/",
        [
            {"seat": council.pk, "status": "present"},
            {"seat": ccg.pk, "status": "apologies"},
        ],
        format="json",
    )
    assert response.status_code == 200, response.content
    assert {r["seat"]: r["status"] for r in response.json()} == {
        council.pk: "present",
        ccg.pk: "apologies",
    }
    quorum = client.get(
        f"/api/v1/meetings/{b.meeting.pk}/quorum/?business_type=routine"
    )
    assert quorum.status_code == 200
    assert quorum.json()["quorate"] is False
    assert quorum.json()["unmet"] == [
        "no voting representative of NHS Portsmouth CCG present"
    ]
    client.put(
        f"/api/v1/meetings/{b.meeting.pk}/attendance/",
        [{"seat": ccg.pk, "status": "present"}],
        format="json",
    )
    quorum = client.get(f"/api/v1/meetings/{b.meeting.pk}/quorum/").json()
    assert quorum["quorate"] is True and quorum["unmet"] == []


def test_unnotified_deputy_is_stored_but_does_not_count_and_the_answer_says_so(api_as):
    """A deputy counts only if notified before the meeting (Leicestershire IFPG)."""
    b = builders.pmg()
    council, ccg = b.seats
    ccg.deputy = UserFactory()
    ccg.save()
    client = api_as(b.secretary)
    body = client.put(
        f"/api/v1/meetings/{b.meeting.pk}/attendance/",
        [
            {"seat": council.pk, "status": "present"},
            {"seat": ccg.pk, "status": "deputy"},
        ],
        format="json",
    ).json()
    row = next(r for r in body if r["seat"] == ccg.pk)
    assert row["status"] == "deputy" and row["counts"] is False
    assert "not notified" in row["note"]
    assert (
        client.get(f"/api/v1/meetings/{b.meeting.pk}/quorum/").json()["quorate"]
        is False
    )
    ccg.deputy_notified_on = datetime.date.today()
    ccg.save()
    body = client.put(
        f"/api/v1/meetings/{b.meeting.pk}/attendance/",
        [{"seat": ccg.pk, "status": "deputy"}],
        format="json",
    ).json()
    assert next(r for r in body if r["seat"] == ccg.pk)["counts"] is True
    assert (
        client.get(f"/api/v1/meetings/{b.meeting.pk}/quorum/").json()["quorate"] is True
    )


def test_attendance_for_a_seat_of_another_board_is_400(api_as):
    b = builders.pmg()
    other = SeatFactory(board=BoardFactory())
    response = api_as(b.secretary).put(
        f"/api/v1/meetings/{b.meeting.pk}/attendance/",
        [{"seat": other.pk, "status": "present"}],
        format="json",
    )
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_attendance_accepts_arrival_and_departure_times(api_as):
    b = builders.pmg()
    council = b.seats[0]
    response = api_as(b.secretary).put(
        f"/api/v1/meetings/{b.meeting.pk}/attendance/",
        [
            {
                "seat": council.pk,
                "status": "present",
                "arrived_at": "2027-01-14T14:05:00Z",
                "left_at": "2027-01-14T15:30:00Z",
            }
        ],
        format="json",
    )
    assert response.status_code == 200
    row = response.json()[0]
    assert row["arrived_at"].startswith("2027-01-14") and row["counts"] is False


def test_bad_business_type_is_400_and_members_of_other_boards_get_403(api_as):
    b = builders.pmg()
    assert (
        api_as(b.secretary)
        .get(f"/api/v1/meetings/{b.meeting.pk}/quorum/?business_type=nonsense")
        .status_code
        == 400
    )
    outsider = SeatFactory().holder
    assert (
        api_as(outsider).get(f"/api/v1/meetings/{b.meeting.pk}/quorum/").status_code
        == 403
    )
    assert api_as(outsider).get(f"/api/v1/meetings/{b.meeting.pk}/").status_code == 403


def test_member_reads_meeting_and_items(api_as):
    b = builders.pmg()
    member = b.seats[0].holder
    assert api_as(member).get(f"/api/v1/meetings/{b.meeting.pk}/").status_code == 200
    items = api_as(member).get(f"/api/v1/meetings/{b.meeting.pk}/items/").json()
    assert (items["count"], items["results"]) == (0, [])
    assert Seat.objects.count() == 2


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
    """``counts`` comes from the eligibility engine (``meetings.eligibility``), at
    the real clock time: the same rule the quorum panel and the ballot ask."""
    from meetings import eligibility

    calls = []
    real = eligibility.presence

    def spy(records, at):
        calls.append(at)
        return real(records, at)

    monkeypatch.setattr(eligibility, "presence", spy)
    w = build(attend=False)
    record = Attendance.objects.create(
        meeting=w.meeting,
        seat=w.h1,
        status=status,
        deputy_notified=notified,
        left_at=timezone.now() if left else None,
    )
    before = timezone.now()
    assert api_meetings.AttendanceOutSerializer(record).data["counts"] is counts
    assert calls and before <= calls[0] <= timezone.now()
