"""The grant table (governance.grants): who may give which role, pure, every row."""

import pytest

from governance.grants import (
    GRANT_RULES,
    RoleName,
    Standing,
    grantable_scopes,
    may_grant,
    may_set_global_role,
)

R = RoleName
ADMIN = Standing(administrator=True)
SECRETARY_OF_1 = Standing(held=frozenset({(R.BOARD_SECRETARY, 1)}))
MANAGER_OF_7 = Standing(held=frozenset({(R.FUND_MANAGER, 7)}))
NOBODY = Standing()


@pytest.mark.parametrize(
    "standing, role, scope, allowed",
    [
        # administrators give everything, everywhere
        *[(ADMIN, role, 1, True) for role in R],
        # a board secretary: members, deputies and chairs of their own board only
        (SECRETARY_OF_1, R.MEMBER, 1, True),
        (SECRETARY_OF_1, R.DEPUTY, 1, True),
        (SECRETARY_OF_1, R.CHAIR, 1, True),
        (SECRETARY_OF_1, R.MEMBER, 2, False),
        (SECRETARY_OF_1, R.DEPUTY, 2, False),
        (SECRETARY_OF_1, R.CHAIR, 2, False),
        (SECRETARY_OF_1, R.BOARD_SECRETARY, 1, False),
        (SECRETARY_OF_1, R.ADMINISTRATOR, None, False),
        (SECRETARY_OF_1, R.AUDITOR, None, False),
        (SECRETARY_OF_1, R.USUAL_ROLE, None, False),
        (SECRETARY_OF_1, R.FUND_MANAGER, 1, False),
        (SECRETARY_OF_1, R.FINANCE_OFFICER, 1, False),
        # a fund manager: finance officers of their own fund only
        (MANAGER_OF_7, R.FINANCE_OFFICER, 7, True),
        (MANAGER_OF_7, R.FINANCE_OFFICER, 8, False),
        (MANAGER_OF_7, R.FUND_MANAGER, 7, False),
        (MANAGER_OF_7, R.MEMBER, 7, False),
        (MANAGER_OF_7, R.ADMINISTRATOR, None, False),
        # anybody else: nothing
        *[(NOBODY, role, 1, False) for role in R],
    ],
)
def test_who_may_give_which_role(standing, role, scope, allowed):
    assert bool(may_grant(standing, role, scope)) is allowed


def test_a_refusal_says_who_may():
    decision = may_grant(SECRETARY_OF_1, R.ADMINISTRATOR)
    assert not decision and decision.reason == (
        "Only administrators may give or take away the role Administrator."
    )
    assert "board's board secretary" in may_grant(NOBODY, R.MEMBER, 1).reason


def test_a_scoped_role_needs_its_board_or_fund():
    assert not may_grant(SECRETARY_OF_1, R.MEMBER, None)


@pytest.mark.parametrize(
    "standing, current, new, allowed",
    [
        (ADMIN, "member", "administrator", True),
        (ADMIN, "administrator", "member", True),
        (SECRETARY_OF_1, "member", "member", True),  # unchanged needs no right
        (SECRETARY_OF_1, "member", "administrator", False),
        (SECRETARY_OF_1, "member", "auditor", False),
        (SECRETARY_OF_1, "member", "fund_manager", False),
        (SECRETARY_OF_1, "member", "secretary", False),
        (SECRETARY_OF_1, "administrator", "member", False),  # nor demote one
        (MANAGER_OF_7, "member", "finance_officer", False),
    ],
)
def test_only_administrators_change_a_global_role(standing, current, new, allowed):
    assert bool(may_set_global_role(standing, current, new)) is allowed


def test_grantable_scopes_lists_where_a_role_may_be_given():
    assert grantable_scopes(ADMIN, R.MEMBER) is None  # everywhere
    assert grantable_scopes(SECRETARY_OF_1, R.MEMBER) == {1}
    assert grantable_scopes(SECRETARY_OF_1, R.BOARD_SECRETARY) == set()
    assert grantable_scopes(MANAGER_OF_7, R.FINANCE_OFFICER) == {7}


def test_every_role_has_one_row():
    assert set(GRANT_RULES) == set(R)
