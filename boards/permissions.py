"""Who may see and change a board (django-rules predicates) and the helpers views
and the API use to fetch a board the user may see or raise.

- Administrators create partners, people, agreements and boards; a person whose role
  is board secretary may also create a board (and becomes its secretary), so a
  secretary can set up a new board without an administrator.
- A board's secretaries (``Board.secretaries``) manage its seats, quorum rules, terms
  of reference and chairs; administrators may too.
- Members (holders and deputies) see the boards they sit on; auditors and
  administrators see everything; auditors change nothing.
- A secretary may also add people (a new deputy is the common case): they get no
  login until invited. Who may give which role (seat a holder or deputy, name a
  secretary) is the grant table of ``governance.grants``; ``require_seat_people`` and
  ``require_secretaries_change`` apply it to the board and seat pages and the API.
"""

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from governance.grants import RoleName
from governance.permissions import (
    can_view_people,
    has_role_secretary,
    is_administrator,
    is_secretary_of_a_board,
    reads_everything,
)
from governance.services.roles import require_grant

from .models import Agreement, Board


@rules.predicate
def is_board_secretary(user, board) -> bool:
    if board is None or not user.is_authenticated:
        return False
    cached = getattr(board, "_secretary_ids", None)
    if cached is not None:
        return user.pk in cached
    return board.secretaries.filter(pk=user.pk).exists()


@rules.predicate
def sits_on_board(user, board) -> bool:
    return (
        board is not None
        and user.is_authenticated
        and board.seats.filter(Q(holder=user) | Q(deputy=user), active=True).exists()
    )


@rules.predicate
def is_agreement_secretary(user, agreement) -> bool:
    return (
        agreement is not None
        and user.is_authenticated
        and agreement.boards.filter(secretaries=user).exists()
    )


can_view_board = reads_everything | is_board_secretary | sits_on_board
can_manage_board = is_administrator | is_board_secretary

rules.add_perm("boards.view_board", can_view_board)
rules.add_perm("boards.manage_board", can_manage_board)
rules.add_perm(
    "boards.add_board", is_administrator | has_role_secretary | is_secretary_of_a_board
)
rules.add_perm("boards.add_partner", is_administrator)
rules.add_perm("boards.change_partner", is_administrator)
rules.add_perm("boards.add_agreement", is_administrator)
rules.add_perm("boards.view_agreement", reads_everything | is_agreement_secretary)
rules.add_perm("boards.manage_agreement", is_administrator)
rules.add_perm(
    "boards.add_person", is_administrator | has_role_secretary | is_secretary_of_a_board
)
rules.add_perm("boards.view_people", can_view_people)


def held_board_roles(user):
    """For the grant table: the boards ``user`` is secretary of."""
    return [
        (RoleName.BOARD_SECRETARY, pk)
        for pk in Board.objects.filter(secretaries=user).values_list("pk", flat=True)
    ]


def boards_for_user(user) -> QuerySet[Board]:
    """Boards the user may see."""
    boards = Board.objects.all()
    if not reads_everything(user):
        visible = Board.objects.filter(
            Q(secretaries=user)
            | Q(seats__holder=user, seats__active=True)
            | Q(seats__deputy=user, seats__active=True)
        ).values("pk")
        boards = boards.filter(pk__in=visible)
    return boards.order_by("name")


def get_board_for_user(user, pk: int, *, manage: bool = False) -> Board:
    board = get_object_or_404(Board, pk=pk)
    perm = "boards.manage_board" if manage else "boards.view_board"
    if not user.has_perm(perm, board):
        raise PermissionDenied("You do not have access to this board.")
    return board


def agreements_for_user(user) -> QuerySet[Agreement]:
    agreements = Agreement.objects.all()
    if not reads_everything(user):
        agreements = agreements.filter(
            pk__in=Board.objects.filter(secretaries=user).values("agreement")
        )
    return agreements.order_by("name")


def get_agreement_for_user(user, pk: int, *, manage: bool = False) -> Agreement:
    agreement = get_object_or_404(Agreement, pk=pk)
    perm = "boards.manage_agreement" if manage else "boards.view_agreement"
    if not user.has_perm(perm, agreement):
        raise PermissionDenied("You do not have access to this agreement.")
    return agreement


def require_agreement_choice(user, agreement, *, board: Board | None = None) -> None:
    """A non-administrator may put a board under an agreement only if they already
    see that agreement (or it is the board's own): otherwise creating a board under
    any agreement would make them its "agreement secretary" and open its authorised
    officers' names and e-mails."""
    if agreement is None or is_administrator(user):
        return
    if board is not None and board.agreement_id == agreement.pk:
        return
    if not agreements_for_user(user).filter(pk=agreement.pk).exists():
        raise PermissionDenied("You may not put a board under this agreement.")


def require_board_links(user, fields: dict, *, board: Board | None = None) -> None:
    """The agreement and the parent board a non-administrator links a board to must
    be ones they can already see (or the board's own): a secretary cannot hang a
    board under another partnership's agreement or reporting line."""
    require_agreement_choice(user, fields.get("agreement"), board=board)
    parent = fields.get("reports_to")
    if parent is None or is_administrator(user):
        return
    if board is not None and board.reports_to_id == parent.pk:
        return
    if not boards_for_user(user).filter(pk=parent.pk).exists():
        raise PermissionDenied("You may not make a board report to this board.")


def require(user, perm: str, obj=None) -> None:
    """Raise PermissionDenied unless the user has ``perm``."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied("You may not do this.")


def require_secretaries_change(
    user, secretaries, *, board: Board | None = None
) -> None:
    """Naming a board's secretaries follows the grant table (administrators only),
    with one exception: whoever creates a board becomes its first secretary. So a
    secretary may leave the list as it is, but never add or remove anyone."""
    if secretaries is None or is_administrator(user):
        return
    wanted = {person.pk for person in secretaries}
    current = (
        set(board.secretaries.values_list("pk", flat=True))
        if board is not None
        else {user.pk}
    )
    if wanted != current:
        require_grant(user, RoleName.BOARD_SECRETARY, board.pk if board else None)


def require_seat_people(user, board: Board, fields: dict, seat=None) -> None:
    """Seating a holder or a deputy is giving the role member or deputy on this
    board: the grant table decides (administrators and the board's secretaries)."""
    for name, role in (("holder", RoleName.MEMBER), ("deputy", RoleName.DEPUTY)):
        if name not in fields:
            continue
        person = fields[name]
        before = getattr(seat, f"{name}_id", None) if seat is not None else None
        if (person.pk if person else None) != before:
            require_grant(user, role, board.pk)
