"""The world the permission matrix runs in (tests/security/test_permission_matrix.py).

Seven people, one per role, and everything they could be asked about: board A
(where the secretary serves and member A holds a voting seat), board B (the fund's
board: the secretary serves it too, member B holds its chair and nothing on board A),
a pooled fund on board B with its finance officer and manager, a held meeting of
board A with circulated minutes, a coming meeting with an agenda item, a motion and
a paper, an action, a guest awaiting approval, an escalation on board B, a finished
minutes job and a background import. Built with factories and services, never from
the demo, so a change to the demo data cannot quietly empty a row.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from boards.models import Board, PartnerKind
from governance.models import Role, User
from meetings.models import AgendaItem, Attendance, Meeting, MinutesJob, Motion
from meetings.pdf import html_to_pdf
from meetings.services import minutes as minutes_services
from meetings.services.escalations import escalation_open
from meetings.services.guests import guest_invite
from meetings.services.papers import paper_upload
from pooled_funds.models import ImportJob, Metric, Return
from pooled_funds.services.returns import return_enter
from tests.boards.factories import (
    AgreementFactory,
    AuthorisedOfficerFactory,
    BoardFactory,
    PartnerFactory,
    QuorumRuleFactory,
    SeatFactory,
    TermsOfReferenceFactory,
)
from tests.governance.factories import UserFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.meetings.minutes_scenario import circulate
from tests.pooled_funds.factories import (
    ContributionFactory,
    PooledFundFactory,
    SchemeFactory,
)

ROLES = ("ADM", "SEC", "MEM_A", "MEM_B", "FIN", "MGR", "AUD")
PDF = html_to_pdf("<p>Paper</p>")


def at(days: int, hour: int = 10) -> datetime.datetime:
    """A moment ``days`` from today (local time), at ``hour``."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@dataclass
class World:
    users: dict[str, User]
    council: object  # board A's partners
    ccg: object
    agreement: object
    officer: object
    board: Board  # board A
    chair_seat: object
    seat: object  # member A's seat on board A
    quorum_rule: object
    board_b: Board
    seat_b: object
    fund: object
    held: Meeting  # board A, closed, minutes circulated
    held_item: AgendaItem
    coming: Meeting  # board A, scheduled
    item: AgendaItem  # on the coming meeting, with a draft motion and a paper
    motion: Motion
    paper: object
    action: object
    guest: object
    escalation: object  # board B
    version: object  # the held meeting's circulated minutes
    job: MinutesJob  # requested by the secretary, done
    ret: Return  # a draft return of the fund, entered by the finance officer
    import_job: ImportJob
    invitation: object  # pending, to board A, sent by the administrator
    scheme: object  # the fund's scheme S1
    contribution: object  # the CCG's contribution to the fund
    extra: dict = field(default_factory=dict)

    def ids(self) -> dict[str, int]:
        """What a URL's parameters are filled with, by the object they name."""
        return {
            "board": self.board.pk,
            "seat": self.seat.pk,
            "quorum_rule": self.quorum_rule.pk,
            "partner": self.council.pk,
            "agreement": self.agreement.pk,
            "officer": self.officer.pk,
            "meeting": self.held.pk,
            "item": self.held_item.pk,
            "paper": self.paper.pk,
            "guest": self.guest.pk,
            "action": self.action.pk,
            "motion": self.motion.pk,
            "escalation": self.escalation.pk,
            "version": self.version.pk,
            "job": self.job.pk,
            "person": self.users["MEM_A"].pk,
            "fund": self.fund.pk,
            "return": self.ret.pk,
            "import": self.import_job.pk,
            "invitation": self.invitation.pk,
            "scheme": self.scheme.pk,
            "contribution": self.contribution.pk,
            # For the escalation rows: a vacant seat on board A, someone who may be
            # a fund's manager but is not this fund's, and the fund's agreement and
            # host (to create a fund beside it).
            "vacant_seat": self.chair_seat.pk,
            "administrator": self.users["ADM"].pk,
            "fin": self.users["FIN"].pk,
            "fund_agreement": self.fund.agreement_id,
            "fund_host": self.fund.host_partner_id,
        }


