"""Writes for a board's quorum rules, one per kind of business (SPEC s.3)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import (
    Board,
    BusinessType,
    PartnerKind,
    QuorumRule,
    SeatCategory,
)

# --- quorum rules ------------------------------------------------------------------

QUORUM_FIELDS = (
    "min_present",
    "min_voting_per_partner",
    "min_any_per_partner",
    "category_minimums",
    "per_partner_category_minimums",
    "partner_kind_minimums",
    "chair_required",
)


def _validate_minimums(fields: dict) -> None:
    errors: dict[str, list[str]] = {}
    for name, allowed in (
        ("category_minimums", SeatCategory.values),
        ("per_partner_category_minimums", SeatCategory.values),
        ("partner_kind_minimums", PartnerKind.values),
    ):
        value = fields.get(name) or {}
        if not isinstance(value, dict):
            errors[name] = ["Give an object of name: number."]
            continue
        for key, n in value.items():
            if key not in allowed:
                errors.setdefault(name, []).append(f'"{key}" is not one of {allowed}.')
            elif not isinstance(n, int) or isinstance(n, bool) or n < 0:
                errors.setdefault(name, []).append(
                    f'"{key}" needs a whole number >= 0.'
                )
    for name in ("min_present", "min_voting_per_partner", "min_any_per_partner"):
        value = fields.get(name, 0)
        if not isinstance(value, int) or value < 0:
            errors[name] = ["A whole number >= 0."]
    if errors:
        raise ValidationError(errors)


def _clean_minimums(fields: dict) -> dict:
    for name in (
        "category_minimums",
        "per_partner_category_minimums",
        "partner_kind_minimums",
    ):
        if name in fields:
            fields[name] = {k: v for k, v in (fields[name] or {}).items() if v}
    return fields


@transaction.atomic
def quorum_rule_create(
    *, board: Board, business_type: str = BusinessType.ROUTINE, **fields
) -> QuorumRule:
    """Quorum as data (SPEC s.3): one rule per board and kind of business."""
    unknown = set(fields) - set(QUORUM_FIELDS)
    if unknown:
        raise TypeError(f"unknown quorum rule fields: {sorted(unknown)}")
    if business_type not in BusinessType.values:
        raise ValidationError(
            {"business_type": [f'"{business_type}" is not a kind of business.']}
        )
    _validate_minimums(fields)
    if QuorumRule.objects.filter(board=board, business_type=business_type).exists():
        raise ValidationError(
            {
                "business_type": [
                    "This board already has a quorum rule for this business."
                ]
            }
        )
    return QuorumRule.objects.create(
        board=board, business_type=business_type, **_clean_minimums(fields)
    )


@transaction.atomic
def quorum_rule_update(*, rule: QuorumRule, **fields) -> QuorumRule:
    unknown = set(fields) - set(QUORUM_FIELDS)
    if unknown:
        raise TypeError(f"unknown quorum rule fields: {sorted(unknown)}")
    _validate_minimums(fields)
    for key, value in _clean_minimums(fields).items():
        setattr(rule, key, value)
    rule.save()
    return rule


# --- terms of reference -------------------------------------------------------------


# --- chairs -----------------------------------------------------------------------------
