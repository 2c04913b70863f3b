"""Replaying the demo meetings through the meetings services, at the moments they
happened, so the record is what the product itself would have kept: the validations
of each step (notice, quorum, who may vote, the decision engine) run, every row has
its audit history, and referrals, escalations, deadlines and mail follow from the
services, not from the demo.

Each meeting of the demo files becomes events on one timeline, replayed in time order
across every board, with the services told the time (``now=``):

- **schedule** at ``scheduled`` (default ``start -28d``; never later than now; a
  reconvened meeting is scheduled when the meeting it reconvenes is found inquorate):
  the meeting, its agenda (with motions), written positions and papers;
- **issue** at ``issued`` (a held meeting: default ``start -10d``; one still to come
  only where it says so): the agenda is issued;
- **hold** at the start, for a meeting whose start is past: attendance, who chairs
  (``chair``: a seat title; by default the board's designated chair), start (or
  inquorate), each motion with votes put at ``motions`` and closed, the actions
  arising, close at ``closes``;
- **minutes** at ``minutes.circulated`` (drafted, approved by whoever chaired,
  circulated) or ``minutes.draft`` (a draft only).

Idempotent: a board's meetings are history, loaded once. A board that already has
meetings is left alone.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from boards.models import Board
from governance.calendar import local_date
from governance.models import User
from meetings.models import AgendaItem, Attendance, Meeting, MeetingChair
from meetings.selectors import decisions as selectors
from meetings.services import (
    actions,
    agenda,
    attendance,
    chairing,
    lifecycle,
    minutes,
    motions,
    papers,
    positions,
    votes,
)

from .constitution import Context, money
from .files import DemoData, DemoFileError, check_keys
from .when import Clock, moment_of

MEETING_KEYS = {
    "key",
    "board",
    "kind",
    "starts_at",
    "scheduled",
    "issued",
    "location",
    "purpose",
    "reconvenes",
    "agenda",
    "items",
    "papers",
    "attendance",
    "chair",
    "status",
    "motions",
    "closes",
    "minutes",
    "actions",
}
ACTION_KEYS = {"description", "item", "owner", "owner_name", "due_on", "status"}
ITEM_KEYS = {
    "title",
    "business",
    "kind",
    "presenter",
    "confidential",
    "exempt_paragraph",
    "motion",
    "positions",
    "minutes",
    "carried_forward",
}
MOTION_KEYS = {
    "text",
    "financial_value",
    "commits",
    "decision_kind",
    "within_risk_share",
    "votes",
}
ORDER = {"schedule": 0, "issue": 1, "hold": 2, "minutes": 3}


@dataclass
class Plan:
    """One demo meeting, read and timed."""

    where: str
    board: Board
    spec: dict
    starts_at: datetime
    items: list[dict]
    meeting: Meeting | None = None

    def moment(self, name: str, defaults: dict, today) -> datetime:
        return moment_of(
            self.spec.get(name, defaults.get(name)),
            Clock(today=today, start=self.starts_at, now=timezone.now()),
        )


def _items(spec: dict, shared: dict, where: str) -> list[dict]:
    named = spec.get("agenda")
    template = (shared.get("agendas") or {}).get(named, {}) if named else {}
    if named and not template:
        raise DemoFileError(f"{where}: no agenda {named!r} in shared.yaml")
    items = [
        *(template.get("before") or []),
        *(spec.get("items") or []),
        *(template.get("after") or []),
    ]
    for item in items:
        check_keys(item, ITEM_KEYS, f"{where} item {item.get('title')}")
        if item.get("motion"):
            check_keys(item["motion"], MOTION_KEYS, f"{where} motion")
    return items


def load_meetings(data: DemoData, context: Context, *, secretary: User) -> None:
    today, now = context.clock.today, timezone.now()
    defaults = data.shared.get("meeting_defaults") or {}
    plans: dict[str, Plan] = {}
    loaded_before = set(
        Meeting.objects.filter(board__in=context.boards.values()).values_list(
            "board_id", flat=True
        )
    )
    events = []
    for number, (file, spec) in enumerate(data.meetings):
        where = f"{file} meeting {spec.get('key') or number}"
        check_keys(spec, MEETING_KEYS, where, required=("board", "starts_at"))
        board = context.board(spec["board"], where)
        if board.pk in loaded_before:
            continue
        plan = Plan(
            where=where,
            board=board,
            spec=spec,
            starts_at=moment_of(spec["starts_at"], Clock(today=today)),
            items=_items(spec, data.shared, where),
        )
        plans[spec.get("key") or where] = plan
        if spec.get("reconvenes"):
            # Scheduled when the meeting it reconvenes is found inquorate.
            scheduled = None
        else:
            scheduled = min(plan.moment("scheduled", defaults, today), now)
        events.append([scheduled, "schedule", number, plan])
        held = plan.starts_at < now
        if held or "issued" in spec:
            events.append(
                [plan.moment("issued", defaults, today), "issue", number, plan]
            )
        if held:
            events.append([plan.starts_at, "hold", number, plan])
        for state, expression in (spec.get("minutes") or {}).items():
            if state not in ("circulated", "draft"):
                raise DemoFileError(f"{where}: minutes are circulated or draft")
            at = moment_of(expression, Clock(today=today, start=plan.starts_at))
            events.append([at, "minutes", number, plan])
    for event in events:
        if event[0] is None:
            source = plans[event[3].spec["reconvenes"]]
            event[0] = source.starts_at + timedelta(minutes=1)
    replay = Replay(
        shared=data.shared, plans=plans, secretary=secretary, context=context
    )
    for at, kind, _, plan in sorted(events, key=lambda e: (e[0], ORDER[e[1]], e[2])):
        getattr(replay, kind)(plan, at)


@dataclass
class Replay:
    shared: dict
    plans: dict[str, Plan]
    secretary: User
    context: Context

    @property
    def today(self):
        return self.context.clock.today

    @property
    def defaults(self) -> dict:
        return self.shared.get("meeting_defaults") or {}

    def schedule(self, plan: Plan, at: datetime) -> None:
        spec = plan.spec
        reconvenes = spec.get("reconvenes")
        kind = spec.get("kind", self.defaults.get("kind", "ordinary"))
        plan.meeting = lifecycle.meeting_schedule(
            board=plan.board,
            kind=Meeting.Kind.RECONVENED if reconvenes else kind,
            starts_at=plan.starts_at,
            location=spec.get("location", self.defaults.get("location", "")),
            purpose=spec.get("purpose", ""),
            reconvenes=Meeting.objects.get(pk=self.plans[reconvenes].meeting.pk)
            if reconvenes
            else None,
            by=self.secretary,
            now=at,
        )
        for item in plan.items:
            if not item.get("carried_forward"):
                self._item_add(plan, item)
        for title, paper_specs in (spec.get("papers") or {}).items():
            item = plan.meeting.items.get(title=title)
            for paper in paper_specs:
                # A paper is a title (a blank page stands in for it) or a title
                # with the text of its pages.
                if isinstance(paper, dict):
                    check_keys(
                        paper, {"title", "text"}, plan.where, required=("title",)
                    )
                    paper_title = paper["title"]
                    content = text_pdf(paper_title, paper.get("text", ""))
                else:
                    paper_title, content = paper, blank_pdf(paper)
                papers.paper_upload(
                    item=item,
                    title=paper_title,
                    upload=SimpleUploadedFile(_file_name(paper_title), content),
                    by=self.secretary,
                    now=at,
                )

    def _item_add(self, plan: Plan, spec: dict) -> AgendaItem:
        motion = spec.get("motion")
        commits = None
        if motion and motion.get("commits"):
            commits = [self.context.partner(k, plan.where) for k in motion["commits"]]
        item = agenda.item_add(
            meeting=plan.meeting,
            title=spec["title"],
            business_type=spec.get("business", "routine"),
            kind=spec.get("kind"),
            presenter=spec.get("presenter", ""),
            confidential=spec.get("confidential", False),
            exempt_paragraph=spec.get("exempt_paragraph"),
            motion=agenda.MotionInput(
                text=" ".join(motion["text"].split()),
                financial_value=money(motion.get("financial_value")),
                commits=commits,
                decision_kind=motion.get("decision_kind", "other"),
                within_risk_share=motion.get("within_risk_share", False),
            )
            if motion
            else None,
            by=self.secretary,
        )
        for position in spec.get("positions") or []:
            check_keys(position, {"partner", "position", "text"}, plan.where)
            positions.position_file(
                item=item,
                partner=self.context.partner(position["partner"], plan.where),
                position=position["position"],
                text=position.get("text", ""),
                by=self.secretary,
                now=plan.meeting.notice_given_at,
            )
        return item

    def issue(self, plan: Plan, at: datetime) -> None:
        plan.meeting = agenda.meeting_publish_agenda(
            meeting=plan.meeting, by=self.secretary, now=at
        )

    def hold(self, plan: Plan, at: datetime) -> None:
        meeting = plan.meeting
        attendance.attendance_record_many(
            meeting=meeting,
            changes=self._attendance(plan),
            by=self.secretary,
        )
        if plan.spec.get("status") == "inquorate":
            lifecycle.meeting_declare_inquorate(
                meeting=meeting, by=self.secretary, now=at
            )
            return
        self._chair(plan, at)
        lifecycle.meeting_start(meeting=meeting, by=self.secretary, now=at)
        self._confirm_previous_minutes(meeting, at)
        put_at = plan.moment("motions", self.defaults, self.today)
        for spec in plan.items:
            motion = spec.get("motion") or {}
            if "votes" in motion:
                self._decide(plan, spec, motion["votes"], put_at)
        self._actions(plan)
        lifecycle.meeting_close(
            meeting=meeting,
            by=self.secretary,
            now=plan.moment("closes", self.defaults, self.today),
        )

    def _confirm_previous_minutes(self, meeting: Meeting, at: datetime) -> None:
        """The chair confirms and signs the previous minutes, where they were
        circulated, as the decision of the item "Minutes of the previous meeting"."""
        item = meeting.items.filter(
            standing=AgendaItem.Standing.PREVIOUS_MINUTES
        ).first()
        previous = meeting.preceding()
        latest = (
            previous.minutes_versions.order_by("-number").first() if previous else None
        )
        if item is None or latest is None or latest.status != "circulated":
            return
        version = minutes.minutes_confirm_at_meeting(
            item=item, by=self._chair_person(meeting), now=at
        )
        # The signed PDFs: a worker's part in a live site, done here in one go.
        minutes.circulated_pdfs_finish(version_id=version.pk)

    def _actions(self, plan: Plan) -> None:
        """Actions arising, with owner (a seat's holder, or a name) and due date
        (relative to the meeting's start); ``status: done`` for one already done."""
        for spec in plan.spec.get("actions") or []:
            check_keys(
                spec, ACTION_KEYS, f"{plan.where} action", required=("description",)
            )
            owner = None
            if spec.get("owner"):
                seat = plan.board.seats.filter(title=spec["owner"]).first()
                if seat is None:
                    raise DemoFileError(f"{plan.where}: no seat {spec['owner']!r}")
                owner = seat.holder
            item = None
            if spec.get("item"):
                item = plan.meeting.items.get(title=spec["item"])
            due_on = None
            if spec.get("due_on"):
                clock = Clock(today=self.today, start=plan.starts_at)
                due_on = local_date(moment_of(spec["due_on"], clock))
            action = actions.action_add(
                meeting=plan.meeting,
                item=item,
                description=" ".join(spec["description"].split()),
                owner=owner,
                owner_name=spec.get("owner_name", ""),
                due_on=due_on,
                by=self.secretary,
            )
            if spec.get("status"):
                actions.action_set_status(
                    action=action, status=spec["status"], by=self.secretary
                )

    def _chair(self, plan: Plan, at: datetime) -> None:
        """Who chairs: the seat the meeting names, else the designated chair's seat
        when its holder attends."""
        title = plan.spec.get("chair")
        seats = plan.board.seats.filter(active=True)
        seat = seats.filter(title=title).first() if title else None
        if title and seat is None:
            raise DemoFileError(f"{plan.where}: no seat {title!r} to chair")
        if seat is None:
            seat = seats.filter(is_chair=True).first()
            record = Attendance.objects.filter(meeting=plan.meeting, seat=seat).first()
            if record is None or record.status != Attendance.Status.PRESENT:
                return
        chairing.meeting_chair_set(
            meeting=plan.meeting, seat=seat, by=self.secretary, now=at
        )

    def _chair_person(self, meeting: Meeting) -> User:
        recorded = MeetingChair.objects.filter(meeting=meeting).first()
        if recorded is not None:
            return recorded.person
        seat = meeting.board.seats.filter(active=True, is_chair=True).first()
        if seat is None or seat.holder is None:
            raise DemoFileError(f"{meeting}: nobody chairs to approve the minutes")
        return seat.holder

    def _attendance(self, plan: Plan) -> list[attendance.AttendanceChange]:
        spec = check_keys(
            plan.spec.get("attendance"),
            {"default", "present", "deputy", "apologies", "absent"},
            f"{plan.where} attendance",
        )
        by_title = {}
        for status in ("present", "deputy", "apologies", "absent"):
            for title in spec.get(status) or []:
                by_title[title] = status
        default = spec.get("default", "absent")
        seats = list(plan.board.seats.filter(active=True))
        unknown = set(by_title) - {s.title for s in seats}
        if unknown:
            raise DemoFileError(f"{plan.where}: no seat(s) {sorted(unknown)}")
        changes = []
        for seat in seats:
            status = by_title.get(seat.title, default)
            here = status in (Attendance.Status.PRESENT, Attendance.Status.DEPUTY)
            changes.append(
                attendance.AttendanceChange(
                    seat=seat,
                    status=status,
                    arrived_at=plan.starts_at if here else None,
                )
            )
        return changes

    def _decide(self, plan: Plan, spec: dict, choices: dict, at: datetime) -> None:
        check_keys(
            choices, {"default", "for", "against", "abstain"}, f"{plan.where} votes"
        )
        item = plan.meeting.items.get(title=spec["title"])
        motion = item.motion
        motions.motion_open(motion=motion, by=self.secretary, now=at)
        by_title = {}
        for choice in ("for", "against", "abstain"):
            for title in choices.get(choice) or []:
                by_title[title] = choice
        records = {
            a.seat_id: a for a in Attendance.objects.filter(meeting=plan.meeting)
        }
        seats = list(selectors.voting_seats(motion))
        unknown = set(by_title) - {s.title for s in seats}
        if unknown:
            raise DemoFileError(f"{plan.where}: no seat(s) to vote {sorted(unknown)}")
        for seat in seats:
            record = records.get(seat.pk)
            if record is None or record.attendee_id is None:
                continue
            choice = by_title.get(seat.title, choices.get("default"))
            if choice:
                votes.vote_cast(
                    motion=motion, seat=seat, choice=choice, by=record.attendee, now=at
                )
        motions.motion_close(motion=motion, by=self.secretary, now=at)

    def minutes(self, plan: Plan, at: datetime) -> None:
        meeting = plan.meeting
        version = minutes.minutes_start(meeting=meeting, by=self.secretary)
        texts = dict(self.shared.get("standing_minutes") or {})
        texts |= {item["title"]: item.get("minutes") for item in plan.items}
        fallback = self.shared.get("default_minutes", "")
        for item in meeting.items.all():
            text = " ".join((texts.get(item.title) or fallback).split())
            minutes.minutes_entry_save(
                version=version, item=item, text=text, by=self.secretary
            )
        if "circulated" in (plan.spec.get("minutes") or {}):
            minutes.minutes_approve(
                version=version, by=self._chair_person(meeting), now=at
            )
            minutes.minutes_circulate(version=version, by=self.secretary, now=at)
            # A worker's part in a live site; the history is made in one go.
            minutes.circulated_pdfs_finish(version_id=version.pk)
        else:
            minutes.minutes_deadline_ensure(meeting=meeting)


def _file_name(title: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in title.lower()).split()
    return "-".join(words) + ".pdf"


def text_pdf(title: str, text: str) -> bytes:
    """A paper with its text: the title, then a paragraph per line (WeasyPrint)."""
    from django.utils.html import escape
    from weasyprint import HTML

    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in text.splitlines())
    html = f"<html lang='en'><body><h1>{escape(title)}</h1>{paragraphs}</body></html>"
    return HTML(string=html).write_pdf()


def blank_pdf(title: str) -> bytes:
    """A one-page PDF standing in for a paper the demo does not have."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
