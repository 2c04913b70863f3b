"""Writes for returns: entry, upload, the submit/approve/send-back workflow and
the approved return's paper on the board's next agenda."""

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from boards.models import Board
from governance import workflow
from governance.bulk import bulk_update_with_history
from governance.exceptions import RuleViolation
from governance.links import absolute_url
from governance.outbox import outbox_enqueue

from .. import imports, periods
from ..models import (
    Contribution,
    PooledFund,
    Return,
    ReturnLine,
    ReturnStatus,
    Scheme,
)
from ..reconciliation import Reconciliation, reconcile, submit_refusal
from ..variance import LineFigures, derive

ZERO = Decimal("0")

LINE_FIELDS = [
    "original_budget",
    "budget",
    "actual_to_date",
    "forecast_outturn",
    "activity",
    "commentary",
    "action_plan",
]
BULK_BATCH = 1000


class ReturnRejected(Exception):
    """The lines or the file have errors; nothing was saved. ``errors`` lists each
    one with its row and column (``imports.RowError``)."""

    def __init__(self, errors: list[imports.RowError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def fund_board(fund: PooledFund) -> Board | None:
    """The board that receives the fund's returns and decides on its money."""
    if fund.board_id:
        return fund.board
    return (
        Board.objects.filter(agreement_id=fund.agreement_id, decision_making=True)
        .order_by("id")
        .first()
    )


def scheme_infos(fund: PooledFund) -> dict[str, imports.SchemeInfo]:
    return {
        ref: imports.SchemeInfo(ref, budget, name, active)
        for ref, budget, name, active in Scheme.objects.filter(fund=fund).values_list(
            "reference", "budget", "name", "active"
        )
    }


def return_reconciliation(ret: Return) -> Reconciliation:
    """The return's totals against the contributions to the pool. Two queries."""
    sums = ReturnLine.objects.filter(ret=ret).aggregate(
        budget=Sum("budget"),
        forecast=Sum("forecast_outturn"),
        actual=Sum("actual_to_date"),
    )
    contributed = Contribution.objects.filter(fund_id=ret.fund_id).aggregate(
        total=Sum("amount")
    )["total"]
    return reconcile(
        contributed=contributed or ZERO,
        budgets=[sums["budget"] or ZERO],
        forecasts=[sums["forecast"] or ZERO],
        actuals=[sums["actual"] or ZERO],
    )


@transaction.atomic
def return_enter(
    *,
    fund: PooledFund,
    period: str,
    rows: list[dict],
    user,
    headings: list[str] | None = None,
    narrative: str | None = None,
    difference_explanation: str | None = None,
) -> Return:
    """Validate every row (``imports.validate_rows``) and save the return as a
    draft in one transaction, or raise ReturnRejected with every error and save
    nothing. Rows are dicts with the template's columns (``scheme`` is the
    reference). Saving an existing draft or returned return replaces its lines.

    Queries do not grow with the number of lines: one read of the schemes, the
    return row, the existing lines, and bulk writes of lines and their history
    (in batches of 1,000)."""
    result = imports.validate_rows(
        rows,
        period=period,
        frequency=fund.frequency,
        financial_year=fund.financial_year,
        schemes=scheme_infos(fund),
        headings=headings,
    )
    if not result.ok:
        raise ReturnRejected(result.errors)
    return _return_save(
        fund=fund,
        result=result,
        user=user,
        narrative=narrative,
        difference_explanation=difference_explanation,
    )


@transaction.atomic
def return_import(
    *, fund: PooledFund, period: str, filename: str, content: bytes, user
) -> Return:
    """An uploaded CSV or Excel file in the template (``imports``): all rows are
    validated first and saved in one transaction, or nothing is saved."""
    try:
        table = imports.read_file(filename, content)
    except imports.FileUnreadable as exc:
        raise ReturnRejected([imports.RowError(None, "", str(exc))]) from exc
    headings = table[0]["_headings"] if table else []
    return return_enter(
        fund=fund, period=period, rows=table[1:], user=user, headings=headings
    )


def _return_save(
    *, fund, result: imports.ImportResult, user, narrative, difference_explanation
) -> Return:
    """Lock: the Return row (select_for_update), so two uploads of the same period
    cannot interleave."""
    ret = Return.objects.select_for_update().filter(fund=fund, period=result.period)
    ret = ret.first()
    if ret is None:
        ret = Return.objects.create(
            fund=fund,
            period=result.period,
            created_by=user,
            narrative=narrative or "",
            difference_explanation=difference_explanation or "",
        )
    elif ret.status not in (ReturnStatus.DRAFT, ReturnStatus.RETURNED):
        raise RuleViolation(
            f"The return for {ret.period_label} is {ret.get_status_display().lower()}"
            " and cannot be changed.",
            rule="return_locked",
        )
    else:
        changed = []
        for field, value in (
            ("narrative", narrative),
            ("difference_explanation", difference_explanation),
        ):
            if value is not None and value != getattr(ret, field):
                setattr(ret, field, value)
                changed.append(field)
        if changed:
            ret.save(update_fields=changed)
    scheme_ids = dict(Scheme.objects.filter(fund=fund).values_list("reference", "id"))
    existing = {line.scheme_id: line for line in ReturnLine.objects.filter(ret=ret)}
    to_create, to_update = [], []
    for entered in result.lines:
        scheme_id = scheme_ids[entered.scheme]
        line = existing.pop(scheme_id, None)
        values = {f: getattr(entered, f) for f in LINE_FIELDS}
        if line is None:
            to_create.append(ReturnLine(ret=ret, scheme_id=scheme_id, **values))
        elif any(getattr(line, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(line, f, v)
            to_update.append(line)
    if existing:
        # Schemes left out of the new version: removed one by one (each keeps its
        # history); this is the rare case, not the bulk path.
        for line in existing.values():
            line.delete()
    if to_update:
        # UPDATE ... FROM (VALUES ...) in batches of 1,000 on PostgreSQL and the
        # history copied from the updated rows by INSERT ... SELECT (issue 17:
        # bulk_update's CASE/WHEN took 5-6 s for 5,000 lines, building the history
        # as model instances most of the next 1.35 s).
        bulk_update_with_history(
            to_update, ReturnLine, LINE_FIELDS, batch_size=BULK_BATCH, default_user=user
        )
    if to_create:
        bulk_create_with_history(
            to_create, ReturnLine, batch_size=BULK_BATCH, default_user=user
        )
    return ret


@transaction.atomic
def return_submit(*, ret: Return, user, now: datetime | None = None) -> Return:
    """The finance officer submits the return to the pooled fund manager. Refused
    without lines, where a scheme forecasts an overspend and has no action plan
    (SPEC s.6: "asks for an action plan where a scheme forecasts an overspend"),
    where an active scheme has no line (one added since the draft was saved), or
    where the budgets differ from the contributions to the pool and the difference
    is not explained (``reconciliation.py``). Lock: the Return row."""
    ret = (
        Return.objects.select_for_update(of=("self",))
        .select_related("fund__manager")
        .get(pk=ret.pk)
    )
    workflow.transition(ret, "submit")
    lines = list(ret.lines.select_related("scheme"))
    if not lines:
        raise RuleViolation("The return has no lines.", rule="return_empty")
    missing = [
        line.scheme.reference
        for line in lines
        if derive(LineFigures(line.budget, line.forecast_outturn)).action_plan_required
        and not line.action_plan.strip()
    ]
    if missing:
        raise RuleViolation(
            "An action plan is required for each scheme forecasting an overspend: "
            + ", ".join(missing)
            + ".",
            rule="action_plan_required",
        )
    covered = {line.scheme_id for line in lines}
    absent = [
        f"{s.reference} ({s.name})"
        for s in Scheme.objects.filter(fund_id=ret.fund_id, active=True)
        if s.pk not in covered
    ]
    if absent:
        raise RuleViolation(
            "The return has no line for: " + ", ".join(absent) + ". Every active "
            "scheme needs a line (0 for nothing to report).",
            rule="scheme_missing",
        )
    refusal = submit_refusal(return_reconciliation(ret), ret.difference_explanation)
    if refusal:
        raise RuleViolation(refusal, rule="difference_unexplained")
    ret.submitted_by = user
    ret.submitted_at = now or timezone.now()
    ret.returned_reason = ""
    ret.save()
    manager = ret.fund.manager
    if manager is not None:
        outbox_enqueue(
            key=f"return:{ret.pk}:submitted:{ret.submitted_at.isoformat()}",
            to=manager.email,
            subject=f"Return to approve: {ret.fund} {ret.period_label}",
            body=f"{user} submitted the return for {ret.period_label} of {ret.fund}. "
            "Please approve it or send it back with your reasons: "
            f"{absolute_url(ret)}\n",
        )
    return ret


@transaction.atomic
def return_approve(
    *, ret: Return, user, now: datetime | None = None, place_paper: bool = True
) -> Return:
    """The pooled fund manager approves a submitted return: it is locked and goes
    to the board's next scheduled meeting as a paper (``return_place_paper``), or
    waits, shown as pending on the fund page, until a meeting is scheduled.
    ``place_paper=False`` records an approval given in the past (a demo or a
    migrated year), whose paper the board already had. Lock: the Return row."""
    ret = (
        Return.objects.select_for_update(of=("self",))
        .select_related("fund")
        .get(pk=ret.pk)
    )
    workflow.transition(ret, "approve")
    if ret.submitted_by_id is not None and ret.submitted_by_id == user.pk:
        raise RuleViolation(
            "You submitted this return: someone else must approve it.",
            rule="approve_own_return",
        )
    ret.decided_by = user
    ret.decided_at = now or timezone.now()
    ret.save()
    if place_paper:
        return_place_paper(ret=ret, now=ret.decided_at)
    return ret


@transaction.atomic
def return_send_back(
    *, ret: Return, user, reason: str, now: datetime | None = None
) -> Return:
    """The manager returns a submitted return to the finance officers with reasons
    (required). Lock: the Return row."""
    if not (reason or "").strip():
        raise RuleViolation(
            "Give the reasons for sending the return back.", rule="reason_required"
        )
    ret = (
        Return.objects.select_for_update(of=("self",))
        .select_related("fund", "submitted_by")
        .get(pk=ret.pk)
    )
    workflow.transition(ret, "send_back")
    ret.decided_by = user
    ret.decided_at = now or timezone.now()
    ret.returned_reason = reason.strip()
    ret.save()
    if ret.submitted_by is not None:
        outbox_enqueue(
            key=f"return:{ret.pk}:returned:{ret.decided_at.isoformat()}",
            to=ret.submitted_by.email,
            subject=f"Return sent back: {ret.fund} {ret.period_label}",
            body=f"{user} sent the return back with these reasons:\n\n"
            f"{ret.returned_reason}\n\nCorrect it and submit it again: "
            f"{absolute_url(ret)}\n",
        )
    return ret


def return_item_title(fund: PooledFund, period: str) -> str:
    """The title of the agenda item that carries a return to the board (a forward
    plan that expects the return proposes the same item)."""
    return f"Pooled fund return: {fund} {periods.describe(period)}"


def return_place_paper(*, ret: Return, now: datetime | None = None):
    """Put an approved return on the agenda of the fund board's next scheduled
    meeting (starting after ``now``) as an information item of pooled-fund
    business, before any other business, with the return report as a PDF paper. An item already planned for
    this return (same title) on a coming scheduled meeting takes the paper instead,
    so a return the forward plan put on an agenda is not listed twice. Returns the
    agenda item, or None when no meeting is scheduled yet (the return stays "paper
    pending")."""
    from django.core.files.base import ContentFile

    from meetings.models import AgendaItem, Meeting, Paper
    from meetings.services.agenda import agenda_reorder

    from ..report import return_report_pdf

    if ret.status != ReturnStatus.APPROVED or ret.agenda_item_id:
        return ret.agenda_item
    board = fund_board(ret.fund)
    if board is None:
        return None
    title = return_item_title(ret.fund, ret.period)
    coming = Meeting.objects.filter(
        board=board,
        status=Meeting.Status.SCHEDULED,
        starts_at__gt=now or timezone.now(),
    ).order_by("starts_at")
    item = (
        AgendaItem.objects.filter(meeting__in=coming, title=title)
        .order_by("meeting__starts_at", "id")
        .first()
    )
    if item is None:
        meeting = coming.first()
        if meeting is None:
            return None
        item = AgendaItem.objects.create(
            meeting=meeting,
            order=meeting.items.count(),
            title=title,
            business_type="pooled_fund",
            kind=AgendaItem.Kind.INFORMATION,
            presenter=str(ret.fund.manager or ""),
        )
    content = return_report_pdf(ret)
    paper = Paper(
        item=item,
        title=f"{ret.fund} return {ret.period_label}",
        content_type="application/pdf",
        size=len(content),
        uploaded_by=ret.decided_by or ret.created_by,
    )
    paper.file.save(
        f"return-{ret.pk}-{ret.period}.pdf", ContentFile(content), save=False
    )
    paper.save()
    # Business, so before any other business (meetings/agenda_order.py).
    agenda_reorder(meeting=item.meeting)
    ret.agenda_item = item
    ret.save(update_fields=["agenda_item"])
    return item


@transaction.atomic
def returns_place_pending_papers(*, now: datetime | None = None) -> int:
    """Each fund's latest approved return, if still waiting for a meeting, goes to
    the next one scheduled; an earlier approved return it supersedes does not (the
    board takes the latest position, not a backlog of months)."""
    placed = 0
    latest = latest_approved_ids()
    pending = Return.objects.select_for_update(skip_locked=True, of=("self",)).filter(
        status=ReturnStatus.APPROVED, agenda_item__isnull=True, pk__in=latest
    )
    for ret in pending.select_related("fund"):
        placed += return_place_paper(ret=ret, now=now) is not None
    return placed


def latest_approved_ids(fund_ids=None) -> list[int]:
    """The id of each fund's latest approved return (by period). One query."""
    rows = Return.objects.filter(status=ReturnStatus.APPROVED)
    if fund_ids is not None:
        rows = rows.filter(fund_id__in=fund_ids)
    latest: dict[int, tuple[str, int]] = {}
    for pk, fund_id, period in rows.values_list("pk", "fund_id", "period"):
        if fund_id not in latest or period > latest[fund_id][0]:
            latest[fund_id] = (period, pk)
    return [pk for _, pk in latest.values()]
