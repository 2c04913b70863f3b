"""Writes for setting a fund up and keeping it right: the fund itself, its
contributions and its schemes (issue 15: "funds, contributions and schemes created
and edited in the browser and the API"). Each change is kept in the history
(django-simple-history); nothing is deleted: a scheme that ends is closed.

Rules chosen here (SPEC s.6 is silent on set-up):

- the fund's board, host partner, and every contribution's and scheme's partner
  belong to the fund's agreement;
- a scheme's budget is the approved budget: it is set while the fund is being set
  up (no return submitted or approved yet) and afterwards changes only by a
  decision on money of the board (Portsmouth PMG ToR 5.1.1), so a scheme added
  later starts at nil and is funded by a redistribution;
- a fund's reporting frequency and financial year cannot change once it has a
  return (the periods of its returns would no longer be its periods).
"""

from decimal import Decimal

from django.db import IntegrityError, transaction

from governance.exceptions import RuleViolation
from governance.grants import RoleName
from governance.permissions import forget_held_roles
from governance.services.roles import role_give, role_take

from ..models import (
    Contribution,
    Metric,
    PerformancePayment,
    PooledFund,
    Return,
    ReturnStatus,
    Scheme,
)

FUND_FIELDS = (
    "name",
    "agreement",
    "board",
    "host_partner",
    "manager",
    "financial_year",
    "frequency",
    "due_day",
    "pooled_total",
)
SCHEME_FIELDS = (
    "reference",
    "name",
    "lead_partner",
    "manager_responsible",
    "scheme_type",
    "stream",
    "budget",
    "locality",
    "active",
    "order",
)
CONTRIBUTION_FIELDS = (
    "partner",
    "stream",
    "scheme",
    "locality",
    "amount",
    "ring_fenced",
    "conditions",
)


def _clean_and_save(obj, *, exclude=()) -> None:
    """Model validation first (a ValidationError naming each field: 400 in the API,
    field errors on the page); the database's unique constraints have the last
    word."""
    obj.full_clean(exclude=list(exclude))
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise RuleViolation(
            "That would duplicate an existing record.", rule="duplicate"
        ) from exc


def _check_fund_partners(fund: PooledFund) -> None:
    partners = set(fund.agreement.partners.values_list("pk", flat=True))
    if fund.host_partner_id not in partners:
        raise RuleViolation(
            "The host partner must be a partner of the agreement.",
            rule="partner_not_in_agreement",
        )
    if fund.board_id and fund.board.agreement_id != fund.agreement_id:
        raise RuleViolation(
            "The board must be a board of the fund's agreement.",
            rule="board_not_in_agreement",
        )


def fund_in_set_up(fund: PooledFund) -> bool:
    """No return of the fund has been submitted or approved yet."""
    return not Return.objects.filter(
        fund=fund,
        status__in=[
            ReturnStatus.SUBMITTED,
            ReturnStatus.APPROVED,
            ReturnStatus.RETURNED,
        ],
    ).exists()


def _set_manager(fund: PooledFund, manager, *, by) -> None:
    """A new manager through the grant table (``governance.services.roles``): only
    administrators give or take away the pooled fund manager; the person replaced
    loses the role as any role taken away does (sessions and API tokens end)."""
    if fund.manager_id == getattr(manager, "pk", None):
        return
    if fund.manager_id is not None:
        role_take(
            by=by, person=fund.manager, role=RoleName.FUND_MANAGER, target_id=fund.pk
        )
    if manager is not None:
        role_give(by=by, person=manager, role=RoleName.FUND_MANAGER, target_id=fund.pk)
    forget_held_roles(by)
    fund.refresh_from_db(fields=["manager"])


def _set_finance_officers(fund: PooledFund, officers, *, by) -> None:
    """The finance officers named, each one added or removed through the grant table
    (administrators and the fund's manager); whoever is removed is signed out
    everywhere, as ``role_take`` does."""
    current = {u.pk: u for u in fund.finance_officers.all()}
    wanted = {u.pk: u for u in officers}
    for pk in sorted(current.keys() - wanted.keys()):
        role_take(
            by=by,
            person=current[pk],
            role=RoleName.FINANCE_OFFICER,
            target_id=fund.pk,
        )
    for pk in sorted(wanted.keys() - current.keys()):
        role_give(
            by=by, person=wanted[pk], role=RoleName.FINANCE_OFFICER, target_id=fund.pk
        )


@transaction.atomic
def fund_create(*, user=None, finance_officers=(), **fields) -> PooledFund:
    """A new fund. A person whose usual role is pooled fund manager manages the fund
    they create (no one else is given a right); naming anyone else as manager is
    giving the role, which the grant table leaves to administrators (403 otherwise).
    Finance officers are given by the grant table too: administrators, or the
    creating manager for their new fund. ``user`` None is the system itself (the demo
    loader); every page and API call passes the person acting."""
    fields = {k: v for k, v in fields.items() if k in FUND_FIELDS}
    manager = fields.pop("manager", None)
    if user is None:
        fund = PooledFund(manager=manager, **fields)
        _check_fund_partners(fund)
        _clean_and_save(fund)
        fund.finance_officers.set(finance_officers)
        return fund
    creator_manages = getattr(user, "role", "") == "fund_manager" and (
        manager is None or manager.pk == user.pk
    )
    fund = PooledFund(manager=user if creator_manages else None, **fields)
    _check_fund_partners(fund)
    _clean_and_save(fund)
    forget_held_roles(user)
    if not creator_manages:
        _set_manager(fund, manager, by=user)
    _set_finance_officers(fund, finance_officers, by=user)
    return fund


