"""Writes that set a pooled fund up (SPEC s.6): the fund under its agreement, the
partners' contributions by funding stream, the schemes, the metrics and the
performance payment. Each validates the row (``full_clean``) before saving it, so
its audit history starts with a valid record.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from boards.models import Agreement, Board, Partner
from governance.models import User

from ..models import (
    Contribution,
    Metric,
    PerformancePayment,
    PooledFund,
    Scheme,
)


def _saved(row):
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def fund_create(
    *,
    name: str,
    agreement: Agreement,
    host_partner: Partner,
    financial_year: int,
    pooled_total: Decimal,
    board: Board | None = None,
    manager: User | None = None,
    finance_officers: Iterable[User] = (),
    frequency: str = "quarterly",
    due_day: int = 15,
) -> PooledFund:
    """A pooled fund hosted by one of the agreement's partners (West Kent: "KCC will
    act as host for the pooled fund", 2.2)."""
    if not agreement.partners.filter(pk=host_partner.pk).exists():
        raise ValidationError(
            {"host_partner": ["The host must be a partner of the agreement."]}
        )
    if board is not None and board.agreement_id != agreement.pk:
        raise ValidationError({"board": ["The board is not under this agreement."]})
    fund = _saved(
        PooledFund(
            name=name,
            agreement=agreement,
            host_partner=host_partner,
            financial_year=financial_year,
            pooled_total=pooled_total,
            board=board,
            manager=manager,
            frequency=frequency,
            due_day=due_day,
        )
    )
    fund.finance_officers.set(list(finance_officers))
    return fund


@transaction.atomic
def contribution_add(
    *,
    fund: PooledFund,
    partner: Partner,
    stream: str,
    amount: Decimal,
    ring_fenced: bool = False,
    conditions: str = "",
) -> Contribution:
    if not fund.agreement.partners.filter(pk=partner.pk).exists():
        raise ValidationError({"partner": ["Not a partner of the fund's agreement."]})
    return _saved(
        Contribution(
            fund=fund,
            partner=partner,
            stream=stream,
            amount=amount,
            ring_fenced=ring_fenced,
            conditions=conditions,
        )
    )


@transaction.atomic
def scheme_add(
    *,
    fund: PooledFund,
    reference: str,
    name: str,
    lead_partner: Partner,
    budget: Decimal,
    manager_responsible: str = "",
    scheme_type: str = "nhs",
    order: int = 0,
) -> Scheme:
    """A scheme of the fund; a nil budget is a scheme with no direct funding."""
    if not fund.agreement.partners.filter(pk=lead_partner.pk).exists():
        raise ValidationError(
            {"lead_partner": ["Not a partner of the fund's agreement."]}
        )
    return _saved(
        Scheme(
            fund=fund,
            reference=reference,
            name=name,
            lead_partner=lead_partner,
            budget=budget,
            manager_responsible=manager_responsible,
            scheme_type=scheme_type,
            order=order,
        )
    )


@transaction.atomic
def metric_add(
    *,
    fund: PooledFund,
    name: str,
    planned: Decimal,
    unit: str = "",
    lower_is_better: bool = True,
    order: int = 0,
) -> Metric:
    return _saved(
        Metric(
            fund=fund,
            name=name,
            planned=planned,
            unit=unit,
            lower_is_better=lower_is_better,
            order=order,
        )
    )


@transaction.atomic
def performance_payment_set(
    *,
    fund: PooledFund,
    amount: Decimal,
    metric: Metric,
    target_reduction_percent: Decimal,
    baseline: Decimal,
    retained_by: Partner,
) -> PerformancePayment:
    """The performance element of the fund (West Kent 4.1)."""
    if metric.fund_id != fund.pk:
        raise ValidationError({"metric": ["The metric is not one of this fund's."]})
    payment = PerformancePayment.objects.filter(fund=fund).first() or (
        PerformancePayment(fund=fund)
    )
    payment.amount = amount
    payment.metric = metric
    payment.target_reduction_percent = target_reduction_percent
    payment.baseline = baseline
    payment.retained_by = retained_by
    return _saved(payment)
