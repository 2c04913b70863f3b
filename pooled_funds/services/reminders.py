"""Return due reminders and metric actuals."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from governance.exceptions import RuleViolation
from governance.links import absolute_url
from governance.outbox import outbox_enqueue

from .. import periods
from ..models import (
    PooledFund,
    Return,
    ReturnReminder,
)

DUE_REMINDER_DAYS = 7


def returns_send_reminders(*, today: date) -> int:
    """Remind the finance officers when a return is due (within 7 days of its due
    date) and again when it is overdue (after its due date) and still not
    submitted or approved (``periods.return_states``, as the dashboards show it).
    Once per (fund, period, kind): the ReturnReminder row
    and the outbox key make a second run send nothing. Returns how many were sent."""
    sent = 0
    funds = PooledFund.objects.prefetch_related("finance_officers")
    for fund in funds:
        statuses = dict(
            Return.objects.filter(fund=fund).values_list("period", "status")
        )
        for state in periods.return_states(
            frequency=fund.frequency,
            financial_year=fund.financial_year,
            due_day=fund.due_day,
            statuses=statuses,
            today=today,
        ):
            if state.state == periods.AWAITING_APPROVAL:
                continue
            if today > state.due:
                kind = ReturnReminder.Kind.OVERDUE
            elif (state.due - today).days <= DUE_REMINDER_DAYS:
                kind = ReturnReminder.Kind.DUE
            else:
                continue
            sent += _remind(fund=fund, period=state.period, kind=kind, due=state.due)
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
            f"Enter it by form or upload the template on the fund's page: "
            f"{absolute_url(fund)}\n",
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
    from ..models import Metric, MetricActual

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