def lines(fund, **changes) -> list[dict]:
    """A return's lines for every scheme of the fund, on budget."""
    return [
        {
            "scheme": scheme.reference,
            "budget": str(scheme.budget),
            "actual_to_date": str(scheme.budget / 4),
            "forecast_outturn": str(scheme.budget),
            **changes,
        }
        for scheme in fund.schemes.order_by("reference")
    ]


def people() -> dict[str, User]:
    return {
        "ADM": UserFactory(
            email="adm@matrix.example",
            role=Role.ADMINISTRATOR,
            is_staff=True,
            is_superuser=True,
        ),
        "SEC": UserFactory(email="sec@matrix.example", role=Role.SECRETARY),
        "MEM_A": UserFactory(email="mem.a@matrix.example", role=Role.MEMBER),
        "MEM_B": UserFactory(email="mem.b@matrix.example", role=Role.MEMBER),
        "FIN": UserFactory(email="fin@matrix.example", role=Role.FINANCE_OFFICER),
        "MGR": UserFactory(email="mgr@matrix.example", role=Role.FUND_MANAGER),
        "AUD": UserFactory(email="aud@matrix.example", role=Role.AUDITOR),
    }


def build_world() -> World:
    users = people()
    sec = users["SEC"]
    council = PartnerFactory(
        name="Matrix City Council", kind=PartnerKind.LOCAL_AUTHORITY
    )
    ccg = PartnerFactory(name="NHS Matrix CCG", kind=PartnerKind.NHS_BODY)
    agreement = AgreementFactory(host_partner=council, partners=[council, ccg])
    officer = AuthorisedOfficerFactory(agreement=agreement, partner=council)
    AuthorisedOfficerFactory(agreement=agreement, partner=ccg)
    board = BoardFactory(
        name="Matrix Partnership Management Group",
        agreement=agreement,
        partners=[council, ccg],
        secretaries=[sec],
    )
    chair_seat = SeatFactory(
        board=board, partner=council, title="Council Director", is_chair=True, order=1
    )
    seat = SeatFactory(
        board=board,
        partner=ccg,
        title="CCG Chief Finance Officer",
        holder=users["MEM_A"],
        deputy=UserFactory(email="deputy.a@matrix.example"),
        deputy_notified_on=timezone.localdate() - datetime.timedelta(days=30),
        order=2,
    )
    quorum_rule = QuorumRuleFactory(
        board=board, business_type="routine", min_voting_per_partner=1
    )
    TermsOfReferenceFactory(board=board)

    council_b = PartnerFactory(name="Matrix County Council", kind="local_authority")
    ccg_b = PartnerFactory(name="NHS Matrix West CCG", kind=PartnerKind.NHS_BODY)
    agreement_b = AgreementFactory(host_partner=council_b, partners=[council_b, ccg_b])
    AuthorisedOfficerFactory(agreement=agreement_b, partner=council_b)
    fund = PooledFundFactory(
        agreement=agreement_b,
        board__partners=[council_b, ccg_b],
        board__secretaries=[sec],
        board__name="Matrix Section 75 Group",
        host_partner=council_b,
        manager=users["MGR"],
        finance_officers=[users["FIN"]],
    )
    board_b = fund.board
    SeatFactory(board=board_b, partner=council_b, title="Council Director", order=1)
    seat_b = SeatFactory(
        board=board_b,
        partner=ccg_b,
        title="CCG Director",
        holder=users["MEM_B"],
        is_chair=True,
    )
    QuorumRuleFactory(board=board_b, business_type="routine")
    contribution = ContributionFactory(
        fund=fund, partner=ccg_b, amount=Decimal("600000")
    )
    ContributionFactory(fund=fund, partner=council_b, amount=Decimal("400000"))
    scheme = SchemeFactory(
        fund=fund, reference="S1", lead_partner=ccg_b, budget=Decimal("600000")
    )
    SchemeFactory(
        fund=fund, reference="S2", lead_partner=council_b, budget=Decimal("400000")
    )
    Metric.objects.create(fund=fund, name="Non-elective admissions", planned=9049)

    held = held_meeting(board, [chair_seat, seat], days=-20)
    held_item = held.items.get()
    version = minutes_services.minutes_start(meeting=held, by=sec)
    version = minutes_services.minutes_approve(version=version, by=chair_seat.holder)
    version = circulate(version, by=sec)

    coming = MeetingFactory(board=board, starts_at=at(30), agenda_published_at=at(-1))
    item = AgendaItemFactory(
        meeting=coming, title="Approve the BCF plan", kind=AgendaItem.Kind.DECISION
    )
    motion = Motion.objects.create(item=item, text="That the board approves the plan.")
    motion.commits.set([council, ccg])
    paper = paper_upload(
        item=item,
        title="BCF plan",
        upload=SimpleUploadedFile("plan.pdf", PDF, "application/pdf"),
        by=sec,
    )
    action = minutes_action(held, sec)
    guest = guest_invite(
        meeting=coming, name="Visiting officer", items=[item], by=sec, approved=False
    )

    held_b = held_meeting(board_b, [seat_b], days=-10)
    escalation = escalation_open(
        motion=held_b.items.get().motion, path="dispute_resolution"
    )

    job = MinutesJob.objects.create(
        kind=MinutesJob.Kind.AGENDA_PACK,
        meeting=held,
        requested_by=sec,
        state=MinutesJob.State.DONE,
        result=PDF,
        result_name="pack.pdf",
        result_mimetype="application/pdf",
        sha256="0" * 64,
    )
    ret = return_enter(fund=fund, period="2015-Q1", rows=lines(fund), user=users["FIN"])
    import_job = ImportJob.objects.create(
        fund=fund,
        period="2015-Q2",
        filename="q2.csv",
        content=b"period,scheme\n",
        uploaded_by=users["FIN"],
    )
    return World(
        users=users,
        council=council,
        ccg=ccg,
        agreement=agreement,
        officer=officer,
        board=board,
        chair_seat=chair_seat,
        seat=seat,
        quorum_rule=quorum_rule,
        board_b=board_b,
        seat_b=seat_b,
        fund=fund,
        held=held,
        held_item=held_item,
        coming=coming,
        item=item,
        motion=motion,
        paper=paper,
        action=action,
        guest=guest,
        escalation=escalation,
        version=version,
        job=job,
        ret=ret,
        import_job=import_job,
        invitation=invitation(board, users["ADM"]),
        scheme=scheme,
        contribution=contribution,
    )


