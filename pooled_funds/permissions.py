"""Who may see a pooled fund and who may act on it (django-rules), and the helpers
views and the API use to fetch what a user may see or raise PermissionDenied.

- see a fund: administrators and auditors (everything), the fund's manager and
  finance officers, and the secretaries and seat holders/deputies of the fund's
  board;
- enter and submit returns: the fund's finance officers and administrators;
- approve or send back a return: the fund's pooled fund manager and administrators;
- record a decision on money: the fund's manager, the board's secretaries and
  administrators;
- create a fund: administrators and people whose role is pooled fund manager;
- edit a fund (name, board, manager, finance officers, frequency, pooled total):
  the fund's manager and administrators;
- add and edit its contributions and schemes: the fund's manager, its finance
  officers and administrators (SPEC s.6; issue 15: "finance officers and fund
  managers").
"""

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from governance.models import Role
from governance.permissions import is_administrator, reads_everything

from .models import PooledFund, Return


@rules.predicate
def is_fund_manager(user, fund) -> bool:
    return fund is not None and fund.manager_id == user.pk


@rules.predicate
def is_fund_finance_officer(user, fund) -> bool:
    return fund is not None and fund.finance_officers.filter(pk=user.pk).exists()


@rules.predicate
def is_on_fund_board(user, fund) -> bool:
    if fund is None:
        return False
    return _board_people_q(user).filter(pk=fund.pk).exists()


@rules.predicate
def is_fund_board_secretary(user, fund) -> bool:
    return (
        fund is not None
        and PooledFund.objects.filter(pk=fund.pk, board__secretaries=user).exists()
    )


can_view_fund = (
    reads_everything | is_fund_manager | is_fund_finance_officer | is_on_fund_board
)
can_enter_returns = is_administrator | is_fund_finance_officer
can_approve_returns = is_administrator | is_fund_manager
can_record_decisions = is_administrator | is_fund_manager | is_fund_board_secretary
can_manage_fund = is_administrator | is_fund_manager
can_manage_schemes = is_administrator | is_fund_manager | is_fund_finance_officer


@rules.predicate
def has_role_fund_manager(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.FUND_MANAGER)


can_create_fund = is_administrator | has_role_fund_manager

rules.add_perm("pooled_funds.view_fund", can_view_fund)
rules.add_perm("pooled_funds.enter_returns", can_enter_returns)
rules.add_perm("pooled_funds.approve_returns", can_approve_returns)
rules.add_perm("pooled_funds.record_decisions", can_record_decisions)
rules.add_perm("pooled_funds.manage_fund", can_manage_fund)
rules.add_perm("pooled_funds.manage_schemes", can_manage_schemes)
rules.add_perm("pooled_funds.create_fund", can_create_fund)


def _board_people_q(user) -> QuerySet[PooledFund]:
    return PooledFund.objects.filter(
        Q(board__secretaries=user)
        | Q(board__seats__holder=user, board__seats__active=True)
        | Q(board__seats__deputy=user, board__seats__active=True)
    )


def funds_for_user(user) -> QuerySet[PooledFund]:
    """Funds the user may see. Filtered through a subquery of ids, so joins on
    finance officers or seats never duplicate a fund (or its annotated sums)."""
    funds = PooledFund.objects.all()
    if not reads_everything(user):
        visible = _board_people_q(user) | PooledFund.objects.filter(
            Q(manager=user) | Q(finance_officers=user)
        )
        funds = funds.filter(pk__in=visible.values("pk"))
    return funds


def get_fund_for_user(
    user, pk: int, *, perm: str = "pooled_funds.view_fund"
) -> PooledFund:
    fund = get_object_or_404(
        PooledFund.objects.select_related(
            "agreement", "host_partner", "manager", "board"
        ),
        pk=pk,
    )
    if not user.has_perm("pooled_funds.view_fund", fund):
        raise PermissionDenied("You do not have access to this pooled fund.")
    if perm != "pooled_funds.view_fund" and not user.has_perm(perm, fund):
        raise PermissionDenied(_REFUSALS.get(perm, "You may not do this."))
    return fund


def get_return_for_user(
    user, pk: int, *, perm: str = "pooled_funds.view_fund"
) -> Return:
    ret = get_object_or_404(Return.objects.select_related("fund"), pk=pk)
    get_fund_for_user(user, ret.fund_id, perm=perm)
    return ret


_REFUSALS = {
    "pooled_funds.enter_returns": "Only the fund's finance officers enter returns.",
    "pooled_funds.approve_returns": "Only the pooled fund manager approves returns.",
    "pooled_funds.record_decisions": "Only the fund manager or the board's "
    "secretary records decisions on money.",
    "pooled_funds.manage_fund": "Only the pooled fund manager edits the fund.",
    "pooled_funds.manage_schemes": "Only the fund's manager and finance officers "
    "edit its contributions and schemes.",
}


def require_create_fund(user) -> None:
    if not user.has_perm("pooled_funds.create_fund"):
        raise PermissionDenied(
            "Only administrators and pooled fund managers create funds."
        )
