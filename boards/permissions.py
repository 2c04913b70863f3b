"""Who may see and change a board (django-rules predicates) and the helpers views
and the API use to fetch a board the user may see or raise."""

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from governance.permissions import is_administrator, reads_everything

from .models import Board


@rules.predicate
def is_board_secretary(user, board) -> bool:
    return board is not None and board.secretaries.filter(pk=user.pk).exists()


@rules.predicate
def sits_on_board(user, board) -> bool:
    return (
        board is not None
        and board.seats.filter(Q(holder=user) | Q(deputy=user), active=True).exists()
    )


can_view_board = reads_everything | is_board_secretary | sits_on_board
can_manage_board = is_administrator | is_board_secretary

rules.add_perm("boards.view_board", can_view_board)
rules.add_perm("boards.manage_board", can_manage_board)
rules.add_perm("boards.add_board", is_administrator | rules.is_group_member("secretaries"))


def boards_for_user(user) -> QuerySet[Board]:
    """Boards the user may see."""
    boards = Board.objects.all()
    if not reads_everything(user):
        boards = boards.filter(
            Q(secretaries=user) | Q(seats__holder=user) | Q(seats__deputy=user)
        ).distinct()
    return boards.order_by("name")


def get_board_for_user(user, pk: int, *, manage: bool = False) -> Board:
    board = get_object_or_404(Board, pk=pk)
    perm = "boards.manage_board" if manage else "boards.view_board"
    if not user.has_perm(perm, board):
        raise PermissionDenied("You do not have access to this board.")
    return board
