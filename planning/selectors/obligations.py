"""Reads of the obligations register: each duty with its clause, next due date,
status and evidence, for many boards at once in a constant number of queries (the
dashboard, the board page, the register page, the API and the beat reminders)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from boards.models import Board, TermsOfReference
from governance.calendar import local_date
from meetings.models import Meeting, MinutesDeadline, MotionOutcome

from .. import due
from ..models import Obligation, ObligationEvidence, PlannedItem

Kind = Obligation.Kind
STATUS_LABELS = {due.OVERDUE: "Overdue", due.DUE: "Due", due.UP_TO_DATE: "Up to date"}


@dataclass(frozen=True)
class EvidenceView:
    """One piece of evidence, in words, with a link where the product holds it."""

    kind: str
    done_on: date
    description: str
    url: str = ""
    due_on: date | None = None
    at_meeting: bool = False  # taken at a meeting (not only supplied or sent)


@dataclass(frozen=True)
class PlannedView:
    """An accepted proposal on a meeting not yet held."""

    meeting: Meeting
    item_id: int
    due_on: date | None


@dataclass
class ObligationRow:
    obligation: Obligation
    state: due.DueState
    evidence: list[EvidenceView] = field(default_factory=list)
    planned: list[PlannedView] = field(default_factory=list)

    @property
    def planned_for(self) -> PlannedView | None:
        """The accepted item that answers the next due date (or the first one)."""
        for view in self.planned:
            if view.due_on == self.state.due:
                return view
        return self.planned[0] if self.planned else None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.state.status, self.state.status)

    @property
    def frequency_label(self) -> str:
        return self.obligation.get_frequency_display()

    @property
    def local_practice(self) -> list[str]:
        """What the documents do not give (the frequency, the first due date)."""
        notes = []
        if self.obligation.frequency_source:
            notes.append(f"frequency: {self.obligation.frequency_source}")
        if self.obligation.first_due_source:
            notes.append(f"first due date: {self.obligation.first_due_source}")
        return notes


def duty_of(obligation: Obligation) -> due.Duty:
    """The duty as ``planning.due`` reads it; a report the board receives has the
    board's meeting interval as grace (``planning/due.py``)."""
    grace = 0
    if obligation.kind == Kind.RECEIVE_REPORT:
        grace = obligation.board.meeting_frequency_months
    return due.Duty(
        obligation.frequency,
        obligation.first_due or date.min,
        cycle=obligation.cycle,
        grace_months=grace,
    )


def is_discharge(planned: PlannedItem) -> bool:
    """An accepted item discharges its duty once its meeting is held (closed): for
    a duty the board agrees, only if the item's motion was carried (an item without
    a motion counts once held: its minutes record what was agreed)."""
    item = planned.agenda_item
    if item.meeting.status != Meeting.Status.CLOSED:
        return False
    if planned.obligation and planned.obligation.kind in (
        Kind.DECISION,
        Kind.SUBMIT_REPORT,
    ):
        motion = getattr(item, "motion", None)
        if motion is not None:
            return motion.outcome == MotionOutcome.CARRIED
    return True


def _planned_evidence(planned: PlannedItem) -> EvidenceView:
    item = planned.agenda_item
    meeting = item.meeting
    motion = getattr(item, "motion", None)
    if motion is not None and motion.outcome == MotionOutcome.CARRIED:
        kind = ObligationEvidence.Kind.DECISION.label
        words = f"Agreed at the meeting of {meeting}: “{item.title}”"
    else:
        kind = ObligationEvidence.Kind.AGENDA_ITEM.label
        words = f"On the agenda of the meeting of {meeting}: “{item.title}”"
    return EvidenceView(
        kind,
        local_date(meeting.starts_at),
        words,
        reverse("meetings:detail", args=[meeting.pk]) + f"#item-{item.pk}",
        planned.due_on,
        at_meeting=True,
    )


def _recorded_evidence(row: ObligationEvidence) -> EvidenceView:
    url = ""
    if row.agenda_item_id:
        url = (
            reverse("meetings:detail", args=[row.agenda_item.meeting_id])
            + f"#item-{row.agenda_item_id}"
        )
    return EvidenceView(
        row.get_kind_display(),
        row.done_on,
        row.description,
        url,
        row.due_on,
        at_meeting=row.kind
        in (ObligationEvidence.Kind.AGENDA_ITEM, ObligationEvidence.Kind.DECISION),
    )


def obligations_of(boards) -> QuerySet[Obligation]:
    return (
        Obligation.objects.filter(board__in=boards, active=True)
        .select_related("board", "reports_to", "owner_person")
        .order_by("board__name", "order", "id")
    )


