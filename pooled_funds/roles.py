"""The fund roles a person can be given (issue 15), registered with
``governance.roles`` in ``PooledFundsConfig.ready()``: a fund's pooled fund manager
(one per fund; giving it replaces the previous manager) and its finance officers.
The fund is the scope the grant table checks."""

from governance.grants import RoleName
from governance.permissions import forget_held_roles
from governance.roles import HeldRole, RoleHandler, Target, register_role
from governance.services.sessions import sign_out_everywhere

from .models import PooledFund


def _target(fund: PooledFund) -> Target:
    return Target(id=fund.pk, scope_id=fund.pk, label=fund.name, group="Pooled funds")


def _targets(scope_ids):
    funds = PooledFund.objects.order_by("name")
    if scope_ids is not None:
        funds = funds.filter(pk__in=scope_ids)
    return [_target(f) for f in funds]


def _fund(pk):
    fund = PooledFund.objects.filter(pk=pk).first()
    return _target(fund) if fund else None


def held_fund_roles(user):
    """For the grant table: the funds ``user`` manages."""
    return [
        (RoleName.FUND_MANAGER, pk)
        for pk in PooledFund.objects.filter(manager=user).values_list("pk", flat=True)
    ]


def _manager_give(*, person, target_id, by):
    """One manager per fund: the one replaced loses the role as if it were taken
    away (their sessions and API tokens end)."""
    fund = PooledFund.objects.select_for_update().get(pk=target_id)
    replaced = fund.manager
    fund.manager = person
    fund.save(update_fields=["manager"])
    if replaced is not None and replaced.pk != person.pk:
        forget_held_roles(replaced)
        sign_out_everywhere(replaced)


def _manager_take(*, person, target_id, by):
    fund = PooledFund.objects.select_for_update().get(pk=target_id)
    if fund.manager_id == person.pk:
        fund.manager = None
        fund.save(update_fields=["manager"])


def _officer_give(*, person, target_id, by):
    PooledFund.objects.get(pk=target_id).finance_officers.add(person)


def _officer_take(*, person, target_id, by):
    PooledFund.objects.get(pk=target_id).finance_officers.remove(person)


def register() -> None:
    register_role(
        RoleHandler(
            role=RoleName.FUND_MANAGER,
            targets=_targets,
            target=_fund,
            held=lambda person: [
                HeldRole(RoleName.FUND_MANAGER, _target(f))
                for f in PooledFund.objects.filter(manager=person)
            ],
            give=_manager_give,
            take=_manager_take,
            landing_url=lambda pk: PooledFund(pk=pk).get_absolute_url(),
        )
    )
    register_role(
        RoleHandler(
            role=RoleName.FINANCE_OFFICER,
            targets=_targets,
            target=_fund,
            held=lambda person: [
                HeldRole(RoleName.FINANCE_OFFICER, _target(f))
                for f in PooledFund.objects.filter(finance_officers=person)
            ],
            give=_officer_give,
            take=_officer_take,
            landing_url=lambda pk: PooledFund(pk=pk).get_absolute_url(),
        )
    )
