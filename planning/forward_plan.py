"""What a board's forward plan proposes for which meeting. Pure: no ORM, no clock.

A forward plan (JCG ToR 4: "a forward planner of governance activities") lists the
items expected at each coming meeting: the board's duties as they fall due
(``planning.due``), the returns of its pooled funds as they arrive, reports other
boards owe it, and the actions due for review under matters arising. Items already
on an agenda (accepted proposals, referred and deferred items) are shown where they
are.

Rules chosen where the documents are silent:

- **Things the board must do by a date** (agree a risk assessment, review the
  schedules, send a report): at the **last** meeting on or before the due date, so
  the duty is done in time. With no meeting before it, at the first meeting after,
  marked late.
- **Reports the board receives** (a fund's monthly or quarterly return, a report
  owed by another board): at the **first** meeting the report can be ready for: its
  due date plus the board's papers period and a day to write the paper (the rule
  ``meetings.scheduling`` uses to place meetings after a report, Portsmouth PMG ToR
  4.1: "following receipt of each monthly report").
- A meeting is either scheduled (a proposal can be accepted onto its agenda) or a
  proposed date from the board's frequency (schedule it first).
- What no coming meeting can take (due after the last date the plan looks at) is
  listed as not yet placed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

BY = "by"  # done at the last meeting on or before ``when``
AFTER = "after"  # received at the first meeting on or after ``when``

OBLIGATION = "obligation"
FUND_RETURN = "fund_return"
INCOMING_REPORT = "incoming_report"
ACTIONS = "actions"


@dataclass(frozen=True)
class PlanMeeting:
    on: date
    meeting_id: int | None = None  # None: a proposed date, not yet scheduled
    label: str = ""

    @property
    def scheduled(self) -> bool:
        return self.meeting_id is not None


@dataclass(frozen=True)
class Expected:
    """Something the board should take at a meeting."""

    key: str
    title: str
    source: str
    reason: str
    placement: str  # BY or AFTER
    when: date
    origin: str = OBLIGATION
    due_on: date | None = None
    obligation_id: int | None = None
    business_type: str = "routine"
    item_kind: str = "information"
    motion_text: str = ""


@dataclass(frozen=True)
class Proposal:
    expected: Expected
    late: bool = False


@dataclass(frozen=True)
class OnAgenda:
    """An item already on a coming meeting's agenda that the plan shows."""

    meeting_id: int
    item_id: int
    title: str
    note: str
    confidential: bool = False
    exemption: str = ""  # the Schedule 12A paragraph of a confidential item


@dataclass
class PlannedMeeting:
    meeting: PlanMeeting
    proposals: list[Proposal] = field(default_factory=list)
    on_agenda: list[OnAgenda] = field(default_factory=list)


@dataclass
class ForwardPlan:
    meetings: list[PlannedMeeting]
    unplaced: list[Expected] = field(default_factory=list)

    def proposal(self, key: str) -> tuple[PlanMeeting, Proposal] | None:
        for planned in self.meetings:
            for proposal in planned.proposals:
                if proposal.expected.key == key:
                    return planned.meeting, proposal
        return None


def place(expected: Expected, meetings: list[PlanMeeting]) -> tuple[int, bool] | None:
    """The index of the meeting that takes ``expected`` and whether that is late,
    or None when no meeting in the plan can take it. ``meetings`` in date order."""
    if not meetings:
        return None
    if expected.placement == BY:
        before = [i for i, m in enumerate(meetings) if m.on <= expected.when]
        if before:
            return before[-1], False
        # Due before the first coming meeting: the next meeting, late.
        return 0, True
    after = [i for i, m in enumerate(meetings) if m.on >= expected.when]
    return (after[0], False) if after else None


def build(
    meetings: list[PlanMeeting],
    expected: list[Expected],
    *,
    accepted_keys: set[str] = frozenset(),
    on_agenda: list[OnAgenda] = (),
) -> ForwardPlan:
    """Place every expected item not already accepted onto an agenda. Accepted
    items and referred items show where they are (``on_agenda``)."""
    meetings = sorted(meetings, key=lambda m: m.on)
    plan = ForwardPlan([PlannedMeeting(m) for m in meetings])
    index = {m.meeting_id: i for i, m in enumerate(meetings) if m.scheduled}
    for entry in on_agenda:
        if entry.meeting_id in index:
            plan.meetings[index[entry.meeting_id]].on_agenda.append(entry)
    seen: set[str] = set()
    for item in sorted(expected, key=lambda e: (e.when, e.title)):
        if item.key in accepted_keys or item.key in seen:
            continue
        seen.add(item.key)
        where = place(item, meetings)
        if where is None:
            plan.unplaced.append(item)
            continue
        at, late = where
        plan.meetings[at].proposals.append(Proposal(item, late))
    return plan
