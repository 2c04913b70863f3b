"""SPEC s.7: "A REST API ... covers the same operations as the browser". The
member's apologies and "my deputy will attend" on the meeting page, and the fund
page's decisions on money and metric actuals, through the API: the same permission
helpers and services as the pages; a rule refusing answers 409, bad input 400."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from governance.models import Role
from meetings.models import AgendaItem, Attendance, Meeting, Motion
from pooled_funds.models import FundDecision, Metric, MetricActual
from tests.boards.factories import SeatFactory
from tests.governance.factories import UserFactory
from tests.meetings.factories import MeetingFactory
from tests.pooled_funds.factories import PooledFundFactory, SchemeFactory

pytestmark = pytest.mark.django_db

V1 = "/api/v1"


def _client(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


# --- meetings: apologies and the deputy -------------------------------------


@pytest.fixture
def seat():
    return SeatFactory(
        holder=UserFactory(role=Role.MEMBER), deputy=UserFactory(role=Role.MEMBER)
    )


@pytest.fixture
def meeting(seat):
    return MeetingFactory(board=seat.board)


def test_member_sends_apologies_for_their_seat(seat, meeting):
    """POST meetings/{id}/apologies/ records apologies for the member's own seat
    (services.apologies_send) and answers 200 with the attendance record."""
    response = _client(seat.holder).post(
        f"{V1}/meetings/{meeting.pk}/apologies/", {"seat": seat.pk}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == Attendance.Status.APOLOGIES
    assert response.json()["seat"] == seat.pk
    record = Attendance.objects.get(meeting=meeting, seat=seat)
    assert record.status == Attendance.Status.APOLOGIES


def test_member_says_deputy_will_attend_which_counts(seat, meeting):
    """POST meetings/{id}/deputy/ records the notification before the meeting
    (Leicestershire IFPG): the deputy attends, notified, and counts."""
    response = _client(seat.holder).post(
        f"{V1}/meetings/{meeting.pk}/deputy/", {"seat": seat.pk}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == Attendance.Status.DEPUTY
    assert body["attendee"] == seat.deputy_id
    assert body["deputy_notified"] is True
    assert body["counts"] is True
    record = Attendance.objects.get(meeting=meeting, seat=seat)
    assert record.deputy_notified_at is not None


def test_apologies_after_the_start_are_refused_409(seat):
    """Rule before_meeting: apologies are sent before the meeting starts (409)."""
    started = MeetingFactory(
        board=seat.board,
        starts_at=timezone.now() - datetime.timedelta(hours=1),
    )
    response = _client(seat.holder).post(
        f"{V1}/meetings/{started.pk}/apologies/", {"seat": seat.pk}, format="json"
    )
    assert response.status_code == 409
    assert not Attendance.objects.filter(meeting=started).exists()


def test_deputy_without_a_deputy_appointed_is_refused_409(meeting):
    """Rule deputy: a seat with no deputy cannot send one (409)."""
    bare = SeatFactory(board=meeting.board, holder=UserFactory(role=Role.MEMBER))
    response = _client(bare.holder).post(
        f"{V1}/meetings/{meeting.pk}/deputy/", {"seat": bare.pk}, format="json"
    )
    assert response.status_code == 409


def test_member_answers_only_for_their_own_seat_403(seat, meeting):
    """As on the page: another member of the board may not answer for the seat."""
    other = SeatFactory(board=meeting.board, holder=UserFactory(role=Role.MEMBER))
    for action in ("apologies", "deputy"):
        response = _client(other.holder).post(
            f"{V1}/meetings/{meeting.pk}/{action}/", {"seat": seat.pk}, format="json"
        )
        assert response.status_code == 403, action
    assert not Attendance.objects.filter(meeting=meeting).exists()


@pytest.mark.parametrize("action", ["apologies", "deputy"])
@pytest.mark.parametrize("body", [{}, {"seat": "x"}, {"seat": 999999}])
def test_apologies_and_deputy_bad_input_is_400(seat, meeting, action, body):
    """A missing, malformed or unknown seat is a 400 naming the field."""
    response = _client(seat.holder).post(
        f"{V1}/meetings/{meeting.pk}/{action}/", body, format="json"
    )
    assert response.status_code == 400
    assert "seat" in response.json()


# --- pooled funds: decisions on money ---------------------------------------


@pytest.fixture
def fund():
    return PooledFundFactory()


def _motion(fund, outcome="carried", financial_value=None) -> Motion:
    meeting = Meeting.objects.create(board=fund.board, starts_at=timezone.now())
    item = AgendaItem.objects.create(meeting=meeting, title="Money", kind="decision")
    return Motion.objects.create(
        item=item,
        text="Move the money",
        outcome=outcome,
        status="closed",
        financial_value=financial_value,
    )


def test_manager_records_a_redistribution_201(fund):
    """POST funds/{id}/decisions/ (services.fund_decision_record): 201 with the
    decision and its id; the budget moves between the schemes; GET lists it."""
    source = SchemeFactory(fund=fund, budget=Decimal("50000"))
    target = SchemeFactory(fund=fund, budget=Decimal("1000"))
    motion = _motion(fund)
    client = _client(fund.manager)
    response = client.post(
        f"{V1}/funds/{fund.pk}/decisions/",
        {
            "kind": "redistribution",
            "amount": "10000.00",
            "motion": motion.pk,
            "from_scheme": source.pk,
            "to_scheme": target.pk,
            "note": "Winter pressures",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    decision = FundDecision.objects.get(pk=body["id"])
    assert (body["kind"], body["amount"], body["motion"]) == (
        "redistribution",
        "10000.00",
        motion.pk,
    )
    assert decision.recorded_by == fund.manager
    source.refresh_from_db()
    target.refresh_from_db()
    assert (source.budget, target.budget) == (Decimal("40000"), Decimal("11000"))
    listed = client.get(f"{V1}/funds/{fund.pk}/decisions/")
    assert listed.status_code == 200
    assert [d["id"] for d in listed.json()["results"]] == [decision.pk]


@pytest.mark.parametrize(
    "outcome, value, amount, rule",
    [
        ("referred", None, "5.00", "carried_motion_required"),
        ("carried", Decimal("100.00"), "100.01", "amount_exceeds_motion"),
    ],
)
def test_decision_refused_by_a_rule_is_409(fund, outcome, value, amount, rule):
    """Portsmouth PMG ToR 5.1.2: a commitment needs a carried motion and stays
    within the motion's financial value; otherwise 409 naming the rule."""
    response = _client(fund.manager).post(
        f"{V1}/funds/{fund.pk}/decisions/",
        {
            "kind": "commitment",
            "amount": amount,
            "motion": _motion(fund, outcome, value).pk,
        },
        format="json",
    )
    assert response.status_code == 409
    assert rule in str(response.json())
    assert not FundDecision.objects.exists()


