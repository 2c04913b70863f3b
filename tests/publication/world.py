"""A small record for the publication tests: a published board and one that does
not publish, each with a held meeting (an ordinary item and a confidential one, both
decided, with papers and circulated minutes), a meeting whose agenda is not issued,
an issued agenda with a late paper nobody authorised, and draft minutes.

Every text that must never reach the public carries a marker from ``SECRETS``; the
public record carries markers from ``PUBLIC``, so a walk can prove it looked at real
content and not at empty pages."""

import datetime
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from boards.models import Board
from meetings.models import (
    AgendaItem,
    Attendance,
    ChairAuthority,
    Meeting,
    MinutesVersion,
    Motion,
    Paper,
)
from meetings.services import minutes as minutes_services
from meetings.services.chairing import chair_act
from publication.services import papers as paper_services
from publication.services.publication import board_publication_set
from tests.boards.factories import BoardFactory, SeatFactory
from tests.governance.factories import UserFactory

from .pdfs import text_pdf

SECRETS = {
    "confidential_title": "Quagmire contract award",
    "confidential_motion": "awarded to Zanzibar Logistics",
    "confidential_paper": "Bidder evaluation zephyrine",
    "confidential_paper_text": "commercial sensitivity xylophonic",
    "confidential_minutes": "negotiated discount of marmalade percent",
    "hidden_board": "Obsidian Partnership Board",
    "hidden_item": "Obsidian reconfiguration plan",
    "hidden_paper_text": "obsidian capital programme",
    "unissued_item": "Petrichor service review",
    "unissued_paper_text": "petrichor options appraisal",
    "late_paper": "Late quokka update",
    "late_paper_text": "quokka figures arrived late",
    "draft_minutes": "draft narrative wombat",
    "notes": "secretary note kumquat",
}
PUBLIC = {
    "board": "Lighthouse Partnership Board",
    "item": "Hospital discharge redistribution",
    "motion": "moves funds to hospital discharge",
    "paper": "Discharge report heliotrope",
    "paper_text": "hospital discharge heliotrope analysis",
    "minutes": "The board discussed hospital discharge capacity",
}


@dataclass
class World:
    published: Board
    hidden: Board
    secretary: object
    member: object
    held: Meeting
    public_item: AgendaItem
    confidential_item: AgendaItem
    public_motion: Motion
    confidential_motion: Motion
    public_paper: Paper
    minutes: MinutesVersion
    objects: dict = field(default_factory=dict)


def _paper(item, title, *lines, late=False, by) -> Paper:
    content = text_pdf(*lines)
    paper = Paper(
        item=item,
        title=title,
        content_type="application/pdf",
        size=len(content),
        page_count=1,
        uploaded_by=by,
        late=late,
    )
    paper.file.save(f"{title[:20]}.pdf", ContentFile(content))
    paper_services.paper_text_extract(paper_id=paper.pk)
    return paper


def _decided(item, text, outcome="carried", at=None) -> Motion:
    motion = Motion.objects.create(item=item, text=text)
    motion.status = Motion.Status.CLOSED
    motion.outcome = outcome
    motion.closed_at = at or item.meeting.starts_at + datetime.timedelta(hours=1)
    motion.tally = {
        "for": 2,
        "against": 0,
        "abstain": 0,
        "not_voted": 0,
        "electorate": 2,
    }
    motion.quorum_snapshot = {"quorate": True, "unmet": []}
    motion.save()
    return motion


def _held_meeting(board, secretary, *, days_ago, title_public, title_secret, secret):
    starts = timezone.now() - datetime.timedelta(days=days_ago)
    meeting = Meeting.objects.create(
        board=board,
        starts_at=starts,
        location="Town Hall",
        agenda_published_at=starts - datetime.timedelta(days=10),
        started_at=starts,
    )
    for seat in board.seats.all():
        Attendance.objects.create(
            meeting=meeting, seat=seat, status=Attendance.Status.PRESENT
        )
    public_item = AgendaItem.objects.create(
        meeting=meeting,
        order=1,
        title=title_public,
        kind=AgendaItem.Kind.DECISION,
        notes=SECRETS["notes"],
    )
    confidential = AgendaItem.objects.create(
        meeting=meeting,
        order=2,
        title=title_secret,
        kind=AgendaItem.Kind.DECISION,
        confidential=True,
        exempt_paragraph=3,  # information on financial or business affairs
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.CLOSED,
        closed_at=starts + datetime.timedelta(hours=2),
    )
    meeting.refresh_from_db()
    return meeting, public_item, confidential


