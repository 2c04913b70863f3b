"""Writes for where a board's rules come from (SPEC s.1): its terms (a document and
paragraph) or local practice (who decided, and when)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import citations
from ..models import Board, BusinessType, RuleSource, Seat

SEAT_RULES = ("delegated_authority_limit",)


def rule_keys() -> list[str]:
    """Every rule a source may be recorded for: the board's settings, a quorum rule
    per kind of business, and a seat's delegated authority limit."""
    return [key for key, _, _ in citations.RULES] + [
        f"quorum.{kind}" for kind in BusinessType.values
    ]


@transaction.atomic
def rule_source_set(
    *,
    board: Board,
    rule: str,
    kind: str,
    seat: Seat | None = None,
    document: str = "",
    paragraph: str = "",
    quote: str = "",
    decided_by: str = "",
    decided_on: date | None = None,
) -> RuleSource:
    """Record (or replace) the source of one rule. A rule stated in the terms names
    the document; local practice names who decided it."""
    errors: dict[str, list[str]] = {}
    if seat is None and rule not in rule_keys():
        errors["rule"] = [f'"{rule}" is not a rule of a board.']
    if seat is not None and (rule not in SEAT_RULES or seat.board_id != board.pk):
        errors["seat"] = ["A seat's source is for its limit, on this board."]
    if kind not in RuleSource.Kind.values:
        errors["kind"] = ["terms or local_practice"]
    elif kind == RuleSource.Kind.TERMS and not document.strip():
        errors["document"] = ["Name the document (and paragraph) that states it."]
    elif kind == RuleSource.Kind.LOCAL_PRACTICE and not decided_by.strip():
        errors["decided_by"] = ["Say who decided it."]
    if errors:
        raise ValidationError(errors)
    row = (
        RuleSource.objects.select_for_update()
        .filter(board=board, rule=rule, seat=seat)
        .order_by("pk")
        .first()
    ) or RuleSource(board=board, rule=rule, seat=seat)
    row.kind = kind
    row.document = document.strip() if kind == RuleSource.Kind.TERMS else ""
    row.paragraph = paragraph.strip() if kind == RuleSource.Kind.TERMS else ""
    row.quote = " ".join(quote.split())
    row.decided_by = decided_by.strip() if kind != RuleSource.Kind.TERMS else ""
    row.decided_on = decided_on if kind != RuleSource.Kind.TERMS else None
    row.full_clean(exclude=["board", "seat"], validate_constraints=False)
    row.save()
    return row
