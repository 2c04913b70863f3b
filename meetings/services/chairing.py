"""Writes for who chairs a meeting and for chair-only acts recorded on the chair's
written authority (SPEC s.1).

- ``meeting_chair_set``: the seat whose attendee chairs this meeting, in the capacity
  ``boards.chairs.chair_capacity`` gives (designated, alternate, or deputising where
  the board's terms allow it, JCG 7). The quorum rule's "chair required" is then met
  by whoever chairs.
- ``chair_authority_record``: what only the chair may do (late circulation, a late
  paper, a guest, approving the minutes) recorded by the secretary "on the chair's
  written authority", with the evidence (the chair's e-mail) kept with it.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from boards.chairs import ChairChoice, chair_capacity
from boards.models import Seat
from governance.exceptions import RuleViolation

from ..models import (
    Attendance,
    ChairAuthority,
    Guest,
    Meeting,
    MeetingChair,
    MinutesVersion,
    Paper,
)
from ..selectors.eligibility import seat_standing

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


@transaction.atomic
def meeting_chair_set(
    *, meeting: Meeting, seat: Seat, by, now: datetime | None = None
) -> MeetingChair:
    """Record who chairs the meeting: the person sitting in ``seat`` now.
    Refused (409) when the seat is not represented, or is neither the chair's nor an
    alternate chair's and the board's terms provide no deputising chair."""
    now = now or timezone.now()
    meeting = (
        Meeting.objects.select_for_update().select_related("board").get(pk=meeting.pk)
    )
    if meeting.status in (
        Meeting.Status.CLOSED,
        Meeting.Status.CANCELLED,
        Meeting.Status.INQUORATE,
    ):
        raise RuleViolation(
            "The meeting is over: who chaired it is part of the record.",
            rule="meeting_status",
        )
    if seat.board_id != meeting.board_id or not seat.active:
        raise ValidationError({"seat": f"{seat} is not a seat of this board."})
    record = Attendance.objects.filter(meeting=meeting, seat=seat).first()
    standing = seat_standing(meeting, seat, record=record, at=now)
    represented, by_deputy = standing.represented, standing.by_deputy
    decision = chair_capacity(
        ChairChoice(
            represented=represented,
            by_deputy=by_deputy,
            is_chair_seat=seat.is_chair,
            is_alternate_chair_seat=seat.is_alternate_chair,
        ),
        deputising_allowed=meeting.board.deputising_chair,
    )
    if decision.capacity is None:
        raise RuleViolation(
            decision.refusal[0].upper() + decision.refusal[1:] + ".",
            rule=decision.rule,
        )
    chairing = MeetingChair.objects.filter(meeting=meeting).first() or MeetingChair(
        meeting=meeting
    )
    chairing.seat = seat
    chairing.person_id = record.attendee_id or (
        seat.deputy_id if by_deputy else seat.holder_id
    )
    chairing.capacity = decision.capacity
    chairing.recorded_by = by
    chairing.recorded_at = now
    chairing.save()
    return chairing


@transaction.atomic
def chair_authority_record(
    *,
    meeting: Meeting,
    act: str,
    chair_name: str,
    evidence,
    by,
    note: str = "",
    paper: Paper | None = None,
    guest: Guest | None = None,
    minutes_version: MinutesVersion | None = None,
    now: datetime | None = None,
) -> ChairAuthority:
    """The secretary records a chair-only act "on the chair's written authority";
    the evidence (an uploaded e-mail or letter) is required and kept."""
    errors = {}
    if act not in ChairAuthority.Act.values:
        errors["act"] = f"{act!r} is not a chair-only act."
    if not chair_name.strip():
        errors["chair_name"] = "Name the chair who gave the written authority."
    if evidence is None or not getattr(evidence, "size", 0):
        errors["evidence"] = (
            "Attach the chair's written authority (the e-mail or letter)."
        )
    elif evidence.size > EVIDENCE_MAX_BYTES:
        errors["evidence"] = "The evidence may be at most 10 MB."
    if errors:
        raise ValidationError(errors)
    authority = ChairAuthority(
        meeting=meeting,
        act=act,
        paper=paper,
        guest=guest,
        minutes_version=minutes_version,
        chair_name=chair_name.strip(),
        evidence_name=getattr(evidence, "name", "")[:200],
        note=note.strip(),
        recorded_by=by,
        recorded_at=now or timezone.now(),
    )
    authority.evidence.save(getattr(evidence, "name", "evidence"), evidence, save=False)
    authority.save()
    return authority


ACT_WORDS = {
    ChairAuthority.Act.LATE_CIRCULATION: "authorises late circulation",
    ChairAuthority.Act.LATE_PAPER: "authorises a late paper",
    ChairAuthority.Act.GUEST: "agrees to a guest",
    ChairAuthority.Act.MINUTES_APPROVAL: "approves the minutes for circulation",
    ChairAuthority.Act.MINUTES_CONFIRMATION: "confirms and signs the previous "
    "minutes as a true record",
    ChairAuthority.Act.START_WITHOUT_AGENDA: (
        "authorises starting the meeting before its agenda is issued"
    ),
}


def chair_act_check(
    *, meeting: Meeting, by, act: str, authority: ChairAuthority | None
) -> None:
    """A chair-only act is done by whoever chairs the meeting, or recorded by the
    secretary on the chair's written authority (``authority``, with its evidence):
    never bypassed (SPEC s.1)."""
    from ..permissions import is_meeting_chair

    if authority is not None:
        if authority.meeting_id != meeting.pk or authority.act != act:
            raise RuleViolation(
                "The chair's written authority recorded is for another act.",
                rule="chair_authority_required",
            )
        return
    if not is_meeting_chair(by, meeting):
        raise RuleViolation(
            f"Only whoever chairs the meeting {ACT_WORDS[act]}; the secretary may "
            "record it on the chair's written authority, with the evidence attached.",
            rule="chair_authority_required",
        )


def chair_act_record(
    *,
    meeting: Meeting,
    by,
    act: str,
    authority: ChairAuthority | None,
    now: datetime | None = None,
) -> Meeting:
    """A chair-only act about the meeting itself (late circulation, starting
    without an agenda): checked (``chair_act_check``), then who authorised it and
    when recorded on the meeting, in its ``<act>_authorised_by`` and
    ``<act>_authorised_at`` fields."""
    chair_act_check(meeting=meeting, by=by, act=act, authority=authority)
    setattr(meeting, f"{act}_authorised_by", by)
    setattr(meeting, f"{act}_authorised_at", now or timezone.now())
    meeting.save(update_fields=[f"{act}_authorised_by", f"{act}_authorised_at"])
    return meeting


def _perform(act: str, meeting, target, by, authority):
    from . import agenda, guests, lifecycle, minutes, papers

    if act == ChairAuthority.Act.START_WITHOUT_AGENDA:
        lifecycle.meeting_authorise_start_without_agenda(
            meeting=meeting, by=by, authority=authority
        )
    elif act == ChairAuthority.Act.LATE_CIRCULATION:
        agenda.meeting_authorise_late_circulation(
            meeting=meeting, by=by, authority=authority
        )
    elif act == ChairAuthority.Act.LATE_PAPER:
        papers.paper_authorise_late(paper=target, by=by, authority=authority)
    elif act == ChairAuthority.Act.GUEST:
        guests.guest_approve(guest=target, by=by, authority=authority)
    elif act == ChairAuthority.Act.MINUTES_CONFIRMATION:
        minutes.minutes_confirm_at_meeting(item=target, by=by, authority=authority)
    else:
        minutes.minutes_approve(version=target, by=by, authority=authority)


@transaction.atomic
def chair_act(*, meeting, act, target, by, chair_name, evidence, note=""):
    """The secretary records the chair's written authority and does the act with it,
    in one transaction: late circulation, a late paper (``target``), a guest
    (``target``), the minutes' approval (``target``: the version) or confirming
    the previous minutes (``target``: this meeting's item "Minutes of the previous
    meeting")."""
    authority = chair_authority_record(
        meeting=meeting,
        act=act,
        chair_name=chair_name,
        evidence=evidence,
        note=note,
        by=by,
        paper=target if act == ChairAuthority.Act.LATE_PAPER else None,
        guest=target if act == ChairAuthority.Act.GUEST else None,
        minutes_version=target if act == ChairAuthority.Act.MINUTES_APPROVAL else None,
    )
    _perform(act, meeting, target, by, authority)
    return authority