def invitation(board, by):
    """A pending invitation to a board, sent by the administrator: the board's
    secretary may resend or revoke it (the grant table), nobody else but
    administrators."""
    from governance.models import Invitation

    invited = UserFactory(email="invited@matrix.example", name="Ivy Invited")
    return Invitation.objects.create(
        person=invited,
        invited_by=by,
        role="member",
        scope_id=board.pk,
        role_label=f"Member: {board.name}",
        token_hash="0" * 64,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )


def held_meeting(board, seats, *, days: int) -> Meeting:
    """A closed meeting ``days`` ago with everyone present and a carried motion."""
    meeting = MeetingFactory(
        board=board,
        starts_at=at(days),
        started_at=at(days),
        status=Meeting.Status.CLOSED,
    )
    for seat in seats:
        Attendance.objects.create(
            meeting=meeting, seat=seat, status="present", attendee=seat.holder
        )
    item = AgendaItemFactory(
        meeting=meeting, title="Agree the plan", kind=AgendaItem.Kind.DECISION
    )
    Motion.objects.create(
        item=item,
        text="That the plan is agreed.",
        status=Motion.Status.CLOSED,
        outcome="carried",
        closed_at=meeting.starts_at,
    )
    return meeting


def minutes_action(meeting, by):
    from meetings.services.actions import action_add

    return action_add(
        meeting=meeting, description="Send the plan round", owner_name="Sam", by=by
    )
