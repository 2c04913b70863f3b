"""Reads of what boards owe and when: ``obligations`` (the register) and ``plan``
(the forward plan). The dashboard panel and the board page section, registered in
``PlanningConfig.ready()``, are here."""

from itertools import groupby

from django.utils import timezone

from boards.models import Board

from .. import due
from .obligations import obligation_rows

ORDER = {due.OVERDUE: 0, due.DUE: 1, due.UP_TO_DATE: 2}


def by_board(rows) -> list[tuple[Board, list]]:
    """Rows grouped by board, each board's most pressing duties first."""
    grouped = []
    for _, board_rows in groupby(rows, key=lambda r: r.obligation.board_id):
        board_rows = list(board_rows)
        board_rows.sort(
            key=lambda r: (
                ORDER.get(r.state.status, 3),
                not r.state.gaps,
                r.state.due or timezone.localdate(),
            )
        )
        grouped.append((board_rows[0].obligation.board, board_rows))
    return grouped


def dashboard_panels(user) -> list[dict]:
    """For a board secretary: each of their boards' duties with its clause, next
    due date and status (six queries however many boards)."""
    if not user.is_authenticated:
        return []
    boards = Board.objects.filter(secretaries=user, active=True)
    rows = obligation_rows(boards)
    if not rows:
        return []
    attention = sum(1 for r in rows if r.state.needs_attention)
    return [
        {
            "title": "What your boards owe",
            "template": "planning/partials/dashboard_panel.html",
            "boards": by_board(rows),
            "attention": attention,
            "wide": True,
        }
    ]


def board_section(board) -> dict:
    """The obligations section of a board's page."""
    return {"board": board, "rows": obligation_rows(Board.objects.filter(pk=board.pk))}
