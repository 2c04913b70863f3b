"""Loading the demo boards' duties (the ``obligations`` section of each document's
file) through the planning services, and the demo members' registers of interests
(``interests`` in shared.yaml) through the meetings services.

Each duty is the document's own, quoted with its clause. What a document does not
give (a frequency it leaves as "regularly", the date a yearly duty first falls due)
is marked ``local practice (demo)`` in the file and shown so on every page.

Evidence names what discharged a past occurrence: a record (``done_on`` and words),
or an item of a demo meeting (``meeting`` key and ``item`` title: done on the
meeting's day). Idempotent: a board that already has duties is left alone, and a
person's register is loaded once.
"""

from __future__ import annotations

from boards.models import Board
from governance.calendar import local_date
from governance.models import User
from meetings.models import AgendaItem, Meeting, RegisteredInterest
from meetings.services import interests
from planning.models import Obligation
from planning.services import obligations

from .constitution import Context
from .files import DemoData, DemoFileError, check_keys
from .when import Clock, date_of, moment_of

OBLIGATION_KEYS = {
    "board",
    "title",
    "source",
    "quote",
    "kind",
    "frequency",
    "frequency_source",
    "cycle",
    "first_due",
    "first_due_source",
    "owner",
    "reports_to",
    "business",
    "motion",
    "evidence",
}
EVIDENCE_KEYS = {"kind", "done_on", "due_on", "meeting", "item", "description"}
INTEREST_KEYS = {"category", "organisation", "description", "declared_on", "ended_on"}


def load_obligations(
    data: DemoData, context: Context, *, secretary: User, meetings: bool = True
) -> None:
    """The duties of every demo board; evidence from demo meetings only when the
    meetings are loaded too."""
    today = context.clock.today
    loaded = set(
        Obligation.objects.filter(board__in=context.boards.values()).values_list(
            "board_id", flat=True
        )
    )
    specs = _meeting_specs(data)
    for order, (file, spec) in enumerate(data.obligations):
        where = f"{file} obligation {spec.get('title')}"
        check_keys(
            spec,
            OBLIGATION_KEYS,
            where,
            required=("board", "title", "source", "kind", "frequency"),
        )
        board = context.board(spec["board"], where)
        if board.pk in loaded:
            continue
        clock = Clock(today=today)
        obligation = obligations.obligation_create(
            board=board,
            title=spec["title"],
            source=spec["source"],
            quote=" ".join((spec.get("quote") or "").split()),
            kind=spec["kind"],
            frequency=spec["frequency"],
            frequency_source=spec.get("frequency_source", ""),
            cycle=spec.get("cycle", "from_last"),
            first_due=date_of(spec["first_due"], clock)
            if "first_due" in spec
            else None,
            first_due_source=spec.get("first_due_source", ""),
            owner=spec.get("owner", ""),
            reports_to=context.board(spec["reports_to"], where)
            if spec.get("reports_to")
            else None,
            business_type=spec.get("business", "routine"),
            motion_text=" ".join((spec.get("motion") or "").split()),
            order=order,
        )
        for entry in spec.get("evidence") or []:
            if entry.get("meeting") and not meetings:
                continue
            _evidence(obligation, entry, specs, context, secretary, where)


def _meeting_specs(data: DemoData) -> dict[str, dict]:
    return {spec["key"]: spec for _, spec in data.meetings if spec.get("key")}


def _evidence(obligation, entry, meetings, context, secretary, where) -> None:
    check_keys(entry, EVIDENCE_KEYS, f"{where} evidence", required=("kind",))
    clock = Clock(today=context.clock.today)
    item = None
    if entry.get("meeting"):
        spec = meetings.get(entry["meeting"])
        if spec is None:
            raise DemoFileError(f"{where}: no demo meeting {entry['meeting']!r}")
        board: Board = context.board(spec["board"], where)
        meeting = Meeting.objects.get(
            board=board, starts_at=moment_of(spec["starts_at"], clock)
        )
        item = AgendaItem.objects.filter(meeting=meeting, title=entry["item"]).first()
        if item is None:
            raise DemoFileError(f"{where}: no item {entry['item']!r} on that meeting")
        done_on = local_date(meeting.starts_at)
    else:
        done_on = date_of(entry["done_on"], clock)
    obligations.evidence_record(
        obligation=obligation,
        kind=entry["kind"],
        done_on=done_on,
        due_on=date_of(entry["due_on"], clock) if entry.get("due_on") else None,
        description=" ".join(entry.get("description", "").split())
        or f"“{item.title}” at the meeting of {item.meeting}",
        agenda_item=item,
        by=secretary,
    )


def load_interests(shared: dict, context: Context, *, secretary: User) -> None:
    """Registers of interests of demo people (fictional entries, marked so)."""
    clock = Clock(today=context.clock.today)
    for email, entries in (shared.get("interests") or {}).items():
        person = User.objects.filter(email__iexact=email).first()
        if person is None:
            raise DemoFileError(f"shared.yaml interests: no demo person {email!r}")
        if RegisteredInterest.objects.filter(person=person).exists():
            continue
        for entry in entries:
            check_keys(
                entry,
                INTEREST_KEYS,
                f"shared.yaml interests of {email}",
                required=("category", "organisation", "description", "declared_on"),
            )
            row = interests.interest_register(
                person=person,
                category=entry["category"],
                organisation=entry["organisation"],
                description=" ".join(entry["description"].split()),
                declared_on=date_of(entry["declared_on"], clock),
                by=secretary,
            )
            if entry.get("ended_on"):
                interests.interest_end(
                    entry=row, ended_on=date_of(entry["ended_on"], clock), by=secretary
                )
        reviewed = (shared.get("interest_reviews") or {}).get(email)
        if reviewed:
            interests.register_review(
                person=person, reviewed_on=date_of(reviewed, clock), by=secretary
            )