def test_finance_officer_may_not_record_a_decision_403(fund):
    """Only the fund manager, the board's secretaries and administrators decide."""
    officer = fund.finance_officers.first()
    response = _client(officer).post(
        f"{V1}/funds/{fund.pk}/decisions/",
        {"kind": "commitment", "amount": "5.00", "motion": _motion(fund).pk},
        format="json",
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kind": "gift", "amount": "5.00"}, "kind"),
        ({"kind": "commitment", "amount": "0.00"}, "amount"),
        ({"kind": "commitment", "amount": "5.00", "motion": 999999}, "motion"),
        (
            {"kind": "redistribution", "amount": "5.00", "from_scheme": 999999},
            "from_scheme",
        ),
    ],
)
def test_decision_bad_input_is_400(fund, body, field):
    """Unknown kind, a nil amount, an unknown motion or a scheme not of the fund:
    400 with the field's message, nothing recorded."""
    response = _client(fund.manager).post(
        f"{V1}/funds/{fund.pk}/decisions/", body, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not FundDecision.objects.exists()


# --- pooled funds: metric actuals -------------------------------------------


@pytest.fixture
def metrics(fund):
    return [
        Metric.objects.create(fund=fund, name="Non-elective admissions", planned=9049),
        Metric.objects.create(fund=fund, name="Delayed transfers", planned=300),
    ]


def test_finance_officer_records_metric_actuals(fund, metrics):
    """POST funds/{id}/metric-actuals/ (services.metric_actuals_record): a null
    actual records nothing; answers 200 with the quarter's actuals; GET reads them."""
    client = _client(fund.finance_officers.first())
    response = client.post(
        f"{V1}/funds/{fund.pk}/metric-actuals/",
        {
            "period": "2015-Q2",
            "values": [
                {"metric": metrics[0].pk, "actual": "2210.00"},
                {"metric": metrics[1].pk, "actual": None},
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["written"] == 1
    assert [(a["metric"], a["actual"]) for a in body["actuals"]] == [
        (metrics[0].pk, "2210.00")
    ]
    assert MetricActual.objects.get().actual == Decimal("2210.00")
    listed = client.get(f"{V1}/funds/{fund.pk}/metric-actuals/?period=2015-Q2")
    assert [a["id"] for a in listed.json()["results"]] == [body["actuals"][0]["id"]]


def test_manager_may_not_enter_metric_actuals_403(fund, metrics):
    """As on the page, only finance officers (and administrators) enter actuals."""
    response = _client(fund.manager).post(
        f"{V1}/funds/{fund.pk}/metric-actuals/",
        {"period": "2015-Q2", "values": [{"metric": metrics[0].pk, "actual": "1"}]},
        format="json",
    )
    assert response.status_code == 403
    assert not MetricActual.objects.exists()


@pytest.mark.parametrize(
    "period, metric, field",
    [
        ("2016-Q1", 0, "period"),
        ("2015-06", 0, "period"),
        ("2015-Q2", None, "values"),
    ],
)
def test_metric_actuals_bad_input_is_400(fund, metrics, period, metric, field):
    """A period that is not a quarter of the fund's year, or a metric of another
    fund: 400 with the field's message, nothing written."""
    other = Metric.objects.create(fund=PooledFundFactory(), name="Other", planned=1)
    metric_id = other.pk if metric is None else metrics[metric].pk
    response = _client(fund.finance_officers.first()).post(
        f"{V1}/funds/{fund.pk}/metric-actuals/",
        {"period": period, "values": [{"metric": metric_id, "actual": "1.00"}]},
        format="json",
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not MetricActual.objects.exists()


def test_administrator_without_a_seat_is_refused_403_before_the_body(seat, meeting):
    """Holding no seat of the board, even an administrator is refused (403), as on
    the page; the body is not even read."""
    admin = UserFactory(role=Role.ADMINISTRATOR)
    response = _client(admin).post(
        f"{V1}/meetings/{meeting.pk}/apologies/", {}, format="json"
    )
    assert response.status_code == 403
