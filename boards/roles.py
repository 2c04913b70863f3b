"""The board roles a person can be given (issue 15), registered with
``governance.roles`` in ``BoardsConfig.ready()``: board secretary (``Board.secretaries``),
chair (a chair term from today), member (a seat's holder) and deputy (a seat's deputy).
Each is given at a seat or a board; the board is the scope the grant table checks."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from governance.grants import RoleName
from governance.roles import HeldRole, RoleHandler, Target, register_role

from .models import Board, ChairTerm, Seat
from .services import chairs, seats


def _board_target(board: Board) -> Target:
    return Target(id=board.pk, scope_id=board.pk, label=board.name, group=board.name)


def _seat_target(seat: Seat) -> Target:
    return Target(
        id=seat.pk,
        scope_id=seat.board_id,
        label=f"{seat.title} ({seat.partner.label}), {seat.board.label}",
        group=seat.board.name,
    )


def _boards(scope_ids):
    boards = Board.objects.filter(active=True).order_by("name")
    return boards if scope_ids is None else boards.filter(pk__in=scope_ids)


def _seats(scope_ids):
    found = Seat.objects.filter(active=True, board__active=True).select_related(
        "board", "partner"
    )
    if scope_ids is not None:
        found = found.filter(board__in=scope_ids)
    return found.order_by("board__name", "order", "pk")


def _board(pk):
    board = Board.objects.filter(pk=pk).first()
    return _board_target(board) if board else None


def _seat(pk):
    seat = Seat.objects.select_related("board", "partner").filter(pk=pk).first()
    return _seat_target(seat) if seat else None


def _landing(board_id: int) -> str:
    return reverse("boards:detail", args=[board_id])


# --- board secretary ------------------------------------------------------------------


def _secretary_held(person):
    return [
        HeldRole(RoleName.BOARD_SECRETARY, _board_target(b))
        for b in Board.objects.filter(secretaries=person).order_by("name")
    ]


def _secretary_give(*, person, target_id, by):
    Board.objects.get(pk=target_id).secretaries.add(person)


def _secretary_take(*, person, target_id, by):
    Board.objects.get(pk=target_id).secretaries.remove(person)


# --- chair -----------------------------------------------------------------------------


def _chair_held(person):
    today = timezone.localdate()
    terms = (
        ChairTerm.objects.filter(person=person, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("board")
    )
    return [
        HeldRole(
            RoleName.CHAIR,
            _board_target(term.board),
            f"since {term.starts_on:%d %B %Y}"
            + (f", until {term.ends_on:%d %B %Y}" if term.ends_on else ""),
        )
        for term in terms
    ]


def _chair_give(*, person, target_id, by):
    board = Board.objects.get(pk=target_id)
    seat = board.seats.filter(active=True, holder=person).first()
    chairs.chair_term_start(
        board=board, person=person, seat=seat, starts_on=timezone.localdate()
    )


def _chair_take(*, person, target_id, by):
    """The person's term in force ends yesterday (a chair stands down)."""
    from datetime import timedelta

    today = timezone.localdate()
    for term in ChairTerm.objects.filter(
        board_id=target_id, person=person, starts_on__lte=today
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today)):
        term.ends_on = max(term.starts_on, today - timedelta(days=1))
        term.save(update_fields=["ends_on"])
        if term.seat_id:
            seats.seat_update(seat=term.seat, is_chair=False)


# --- member and deputy -----------------------------------------------------------------


def _seat_held(field: str, role: RoleName):
    def held(person):
        found = Seat.objects.filter(active=True, **{field: person}).select_related(
            "board", "partner"
        )
        return [HeldRole(role, _seat_target(seat)) for seat in found]

    return held


def _seat_give(field: str):
    def give(*, person, target_id, by):
        seat = Seat.objects.get(pk=target_id)
        seats.seat_update(seat=seat, **{field: person})

    return give


def _seat_take(field: str):
    def take(*, person, target_id, by):
        seat = Seat.objects.get(pk=target_id)
        if getattr(seat, f"{field}_id") == person.pk:
            seats.seat_update(seat=seat, **{field: None})

    return take


def register() -> None:
    register_role(
        RoleHandler(
            role=RoleName.BOARD_SECRETARY,
            targets=lambda scope_ids: [_board_target(b) for b in _boards(scope_ids)],
            target=_board,
            held=_secretary_held,
            give=_secretary_give,
            take=_secretary_take,
            landing_url=_landing,
        )
    )
    register_role(
        RoleHandler(
            role=RoleName.CHAIR,
            targets=lambda scope_ids: [_board_target(b) for b in _boards(scope_ids)],
            target=_board,
            held=_chair_held,
            give=_chair_give,
            take=_chair_take,
            landing_url=_landing,
        )
    )
    for role, field in ((RoleName.MEMBER, "holder"), (RoleName.DEPUTY, "deputy")):
        register_role(
            RoleHandler(
                role=role,
                targets=lambda scope_ids: [_seat_target(s) for s in _seats(scope_ids)],
                target=_seat,
                held=_seat_held(field, role),
                give=_seat_give(field),
                take=_seat_take(field),
                landing_url=_landing,
            )
        )
