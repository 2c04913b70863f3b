"""Who may see and keep a board's obligations register and forward plan.

Rules chosen (SPEC s.7, where the spec is silent): whoever may see a board sees its
duties, their evidence and its forward plan (members, its secretaries,
administrators, auditors); its secretaries and administrators keep the register
(add duties, record evidence); whoever runs the board's meetings (secretaries, the
chair, administrators) accepts a proposal onto an agenda. Auditors change nothing.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from boards.models import Board
from boards.permissions import can_manage_board, get_board_for_user
from meetings.permissions import can_run_meeting

from .models import Obligation


def get_obligation_for_user(user, pk: int, *, manage: bool = False) -> Obligation:
    obligation = get_object_or_404(Obligation.objects.select_related("board"), pk=pk)
    get_board_for_user(user, obligation.board_id, manage=manage)
    return obligation


def can_keep_register(user, board: Board) -> bool:
    return bool(can_manage_board(user, board))


def can_accept_proposals(user, board: Board) -> bool:
    return bool(can_run_meeting(user, board))


def require_accept(user, meeting) -> None:
    if not can_run_meeting(user, meeting):
        raise PermissionDenied(
            "Only the board's secretary or chair puts items on its agenda."
        )
