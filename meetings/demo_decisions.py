"""Demo decisions, built through the decision services so the record is what the
product itself would have kept. Idempotent: a scenario whose first item exists is
left alone.

- Portsmouth PMG: "Redistribution of BCF contributions between schemes" was not
  agreed unanimously at the last meeting and is referred, once, to the next meeting
  (Portsmouth PMG ToR 4.3).
- West Kent Section 75 Group: "Mobile clinical services: extension of contract"
  failed twice and is escalated to the dispute resolution procedure of the agreement
  (West Kent 3.3); the escalation is open and the authorised officers were e-mailed.
"""

import datetime

from django.utils import timezone

from boards.models import Board, Seat
from governance.models import User

from .models import AgendaItem, Attendance, Meeting, Motion
from .services import motions, votes

PMG_ITEM = "Redistribution of BCF contributions between schemes"
WK_ITEM = "Mobile clinical services: extension of contract"


def _board(name: str) -> Board | None:
    return Board.objects.filter(name=name).first()


def _actor() -> User:
    return (
        User.objects.filter(email="admin@demo.example").first()
        or User.objects.filter(is_superuser=True).first()
    )


def _at(days_ago: int, hour: int = 14) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour, 0)),
        timezone.get_current_timezone(),
    )


def _meeting(board: Board, starts_at: datetime.datetime) -> Meeting:
    meeting = Meeting.objects.create(
        board=board,
        starts_at=starts_at,
        status=Meeting.Status.IN_PROGRESS,
        started_at=starts_at,
        location="Civic Offices, committee room 1",
    )
    for seat in board.seats.filter(active=True):
        Attendance.objects.get_or_create(
            meeting=meeting,
            seat=seat,
            defaults={"status": Attendance.Status.PRESENT, "attendee": seat.holder},
        )
    return meeting


def _item(meeting: Meeting, title: str, text: str, value: str | None) -> AgendaItem:
    item = AgendaItem.objects.create(
        meeting=meeting,
        order=(meeting.items.count() + 1),
        title=title,
        kind=AgendaItem.Kind.DECISION,
        business_type="pooled_fund",
    )
    motion = Motion.objects.create(item=item, text=text, financial_value=value)
    motion.commits.set(meeting.board.partners.all())
    return item


def _put_and_vote(motion: Motion, at, dissent: Seat | None, actor: User):
    motions.motion_open(motion=motion, by=actor, now=at)
    for seat in Seat.objects.filter(
        board=motion.item.meeting.board, voting=True, active=True
    ):
        choice = "abstain" if seat == dissent else "for"
        votes.vote_cast(
            motion=motion, seat=seat, choice=choice, by=seat.holder or actor, now=at
        )
    return motions.motion_close(motion=motion, by=actor, now=at)


def _finish(meeting: Meeting, at) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.CLOSED, closed_at=at
    )


def _pmg(actor: User) -> None:
    board = _board(
        "Better Care & Integrated Commissioning Service Partnership Management Group"
    )
    if (
        board is None
        or AgendaItem.objects.filter(meeting__board=board, title=PMG_ITEM).exists()
    ):
        return
    at = _at(days_ago=35)
    meeting = _meeting(board, at)
    item = _item(
        meeting,
        PMG_ITEM,
        "That the PMG moves £250,000 of the BCF pooled fund from the Integrated "
        "Discharge scheme to Community Equipment within the aggregate of the "
        "contributions (PMG ToR 5.1.2).",
        "250000.00",
    )
    dissent = board.seats.filter(voting=True, partner__name__icontains="CCG").first()
    _put_and_vote(item.motion, at + datetime.timedelta(hours=1), dissent, actor)
    _finish(meeting, at + datetime.timedelta(hours=2))


def _west_kent(actor: User) -> None:
    board = _board("West Kent Section 75 Group")
    if (
        board is None
        or AgendaItem.objects.filter(meeting__board=board, title=WK_ITEM).exists()
    ):
        return
    text = (
        "That the Group agrees to extend the Mobile Clinical Services contract "
        "(BCF REF WK004) for twelve months within the scheme budget of £94,000."
    )
    dissent = board.seats.filter(
        voting=True, partner__name__icontains="Kent County"
    ).first()
    first_at, second_at = _at(days_ago=120), _at(days_ago=30)
    first = _meeting(board, first_at)
    second = _meeting(board, second_at)
    Meeting.objects.filter(pk=second.pk).update(
        status=Meeting.Status.SCHEDULED, started_at=None
    )
    item = _item(first, WK_ITEM, text, "94000.00")
    result = _put_and_vote(
        item.motion, first_at + datetime.timedelta(hours=1), dissent, actor
    )
    _finish(first, first_at + datetime.timedelta(hours=2))
    referred = result.referred_to_item
    if referred is None:
        return
    if referred.meeting_id != second.pk:
        AgendaItem.objects.filter(pk=referred.pk).update(meeting=second)
    Meeting.objects.filter(pk=second.pk).update(
        status=Meeting.Status.IN_PROGRESS, started_at=second_at
    )
    referred.refresh_from_db()
    _put_and_vote(
        referred.motion, second_at + datetime.timedelta(hours=1), dissent, actor
    )
    _finish(second, second_at + datetime.timedelta(hours=2))


def load() -> None:
    actor = _actor()
    if actor is None:
        return
    _pmg(actor)
    _west_kent(actor)
