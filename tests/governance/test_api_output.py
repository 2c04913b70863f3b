"""API lists read directly (governance/api_output.py) answer exactly what DRF's own
field machinery answers: the same request is answered twice, once each way, and the
bodies must be the same bytes; every serializer using ``DirectOutput`` is covered."""

import datetime
import json
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from rest_framework import serializers

from governance.api_output import DirectOutput, iso_datetime
from meetings.models import Meeting, Motion, MotionOutcome
from tests.boards.factories import BoardFactory, PartnerFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, MotionFactory
from tests.pooled_funds.factories import PooledFundFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def _subclasses(cls) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


@pytest.fixture
def record(administrator):
    """Boards, meetings and decisions with the values that differ in shape: summer
    and winter times (BST and GMT), empty and set foreign keys, money and none."""
    partners = [PartnerFactory(), PartnerFactory()]
    board = BoardFactory(partners=partners, secretaries=[administrator])
    BoardFactory(partners=[], secretaries=[])  # nothing related at all
    summer = datetime.datetime(2026, 7, 1, 10, 30, tzinfo=LONDON)
    winter = datetime.datetime(2026, 1, 15, 14, 0, tzinfo=LONDON)
    first = MeetingFactory(board=board, starts_at=winter, location="Civic Offices")
    MeetingFactory(
        board=board,
        starts_at=summer,
        status=Meeting.Status.CANCELLED,
        cancelled_reason="Not quorate",
        reconvenes=first,
        ends_at=summer + datetime.timedelta(hours=2),
    )
    later = AgendaItemFactory(meeting=MeetingFactory(board=board, starts_at=summer))
    for n, (value, closed, referred) in enumerate(
        [
            (Decimal("1250000.50"), winter, None),
            (None, summer, later),
            (Decimal("0"), summer + datetime.timedelta(microseconds=7), None),
        ]
    ):
        MotionFactory(
            item=AgendaItemFactory(meeting=first, title=f"Decision {n}"),
            status=Motion.Status.CLOSED,
            closed_at=closed,
            outcome=MotionOutcome.CARRIED,
            outcome_reasons=["Unanimous", "Quorate: 4 of 4"],
            tally={"for": 4, "against": 0, "abstain": n},
            recommendation=bool(n % 2),
            financial_value=value,
            referred_to_item=referred,
        )
    PooledFundFactory(
        board=board, frequency="monthly", pooled_total=Decimal("26394000.5")
    )
    PooledFundFactory(board=None, manager=None, pooled_total=Decimal("0"))
    return board


def _answered_both_ways(client, path: str) -> tuple[bytes, bytes, set[type]]:
    used: set[type] = set()
    direct = DirectOutput.to_representation

    def recording(self, instance):
        used.add(type(self))
        return direct(self, instance)

    with mock.patch.object(DirectOutput, "to_representation", recording):
        fast = client.get(path)
    with mock.patch.object(
        DirectOutput, "to_representation", serializers.Serializer.to_representation
    ):
        drf = client.get(path)
    assert fast.status_code == drf.status_code == 200, (path, fast.content[:300])
    return fast.content, drf.content, used


def test_every_direct_list_answers_what_drf_answers(record, api_as, administrator):
    client = api_as(administrator)
    paths = [
        "/api/v1/meetings/",
        "/api/v1/boards/",
        "/api/v1/funds/",
        f"/api/v1/boards/{record.pk}/decisions/",
        f"/api/v1/boards/{record.pk}/",  # BoardDetailOut: a BoardOut with more
    ]
    covered: set[type] = set()
    for path in paths:
        fast, drf, used = _answered_both_ways(client, path)
        body = json.loads(fast)
        assert body.get("results", [body]), path  # the comparison saw rows
        assert fast == drf, path
        covered |= used
    in_the_app = {c for c in _subclasses(DirectOutput) if c.__module__[:6] != "tests."}
    assert covered == in_the_app, (
        "a serializer using DirectOutput has no comparison with DRF here"
    )


def test_times_are_drfs_iso_8601_in_london_with_z_for_utc():
    utc = datetime.UTC
    assert iso_datetime(datetime.datetime(2026, 1, 15, 14, tzinfo=utc), LONDON) == (
        "2026-01-15T14:00:00Z"
    )
    assert iso_datetime(datetime.datetime(2026, 7, 1, 9, 30, tzinfo=utc), LONDON) == (
        "2026-07-01T10:30:00+01:00"
    )


class _Sample(DirectOutput, serializers.Serializer):
    """Fields whose values take DRF's own way: a missing attribute (null allowed),
    a method, a naive time, a dictionary row, a callable attribute."""

    missing = serializers.CharField(source="nowhere.name", allow_null=True)
    method = serializers.SerializerMethodField()
    when = serializers.DateTimeField()
    size = serializers.IntegerField(source="size_of")
    label = serializers.ChoiceField(choices=[("a", "A"), ("b", "B")])

    def get_method(self, obj) -> str:
        return "called"


class _Row:
    nowhere = None
    when = datetime.datetime(2026, 3, 29, 1, 30)  # naive: made aware as DRF does
    label = "b"

    def size_of(self):
        return 3


@pytest.mark.parametrize(
    "row",
    [
        _Row(),
        {
            "nowhere": {"name": "x"},
            "when": datetime.datetime(2026, 3, 29, 0, 59, tzinfo=datetime.UTC),
            "size_of": 5,
            "label": "",
        },
    ],
    ids=["object", "dictionary"],
)
def test_values_it_cannot_read_plainly_are_read_by_drf(row):
    sample = _Sample()
    assert sample.to_representation(row) == serializers.Serializer.to_representation(
        _Sample(), row
    )
    assert sample.to_representation(row)["method"] == "called"


def test_an_unprefetched_many_to_many_is_read_by_drf(record, django_assert_num_queries):
    from boards.api.serializers import BoardOut

    board = type(record).objects.get(pk=record.pk)  # nothing prefetched
    with django_assert_num_queries(2):  # the partners, the secretaries
        out = BoardOut().to_representation(board)
    assert len(out["partners"]) == 2
    assert out == serializers.Serializer.to_representation(BoardOut(), board)
