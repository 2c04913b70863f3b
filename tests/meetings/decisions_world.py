"""A small world for the decisions tests: a PMG-like board of a council and a CCG,
two voting seats each and a non-voting seat, a secretary, authorised officers, and a
meeting in progress with everyone present and one decision item. Like the PMG, the
board's terms carry the absent-partner rule (4.4) and the delegated-authority rule
(5.2), and each voting seat has a recorded limit well above any test's motion."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from boards.models import PartnerKind
from governance.models import Role
from meetings.models import AgendaItem, Attendance, Meeting, Motion
from tests.boards.factories import (
    AgreementFactory,
    AuthorisedOfficerFactory,
    BoardFactory,
    PartnerFactory,
    QuorumRuleFactory,
    SeatFactory,
)
from tests.governance.factories import UserFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory


@dataclass
class World:
    board: object
    council: object
    ccg: object
    secretary: object
    c1: object
    c2: object
    nv: object
    h1: object
    h2: object
    meeting: object
    item: object
    motion: object
    officers: list

    @property
    def voting(self):
        return [self.c1, self.c2, self.h1, self.h2]


LIMIT = Decimal("10000000.00")


def build(*, started=True, attend=True, **board_kwargs) -> World:
    board_kwargs.setdefault("absent_partner_rule", True)
    board_kwargs.setdefault("delegated_authority_rule", True)
    council = PartnerFactory(
        name="Portsmouth City Council", kind=PartnerKind.LOCAL_AUTHORITY
    )
    ccg = PartnerFactory(name="NHS Portsmouth CCG", kind=PartnerKind.NHS_BODY)
    agreement = AgreementFactory(host_partner=council, partners=[council, ccg])
    officers = [
        AuthorisedOfficerFactory(agreement=agreement, partner=council),
        AuthorisedOfficerFactory(agreement=agreement, partner=ccg),
    ]
    AuthorisedOfficerFactory(agreement=agreement, partner=ccg, active=False)
    secretary = UserFactory(role=Role.SECRETARY)
    board = BoardFactory(
        partners=[council, ccg],
        secretaries=[secretary],
        agreement=agreement,
        **board_kwargs,
    )
    QuorumRuleFactory(board=board, business_type="routine", min_voting_per_partner=1)
    now = timezone.now()
    c1 = SeatFactory(
        board=board,
        partner=council,
        title="Council s151 Officer",
        order=1,
        delegated_authority_limit=LIMIT,
    )
    c2 = SeatFactory(
        board=board,
        partner=council,
        title="Council Director",
        order=2,
        delegated_authority_limit=LIMIT,
    )
    nv = SeatFactory(
        board=board, partner=council, title="Council adviser", voting=False, order=3
    )
    h1 = SeatFactory(
        board=board,
        partner=ccg,
        title="CCG Chief Finance Officer",
        order=4,
        deputy=UserFactory(),
        deputy_notified_on=(now - datetime.timedelta(days=10)).date(),
        delegated_authority_limit=LIMIT,
    )
    h2 = SeatFactory(
        board=board,
        partner=ccg,
        title="CCG Director",
        order=5,
        delegated_authority_limit=LIMIT,
    )
    if started:
        meeting = MeetingFactory(
            board=board,
            starts_at=now - datetime.timedelta(hours=1),
            status=Meeting.Status.IN_PROGRESS,
            started_at=now - datetime.timedelta(hours=1),
        )
    else:
        meeting = MeetingFactory(
            board=board, starts_at=now + datetime.timedelta(days=14)
        )
    if attend:
        for seat in (c1, c2, nv, h1, h2):
            Attendance.objects.create(
                meeting=meeting,
                seat=seat,
                status=Attendance.Status.PRESENT,
                attendee=seat.holder,
            )
    item = AgendaItemFactory(
        meeting=meeting, kind=AgendaItem.Kind.DECISION, title="Approve the BCF plan"
    )
    motion = Motion.objects.create(
        item=item, text="That the PMG approves the BCF plan."
    )
    motion.commits.set([council, ccg])
    return World(
        board,
        council,
        ccg,
        secretary,
        c1,
        c2,
        nv,
        h1,
        h2,
        meeting,
        item,
        motion,
        officers,
    )


def attend(world: World, seat, status, *, notified=False):
    Attendance.objects.update_or_create(
        meeting=world.meeting,
        seat=seat,
        defaults={
            "status": status,
            "deputy_notified": notified,
            "attendee": seat.deputy if status == "deputy" else seat.holder,
        },
    )


def next_meeting(world: World, days=60) -> Meeting:
    return MeetingFactory(
        board=world.board,
        starts_at=world.meeting.starts_at + datetime.timedelta(days=days),
    )
