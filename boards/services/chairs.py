"""Writes for chair terms: who chairs a board and from when (SPEC s.1)."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from governance.models import User

from ..models import (
    Board,
    ChairTerm,
    Partner,
    Seat,
)


@transaction.atomic
def chair_term_start(
    *,
    board: Board,
    person: User,
    starts_on: date,
    seat: Seat | None = None,
    partner: Partner | None = None,
    ends_on: date | None = None,
    elected: bool = False,
    source: str = "",
) -> ChairTerm:
    """Begin a chair's term; the term in force ends the day before. The seat the chair
    holds becomes the board's chair seat (quorum rules may require the chair, JCG 9)
    once the term has begun, or at once for a chair ``elected`` at a meeting."""
    errors = {}
    if seat is not None and seat.board_id != board.pk:
        errors["seat"] = ["The seat is not on this board."]
    if seat is not None and partner is None:
        partner = seat.partner
    if partner is not None and not board.partners.filter(pk=partner.pk).exists():
        errors["partner"] = ["The partner is not a partner of this board."]
    if ends_on and ends_on < starts_on:
        errors["ends_on"] = ["A term cannot end before it starts."]
    if errors:
        raise ValidationError(errors)
    open_terms = ChairTerm.objects.select_for_update().filter(
        board=board, starts_on__lt=starts_on, ends_on__isnull=True
    )
    for term in open_terms:
        term.ends_on = starts_on - timedelta(days=1)
        term.save(update_fields=["ends_on"])
    term = ChairTerm.objects.create(
        board=board,
        person=person,
        seat=seat,
        partner=partner,
        starts_on=starts_on,
        ends_on=ends_on,
        source=source.strip(),
    )
    if seat is not None and (elected or starts_on <= timezone.localdate()):
        # Row by row, so the seats' audit history records who became chair.
        for other in Seat.objects.filter(board=board, is_chair=True).exclude(
            pk=seat.pk
        ):
            other.is_chair = False
            other.save(update_fields=["is_chair"])
        if not seat.is_chair:
            seat.is_chair = True
            seat.save(update_fields=["is_chair"])
    return term
