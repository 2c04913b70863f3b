"""The forward plan of one board, gathered for ``planning/forward_plan.py``: its
coming meetings (scheduled, then proposed dates from its frequency), what its duties,
its funds' reporting cycles, other boards' reports and open actions expect, and what
is already on the coming agendas. A constant number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from boards.models import Board
from governance import calendar
from governance.calendar import local_date
from meetings import scheduling
from meetings.models import Action, AgendaItem, Meeting
from meetings.reporting import reporting_cycles
from pooled_funds import periods
from pooled_funds.models import PooledFund, Return, ReturnStatus
from pooled_funds.services.returns import return_item_title

from .. import due
from .. import forward_plan as fp
from ..models import Obligation, PlannedItem
from .obligations import ObligationRow, duty_of, obligation_rows

Kind = Obligation.Kind
DEFAULT_MONTHS = 12
MATTERS_ARISING = "Matters arising and the action log"


@dataclass
class BoardPlan:
    board: Board
    plan: fp.ForwardPlan
    today: date
    until: date
    actions_due: dict[int, list[Action]]
    meeting_objects: dict[int, Meeting]

    def rows(self):
        """(planned meeting, its Meeting or None, actions due by then)."""
        for planned in self.plan.meetings:
            meeting_id = planned.meeting.meeting_id
            yield (
                planned,
                self.meeting_objects.get(meeting_id),
                self.actions_due.get(meeting_id or 0, []),
            )


def _meetings(board: Board, today: date, until: date):
    now = timezone.now()
    coming = list(
        Meeting.objects.filter(
            board=board,
            status=Meeting.Status.SCHEDULED,
            starts_at__gte=now,
        )
        .order_by("starts_at")
        .select_related("board")
    )
    coming = [m for m in coming if local_date(m.starts_at) <= until]
    last = (
        Meeting.objects.filter(board=board, starts_at__lt=now)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    latest = local_date(coming[-1].starts_at) if coming else None
    if latest is None and last is not None:
        latest = local_date(last)
    months = max(board.meeting_frequency_months, 1)
    count = max(
        1, ((until.year - today.year) * 12 + until.month - today.month) // months + 1
    )
    proposed = scheduling.propose_ordinary_dates(
        today=today,
        last_meeting_on=latest,
        frequency_months=months,
        papers_working_days=board.papers_working_days,
        reporting=reporting_cycles([board.pk]).get(board.pk),
        count=count,
    )
    plan_meetings = [
        fp.PlanMeeting(local_date(m.starts_at), m.pk, str(m)) for m in coming
    ]
    plan_meetings += [
        fp.PlanMeeting(day, None, f"{board.label} (proposed date)")
        for day in proposed
        if day <= until and (latest is None or day > latest)
    ]
    return plan_meetings, {m.pk: m for m in coming}


def _title(row: ObligationRow, due_on: date) -> str:
    obligation = row.obligation
    if obligation.frequency in ("monthly", "quarterly"):
        return f"{obligation.title}: due {due_on:%-d %B %Y}"
    return obligation.title


def _item_kind(kind: str) -> str:
    return {
        Kind.DECISION: AgendaItem.Kind.DECISION,
        Kind.SUBMIT_REPORT: AgendaItem.Kind.DECISION,
        Kind.TERMS_REVIEW: AgendaItem.Kind.DECISION,
        Kind.REVIEW: AgendaItem.Kind.DISCUSSION,
    }.get(kind, AgendaItem.Kind.INFORMATION)


def _motion_text(row: ObligationRow, board: Board) -> str:
    obligation = row.obligation
    if _item_kind(obligation.kind) != AgendaItem.Kind.DECISION:
        return ""
    if obligation.motion_text:
        return obligation.motion_text
    if obligation.kind == Kind.SUBMIT_REPORT and obligation.reports_to:
        return (
            f"That the {board.label} agrees the {obligation.title.lower()} for "
            f"submission to the {obligation.reports_to.name} ({obligation.source})."
        )
    return f"That the {board.label} agrees the {obligation.title.lower()} ({obligation.source})."


def _own_expected(
    rows: list[ObligationRow], board: Board, today: date, until: date
) -> list[fp.Expected]:
    expected = []
    for row in rows:
        obligation = row.obligation
        if obligation.kind in (Kind.MINUTES, Kind.FORWARD_PLAN):
            continue
        if obligation.kind == Kind.TERMS_REVIEW:
            dates = [row.state.due] if row.state.due and row.state.due <= until else []
        elif obligation.dated and obligation.first_due:
            receive = obligation.kind == Kind.RECEIVE_REPORT
            # A report is proposed until a meeting takes it, supplied or not.
            done = [
                due.Done(e.done_on, e.due_on)
                for e in row.evidence
                if e.at_meeting or not receive
            ]
            dates = due.occurrences(duty_of(obligation), done, until)
        else:
            dates = []
        receive = obligation.kind == Kind.RECEIVE_REPORT
        for due_on in dates:
            expected.append(
                fp.Expected(
                    key=f"obligation:{obligation.pk}:{due_on.isoformat()}",
                    title=_title(row, due_on),
                    source=obligation.source,
                    reason=f"{obligation.get_frequency_display()}; due "
                    f"{due_on:%-d %B %Y}"
                    + (f"; owner: {obligation.owner}" if obligation.owner else ""),
                    placement=fp.AFTER if receive else fp.BY,
                    when=scheduling.paper_ready_on(due_on, board.papers_working_days)
                    if receive
                    else due_on,
                    origin=fp.OBLIGATION,
                    due_on=due_on,
                    obligation_id=obligation.pk,
                    business_type=obligation.business_type,
                    item_kind=_item_kind(obligation.kind),
                    motion_text=_motion_text(row, board),
                )
            )
    return expected


def _incoming_expected(board: Board, today: date, until: date) -> list[fp.Expected]:
    """Reports other boards owe this one (IFPG: "submit a report to the
    Integration Executive"): received at the first meeting after they fall due."""
    senders = Board.objects.filter(obligations__reports_to=board).distinct()
    rows = [
        r
        for r in obligation_rows(senders, today=today)
        if r.obligation.reports_to_id == board.pk
    ]
    expected = []
    for row in rows:
        obligation = row.obligation
        if not (obligation.dated and obligation.first_due):
            continue
        done = [due.Done(e.done_on, e.due_on) for e in row.evidence]
        for due_on in due.occurrences(duty_of(obligation), done, until):
            expected.append(
                fp.Expected(
                    key=f"incoming:{obligation.pk}:{due_on.isoformat()}",
                    title=f"{obligation.title}: report from the {obligation.board.label}",
                    source=obligation.source,
                    reason=f"The {obligation.board.label} reports to this board "
                    f"{obligation.get_frequency_display().lower()}; due "
                    f"{due_on:%-d %B %Y}",
                    placement=fp.AFTER,
                    when=scheduling.paper_ready_on(due_on, board.papers_working_days),
                    origin=fp.INCOMING_REPORT,
                    due_on=due_on,
                    business_type=obligation.business_type,
                    item_kind=AgendaItem.Kind.INFORMATION,
                )
            )
    return expected


def board_funds(board: Board) -> list[PooledFund]:
    """The funds whose returns this board receives: named for it, or under its
    agreement with no board named when it is the agreement's first decision-making
    board (``pooled_funds.services.returns.fund_board``)."""
    funds = PooledFund.objects.filter(board=board)
    if board.agreement_id and board.decision_making:
        first = (
            Board.objects.filter(agreement_id=board.agreement_id, decision_making=True)
            .order_by("id")
            .values_list("pk", flat=True)
            .first()
        )
        if first == board.pk:
            funds = PooledFund.objects.filter(
                Q(board=board) | Q(board__isnull=True, agreement_id=board.agreement_id)
            )
    return list(funds.select_related("manager"))


def _fund_expected(board: Board, today: date, until: date, on_agenda: list):
    """Each period's return of the board's funds, received at the first meeting
    after it falls due; an approved return already placed shows on its agenda."""
    funds = board_funds(board)
    returns = {
        (r.fund_id, r.period): r
        for r in Return.objects.filter(fund__in=funds).select_related("agenda_item")
    }
    expected = []
    earliest = calendar.add_months(today, -3)
    for fund in funds:
        for label in fund.period_labels():
            due_on = periods.due_date(label, fund.due_day)
            if not (earliest <= due_on <= until):
                continue
            ret = returns.get((fund.pk, label))
            if ret and ret.status == ReturnStatus.APPROVED and ret.agenda_item_id:
                item = ret.agenda_item
                on_agenda.append(
                    fp.OnAgenda(
                        item.meeting_id,
                        item.pk,
                        item.title,
                        "approved return",
                        item.confidential,
                        item.exemption,
                    )
                )
                continue
            expected.append(
                fp.Expected(
                    key=f"return:{fund.pk}:{label}",
                    title=return_item_title(fund, label),
                    source=f"Reporting cycle of {fund} ({fund.get_frequency_display().lower()})",
                    reason=f"Return for {periods.describe(label)} due "
                    f"{due_on:%-d %B %Y}"
                    + (f" ({ret.get_status_display().lower()})" if ret else ""),
                    placement=fp.AFTER,
                    when=scheduling.paper_ready_on(due_on, board.papers_working_days),
                    origin=fp.FUND_RETURN,
                    due_on=due_on,
                    business_type="pooled_fund",
                    item_kind=AgendaItem.Kind.INFORMATION,
                )
            )
    return expected


def _on_agenda(board: Board, meeting_ids: list[int]) -> tuple[list, set[str]]:
    """Accepted proposals and carried-forward items on the coming meetings, and the
    keys accepted so far."""
    entries = []
    accepted = set()
    for planned in PlannedItem.objects.filter(board=board).select_related(
        "agenda_item"
    ):
        accepted.add(planned.key)
        item = planned.agenda_item
        if item.meeting_id in meeting_ids:
            entries.append(
                fp.OnAgenda(
                    item.meeting_id,
                    item.pk,
                    item.title,
                    f"accepted from the forward plan ({planned.source})"
                    if planned.source
                    else "accepted from the forward plan",
                    item.confidential,
                    item.exemption,
                )
            )
    for item in AgendaItem.objects.filter(
        meeting_id__in=meeting_ids, referred_from__isnull=False
    ).select_related("referred_from__meeting__board"):
        reason = item.carried_forward_reason or "carried forward"
        entries.append(
            fp.OnAgenda(
                item.meeting_id,
                item.pk,
                item.title,
                f"{reason} from the meeting of {item.referred_from.meeting}",
                item.confidential,
                item.exemption,
            )
        )
    return entries, accepted


def _actions(board: Board, plan_meetings: list[fp.PlanMeeting]):
    """Open actions of the board reviewed at each coming scheduled meeting (raised
    before it), and a matters-arising proposal for each meeting that has open
    actions and no such item yet."""
    open_actions = list(
        Action.objects.filter(meeting__board=board, status=Action.Status.OPEN)
        .select_related("meeting", "owner")
        .order_by("due_on", "id")
    )
    scheduled = [m for m in plan_meetings if m.scheduled]
    ids = [m.meeting_id for m in scheduled]
    has_item = set(
        AgendaItem.objects.filter(meeting_id__in=ids)
        .filter(title__icontains="matters arising")
        .values_list("meeting_id", flat=True)
    )
    due_by: dict[int, list[Action]] = defaultdict(list)
    expected = []
    for meeting in scheduled:
        mine = [a for a in open_actions if local_date(a.meeting.starts_at) < meeting.on]
        if not mine:
            continue
        due_by[meeting.meeting_id] = mine
        if meeting.meeting_id not in has_item:
            overdue = sum(1 for a in mine if a.due_on and a.due_on < meeting.on)
            expected.append(
                fp.Expected(
                    key=f"actions:{meeting.meeting_id}",
                    title=MATTERS_ARISING,
                    source="Action log (SPEC s.2: actions logged with owner and due date)",
                    reason=f"{len(mine)} open action{'s' if len(mine) != 1 else ''}"
                    f", {overdue} overdue by then",
                    placement=fp.BY,
                    when=meeting.on,
                    origin=fp.ACTIONS,
                    item_kind=AgendaItem.Kind.INFORMATION,
                )
            )
    return expected, due_by


def board_plan(
    board: Board, *, today: date | None = None, months: int = DEFAULT_MONTHS
) -> BoardPlan:
    """The board's forward plan for the next ``months`` months."""
    today = today or timezone.localdate()
    until = calendar.add_months(today, months)
    plan_meetings, meeting_objects = _meetings(board, today, until)
    rows = obligation_rows(Board.objects.filter(pk=board.pk), today=today)
    on_agenda, accepted = _on_agenda(board, list(meeting_objects))
    expected = _own_expected(rows, board, today, until)
    expected += _incoming_expected(board, today, until)
    expected += _fund_expected(board, today, until, on_agenda)
    action_expected, actions_due = _actions(board, plan_meetings)
    expected += action_expected
    plan = fp.build(
        plan_meetings, expected, accepted_keys=accepted, on_agenda=on_agenda
    )
    return BoardPlan(board, plan, today, until, actions_due, meeting_objects)
