"""Writes for seats: holder, deputy and the deputy's notice, voting flag,
categories, delegated authority limit and the chair flags (SPEC s.1)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from governance.models import User

from ..models import (
    Board,
    Partner,
    Seat,
    SeatCategory,
)


def _validate_seat(seat: Seat) -> None:
    errors: dict[str, list[str]] = {}
    if not seat.board.partners.filter(pk=seat.partner_id).exists():
        errors["partner"] = ["The seat's partner must be one of the board's partners."]
    bad = [c for c in seat.categories or [] if c not in SeatCategory.values]
    if bad:
        errors["categories"] = [f'"{c}" is not a seat category.' for c in bad]
    if seat.holder_id and seat.holder_id == seat.deputy_id:
        errors["deputy"] = ["The deputy must be someone other than the holder."]
    if seat.deputy_notified_on and not seat.deputy_id:
        errors["deputy_notified_on"] = ["There is no deputy to have been notified."]
    if (
        seat.delegated_authority_limit is not None
        and seat.delegated_authority_limit < 0
    ):
        errors["delegated_authority_limit"] = ["The limit cannot be negative."]
    if errors:
        raise ValidationError(errors)


def _only_chair(seat: Seat) -> None:
    """One seat of a board holds the chair at a time."""
    if seat.is_chair:
        # Row by row (not QuerySet.update) so each change has its history row.
        for other in Seat.objects.filter(board=seat.board_id, is_chair=True).exclude(
            pk=seat.pk
        ):
            other.is_chair = False
            other.save(update_fields=["is_chair"])


@transaction.atomic
def seat_create(
    *,
    board: Board,
    title: str,
    partner: Partner,
    voting: bool = True,
    categories: list[str] | None = None,
    holder: User | None = None,
    deputy: User | None = None,
    deputy_notified_on: date | None = None,
    delegated_authority_limit: Decimal | None = None,
    is_chair: bool = False,
    is_alternate_chair: bool = False,
    order: int | None = None,
) -> Seat:
    """Add a post to a board. A voting seat should have a deputy (Portsmouth PMG ToR
    1.1); one without is allowed but shown as a compliance gap."""
    if order is None:
        order = board.seats.count() + 1
    seat = Seat(
        board=board,
        title=title.strip(),
        partner=partner,
        voting=voting,
        categories=sorted(set(categories or [])),
        holder=holder,
        deputy=deputy,
        deputy_notified_on=deputy_notified_on,
        delegated_authority_limit=delegated_authority_limit,
        is_chair=is_chair,
        is_alternate_chair=is_alternate_chair,
        order=order,
    )
    _validate_seat(seat)
    seat.save()
    _only_chair(seat)
    return seat


SEAT_FIELDS = (
    "title",
    "partner",
    "voting",
    "categories",
    "holder",
    "deputy",
    "deputy_notified_on",
    "delegated_authority_limit",
    "is_chair",
    "is_alternate_chair",
    "order",
    "active",
)


@transaction.atomic
def seat_update(*, seat: Seat, **fields) -> Seat:
    """Change a seat. Naming a different deputy clears the notice date unless a new
    one is given: the new deputy has not been notified yet."""
    unknown = set(fields) - set(SEAT_FIELDS)
    if unknown:
        raise TypeError(f"unknown seat fields: {sorted(unknown)}")
    seat = Seat.objects.select_for_update().get(pk=seat.pk)
    if "order" in fields and fields["order"] is None:
        del fields["order"]  # a blank position keeps the seat where it is
    new_deputy = fields.get("deputy", seat.deputy)
    if (
        "deputy" in fields
        and (new_deputy.pk if new_deputy else None) != seat.deputy_id
        and "deputy_notified_on" not in fields
    ):
        fields["deputy_notified_on"] = None
    if "categories" in fields:
        fields["categories"] = sorted(set(fields["categories"] or []))
    for key, value in fields.items():
        setattr(seat, key, value)
    _validate_seat(seat)
    seat.save()
    _only_chair(seat)
    return seat


@transaction.atomic
def seat_deputy_notify(*, seat: Seat, on: date | None = None) -> Seat:
    """Record that the partners were told who the deputy is ("a deputy to be notified
    to the Partners in advance of any meeting", Leicestershire IFPG)."""
    if not seat.deputy_id:
        raise ValidationError({"deputy": ["Name a deputy before notifying one."]})
    seat.deputy_notified_on = on or timezone.localdate()
    seat.save(update_fields=["deputy_notified_on"])
    return seat


@transaction.atomic
def seat_deactivate(*, seat: Seat) -> Seat:
    seat.active = False
    seat.is_chair = False
    seat.save(update_fields=["active", "is_chair"])
    return seat