def _circulate(meeting, secretary, narratives, summary=""):
    version = minutes_services.minutes_start(meeting=meeting, by=secretary)
    for item, text in narratives.items():
        minutes_services.minutes_entry_save(
            version=version, item=item, text=text, by=secretary
        )
    if summary:
        minutes_services.minutes_summary_save(
            version=version, summary=summary, by=secretary
        )
    # Approved on the chair's written authority, recorded by the secretary (SPEC
    # s.1: a chair-only act).
    chair_act(
        meeting=meeting,
        act=ChairAuthority.Act.MINUTES_APPROVAL,
        target=version,
        by=secretary,
        chair_name="The chair",
        evidence=SimpleUploadedFile("chair-email.txt", b"Approved for circulation."),
    )
    version.refresh_from_db()
    return minutes_services.minutes_circulate(version=version, by=secretary)


def build_world() -> World:
    secretary = UserFactory(email="secretary@world.example")
    member = UserFactory(email="member@world.example")
    published = BoardFactory(name=PUBLIC["board"], short_name="Lighthouse")
    published.secretaries.add(secretary)
    SeatFactory(board=published, holder=member, title="Finance lead")
    SeatFactory(board=published, title="Commissioning lead")
    board_publication_set(board=published, published=True, source="Lighthouse ToR 9.1")
    hidden = BoardFactory(name=SECRETS["hidden_board"])
    hidden.secretaries.add(secretary)
    SeatFactory(board=hidden, holder=member, title="Obsidian seat")
    board_publication_set(board=hidden, published=False)

    held, public_item, confidential_item = _held_meeting(
        published,
        secretary,
        days_ago=20,
        title_public=PUBLIC["item"],
        title_secret=SECRETS["confidential_title"],
        secret=True,
    )
    public_motion = _decided(public_item, f"That the board {PUBLIC['motion']}.")
    confidential_motion = _decided(
        confidential_item, f"That the contract is {SECRETS['confidential_motion']}."
    )
    public_paper = _paper(
        public_item, PUBLIC["paper"], PUBLIC["paper_text"], by=secretary
    )
    _paper(
        confidential_item,
        SECRETS["confidential_paper"],
        SECRETS["confidential_paper_text"],
        by=secretary,
    )
    minutes = _circulate(
        held,
        secretary,
        {
            public_item: PUBLIC["minutes"],
            confidential_item: f"The board agreed a {SECRETS['confidential_minutes']}.",
        },
    )

    # The hidden board: the same shape, none of it public.
    h_meeting, h_item, h_conf = _held_meeting(
        hidden,
        secretary,
        days_ago=15,
        title_public=SECRETS["hidden_item"],
        title_secret=SECRETS["confidential_title"] + " (hidden board)",
        secret=True,
    )
    _decided(h_item, f"That {SECRETS['hidden_item']} is approved.")
    _paper(h_item, "Obsidian paper", SECRETS["hidden_paper_text"], by=secretary)
    _circulate(h_meeting, secretary, {h_item: f"Discussed {SECRETS['hidden_item']}."})

    # An agenda not yet issued, with a paper.
    unissued = Meeting.objects.create(
        board=published, starts_at=timezone.now() + datetime.timedelta(days=30)
    )
    u_item = AgendaItem.objects.create(
        meeting=unissued, order=1, title=SECRETS["unissued_item"]
    )
    _paper(u_item, "Petrichor paper", SECRETS["unissued_paper_text"], by=secretary)

    # An issued agenda with a late paper the chair has not authorised.
    issued = Meeting.objects.create(
        board=published,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        agenda_published_at=timezone.now() - datetime.timedelta(days=5),
    )
    i_item = AgendaItem.objects.create(
        meeting=issued, order=1, title="Performance report"
    )
    _paper(
        i_item,
        SECRETS["late_paper"],
        SECRETS["late_paper_text"],
        late=True,
        by=secretary,
    )

    # Held, with minutes still in draft.
    drafted, d_item, _ = _held_meeting(
        published,
        secretary,
        days_ago=2,
        title_public="Winter plan",
        title_secret=SECRETS["confidential_title"] + " (again)",
        secret=True,
    )
    version = minutes_services.minutes_start(meeting=drafted, by=secretary)
    minutes_services.minutes_entry_save(
        version=version, item=d_item, text=SECRETS["draft_minutes"], by=secretary
    )
    return World(
        published=published,
        hidden=hidden,
        secretary=secretary,
        member=member,
        held=held,
        public_item=public_item,
        confidential_item=confidential_item,
        public_motion=public_motion,
        confidential_motion=confidential_motion,
        public_paper=public_paper,
        minutes=minutes,
        objects={"unissued": unissued, "issued": issued, "drafted": drafted},
    )
