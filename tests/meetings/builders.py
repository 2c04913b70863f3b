"""Plain builders for the meetings tests (not fixtures, so other areas' conftest
files cannot collide with them)."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from boards.models import PartnerKind
from governance.models import Role
from tests.boards.factories import (
    BoardFactory,
    PartnerFactory,
    QuorumRuleFactory,
    SeatFactory,
)
from tests.governance.factories import UserFactory
from tests.meetings.factories import MeetingFactory


@dataclass
class Built:
    board: object
    partners: list
    seats: list
    secretary: object
    meeting: object = None
    extra: dict = field(default_factory=dict)


def pmg(
    *, seats_per_partner: int = 1, voting: bool = True, meeting: bool = True, **board
):
    """A PMG-like board: a council and a CCG, one voting representative of each
    needed (Portsmouth PMG ToR 4.2), with a secretary and an upcoming meeting."""
    council = PartnerFactory(
        name="Portsmouth City Council", kind=PartnerKind.LOCAL_AUTHORITY
    )
    ccg = PartnerFactory(name="NHS Portsmouth CCG", kind=PartnerKind.NHS_BODY)
    secretary = UserFactory(role=Role.SECRETARY)
    b = BoardFactory(partners=[council, ccg], secretaries=[secretary], **board)
    QuorumRuleFactory(board=b, business_type="routine", min_voting_per_partner=1)
    seats = []
    for partner in (council, ccg):
        for n in range(seats_per_partner):
            seats.append(
                SeatFactory(
                    board=b,
                    partner=partner,
                    voting=voting,
                    title=f"{partner.name} seat {n}",
                    order=len(seats),
                )
            )
    m = None
    if meeting:
        m = MeetingFactory(
            board=b,
            starts_at=timezone.now() + datetime.timedelta(days=21),
        )
    return Built(b, [council, ccg], seats, secretary, m)
