"""The minutes scenario: a small PMG-like board with two partners, officers, a
closed meeting with a carried motion and a confidential item, and the steps that
take its minutes to approved and circulated. Plain builders; the ``scenario``
fixture (tests/meetings/conftest.py) builds it for one test."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from governance.models import Role
from meetings.models import AgendaItem, Attendance, Meeting, MinutesJob, Motion, Vote
from meetings.services import minutes as minutes_services
from meetings.services.minutes_jobs import job_run
from tests.boards.factories import (
    AgreementFactory,
    AuthorisedOfficerFactory,
    BoardFactory,
    PartnerFactory,
    SeatFactory,
)
from tests.governance.factories import UserFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

LONDON = ZoneInfo("Europe/London")
MEETING_AT = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)


@dataclass
class Scenario:
    board: object
    meeting: Meeting
    secretary: object
    chair: object
    member: object
    officers: list
    decision: AgendaItem
    confidential: AgendaItem
    partners: list


def build_scenario(*, officers_per_partner=(2, 1), meeting_at=MEETING_AT) -> Scenario:
    council = PartnerFactory(name="Portsmouth City Council", short_name="PCC")
    ccg = PartnerFactory(name="NHS Portsmouth CCG", short_name="CCG")
    agreement = AgreementFactory(host_partner=council, partners=[council, ccg])
    secretary = UserFactory(role=Role.SECRETARY, name="Sam Secretary")
    board = BoardFactory(
        name="Partnership Management Group",
        short_name="PMG",
        agreement=agreement,
        partners=[council, ccg],
        secretaries=[secretary],
        minutes_deadline_days=7,
    )
    chair_seat = SeatFactory(
        board=board, partner=council, title="Director of Adult Care", is_chair=True
    )
    member_seat = SeatFactory(
        board=board, partner=ccg, title="CCG Chief Finance Officer"
    )
    officers = []
    for partner, count in zip((council, ccg), officers_per_partner, strict=True):
        for _ in range(count):
            officers.append(
                AuthorisedOfficerFactory(agreement=agreement, partner=partner)
            )
    # Not on the list: inactive, and a partner outside the board.
    AuthorisedOfficerFactory(agreement=agreement, partner=ccg, active=False)
    AuthorisedOfficerFactory(agreement=agreement, partner=PartnerFactory(name="Other"))
    meeting = MeetingFactory(
        board=board, starts_at=meeting_at, status=Meeting.Status.CLOSED
    )
    for seat in (chair_seat, member_seat):
        Attendance.objects.create(
            meeting=meeting,
            seat=seat,
            status=Attendance.Status.PRESENT,
            attendee=seat.holder,
        )
    decision = AgendaItemFactory(
        meeting=meeting,
        title="Better Care Fund plan 2026/27",
        order=1,
        kind=AgendaItem.Kind.DECISION,
    )
    motion = Motion.objects.create(
        item=decision,
        text="That the PMG approves the BCF plan.",
        status=Motion.Status.CLOSED,
        outcome="carried",
        quorum_snapshot={"quorate": True, "unmet": []},
    )
    for seat in (chair_seat, member_seat):
        Vote.objects.create(motion=motion, seat=seat, choice="for", cast_by=seat.holder)
    confidential = AgendaItemFactory(
        meeting=meeting,
        title="Provider contract negotiation",
        order=2,
        confidential=True,
        exempt_paragraph=3,
    )
    return Scenario(
        board=board,
        meeting=meeting,
        secretary=secretary,
        chair=chair_seat.holder,
        member=member_seat.holder,
        officers=officers,
        decision=decision,
        confidential=confidential,
        partners=[council, ccg],
    )


def approved_version(s: Scenario, narrative="The board discussed the plan."):
    version = minutes_services.minutes_start(meeting=s.meeting, by=s.secretary)
    minutes_services.minutes_entry_save(
        version=version, item=s.decision, text=narrative, by=s.secretary
    )
    minutes_services.minutes_entry_save(
        version=version,
        item=s.confidential,
        text="Commercially sensitive.",
        by=s.secretary,
    )
    return minutes_services.minutes_approve(version=version, by=s.chair)


def run_circulation_jobs() -> int:
    """The worker's part of circulation and confirmation, as it runs after commit:
    every queued ``circulated_pdfs`` job (render the missing PDFs from the frozen
    record, circulated or signed, store them, release the officers' mails).
    Returns how many ran."""
    queued = MinutesJob.objects.filter(
        kind=MinutesJob.Kind.CIRCULATED_PDFS, state=MinutesJob.State.QUEUED
    ).values_list("pk", flat=True)
    return sum(job_run(job_id=pk) for pk in list(queued))


def circulate(version, *, by, **kwargs):
    """Circulate (the request), then the worker's job; the version as stored."""
    version = minutes_services.minutes_circulate(version=version, by=by, **kwargs)
    run_circulation_jobs()
    version.refresh_from_db()
    return version


def circulated_version(s: Scenario, **kwargs):
    version = approved_version(s, **kwargs)
    return circulate(version, by=s.secretary)


def confirm(item, *, by, **kwargs):
    """Confirm at the next meeting (the request), then the worker's job rendering
    the signed PDFs; the version as stored."""
    version = minutes_services.minutes_confirm_at_meeting(item=item, by=by, **kwargs)
    run_circulation_jobs()
    version.refresh_from_db()
    return version
