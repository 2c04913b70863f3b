"""Writes for boards: creation, their settings and reporting lines."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from governance.models import User
from governance.permissions import forget_held_roles
from governance.services.sessions import sign_out_everywhere

from ..models import (
    Board,
    DecisionKind,
    Partner,
)

# --- boards ----------------------------------------------------------------------

BOARD_FIELDS = (
    "name",
    "short_name",
    "agreement",
    "decision_making",
    "decision_rule",
    "escalation",
    "chair_casting_vote",
    "absent_partner_rule",
    "delegated_authority_rule",
    "deputising_chair",
    "decision_scope",
    "risk_share_commitments_only",
    "minutes_deadline_days",
    "reports_to",
    "purpose",
    "meeting_frequency_months",
    "extraordinary_notice_clear_days",
    "clear_days_working_only",
    "papers_working_days",
    "reconvene_within_days",
    "chair_arrangement",
    "chair_term_months",
    "active",
)


def _check_scope(board: Board) -> None:
    scope = board.decision_scope or []
    if not isinstance(scope, list) or any(k not in DecisionKind.values for k in scope):
        raise ValidationError(
            {
                "decision_scope": [
                    "Give a list of kinds of decision, each one of "
                    + ", ".join(DecisionKind.values)
                    + "."
                ]
            }
        )
    board.decision_scope = sorted(set(scope))


def _check_reports_to(board: Board) -> None:
    """A board cannot report to itself or to a board below it."""
    seen = {board.pk}
    parent = board.reports_to
    while parent is not None:
        if parent.pk in seen:
            raise ValidationError(
                {"reports_to": ["A board cannot report to itself or a board below it."]}
            )
        seen.add(parent.pk)
        parent = parent.reports_to


@transaction.atomic
def board_create(
    *,
    name: str,
    partners: Iterable[Partner],
    secretaries: Iterable[User] = (),
    **fields,
) -> Board:
    """Create a board. Rules its terms may or may not state (the absent-partner rule,
    delegated authority, a deputising chair, a papers deadline, notice of an
    extraordinary meeting, reconvening within a period, limits on what it may decide)
    are off unless given: a new board starts with no optional rule applied."""
    if Board.objects.filter(name__iexact=name.strip()).exists():
        raise ValidationError({"name": ["A board with this name already exists."]})
    unknown = set(fields) - set(BOARD_FIELDS)
    if unknown:
        raise TypeError(f"unknown board fields: {sorted(unknown)}")
    board = Board(name=name.strip(), **fields)
    _check_scope(board)
    board.full_clean(exclude=["partners", "secretaries"])
    board.save()
    _check_reports_to(board)
    board.partners.set(list(partners))
    board.secretaries.set(list(secretaries))
    return board


@transaction.atomic
def board_update(
    *,
    board: Board,
    partners: Iterable[Partner] | None = None,
    secretaries: Iterable[User] | None = None,
    **fields,
) -> Board:
    """Change a board's settings. A partner that still has active seats on the board
    cannot be removed from it (deactivate the seats first)."""
    unknown = set(fields) - set(BOARD_FIELDS)
    if unknown:
        raise TypeError(f"unknown board fields: {sorted(unknown)}")
    if "name" in fields and (
        Board.objects.filter(name__iexact=fields["name"].strip())
        .exclude(pk=board.pk)
        .exists()
    ):
        raise ValidationError({"name": ["A board with this name already exists."]})
    for key, value in fields.items():
        setattr(board, key, value)
    _check_scope(board)
    board.full_clean(exclude=["partners", "secretaries"])
    _check_reports_to(board)
    board.save()
    if partners is not None:
        partners = list(partners)
        kept = {p.pk for p in partners}
        orphaned = (
            board.seats.filter(active=True)
            .exclude(partner__in=kept)
            .values_list("partner__name", flat=True)
            .distinct()
        )
        if orphaned:
            raise ValidationError(
                {
                    "partners": [
                        f"{name} still has seats on this board; deactivate them first."
                        for name in orphaned
                    ]
                }
            )
        board.partners.set(partners)
    if secretaries is not None:
        _set_secretaries(board, list(secretaries))
    return board


def _set_secretaries(board: Board, secretaries: list[User]) -> None:
    """The board's secretaries as named (who may name them is checked by the caller:
    ``require_secretaries_change``, the grant table). Whoever is removed or added has
    had a role change: their sessions and API tokens end, as with ``role_take`` and
    ``role_give`` (issue 15)."""
    before = set(board.secretaries.values_list("pk", flat=True))
    board.secretaries.set(secretaries)
    changed = before ^ {person.pk for person in secretaries}
    for person in User.objects.filter(pk__in=changed):
        forget_held_roles(person)
        sign_out_everywhere(person)


# --- seats -----------------------------------------------------------------------
