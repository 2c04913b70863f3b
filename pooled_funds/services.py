"""Writes for pooled funds: returns (entry, upload, workflow), the return's paper on
the board's next agenda, decisions on money, reminders. Every state change is here,
under ``transaction.atomic``; views and the API only call these.

Return workflow (``TRANSITIONS``): draft -> submitted -> approved (locked) or
returned (with reasons) -> submitted again. Only drafts and returned returns can be
changed.
"""

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from boards.models import Board
from governance.exceptions import InvalidTransition, RuleViolation
from governance.outbox import outbox_enqueue

from . import imports, periods
from .models import (
    FundDecision,
    PooledFund,
    Return,
    ReturnLine,
    ReturnReminder,
    ReturnStatus,
    Scheme,
)
from .variance import LineFigures, derive

TRANSITIONS = {
    ReturnStatus.DRAFT: {ReturnStatus.SUBMITTED},
    ReturnStatus.SUBMITTED: {ReturnStatus.APPROVED, ReturnStatus.RETURNED},
    ReturnStatus.RETURNED: {ReturnStatus.SUBMITTED},
    ReturnStatus.APPROVED: set(),
}
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
DUE_REMINDER_DAYS = 7


class ReturnRejected(Exception):
    """The lines or the file have errors; nothing was saved. ``errors`` lists each
    one with its row and column (``imports.RowError``)."""

    def __init__(self, errors: list[imports.RowError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def _set_status(ret: Return, new: str) -> None:
    if new not in TRANSITIONS[ret.status]:
        raise InvalidTransition(
            f"A return that is {ret.get_status_display().lower()} cannot become "
            f"{ReturnStatus(new).label.lower()}.",
            rule="return_transition",
        )
    ret.status = new


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
        ref: imports.SchemeInfo(ref, budget)
        for ref, budget in Scheme.objects.filter(fund=fund).values_list(
            "reference", "budget"
        )
    }


@transaction.atomic
def return_enter(
    *,
    fund: PooledFund,
    period: str,
    rows: list[dict],
    user,
    headings: list[str] | None = None,
    narrative: str | None = None,
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
    return _return_save(fund=fund, result=result, user=user, narrative=narrative)


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


def _return_save(*, fund, result: imports.ImportResult, user, narrative) -> Return:
    """Lock: the Return row (select_for_update), so two uploads of the same period
    cannot interleave."""
    ret = Return.objects.select_for_update().filter(fund=fund, period=result.period)
    ret = ret.first()
    if ret is None:
        ret = Return.objects.create(
            fund=fund, period=result.period, created_by=user, narrative=narrative or ""
        )
    elif ret.status not in (ReturnStatus.DRAFT, ReturnStatus.RETURNED):
        raise RuleViolation(
            f"The return for {ret.period_label} is {ret.get_status_display().lower()}"
            " and cannot be changed.",
            rule="return_locked",
        )
    elif narrative is not None and narrative != ret.narrative:
        ret.narrative = narrative
        ret.save(update_fields=["narrative"])
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
    without lines, or where a scheme forecasts an overspend and has no action plan
    (SPEC s.6: "asks for an action plan where a scheme forecasts an overspend").
    Lock: the Return row."""
    ret = (
        Return.objects.select_for_update(of=("self",))
        .select_related("fund__manager")
        .get(pk=ret.pk)
    )
    _set_status(ret, ReturnStatus.SUBMITTED)
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
            "Please approve it or send it back with your reasons.",
        )
    return ret


@transaction.atomic
def return_approve(*, ret: Return, user, now: datetime | None = None) -> Return:
    """The pooled fund manager approves a submitted return: it is locked and goes
    to the board's next scheduled meeting as a paper (``return_place_paper``), or
    waits, shown as pending on the fund page, until a meeting is scheduled.
    Lock: the Return row."""
    ret = (
        Return.objects.select_for_update(of=("self",))
        .select_related("fund")
        .get(pk=ret.pk)
    )
    _set_status(ret, ReturnStatus.APPROVED)
    if ret.submitted_by_id is not None and ret.submitted_by_id == user.pk:
        raise RuleViolation(
            "You submitted this return: someone else must approve it.",
            rule="approve_own_return",
        )
    ret.decided_by = user
    ret.decided_at = now or timezone.now()
    ret.save()
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
    _set_status(ret, ReturnStatus.RETURNED)
    ret.decided_by = user
    ret.decided_at = now or timezone.now()
    ret.returned_reason = reason.strip()
    ret.save()
    if ret.submitted_by is not None:
        outbox_enqueue(
            key=f"return:{ret.pk}:returned:{ret.decided_at.isoformat()}",
            to=ret.submitted_by.email,
            subject=f"Return sent back: {ret.fund} {ret.period_label}",
            body=f"{user} sent the return back with these reasons:\n\n{ret.returned_reason}",
        )
    return ret


def return_place_paper(*, ret: Return, now: datetime | None = None):
    """Put an approved return on the agenda of the fund board's next scheduled
    meeting (starting after ``now``) as an information item of pooled-fund
    business, with the return report as a PDF paper. Returns the agenda item, or
    None when no meeting is scheduled yet (the return stays "paper pending")."""
    from django.core.files.base import ContentFile

    from meetings.models import AgendaItem, Meeting, Paper

    from .report import return_report_pdf

    if ret.status != ReturnStatus.APPROVED or ret.agenda_item_id:
        return ret.agenda_item
    board = fund_board(ret.fund)
    if board is None:
        return None
    meeting = (
        Meeting.objects.filter(
            board=board,
            status=Meeting.Status.SCHEDULED,
            starts_at__gt=now or timezone.now(),
        )
        .order_by("starts_at")
        .first()
    )
    if meeting is None:
        return None
    order = meeting.items.aggregate(m=Max("order"))["m"]
    item = AgendaItem.objects.create(
        meeting=meeting,
        order=(order or 0) + 1,
        title=f"Pooled fund return: {ret.fund} {ret.period_label}",
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
    ret.agenda_item = item
    ret.save(update_fields=["agenda_item"])
    return item


@transaction.atomic
def returns_place_pending_papers(*, now: datetime | None = None) -> int:
    """Approved returns still waiting for a meeting go to the next one scheduled."""
    placed = 0
    pending = Return.objects.select_for_update(skip_locked=True, of=("self",)).filter(
        status=ReturnStatus.APPROVED, agenda_item__isnull=True
    )
    for ret in pending.select_related("fund"):
        placed += return_place_paper(ret=ret, now=now) is not None
    return placed


@transaction.atomic
def fund_decision_record(
    *,
    fund: PooledFund,
    kind: str,
    amount: Decimal,
    motion,
    user,
    from_scheme: Scheme | None = None,
    to_scheme: Scheme | None = None,
    note: str = "",
) -> FundDecision:
    """Record a decision on money. Portsmouth PMG ToR 5.1.1-5.1.2: redistributing
    contributions between schemes within the aggregate, and commitments that
    exceed (or are likely to exceed) the contributions, need the board's authority:
    refused unless ``motion`` was carried at a meeting of a decision-making board of
    the fund's agreement (an advisory board's recommendation does not authorise),
    ``amount`` is within the motion's ``financial_value`` when it has one, and no
    other decision was recorded on the same motion (one motion, one decision). A redistribution moves ``amount`` of budget from one scheme of the
    fund to another (the pooled total is unchanged). Lock: both Scheme rows."""
    from meetings.models import MotionOutcome

    if motion is None:
        raise RuleViolation(
            "A decision on money needs a carried motion of the board.",
            rule="carried_motion_required",
        )
    board = motion.item.meeting.board
    if board.agreement_id != fund.agreement_id:
        raise RuleViolation(
            "The motion was not taken by a board of this fund's agreement.",
            rule="motion_board_mismatch",
        )
    if motion.outcome != MotionOutcome.CARRIED:
        raise RuleViolation(
            "The motion was not carried: the decision cannot be recorded.",
            rule="carried_motion_required",
        )
    if motion.recommendation or not board.decision_making:
        raise RuleViolation(
            "The motion was a recommendation of an advisory board: only a "
            "decision-making board can authorise a decision on money.",
            rule="advisory_motion",
        )
    if amount is None or amount <= 0:
        raise RuleViolation("The amount must be more than nil.", rule="amount_positive")
    if motion.financial_value is not None and amount > motion.financial_value:
        raise RuleViolation(
            f"The amount (£{amount:,.2f}) is more than the motion authorised "
            f"(£{motion.financial_value:,.2f}).",
            rule="amount_exceeds_motion",
        )
    if FundDecision.objects.filter(motion=motion).exists():
        raise RuleViolation(
            "A decision on money has already been recorded for this motion.",
            rule="motion_already_used",
        )
    if kind == FundDecision.Kind.REDISTRIBUTION:
        _redistribute(
            fund=fund, amount=amount, from_scheme=from_scheme, to_scheme=to_scheme
        )
    elif kind != FundDecision.Kind.COMMITMENT:
        raise RuleViolation(f"Unknown kind of decision “{kind}”.", rule="decision_kind")
    return FundDecision.objects.create(
        fund=fund,
        kind=kind,
        amount=amount,
        from_scheme=from_scheme,
        to_scheme=to_scheme,
        motion=motion,
        note=note,
        recorded_by=user,
    )


def _redistribute(*, fund, amount, from_scheme, to_scheme) -> None:
    if from_scheme is None or to_scheme is None or from_scheme.pk == to_scheme.pk:
        raise RuleViolation(
            "A redistribution names two different schemes of the fund.",
            rule="redistribution_schemes",
        )
    schemes = {
        s.pk: s
        for s in Scheme.objects.select_for_update().filter(
            fund=fund, pk__in=[from_scheme.pk, to_scheme.pk]
        )
    }
    if len(schemes) != 2:
        raise RuleViolation(
            "Both schemes must belong to this fund.", rule="redistribution_schemes"
        )
    source, target = schemes[from_scheme.pk], schemes[to_scheme.pk]
    if source.budget < amount:
        raise RuleViolation(
            f"{source.reference} has a budget of £{source.budget:,}: it cannot give "
            f"£{amount:,}.",
            rule="redistribution_exceeds_budget",
        )
    source.budget -= amount
    target.budget += amount
    source.save(update_fields=["budget"])
    target.save(update_fields=["budget"])


def returns_send_reminders(*, today: date) -> int:
    """Remind the finance officers when a return is due (within 7 days of its due
    date) and again when it is overdue (after its due date) and still not
    submitted or approved. Once per (fund, period, kind): the ReturnReminder row
    and the outbox key make a second run send nothing. Returns how many were sent."""
    sent = 0
    funds = PooledFund.objects.prefetch_related("finance_officers")
    for fund in funds:
        done = set(
            Return.objects.filter(
                fund=fund, status__in=[ReturnStatus.SUBMITTED, ReturnStatus.APPROVED]
            ).values_list("period", flat=True)
        )
        for label in fund.period_labels():
            if label in done or periods.bounds(label)[1] >= today:
                continue
            due = periods.due_date(label, fund.due_day)
            if today > due:
                kind = ReturnReminder.Kind.OVERDUE
            elif (due - today).days <= DUE_REMINDER_DAYS:
                kind = ReturnReminder.Kind.DUE
            else:
                continue
            sent += _remind(fund=fund, period=label, kind=kind, due=due)
    return sent


@transaction.atomic
def _remind(*, fund: PooledFund, period: str, kind: str, due: date) -> int:
    reminder, created = ReturnReminder.objects.get_or_create(
        fund=fund, period=period, kind=kind
    )
    if not created:
        return 0
    words = periods.describe(period)
    subject = (
        f"Return overdue: {fund} {words}"
        if kind == ReturnReminder.Kind.OVERDUE
        else f"Return due {due:%-d %B %Y}: {fund} {words}"
    )
    for officer in fund.finance_officers.all():
        outbox_enqueue(
            key=f"fund:{fund.pk}:return:{period}:{kind}:{officer.pk}",
            to=officer.email,
            subject=subject,
            body=f"The {fund} return for {words} is due on {due:%-d %B %Y}. "
            "Enter it by form or upload the template on the fund's page.",
        )
    return 1


@transaction.atomic
def metric_actuals_record(
    *, fund: PooledFund, period: str, values: dict[int, Decimal | None], user
) -> int:
    """Record (or correct) the metrics' actuals for a period of the fund; a blank
    value removes nothing and records nothing (data not available). Metrics are
    reported quarterly whatever the fund's frequency, so ``period`` is a quarter
    label of the fund's year ("2015-Q2"). Returns how many values were written."""
    from .models import Metric, MetricActual

    try:
        periods.validate(
            period, frequency="quarterly", financial_year=fund.financial_year
        )
    except periods.PeriodError as exc:
        raise RuleViolation(str(exc), rule="metric_period") from exc
    metrics = {m.pk: m for m in Metric.objects.filter(fund=fund, pk__in=list(values))}
    written = 0
    for metric_id, actual in values.items():
        if actual is None or metric_id not in metrics:
            continue
        MetricActual.objects.update_or_create(
            metric=metrics[metric_id], period=period, defaults={"actual": actual}
        )
        written += 1
    return written


ASYNC_CSV_LINES = 1000
ASYNC_XLSX_BYTES = 150_000


def import_is_large(*, filename: str, content: bytes) -> bool:
    """Files beyond about 1,000 lines are imported in the background."""
    if filename.lower().endswith(".xlsx"):
        return len(content) > ASYNC_XLSX_BYTES
    return content.count(b"\n") > ASYNC_CSV_LINES


@transaction.atomic
def return_import_queue(
    *, fund: PooledFund, period: str, filename: str, content: bytes, user
):
    """Queue a large upload: the job row commits first, then a worker is asked to
    run it; if the broker is down, the beat sweep (``import_jobs_sweep``) runs it."""
    from .models import ImportJob

    job = ImportJob.objects.create(
        fund=fund, period=period, filename=filename, content=content, uploaded_by=user
    )
    transaction.on_commit(lambda: _start_job(job.pk))
    return job


def _start_job(job_id: int) -> None:
    from .tasks import import_job_run

    try:
        import_job_run.apply_async((job_id,), retry=False)
    except Exception:  # noqa: BLE001 - any broker failure; the beat sweep runs it
        import logging

        logging.getLogger(__name__).warning(
            "broker unavailable; import %s left to sweep", job_id
        )


def import_job_run(*, job_id: int) -> str:
    """Run a queued import once: claimed with a conditional update, so a second
    delivery of the task does nothing. Returns the job's final status."""
    from .models import ImportJob

    claimed = ImportJob.objects.filter(
        pk=job_id, status=ImportJob.Status.QUEUED
    ).update(status=ImportJob.Status.RUNNING, started_at=timezone.now())
    if not claimed:
        return ""
    job = ImportJob.objects.select_related("fund", "uploaded_by").get(pk=job_id)
    try:
        job.ret = return_import(
            fund=job.fund,
            period=job.period,
            filename=job.filename,
            content=bytes(job.content),
            user=job.uploaded_by,
        )
        job.status = ImportJob.Status.DONE
    except ReturnRejected as exc:
        job.status = ImportJob.Status.REJECTED
        job.errors = [
            {"row": e.row, "column": e.column, "message": e.message} for e in exc.errors
        ]
    except RuleViolation as exc:
        job.status = ImportJob.Status.REJECTED
        job.errors = [{"row": None, "column": "", "message": exc.message}]
    except Exception as exc:  # noqa: BLE001 - recorded on the job for the user
        job.status = ImportJob.Status.FAILED
        job.errors = [{"row": None, "column": "", "message": f"{type(exc).__name__}"}]
    job.finished_at = timezone.now()
    job.save(update_fields=["ret", "status", "errors", "finished_at"])
    return job.status


def import_jobs_sweep(*, older_than_seconds: int = 120) -> int:
    """Run queued imports whose start was lost (broker down)."""
    from datetime import timedelta

    from .models import ImportJob

    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    ids = list(
        ImportJob.objects.filter(
            status=ImportJob.Status.QUEUED, created_at__lte=cutoff
        ).values_list("pk", flat=True)
    )
    return sum(1 for job_id in ids if import_job_run(job_id=job_id))
