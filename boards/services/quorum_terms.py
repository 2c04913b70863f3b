"""Writes for quorum rules, terms of reference (and their review reminders) and
chair terms. Re-exported by ``boards.services``.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from governance.models import OutboxMessage, User
from governance.outbox import outbox_enqueue

from .. import terms as terms_rules
from ..models import (
    Board,
    BusinessType,
    ChairTerm,
    Partner,
    PartnerKind,
    QuorumRule,
    Seat,
    SeatCategory,
    TermsOfReference,
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


@transaction.atomic
def terms_add(
    *,
    board: Board,
    version: str,
    summary: str = "",
    reviewed_by: str = "",
    reviewed_on: date | None = None,
    approved_by: str = "",
    approved_on: date | None = None,
    review_due: date | None = None,
) -> TermsOfReference:
    """Record a version of the terms. Without a review date the review falls due three
    years after the version was reviewed or approved (Portsmouth PMG ToR: "at least
    every three years")."""
    if board.terms.filter(version=version).exists():
        raise ValidationError({"version": ["This version is already recorded."]})
    if review_due is None:
        review_due = terms_rules.default_review_due(
            reviewed_on=reviewed_on, approved_on=approved_on, today=timezone.localdate()
        )
    return TermsOfReference.objects.create(
        board=board,
        version=version,
        summary=summary,
        reviewed_by=reviewed_by,
        reviewed_on=reviewed_on,
        approved_by=approved_by,
        approved_on=approved_on,
        review_due=review_due,
    )


def tor_review_reminders_send(*, today: date | None = None) -> int:
    """E-mail each secretary of a board whose current terms of reference fall due for
    review within 60 days (or are overdue). Idempotent per (terms version, review
    date, secretary): the outbox key is the same on every run, so a version is
    reminded once; a new review date on a new version reminds again."""
    from ..selectors import current_terms_due_by

    today = today or timezone.localdate()
    queued = 0
    for terms in current_terms_due_by(terms_rules.reminder_window(today)):
        with transaction.atomic():
            for secretary in terms.board.secretaries.all():
                key = f"tor-review:{terms.pk}:{terms.review_due:%Y%m%d}:{secretary.pk}"
                if OutboxMessage.objects.filter(key=key).exists():
                    continue
                outbox_enqueue(
                    key=key,
                    to=secretary.email,
                    subject=f"Terms of reference review due: {terms.board.name}",
                    body=(
                        f"The terms of reference of {terms.board.name} (version "
                        f"{terms.version}) are due for review on "
                        f"{terms.review_due:%d %B %Y}.\n\nRecord the reviewed version "
                        "on the board's page once the board has agreed it."
                    ),
                )
                queued += 1
    return queued


# --- chairs -----------------------------------------------------------------------------


@transaction.atomic
def chair_term_start(
    *,
    board: Board,
    person: User,
    starts_on: date,
    seat: Seat | None = None,
    partner: Partner | None = None,
    ends_on: date | None = None,
    elected_at_meeting=None,
) -> ChairTerm:
    """Begin a chair's term; the term in force ends the day before. The seat the chair
    holds becomes the board's chair seat (quorum rules may require the chair, JCG 9)."""
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
        elected_at_meeting=elected_at_meeting,
    )
    if seat is not None and starts_on <= timezone.localdate():
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