def obligation_rows(boards, *, today: date | None = None) -> list[ObligationRow]:
    """Every active duty of ``boards`` with its state and evidence, newest evidence
    first. Six queries whatever the number of boards, duties or evidence rows."""
    today = today or timezone.localdate()
    obligations = list(obligations_of(boards))  # 1
    if not obligations:
        return []
    ids = [o.pk for o in obligations]
    board_ids = {o.board_id for o in obligations}
    recorded = defaultdict(list)
    for row in ObligationEvidence.objects.filter(  # 2
        obligation_id__in=ids
    ).select_related("agenda_item"):
        recorded[row.obligation_id].append(row)
    planned = defaultdict(list)
    for row in PlannedItem.objects.filter(  # 3
        obligation_id__in=ids
    ).select_related(
        "obligation", "agenda_item__meeting__board", "agenda_item__motion"
    ):
        planned[row.obligation_id].append(row)
    held = _held_meetings(board_ids)  # 4
    next_meetings = _next_meetings(board_ids)  # 5
    terms = _current_terms(board_ids)  # 6
    return [
        _row(o, recorded[o.pk], planned[o.pk], held, next_meetings, terms, today)
        for o in obligations
    ]


def _row(obligation, recorded, planned, held, next_meetings, terms, today):
    board_id = obligation.board_id
    evidence = [_recorded_evidence(r) for r in recorded]
    discharges = [p for p in planned if is_discharge(p)]
    evidence += [_planned_evidence(p) for p in discharges]
    coming = [
        PlannedView(p.agenda_item.meeting, p.agenda_item_id, p.due_on)
        for p in planned
        if p.agenda_item.meeting.status
        in (Meeting.Status.SCHEDULED, Meeting.Status.IN_PROGRESS)
    ]
    if obligation.kind == Kind.MINUTES or (
        obligation.frequency == "each_meeting" and obligation.kind != Kind.FORWARD_PLAN
    ):
        meetings = held.get(board_id, [])
        state = due.each_meeting_state(
            [m[0] for m in meetings],
            next_meeting_on=next_meetings.get(board_id),
            today=today,
        )
        evidence += [
            EvidenceView(
                "Minutes circulated",
                held_meeting.minutes_circulated_on,
                f"Minutes of the meeting of {meeting}, with the decision log "
                "generated from the record",
                reverse("meetings:minutes", args=[meeting.pk]),
            )
            for held_meeting, meeting in meetings
            if held_meeting.minutes_circulated_on
        ]
    elif obligation.kind == Kind.FORWARD_PLAN:
        state = due.DueState(next_meetings.get(board_id), due.UP_TO_DATE, today)
        evidence.append(
            EvidenceView(
                "Kept in this product",
                today,
                "The forward plan of this board's meetings, proposed from its "
                "duties, funds, referred items and actions",
                reverse("planning:forward_plan", args=[board_id]),
            )
        )
    elif obligation.kind == Kind.TERMS_REVIEW:
        current = terms.get(board_id)
        state = due.terms_state(
            review_due=current.review_due if current else None,
            reviewed_on=current.reviewed_on if current else None,
            approved_on=current.approved_on if current else None,
            today=today,
        )
        if current and (current.reviewed_on or current.approved_on):
            approved = (
                f"approved by {current.approved_by} on {current.approved_on:%-d %B %Y}"
                if current.approved_on
                else f"approval by {current.approved_by or 'nobody'} not recorded (TBC)"
            )
            evidence.append(
                EvidenceView(
                    "Terms of reference",
                    current.reviewed_on or current.approved_on,
                    f"Version {current.version}, reviewed by "
                    f"{current.reviewed_by or '—'}; {approved}",
                    reverse("boards:detail", args=[board_id]),
                )
            )
    else:
        done = [due.Done(e.done_on, e.due_on) for e in evidence]
        state = due.due_state(duty_of(obligation), done, today)
    evidence.sort(key=lambda e: e.done_on, reverse=True)
    return ObligationRow(obligation, state, evidence, coming)


def _held_meetings(board_ids) -> dict[int, list[tuple[due.HeldMeeting, Meeting]]]:
    """Closed meetings with their minutes deadline and when it was met."""
    found = defaultdict(list)
    deadlines = MinutesDeadline.objects.filter(
        meeting__board_id__in=board_ids, meeting__status=Meeting.Status.CLOSED
    ).select_related("meeting__board")
    for deadline in deadlines:
        meeting = deadline.meeting
        found[meeting.board_id].append(
            (
                due.HeldMeeting(
                    local_date(meeting.starts_at),
                    deadline.due_on,
                    local_date(deadline.met_at) if deadline.met_at else None,
                ),
                meeting,
            )
        )
    return found


def _next_meetings(board_ids) -> dict[int, date]:
    found = {}
    for board_id, starts_at in (
        Meeting.objects.filter(
            board_id__in=board_ids,
            status=Meeting.Status.SCHEDULED,
            starts_at__gte=timezone.now(),
        )
        .order_by("starts_at")
        .values_list("board_id", "starts_at")
    ):
        found.setdefault(board_id, local_date(starts_at))
    return found


def _current_terms(board_ids) -> dict[int, TermsOfReference]:
    latest = (
        TermsOfReference.objects.filter(board=OuterRef("board"))
        .order_by("-review_due", "-id")
        .values("pk")[:1]
    )
    return {
        t.board_id: t
        for t in TermsOfReference.objects.filter(
            board_id__in=board_ids, pk=Subquery(latest)
        )
    }


def board_obligation_rows(board: Board, *, today: date | None = None):
    return obligation_rows(Board.objects.filter(pk=board.pk), today=today)
