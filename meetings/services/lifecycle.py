"""Writes for a meeting's life: scheduling, moving, starting, closing, declaring it
inquorate (and reconvening it), cancelling. The agenda, papers, guests, attendance,
declarations and actions have their own modules beside this one. Each refuses with ``RuleViolation`` (HTTP 409,
a message in the view) saying which rule of the terms of reference forbids it.

Permission (who may call) is checked by views and the API with the helpers in
``meetings.permissions``; these functions check the rules of the record.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from boards.models import Board, Seat
from governance import workflow
from governance.calendar import local_date
from governance.exceptions import RuleViolation
from governance.links import absolute_url
from governance.mail import render_mail
from governance.outbox import outbox_enqueue

from .. import scheduling
from ..models import (
    AgendaItem,
    Meeting,
    Motion,
    WrittenPosition,
)
from ..quorum_snapshot import meeting_quorum
from . import agenda
from .referrals import copy_motion

Status = Meeting.Status
# The allowed state changes are data on the model (``Meeting.TRANSITIONS``), applied
# with ``governance.workflow.transition``.


def _no_open_motions(meeting: Meeting) -> None:
    """A meeting cannot end (close, cancel, inquorate) while a motion of it is still
    open for votes: no vote or decision may follow the end of the meeting."""
    open_motions = list(
        Motion.objects.filter(
            item__meeting=meeting, status=Motion.Status.OPEN
        ).values_list("item__title", flat=True)
    )
    if open_motions:
        raise RuleViolation(
            "Motions are still open for votes ("
            + "; ".join(open_motions)
            + "): close or withdraw the open motions first.",
            rule="open_motions",
        )


def _voting_seats_of(user, board: Board) -> list[Seat]:
    return list(board.seats.filter(active=True, voting=True, holder=user))


# --- scheduling -------------------------------------------------------------


@transaction.atomic
def meeting_schedule(
    *,
    board: Board,
    kind: str,
    starts_at: datetime,
    by,
    location: str = "",
    purpose: str = "",
    called_by=None,
    reconvenes: Meeting | None = None,
    now: datetime | None = None,
    recording_past: bool = False,
    deadlines_confirmed: bool = False,
) -> Meeting:
    """Schedule a meeting.

    - The date (``scheduling.meeting_date_problem``): from 2000, no more than five
      years ahead, not past unless ``recording_past`` (a meeting already held);
      refused with a field error on ``starts_at`` (the API's 400).
    - An ordinary meeting whose papers deadline has passed
      (``scheduling.papers_deadline_warning``): refused (``papers_deadline``) until
      the secretary confirms it (``deadlines_confirmed``).

    - Extraordinary (Portsmouth PMG ToR 4.6): called by a voting member (the
      secretary may convene it at a voting member's request) with not less than the
      board's clear days' notice; refused with the earliest lawful date otherwise.
    - Reconvened (Leicestershire IFPG): for an inquorate meeting of the same board,
      no later than one month after it.
    """
    now = now or timezone.now()
    if timezone.is_naive(starts_at):
        raise ValidationError({"starts_at": "Give a time with its time zone."})
    if kind not in Meeting.Kind.values:
        raise ValidationError({"kind": f"Unknown kind of meeting {kind!r}."})
    _check_date(
        board,
        kind,
        starts_at,
        now=now,
        recording_past=recording_past,
        deadlines_confirmed=deadlines_confirmed,
    )
    meeting = Meeting(
        board=board,
        kind=kind,
        starts_at=starts_at,
        location=location,
        purpose=purpose,
        notice_given_at=now,
    )
    if kind == Meeting.Kind.EXTRAORDINARY:
        caller = called_by or by
        stated = board.extraordinary_notice_clear_days is not None
        if stated and called_by is None and not _voting_seats_of(by, board):
            if not board.secretaries.filter(pk=by.pk).exists() and not getattr(
                by, "is_administrator", False
            ):
                raise RuleViolation(
                    "Only a voting member of the board may call an extraordinary "
                    "meeting (Portsmouth PMG ToR 4.6).",
                    rule="extraordinary_called_by_voting_member",
                )
            caller = None
        elif stated and called_by and not _voting_seats_of(called_by, board):
            raise RuleViolation(
                f"{called_by} holds no voting seat on {board.label}: only a voting "
                "member may call an extraordinary meeting (Portsmouth PMG ToR 4.6).",
                rule="extraordinary_called_by_voting_member",
            )
        if not purpose.strip():
            purpose = "Matters to be notified with the agenda."
            meeting.purpose = purpose
        # Portsmouth PMG ToR 4.6, only where the board's terms state a notice period.
        if stated:
            check = scheduling.extraordinary_notice(
                notice_given=local_date(now),
                meeting_on=local_date(starts_at),
                required_clear_days=board.extraordinary_notice_clear_days,
                working_days_only=board.clear_days_working_only,
            )
            if not check.lawful:
                raise RuleViolation(check.message, rule="extraordinary_notice")
        meeting.called_by = caller
    elif kind == Meeting.Kind.RECONVENED:
        if reconvenes is None or reconvenes.board_id != board.pk:
            raise RuleViolation(
                "A reconvened meeting must name the inquorate meeting of this board "
                "it reconvenes.",
                rule="reconvene",
            )
        if reconvenes.status != Status.INQUORATE:
            raise RuleViolation(
                "Only an inquorate meeting is reconvened.", rule="reconvene"
            )
        _check_reconvene_deadline(board, reconvenes, starts_at)
        meeting.reconvenes = reconvenes
    meeting.full_clean(exclude=["board", "called_by", "reconvenes"])
    meeting.save()
    if reconvenes is not None:
        _copy_agenda(reconvenes, meeting)
    agenda.agenda_standing_items_add(meeting=meeting)
    return meeting


def _check_date(
    board: Board,
    kind: str,
    starts_at: datetime,
    *,
    now: datetime,
    recording_past: bool,
    deadlines_confirmed: bool,
) -> None:
    """The date's range, and an ordinary meeting's papers deadline (see
    ``meeting_schedule``)."""
    today, meeting_on = local_date(now), local_date(starts_at)
    problem = scheduling.meeting_date_problem(
        meeting_on, today=today, recording_past=recording_past
    )
    if problem:
        raise ValidationError({"starts_at": problem})
    if kind != Meeting.Kind.ORDINARY or deadlines_confirmed:
        return
    warning = scheduling.papers_deadline_warning(
        meeting_on, today=today, papers_working_days=board.papers_working_days
    )
    if warning:
        raise RuleViolation(
            warning + " Confirm to schedule it on this date anyway.",
            rule="papers_deadline",
        )


def _check_reconvene_deadline(board: Board, inquorate: Meeting, starts_at) -> None:
    """Leicestershire IFPG: "the meeting will be re-convened within one month of the
    date of the inquoracy", only where the board's terms state a period."""
    if board.reconvene_within_days is None:
        return
    deadline = scheduling.reconvene_deadline(
        local_date(inquorate.starts_at), within_days=board.reconvene_within_days
    )
    if local_date(starts_at) > deadline:
        raise RuleViolation(
            "An inquorate meeting must be reconvened within "
            f"{board.reconvene_within_days} days: no later than "
            f"{scheduling.fmt(deadline)}.",
            rule="reconvene_deadline",
        )


def _copy_agenda(source: Meeting, target: Meeting) -> None:
    """A reconvened meeting takes the business the inquorate one could not: each
    item with its motion (text, financial value, committed partners) and the written
    positions partners gave on it (SPEC s.2)."""
    items = (
        source.items.filter(standing=AgendaItem.Standing.BUSINESS)
        .select_related("motion")
        .prefetch_related("written_positions")
        .order_by("order", "id")
    )
    for item in items:
        copy = AgendaItem.objects.create(
            meeting=target,
            order=item.order,
            title=item.title,
            business_type=item.business_type,
            kind=item.kind,
            presenter=item.presenter,
            confidential=item.confidential,
            exempt_paragraph=item.exempt_paragraph,
            referred_from=item,
            carried_forward_reason="Meeting inquorate: reconvened.",
        )
        motion = getattr(item, "motion", None)
        if motion is not None:
            copy_motion(motion, copy)
        for position in item.written_positions.all():
            WrittenPosition.objects.create(
                item=copy,
                partner_id=position.partner_id,
                position=position.position,
                text=position.text,
                filed_by_id=position.filed_by_id,
            )


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    starts_at: datetime,
    location: str,
    purpose: str,
    by,
    now: datetime | None = None,
    recording_past: bool = False,
    deadlines_confirmed: bool = False,
    notify: bool = True,
) -> Meeting:
    """Move a scheduled meeting or change its place and purpose. A new date is
    checked as when scheduling (range, papers deadline); moving an extraordinary
    meeting is fresh notice, checked again; a reconvened meeting stays within one
    month of the inquorate one. Members and deputies are mailed the new date or
    place (``notify``)."""
    now = now or timezone.now()
    meeting = (
        Meeting.objects.select_for_update().select_related("board").get(pk=meeting.pk)
    )
    if workflow.check(Meeting.TRANSITIONS, meeting.status, "edit") is None:
        raise RuleViolation(
            "Only a scheduled meeting can be moved.", rule="meeting_status"
        )
    if timezone.is_naive(starts_at):
        raise ValidationError({"starts_at": "Give a time with its time zone."})
    board = meeting.board
    before = (meeting.starts_at, meeting.location)
    if starts_at != meeting.starts_at:
        if local_date(starts_at) != local_date(meeting.starts_at):
            _check_date(
                board,
                meeting.kind,
                starts_at,
                now=now,
                recording_past=recording_past,
                deadlines_confirmed=deadlines_confirmed,
            )
        if (
            meeting.kind == Meeting.Kind.EXTRAORDINARY
            and board.extraordinary_notice_clear_days is not None
        ):
            check = scheduling.extraordinary_notice(
                notice_given=local_date(now),
                meeting_on=local_date(starts_at),
                required_clear_days=board.extraordinary_notice_clear_days,
                working_days_only=board.clear_days_working_only,
            )
            if not check.lawful:
                raise RuleViolation(check.message, rule="extraordinary_notice")
            meeting.notice_given_at = now
        if meeting.kind == Meeting.Kind.RECONVENED and meeting.reconvenes_id:
            _check_reconvene_deadline(board, meeting.reconvenes, starts_at)
    meeting.starts_at = starts_at
    meeting.location = location
    meeting.purpose = purpose
    meeting.save(update_fields=["starts_at", "location", "purpose", "notice_given_at"])
    if notify and (meeting.starts_at, meeting.location) != before:
        _notify_members(
            meeting,
            "emails/meeting_moved",
            key=f"moved:{meeting.pk}:{now:%Y%m%d%H%M%S}",
            before=before[0],
            before_location=before[1],
        )
    return meeting


def _notify_members(meeting: Meeting, mail: str, *, key: str, **context) -> int:
    """E-mail each holder and deputy of the board's active seats, and its
    secretaries, the mail ``mail`` (``governance.mail``, links from ``SITE_URL``)
    through the outbox, in this transaction; one message per person. Returns how
    many were queued."""
    board = meeting.board
    people = {}
    for seat in board.seats.filter(active=True).select_related("holder", "deputy"):
        for person in (seat.holder, seat.deputy):
            if person is not None and person.email and person.is_active:
                people[person.pk] = person
    for person in board.secretaries.filter(is_active=True).exclude(email=""):
        people[person.pk] = person
    link = absolute_url(meeting)
    for person in people.values():
        subject, body = render_mail(
            mail,
            {"person": person, "meeting": meeting, "meeting_link": link, **context},
        )
        outbox_enqueue(
            key=f"{key}:{person.pk}", to=person.email, subject=subject, body=body
        )
    return len(people)


def start_refusals(
    meeting: Meeting, *, now: datetime, reason: str = ""
) -> list[RuleViolation]:
    """Why the meeting cannot start now (the status and quorum aside), each with its
    rule code; empty when nothing stands in the way. The run page lists them by the
    Start button.

    - **Its day** (rule chosen, the terms are silent): a meeting is held on the day
      its notice gave (Europe/London); started on another day only with the reason
      recorded, which goes in the minutes and the audit history (``meeting_day``).
    - **Its agenda issued** (Leicestershire IE: the agenda and papers are issued
      before the meeting): or whoever chairs authorised starting without it, or the
      secretary recorded the chair's written authority (``agenda_not_issued``).
    """
    refusals = []
    day, today = local_date(meeting.starts_at), local_date(now)
    if day != today and not reason.strip():
        refusals.append(
            RuleViolation(
                f"The meeting is set for {scheduling.fmt(day)}; today is "
                f"{scheduling.fmt(today)}. To start it on another day, record the "
                "reason: it goes in the minutes.",
                rule="meeting_day",
            )
        )
    if (
        meeting.agenda_published_at is None
        and meeting.start_without_agenda_authorised_at is None
    ):
        refusals.append(
            RuleViolation(
                "The agenda has not been issued. Issue the agenda and papers first, "
                "or whoever chairs authorises starting without an issued agenda (the "
                "secretary may record the chair's written authority).",
                rule="agenda_not_issued",
            )
        )
    return refusals


@transaction.atomic
def meeting_start(
    *, meeting: Meeting, by, now: datetime | None = None, reason: str = ""
) -> Meeting:
    """Open the meeting: on its day (or with the reason recorded), once its agenda
    is issued (or with the chair's recorded authority), and refused while it is
    inquorate for routine business (Leicestershire IFPG: "cannot meet unless
    quorate")."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    workflow.require(meeting, "start")
    refusals = start_refusals(meeting, now=now, reason=reason)
    if refusals:
        raise refusals[0]
    result = meeting_quorum(meeting, business_type="routine")
    if not result.quorate:
        raise RuleViolation(
            "The meeting is not quorate and cannot start: " + "; ".join(result.unmet),
            rule="quorum",
        )
    workflow.transition(meeting, "start")
    meeting.started_at = now
    if local_date(meeting.starts_at) != local_date(now):
        meeting.start_reason = reason.strip()
    meeting.save(update_fields=["status", "started_at", "start_reason"])
    return meeting


@transaction.atomic
def meeting_authorise_start_without_agenda(
    *, meeting: Meeting, by, now: datetime | None = None, authority=None
) -> Meeting:
    """Whoever chairs the meeting authorises starting it before the agenda is
    issued, or the secretary records it on the chair's written authority
    (``authority``): a chair-only act, as late circulation."""
    from .chairing import chair_act_record

    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    workflow.require(meeting, "start")
    return chair_act_record(
        meeting=meeting,
        by=by,
        act="start_without_agenda",
        authority=authority,
        now=now,
    )


@transaction.atomic
def meeting_close(*, meeting: Meeting, by, now: datetime | None = None) -> Meeting:
    """Close the meeting; refused while a motion is still open for votes."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _no_open_motions(meeting)
    workflow.transition(meeting, "close")
    meeting.closed_at = now or timezone.now()
    meeting.save(update_fields=["status", "closed_at"])
    return meeting


@transaction.atomic
def meeting_declare_inquorate(
    *, meeting: Meeting, by, now: datetime | None = None
) -> Meeting:
    """Record that the meeting could not take place or continue for want of a
    quorum. Refused while the attendance recorded is quorate."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    result = meeting_quorum(meeting, business_type="routine")
    if result.quorate:
        raise RuleViolation(
            "The attendance recorded is quorate; the meeting is not inquorate.",
            rule="quorum",
        )
    _no_open_motions(meeting)
    workflow.transition(meeting, "inquorate")
    meeting.closed_at = now or timezone.now()
    meeting.save(update_fields=["status", "closed_at"])
    return meeting


@transaction.atomic
def meeting_cancel(
    *, meeting: Meeting, by, reason: str = "", now: datetime | None = None
) -> Meeting:
    """Cancel a scheduled meeting, with the reason if given; members, deputies and
    the secretaries are mailed the cancellation."""
    now = now or timezone.now()
    meeting = (
        Meeting.objects.select_for_update().select_related("board").get(pk=meeting.pk)
    )
    _no_open_motions(meeting)
    workflow.transition(meeting, "cancel")
    meeting.cancelled_reason = reason.strip()
    meeting.save(update_fields=["status", "cancelled_reason"])
    _notify_members(meeting, "emails/meeting_cancelled", key=f"cancelled:{meeting.pk}")
    return meeting


# The status actions of a meeting (names from ``Meeting.TRANSITIONS``) and the
# service doing each: one table for the meeting page and the API, which add only
# their own words.
STATUS_SERVICES = {
    "publish": agenda.meeting_publish_agenda,
    "start": meeting_start,
    "close": meeting_close,
    "inquorate": meeting_declare_inquorate,
    "cancel": meeting_cancel,
}