_UNCHANGED = object()


@transaction.atomic
def fund_update(
    *, fund: PooledFund, user, finance_officers=None, **fields
) -> PooledFund:
    """Lock: the PooledFund row. The manager and the finance officers change only
    through the grant table (``_set_manager``, ``_set_finance_officers``)."""
    fund = PooledFund.objects.select_for_update().get(pk=fund.pk)
    manager = fields.pop("manager", _UNCHANGED)
    has_returns = Return.objects.filter(fund=fund).exists()
    for key, value in fields.items():
        if key not in FUND_FIELDS:
            continue
        if (
            key in ("frequency", "financial_year", "agreement")
            and has_returns
            and getattr(fund, key if key != "agreement" else "agreement_id")
            != (value.pk if key == "agreement" else value)
        ):
            raise RuleViolation(
                f"The fund has returns: its {key.replace('_', ' ')} cannot change.",
                rule="fund_has_returns",
            )
        setattr(fund, key, value)
    _check_fund_partners(fund)
    _clean_and_save(fund)
    if manager is not _UNCHANGED:
        _set_manager(fund, manager, by=user)
    if finance_officers is not None:
        _set_finance_officers(fund, finance_officers, by=user)
    return fund


def _check_scheme(fund: PooledFund, scheme: Scheme) -> None:
    if not fund.agreement.partners.filter(pk=scheme.lead_partner_id).exists():
        raise RuleViolation(
            "The lead partner must be a partner of the fund's agreement.",
            rule="partner_not_in_agreement",
        )


@transaction.atomic
def scheme_add(*, fund: PooledFund, user=None, **fields) -> Scheme:
    fields = {k: v for k, v in fields.items() if k in SCHEME_FIELDS}
    scheme = Scheme(fund=fund, **fields)
    if scheme.budget and not fund_in_set_up(fund):
        raise RuleViolation(
            "The fund's returns have started: a new scheme starts with no budget "
            "and is funded by a redistribution the board decides (Portsmouth PMG "
            "ToR 5.1.1).",
            rule="budget_by_decision",
        )
    _check_scheme(fund, scheme)
    _clean_and_save(scheme)
    return scheme


@transaction.atomic
def scheme_update(*, scheme: Scheme, user=None, **fields) -> Scheme:
    """Lock: the Scheme row."""
    scheme = Scheme.objects.select_for_update().select_related("fund").get(pk=scheme.pk)
    budget = fields.get("budget")
    if (
        budget is not None
        and Decimal(budget) != scheme.budget
        and not fund_in_set_up(scheme.fund)
    ):
        raise RuleViolation(
            f"{scheme.reference}'s approved budget changes only by a decision on "
            "money of the board once returns have started (Portsmouth PMG ToR "
            "5.1.1).",
            rule="budget_by_decision",
        )
    for key, value in fields.items():
        if key in SCHEME_FIELDS:
            setattr(scheme, key, value)
    _check_scheme(scheme.fund, scheme)
    _clean_and_save(scheme)
    return scheme


def _check_contribution(fund: PooledFund, contribution: Contribution) -> None:
    if not fund.agreement.partners.filter(pk=contribution.partner_id).exists():
        raise RuleViolation(
            "The partner must be a partner of the fund's agreement.",
            rule="partner_not_in_agreement",
        )
    if contribution.scheme_id and contribution.scheme.fund_id != fund.pk:
        raise RuleViolation(
            "The scheme must be one of this fund's.", rule="scheme_not_in_fund"
        )


@transaction.atomic
def contribution_add(*, fund: PooledFund, user=None, **fields) -> Contribution:
    fields = {k: v for k, v in fields.items() if k in CONTRIBUTION_FIELDS}
    contribution = Contribution(fund=fund, **fields)
    _check_contribution(fund, contribution)
    _clean_and_save(contribution)
    return contribution


@transaction.atomic
def contribution_update(
    *, contribution: Contribution, user=None, **fields
) -> Contribution:
    """Lock: the Contribution row."""
    contribution = (
        Contribution.objects.select_for_update()
        .select_related("fund")
        .get(pk=contribution.pk)
    )
    for key, value in fields.items():
        if key in CONTRIBUTION_FIELDS:
            setattr(contribution, key, value)
    _check_contribution(contribution.fund, contribution)
    _clean_and_save(contribution)
    return contribution


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
    metric = Metric(
        fund=fund,
        name=name,
        planned=planned,
        unit=unit,
        lower_is_better=lower_is_better,
        order=order,
    )
    _clean_and_save(metric)
    return metric


@transaction.atomic
def performance_payment_set(
    *,
    fund: PooledFund,
    amount: Decimal,
    metric: Metric,
    target_reduction_percent: Decimal,
    baseline: Decimal,
    retained_by,
) -> PerformancePayment:
    """The performance element of the fund (West Kent 4.1)."""
    if metric.fund_id != fund.pk:
        raise RuleViolation(
            "The metric is not one of this fund's.", rule="metric_not_in_fund"
        )
    payment = PerformancePayment.objects.filter(fund=fund).first() or (
        PerformancePayment(fund=fund)
    )
    payment.amount = amount
    payment.metric = metric
    payment.target_reduction_percent = target_reduction_percent
    payment.baseline = baseline
    payment.retained_by = retained_by
    _clean_and_save(payment)
    return payment
