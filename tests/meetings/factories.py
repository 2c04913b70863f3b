import datetime

import factory
from django.utils import timezone

from meetings.models import AgendaItem, Attendance, Meeting, Motion, Vote
from tests.boards.factories import BoardFactory, SeatFactory


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    board = factory.SubFactory(BoardFactory)
    starts_at = factory.LazyFunction(
        lambda: timezone.now() + datetime.timedelta(days=14)
    )


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Item {n}")
    order = factory.Sequence(lambda n: n)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    seat = factory.SubFactory(SeatFactory)
    status = Attendance.Status.PRESENT


class MotionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Motion

    item = factory.SubFactory(AgendaItemFactory, kind=AgendaItem.Kind.DECISION)
    text = factory.Sequence(lambda n: f"That the board approves proposal {n}.")


class VoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vote

    motion = factory.SubFactory(MotionFactory)
    seat = factory.SubFactory(SeatFactory)
    choice = Vote.Choice.FOR
    cast_by = factory.LazyAttribute(lambda o: o.seat.holder)
