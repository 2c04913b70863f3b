"""Who may give whom which role: one table, read by every page and the API (issue 15).

Roles are given per board and per fund, plus the two global roles:

======================  =======  ===========================================
role                    scope    who may give it (or take it away)
======================  =======  ===========================================
administrator           global   administrators
auditor                 global   administrators
usual role (label)      global   administrators
board secretary         board    administrators
chair                   board    administrators, that board's secretaries
member (seat holder)    board    administrators, that board's secretaries
deputy                  board    administrators, that board's secretaries
pooled fund manager     fund     administrators
finance officer         fund     administrators, that fund's manager
======================  =======  ===========================================

The rule chosen (SPEC is silent; "local practice" of the product): nobody gives a
right they do not hold themselves, in the scope where they hold it, and the roles that
reach beyond one board's business (administrator, auditor, board secretary, pooled
fund manager) are given by administrators only. So a board secretary may seat a new
member or deputy, or record a chair, on their own boards, and can never make anyone an
administrator, auditor, secretary or fund manager, by any page or the API. A person's
"usual role" (``User.role``: board secretary, finance officer, ...) is the label that
shapes their navigation and asks privileged people for a second factor; changing it is
an administrator's act too, since it is a global setting.

The finance officer row stays delegated to the fund's manager: issue 15 has funds
"created and edited in the browser and the API (finance officers and fund managers)",
and the fund's manager names its finance officers on the fund's own form, so the
people pages and API let them do the same (a fund's manager may find people, as a
board's secretary may) for their own fund only. A fund's manager and finance officers
set on the fund's form or API go through this table too
(``pooled_funds.services.funds``); a person whose usual role is pooled fund manager
manages the funds they create (giving no one else a right).

Giving or taking away a role is a role change: the person's sessions and API tokens
end (``governance.services.roles``).

Taking a role away follows the same row as giving it. Pure: plain data in, a decision
with its reason out; ``governance.permissions.standing_for`` builds the granter's
standing from the database.
"""

from dataclasses import dataclass, field
from enum import StrEnum


class RoleName(StrEnum):
    ADMINISTRATOR = "administrator"
    AUDITOR = "auditor"
    USUAL_ROLE = "usual_role"
    BOARD_SECRETARY = "secretary"
    CHAIR = "chair"
    MEMBER = "member"
    DEPUTY = "deputy"
    FUND_MANAGER = "fund_manager"
    FINANCE_OFFICER = "finance_officer"


class Scope(StrEnum):
    GLOBAL = "global"
    BOARD = "board"
    FUND = "fund"


@dataclass(frozen=True)
class GrantRule:
    role: RoleName
    scope: Scope
    label: str
    # Besides administrators, who may give it: whoever holds this role in the same
    # board or fund. None: administrators only.
    also_by: RoleName | None = None


GRANT_RULES: dict[RoleName, GrantRule] = {
    rule.role: rule
    for rule in (
        GrantRule(RoleName.ADMINISTRATOR, Scope.GLOBAL, "Administrator"),
        GrantRule(RoleName.AUDITOR, Scope.GLOBAL, "Auditor"),
        GrantRule(RoleName.USUAL_ROLE, Scope.GLOBAL, "Usual role"),
        GrantRule(RoleName.BOARD_SECRETARY, Scope.BOARD, "Board secretary"),
        GrantRule(RoleName.CHAIR, Scope.BOARD, "Chair", RoleName.BOARD_SECRETARY),
        GrantRule(
            RoleName.MEMBER,
            Scope.BOARD,
            "Member (holds a seat)",
            RoleName.BOARD_SECRETARY,
        ),
        GrantRule(RoleName.DEPUTY, Scope.BOARD, "Deputy", RoleName.BOARD_SECRETARY),
        GrantRule(RoleName.FUND_MANAGER, Scope.FUND, "Pooled fund manager"),
        GrantRule(
            RoleName.FINANCE_OFFICER,
            Scope.FUND,
            "Finance officer",
            RoleName.FUND_MANAGER,
        ),
    )
}


@dataclass(frozen=True)
class Standing:
    """What the person giving a role holds: administrator or not, and the scoped
    roles that let them give others, as (role, board or fund id) pairs."""

    administrator: bool = False
    held: frozenset[tuple[RoleName, int]] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


def may_grant(
    standing: Standing, role: RoleName, scope_id: int | None = None
) -> Decision:
    """May someone with ``standing`` give (or take away) ``role`` in the board or fund
    ``scope_id``? Administrators may give every role; otherwise only the row's
    ``also_by`` holder of the same board or fund."""
    rule = GRANT_RULES[RoleName(role)]
    if standing.administrator:
        return Decision(True)
    if rule.scope is not Scope.GLOBAL and scope_id is None:
        return Decision(False, f"{rule.label}: name the {rule.scope} it is for.")
    if rule.also_by is not None and (rule.also_by, scope_id) in standing.held:
        return Decision(True)
    who = (
        "administrators"
        if rule.also_by is None
        else f"administrators and the {rule.scope}'s "
        f"{GRANT_RULES[rule.also_by].label.lower()}"
    )
    return Decision(False, f"Only {who} may give or take away the role {rule.label}.")


def may_set_global_role(standing: Standing, current: str, new: str) -> Decision:
    """A person's global role (administrator, auditor, or their usual role) is
    changed by administrators only; leaving it as it is needs no right."""
    if current == new:
        return Decision(True)
    role = (
        RoleName(new)
        if new in (RoleName.ADMINISTRATOR, RoleName.AUDITOR)
        else RoleName.USUAL_ROLE
    )
    if current in (RoleName.ADMINISTRATOR, RoleName.AUDITOR):
        return may_grant(standing, RoleName(current))
    return may_grant(standing, role)


def grantable_scopes(standing: Standing, role: RoleName) -> frozenset[int] | None:
    """The boards or funds where ``standing`` may give ``role``: None means every one
    (an administrator); an empty set means none."""
    if standing.administrator:
        return None
    rule = GRANT_RULES[RoleName(role)]
    if rule.also_by is None:
        return frozenset()
    return frozenset(scope for held, scope in standing.held if held == rule.also_by)
